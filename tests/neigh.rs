//! `rawnet neigh` against iproute2's `ip neigh`, inside namespaces made by
//! `TestNs`: entries rawnet makes must look right in `ip -j neigh show`,
//! entries `ip` makes must print identically (JSON and text) from rawnet,
//! and bad input fails with one line and changes nothing.
//!
//! The namespaces hold a veth pair with the peer left down: veth0 has no
//! carrier, so no traffic makes the kernel add or age entries by itself.

mod common;

use common::{argv, assert_fails, assert_fails_as_iproute2, assert_same_output, TestNs};
use serde_json::Value;

fn find<'a>(entries: &'a Value, dst: &str) -> Option<&'a Value> {
    entries.as_array()?.iter().find(|e| e["dst"] == dst)
}

#[test]
fn added_neighbours_show_in_ip() {
    let ns = TestNs::with_idle_veth("na");
    for line in [
        "neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev veth0 nud permanent",
        // No nud: permanent, as iproute2; abbreviated words as iproute2 takes them.
        "n a fd00::2 l 02:00:00:00:00:02 dev veth0",
        "neighbor add 10.0.0.3 lladdr 02:00:00:00:00:03 dev veth0 nud stale router",
        "neighbour add proxy 10.0.0.9 dev veth0",
        "-6 neigh add proxy fd00::9 dev veth0",
    ] {
        ns.rawnet_ok(&argv(line));
    }

    let shown = ns.ip_json(&["neigh", "show"]);
    let v4 = find(&shown, "10.0.0.2").expect("10.0.0.2 in ip neigh show");
    assert_eq!(v4["dev"], "veth0");
    assert_eq!(v4["lladdr"], "02:00:00:00:00:02");
    assert_eq!(v4["state"], serde_json::json!(["PERMANENT"]));
    let v6 = find(&shown, "fd00::2").expect("fd00::2 in ip neigh show");
    assert_eq!(v6["lladdr"], "02:00:00:00:00:02");
    assert_eq!(v6["state"], serde_json::json!(["PERMANENT"]));
    let router = find(&shown, "10.0.0.3").expect("10.0.0.3 in ip neigh show");
    assert_eq!(router["state"], serde_json::json!(["STALE"]));
    assert!(router.get("router").is_some_and(Value::is_null));
    assert!(
        find(&shown, "10.0.0.9").is_none(),
        "proxies are listed apart"
    );

    let proxies = ns.ip_json(&["neigh", "show", "proxy"]);
    for dst in ["10.0.0.9", "fd00::9"] {
        let p = find(&proxies, dst).unwrap_or_else(|| panic!("{dst} in ip neigh show proxy"));
        assert_eq!(p["dev"], "veth0");
        assert!(p.get("proxy").is_some_and(Value::is_null));
    }
    assert_eq!(proxies.as_array().map(Vec::len), Some(2));
}

#[test]
fn ip_made_neighbours_show_identically() {
    let ns = TestNs::with_idle_veth("ns");
    ns.ip_ok(&argv("link add veth2 type veth peer name veth3"));
    ns.ip_ok(&["link", "set", "veth2", "up"]);
    for line in [
        "neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev veth0",
        "neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev veth2 nud stale router",
        "neigh add 10.0.0.4 lladdr 02:00:00:00:00:04 dev veth0 nud noarp",
        "neigh add 10.1.0.7 lladdr 02:00:00:00:00:07 dev veth2 protocol static",
        "-6 neigh add fd00::2 lladdr 02:00:00:00:00:02 dev veth0",
        "-6 neigh add fd00::3 lladdr 02:00:00:00:00:03 dev veth2 router nud stale",
        "neigh add proxy 10.0.0.9 dev veth0",
        "-6 neigh add proxy fd00::9 dev veth2",
    ] {
        ns.ip_ok(&argv(line));
    }
    for line in [
        "neigh show",
        "neigh",
        "neigh show proxy",
        "neigh show dev veth0",
        "neigh show dev veth2 proxy",
        "-4 neigh show",
        "-6 neigh show",
        "neigh show to 10.0.0.0/30",
        "neigh show nud stale nud perm",
        "neigh show protocol static",
        "neigh list nud none",
    ] {
        assert_same_output(&ns, "ip", &argv(line));
    }
    let get = argv("neigh get 10.0.0.3 dev veth2");
    assert_eq!(ns.rawnet_ok(&get), ns.ip_ok(&get));
}

