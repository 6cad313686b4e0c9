//! `rawnet features` against iproute2: every answer is checked by asking `ip`
//! to create the same kind (with the same minimal parameters) in a namespace
//! of the test's own. Nothing is hard-coded about this kernel: a kind is
//! "yes" exactly when `ip` can make it, "no" exactly when `ip` is told
//! "Unknown device type".

mod common;

use std::process::Command;

use common::{assert_success, rawnet, TestNs};
use serde_json::Value;

/// `ip -n NS ...`, its success and stderr.
fn ip_try(ns: &TestNs, args: &[&str]) -> (bool, String) {
    let out = Command::new("ip")
        .args(["-n", &ns.name])
        .args(args)
        .output()
        .expect("run ip");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Ask iproute2 to make a device of `kind` (device number `i`) in `ns`.
fn ip_creates(ns: &TestNs, kind: &str, i: usize) -> (bool, String) {
    let name = format!("x{i}");
    let parent = format!("p{i}");
    let on_parent = |ns: &TestNs, extra: &[&str]| {
        let (ok, err) = ip_try(ns, &["link", "add", &parent, "type", "veth"]);
        assert!(ok, "veth parent: {err}");
        let mut args = vec!["link", "add", name.as_str(), "link", parent.as_str()];
        args.extend_from_slice(&["type", kind]);
        args.extend_from_slice(extra);
        ip_try(ns, &args)
    };
    match kind {
        "tun" | "tap" => ip_try(ns, &["tuntap", "add", "dev", &name, "mode", kind]),
        "macvlan" | "macvtap" | "ipvlan" | "ipvtap" => on_parent(ns, &[]),
        "vlan" => on_parent(ns, &["id", "42"]),
        "vxlan" => ip_try(
            ns,
            &[
                "link", "add", &name, "type", kind, "id", "42", "dstport", "4789",
            ],
        ),
        "geneve" => ip_try(
            ns,
            &[
                "link",
                "add",
                &name,
                "type",
                kind,
                "id",
                "42",
                "remote",
                "192.0.2.1",
            ],
        ),
        "vrf" => ip_try(ns, &["link", "add", &name, "type", kind, "table", "42"]),
        _ => ip_try(ns, &["link", "add", &name, "type", kind]),
    }
}

fn answers() -> Vec<Value> {
    let out = rawnet(&["-j", "features"]);
    assert_success(&out, "rawnet -j features");
    let v: Value = serde_json::from_slice(&out.stdout).expect("rawnet -j features prints JSON");
    v.as_array().cloned().expect("an array")
}

#[test]
fn every_answer_agrees_with_iproute2() {
    let answers = answers();
    assert!(answers.len() >= 12, "{answers:?}");
    let ns = TestNs::new("ft");
    let mut summary = Vec::new();
    for (i, a) in answers.iter().enumerate() {
        let kind = a["kind"].as_str().expect("kind");
        let supported = a["supported"].as_bool();
        let (ip_ok, ip_err) = ip_creates(&ns, kind, i);
        match supported {
            Some(true) => assert!(ip_ok, "rawnet says {kind} works, ip says: {ip_err}"),
            Some(false) => {
                assert!(!ip_ok, "rawnet says {kind} is unsupported, ip made one");
                assert!(
                    ip_err.contains("Unknown device type"),
                    "{kind}: ip failed otherwise: {ip_err}"
                );
                assert_eq!(a["reason"], "Unknown device type", "{a}");
            }
            None => panic!("as root every probe should tell: {a}"),
        }
        summary.push(format!("{kind}={}", if ip_ok { "yes" } else { "no" }));
    }
    eprintln!("features here: {}", summary.join(" "));
}

#[test]
fn text_and_json_say_the_same() {
    let out = rawnet(&["features"]);
    assert_success(&out, "rawnet features");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let answers = answers();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), answers.len(), "{text}");
    for (line, a) in lines.iter().zip(&answers) {
        let mut words = line.split_whitespace();
        assert_eq!(words.next(), a["kind"].as_str(), "{line}");
        let want = match a["supported"].as_bool() {
            Some(true) => "yes",
            Some(false) => "no",
            None => "unknown",
        };
        assert_eq!(words.next(), Some(want), "{line}");
        match a["reason"].as_str() {
            Some(r) => assert!(line.ends_with(&format!("({r})")), "{line}"),
            None => assert_eq!(words.next(), None, "{line}"),
        }
    }
}

#[test]
fn probes_leave_nothing_in_the_callers_namespace() {
    let ns = TestNs::new("fn");
    let before = ns.ip_json(&["link", "show"]);
    let out = ns.rawnet(&["features"]);
    assert_success(&out, "rawnet -n NS features");
    assert_eq!(ns.ip_json(&["link", "show"]), before);
    common::assert_fails(
        &rawnet(&["features", "frob"]),
        255,
        "Command \"frob\" is unknown",
    );
}

#[test]
fn unprivileged_probes_agree_for_rtnetlink_kinds() {
    if Command::new("setpriv").arg("--version").output().is_err() {
        common::skipped("unprivileged_probes_agree_for_rtnetlink_kinds: no setpriv");
        return;
    }
    let max = std::fs::read_to_string("/proc/sys/user/max_user_namespaces").unwrap_or_default();
    if max.trim() == "0" {
        common::skipped("unprivileged_probes_agree_for_rtnetlink_kinds: no user namespaces");
        return;
    }
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .args([env!("CARGO_BIN_EXE_rawnet"), "-j", "features"])
        .output()
        .expect("run setpriv");
    assert_success(&out, "rawnet -j features as uid 65534");
    let theirs: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    for (root, user) in answers().iter().zip(theirs.as_array().expect("array")) {
        assert_eq!(root["kind"], user["kind"]);
        if matches!(root["kind"].as_str(), Some("tun" | "tap")) {
            // /dev/net/tun may be closed to other users (mode 0600): then
            // the probe cannot tell, and says why.
            if user["supported"].is_null() {
                assert!(
                    user["reason"]
                        .as_str()
                        .unwrap_or("")
                        .contains("/dev/net/tun"),
                    "{user}"
                );
                continue;
            }
        }
        assert_eq!(root["supported"], user["supported"], "{root} vs {user}");
    }
}
