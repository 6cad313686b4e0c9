//! `rawnet lab tun`: a tun device whose other end is rawnet, answering pings
//! from user space; as root, as an unprivileged user, and that it leaves
//! nothing behind.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output, Stdio};

use common::{assert_success, rawnet};

/// Names in /run/netns that a lab run with process id `pid` would have made.
fn lab_namespaces(pid: u32) -> Vec<String> {
    let suffix = format!("-lab{pid}");
    std::fs::read_dir("/run/netns")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(&suffix))
                .collect()
        })
        .unwrap_or_default()
}

fn root_links() -> String {
    common::ip_ok(&["-o", "link", "show"])
        .lines()
        .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn assert_tun_lab_output(stdout: &str) {
    for expected in [
        "ioctl(TUNSETIFF, \"tun0\", IFF_TUN|IFF_NO_PI)",
        "route add 10.9.0.0/24 dev tun0",
        "1 packets transmitted, 0 received, 100% packet loss",
        "read and dropped 1 echo request(s)",
        "3 packets transmitted, 3 received, 0% packet loss",
        "answered 3 echo requests from user space",
        "Cannot find device \"tun0\"",
        "All 12 steps went as expected",
    ] {
        assert!(
            stdout.contains(expected),
            "want {expected:?} in the lab's output:\n{stdout}"
        );
    }
    assert!(!stdout.contains("!! not what the lab expected"), "{stdout}");
}

/// Run `rawnet lab tun` (through `wrapper` when given); the output and the
/// lab's process id when it is rawnet itself.
fn run_lab(wrapper: &[&str]) -> (Output, Option<u32>) {
    let mut cmd = match wrapper.split_first() {
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest).arg(env!("CARGO_BIN_EXE_rawnet"));
            c
        }
        None => Command::new(env!("CARGO_BIN_EXE_rawnet")),
    };
    let child = cmd
        .args(["lab", "tun"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start rawnet lab tun");
    let pid = wrapper.is_empty().then_some(child.id());
    (child.wait_with_output().expect("wait for the lab"), pid)
}

#[test]
fn tun_lab_runs_as_root_and_cleans_up() {
    let links_before = root_links();
    let (out, pid) = run_lab(&[]);
    assert_success(&out, "rawnet lab tun");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_tun_lab_output(&stdout);
    let pid = pid.expect("pid");
    assert!(
        stdout.contains(&format!("rawnet netns add tun-lab{pid}")),
        "{stdout}"
    );
    assert_eq!(lab_namespaces(pid), Vec::<String>::new(), "left behind");
    assert_eq!(
        root_links(),
        links_before,
        "the lab changed the root namespace"
    );
}

#[test]
fn tun_lab_is_listed() {
    let out = rawnet(&["lab", "list"]);
    assert_success(&out, "rawnet lab list");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().any(|l| l.starts_with("tun ")), "{text}");
}

/// Why an unprivileged lab cannot be tried here, if it cannot.
fn unprivileged_userns_allowed() -> Result<(), String> {
    let max = std::fs::read_to_string("/proc/sys/user/max_user_namespaces").unwrap_or_default();
    if max.trim() == "0" {
        return Err("user.max_user_namespaces is 0".into());
    }
    if let Ok(v) = std::fs::read_to_string("/proc/sys/kernel/unprivileged_userns_clone") {
        if v.trim() == "0" {
            return Err("kernel.unprivileged_userns_clone is 0".into());
        }
    }
    if Command::new("setpriv").arg("--version").output().is_err() {
        return Err("setpriv (util-linux) is not installed".into());
    }
    Ok(())
}

const NOBODY: [&str; 4] = ["--reuid=65534", "--regid=65534", "--clear-groups", "--"];

#[test]
fn tun_lab_runs_unprivileged() {
    if let Err(why) = unprivileged_userns_allowed() {
        common::skipped(&format!("tun_lab_runs_unprivileged: {why}"));
        return;
    }
    let links_before = root_links();
    let mode = std::fs::metadata("/dev/net/tun")
        .map(|m| m.permissions().mode())
        .unwrap_or(0);
    let mut setpriv = vec!["setpriv"];
    setpriv.extend_from_slice(&NOBODY);
    let (out, _) = run_lab(&setpriv);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if mode & 0o006 == 0o006 {
        assert_success(&out, "rawnet lab tun as uid 65534");
        assert!(stdout.contains("Not root: the lab runs in a private user namespace"));
        assert_tun_lab_output(&stdout);
        assert_eq!(root_links(), links_before);
        return;
    }
    // Other users may not open /dev/net/tun here: the lab says so and runs nothing.
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("cannot open /dev/net/tun: Permission denied"),
        "{stdout}"
    );
    // Then try with a node others may open, in a private mount namespace of
    // this test only: a fresh tmpfs over /dev/net holds a new tun node (the
    // host's /dev/net/tun is not touched, and nothing else is hidden: the
    // binary under test may live anywhere, /tmp included).
    let script = format!(
        "set -e; mount -t tmpfs tmpfs /dev/net; mknod -m 666 /dev/net/tun c 10 200; \
         exec setpriv {} \"$0\" lab tun",
        NOBODY.join(" ")
    );
    let out = Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c", &script])
        .arg(env!("CARGO_BIN_EXE_rawnet"))
        .output()
        .expect("run unshare");
    assert_success(
        &out,
        "rawnet lab tun as uid 65534 with an open /dev/net/tun",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Not root: the lab runs in a private user namespace"));
    assert_tun_lab_output(&stdout);
    assert_eq!(root_links(), links_before);
}
