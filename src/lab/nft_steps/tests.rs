//! The nft commands the nat and service labs print, against what nft 1.0.6
//! does with the same words (tests/golden/nft-lab, see its PROVENANCE.md):
//! each printed command is one of the captured lines (golden text), its
//! transaction carries the bytes nft sent for that line, every captured
//! line is used by a lab, and each rule's expressions print back (as
//! `nft list ruleset` printed them) to the words the lab shows.

use crate::lab::{nat, service};
use crate::netlink::golden::hex;
use crate::netlink::Messages;
use crate::nft::expr::text::rule_text;
use crate::nft::rule::Rule;
use crate::nft::wire::NFPROTO_IPV4;

use super::NftCommand;

const REQUESTS: &str = include_str!("../../../tests/golden/nft-lab/requests.txt");
const LISTING: &str = include_str!("../../../tests/golden/nft-lab/listing.txt");

/// Every (namespace, command) the two labs run, built.
fn lab_commands() -> Vec<(&'static str, NftCommand)> {
    nat::commands()
        .into_iter()
        .chain(service::commands())
        .map(|(ns, c)| (ns, c.expect("the lab's command builds")))
        .collect()
}

/// The captured messages of each golden command line.
fn golden() -> Vec<(&'static str, Vec<Vec<u8>>)> {
    REQUESTS
        .lines()
        .map(|l| {
            let mut f = l.split('\t');
            let line = f.next().unwrap_or_default();
            (line, f.map(hex).collect())
        })
        .collect()
}

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn each_printed_command_sends_what_nft_sends_for_it() {
    let golden = golden();
    let commands = lab_commands();
    assert_eq!(commands.len(), 17);
    for (ns, c) in &commands {
        let Some((_, want)) = golden.iter().find(|(line, _)| *line == c.words) else {
            panic!("{ns}: {:?} is not a captured nft command", c.words);
        };
        let got = c.tx.messages();
        assert_eq!(got.len(), want.len(), "{}", c.words);
        for (g, w) in got.iter().zip(want) {
            assert_eq!(to_hex(g.as_bytes()), to_hex(w), "{}", c.words);
        }
    }
    for (line, _) in &golden {
        assert!(
            commands.iter().any(|(_, c)| c.words == *line),
            "captured but no lab prints it: {line}"
        );
    }
}

#[test]
fn the_commands_are_the_golden_text() {
    let printed: Vec<String> = lab_commands()
        .into_iter()
        .map(|(ns, c)| format!("{ns}: nft {}", c.words))
        .collect();
    assert_eq!(
        printed,
        [
            "node: nft add table ip rawnet-nat",
            "node: nft add chain ip rawnet-nat postrouting '{ type nat hook postrouting priority srcnat; }'",
            "node: nft add rule ip rawnet-nat postrouting ip saddr 10.244.1.0/24 oifname \"uplink\" masquerade",
            "pod: nft add table ip rawnet-pod",
            "pod: nft add chain ip rawnet-pod input '{ type filter hook input priority filter; }'",
            "pod: nft add rule ip rawnet-pod input ip saddr 192.168.60.2 meta l4proto icmp counter",
            "node: nft add chain ip rawnet-nat prerouting '{ type nat hook prerouting priority dstnat; }'",
            "node: nft add rule ip rawnet-nat prerouting iifname \"uplink\" ip daddr 192.168.60.1 meta l4proto icmp dnat to 10.244.1.2",
            "pod1: nft add table ip rawnet-pod",
            "pod1: nft add chain ip rawnet-pod input '{ type filter hook input priority filter; }'",
            "pod1: nft add rule ip rawnet-pod input ip saddr 192.168.60.2 meta l4proto icmp counter",
            "pod2: nft add table ip rawnet-pod",
            "pod2: nft add chain ip rawnet-pod input '{ type filter hook input priority filter; }'",
            "pod2: nft add rule ip rawnet-pod input ip saddr 192.168.60.2 meta l4proto icmp counter",
            "node: nft add table ip rawnet-service",
            "node: nft add chain ip rawnet-service prerouting '{ type nat hook prerouting priority dstnat; }'",
            "node: nft add rule ip rawnet-service prerouting ip daddr 10.96.0.10 dnat to numgen inc mod 2 map { 0 : 10.244.1.2, 1 : 10.244.1.3 }",
        ]
    );
}

#[test]
fn rules_without_sets_print_back_as_nft_lists_them() {
    let mut n = 0;
    for (_, c) in lab_commands() {
        let Some(rule_words) = c.words.strip_prefix("add rule ip ") else {
            continue;
        };
        let rule_words = rule_words.splitn(3, ' ').nth(2).unwrap_or_default();
        let Some(last) = c.tx.messages().last() else {
            panic!("{}: empty transaction", c.words);
        };
        if c.tx.len() > 1 {
            // Rules with anonymous sets print their elements from the set
            // dump; their bytes are nft's (above).
            continue;
        }
        let msg = Messages::new(last.as_bytes()).next().unwrap().unwrap();
        let rule = Rule::parse(&msg).unwrap();
        let exprs: Vec<_> = rule.exprs().collect::<Result<_, _>>().unwrap();
        let text = rule_text(NFPROTO_IPV4, &exprs);
        // A fresh counter is listed with its zeros.
        let listed = rule_words.replace("counter", "counter packets 0 bytes 0");
        assert_eq!(text, listed, "{}", c.words);
        assert!(
            LISTING.lines().any(|l| l.trim() == text),
            "nft listed no rule {text:?}:\n{LISTING}"
        );
        n += 1;
    }
    assert_eq!(n, 5);
}

#[test]
fn counted_sums_the_counters() {
    use crate::nft::expr::{Counter, Expr};
    let c = |packets| {
        Expr::Counter(Counter {
            bytes: Some(0),
            packets,
        })
    };
    assert_eq!(super::counted(&[]), 0);
    assert_eq!(super::counted(&[c(Some(3)), c(None), c(Some(2))]), 5);
}

#[test]
fn a_kernel_without_nf_tables_is_told_apart_from_other_failures() {
    use crate::error::{Error, KernelError};
    use crate::features::Support;
    use std::io;
    let io = |errno| Err(Error::io("socket", io::Error::from_raw_os_error(errno)));
    assert_eq!(super::nftables_support(Ok(())), Support::Supported);
    assert_eq!(
        super::nftables_support(io(libc::EPROTONOSUPPORT)),
        Support::Unsupported("socket: Protocol not supported".into())
    );
    assert_eq!(
        super::nftables_support(io(libc::EPERM)),
        Support::Unknown("socket: Operation not permitted".into())
    );
    let kernel = |errno| {
        Err(Error::Kernel(KernelError {
            errno,
            message: None,
            offset: None,
            attribute: None,
            request_type: 0,
            protocol: crate::netlink::header::NETLINK_NETFILTER,
        }))
    };
    assert!(matches!(
        super::nftables_support(kernel(libc::EOPNOTSUPP)),
        Support::Unsupported(_)
    ));
    assert!(matches!(
        super::nftables_support(kernel(libc::ENOENT)),
        Support::Unsupported(_)
    ));
    assert!(matches!(
        super::nftables_support(kernel(libc::EPERM)),
        Support::Unknown(_)
    ));
}
