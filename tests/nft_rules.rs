//! `rawnet nft` rules against nft 1.0.6, inside namespaces made by
//! `TestNs`: rules rawnet adds, nft lists identically to rawnet (text, `-a`,
//! `-j`) and the other way round; insert, position, replace and delete by
//! handle; a failing file and bad input change nothing; and live traffic:
//! a `drop` rule stops a ping, its counter counts it, deleting the rule by
//! handle lets the ping through again.

mod common;

use std::process::Command;

use common::pair::Pair;
use common::{argv, have_nft, nft, nft_ok, rawnet_nft, rawnet_nft_ok, skipped, TestNs};

/// Tables, chains and rules of every supported form.
const SETUP: &[&str] = &[
    "add table ip t",
    "add chain ip t c { type filter hook input priority 0; }",
    "add chain ip t d",
    "add rule ip t c ip saddr 10.0.0.0/8 tcp dport 80 counter accept",
    "add rule ip t c iifname lo ct state established,related accept",
    "add rule ip t c ip daddr 1.2.3.4 udp sport 1000-2000 jump d",
    "add rule ip t d meta l4proto icmp drop",
    "add rule ip t d ip protocol tcp return",
    "add rule ip t c ct state != established drop",
    "add rule ip t c ip saddr != 10.0.0.1 goto d",
    "add rule ip t c tcp dport != 1-5 continue",
    "add rule ip t c ip saddr 10.0.0.0/12 oifname \"veth*\" counter",
    "add table inet f",
    "add chain inet f n { type nat hook prerouting priority dstnat; }",
    "add rule inet f n ip6 daddr ::1 tcp dport 80 dnat ip6 to [::2]:8080",
    "add rule inet f n tcp dport 80 redirect to :8080",
    "add rule inet f n ct state established,related accept",
    "add rule inet f n ct state != established,related accept",
    "add rule inet f n ip daddr 10.9.0.0/16 tcp dport 81 dnat ip to 10.0.0.2:8080",
    "add chain inet f p { type nat hook postrouting priority srcnat; }",
    "add rule inet f p oifname != \"eth*\" ip saddr 10.1.0.0/16 masquerade",
    "add rule inet f p ip saddr 10.2.0.0/16 snat ip to 10.0.0.9",
    "add table ip6 s",
    "add chain ip6 s c",
    "add rule ip6 s c ip6 saddr fe80::/10 ip6 daddr ::1 accept",
];

const LISTINGS: &[&[&str]] = &[
    &["list", "ruleset"],
    &["-a", "list", "ruleset"],
    &["-j", "list", "ruleset"],
    &["list", "table", "inet", "f"],
    &["-a", "list", "table", "t"],
    &["-j", "list", "table", "inet", "f"],
    &["-a", "list", "chain", "t", "c"],
    &["-j", "list", "chain", "ip", "t", "c"],
    &["list", "ruleset", "ip6"],
    &["list", "chains"],
];

fn assert_same_listings(ns: &TestNs) {
    for args in LISTINGS {
        let theirs = nft(ns, args);
        let ours = rawnet_nft(ns, args);
        assert_eq!(
            String::from_utf8_lossy(&ours.stdout),
            String::from_utf8_lossy(&theirs.stdout),
            "nft {args:?}"
        );
        assert_eq!(ours.status.code(), theirs.status.code(), "nft {args:?}");
    }
}

/// A command line as a shell user types it: the brace block one word.
fn shell_words(line: &str) -> Vec<&str> {
    let (head, block) = match line.find('{') {
        Some(i) => (&line[..i], Some(&line[i..])),
        None => (line, None),
    };
    let mut args: Vec<&str> = head.split_whitespace().collect();
    args.extend(block);
    args
}

#[test]
fn rules_rawnet_adds_nft_lists_the_same() {
    if !have_nft() {
        return;
    }
    let ns = TestNs::new("nru");
    for line in SETUP {
        rawnet_nft_ok(&ns, &shell_words(line));
    }
    assert!(nft_ok(&ns, &["list", "ruleset"]).contains("\t\tip saddr 10.0.0.0/8 tcp dport 80"));
    assert_same_listings(&ns);
}

