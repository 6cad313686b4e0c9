//! `rawnet nft` sets and maps against nft 1.0.6, inside namespaces made by
//! `TestNs`: anonymous sets and maps in rules (`{ A, B }`, prefixes, ports,
//! `!=`, concatenated vmaps, numgen maps), named sets and maps (`add set`,
//! `add map`, `add|delete element`, `@NAME` references) added by rawnet
//! list identically in nft and rawnet (text, `-a`, `-j`, `list set|map|
//! sets|maps`), and the other way round; a live check that an anonymous set
//! drops what it should; bad input is one error, exit 1, nothing changed.

mod common;

use std::process::Command;

use common::pair::Pair;
use common::{argv, have_nft, nft, rawnet_nft, skipped, TestNs};

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

const SETUP: &[&str] = &[
    "add table ip t",
    "add chain ip t c { type filter hook input priority 0; }",
    "add chain ip t svc1",
    "add chain ip t pre { type nat hook prerouting priority dstnat; }",
    "add rule ip t c ip daddr { 10.0.0.1, 10.0.0.2 }",
    "add rule ip t c ip saddr { 10.0.0.0/8, 192.168.1.1 }",
    "add rule ip t c tcp dport { 80, 443 } accept",
    "add rule ip t c ip daddr != { 10.0.0.1, 10.0.0.2 } drop",
    "add rule ip t pre dnat to numgen inc mod 2 map { 0 : 10.0.0.1, 1 : 10.0.0.2 }",
    "add rule ip t c ip daddr . tcp dport vmap { 10.96.0.10 . 80 : jump svc1, 10.96.0.11 . 53 : goto svc1 }",
    "add rule ip t c ip daddr vmap { 1.1.1.1 : accept, 2.2.2.2 : drop }",
    "add set ip t s { type ipv4_addr; elements = { 1.1.1.1, 2.2.2.2, 3.3.3.3 } ; }",
    "add set ip t r { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 1.1.1.1 } ; }",
    "add map ip t m { type ipv4_addr . inet_service : verdict; }",
    "add element ip t m { 10.96.0.10 . 53 : jump svc1 }",
    "add set ip t p { type inet_service; flags constant; elements = { 1, 2, 3, 4, 5, 6, 7 }; }",
    "add set ip t i { type ifname; elements = { \"lo\", \"eth0\" }; }",
    "add set ip t mk { type mark; elements = { 1, 0x10 }; }",
    "add set ip t e { type inet_proto; }",
    "add rule ip t c ip daddr @s",
    "add rule ip t c ip daddr != @s drop",
    "add rule ip t c ip daddr . tcp dport vmap @m",
    "add element ip t s { 4.4.4.4 }",
    "delete element ip t s { 1.1.1.1 }",
    "add set ip t gone { type inet_service; }",
    "delete set ip t gone",
    "add table inet f",
    "add chain inet f c",
    "add rule inet f c ip daddr { 10.0.0.1, 10.0.0.2 } accept",
    "add table ip empty",
    "add set ip empty only { type ipv4_addr; }",
];

const LISTINGS: &[&str] = &[
    "list ruleset",
    "-a list ruleset",
    "-j list ruleset",
    "list table t",
    "-a list chain t c",
    "-j list chain t c",
    "list set t s",
    "list map ip t m",
    "list sets",
    "list maps",
    "-j list set t r",
    "list set t nosuch",
];

fn assert_same_listings(ns: &TestNs) {
    for line in LISTINGS {
        let args = argv(line);
        let theirs = nft(ns, &args);
        let ours = rawnet_nft(ns, &args);
        assert_eq!(
            String::from_utf8_lossy(&ours.stdout),
            String::from_utf8_lossy(&theirs.stdout),
            "nft {line}"
        );
        assert_eq!(ours.status.code(), theirs.status.code(), "nft {line}");
    }
}

