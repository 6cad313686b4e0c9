//! `rawnet tuntap` against iproute2's `ip tuntap`, each test in a namespace
//! of its own: devices made by rawnet look like those made by `ip tuntap add`
//! (`ip -d -j link show`, linkinfo info_data), `rawnet tuntap show` prints what
//! `ip tuntap show` prints, `del` removes, and bad input is one line, a
//! nonzero status and nothing created.

mod common;

use common::{assert_fails, TestNs};
use serde_json::Value;

/// `linkinfo` of `dev` as `ip -d -j link show` reports it.
fn linkinfo(ns: &TestNs, dev: &str) -> Value {
    ns.ip_json(&["-d", "link", "show", "dev", dev])[0]["linkinfo"].clone()
}

fn link_names(ns: &TestNs) -> Vec<String> {
    ns.ip_json(&["link", "show"])
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|l| l["ifname"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The option sets tried; uids/gids 4242/4343 have no passwd entry, so
/// iproute2 prints them as numbers.
const OPTIONS: &[&[&str]] = &[
    &["mode", "tun"],
    &["mode", "tap"],
    &["mode", "tun", "pi"],
    &["mode", "tap", "vnet_hdr"],
    &["mode", "tun", "multi_queue"],
    &["mode", "tap", "one_queue"],
    &["mode", "tun", "user", "4242"],
    &["mode", "tap", "group", "4343"],
    &[
        "mode",
        "tap",
        "user",
        "4242",
        "group",
        "4343",
        "pi",
        "vnet_hdr",
        "multi_queue",
        "one_queue",
    ],
];

#[test]
fn each_option_looks_as_ip_makes_it() {
    let ns = TestNs::new("tt");
    for (i, opts) in OPTIONS.iter().enumerate() {
        let ours = format!("rt{i}");
        let theirs = format!("it{i}");
        let mut args = vec!["tuntap", "add", "dev", ours.as_str()];
        args.extend_from_slice(opts);
        ns.rawnet_ok(&args);
        let mut args = vec!["tuntap", "add", "dev", theirs.as_str()];
        args.extend_from_slice(opts);
        ns.ip_ok(&args);
        let (a, b) = (linkinfo(&ns, &ours), linkinfo(&ns, &theirs));
        assert_eq!(a["info_kind"], "tun", "{opts:?}: {a}");
        assert_eq!(a, b, "{opts:?}: rawnet's {ours} vs ip's {theirs}");
        // The fields the brief names are all there.
        for field in ["type", "pi", "vnet_hdr", "multi_queue", "persist"] {
            assert!(!a["info_data"][field].is_null(), "{field} missing: {a}");
        }
        assert_eq!(a["info_data"]["persist"], true);
    }
    // Whole listing, text and JSON, against iproute2 in the same namespace.
    assert_eq!(
        ns.rawnet_ok(&["tuntap", "show"]),
        ns.ip_ok(&["tuntap", "show"])
    );
    assert_eq!(ns.rawnet_ok(&["tuntap"]), ns.ip_ok(&["tuntap"]));
    assert_eq!(
        ns.rawnet_json(&["tuntap", "list"]),
        ns.ip_json(&["tuntap", "list"])
    );
    let text = ns.rawnet_ok(&["tuntap", "show"]);
    assert!(
        text.contains(
            "rt8: tap pi one_queue multi_queue vnet_hdr persist filter user 4242 group 4343\n"
        ),
        "{text}"
    );
}

#[test]
fn show_of_an_empty_namespace_and_with_details() {
    let ns = TestNs::new("ts");
    assert_eq!(ns.rawnet_ok(&["tuntap", "show"]), "");
    assert_eq!(ns.rawnet_ok(&["-j", "tuntap", "show"]), "[]\n");
    // A name no other test uses, so no process holds a device of that name.
    let dev = format!("rd{}", std::process::id() % 100_000);
    ns.rawnet_ok(&["tuntap", "add", "name", &dev, "mode", "tun"]);
    let ours = ns.rawnet_ok(&["-d", "tuntap", "show"]);
    assert_eq!(ours, ns.ip_ok(&["-d", "tuntap", "show"]));
    assert_eq!(
        ours,
        format!("{dev}: tun persist\n\tAttached to processes:\n")
    );
}

#[test]
fn a_name_the_kernel_picks() {
    let ns = TestNs::new("tk");
    ns.rawnet_ok(&["tuntap", "add", "mode", "tap"]);
    ns.rawnet_ok(&["tuntap", "add", "mode", "tap"]);
    assert_eq!(link_names(&ns), ["lo", "tap0", "tap1"]);
}

#[test]
fn del_removes_what_either_tool_made() {
    let ns = TestNs::new("td");
    ns.rawnet_ok(&["tuntap", "add", "dev", "r0", "mode", "tun"]);
    ns.ip_ok(&["tuntap", "add", "dev", "i0", "mode", "tap", "multi_queue"]);
    assert_eq!(link_names(&ns), ["lo", "r0", "i0"]);
    ns.rawnet_ok(&["tuntap", "del", "dev", "r0", "mode", "tun"]);
    // The mode (and multi_queue) must match, as in iproute2.
    let wrong = ns.rawnet(&["tuntap", "del", "i0", "mode", "tap"]);
    assert_fails(&wrong, 1, "ioctl(TUNSETIFF): Invalid argument");
    assert_eq!(link_names(&ns), ["lo", "i0"]);
    ns.rawnet_ok(&["tuntap", "d", "i0", "mode", "tap", "multi_queue"]);
    assert_eq!(link_names(&ns), ["lo"]);
    assert_eq!(ns.ip_ok(&["tuntap", "show"]), "");
}

#[test]
fn an_existing_name_fails_as_in_ip() {
    let ns = TestNs::new("te");
    ns.rawnet_ok(&["tuntap", "add", "dev", "t0", "mode", "tun"]);
    let out = ns.rawnet(&["tuntap", "add", "dev", "t0", "mode", "tap"]);
    assert_fails(&out, 1, "ioctl(TUNSETIFF): Device or resource busy");
    let ip = std::process::Command::new("ip")
        .args(["-n", &ns.name, "tuntap", "add", "dev", "t0", "mode", "tap"])
        .output()
        .expect("run ip");
    assert_eq!(ip.status.code(), out.status.code());
    assert_eq!(ip.stderr, out.stderr);
    assert_eq!(ns.ip_ok(&["tuntap", "show"]), "t0: tun persist\n");
}

#[test]
fn bad_input_is_one_line_and_creates_nothing() {
    let ns = TestNs::new("tb");
    let before = ns.ip_json(&["link", "show"]);
    // (words, exit status, the line) — the same as iproute2 6.1's unless noted.
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["add", "dev", "t0"],
            1,
            "You failed to specify a tunnel mode",
        ),
        (
            &["add", "dev", "t0", "mode", "foo"],
            255,
            "Unknown tunnel mode \"foo\"",
        ),
        (
            &["add", "t0", "mode", "tun", "mode", "tap"],
            255,
            "You managed to ask for more than one tunnel mode.",
        ),
        (
            &["add", "t0", "mode", "tun", "t1"],
            255,
            "Error: either \"name\" is duplicate, or \"t1\" is a garbage.",
        ),
        (
            &["add", "dev", "a234567890123456", "mode", "tun"],
            255,
            "Error: argument \"a234567890123456\" is wrong: \"dev\" not a valid ifname",
        ),
        // iproute2 looks the names up; rawnet takes numbers only and says so.
        (
            &["add", "t0", "mode", "tun", "user", "nosuchuser"],
            255,
            "invalid user \"nosuchuser\": rawnet takes numeric user ids only",
        ),
        (
            &["add", "t0", "mode", "tun", "group", "wheel"],
            255,
            "invalid group \"wheel\": rawnet takes numeric group ids only",
        ),
        (
            &["add", "t0", "mode", "tun", "user", "1x"],
            255,
            "invalid user \"1x\"",
        ),
        (&["add", "t0", "mode"], 255, "Command line is not complete."),
        (&["del", "t0"], 1, "You failed to specify a tunnel mode"),
        (
            &["frob"],
            255,
            "Command \"frob\" is unknown, try \"rawnet tuntap help\".",
        ),
    ];
    for (words, code, line) in cases {
        let mut args = vec!["tuntap"];
        args.extend_from_slice(words);
        let out = ns.rawnet(&args);
        assert_fails(&out, *code, line);
        assert!(out.stdout.is_empty(), "{words:?}");
        // iproute2 refuses the same words too (with the same status).
        let ip = std::process::Command::new("ip")
            .args(["-n", &ns.name, "tuntap"])
            .args(*words)
            .output()
            .expect("run ip");
        assert_eq!(ip.status.code(), Some(*code), "ip tuntap {words:?}");
        assert_eq!(
            ns.ip_json(&["link", "show"]),
            before,
            "{words:?} left something"
        );
    }
}