#[test]
fn rules_nft_adds_rawnet_lists_the_same() {
    if !have_nft() {
        return;
    }
    let ns = TestNs::new("nrn");
    for line in SETUP {
        nft_ok(&ns, &[line]);
    }
    assert_same_listings(&ns);
}

/// The rules of `t c` as (handle, text) pairs, from rawnet's `-a` listing.
fn rules_of(ns: &TestNs) -> Vec<(u64, String)> {
    rawnet_nft_ok(ns, &["-a", "list", "chain", "t", "c"])
        .lines()
        .filter_map(|l| {
            let (text, h) = l.trim().rsplit_once(" # handle ")?;
            if text.starts_with("chain") {
                return None;
            }
            Some((h.parse().ok()?, text.to_string()))
        })
        .collect()
}

#[test]
fn insert_position_replace_and_delete_by_handle() {
    let ns = TestNs::new("nrp");
    rawnet_nft_ok(&ns, &argv("add table t"));
    rawnet_nft_ok(&ns, &argv("add chain t c"));
    rawnet_nft_ok(&ns, &argv("add rule t c tcp dport 1 accept"));
    rawnet_nft_ok(&ns, &argv("add rule t c tcp dport 2 accept"));
    rawnet_nft_ok(&ns, &argv("insert rule t c tcp dport 0 accept"));
    let r = rules_of(&ns);
    let texts: Vec<&str> = r.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        texts,
        [
            "tcp dport 0 accept",
            "tcp dport 1 accept",
            "tcp dport 2 accept"
        ]
    );
    let h1 = r[1].0.to_string();
    rawnet_nft_ok(
        &ns,
        &argv(&format!("add rule t c position {h1} udp dport 11 drop")),
    );
    rawnet_nft_ok(
        &ns,
        &argv(&format!("insert rule t c position {h1} udp dport 9 drop")),
    );
    let h2 = r[2].0.to_string();
    rawnet_nft_ok(
        &ns,
        &argv(&format!(
            "replace rule t c handle {h2} udp dport 22 counter drop"
        )),
    );
    let texts: Vec<String> = rules_of(&ns).into_iter().map(|(_, t)| t).collect();
    assert_eq!(
        texts,
        [
            "tcp dport 0 accept",
            "udp dport 9 drop",
            "tcp dport 1 accept",
            "udp dport 11 drop",
            "udp dport 22 counter packets 0 bytes 0 drop"
        ]
    );
    rawnet_nft_ok(&ns, &argv(&format!("delete rule t c handle {h1}")));
    let after = rules_of(&ns);
    assert_eq!(after.len(), 4);
    assert!(after.iter().all(|(h, _)| h.to_string() != h1));
    if have_nft() {
        assert_eq!(
            nft_ok(&ns, &["-a", "list", "ruleset"]),
            rawnet_nft_ok(&ns, &["-a", "list", "ruleset"])
        );
    }
}

