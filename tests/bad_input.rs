//! Bad input from the issue: each gets one clear line on stderr, a nonzero
//! exit status, nothing on stdout, and leaves nothing behind. "Nothing behind"
//! is checked with snapshots taken before and after every command: `ip -n NS
//! -j link/addr/route show`, `-6 route show`, the entries of /run/netns, and
//! the paths a name like `../x` or `a/b` would have made.
//!
//! Each case also runs through iproute2's `ip` (same words, same namespace) and
//! records what it answers: the same line (with `ip` for `rawnet`) and status,
//! or, where rawnet deliberately differs, iproute2 6.1's own answer. Other
//! iproute2 versions only have to fail too.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{assert_fails, unique_name, TestNs};
use serde_json::Value;

/// 16 bytes: one over IFNAMSIZ - 1.
const LONG: &str = "a234567890123456";

/// Paths that `netns add ../x` or `netns add a/b` would create if a name were
/// not checked.
const STRAY: [&str; 4] = ["/run/x", "/run/netns/x", "/run/netns/a", "/run/netns/a/b"];

#[derive(Debug, PartialEq)]
struct Snapshot {
    links: Value,
    addrs: Value,
    routes: Value,
    routes6: Value,
    /// /run/netns entries, except the namespaces other tests make meanwhile
    /// (theirs all start with `rn`); ours are kept.
    netns: Vec<String>,
    stray: Vec<(&'static str, bool)>,
}

fn snapshot(ns: &TestNs, ours: &[&str]) -> Snapshot {
    let mut netns: Vec<String> = std::fs::read_dir("/run/netns")
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with("rn") || ours.contains(&n.as_str()))
                .collect()
        })
        .unwrap_or_default();
    netns.sort();
    Snapshot {
        links: ns.ip_json(&["link", "show"]),
        addrs: ns.ip_json(&["addr", "show"]),
        routes: ns.ip_json(&["route", "show"]),
        routes6: ns.ip_json(&["-6", "route", "show"]),
        netns,
        stray: STRAY.iter().map(|p| (*p, Path::new(p).exists())).collect(),
    }
}