#[test]
fn replace_change_and_delete() {
    let ns = TestNs::with_idle_veth("nr");
    let add = argv("neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev veth0");
    ns.rawnet_ok(&add);
    // A second add of the same entry: the kernel's EEXIST, exit 2.
    assert_fails(&ns.rawnet(&add), 2, "RTNETLINK answers: File exists");

    ns.rawnet_ok(&argv(
        "neigh replace 10.0.0.2 lladdr 02:00:00:00:00:22 dev veth0 nud stale",
    ));
    let e = ns.ip_json(&["neigh", "show", "10.0.0.2"]);
    assert_eq!(e[0]["lladdr"], "02:00:00:00:00:22");
    assert_eq!(e[0]["state"], serde_json::json!(["STALE"]));

    // replace creates, change does not.
    ns.rawnet_ok(&argv(
        "neigh replace 10.0.0.5 lladdr 02:00:00:00:00:05 dev veth0",
    ));
    assert!(find(&ns.ip_json(&["neigh", "show"]), "10.0.0.5").is_some());
    assert_fails(
        &ns.rawnet(&argv(
            "neigh change 10.0.0.6 lladdr 02:00:00:00:00:06 dev veth0",
        )),
        2,
        "RTNETLINK answers: No such file or directory",
    );
    ns.rawnet_ok(&argv(
        "neigh chg 10.0.0.5 lladdr 02:00:00:00:00:55 dev veth0",
    ));
    let e = ns.ip_json(&["neigh", "show", "10.0.0.5"]);
    assert_eq!(e[0]["lladdr"], "02:00:00:00:00:55");

    ns.rawnet_ok(&["neigh", "del", "10.0.0.2", "dev", "veth0"]);
    ns.rawnet_ok(&["neigh", "d", "10.0.0.5", "dev", "veth0"]);
    assert_eq!(ns.ip_json(&["neigh", "show"]), serde_json::json!([]));

    ns.rawnet_ok(&["neigh", "add", "proxy", "10.0.0.9", "dev", "veth0"]);
    ns.rawnet_ok(&["neigh", "del", "proxy", "10.0.0.9", "dev", "veth0"]);
    assert_eq!(
        ns.ip_json(&["neigh", "show", "proxy"]),
        serde_json::json!([])
    );
}

#[test]
fn flush_spares_permanent_entries() {
    let ns = TestNs::with_idle_veth("nf");
    for line in [
        "neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev veth0",
        "neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev veth0 nud stale",
        "neigh add 10.0.0.4 lladdr 02:00:00:00:00:04 dev veth0 nud reachable",
        "-6 neigh add fd00::3 lladdr 02:00:00:00:00:03 dev veth0 nud stale",
    ] {
        ns.ip_ok(&argv(line));
    }
    assert_fails(
        &ns.rawnet(&["neigh", "flush"]),
        1,
        "Flush requires arguments.",
    );
    ns.rawnet_ok(&["neigh", "flush", "dev", "veth0"]);
    let left = ns.ip_json(&["neigh", "show"]);
    let dsts: Vec<&str> = left
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["dst"].as_str())
        .collect();
    assert_eq!(dsts, ["10.0.0.2"]);
}

/// Every entry but the multicast ones the kernel keeps by itself, and the proxies.
fn tables(ns: &TestNs) -> (Vec<Value>, Value) {
    let all = ns.ip_json(&["neigh", "show", "nud", "all"]);
    let ours = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            let d = e["dst"].as_str().unwrap_or("");
            !d.starts_with("ff") && !d.starts_with("224.")
        })
        .cloned()
        .collect();
    (ours, ns.ip_json(&["neigh", "show", "proxy"]))
}

