//! `rawnet netns` against iproute2's `ip netns`, through the built binary.
//!
//! Needs root (named namespaces are bind mounts under /run/netns) and `ip`
//! (iproute2); without them each test fails and says why. Every namespace has a
//! unique name (`rn-t-PID-N`) and a guard that deletes it on drop, so the tests
//! clean up when they fail and can run in parallel. Nothing here touches the
//! host's network namespace: all network state lives in the test namespaces.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

const RAWNET: &str = env!("CARGO_BIN_EXE_rawnet");

/// A unique namespace name for this test process.
fn unique_name() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!(
        "rn-t-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Deletes the named namespace (if it exists) when dropped.
struct NsGuard(String);

impl Drop for NsGuard {
    fn drop(&mut self) {
        let _ = rawnet::ns::delete_named(&self.0);
    }
}

/// Removes a directory tree when dropped (and its parent, if we created that).
struct DirGuard {
    dir: PathBuf,
    created_parent: Option<PathBuf>,
}

impl Drop for DirGuard {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some(parent) = &self.created_parent {
            // Fails harmlessly when another test is using it.
            let _ = std::fs::remove_dir(parent);
        }
    }
}

fn require_root_and_ip() {
    let uid = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(str::to_string))
        })
        .unwrap_or_default();
    assert_eq!(
        uid, "0",
        "these tests need root: named namespaces are mounts under /run/netns"
    );
    assert!(
        Command::new("ip").arg("-V").output().is_ok(),
        "these tests cross-check with iproute2's `ip`, which is not installed"
    );
}

fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"))
}