fn link_names(ns: &TestNs) -> Vec<String> {
    ns.ip_json(&["link", "show"])
        .as_array()
        .map(|a| {
            a.iter()
                .map(|l| l["ifname"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn ip(args: &[&str]) -> Output {
    Command::new("ip").args(args).output().expect("run ip")
}

fn is_iproute2_6_1() -> bool {
    String::from_utf8_lossy(&ip(&["-V"]).stdout).contains("iproute2-6.1.")
}

struct Case {
    /// The words after `rawnet` (and after `ip`).
    args: Vec<String>,
    /// rawnet's exit status and its whole stderr line.
    code: i32,
    line: String,
    /// iproute2 6.1's answer where it differs from rawnet's; `None`: the same
    /// status and line, with `ip` where rawnet says `rawnet`.
    ip: Option<(i32, String)>,
}

fn case(args: &[&str], code: i32, line: impl Into<String>) -> Case {
    Case {
        args: args.iter().map(|s| s.to_string()).collect(),
        code,
        line: line.into(),
        ip: None,
    }
}

impl Case {
    fn ip_says(mut self, code: i32, line: impl Into<String>) -> Case {
        self.ip = Some((code, line.into()));
        self
    }
}

/// A namespace with something in every table: lo up, a veth pair (veth0 up
/// without carrier, so nothing changes by itself: no DAD, no carrier events),
/// IPv4 and IPv6 addresses, a route via a gateway.
fn populated_ns(tag: &str) -> TestNs {
    let ns = TestNs::new(tag);
    ns.ip_ok(&["link", "set", "lo", "up"]);
    ns.ip_ok(&[
        "link", "add", "veth0", "type", "veth", "peer", "name", "veth1",
    ]);
    ns.ip_ok(&["addr", "add", "10.0.0.1/24", "dev", "veth0"]);
    ns.ip_ok(&["addr", "add", "fd00::1/64", "dev", "veth0", "nodad"]);
    ns.ip_ok(&["link", "set", "veth0", "up"]);
    ns.ip_ok(&["route", "add", "10.5.0.0/24", "via", "10.0.0.2"]);
    ns
}

#[test]
fn each_bad_input_is_one_line_and_changes_nothing() {
    let ns = populated_ns("b0");
    let n = ns.name.as_str();
    // A namespace name nobody has: never created, only refused.
    let missing = unique_name("bm");
    let m = missing.as_str();
    assert!(!Path::new("/run/netns").join(m).exists());
    let ours = [n, m];
    let not_ifname = format!("Error: argument \"{LONG}\" is wrong: \"name\" not a valid ifname");

    let cases = [
        // Names over 15 bytes: refused before anything is sent (iproute2 lets
        // the kernel refuse the first name, and exits 255 for the others, as
        // rawnet does).
        case(
            &[
                "-n", n, "link", "add", LONG, "type", "veth", "peer", "name", "vethq",
            ],
            255,
            not_ifname.clone(),
        )
        .ip_says(2, "Error: Attribute failed policy validation."),
        case(
            &[
                "-n", n, "link", "add", "vethq", "type", "veth", "peer", "name", LONG,
            ],
            255,
            not_ifname.clone(),
        ),
        case(
            &["-n", n, "link", "set", "veth0", "name", LONG],
            255,
            not_ifname.clone(),
        ),
        // Addresses that are not.
        case(
            &["-n", n, "addr", "add", "10.0.0.300/24", "dev", "veth0"],
            1,
            "Error: any valid prefix is expected rather than \"10.0.0.300/24\".",
        ),
        case(
            &["-n", n, "addr", "add", "10.0.0.3/33", "dev", "veth0"],
            1,
            "Error: any valid prefix is expected rather than \"10.0.0.3/33\".",
        ),
        // Devices that do not exist.
        case(
            &["-n", n, "addr", "add", "10.0.0.3/24", "dev", "nosuch"],
            1,
            "Cannot find device \"nosuch\"",
        ),
        case(
            &["-n", n, "link", "set", "nosuch", "up"],
            1,
            "Cannot find device \"nosuch\"",
        ),
        case(
            &["-n", n, "link", "del", "nosuch"],
            1,
            "Cannot find device \"nosuch\"",
        ),
        case(
            &["-n", n, "route", "add", "10.3.0.0/24", "dev", "nosuch"],
            1,
            "Cannot find device \"nosuch\"",
        ),
        // Namespace names that would leave /run/netns.
        case(
            &["netns", "add", "../x"],
            255,
            "Invalid netns name \"../x\"",
        ),
        case(&["netns", "add", "a/b"], 255, "Invalid netns name \"a/b\""),
        // A namespace that does not exist.
        case(
            &["netns", "del", m],
            1,
            format!("Cannot remove namespace file \"/run/netns/{m}\": No such file or directory"),
        ),
        case(
            &["-n", m, "link", "show"],
            255,
            format!("Cannot open network namespace \"{m}\": No such file or directory"),
        ),
        case(
            &[
                "-n", n, "link", "add", "vA", "type", "veth", "peer", "name", "vB", "netns", m,
            ],
            255,
            format!("Error: argument \"{m}\" is wrong: Invalid \"netns\" value"),
        ),
        // Names taken: the kernel refuses the whole pair.
        case(
            &[
                "-n", n, "link", "add", "veth0", "type", "veth", "peer", "name", "vethX",
            ],
            2,
            "RTNETLINK answers: File exists",
        ),
        case(
            &[
                "-n", n, "link", "add", "vethX", "type", "veth", "peer", "name", "veth1",
            ],
            2,
            "RTNETLINK answers: File exists",
        ),
        // Words nobody knows.
        case(
            &["-n", n, "link", "frob"],
            255,
            "Command \"frob\" is unknown, try \"rawnet link help\".",
        ),
        case(
            &["frob"],
            1,
            "Object \"frob\" is unknown, try \"rawnet help\".",
        ),
        case(
            &["-n", n, "addr", "frob"],
            255,
            "Command \"frob\" is unknown, try \"rawnet address help\".",
        ),
        // A gateway with no route to it.
        case(
            &["-n", n, "route", "add", "10.1.0.0/24", "via", "10.9.9.9"],
            2,
            "Error: Nexthop has invalid gateway.",
        ),
    ];

    let exact_ip = is_iproute2_6_1();
    let start = snapshot(&ns, &ours);
    for c in &cases {
        let args: Vec<&str> = c.args.iter().map(String::as_str).collect();
        let what = format!("rawnet {}", args.join(" "));

        let before = snapshot(&ns, &ours);
        let out = common::rawnet(&args);
        assert_fails(&out, c.code, &c.line);
        // One line; an `invarg` message whose text ends in `\n` leaves an
        // empty line after it, in ip as here (compared below).
        let ours_err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(ours_err.trim_end_matches('\n'), c.line, "{what}");
        assert!(
            out.stdout.is_empty(),
            "{what}: stdout {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(snapshot(&ns, &ours), before, "{what} changed something");

        // iproute2, for the record; it must leave nothing behind either.
        let theirs = ip(&args);
        let their_line = String::from_utf8_lossy(&theirs.stderr)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        let (ip_code, ip_line) =
            c.ip.clone()
                .unwrap_or_else(|| (c.code, c.line.replace("rawnet", "ip")));
        assert_ne!(theirs.status.code(), Some(0), "ip {}", args.join(" "));
        if exact_ip {
            assert_eq!(
                (theirs.status.code(), their_line.as_str()),
                (Some(ip_code), ip_line.as_str()),
                "ip {}",
                args.join(" ")
            );
            if c.ip.is_none() {
                assert_eq!(
                    ours_err.replace("rawnet", "ip"),
                    String::from_utf8_lossy(&theirs.stderr),
                    "{what}: stderr as ip's"
                );
            }
        }
        assert_eq!(
            snapshot(&ns, &ours),
            before,
            "ip {} changed something",
            args.join(" ")
        );
    }
    assert_eq!(snapshot(&ns, &ours), start);
    assert_eq!(link_names(&ns), ["lo", "veth1", "veth0"]);
    assert!(!Path::new("/run/netns").join(m).exists());
}

/// A pair whose peer namespace does not exist: no half of it stays, neither
/// under the requested name nor anywhere else in the namespace.
#[test]
fn veth_with_a_missing_peer_namespace_leaves_no_end() {
    let ns = TestNs::new("b1");
    let missing = unique_name("bn");
    let before = snapshot(&ns, &[&ns.name, &missing]);
    let out = ns.rawnet(&[
        "link", "add", "A", "type", "veth", "peer", "name", "B", "netns", &missing,
    ]);
    assert_fails(
        &out,
        255,
        &format!("Error: argument \"{missing}\" is wrong: Invalid \"netns\" value"),
    );
    assert_eq!(link_names(&ns), ["lo"]);
    assert_eq!(snapshot(&ns, &[&ns.name, &missing]), before);
    assert!(!Path::new("/run/netns").join(&missing).exists());
}

/// The same refusals through the short forms a user types.
#[test]
fn abbreviated_commands_fail_the_same_way() {
    let ns = populated_ns("b2");
    let ours = [ns.name.as_str()];
    let before = snapshot(&ns, &ours);
    for (args, code, line) in [
        (
            &["a", "a", "10.0.0.300/24", "dev", "veth0"][..],
            1,
            "Error: any valid prefix is expected rather than \"10.0.0.300/24\".".to_string(),
        ),
        (
            &["l", "s", "nosuch", "up"],
            1,
            "Cannot find device \"nosuch\"".to_string(),
        ),
        (
            &["l", "s", "veth0", "name", LONG],
            255,
            format!("Error: argument \"{LONG}\" is wrong: \"name\" not a valid ifname"),
        ),
        (
            &["r", "a", "10.1.0.0/24", "via", "10.9.9.9"],
            2,
            "Error: Nexthop has invalid gateway.".to_string(),
        ),
        (
            &["l", "a", "veth0", "ty", "veth", "peer", "veth1"],
            2,
            "RTNETLINK answers: File exists".to_string(),
        ),
    ] {
        let out = ns.rawnet(args);
        assert_fails(&out, code, &line);
        assert_eq!(String::from_utf8_lossy(&out.stderr).trim_end(), line);
        assert!(out.stdout.is_empty(), "{args:?}");
        assert_eq!(snapshot(&ns, &ours), before, "{args:?} changed something");
    }
}
