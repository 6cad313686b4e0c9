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
    // A name may be followed by " (id: N)" when it has an id here.
    stdout(&o)
        .lines()
        .map(|l| l.split(" (id: ").next().unwrap_or(l).to_string())
        .collect()
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
        .contains(&name.as_bytes().to_vec()));
    assert_eq!(
        rawnet::ns::names_of(&ns).expect("names_of"),
        [name.as_bytes().to_vec()]
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

/// Lines of `out` that begin with one of `names` (other namespaces on the
/// machine come and go while the tests run; only ours are compared).
fn only_ours(out: &str, names: &[&str]) -> String {
    out.lines()
        .filter(|l| {
            let first = l.split(' ').next().unwrap_or("");
            names.contains(&first)
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Standard error without the line iproute2 prints for each /run/netns entry
/// it cannot ask an id for (a file that is not, or not yet, a namespace while
/// another process adds one): rawnet lists such entries without an id and
/// says nothing. The same line is a real answer of some commands, so it is
/// taken out on both sides and the last lines are compared on their own.
fn without_noise(o: &Output) -> String {
    stderr(o)
        .lines()
        .filter(|l| *l != "Error: Peer netns reference is invalid.")
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Run `args` with both tools; assert the same stdout, stderr and status.
/// Returns iproute2's stdout.
fn same_as_ip(args: &[&str]) -> String {
    let theirs = run("ip", args);
    let ours = rawnet(args);
    assert_eq!(
        (stdout(&ours), without_noise(&ours), ours.status.code()),
        (
            stdout(&theirs),
            without_noise(&theirs),
            theirs.status.code()
        ),
        "rawnet {args:?} differs from ip (left: rawnet, right: ip)"
    );
    if !theirs.status.success() {
        assert_eq!(
            stderr(&ours).lines().last(),
            stderr(&theirs).lines().last(),
            "rawnet {args:?}: last line of the complaint"
        );
    }
    stdout(&theirs)
}

/// A `sleep` running inside a named namespace (started with `rawnet netns
/// exec`), killed and reaped on drop.
struct Sleeper(std::process::Child);

impl Sleeper {
    fn start_in(name: &str) -> Sleeper {
        let me = Sleeper::start(Command::new(RAWNET).args(["netns", "exec", name, "sleep", "60"]));
        use std::os::unix::fs::MetadataExt;
        let want = std::fs::metadata(format!("/run/netns/{name}")).expect("stat netns");
        let got = std::fs::metadata(format!("/proc/{}/ns/net", me.pid())).expect("stat ns/net");
        assert_eq!((got.dev(), got.ino()), (want.dev(), want.ino()));
        me
    }

    /// `command` ends by exec'ing `sleep`; wait (bounded) until it has.
    fn start(command: &mut Command) -> Sleeper {
        let me = Sleeper(command.spawn().expect("start sleep"));
        let pid = me.pid();
        for _ in 0..500 {
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            if comm.trim_end() == "sleep" {
                return me;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("process {pid} did not become sleep");
    }

    fn pid(&self) -> String {
        self.0.id().to_string()
    }
}

impl Drop for Sleeper {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Ids live in the namespace that holds them: set and read inside test
/// namespace A (`-n A`), never in the host's.
#[test]
fn ids_set_and_listed_as_iproute2_does() {
    require_root_and_ip();
    let a = rawnet_add();
    let b = rawnet_add();
    let c = rawnet_add();
    let names = [a.0.as_str(), b.0.as_str(), c.0.as_str()];
    // iproute2 sets one id, rawnet the others.
    assert_ok(
        &run("ip", &["-n", &a.0, "netns", "set", &b.0, "7"]),
        "ip netns set",
    );
    assert_ok(
        &rawnet(&["-n", &a.0, "netns", "set", &c.0, "0x10"]),
        "rawnet netns set",
    );
    assert_ok(
        &rawnet(&["-n", &b.0, "netns", "set", &a.0, "auto"]),
        "set auto",
    );
    assert_ok(&rawnet(&["-n", &b.0, "netns", "set", &c.0, "3"]), "set 3");

    // `list`: names with " (id: N)" as seen from A; only our lines compared.
    for json in [false, true] {
        let mut args = vec!["-n", a.0.as_str(), "netns", "list"];
        if json {
            args.insert(0, "-j");
        }
        let theirs = run("ip", &args);
        let ours = rawnet(&args);
        assert_ok(&ours, "rawnet netns list");
        if json {
            let ours: serde_json::Value = serde_json::from_str(&stdout(&ours)).expect("JSON");
            let theirs: serde_json::Value = serde_json::from_str(&stdout(&theirs)).expect("JSON");
            let pick = |v: &serde_json::Value| -> Vec<serde_json::Value> {
                let mut v: Vec<_> = v
                    .as_array()
                    .expect("array")
                    .iter()
                    .filter(|e| names.iter().any(|n| e["name"] == *n))
                    .cloned()
                    .collect();
                v.sort_by_key(|e| e["name"].to_string());
                v
            };
            assert_eq!(pick(&ours), pick(&theirs));
            assert!(pick(&ours).iter().any(|e| e["name"] == b.0 && e["id"] == 7));
        } else {
            let ours = only_ours(&stdout(&ours), &names);
            assert_eq!(ours, only_ours(&stdout(&theirs), &names));
            assert!(ours.contains(&format!("{} (id: 7)\n", b.0)), "{ours}");
            assert!(ours.contains(&format!("{} (id: 16)\n", c.0)), "{ours}");
            assert!(ours.contains(&format!("{}\n", a.0)), "{ours}");
        }
    }

    // `list-id` in A holds only ids A gave: the whole output is ours.
    let text = same_as_ip(&["-n", &a.0, "netns", "list-id"]);
    assert_eq!(
        text,
        format!(
            "nsid 7 (iproute2 netns name: {})\nnsid 16 (iproute2 netns name: {})\n",
            b.0, c.0
        )
    );
    same_as_ip(&["-j", "-n", &a.0, "netns", "list-id"]);
    same_as_ip(&["-j", "-p", "-n", &a.0, "netns", "list-id"]);
    same_as_ip(&["-n", &a.0, "netns", "list-id", "nsid", "16"]);
    // Seen from B through A's id for it: B's ids, with A's ids for the same.
    let text = same_as_ip(&["-n", &a.0, "netns", "list-id", "target-nsid", "7"]);
    assert!(
        text.contains("current-nsid 16 (iproute2 netns name: "),
        "{text}"
    );
    same_as_ip(&["-j", "-n", &a.0, "netns", "list-id", "target-nsid", "7"]);
    same_as_ip(&[
        "-n",
        &a.0,
        "netns",
        "list-id",
        "target-nsid",
        "7",
        "nsid",
        "3",
    ]);

    // Refusals, word for word with their exit codes.
    for args in [
        vec!["netns", "set", &b.0, "7", "extra"],
        vec!["netns", "set", &c.0, "16"],
        vec!["netns", "set", &b.0, "8"],
        vec!["netns", "set", &b.0, "x"],
        vec!["netns", "set", &b.0, "-3"],
        vec!["netns", "set", &b.0, "2147483648"],
        vec!["netns", "set", &b.0],
        vec!["netns", "set"],
        vec!["netns", "list-id", "nsid", "99"],
        vec!["netns", "list-id", "target-nsid", "99"],
        vec!["netns", "list-id", "target-nsid", "x"],
        vec!["netns", "list-id", "target-nsid", "-1"],
        vec!["netns", "list-id", "target-nsid", "-1", "nsid", "3"],
        vec!["netns", "list-id", "nsid"],
        vec!["netns", "list-id", "nsid", "1", "nsid", "2"],
    ] {
        let mut with_n = vec!["-n", a.0.as_str()];
        with_n.extend(args);
        same_as_ip(&with_n);
    }
    let missing = unique_name();
    same_as_ip(&["-n", &a.0, "netns", "set", &missing, "5"]);
}

#[test]
fn pids_identify_and_attach_match_iproute2() {
    require_root_and_ip();
    let a = rawnet_add();
    let sleeper = Sleeper::start_in(&a.0);
    let pid = sleeper.pid();

    let text = same_as_ip(&["netns", "pids", &a.0]);
    assert_eq!(text, format!("{pid}\n"));
    let empty = rawnet_add();
    assert_eq!(same_as_ip(&["netns", "pids", &empty.0]), "");
    assert_eq!(
        same_as_ip(&["netns", "identify", &pid]),
        format!("{}\n", a.0)
    );
    // Under -n, identify names the namespace -n selected.
    assert_eq!(
        same_as_ip(&["-n", &a.0, "netns", "identify"]),
        format!("{}\n", a.0)
    );
    // A namespace without a name: one empty line.
    let anonymous = Sleeper::start(Command::new("unshare").args(["--net", "sleep", "60"]));
    assert_eq!(same_as_ip(&["netns", "identify", &anonymous.pid()]), "\n");
    assert_eq!(
        same_as_ip(&["-n", &empty.0, "netns", "identify"]),
        format!("{}\n", empty.0)
    );

    // attach: a second name for the sleeper's namespace.
    let second = NsGuard(unique_name());
    assert_ok(
        &rawnet(&["netns", "attach", &second.0, &pid]),
        "rawnet netns attach",
    );
    let o = rawnet(&["netns", "exec", &second.0, "ip", "netns", "identify"]);
    assert!(
        [format!("{}\n", a.0), format!("{}\n", second.0)].contains(&stdout(&o)),
        "{}",
        stdout(&o)
    );
    same_as_ip(&["netns", "identify", &pid]);
    assert_eq!(
        same_as_ip(&["netns", "pids", &second.0]),
        format!("{pid}\n")
    );

    let missing = unique_name();
    for args in [
        vec!["netns", "pids"],
        vec!["netns", "pids", &a.0, "x"],
        vec!["netns", "pids", &missing],
        vec!["netns", "identify", "1", "2"],
        vec!["netns", "identify", "abc"],
        vec!["netns", "identify", "999999999"],
        vec!["netns", "attach", &missing],
        vec!["netns", "attach", &missing, "0"],
        vec!["netns", "attach", &missing, "abc"],
        vec!["netns", "attach", &missing, "-5"],
        vec!["netns", "attach", &second.0, &pid],
    ] {
        same_as_ip(&args);
    }
    // A failed attach leaves no file behind.
    let _guard = NsGuard(missing.clone());
    same_as_ip(&["netns", "attach", &missing, "999999999"]);
    assert!(!Path::new("/run/netns").join(&missing).exists());
}

#[test]
fn failures_of_add_delete_exec_and_dash_n_match_iproute2() {
    require_root_and_ip();
    let a = rawnet_add();
    let missing = unique_name();
    for args in [
        vec!["netns", "add", &a.0],
        vec!["netns", "add"],
        vec!["netns", "delete"],
        vec!["netns", "delete", &missing],
        vec!["netns", "exec", &missing, "true"],
        vec!["netns", "exec", &a.0],
        vec!["netns", "exec"],
        vec!["netns", "exec", &a.0, "rn-no-such-command"],
        vec!["netns", "add", "../x"],
        vec!["-n", &missing, "netns", "list"],
        vec!["-n", &missing, "link", "show"],
    ] {
        same_as_ip(&args);
    }
}

/// Runs `script` (sh) with its own mount and network namespaces and a fresh
/// tmpfs on /run/netns, so that `-all` sees only the namespaces the script
/// makes and nothing reaches the host's /run/netns or namespace ids. `$R` is
/// rawnet. Everything the script made goes away with its mount namespace.
fn in_private_run_netns(script: &str) -> Output {
    let tag = format!("rn-netns-{}", std::process::id());
    let wrapper = format!(
        "mount --make-rprivate / && mkdir -p /run/netns && \
         mount -t tmpfs {tag} /run/netns && exec sh -c \"$0\""
    );
    let o = Command::new("unshare")
        .args([
            "--mount",
            "--net",
            "--propagation",
            "private",
            "sh",
            "-c",
            &wrapper,
            script,
        ])
        .env("R", RAWNET)
        .output()
        .expect("run unshare (util-linux)");
    // Nothing leaked: the host has no mount of ours.
    let mounts = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    assert!(
        !mounts.contains(&tag),
        "the private /run/netns leaked to the host"
    );
    o
}

#[test]
fn all_exec_and_all_delete_in_a_private_run_netns() {
    require_root_and_ip();
    let o = in_private_run_netns(
        r#"
        set -u
        ip netns add a && ip netns add b && $R netns add c || exit 90
        for tool in ip "$R"; do
            echo "=== $tool"
            $tool -all netns exec ip netns identify; echo "rc=$?"
            $tool -all netns exec sh -c 'echo hi; exit 3'; echo "rc=$?"
            $tool -all netns exec rn-no-such-command 2>&1; echo "rc=$?"
            $tool -all netns exec 2>&1; echo "rc=$?"
            $tool -all netns exec sh -c 'kill -9 $$'; echo "rc=$?"
        done
        echo "=== delete"
        $R -all netns delete x; echo "rc=$?"
        ls /run/netns; ip netns list
        $R -all netns delete; echo "rc=$?"
        echo "=== not a namespace"
        touch /run/netns/plain
        for tool in ip "$R"; do
            $tool -n plain netns identify 2>&1; echo "rc=$?"
            $tool -n plain link show 2>&1; echo "rc=$?"
            $tool netns exec plain true 2>&1; echo "rc=$?"
        done
        "#,
    );
    let out = stdout(&o);
    assert!(o.status.success(), "{out}\n{}", stderr(&o));
    let (ip_part, rest) = out
        .split_once(&format!("=== {RAWNET}\n"))
        .unwrap_or_else(|| panic!("no rawnet part in {out}"));
    let (ours, rest) = rest.split_once("=== delete\n").expect("delete part");
    let (deleted, plain) = rest.split_once("=== not a namespace\n").expect("last part");
    let theirs = ip_part.strip_prefix("=== ip\n").expect("ip part");
    assert_eq!(ours, theirs, "rawnet (left) and ip (right) differ");
    assert!(ours.starts_with("\nnetns: "), "{ours}");
    assert!(ours.contains("\nnetns: a\na\n"), "{ours}");
    assert!(ours.contains("exec of \"rn-no-such-command\" failed: No such file or directory"));
    assert!(ours.contains("No command specified\nrc=1\n"), "{ours}");
    assert_eq!(deleted, "rc=0\nrc=0\n", "-all delete left names behind");
    // `-n` and `exec` on a file that is not a namespace: ip's words, exit 255.
    let failed = "setting the network namespace \"plain\" failed: Invalid argument\nrc=255\n";
    assert_eq!(plain, failed.repeat(6));
}
