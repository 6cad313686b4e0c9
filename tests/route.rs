//! `rawnet route` against iproute2, inside namespaces made by `TestNs`.
//!
//! rawnet runs under `ip netns exec NS` rather than with `-n NS`, so these
//! tests stay inside their namespace whatever state the `ns` module is in.
//! Routes made by rawnet are checked with `ip -j route`, routes made by `ip`
//! must print identically (text and JSON) from rawnet.

mod common;

use std::time::Duration;

use common::{assert_fails, TestNs};
use serde_json::Value;

/// A namespace with veth0 (10.0.1.100/24, fd00::1/64) up and its peer up.
fn routed_ns(tag: &str) -> TestNs {
    let ns = TestNs::new(tag);
    ns.ip_ok(&["link", "set", "lo", "up"]);
    ns.ip_ok(&[
        "link", "add", "veth0", "type", "veth", "peer", "name", "veth1",
    ]);
    ns.ip_ok(&["addr", "add", "10.0.1.100/24", "dev", "veth0"]);
    ns.ip_ok(&["addr", "add", "fd00::1/64", "dev", "veth0", "nodad"]);
    ns.ip_ok(&["link", "set", "veth0", "up"]);
    ns.ip_ok(&["link", "set", "veth1", "up"]);
    for _ in 0..100 {
        let routes = ns.ip_json(&["route", "show"]);
        let up = ns.ip_json(&["link", "show", "dev", "veth0"])[0]["operstate"] == "UP";
        let no_linkdown = routes.as_array().is_some_and(|r| {
            r.iter()
                .all(|r| !r["flags"].to_string().contains("linkdown"))
        });
        if up && no_linkdown {
            return ns;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("veth0 did not come up");
}

fn find<'a>(routes: &'a Value, dst: &str) -> Option<&'a Value> {
    routes.as_array()?.iter().find(|r| r["dst"] == dst)
}

#[test]
fn added_routes_show_in_ip() {
    let ns = routed_ns("ra");
    ns.exec_rawnet_ok(&["route", "add", "10.0.2.0/24", "dev", "veth0"]);
    ns.exec_rawnet_ok(&["route", "add", "default", "via", "10.0.1.1"]);
    ns.exec_rawnet_ok(&["r", "a", "10.0.3.0/24", "via", "10.0.1.1", "metric", "50"]);
    ns.exec_rawnet_ok(&[
        "route",
        "add",
        "10.0.4.0/24",
        "via",
        "10.0.1.1",
        "dev",
        "veth0",
        "table",
        "100",
        "src",
        "10.0.1.100",
        "proto",
        "static",
    ]);
    ns.exec_rawnet_ok(&[
        "route",
        "add",
        "10.0.5.0/24",
        "via",
        "10.9.9.9",
        "dev",
        "veth0",
        "onlink",
    ]);
    ns.exec_rawnet_ok(&[
        "route",
        "add",
        "10.0.6.0/24",
        "dev",
        "veth0",
        "scope",
        "host",
    ]);
    ns.exec_rawnet_ok(&[
        "-6",
        "route",
        "add",
        "fd00:2::/64",
        "via",
        "fd00::2",
        "metric",
        "100",
    ]);

    let main = ns.ip_json(&["route", "show"]);
    let r = find(&main, "10.0.2.0/24").expect("dev route");
    assert_eq!(
        (r["dev"].as_str(), r["scope"].as_str()),
        (Some("veth0"), Some("link"))
    );
    let r = find(&main, "default").expect("default route");
    assert_eq!(
        (r["gateway"].as_str(), r["dev"].as_str()),
        (Some("10.0.1.1"), Some("veth0"))
    );
    assert_eq!(
        find(&main, "10.0.3.0/24").expect("metric route")["metric"],
        50
    );
    assert_eq!(
        find(&main, "10.0.5.0/24").expect("onlink route")["flags"],
        serde_json::json!(["onlink"])
    );
    assert_eq!(
        find(&main, "10.0.6.0/24").expect("host scope")["scope"],
        "host"
    );
    let t100 = ns.ip_json(&["route", "show", "table", "100"]);
    let r = find(&t100, "10.0.4.0/24").expect("table 100 route");
    assert_eq!(
        (r["protocol"].as_str(), r["prefsrc"].as_str()),
        (Some("static"), Some("10.0.1.100"))
    );
    let v6 = ns.ip_json(&["-6", "route", "show"]);
    let r = find(&v6, "fd00:2::/64").expect("v6 route");
    assert_eq!(
        (r["gateway"].as_str(), r["metric"].as_u64()),
        (Some("fd00::2"), Some(100))
    );

    for args in [
        &["route", "show"][..],
        &["route"],
        &["route", "list", "table", "100"],
        &["route", "show", "table", "all"],
        &["route", "show", "table", "local"],
        &["-6", "route", "show"],
        &["route", "show", "dev", "veth0"],
    ] {
        common::assert_same_output(&ns, "ip", args);
    }
}

