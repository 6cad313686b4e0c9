//! `rawnet rule` against iproute2's `ip rule`, inside namespaces made by
//! `TestNs`: rules added by rawnet print identically from both tools (text,
//! `-j`, `-j -p`, `-d`, `-o`), rules added by ip too; del, flush and bad
//! input behave as ip's (messages, exit codes, nothing changed).

mod common;

use common::{argv, assert_fails_as_iproute2, assert_same_output, TestNs};

/// Rules of every kind the grammar has, as command lines after `rule add`.
const RULES: &[&str] = &[
    "from 10.0.0.0/8 table 100 pref 100",
    "not from 10.1.0.0/16 to 192.168.1.1 priority 200 fwmark 0x10/0xff protocol static lookup main suppress_prefixlength 0 iif veth0 oif veth1",
    "fwmark 5 table 1000 uidrange 10-20 ipproto tcp sport 80 dport 1000-2000",
    "tos 0x10 blackhole",
    "pref 50 goto 32766",
    "from all prohibit pref 60",
    "unreachable pref 61",
    "nop",
    "from 10.1.2.0/24 to 10.2.0.0/16 table 7 suppress_ifgroup 3 realms 1/2 pref 70",
    "pref 300 l3mdev",
    "pref 400 to 10.9.0.0/16 lookup 9 protocol bgp",
];

/// Every listing both tools must print the same way.
const LISTINGS: &[&str] = &[
    "rule",
    "rule show",
    "-d rule show",
    "-o rule list",
    "-6 rule show",
    "rule show from 10.0.0.0/8",
    "rule show from 10.1.2.3",
    "rule show to 10.2.0.0/16",
    "rule show table 7",
    "rule show pref 200",
    "rule show not",
    "rule show iif veth0",
    "rule show fwmark 5",
    "rule show l3mdev",
    "rule show sport 80",
    "rule show ipproto tcp",
    "rule show tos 0x10",
];

fn rule_ns(tag: &str) -> TestNs {
    let ns = TestNs::new(tag);
    ns.ip_ok(&argv("link add veth0 type veth peer name veth1"));
    ns
}

fn compare_listings(ns: &TestNs) {
    for l in LISTINGS {
        assert_same_output(ns, "ip", &argv(l));
    }
}

fn add_all(ns: &TestNs, by_rawnet: bool) {
    for r in RULES {
        let mut words = vec!["rule", "add"];
        words.extend(argv(r));
        if by_rawnet {
            ns.rawnet_ok(&words);
        } else {
            ns.ip_ok(&words);
        }
    }
    let v6 = argv("-6 rule add from 2001:db8::/32 pref 10 table 7");
    if by_rawnet {
        ns.rawnet_ok(&v6);
    } else {
        ns.ip_ok(&v6);
    }
}

#[test]
fn rules_added_by_rawnet_print_as_ip_prints_them() {
    let ns = rule_ns("ru1");
    add_all(&ns, true);
    compare_listings(&ns);
    // What rawnet added is what ip adds: the same listing in a namespace
    // where ip added them.
    let theirs = rule_ns("ru2");
    add_all(&theirs, false);
    for l in ["rule", "-6 rule", "-d -j rule"] {
        assert_eq!(ns.ip_ok(&argv(l)), theirs.ip_ok(&argv(l)), "ip {l}");
    }
}

#[test]
fn rules_added_by_ip_print_the_same_from_rawnet() {
    let ns = rule_ns("ru3");
    add_all(&ns, false);
    compare_listings(&ns);
}

#[test]
fn fresh_namespace_lists_the_default_rules() {
    let ns = TestNs::new("ru4");
    let text = assert_same_output(&ns, "ip", &["rule"]);
    assert_eq!(text.as_array().map(Vec::len), Some(3));
    assert_eq!(
        ns.rawnet_ok(&["rule"]),
        "0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n"
    );
    assert_same_output(&ns, "ip", &["-6", "rule"]);
    assert_eq!(ns.rawnet_ok(&["ru", "s"]), ns.ip_ok(&["ru", "s"]));
}