#[test]
fn sets_rawnet_adds_nft_lists_the_same() {
    if !have_nft() {
        return;
    }
    let ns = TestNs::new("nsr");
    for line in SETUP {
        let out = rawnet_nft(&ns, &shell_words(line));
        assert!(
            out.status.success(),
            "rawnet nft {line}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_same_listings(&ns);
}

#[test]
fn sets_nft_adds_rawnet_lists_the_same() {
    if !have_nft() {
        return;
    }
    let ns = TestNs::new("nsn");
    for line in SETUP {
        let out = nft(&ns, &shell_words(line));
        assert!(
            out.status.success(),
            "nft {line}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_same_listings(&ns);
}

#[test]
fn a_file_with_sets_is_one_transaction() {
    if !have_nft() {
        return;
    }
    let ns = TestNs::new("nsf");
    let dir = std::env::temp_dir().join(format!("rawnet-nftsets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.nft");
    std::fs::write(&good, SETUP.join("\n")).unwrap();
    let out = rawnet_nft(&ns, &["-f", good.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_same_listings(&ns);
    // A failing line takes the whole file back.
    let before = nft(&ns, &["list", "ruleset"]).stdout;
    let bad = dir.join("bad.nft");
    std::fs::write(
        &bad,
        "add set ip t more { type ipv4_addr; }\nadd rule ip t c ip daddr { 9.9.9.9 } jump nosuch\n",
    )
    .unwrap();
    let out = rawnet_nft(&ns, &["-f", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("add rule ip t c ip daddr { 9.9.9.9 } jump nosuch"),
        "the refusal names its line: {err}"
    );
    assert_eq!(nft(&ns, &["list", "ruleset"]).stdout, before);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_sets_are_one_error_and_change_nothing() {
    let ns = TestNs::new("nsb");
    for line in [
        "add table t",
        "add chain t c",
        "add set t s { type inet_service; }",
    ] {
        let out = rawnet_nft(&ns, &shell_words(line));
        assert!(out.status.success(), "{line}");
    }
    let before = rawnet_nft(&ns, &["-a", "list", "ruleset"]).stdout;
    let cases: &[(&str, &str)] = &[
        ("add set t x { type foo; }", "Error: unknown datatype foo"),
        (
            "add element t s { 1.2.3.4 }",
            "Error: Could not resolve service: Servname not supported for ai_socktype",
        ),
        (
            "add rule t c tcp dport { 1.2.3.4 }",
            "Error: Could not resolve service: Servname not supported for ai_socktype",
        ),
        (
            "add rule t c ip daddr @nope",
            "Error: No such file or directory",
        ),
        (
            "add element t nope { 1.2.3.4 }",
            "Error: No such file or directory",
        ),
    ];
    for (line, first) in cases {
        let out = rawnet_nft(&ns, &shell_words(line));
        assert_eq!(out.status.code(), Some(1), "{line}");
        let err = String::from_utf8_lossy(&out.stderr);
        let one = err.lines().next().unwrap_or("");
        assert!(one.starts_with(first), "{line}: {err}");
        assert_eq!(err.lines().nth(1), Some(*line), "{line}: {err}");
        if have_nft() {
            let theirs = nft(&ns, &shell_words(line));
            assert_eq!(theirs.status.code(), Some(1), "nft {line} fails too");
            let their_err = String::from_utf8_lossy(&theirs.stderr);
            assert!(their_err.starts_with(first), "nft {line}: {their_err}");
        }
    }
    assert_eq!(rawnet_nft(&ns, &["-a", "list", "ruleset"]).stdout, before);
}

#[test]
fn an_anonymous_set_drops_what_it_holds() {
    if Command::new("ping").arg("-V").output().is_err() {
        skipped("iputils ping is not installed");
        return;
    }
    let pair = Pair::new("ns");
    pair.a.ip_ok(&argv("addr add 10.77.0.3/24 dev veth0"));
    assert!(
        pair.iputils_answers(&["-I", "10.77.0.1"]),
        "ping before any rule"
    );
    for line in [
        "add table ip t",
        "add chain ip t in { type filter hook input priority 0; }",
        "add rule ip t in ip saddr { 10.77.0.1, 10.80.0.0/16 } drop",
    ] {
        let out = rawnet_nft(&pair.b, &shell_words(line));
        assert!(
            out.status.success(),
            "{line}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(
        !pair.iputils_answers(&["-I", "10.77.0.1"]),
        "10.77.0.1 is in the set: dropped"
    );
    assert!(
        pair.iputils_answers(&["-I", "10.77.0.3"]),
        "10.77.0.3 is not in the set: answered"
    );
}