#[test]
fn bad_input_is_one_line_and_creates_nothing() {
    let ns = TestNs::with_idle_veth("nb");
    ns.ip_ok(&argv(
        "neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev veth0",
    ));
    let before = tables(&ns);
    let cases: &[(&str, i32, &str)] = &[
        (
            "neigh add 10.0.0.7 lladdr zz:00 dev veth0",
            1,
            "\"zz\" is invalid lladdr.",
        ),
        (
            "neigh add 10.0.0.7 lladdr 02:00:00:00:00:07 dev x",
            1,
            "Cannot find device \"x\"",
        ),
        (
            "neigh add 10.0.0.7 lladdr 02:00:00:00:00:07 dev veth0 nud bogus",
            255,
            "Error: argument \"bogus\" is wrong: nud state is bad",
        ),
        (
            "neigh add 10.0.0.7 lladdr 02:00:00:00:00:07",
            255,
            "Device and destination are required arguments.",
        ),
        (
            "neigh del 10.0.0.99 dev veth0",
            2,
            "RTNETLINK answers: No such file or directory",
        ),
        (
            "neigh add 10.0.0.7 lladdr 02:00 dev veth0",
            2,
            "Error: Invalid link address.",
        ),
        (
            "neigh add bogus dev veth0",
            1,
            "Error: any valid address is expected rather than \"bogus\".",
        ),
        (
            "-6 neigh add 10.0.0.7 dev veth0",
            1,
            "Error: inet6 address is expected rather than \"10.0.0.7\".",
        ),
        (
            "neigh add 10.0.0.7 lladdr 02:00:00:00:00:07 dev veth0 garbage",
            255,
            "Error: either \"to\" is duplicate, or \"garbage\" is a garbage.",
        ),
        (
            "neigh frob",
            255,
            "Command \"frob\" is unknown, try \"rawnet neigh help\".",
        ),
        ("neigh show dev x", 1, "Cannot find device \"x\""),
    ];
    for (line, code, error) in cases {
        // iproute2 answers the same (with its own name in the usage hint).
        assert_fails_as_iproute2(&ns, "ip", &argv(line), *code, error);
    }
    assert_eq!(
        before,
        tables(&ns),
        "bad input changed the neighbour tables"
    );
}

/// What the differential driver (tests/diff) found rawnet doing unlike `ip`
/// 6.1: short IPv4 addresses, `%x`-read lladdr bytes, `all` as a prefix,
/// `vrf`, `-s`, `-br`, `-f`/`-0`, and incomplete lines.
#[test]
fn neigh_words_and_options_as_ip_reads_them() {
    let ours = TestNs::with_idle_veth("nx");
    let theirs = TestNs::with_idle_veth("nx");
    for ns in [&ours, &theirs] {
        ns.ip_ok(&argv(
            "neigh add 10.0.0.2 lladdr 02:00:00:00:aa:02 dev veth0 nud permanent",
        ));
        ns.ip_ok(&argv(
            "neigh add 10.0.0.3 lladdr 02:00:00:00:aa:03 dev veth0",
        ));
    }
    let state = ["neigh show nud all", "neigh show proxy"];
    for line in [
        "neigh add 10.1.9 lladdr 02:00:00:00:aa:17 dev veth0",
        "neigh add 10.0.0.24 lladdr 02-00-00-00-aa-19 dev veth0",
        "neigh add 10.0.0.25 lladdr 0x2:0:0:0:aa:1a dev veth0",
        "neigh add 10.0.0.26 lladdr 1ff:0:0:0:aa:1b dev veth0",
        "neigh add 10.0.0.27 lladdr 02:00:00:00:aa:1c dev",
        "neigh flush all",
    ] {
        common::assert_same_change_as_ip(&ours, &theirs, &argv(line), &state);
    }
    for line in [
        "-s neigh",
        "-s -j neigh",
        "-br neigh",
        "-br -j neigh",
        "-br neigh show dev veth0",
        "-s neigh get 10.0.0.2 dev veth0",
        "neigh show to 10/8",
        "neigh show all",
        "neigh show vrf red",
        "neigh show dev",
        "-f inet neigh",
        "-family inet6 neigh",
        "-0 neigh",
    ] {
        common::assert_same_as_ip(&ours, &argv(line));
    }
}