#[test]
fn delete_removes_the_matching_rule() {
    let ns = rule_ns("ru5");
    add_all(&ns, false);
    ns.rawnet_ok(&argv("rule del pref 100"));
    ns.rawnet_ok(&argv("rule delete from 10.1.2.0/24 to 10.2.0.0/16 table 7"));
    ns.rawnet_ok(&argv("-6 rule del from 2001:db8::/32"));
    let listing = ns.ip_ok(&["rule"]);
    assert!(!listing.contains("100:\t"), "{listing}");
    assert!(!listing.contains("70:\t"), "{listing}");
    assert!(!ns.ip_ok(&["-6", "rule"]).contains("2001:db8"));
    // Gone: the kernel's ENOENT, as ip reports it.
    assert_fails_as_iproute2(
        &ns,
        "ip",
        &argv("rule del pref 100"),
        2,
        "RTNETLINK answers: No such file or directory",
    );
}

#[test]
fn flush_deletes_what_ip_flush_deletes() {
    let ours = rule_ns("ru6");
    let theirs = rule_ns("ru7");
    for ns in [&ours, &theirs] {
        add_all(ns, false);
    }
    // With a selector first, then everything (but priority 0).
    ours.rawnet_ok(&argv("rule flush table 7"));
    theirs.ip_ok(&argv("rule flush table 7"));
    assert_eq!(ours.ip_ok(&["rule"]), theirs.ip_ok(&["rule"]));
    ours.rawnet_ok(&argv("rule flush protocol bgp"));
    theirs.ip_ok(&argv("rule flush protocol bgp"));
    assert_eq!(ours.ip_ok(&["rule"]), theirs.ip_ok(&["rule"]));
    ours.rawnet_ok(&["rule", "flush"]);
    theirs.ip_ok(&["rule", "flush"]);
    assert_eq!(ours.ip_ok(&["rule"]), theirs.ip_ok(&["rule"]));
    assert_eq!(ours.ip_ok(&["rule"]), "0:\tfrom all lookup local\n");
    // IPv6 rules are untouched by an IPv4 flush, then flushed with -6.
    assert_eq!(ours.ip_ok(&["-6", "rule"]), theirs.ip_ok(&["-6", "rule"]));
    ours.rawnet_ok(&["-6", "rule", "flush"]);
    theirs.ip_ok(&["-6", "rule", "flush"]);
    assert_eq!(ours.ip_ok(&["-6", "rule"]), theirs.ip_ok(&["-6", "rule"]));
}