#[test]
fn ip_routes_show_in_rawnet() {
    let ns = routed_ns("rs");
    ns.ip_ok(&[
        "route",
        "add",
        "10.0.7.0/24",
        "via",
        "10.0.1.7",
        "metric",
        "7",
    ]);
    ns.ip_ok(&["route", "add", "blackhole", "10.0.8.0/24"]);
    ns.ip_ok(&[
        "route",
        "add",
        "10.0.9.0/24",
        "dev",
        "veth0",
        "table",
        "200",
        "proto",
        "bird",
    ]);
    ns.ip_ok(&["-6", "route", "add", "fd00:9::/64", "dev", "veth0"]);
    let ours = ns.exec_rawnet_json(&["route", "show"]);
    let r = find(&ours, "10.0.7.0/24").expect("ip route in rawnet output");
    assert_eq!(
        (r["gateway"].as_str(), r["metric"].as_u64()),
        (Some("10.0.1.7"), Some(7))
    );
    assert_eq!(
        find(&ours, "10.0.8.0/24").expect("blackhole")["type"],
        "blackhole"
    );
    for args in [
        &["route", "show"][..],
        &["route", "show", "table", "all"],
        &["-6", "route", "show"],
        &["route", "show", "table", "200"],
    ] {
        common::assert_same_output(&ns, "ip", args);
    }
}

#[test]
fn replace_and_delete() {
    let ns = routed_ns("rr");
    ns.exec_rawnet_ok(&["route", "add", "10.0.2.0/24", "dev", "veth0"]);
    ns.exec_rawnet_ok(&["route", "replace", "10.0.2.0/24", "via", "10.0.1.1"]);
    let r = ns.ip_json(&["route", "show"]);
    let r = find(&r, "10.0.2.0/24").expect("replaced route");
    assert_eq!(r["gateway"], "10.0.1.1");
    ns.exec_rawnet_ok(&["r", "replace", "10.0.3.0/24", "dev", "veth0", "metric", "9"]); // replace creates
    assert!(find(&ns.ip_json(&["route", "show"]), "10.0.3.0/24").is_some());

    ns.exec_rawnet_ok(&["route", "del", "10.0.2.0/24"]);
    ns.exec_rawnet_ok(&["route", "d", "10.0.3.0/24", "dev", "veth0", "metric", "9"]);
    ns.exec_rawnet_ok(&["-6", "route", "add", "fd00:2::/64", "via", "fd00::2"]);
    ns.exec_rawnet_ok(&["-6", "route", "del", "fd00:2::/64", "via", "fd00::2"]);
    ns.exec_rawnet_ok(&[
        "route",
        "add",
        "10.0.4.0/24",
        "dev",
        "veth0",
        "table",
        "100",
    ]);
    ns.exec_rawnet_ok(&["route", "del", "10.0.4.0/24", "table", "100"]);
    let main = ns.ip_json(&["route", "show"]);
    assert!(
        find(&main, "10.0.2.0/24").is_none() && find(&main, "10.0.3.0/24").is_none(),
        "{main}"
    );
    assert!(find(&ns.ip_json(&["-6", "route", "show"]), "fd00:2::/64").is_none());
    assert_eq!(
        ns.ip_json(&["route", "show", "table", "100"]),
        serde_json::json!([])
    );

    ns.ip_ok(&[
        "route",
        "add",
        "10.0.5.0/24",
        "dev",
        "veth0",
        "table",
        "100",
    ]);
    ns.ip_ok(&[
        "route",
        "add",
        "10.0.6.0/24",
        "dev",
        "veth0",
        "table",
        "100",
    ]);
    ns.exec_rawnet_ok(&["route", "flush", "table", "100"]);
    assert_eq!(
        ns.ip_json(&["route", "show", "table", "100"]),
        serde_json::json!([])
    );
    assert!(
        find(&ns.ip_json(&["route", "show"]), "10.0.1.0/24").is_some(),
        "flush stays in its table"
    );
}

