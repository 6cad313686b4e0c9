//! Device kinds against iproute2, each test in namespaces of its own: a device
//! made by `rawnet link add ...` and its twin made by `ip link add ...` with
//! the same words (in a second namespace with the same setup) show the same
//! kind and parameters in `ip -d -j link show`; rawnet's own `-d -j` output of
//! the device equals ip's; bad input fails with iproute2's line and status
//! and leaves nothing behind.
//!
//! Kinds this kernel may lack (dummy, vlan, ipip, gre, ipvlan) are tried, not
//! assumed: when the kernel answers "Unknown device type" the live part prints
//! a SKIPPED line, and the request bytes are still checked against the
//! golden capture (tests/golden/kinds).

mod common;

use std::net::Ipv4Addr;

use common::{assert_fails, TestNs};
use rawnet::netlink::header::NLM_F_ACK;
use rawnet::route::kind::{IpvlanMode, IpvlanParams, TunnelParams, VlanParams};
use rawnet::route::link::LinkKind;
use rawnet::route::link::{add_link_request, LinkSpec};
use serde_json::Value;

/// `ip -n NS -d -j link show dev DEV`, the one object.
fn ip_link(ns: &TestNs, dev: &str) -> Value {
    ns.ip_json(&["-d", "link", "show", "dev", dev])[0].clone()
}

fn link_count(ns: &TestNs) -> usize {
    ns.ip_json(&["link", "show"]).as_array().map_or(0, Vec::len)
}

/// Two namespaces with the same setup (`ip` commands), for a device and its twin.
fn twins(tag: &str, setup: &[&[&str]]) -> (TestNs, TestNs) {
    let a = TestNs::new(tag);
    let b = TestNs::new(tag);
    for cmd in setup {
        a.ip_ok(cmd);
        b.ip_ok(cmd);
    }
    (a, b)
}

/// Keys whose values differ between twins by nature (random MACs in ids).
const VOLATILE: [&str; 2] = ["bridge_id", "root_id"];

fn without_volatile(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        for k in VOLATILE {
            o.remove(k);
        }
    }
    v
}

/// Make `dev` with `rawnet link add WORDS` in one twin and `ip link add WORDS`
/// in the other; both show the same kind and parameters, and rawnet shows its
/// device exactly as ip does. Returns ip's view of rawnet's device.
fn same_as_ip(tag: &str, setup: &[&[&str]], words: &[&str], dev: &str) -> Value {
    let (a, b) = twins(tag, setup);
    let mut add = vec!["link", "add"];
    add.extend_from_slice(words);
    a.rawnet_ok(&add);
    b.ip_ok(&add);
    let ours = ip_link(&a, dev);
    let theirs = ip_link(&b, dev);
    assert_eq!(
        ours["linkinfo"]["info_kind"], theirs["linkinfo"]["info_kind"],
        "{words:?}"
    );
    assert_eq!(
        without_volatile(ours["linkinfo"]["info_data"].clone()),
        without_volatile(theirs["linkinfo"]["info_data"].clone()),
        "{words:?}"
    );
    for key in ["mtu", "link", "link_netnsid", "txqlen"] {
        assert_eq!(ours[key], theirs[key], "{key} of {words:?}");
    }
    // rawnet's -d -j (and -d text) of the device equal ip's, byte for byte.
    let show = ["-d", "link", "show", "dev", dev];
    assert_eq!(a.rawnet_json(&show), a.ip_json(&show), "{words:?}");
    assert_eq!(a.rawnet_ok(&show), a.ip_ok(&show), "{words:?}");
    ours
}

const VETH: &[&str] = &[
    "link", "add", "veth0", "type", "veth", "peer", "name", "veth1",
];