#[test]
fn bad_input_fails_as_ip_fails_and_changes_nothing() {
    let ns = rule_ns("ru8");
    ns.ip_ok(&argv("rule add from 10.0.0.0/8 table 5 pref 5"));
    let before = ns.ip_ok(&["rule"]);
    let cases: &[(&str, i32, &str)] = &[
        (
            "rule add pref abc",
            255,
            "Error: argument \"abc\" is wrong: preference value is invalid",
        ),
        (
            "rule add foo",
            255,
            "Error: argument \"foo\" is wrong: Failed to parse rule type",
        ),
        (
            "rule add fwmark x",
            255,
            "Error: argument \"x\" is wrong: fwmark value is invalid",
        ),
        (
            "rule add fwmark 1/y",
            255,
            "Error: argument \"y\" is wrong: fwmask value is invalid",
        ),
        (
            "rule add table nope",
            255,
            "Error: argument \"nope\" is wrong: invalid table ID",
        ),
        (
            "rule add iif a/b",
            255,
            "Error: argument \"a/b\" is wrong: \"iif\"/\"dev\" not a valid ifname",
        ),
        (
            "rule add uidrange 5",
            255,
            "Error: argument \"5\" is wrong: invalid UID range",
        ),
        (
            "rule add sport x",
            255,
            "Error: argument \"x\" is wrong: invalid port range",
        ),
        (
            "rule add ipproto nope",
            255,
            "Error: argument \"nope\" is wrong: Invalid \"ipproto\" value",
        ),
        (
            "rule add protocol nope",
            255,
            "Error: argument \"nope\" is wrong: \"protocol\" value is invalid",
        ),
        (
            "rule add tos 0x123",
            255,
            "Error: argument \"0x123\" is wrong: TOS value is invalid",
        ),
        (
            "rule add from 1.2.3.4/40",
            1,
            "Error: any valid prefix is expected rather than \"1.2.3.4/40\".",
        ),
        (
            "-4 rule add to 2001:db8::1",
            1,
            "Error: inet prefix is expected rather than \"2001:db8::1\".",
        ),
        (
            "rule show from bla",
            1,
            "Error: inet prefix is expected rather than \"bla\".",
        ),
        ("rule add", 1, "\"rawnet rule add\" requires arguments."),
        ("rule del", 1, "\"rawnet rule del\" requires arguments."),
        (
            "rule add pref 300 l3mdev table 5",
            22,
            "table can not be specified for l3mdev rules",
        ),
        (
            "rule add from 10.0.0.0/8 table 5 pref 5",
            2,
            "RTNETLINK answers: File exists",
        ),
        (
            "rule add from 2001:db8::/32 table 7",
            2,
            "Error: Invalid source address.",
        ),
        ("rule add tos 0x20 table 5", 2, "Error: Invalid tos."),
        (
            "rule bla",
            255,
            "Command \"bla\" is unknown, try \"rawnet rule help\".",
        ),
    ];
    for (line, code, message) in cases {
        assert_fails_as_iproute2(&ns, "ip", &argv(line), *code, message);
    }
    assert_eq!(ns.ip_ok(&["rule"]), before);
}

#[test]
fn rule_lines_in_a_batch() {
    let ns = rule_ns("ru9");
    let file = std::env::temp_dir().join(format!("rawnet-rule-batch-{}", std::process::id()));
    std::fs::write(
        &file,
        "rule add from 10.0.0.0/8 table 100 pref 100\nrule add fwmark 3 table 5\n\
         rule show\nrule del pref 100\nrule add to 10.3.0.0/16 lookup 8 pref 8\n",
    )
    .unwrap();
    let out = ns.rawnet(&["-batch", file.to_str().unwrap()]);
    let _ = std::fs::remove_file(&file);
    common::assert_success(&out, "rawnet -batch");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("100:\tfrom 10.0.0.0/8 lookup 100\n"),
        "{shown}"
    );
    assert_eq!(
        ns.ip_ok(&["rule"]),
        "0:\tfrom all lookup local\n8:\tfrom all to 10.3.0.0/16 lookup 8\n\
         99:\tfrom all fwmark 0x3 lookup 5\n32766:\tfrom all lookup main\n\
         32767:\tfrom all lookup default\n"
    );
}

/// What the differential driver (tests/diff) found rawnet doing unlike `ip`
/// 6.1: prefixes read by the shared parser (short forms, netmasks,
/// `default`), `-0`, incomplete lines.
#[test]
fn rule_prefixes_and_incomplete_lines_as_ip() {
    let ours = rule_ns("rx");
    let theirs = rule_ns("rx");
    let state = ["rule", "-6 rule"];
    for line in [
        "rule add from 10.2.3/24 to 172/8 table 104",
        "rule add from 10.0.0.0/255.0.0.0 table 5 pref 5",
        "-6 rule add from default table 6 pref 6",
        "rule add from default table 7 pref 7",
        "rule add to 10.0.0.0/255.0.255.0 table 5",
        "-0 rule add from 10/8 table 5",
        "rule add from 10.0.0.0/8 table",
        "rule del from 10.2.3/24",
    ] {
        common::assert_same_change_as_ip(&ours, &theirs, &argv(line), &state);
    }
    for line in ["rule show from 10/8", "rule show pref", "-f inet6 rule"] {
        common::assert_same_as_ip(&ours, &argv(line));
    }
}