fn rawnet(args: &[&str]) -> Output {
    run(RAWNET, args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_ok(o: &Output, what: &str) {
    assert!(
        o.status.success(),
        "{what}: {:?}\nstdout: {}\nstderr: {}",
        o.status,
        stdout(o),
        stderr(o)
    );
}

/// Names from `ip netns list` (which may append " (id: N)").
fn ip_names() -> Vec<String> {
    let o = run("ip", &["netns", "list"]);
    assert_ok(&o, "ip netns list");
    stdout(&o)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

fn rawnet_names() -> Vec<String> {
    let o = rawnet(&["netns", "list"]);
    assert_ok(&o, "rawnet netns list");
    stdout(&o).lines().map(str::to_string).collect()
}

/// A namespace made by `rawnet netns add`, with its guard.
fn rawnet_add() -> NsGuard {
    let name = unique_name();
    let guard = NsGuard(name.clone());
    assert_ok(&rawnet(&["netns", "add", &name]), "rawnet netns add");
    guard
}

#[test]
fn add_list_delete_round_trip_seen_by_iproute2() {
    require_root_and_ip();
    let ns = rawnet_add();
    let name = ns.0.as_str();
    assert!(rawnet_names().iter().any(|n| n == name));
    assert!(
        ip_names().iter().any(|n| n == name),
        "ip netns list does not show {name}"
    );
    // iproute2 can use it.
    assert_ok(
        &run("ip", &["netns", "exec", name, "true"]),
        "ip netns exec",
    );
    let o = run(
        "ip",
        &["netns", "identify", &std::process::id().to_string()],
    );
    assert!(
        !stdout(&o).lines().any(|l| l == name),
        "we are not in {name}"
    );

    // JSON list.
    let o = rawnet(&["-j", "netns", "list"]);
    assert_ok(&o, "rawnet -j netns list");
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert!(v
        .as_array()
        .expect("array")
        .iter()
        .any(|e| e["name"] == name));

    // Adding it again fails like iproute2.
    let o = rawnet(&["netns", "add", name]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o).trim_end(),
        format!("Cannot create namespace file \"/run/netns/{name}\": File exists")
    );

    assert_ok(&rawnet(&["netns", "del", name]), "rawnet netns del");
    assert!(!rawnet_names().iter().any(|n| n == name));
    assert!(!ip_names().iter().any(|n| n == name));
    assert!(!Path::new("/run/netns").join(name).exists());
}

#[test]
fn namespaces_made_by_iproute2_are_ours_too() {
    require_root_and_ip();
    let name = unique_name();
    let _guard = NsGuard(name.clone());
    assert_ok(&run("ip", &["netns", "add", &name]), "ip netns add");
    assert!(rawnet_names().contains(&name));
    let o = rawnet(&["netns", "exec", &name, "ls", "/sys/class/net"]);
    assert_ok(&o, "rawnet netns exec in iproute2's namespace");
    assert_eq!(stdout(&o), "lo\n");
    // Both agree which namespace the exec'd program is in.
    let o = rawnet(&["netns", "exec", &name, "ip", "netns", "identify"]);
    assert_eq!(stdout(&o).trim_end(), name);
    // And rawnet can delete it.
    assert_ok(&rawnet(&["netns", "delete", &name]), "rawnet netns delete");
    assert!(!ip_names().contains(&name));
}

#[test]
fn exec_runs_inside_with_its_own_sysfs() {
    require_root_and_ip();
    let ns = rawnet_add();
    let name = ns.0.as_str();

    let o = rawnet(&["netns", "exec", name, "ip", "-j", "link", "show"]);
    assert_ok(&o, "rawnet netns exec ip -j link show");
    let links: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    let names: Vec<&str> = links
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|l| l["ifname"].as_str())
        .collect();
    assert_eq!(names, ["lo"]);

    let o = rawnet(&["netns", "exec", name, "ls", "/sys/class/net"]);
    assert_ok(&o, "rawnet netns exec ls /sys/class/net");
    assert_eq!(stdout(&o), "lo\n");
    // Same as what iproute2 shows.
    let theirs = run("ip", &["netns", "exec", name, "ls", "/sys/class/net"]);
    assert_eq!(stdout(&o), stdout(&theirs));

    // The exit status of the program comes back.
    let o = rawnet(&["netns", "exec", name, "sh", "-c", "exit 7"]);
    assert_eq!(o.status.code(), Some(7));

    // A missing program: iproute2 6.1's message and status (1).
    let o = rawnet(&["netns", "exec", name, "rn-no-such-command"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o).trim_end(),
        "exec of \"rn-no-such-command\" failed: No such file or directory"
    );

    // Missing arguments.
    let o = rawnet(&["netns", "exec", name]);
    assert_eq!(
        (o.status.code(), stderr(&o).trim_end()),
        (Some(1), "No command specified")
    );
    let o = rawnet(&["netns", "exec"]);
    assert_eq!(
        (o.status.code(), stderr(&o).trim_end()),
        (Some(1), "No netns name specified")
    );
}

#[test]
fn exec_binds_etc_netns_files() {
    require_root_and_ip();
    let ns = rawnet_add();
    let name = ns.0.as_str();
    let parent = Path::new("/etc/netns");
    let created_parent = (!parent.exists()).then(|| parent.to_path_buf());
    let dir = parent.join(name);
    let _dir_guard = DirGuard {
        dir: dir.clone(),
        created_parent,
    };
    std::fs::create_dir_all(&dir).expect("create /etc/netns/NAME");
    std::fs::write(dir.join("hostname"), "rn-test-hostname\n").expect("write hostname");

    let o = rawnet(&["netns", "exec", name, "cat", "/etc/hostname"]);
    assert_ok(&o, "rawnet netns exec cat /etc/hostname");
    assert_eq!(stdout(&o), "rn-test-hostname\n");
    let theirs = run("ip", &["netns", "exec", name, "cat", "/etc/hostname"]);
    assert_eq!(stdout(&o), stdout(&theirs));
    // Nothing leaked out of the exec'd program's mount namespace.
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    assert_ne!(host, "rn-test-hostname\n");
}

#[test]
fn identify_names_the_namespace_of_a_process() {
    require_root_and_ip();
    let ns = rawnet_add();
    let name = ns.0.as_str();
    // Inside: our own binary, exec'd in the namespace, identifies itself.
    let o = rawnet(&["netns", "exec", name, RAWNET, "netns", "identify"]);
    assert_ok(&o, "rawnet netns identify inside");
    assert_eq!(stdout(&o).trim_end(), name);
    // Outside: this test process is in none of our namespaces.
    let o = rawnet(&["netns", "identify", &std::process::id().to_string()]);
    assert_ok(&o, "rawnet netns identify PID");
    assert!(!stdout(&o).lines().any(|l| l == name));
    // Same as iproute2 for a process inside.
    let ours = rawnet(&[
        "netns",
        "exec",
        name,
        "sh",
        "-c",
        &format!("{RAWNET} netns identify $$"),
    ]);
    let theirs = rawnet(&["netns", "exec", name, "sh", "-c", "ip netns identify $$"]);
    assert_eq!(stdout(&ours), stdout(&theirs));
    assert_eq!(stdout(&ours).trim_end(), name);

    let o = rawnet(&["netns", "identify", "abc"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o).trim_end(), "Specified string 'abc' is not a pid");
}

#[test]
fn bad_names_are_refused_and_leave_nothing() {
    require_root_and_ip();
    let tag = unique_name();
    let long = format!("{tag}{}", "x".repeat(256 - tag.len()));
    assert_eq!(long.len(), 256);
    let dotted = format!("../{tag}");
    let slashed = format!("{tag}/b");
    for bad in [
        dotted.as_str(),
        slashed.as_str(),
        ".",
        "..",
        "",
        long.as_str(),
    ] {
        let o = rawnet(&["netns", "add", bad]);
        assert_eq!(o.status.code(), Some(255), "add {bad:?}");
        assert_eq!(
            stderr(&o).trim_end(),
            format!("Invalid netns name \"{bad}\"")
        );
        // iproute2 agrees.
        let theirs = run("ip", &["netns", "add", bad]);
        assert_eq!(theirs.status.code(), Some(255), "ip netns add {bad:?}");
        assert_eq!(stderr(&theirs), stderr(&o));
    }
    for dir in ["/run/netns", "/run"] {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                assert!(!n.starts_with(&tag), "{dir}/{n} was left behind");
            }
        }
    }
    // 255 bytes is fine.
    let ok = NsGuard(format!("{tag}{}", "y".repeat(255 - tag.len())));
    assert_ok(
        &rawnet(&["netns", "add", &ok.0]),
        "rawnet netns add (255 bytes)",
    );
}

