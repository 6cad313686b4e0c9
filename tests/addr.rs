//! `rawnet address` against iproute2, inside namespaces made by `TestNs`.
//!
//! rawnet runs under `ip netns exec NS` rather than with `-n NS`, so these
//! tests stay inside their namespace whatever state the `ns` module is in.
//! Each test sets up a veth pair with IPv6 DAD off (no `tentative` flicker),
//! then compares rawnet's output and effects with `ip`'s.

mod common;

use std::process::Command;
use std::time::Duration;

use common::{assert_fails, TestNs};
use serde_json::Value;

/// A namespace with lo up and veth0/veth1 up, IPv6 DAD off.
fn veth_ns(tag: &str) -> TestNs {
    let ns = TestNs::new(tag);
    for conf in ["all", "default"] {
        let path = format!("/proc/sys/net/ipv6/conf/{conf}/accept_dad");
        let out = Command::new("ip")
            .args([
                "netns",
                "exec",
                &ns.name,
                "sh",
                "-c",
                &format!("echo 0 > {path}"),
            ])
            .output()
            .expect("sysctl");
        common::assert_success(&out, "disable DAD");
    }
    ns.ip_ok(&["link", "set", "lo", "up"]);
    ns.ip_ok(&[
        "link", "add", "veth0", "type", "veth", "peer", "name", "veth1",
    ]);
    ns.ip_ok(&["link", "set", "veth0", "up"]);
    ns.ip_ok(&["link", "set", "veth1", "up"]);
    wait_up(&ns, "veth0");
    ns
}

/// Wait (bounded) until the link reports operstate UP, so outputs compare stably.
fn wait_up(ns: &TestNs, dev: &str) {
    for _ in 0..100 {
        let v = ns.ip_json(&["link", "show", "dev", dev]);
        if v[0]["operstate"] == "UP" {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{dev} did not come up");
}

fn addr_info(ns: &TestNs, dev: &str) -> Vec<Value> {
    let v = ns.ip_json(&["addr", "show", "dev", dev]);
    v[0]["addr_info"].as_array().cloned().unwrap_or_default()
}

fn find<'a>(infos: &'a [Value], local: &str) -> Option<&'a Value> {
    infos.iter().find(|a| a["local"] == local)
}

#[test]
fn added_addresses_show_in_ip() {
    let ns = veth_ns("aa");
    ns.exec_rawnet_ok(&["addr", "add", "10.0.1.100/24", "dev", "veth0"]);
    ns.exec_rawnet_ok(&["address", "add", "fd00::1/64", "dev", "veth0", "nodad"]);
    ns.exec_rawnet_ok(&[
        "a",
        "a",
        "10.0.3.1/24",
        "dev",
        "veth0",
        "broadcast",
        "+",
        "label",
        "veth0:x",
        "scope",
        "link",
    ]);
    let infos = addr_info(&ns, "veth0");
    let v4 = find(&infos, "10.0.1.100").expect("10.0.1.100 in ip -j addr");
    assert_eq!(
        (
            v4["family"].as_str(),
            v4["prefixlen"].as_u64(),
            v4["scope"].as_str()
        ),
        (Some("inet"), Some(24), Some("global"))
    );
    let v6 = find(&infos, "fd00::1").expect("fd00::1 in ip -j addr");
    assert_eq!(
        (v6["family"].as_str(), v6["prefixlen"].as_u64()),
        (Some("inet6"), Some(64))
    );
    assert_eq!(v6["nodad"], true);
    let b = find(&infos, "10.0.3.1").expect("10.0.3.1");
    assert_eq!(
        (
            b["broadcast"].as_str(),
            b["label"].as_str(),
            b["scope"].as_str()
        ),
        (Some("10.0.3.255"), Some("veth0:x"), Some("link"))
    );
}

#[test]
fn ip_addresses_show_in_rawnet_exactly_as_ip_prints_them() {
    let ns = veth_ns("as");
    ns.ip_ok(&[
        "addr",
        "add",
        "10.0.2.1/24",
        "dev",
        "veth0",
        "broadcast",
        "+",
        "label",
        "veth0:a",
    ]);
    ns.ip_ok(&["addr", "add", "10.0.2.2/24", "dev", "veth0"]);
    ns.ip_ok(&["addr", "add", "fd00:1::5/64", "dev", "veth0", "nodad"]);
    ns.ip_ok(&[
        "addr",
        "add",
        "192.168.7.1/32",
        "dev",
        "veth1",
        "scope",
        "host",
    ]);
    // The per-field check the brief asks for...
    let ours = ns.exec_rawnet_json(&["addr", "show", "dev", "veth0"]);
    let ours = ours[0]["addr_info"].as_array().cloned().unwrap_or_default();
    for want in addr_info(&ns, "veth0") {
        let got = find(&ours, want["local"].as_str().unwrap())
            .unwrap_or_else(|| panic!("{want} missing"));
        for key in [
            "family",
            "local",
            "prefixlen",
            "scope",
            "broadcast",
            "label",
            "valid_life_time",
        ] {
            assert_eq!(got[key], want[key], "{key} of {}", want["local"]);
        }
    }
    // ...and the whole output, JSON and text, for every link and filter.
    for args in [
        &["addr", "show"][..],
        &["addr"],
        &["addr", "show", "dev", "veth0"],
        &["addr", "list", "veth1"],
        &["-4", "addr", "show"],
        &["-6", "addr", "show"],
    ] {
        common::assert_same_output(&ns, "ip", args);
    }
}