#[test]
fn bridge_with_options() {
    let br = same_as_ip("kb", &[], &["br0", "type", "bridge"], "br0");
    assert_eq!(br["linkinfo"]["info_data"]["stp_state"], 0);
    let br = same_as_ip(
        "kb",
        &[],
        &[
            "br0",
            "type",
            "bridge",
            "stp_state",
            "1",
            "forward_delay",
            "400",
        ],
        "br0",
    );
    assert_eq!(br["linkinfo"]["info_data"]["stp_state"], 1);
    assert_eq!(br["linkinfo"]["info_data"]["forward_delay"], 400);
    let br = same_as_ip(
        "kb",
        &[],
        &["br0", "type", "bridge", "stp_state", "0"],
        "br0",
    );
    assert_eq!(br["linkinfo"]["info_data"]["stp_state"], 0);
    // vlan_filtering needs CONFIG_BRIDGE_VLAN_FILTERING: where ip succeeds,
    // so must rawnet; where the kernel refuses, both fail the same way.
    let (a, b) = twins("kb", &[]);
    let words = [
        "link",
        "add",
        "br0",
        "type",
        "bridge",
        "vlan_filtering",
        "1",
    ];
    let ip = std::process::Command::new("ip")
        .args(["-n", &b.name])
        .args(words)
        .output()
        .unwrap();
    let ours = a.rawnet(&words);
    assert_eq!(ours.status.code(), ip.status.code());
    assert_eq!(ours.stderr, ip.stderr);
    if ip.status.success() {
        assert_eq!(
            ip_link(&a, "br0")["linkinfo"]["info_data"]["vlan_filtering"],
            1
        );
    } else {
        common::skipped(&format!(
            "live part of bridge vlan_filtering: kernel says {}",
            String::from_utf8_lossy(&ip.stderr).trim()
        ));
        assert_eq!(link_count(&a), 1, "nothing created");
    }
}

#[test]
fn master_nomaster_and_show_master() {
    let ns = TestNs::new("km");
    ns.ip_ok(VETH);
    ns.ip_ok(&["link", "add", "br0", "type", "bridge"]);
    ns.rawnet_ok(&["link", "set", "veth1", "master", "br0"]);
    assert_eq!(ip_link(&ns, "veth1")["master"], "br0");
    assert_eq!(
        ip_link(&ns, "veth1")["linkinfo"]["info_slave_kind"],
        "bridge"
    );
    for args in [
        &["link", "show", "master", "br0"][..],
        &["-d", "link", "show", "master", "br0"],
        &["-d", "link", "show", "dev", "veth1"],
    ] {
        assert_eq!(ns.rawnet_ok(args), ns.ip_ok(args), "{args:?}");
        assert_eq!(ns.rawnet_json(args), ns.ip_json(args), "{args:?}");
    }
    let ports = ns.rawnet_json(&["link", "show", "master", "br0"]);
    assert_eq!(ports.as_array().map(Vec::len), Some(1));
    assert_eq!(ports[0]["ifname"], "veth1");
    ns.rawnet_ok(&["link", "set", "veth1", "nomaster"]);
    assert!(ip_link(&ns, "veth1").get("master").is_none());
    assert_eq!(ns.rawnet_ok(&["link", "show", "master", "br0"]), "");
    assert_eq!(
        ns.rawnet_ok(&["-j", "link", "show", "master", "br0"]),
        "[]\n"
    );
    // A master that does not exist: iproute2's line, nothing changed.
    let out = ns.rawnet(&["link", "set", "veth1", "master", "nosuch"]);
    assert_fails(
        &out,
        255,
        "Error: argument \"nosuch\" is wrong: Device does not exist",
    );
    let out = ns.rawnet(&["link", "show", "master", "nosuch"]);
    assert_fails(
        &out,
        255,
        "Error: argument \"nosuch\" is wrong: Device does not exist",
    );
}