#[test]
fn delete_of_a_missing_namespace_fails() {
    require_root_and_ip();
    let name = unique_name();
    let o = rawnet(&["netns", "del", &name]);
    assert_eq!(o.status.code(), Some(1));
    let want =
        format!("Cannot remove namespace file \"/run/netns/{name}\": No such file or directory");
    assert_eq!(stderr(&o).trim_end(), want);
    let theirs = run("ip", &["netns", "del", &name]);
    assert_eq!(theirs.status.code(), Some(1));
    assert_eq!(stderr(&theirs).trim_end(), want);
}

#[test]
fn unknown_commands_and_prefixes() {
    let o = rawnet(&["netns", "frob"]);
    assert_eq!(o.status.code(), Some(255));
    assert_eq!(
        stderr(&o).trim_end(),
        "Command \"frob\" is unknown, try \"rawnet netns help\"."
    );
    let o = rawnet(&["netns", "help"]);
    assert_eq!(o.status.code(), Some(255));
    assert!(stderr(&o).starts_with("Usage:"));
}

#[test]
fn prefixes_select_commands() {
    require_root_and_ip();
    let name = unique_name();
    let _guard = NsGuard(name.clone());
    assert_ok(&rawnet(&["netns", "a", &name]), "netns a");
    assert!(stdout(&rawnet(&["netns", "l"])).lines().any(|l| l == name));
    assert!(stdout(&rawnet(&["netns", "s"])).lines().any(|l| l == name));
    assert!(stdout(&rawnet(&["netns"])).lines().any(|l| l == name));
    assert_ok(&rawnet(&["netns", "e", &name, "true"]), "netns e");
    assert_ok(&rawnet(&["netns", "i"]), "netns i");
    assert_ok(&rawnet(&["netns", "d", &name]), "netns d");
    assert!(!rawnet_names().contains(&name));
}

#[test]
fn library_add_and_delete_agree_with_iproute2() {
    require_root_and_ip();
    let name = unique_name();
    let _guard = NsGuard(name.clone());
    let ns = rawnet::ns::add_named(&name).expect("add_named");
    assert!(ip_names().contains(&name));
    assert!(rawnet::ns::list_named()
        .expect("list_named")
        .contains(&name));
    assert_eq!(
        rawnet::ns::names_of(&ns).expect("names_of"),
        std::slice::from_ref(&name)
    );
    let e = rawnet::ns::add_named(&name).unwrap_err();
    assert_eq!(e.errno(), Some(libc::EEXIST));
    rawnet::ns::delete_named(&name).expect("delete_named");
    assert!(!ip_names().contains(&name));
    // The handle keeps the namespace alive after its name is gone.
    assert!(rawnet::ns::run_in(&ns, || ()).is_ok());
    let e = rawnet::ns::delete_named(&name).unwrap_err();
    assert_eq!(e.errno(), Some(libc::ENOENT));
}