#[test]
fn a_failing_file_adds_no_rule() {
    let ns = TestNs::new("nrf");
    let path = std::env::temp_dir().join(common::unique_name("nftrules"));
    std::fs::write(
        &path,
        "add table ip t\nadd chain ip t c\nadd rule ip t c tcp dport 80 accept\nadd rule ip t nosuch drop\n",
    )
    .unwrap();
    let out = rawnet_nft(&ns, &["-f", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(
            "Error: Could not process rule: No such file or directory\nadd rule ip t nosuch drop\n"
        ),
        "{err}"
    );
    assert_eq!(rawnet_nft_ok(&ns, &["list", "ruleset"]), "");
    // A bad value on the last line: nothing is sent at all.
    std::fs::write(
        &path,
        "add table ip t\nadd chain ip t c\nadd rule ip t c tcp dport 80 accept\nadd rule ip t c tcp dport 80000 drop\n",
    )
    .unwrap();
    let out = rawnet_nft(&ns, &["-f", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Service out of range"));
    assert_eq!(rawnet_nft_ok(&ns, &["list", "ruleset"]), "");
    // Without the bad line, all of it.
    std::fs::write(
        &path,
        "add table ip t\nadd chain ip t c\nadd rule ip t c tcp dport 80 accept\n",
    )
    .unwrap();
    rawnet_nft_ok(&ns, &["-f", path.to_str().unwrap()]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(
        rawnet_nft_ok(&ns, &["list", "ruleset"]),
        "table ip t {\n\tchain c {\n\t\ttcp dport 80 accept\n\t}\n}\n"
    );
}

#[test]
fn bad_rules_are_one_error_and_change_nothing() {
    let ns = TestNs::new("nrb");
    rawnet_nft_ok(&ns, &argv("add table t"));
    rawnet_nft_ok(&ns, &argv("add chain t c"));
    rawnet_nft_ok(&ns, &argv("add rule t c accept"));
    let before = rawnet_nft_ok(&ns, &["-a", "list", "ruleset"]);
    let cases: &[(&str, &str)] = &[
        (
            "add rule t c ip saddr 10.0.0.0/33 accept",
            "Error: Prefix length 33 is invalid for type of 32 bits width",
        ),
        (
            "add rule t c tcp dport 70000 accept",
            "Error: Service out of range",
        ),
        (
            "add rule t nosuch accept",
            "Error: Could not process rule: No such file or directory",
        ),
        (
            "add rule ip nosuch c accept",
            "Error: Could not process rule: No such file or directory",
        ),
        ("add rule foo t c accept", "Error: syntax error"),
        ("add rule t c bogus", "Error: syntax error"),
        (
            "delete rule t c handle 999",
            "Error: Could not process rule: No such file or directory",
        ),
        (
            "add rule t c jump nosuch",
            "Error: Could not process rule: No such file or directory",
        ),
    ];
    for (line, first) in cases {
        let out = rawnet_nft(&ns, &argv(line));
        assert_eq!(out.status.code(), Some(1), "{line}");
        let err = String::from_utf8_lossy(&out.stderr);
        let one = err.lines().next().unwrap_or("");
        if first.starts_with("Error: syntax error") {
            assert!(one.starts_with(first), "{line}: {err}");
        } else {
            assert_eq!(one, *first, "{line}: {err}");
        }
        assert_eq!(err.lines().nth(1), Some(*line), "{line}: {err}");
        if have_nft() {
            let theirs = nft(&ns, &argv(line));
            assert_eq!(theirs.status.code(), Some(1), "nft {line} fails too");
            let their_err = String::from_utf8_lossy(&theirs.stderr);
            if !first.starts_with("Error: syntax error") {
                assert_eq!(their_err.lines().next(), Some(*first), "nft {line}");
            }
        }
    }
    assert_eq!(rawnet_nft_ok(&ns, &["-a", "list", "ruleset"]), before);
}

#[test]
fn a_drop_rule_stops_ping_and_counts_it() {
    if Command::new("ping").arg("-V").output().is_err() {
        skipped("iputils ping is not installed");
        return;
    }
    let pair = Pair::new("nr");
    let b = &pair.b;
    assert!(pair.iputils_answers(&[]), "ping before any rule");
    rawnet_nft_ok(b, &argv("add table ip rnf"));
    rawnet_nft_ok(
        b,
        &shell_words("add chain ip rnf in { type filter hook input priority 0; policy accept; }"),
    );
    rawnet_nft_ok(
        b,
        &argv("add rule ip rnf in ip saddr 10.77.0.1 meta l4proto icmp counter drop"),
    );
    assert!(!pair.iputils_answers(&[]), "the drop rule stops the ping");
    let listing = rawnet_nft_ok(b, &["-a", "list", "chain", "rnf", "in"]);
    let line = listing
        .lines()
        .find(|l| l.contains("counter packets"))
        .expect("the rule is listed");
    let packets: u64 = line
        .split("counter packets ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("a packet count");
    assert!(packets >= 1, "{line}");
    let handle = line.rsplit(" # handle ").next().unwrap().trim();
    rawnet_nft_ok(b, &argv(&format!("delete rule ip rnf in handle {handle}")));
    assert!(pair.iputils_answers(&[]), "ping again after the delete");
}