#[test]
fn vxlan_with_every_option() {
    let setup: &[&[&str]] = &[VETH];
    let v = same_as_ip("kv", setup, &["vx0", "type", "vxlan", "id", "42"], "vx0");
    assert_eq!(v["linkinfo"]["info_data"]["port"], 8472);
    let v = same_as_ip(
        "kv",
        setup,
        &[
            "vx0",
            "type",
            "vxlan",
            "id",
            "42",
            "remote",
            "192.168.50.2",
            "dev",
            "veth0",
            "dstport",
            "8472",
            "nolearning",
        ],
        "vx0",
    );
    let d = &v["linkinfo"]["info_data"];
    assert_eq!(d["remote"], "192.168.50.2");
    assert_eq!(d["link"], "veth0");
    assert_eq!(d["learning"], false);
    let v = same_as_ip(
        "kv",
        setup,
        &[
            "vx0",
            "type",
            "vxlan",
            "id",
            "16777215",
            "local",
            "10.0.0.1",
            "group",
            "239.1.1.1",
            "dev",
            "veth0",
            "ttl",
            "10",
            "tos",
            "0x10",
            "port",
            "1000",
            "2000",
            "dstport",
            "4789",
            "learning",
        ],
        "vx0",
    );
    let d = &v["linkinfo"]["info_data"];
    assert_eq!(d["id"], 16777215);
    assert_eq!(
        (&d["group"], &d["local"]),
        (&"239.1.1.1".into(), &"10.0.0.1".into())
    );
    assert_eq!((&d["ttl"], &d["tos"]), (&10.into(), &"0x10".into()));
    assert_eq!(d["port_range"]["low"], 1000);
    assert_eq!(d["port_range"]["high"], 2000);
    assert_eq!(d["port"], 4789);
    let v = same_as_ip(
        "kv",
        setup,
        &[
            "vx0", "type", "vxlan", "id", "7", "ttl", "inherit", "tos", "inherit", "dstport", "0",
        ],
        "vx0",
    );
    assert_eq!(v["linkinfo"]["info_data"]["tos"], "0x1");
    same_as_ip(
        "kv",
        setup,
        &[
            "vx0", "type", "vxlan", "id", "8", "ttl", "auto", "dstport", "4789",
        ],
        "vx0",
    );
    same_as_ip(
        "kv",
        setup,
        &[
            "vx0", "type", "vxlan", "id", "9", "local", "fd00::1", "remote", "fd00::2", "dstport",
            "4789",
        ],
        "vx0",
    );
}

#[test]
fn vxlan_without_dstport_warns_as_iproute2() {
    let (a, b) = twins("kw", &[]);
    let words = ["link", "add", "vx0", "type", "vxlan", "id", "42"];
    let ours = a.rawnet(&words);
    let ip = std::process::Command::new("ip")
        .args(["-n", &b.name])
        .args(words)
        .output()
        .unwrap();
    assert!(ours.status.success());
    assert_eq!(ours.stderr, ip.stderr);
}

#[test]
fn macvlan_in_each_mode_and_macvtap() {
    let setup: &[&[&str]] = &[VETH];
    let v = same_as_ip(
        "kmv",
        setup,
        &["mv0", "link", "veth0", "type", "macvlan"],
        "mv0",
    );
    assert_eq!(v["linkinfo"]["info_data"]["mode"], "vepa");
    for mode in ["private", "vepa", "bridge", "passthru", "source"] {
        let v = same_as_ip(
            "kmv",
            setup,
            &["mv0", "link", "veth0", "type", "macvlan", "mode", mode],
            "mv0",
        );
        assert_eq!(v["linkinfo"]["info_data"]["mode"], mode);
        assert_eq!(v["link"], "veth0");
    }
    for mode in [None, Some("bridge"), Some("private")] {
        let mut words = vec!["mt0", "link", "veth0", "type", "macvtap"];
        words.extend(mode.map(|m| ["mode", m]).into_iter().flatten());
        let v = same_as_ip("kmt", setup, &words, "mt0");
        assert_eq!(v["linkinfo"]["info_kind"], "macvtap");
        assert_eq!(v["linkinfo"]["info_data"]["mode"], mode.unwrap_or("vepa"));
    }
}