#[test]
fn route_get_matches_ip() {
    let ns = routed_ns("rg");
    ns.ip_ok(&["route", "add", "10.0.2.0/24", "via", "10.0.1.1"]);
    ns.ip_ok(&[
        "-6",
        "route",
        "add",
        "fd00:2::/64",
        "via",
        "fd00::2",
        "metric",
        "100",
    ]);
    let out = ns.exec_rawnet_ok(&["route", "get", "10.0.2.100"]);
    assert_eq!(
        out,
        "10.0.2.100 via 10.0.1.1 dev veth0 src 10.0.1.100 uid 0 \n    cache \n"
    );
    for args in [
        &["route", "get", "10.0.2.100"][..],
        &["route", "get", "10.0.1.100"],
        &["route", "g", "10.0.1.5"],
        &["-6", "route", "get", "fd00:2::5"],
        &["route", "get", "fd00::1"],
    ] {
        common::assert_same_output(&ns, "ip", args);
    }
}

#[test]
fn bad_input_fails_like_ip_and_adds_nothing() {
    let ns = routed_ns("rb");
    let before = (
        ns.ip_json(&["route", "show", "table", "all"]),
        ns.ip_json(&["-6", "route", "show", "table", "all"]),
    );
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["route", "add", "10.0.0.300/24", "dev", "veth0"],
            1,
            "Error: any valid prefix is expected rather than \"10.0.0.300/24\".",
        ),
        (
            &["route", "add", "10.7.0.0/24", "dev", "nosuch"],
            1,
            "Cannot find device \"nosuch\"",
        ),
        (
            &["route", "add", "10.1.0.0/24", "via", "10.9.9.9"],
            2,
            "Error: Nexthop has invalid gateway.",
        ),
        (
            &["route", "add", "10.7.0.0/24", "via", "10.0.1.300"],
            1,
            "Error: inet address is expected rather than \"10.0.1.300\".",
        ),
        (
            &["route", "add", "10.1.0.0/24", "dev", "veth0", "metric", "x"],
            255,
            "Error: argument \"x\" is wrong: \"metric\" value is invalid",
        ),
        (
            &[
                "route",
                "add",
                "10.1.0.0/24",
                "dev",
                "veth0",
                "table",
                "foo",
            ],
            255,
            "Error: argument \"foo\" is wrong: \"table\" value is invalid",
        ),
        (
            &[
                "route",
                "add",
                "10.1.0.0/24",
                "dev",
                "veth0",
                "scope",
                "foo",
            ],
            255,
            "Error: argument \"foo\" is wrong: invalid \"scope\" value",
        ),
        (
            &[
                "route",
                "add",
                "10.1.0.0/24",
                "dev",
                "veth0",
                "proto",
                "foo",
            ],
            255,
            "Error: argument \"foo\" is wrong: \"protocol\" value is invalid",
        ),
        (
            &[
                "route",
                "add",
                "10.0.1.0/24",
                "dev",
                "veth0",
                "proto",
                "kernel",
                "scope",
                "link",
                "src",
                "10.0.1.100",
            ],
            2,
            "RTNETLINK answers: File exists",
        ),
        (
            &["route", "del", "10.66.0.0/24"],
            2,
            "RTNETLINK answers: No such process",
        ),
        (
            &["route", "get", "10.0.0.300"],
            1,
            "Error: any valid prefix is expected rather than \"10.0.0.300\".",
        ),
        (&["route", "get"], 1, "need at least a destination address"),
        (
            &["route", "frob"],
            255,
            "Command \"frob\" is unknown, try \"rawnet route help\".",
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
    let after = (
        ns.ip_json(&["route", "show", "table", "all"]),
        ns.ip_json(&["-6", "route", "show", "table", "all"]),
    );
    assert_eq!(after, before, "nothing changed");
}

/// What the differential driver (tests/diff) found rawnet doing unlike `ip`
/// 6.1: `route flush cache`, the `cached` selector, `-0`, incomplete lines.
#[test]
fn flush_cache_family_options_and_incomplete_lines_as_ip() {
    let ours = routed_ns("rx");
    let theirs = routed_ns("rx");
    let state = ["route show table all", "-6 route show table all"];
    for line in [
        "route flush cache",
        "-4 route flush cache",
        "-6 route flush cache",
        "-s route flush cache",
        "-0 route add 10.51.0.0/24 dev veth0",
        "route add 172.35.0.0/16 via",
        "route add 172.30/16 via 10.0.1.1",
    ] {
        common::assert_same_change_as_ip(&ours, &theirs, &common::argv(line), &state);
    }
    for line in [
        "route show cached",
        "route show dev",
        "-0 route",
        "-f inet6 route",
        "-0 route get 10.0.0.1",
    ] {
        common::assert_same_as_ip(&ours, &common::argv(line));
    }
}