#[test]
fn a_missing_namespace_is_refused() {
    let out = common::rawnet(&[
        "-n",
        "rn-no-such-ns-t",
        "tuntap",
        "add",
        "x0",
        "mode",
        "tun",
    ]);
    assert_fails(
        &out,
        255,
        "Cannot open network namespace \"rn-no-such-ns-t\"",
    );
}

#[test]
fn show_under_ip_netns_exec_has_sysfs_flags() {
    // `ip netns exec` has mounted the namespace's sysfs on /sys already;
    // mounting another over it fails (EBUSY) unless the first is detached.
    let ns = TestNs::new("te");
    ns.ip_ok(&[
        "tuntap", "add", "dev", "t5", "mode", "tun", "pi", "vnet_hdr",
    ]);
    ns.ip_ok(&["tuntap", "add", "dev", "t6", "mode", "tap", "one_queue"]);
    let theirs = String::from_utf8_lossy(
        &std::process::Command::new("ip")
            .args(["netns", "exec", &ns.name, "ip", "tuntap", "show"])
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    assert!(theirs.contains("t6: tap one_queue persist"), "{theirs}");
    assert_eq!(ns.exec_rawnet_ok(&["tuntap", "show"]), theirs);
    assert_eq!(ns.rawnet_ok(&["tuntap", "show"]), theirs);
}