#[test]
fn created_into_another_namespace_then_renamed() {
    let (a, b) = twins("kn", &[VETH]);
    let (a2, b2) = (TestNs::new("kn"), TestNs::new("kn"));
    a.rawnet_ok(&[
        "link", "add", "mv0", "link", "veth0", "netns", &a2.name, "type", "macvlan", "mode",
        "bridge",
    ]);
    b.ip_ok(&[
        "link", "add", "mv0", "link", "veth0", "netns", &b2.name, "type", "macvlan", "mode",
        "bridge",
    ]);
    a2.rawnet_ok(&["link", "set", "mv0", "name", "eth0"]);
    b2.ip_ok(&["link", "set", "mv0", "name", "eth0"]);
    let ours = ip_link(&a2, "eth0");
    let theirs = ip_link(&b2, "eth0");
    assert_eq!(ours["linkinfo"], theirs["linkinfo"]);
    assert_eq!(ours["linkinfo"]["info_data"]["mode"], "bridge");
    assert!(ours["link_netnsid"].is_number(), "{ours}");
    assert_eq!(ours["link_index"], theirs["link_index"]);
    // The parent stayed behind; the new link is not in the first namespace.
    assert_eq!(link_count(&a), 3);
    // Other kinds go straight in too.
    a.rawnet_ok(&["link", "add", "br9", "netns", &a2.name, "type", "bridge"]);
    a.rawnet_ok(&[
        "link", "add", "vx9", "netns", &a2.name, "type", "vxlan", "id", "9", "dstport", "4789",
    ]);
    assert_eq!(ip_link(&a2, "br9")["linkinfo"]["info_kind"], "bridge");
    assert_eq!(ip_link(&a2, "vx9")["linkinfo"]["info_data"]["id"], 9);
    let show = ["-d", "link", "show"];
    assert_eq!(a2.rawnet_ok(&show), a2.ip_ok(&show));
    assert_eq!(a2.rawnet_json(&show), a2.ip_json(&show));
}

/// The bytes `add_link_request` makes equal iproute2's capture (less the ack
/// flag our connection adds).
fn assert_request(spec: &LinkSpec<'_>, golden: &[u8]) {
    let mut r = add_link_request(spec).unwrap();
    r.add_flags(NLM_F_ACK);
    assert_eq!(
        r.as_bytes(),
        golden,
        "{}",
        String::from_utf8_lossy(spec.name)
    );
}

/// Try the kind live; when the kernel lacks it, say so. `words` follow `link add`.
fn live_or_skip(test: &str, kind: &str, setup: &[&[&str]], words: &[&str], dev: &str) {
    let probe = TestNs::new("kp");
    for cmd in setup {
        probe.ip_ok(cmd);
    }
    let mut add = vec!["link", "add"];
    add.extend_from_slice(words);
    let out = probe.rawnet(&add);
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_fails(&out, 2, "Error: Unknown device type.");
        common::skipped(&format!(
            "live part of {test}: kernel lacks {kind} (\"Unknown device type\")"
        ));
        assert_eq!(link_count(&probe), 1 + 2 * setup.len(), "{stderr}");
        return;
    }
    drop(probe);
    same_as_ip("kl", setup, words, dev);
}

#[test]
fn dummy() {
    assert_request(
        &LinkSpec::new("d0", LinkKind::Dummy),
        include_bytes!("golden/kinds/dummy.bin"),
    );
    live_or_skip("dummy", "dummy", &[], &["d0", "type", "dummy"], "d0");
}

#[test]
fn vlan() {
    let mut spec = LinkSpec::new("v10", LinkKind::Vlan(VlanParams { id: 10 }));
    spec.parent = Some(3);
    assert_request(&spec, include_bytes!("golden/kinds/vlan.bin"));
    live_or_skip(
        "vlan",
        "vlan",
        &[VETH],
        &["link", "veth0", "name", "v10", "type", "vlan", "id", "10"],
        "v10",
    );
}

fn tunnel(ttl: u8, link: u32) -> TunnelParams {
    TunnelParams {
        local: Some(Ipv4Addr::new(10, 0, 0, 1)),
        remote: Some(Ipv4Addr::new(10, 0, 0, 2)),
        ttl,
        link,
    }
}

