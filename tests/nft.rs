//! `rawnet nft` (tables and chains) against nft 1.0.6, inside namespaces made
//! by `TestNs`: what rawnet creates, nft lists identically to rawnet (text,
//! `-a`, `-j`), and the other way round; a failing transaction changes
//! nothing; bad input is one clear error and a nonzero exit.

mod common;

use std::process::Output;

use common::{rawnet_nft, rawnet_nft_ok, TestNs};

/// `ip netns exec NS nft ARGS...`, or `None` when nft is not installed.
fn nft(ns: &TestNs, args: &[&str]) -> Option<Output> {
    common::have_nft().then(|| common::nft(ns, args))
}

fn nft_ok(ns: &TestNs, args: &[&str]) -> Option<String> {
    let out = nft(ns, args)?;
    assert!(
        out.status.success(),
        "nft {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

const LISTINGS: &[&[&str]] = &[
    &["list", "ruleset"],
    &["-a", "list", "ruleset"],
    &["-j", "list", "ruleset"],
    &["list", "tables"],
    &["-j", "list", "tables"],
    &["list", "chains"],
    &["-a", "list", "chains"],
    &["-j", "list", "chains"],
    &["list", "table", "t"],
    &["-a", "list", "table", "inet", "f"],
    &["-a", "list", "chain", "t", "c"],
    &["-j", "list", "chain", "netdev", "nd", "i"],
    &["list", "ruleset", "ip6"],
];

/// Every listing the same from both tools.
fn assert_same_listings(ns: &TestNs) -> bool {
    for args in LISTINGS {
        let Some(theirs) = nft(ns, args) else {
            return false;
        };
        let ours = rawnet_nft(ns, args);
        assert_eq!(
            String::from_utf8_lossy(&ours.stdout),
            String::from_utf8_lossy(&theirs.stdout),
            "nft {args:?}"
        );
        assert_eq!(ours.status.code(), theirs.status.code(), "nft {args:?}");
    }
    true
}

const SETUP: &[&str] = &[
    "add table t",
    "add table inet f",
    "add chain t c { type filter hook input priority filter + 10; policy drop; }",
    "add chain t n { type nat hook postrouting priority srcnat - 5; }",
    "add chain t r",
    "add chain t m { type filter hook output priority -150; }",
    "add chain inet f pre { type filter hook prerouting priority dstnat; policy accept; }",
    "add table netdev nd",
    "add chain netdev nd i { type filter hook ingress device lo priority -150; }",
    "add table ip6 e",
];

#[test]
fn what_rawnet_creates_nft_lists_the_same() {
    let ns = TestNs::new("nftr");
    for line in SETUP {
        // One word with the brace block, as a shell user quotes it.
        let (head, block) = match line.find('{') {
            Some(i) => (&line[..i], Some(&line[i..])),
            None => (&line[..], None),
        };
        let mut args: Vec<&str> = head.split_whitespace().collect();
        args.extend(block);
        rawnet_nft_ok(&ns, &args);
    }
    assert_same_listings(&ns);
}

#[test]
fn what_nft_creates_rawnet_lists_the_same() {
    let ns = TestNs::new("nftn");
    for line in SETUP {
        if nft_ok(&ns, &[line]).is_none() {
            return;
        }
    }
    assert_same_listings(&ns);
    // Deleting and flushing with rawnet, nft sees it.
    rawnet_nft_ok(&ns, &["delete", "chain", "t", "r"]);
    rawnet_nft_ok(&ns, &["flush", "chain", "t", "c"]);
    rawnet_nft_ok(&ns, &["flush", "table", "inet", "f"]);
    rawnet_nft_ok(&ns, &["delete", "table", "ip6", "e"]);
    let tables = nft_ok(&ns, &["list", "tables"]).unwrap();
    assert_eq!(tables, "table ip t\ntable inet f\ntable netdev nd\n");
    assert!(!nft_ok(&ns, &["list", "chains"])
        .unwrap()
        .contains("chain r "));
    rawnet_nft_ok(&ns, &["flush", "ruleset"]);
    assert_eq!(nft_ok(&ns, &["list", "ruleset"]).unwrap(), "");
}

#[test]
fn a_file_is_one_transaction() {
    let ns = TestNs::new("nftf");
    let dir = std::env::temp_dir().join(common::unique_name("nftfile"));
    std::fs::write(
        &dir,
        "# a table and its chain\nadd table inet ft\n\nadd chain inet ft c { type filter hook input priority 0; }\ndelete table ip nosuch\n",
    )
    .unwrap();
    let path = dir.to_str().unwrap();
    let out = rawnet_nft(&ns, &["-f", path]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(
            "Error: Could not process rule: No such file or directory\ndelete table ip nosuch\n"
        ),
        "{err}"
    );
    assert_eq!(
        rawnet_nft_ok(&ns, &["list", "ruleset"]),
        "",
        "nothing applied"
    );
    // Without the bad line, all of it.
    std::fs::write(
        &dir,
        "add table inet ft\nadd chain inet ft c { type filter hook input priority 0; }\n",
    )
    .unwrap();
    rawnet_nft_ok(&ns, &["-f", path]);
    let _ = std::fs::remove_file(&dir);
    if let Some(theirs) = nft_ok(&ns, &["list", "ruleset"]) {
        assert_eq!(rawnet_nft_ok(&ns, &["list", "ruleset"]), theirs);
        assert!(theirs.contains("chain c {"), "{theirs}");
    }
}

#[test]
fn bad_input_is_one_error_and_changes_nothing() {
    let ns = TestNs::new("nftb");
    rawnet_nft_ok(&ns, &["add", "table", "t"]);
    let before = rawnet_nft_ok(&ns, &["-a", "list", "ruleset"]);
    let cases: &[(&[&str], &str)] = &[
        (&["add", "table", "foo", "t"], "Error: syntax error"),
        (
            &[
                "add",
                "chain",
                "t",
                "x",
                "{ type nat hook forward priority 0; }",
            ],
            "Error: Could not process rule: Operation not supported",
        ),
        (
            &["add", "chain", "nosuch", "x"],
            "Error: Could not process rule: No such file or directory",
        ),
        (
            &["list", "table", "nosuch"],
            "Error: No such file or directory",
        ),
        (
            &["create", "table", "t"],
            "Error: Could not process rule: File exists",
        ),
        (
            &[
                "add",
                "chain",
                "t",
                "y",
                "{ type filter hook output priority dstnat; }",
            ],
            "Error: invalid priority expression value in this context.",
        ),
        (
            &[
                "add",
                "chain",
                "t",
                "y",
                "{ type filter hook input priority 0; policy bogus; }",
            ],
            "Error: syntax error",
        ),
        (&["frobnicate"], "Error: syntax error"),
    ];
    for (args, first) in cases {
        let out = rawnet_nft(&ns, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with(first), "{args:?}: {err}");
        if let Some(theirs) = nft(&ns, args) {
            assert_eq!(theirs.status.code(), Some(1), "nft {args:?} fails too");
        }
    }
    assert_eq!(rawnet_nft_ok(&ns, &["-a", "list", "ruleset"]), before);
    // The kernel's refusal over nfnetlink is never worded as rtnetlink's.
    let out = rawnet_nft(&ns, &["delete", "table", "nosuch"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("RTNETLINK"));
}

#[test]
fn a_large_file_goes_in_one_transaction() {
    // 20,000 chains: a datagram of about 800 KiB and 20,001 acks, past the
    // default socket buffers.
    let ns = TestNs::new("nftl");
    let path = std::env::temp_dir().join(common::unique_name("nftlarge"));
    let mut text = String::from("add table inet big\n");
    for i in 0..20_000 {
        text.push_str(&format!("add chain inet big c{i}\n"));
    }
    std::fs::write(&path, text).unwrap();
    rawnet_nft_ok(&ns, &["-f", path.to_str().unwrap()]);
    let _ = std::fs::remove_file(&path);
    let chains = rawnet_nft_ok(&ns, &["list", "chains"]);
    assert_eq!(chains.matches("\tchain c").count(), 20_000);
}
