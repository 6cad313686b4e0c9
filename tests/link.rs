//! `rawnet link` against iproute2, each test in namespaces of its own: veth
//! pairs made by one tool are checked with the other (`ip -j link show` vs
//! `rawnet -j link show`), changes (up/down/mtu/name/address/netns), and the
//! errors: exact line, exit status, and that nothing was created.

mod common;

use common::{assert_fails, TestNs};
use serde_json::Value;

/// The links of a namespace as `ip -j link show` sees them.
fn ip_links(ns: &TestNs) -> Vec<Value> {
    ns.ip_json(&["link", "show"])
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn ip_link(ns: &TestNs, dev: &str) -> Value {
    ns.ip_json(&["-d", "link", "show", "dev", dev])[0].clone()
}

fn names(ns: &TestNs) -> Vec<String> {
    ip_links(ns)
        .iter()
        .map(|l| l["ifname"].as_str().unwrap_or("").to_string())
        .collect()
}

fn flags(link: &Value) -> Vec<String> {
    link["flags"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn dash_n_stays_inside_the_namespace() {
    let ns = TestNs::new("l0");
    let text = ns.rawnet_ok(&["link"]);
    assert_eq!(text, ns.ip_ok(&["link"]));
    assert!(text.starts_with("1: lo: <LOOPBACK> "), "{text}");
    assert_eq!(
        text.lines().count(),
        2,
        "a fresh namespace holds lo only: {text}"
    );
}

#[test]
fn veth_made_by_rawnet_is_seen_by_ip() {
    let ns = TestNs::new("l1");
    ns.rawnet_ok(&[
        "link", "add", "veth0", "type", "veth", "peer", "name", "veth1",
    ]);
    let v0 = ip_link(&ns, "veth0");
    assert_eq!(v0["linkinfo"]["info_kind"], "veth");
    assert_eq!(v0["link"], "veth1");
    assert_eq!(v0["mtu"], 1500);
    let v1 = ip_link(&ns, "veth1");
    assert_eq!(v1["link"], "veth0");
    assert_eq!(v1["linkinfo"]["info_kind"], "veth");
    assert_eq!(names(&ns), ["lo", "veth1", "veth0"]);
}

#[test]
fn veth_made_by_ip_is_shown_as_ip_shows_it() {
    let ns = TestNs::new("l2");
    ns.ip_ok(&[
        "link", "add", "veth0", "type", "veth", "peer", "name", "veth1",
    ]);
    ns.ip_ok(&["link", "set", "veth0", "up"]);
    // JSON, plain and with details, all links and one.
    for args in [
        &["link", "show"][..],
        &["-d", "link", "show"],
        &["link", "show", "veth0"],
        &["-d", "link", "show", "dev", "veth1"],
    ] {
        assert_eq!(ns.rawnet_json(args), ns.ip_json(args), "rawnet -j {args:?}");
    }
    // Text, byte for byte: `veth0@veth1: <NO-CARRIER,...,UP,M-DOWN>` and friends.
    for args in [
        &["link"][..],
        &["link", "show", "veth0"],
        &["-d", "link", "show"],
    ] {
        assert_eq!(ns.rawnet_ok(args), ns.ip_ok(args), "rawnet {args:?}");
    }
    let text = ns.rawnet_ok(&["link", "show", "veth0"]);
    assert!(
        text.contains("veth0@veth1: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500"),
        "{text}"
    );
    // The fields the brief names, explicitly.
    let ours = ns.rawnet_json(&["link", "show", "veth0"]);
    let theirs = ns.ip_json(&["link", "show", "veth0"]);
    for key in [
        "ifindex",
        "ifname",
        "flags",
        "mtu",
        "operstate",
        "address",
        "link",
    ] {
        assert_eq!(ours[0][key], theirs[0][key], "{key}");
    }
}

#[test]
fn set_changes_up_down_mtu_name_address() {
    let ns = TestNs::new("l3");
    ns.rawnet_ok(&[
        "link", "add", "veth0", "type", "veth", "peer", "name", "veth1",
    ]);
    ns.rawnet_ok(&["link", "set", "veth0", "up"]);
    ns.rawnet_ok(&["link", "set", "dev", "veth1", "up"]);
    let v0 = ip_link(&ns, "veth0");
    assert!(flags(&v0).contains(&"UP".to_string()), "{v0}");
    ns.rawnet_ok(&[
        "link",
        "set",
        "veth0",
        "down",
        "mtu",
        "1400",
        "address",
        "02:00:00:00:00:01",
        "name",
        "veth9",
    ]);
    assert!(names(&ns).contains(&"veth9".to_string()));
    let v9 = ip_link(&ns, "veth9");
    assert!(!flags(&v9).contains(&"UP".to_string()), "{v9}");
    assert_eq!(v9["mtu"], 1400);
    assert_eq!(v9["address"], "02:00:00:00:00:01");
    assert_eq!(ip_link(&ns, "veth1")["link"], "veth9");
    // What rawnet shows agrees.
    assert_eq!(
        ns.rawnet_json(&["link", "show", "veth9"]),
        ns.ip_json(&["link", "show", "veth9"])
    );
}

#[test]
fn abbreviations() {
    let ns = TestNs::new("l4");
    ns.rawnet_ok(&["l", "a", "veth0", "ty", "veth", "peer", "veth1"]);
    // As in iproute2, `up`, `mtu`, `netns`, `name` and `peer` must be whole words.
    assert_fails(
        &ns.rawnet(&["l", "s", "veth0", "u"]),
        255,
        "Error: either \"dev\" is duplicate, or \"u\" is a garbage.",
    );
    assert_fails(
        &ns.rawnet(&["l", "a", "veth2", "ty", "veth", "pe", "veth3"]),
        1,
        "Usage: rawnet link <options> type veth",
    );
    ns.rawnet_ok(&["l", "s", "veth0", "addr", "02:00:00:00:00:03"]);
    assert_eq!(ip_link(&ns, "veth0")["address"], "02:00:00:00:00:03");
    ns.rawnet_ok(&["l", "s", "veth0", "up"]);
    assert!(flags(&ip_link(&ns, "veth0")).contains(&"UP".to_string()));
    assert_eq!(ns.rawnet_ok(&["l"]), ns.ip_ok(&["l"]));
    assert_eq!(ns.rawnet_ok(&["link", "ls"]), ns.ip_ok(&["link", "ls"]));
    ns.rawnet_ok(&["l", "d", "veth0"]);
    assert_eq!(names(&ns), ["lo"]);
}

#[test]
fn move_to_another_namespace() {
    let ns1 = TestNs::new("l5");
    let ns2 = TestNs::new("l5b");
    ns1.rawnet_ok(&[
        "link", "add", "veth0", "type", "veth", "peer", "name", "veth1",
    ]);
    ns1.rawnet_ok(&["link", "set", "veth1", "up"]);
    ns1.rawnet_ok(&["link", "set", "veth1", "netns", &ns2.name]);
    assert_eq!(names(&ns1), ["lo", "veth0"]);
    assert_eq!(names(&ns2), ["lo", "veth1"]);
    let v1 = ip_link(&ns2, "veth1");
    assert!(
        !flags(&v1).contains(&"UP".to_string()),
        "arrives down: {v1}"
    );
    // The peer is elsewhere now: `veth0@ifN ... link-netns NS2`, `link_index` + `link_netnsid`.
    assert_eq!(ns1.rawnet_json(&["link"]), ns1.ip_json(&["link"]));
    assert_eq!(
        ns2.rawnet_json(&["-d", "link"]),
        ns2.ip_json(&["-d", "link"])
    );
    let text = ns1.rawnet_ok(&["link", "show", "veth0"]);
    assert_eq!(text, ns1.ip_ok(&["link", "show", "veth0"]));
    assert!(
        text.contains(&format!(" link-netns {}", ns2.name)),
        "{text}"
    );
    assert!(text.contains(": veth0@if"), "{text}");
    assert_eq!(ns2.rawnet_ok(&["link"]), ns2.ip_ok(&["link"]));
}

#[test]
fn move_by_pid() {
    let ns1 = TestNs::new("l6");
    let ns2 = TestNs::new("l6b");
    let mut child = std::process::Command::new("ip")
        .args(["netns", "exec", &ns2.name, "sleep", "30"])
        .spawn()
        .expect("start a process in ns2");
    // `ip netns exec` enters the namespace and then execs sleep: same pid.
    let pid = child.id().to_string();
    let mut moved = false;
    for _ in 0..50 {
        let link = std::fs::read_link(format!("/proc/{pid}/ns/net")).ok();
        let ns2_ino = std::fs::metadata(format!("/run/netns/{}", ns2.name)).ok();
        if let (Some(link), Some(meta)) = (link, ns2_ino) {
            use std::os::unix::fs::MetadataExt;
            if link.to_string_lossy().contains(&meta.ino().to_string()) {
                moved = true;
                break;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(moved, "the child did not enter {}", ns2.name);
    ns1.rawnet_ok(&[
        "link", "add", "veth0", "type", "veth", "peer", "name", "veth1",
    ]);
    let out = ns1.rawnet(&["link", "set", "veth1", "netns", &pid]);
    let _ = child.kill();
    let _ = child.wait();
    common::assert_success(&out, "rawnet link set veth1 netns PID");
    assert_eq!(names(&ns2), ["lo", "veth1"]);
}

#[test]
fn add_with_peer_in_another_namespace() {
    let ns1 = TestNs::new("l7");
    let ns2 = TestNs::new("l7b");
    ns1.rawnet_ok(&[
        "link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", &ns2.name,
    ]);
    assert_eq!(names(&ns1), ["lo", "v0"]);
    assert_eq!(names(&ns2), ["lo", "v1"]);
    let v0 = ip_link(&ns1, "v0");
    assert_eq!(v0["linkinfo"]["info_kind"], "veth");
    assert!(v0.get("link_netnsid").is_some(), "{v0}");
    assert_eq!(ns1.rawnet_ok(&["-d", "link"]), ns1.ip_ok(&["-d", "link"]));
    // A peer namespace that does not exist: refused before anything is sent.
    let out = ns1.rawnet(&[
        "link",
        "add",
        "v2",
        "type",
        "veth",
        "peer",
        "name",
        "v3",
        "netns",
        "rn-no-such-ns",
    ]);
    assert_fails(
        &out,
        255,
        "Error: argument \"rn-no-such-ns\" is wrong: Invalid \"netns\" value",
    );
    assert_eq!(names(&ns1), ["lo", "v0"]);
    // A peer name taken in the peer's namespace: the kernel refuses the pair, nothing is left.
    let out = ns1.rawnet(&[
        "link", "add", "v4", "type", "veth", "peer", "name", "v1", "netns", &ns2.name,
    ]);
    assert_fails(&out, 2, "RTNETLINK answers: File exists");
    assert_eq!(names(&ns1), ["lo", "v0"]);
    assert_eq!(names(&ns2), ["lo", "v1"]);
}

#[test]
fn delete() {
    let ns = TestNs::new("l8");
    ns.ip_ok(&[
        "link", "add", "veth0", "type", "veth", "peer", "name", "veth1",
    ]);
    ns.rawnet_ok(&["link", "del", "veth1"]);
    assert_eq!(names(&ns), ["lo"]);
    ns.ip_ok(&[
        "link", "add", "veth0", "type", "veth", "peer", "name", "veth1",
    ]);
    ns.rawnet_ok(&["link", "delete", "dev", "veth0"]);
    assert_eq!(names(&ns), ["lo"]);
}

#[test]
fn errors_are_one_line_with_iproute2_codes_and_change_nothing() {
    let ns = TestNs::new("l9");
    ns.rawnet_ok(&[
        "link", "add", "veth0", "type", "veth", "peer", "name", "veth1",
    ]);
    let before = ip_links(&ns);
    let long = "a234567890123456";
    let cases: [(&[&str], i32, String); 12] = [
        (
            &["link", "add", long, "type", "veth"],
            1,
            format!("Error: argument \"{long}\" is wrong: \"name\" not a valid ifname"),
        ),
        (
            &["link", "add", "x", "type", "veth", "peer", "name", long],
            255,
            format!("Error: argument \"{long}\" is wrong: \"name\" not a valid ifname"),
        ),
        (
            &["link", "set", "veth0", "name", long],
            255,
            format!("Error: argument \"{long}\" is wrong: \"name\" not a valid ifname"),
        ),
        (
            &["link", "set", "nosuch", "up"],
            1,
            "Cannot find device \"nosuch\"".into(),
        ),
        (
            &["link", "del", "nosuch"],
            1,
            "Cannot find device \"nosuch\"".into(),
        ),
        (
            &["link", "show", "nosuch"],
            1,
            "Device \"nosuch\" does not exist.".into(),
        ),
        (
            &[
                "link", "add", "veth0", "type", "veth", "peer", "name", "veth7",
            ],
            2,
            "RTNETLINK answers: File exists".into(),
        ),
        (
            &[
                "link", "add", "veth7", "type", "veth", "peer", "name", "veth1",
            ],
            2,
            "RTNETLINK answers: File exists".into(),
        ),
        (
            &["link", "frob"],
            255,
            "Command \"frob\" is unknown, try \"rawnet link help\".".into(),
        ),
        (
            &["link", "set", "veth0", "mtu", "abc"],
            255,
            "Error: argument \"abc\" is wrong: Invalid \"mtu\" value".into(),
        ),
        (
            &["link", "set", "veth0", "up", "address", "zz"],
            1,
            "\"zz\" is invalid lladdr.".into(),
        ),
        (
            &["link", "set", "veth0", "up", "mtu", "10"],
            2,
            "Error: mtu less than device minimum.".into(),
        ),
    ];
    for (args, code, line) in cases.iter() {
        let out = ns.rawnet(args);
        assert_fails(&out, *code, line);
        assert_eq!(
            String::from_utf8_lossy(&out.stderr).trim_end(),
            line,
            "{args:?}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    assert_eq!(ip_links(&ns), before, "a failed command changed something");
}

#[test]
fn json_is_valid_for_any_name() {
    let ns = TestNs::new("la");
    ns.rawnet_ok(&[
        "link", "add", "a\"b\\c", "type", "veth", "peer", "name", "x{}[],",
    ]);
    let ours = ns.rawnet_json(&["link"]);
    assert_eq!(ours, ns.ip_json(&["link"]));
    assert_eq!(ours[2]["ifname"], "a\"b\\c");
    assert_eq!(ours[2]["link"], "x{}[],");
    // Pretty output is valid JSON too, with the same content.
    let pretty = ns.rawnet_ok(&["-j", "-p", "link"]);
    assert_eq!(serde_json::from_str::<Value>(&pretty).unwrap(), ours);
}

#[test]
fn help_goes_to_stderr() {
    let out = common::rawnet(&["link", "help"]);
    assert_eq!(out.status.code(), Some(255));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("Usage: rawnet link add"));
    assert!(out.stdout.is_empty());
}

/// Interface names may be any bytes but '/', ':', whitespace and NUL; one that
/// is not UTF-8 must not break a dump, and `-j` output stays valid JSON.
#[test]
fn names_that_are_not_utf8_show_as_valid_json() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let ns = TestNs::new("u8");
    let out = std::process::Command::new("ip")
        .args(["-n", &ns.name, "link", "add"])
        .arg(OsStr::from_bytes(b"\xff\xfeq"))
        .args(["type", "veth", "peer", "name", "a\"b\\c"])
        .output()
        .expect("run ip");
    common::assert_success(&out, "ip link add <non-UTF-8 name>");
    for object in ["link", "addr"] {
        let shown = ns.rawnet_json(&[object, "show"]);
        let names: Vec<&str> = shown
            .as_array()
            .expect("an array")
            .iter()
            .filter_map(|l| l["ifname"].as_str())
            .collect();
        assert!(names.contains(&"\u{fffd}\u{fffd}q"), "{object}: {names:?}");
        assert!(names.contains(&"a\"b\\c"), "{object}: {names:?}");
    }
}