#[test]
fn ipip() {
    assert_request(
        &LinkSpec::new("tun0", LinkKind::Ipip(tunnel(0, 0))),
        include_bytes!("golden/kinds/ipip.bin"),
    );
    assert_request(
        &LinkSpec::new("tun1", LinkKind::Ipip(tunnel(64, 3))),
        include_bytes!("golden/kinds/ipip-ttl-dev.bin"),
    );
    live_or_skip(
        "ipip",
        "ipip",
        &[VETH],
        &[
            "tun1", "type", "ipip", "local", "10.0.0.1", "remote", "10.0.0.2", "ttl", "64", "dev",
            "veth0",
        ],
        "tun1",
    );
}

#[test]
fn gre() {
    assert_request(
        &LinkSpec::new("gre0x", LinkKind::Gre(tunnel(0, 0))),
        include_bytes!("golden/kinds/gre.bin"),
    );
    assert_request(
        &LinkSpec::new("gre1x", LinkKind::Gre(tunnel(64, 3))),
        include_bytes!("golden/kinds/gre-ttl-dev.bin"),
    );
    live_or_skip(
        "gre",
        "gre",
        &[VETH],
        &[
            "gre1x", "type", "gre", "local", "10.0.0.1", "remote", "10.0.0.2", "ttl", "64", "dev",
            "veth0",
        ],
        "gre1x",
    );
}

#[test]
fn ipvlan() {
    let mut spec = LinkSpec::new(
        "iv2",
        LinkKind::Ipvlan(IpvlanParams {
            mode: Some(IpvlanMode::L3),
            flag: None,
        }),
    );
    spec.parent = Some(3);
    assert_request(&spec, include_bytes!("golden/kinds/ipvlan-l3.bin"));
    live_or_skip(
        "ipvlan",
        "ipvlan",
        &[VETH],
        &["iv2", "link", "veth0", "type", "ipvlan", "mode", "l3"],
        "iv2",
    );
}

/// A bad command fails with iproute2's line and status, and creates nothing.
fn fails_as_ip(words: &[&str]) {
    let (a, b) = twins("ke", &[VETH]);
    let ours = a.rawnet(words);
    let ip = std::process::Command::new("ip")
        .args(["-n", &b.name])
        .args(words)
        .output()
        .unwrap();
    assert!(!ip.status.success(), "ip accepted {words:?}");
    let ip_line = String::from_utf8_lossy(&ip.stderr);
    let ip_line = ip_line.trim_end();
    assert_fails(&ours, ip.status.code().unwrap(), ip_line);
    assert_eq!(link_count(&a), 3, "{words:?} created something");
}

#[test]
fn bad_input_fails_cleanly() {
    // The kernel's answer for a kind it does not know.
    fails_as_ip(&["link", "add", "f0", "type", "frob"]);
    // A VNI over 2^24 - 1: iproute2's invarg, nothing sent.
    fails_as_ip(&["link", "add", "vx0", "type", "vxlan", "id", "16777216"]);
    // macvlan without a parent: the kernel's EINVAL.
    fails_as_ip(&["link", "add", "mv0", "type", "macvlan", "mode", "bridge"]);
    // A parent that does not exist.
    fails_as_ip(&["link", "add", "mv0", "link", "nosuch", "type", "macvlan"]);
    // Unknown modes.
    fails_as_ip(&[
        "link", "add", "mv0", "link", "veth0", "type", "macvlan", "mode", "frob",
    ]);
    fails_as_ip(&[
        "link", "add", "mt0", "link", "veth0", "type", "macvtap", "mode", "frob",
    ]);
    fails_as_ip(&[
        "link", "add", "iv0", "link", "veth0", "type", "ipvlan", "mode", "frob",
    ]);
    // vxlan's own refusals.
    fails_as_ip(&["link", "add", "vx0", "type", "vxlan", "dstport", "0"]);
    fails_as_ip(&[
        "link",
        "add",
        "vx0",
        "type",
        "vxlan",
        "id",
        "1",
        "group",
        "239.1.1.1",
        "dstport",
        "0",
    ]);
    fails_as_ip(&[
        "link", "add", "vx0", "type", "vxlan", "id", "1", "dev", "nosuch", "dstport", "0",
    ]);
    fails_as_ip(&["link", "add", "br0", "type", "bridge", "stp_state", "x"]);
}
