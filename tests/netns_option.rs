//! The global `-n NAME` option: the command joins the namespace on its main
//! thread before it runs, as `ip -n` does, so a short command opens its
//! sockets there without a thread per socket, and a namespace file that
//! cannot be joined fails as it fails `ip -n`.

mod common;

use std::process::Command;

use common::{assert_success, skipped, TestNs};

/// A regular file under /run/netns with a unique name, removed on drop.
struct NotANamespace {
    name: String,
}

impl NotANamespace {
    /// `_beside` makes sure /run/netns exists (`ip netns add` made it).
    fn new(_beside: &TestNs) -> NotANamespace {
        let name = common::unique_name("nf");
        std::fs::write(format!("/run/netns/{name}"), b"").expect("create a plain file");
        NotANamespace { name }
    }
}

impl Drop for NotANamespace {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(format!("/run/netns/{}", self.name));
    }
}

#[test]
fn a_file_that_is_not_a_namespace_fails_as_with_ip() {
    let ns = TestNs::new("nq");
    let file = NotANamespace::new(&ns);
    let line = format!(
        "setting the network namespace \"{}\" failed: Invalid argument",
        file.name
    );
    for object in [&["link", "show"][..], &["addr", "show"], &["route", "show"]] {
        let mut args = vec!["-n", file.name.as_str()];
        args.extend_from_slice(object);
        let ours = common::rawnet(&args);
        common::assert_fails(&ours, 255, &line);
        let theirs = Command::new("ip").args(&args).output().expect("run ip");
        assert_eq!(theirs.status.code(), Some(255), "ip {}", args.join(" "));
        assert_eq!(
            String::from_utf8_lossy(&theirs.stderr).trim_end(),
            line,
            "ip {}",
            args.join(" ")
        );
    }
}

#[test]
fn one_namespace_takes_one_setns_and_no_thread() {
    if Command::new("strace").arg("-V").output().is_err() {
        skipped("strace is not installed: the system calls of `-n` go unchecked");
        return;
    }
    let ns = TestNs::with_idle_veth("nt");
    for args in [&["link", "show"][..], &["addr", "show"], &["route", "show"]] {
        let out = Command::new("strace")
            .args(["-f", "-qq", "-e", "trace=clone,clone3,setns", "--"])
            .arg(env!("CARGO_BIN_EXE_rawnet"))
            .args(["-n", &ns.name])
            .args(args)
            .output()
            .expect("run strace");
        assert_success(&out, &format!("strace rawnet -n NS {}", args.join(" ")));
        let trace = String::from_utf8_lossy(&out.stderr);
        // Lines of other threads start with "[pid N] ".
        let calls = |name: &str| trace.lines().filter(|l| l.contains(name)).count();
        assert_eq!(calls("setns("), 1, "{trace}");
        assert_eq!(calls("clone(") + calls("clone3("), 0, "{trace}");
    }
}

#[test]
fn commands_with_two_namespaces_still_see_both() {
    let a = TestNs::with_idle_veth("na");
    let b = TestNs::new("nb");
    a.rawnet_ok(&["link", "set", "veth1", "netns", &b.name]);
    let here = a.rawnet_ok(&["link", "show"]);
    let there = b.rawnet_ok(&["link", "show", "veth1"]);
    assert!(!here.contains("veth1"), "{here}");
    assert!(there.contains("veth1"), "{there}");
}