#[test]
fn delete_and_flush() {
    let ns = veth_ns("ad");
    ns.ip_ok(&["addr", "add", "10.0.1.100/24", "dev", "veth0"]);
    ns.ip_ok(&["addr", "add", "fd00::1/64", "dev", "veth0", "nodad"]);
    ns.exec_rawnet_ok(&["addr", "del", "10.0.1.100/24", "dev", "veth0"]);
    ns.exec_rawnet_ok(&["a", "d", "fd00::1/64", "dev", "veth0"]);
    let infos = addr_info(&ns, "veth0");
    assert!(
        find(&infos, "10.0.1.100").is_none() && find(&infos, "fd00::1").is_none(),
        "{infos:?}"
    );

    for a in ["10.0.5.1/24", "10.0.5.2/24", "10.0.6.1/16"] {
        ns.ip_ok(&["addr", "add", a, "dev", "veth0"]);
    }
    ns.ip_ok(&["addr", "add", "fd00:5::1/64", "dev", "veth0", "nodad"]);
    ns.ip_ok(&["addr", "add", "10.0.9.1/24", "dev", "veth1"]);
    ns.exec_rawnet_ok(&["-4", "addr", "flush", "dev", "veth0"]);
    let infos = addr_info(&ns, "veth0");
    assert!(
        infos.iter().all(|a| a["family"] == "inet6"),
        "only IPv6 left: {infos:?}"
    );
    assert!(find(&infos, "fd00:5::1").is_some());
    ns.exec_rawnet_ok(&["addr", "flush", "veth0"]);
    assert_eq!(addr_info(&ns, "veth0"), Vec::<Value>::new());
    assert!(
        find(&addr_info(&ns, "veth1"), "10.0.9.1").is_some(),
        "flush stays on its link"
    );
}

#[test]
fn bad_input_fails_like_ip_and_adds_nothing() {
    let ns = veth_ns("ab");
    ns.ip_ok(&["addr", "add", "10.0.1.100/24", "dev", "veth0"]);
    let before = ns.ip_json(&["addr", "show"]);
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["addr", "add", "10.0.0.300/24", "dev", "veth0"],
            1,
            "Error: any valid prefix is expected rather than \"10.0.0.300/24\".",
        ),
        (
            &["addr", "add", "10.0.0.3/33", "dev", "veth0"],
            1,
            "Error: any valid prefix is expected rather than \"10.0.0.3/33\".",
        ),
        (
            &["addr", "add", "10.0.0.3/24", "dev", "nosuch"],
            1,
            "Cannot find device \"nosuch\"",
        ),
        (
            &["addr", "add", "10.0.0.3/24"],
            1,
            "Not enough information: \"dev\" argument is required.",
        ),
        (
            &["addr", "add", "10.0.1.100/24", "dev", "veth0"],
            2,
            "Error: ipv4: Address already assigned.",
        ),
        (
            &["addr", "del", "10.0.9.9/24", "dev", "veth0"],
            2,
            "Error: ipv4: Address not found.",
        ),
        (
            &["addr", "add", "10.0.8.1/24", "dev", "veth0", "scope", "foo"],
            255,
            "Error: argument \"foo\" is wrong: invalid scope value.",
        ),
        (
            &["addr", "show", "dev", "nosuch"],
            1,
            "Device \"nosuch\" does not exist.",
        ),
        (&["addr", "flush"], 1, "Flush requires arguments."),
        (
            &["addr", "frob"],
            255,
            "Command \"frob\" is unknown, try \"rawnet address help\".",
        ),
    ];
    for (args, code, line) in cases {
        let out = ns.exec_rawnet(args);
        assert_fails(&out, *code, line);
        assert_eq!(
            String::from_utf8_lossy(&out.stderr).trim_end(),
            *line,
            "rawnet {}",
            args.join(" ")
        );
    }
    assert_eq!(ns.ip_json(&["addr", "show"]), before, "nothing changed");
}

/// What the differential driver (tests/diff) found rawnet doing unlike `ip`
/// 6.1: `-f`/`-family`, `-0` (links alone), incomplete lines.
#[test]
fn family_options_and_incomplete_lines_as_ip() {
    let ns = veth_ns("ax");
    ns.ip_ok(&common::argv("addr add 10.0.0.1/24 dev veth0"));
    ns.ip_ok(&common::argv("addr add 2001:db8::1/64 dev veth0 nodad"));
    for line in [
        "-f inet addr",
        "-f inet6 addr show dev veth0",
        "-family inet addr show",
        "-f bogus addr",
        "-0 addr",
        "-0 addr show dev veth0",
        "-0 -j addr",
        "-fam link addr",
        "-0 addr flush dev veth0",
        "-0 addr add 10.50.0.1/24 dev veth0",
        "addr show dev",
        "addr show to",
        "addr add 10.22.0.1/24 dev",
    ] {
        common::assert_same_as_ip(&ns, &common::argv(line));
    }
}
