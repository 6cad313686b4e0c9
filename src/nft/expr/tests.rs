//! Golden tests against nft 1.0.6 (tests/golden/nft-expr, see its
//! PROVENANCE.md): the compiler's rules equal nft's requests byte for byte,
//! decode back to the same expressions and to nft's debug text; the
//! kernel's dump of them decodes and prints as `nft list ruleset` does;
//! every truncation decodes without a panic.

use std::net::IpAddr;

use super::compile::{compile, Match, Ports, Side, Stmt, IPPROTO_TCP, IPPROTO_UDP};
use super::text::rule_text;
use super::*;
use crate::netlink::golden::hex;
use crate::netlink::Messages;
use crate::nft::rule::{Placement, Rule, RuleSpec};
use crate::nft::wire::{NFPROTO_INET, NFPROTO_IPV4};

const REQUESTS: &str = include_str!("../../../tests/golden/nft-expr/requests.txt");
const DEBUG: &str = include_str!("../../../tests/golden/nft-expr/debug.txt");
const DUMP: &str = include_str!("../../../tests/golden/nft-expr/dump.txt");
const LISTING: &str = include_str!("../../../tests/golden/nft-expr/listing.txt");

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn addr(side: Side, not: bool, a: &str, len: u8) -> Stmt {
    Stmt::Match(Match::Addr {
        side,
        not,
        addr: ip(a),
        len,
    })
}

fn port(proto: u8, side: Side, not: bool, ports: Ports) -> Stmt {
    Stmt::Match(Match::Port {
        proto,
        side,
        not,
        ports,
    })
}

/// The typed statements of each captured rule text.
fn stmts(rule: &str) -> Vec<Stmt> {
    use Side::*;
    let tcp80 = port(IPPROTO_TCP, Destination, false, Ports::One(80));
    match rule {
        "ip saddr 10.0.0.0/8" => vec![addr(Source, false, "10.0.0.0", 8)],
        "ip saddr 10.16.0.0/12" => vec![addr(Source, false, "10.16.0.0", 12)],
        "ip daddr != 1.2.3.4" => vec![addr(Destination, true, "1.2.3.4", 32)],
        "iifname \"veth0\"" => vec![Stmt::Match(Match::IfName {
            output: false,
            not: false,
            name: "veth0".into(),
        })],
        "oifname != \"eth1\"" => vec![Stmt::Match(Match::IfName {
            output: true,
            not: true,
            name: "eth1".into(),
        })],
        "meta l4proto tcp" => vec![Stmt::Match(Match::L4Proto {
            not: false,
            proto: 6,
        })],
        "ip protocol icmp" => vec![Stmt::Match(Match::IpProtocol {
            not: false,
            proto: 1,
        })],
        "tcp dport 80" => vec![tcp80],
        "tcp dport != 22" => vec![port(IPPROTO_TCP, Destination, true, Ports::One(22))],
        "udp sport 53" => vec![port(IPPROTO_UDP, Source, false, Ports::One(53))],
        "ct state established,related" => vec![Stmt::Match(Match::CtState {
            not: false,
            bits: 6,
        })],
        "ct state new" => vec![Stmt::Match(Match::CtState {
            not: false,
            bits: 8,
        })],
        "counter" => vec![Stmt::Counter],
        "accept" => vec![Stmt::Verdict(Verdict::Accept)],
        "drop" => vec![Stmt::Verdict(Verdict::Drop)],
        "return" => vec![Stmt::Verdict(Verdict::Return)],
        "jump other" => vec![Stmt::Verdict(Verdict::Jump("other".into()))],
        "goto other" => vec![Stmt::Verdict(Verdict::Goto("other".into()))],
        "meta mark 0x00000010" => vec![Stmt::Match(Match::Mark {
            not: false,
            value: 16,
        })],
        "ip saddr 10.0.0.0/8 tcp dport 80 counter accept" => vec![
            addr(Source, false, "10.0.0.0", 8),
            tcp80,
            Stmt::Counter,
            Stmt::Verdict(Verdict::Accept),
        ],
        "masquerade" => vec![Stmt::Masquerade {
            ports: None,
            flags: 0,
        }],
        "masquerade random" => vec![Stmt::Masquerade {
            ports: None,
            flags: nat::NF_NAT_RANGE_PROTO_RANDOM,
        }],
        "snat to 10.0.0.1" => vec![Stmt::Snat {
            addr: ip("10.0.0.1"),
            ports: None,
        }],
        "dnat to 10.0.0.2" => vec![Stmt::Dnat {
            addr: ip("10.0.0.2"),
            ports: None,
        }],
        "tcp dport 80 dnat to 10.0.0.2:8080" => vec![
            tcp80,
            Stmt::Dnat {
                addr: ip("10.0.0.2"),
                ports: Some((8080, 8080)),
            },
        ],
        "ip protocol tcp snat to 10.0.0.1:1000-2000" => vec![
            Stmt::Match(Match::IpProtocol {
                not: false,
                proto: 6,
            }),
            Stmt::Snat {
                addr: ip("10.0.0.1"),
                ports: Some((1000, 2000)),
            },
        ],
        "tcp dport 80 redirect to :8080" => vec![
            tcp80,
            Stmt::Redirect {
                ports: Some((8080, 8080)),
            },
        ],
        "tcp sport 1-1024" => vec![port(IPPROTO_TCP, Source, false, Ports::Range(1, 1024))],
        "ip6 saddr fd00::/64" => vec![addr(Source, false, "fd00::", 64)],
        "meta l4proto tcp dnat ip to 10.0.0.2:80" => vec![
            Stmt::Match(Match::L4Proto {
                not: false,
                proto: 6,
            }),
            Stmt::Dnat {
                addr: ip("10.0.0.2"),
                ports: Some((80, 80)),
            },
        ],
        other => panic!("no statements for {other:?}"),
    }
}

/// (family, table, chain, rule text, request bytes) of each capture.
fn requests() -> Vec<(u8, &'static str, &'static str, &'static str, Vec<u8>)> {
    REQUESTS
        .lines()
        .map(|l| {
            let mut f = l.split('\t');
            let (chain, rule, bytes) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
            let (family, table, chain) = match chain.strip_prefix("inet:") {
                Some(c) => (NFPROTO_INET, "rawnety", c),
                None => (NFPROTO_IPV4, "rawnetx", chain),
            };
            (family, table, chain, rule, hex(bytes))
        })
        .collect()
}

#[test]
fn compiled_rules_equal_nfts_requests() {
    let reqs = requests();
    assert_eq!(reqs.len(), 33);
    for (family, table, chain, rule, want) in reqs {
        let exprs = compile(family, &stmts(rule)).unwrap();
        let spec = RuleSpec {
            family,
            table: table.into(),
            chain: chain.into(),
            exprs,
            placement: Placement::Append,
            userdata: None,
        };
        let got = spec.request().unwrap();
        assert_eq!(got.as_bytes(), &want[..], "{rule}");
    }
}

/// nft's `--debug=netlink` lines of each rule, by rule text.
fn debug_lines(family: u8, table: &str, chain: &str, rule: &str) -> Vec<&'static str> {
    let fam = if family == NFPROTO_INET { "inet" } else { "ip" };
    let head = format!("add rule {fam} {table} {chain} {rule}");
    let section = DEBUG
        .split("### ")
        .find(|s| s.lines().next() == Some(head.as_str()))
        .unwrap_or_else(|| panic!("no debug text for {rule}"));
    section
        .lines()
        .filter(|l| l.starts_with("  ["))
        .map(str::trim)
        .collect()
}

#[test]
fn requests_decode_to_the_same_expressions_and_nfts_debug_text() {
    for (family, table, chain, rule, bytes) in requests() {
        let msg = Messages::new(&bytes).next().unwrap().unwrap();
        let r = Rule::parse(&msg).unwrap();
        let decoded: Vec<Expr> = r.exprs().collect::<Result<_, _>>().unwrap();
        assert_eq!(decoded, compile(family, &stmts(rule)).unwrap(), "{rule}");
        let debug: Vec<String> = decoded.iter().map(Expr::debug_text).collect();
        assert_eq!(debug, debug_lines(family, table, chain, rule), "{rule}");
        let want = rule.replace("counter", "counter packets 0 bytes 0");
        assert_eq!(rule_text(family, &decoded), want, "{rule}");
    }
}

/// `nft -a list ruleset`'s text of the rule with `handle` in `table`.
fn listed(table: &str, handle: u64) -> String {
    let mut in_table = false;
    for l in LISTING.lines() {
        if l.starts_with("table ") {
            in_table = l.contains(&format!(" {table} "));
        }
        let suffix = format!(" # handle {handle}");
        if in_table && l.starts_with("\t\t") && l.ends_with(&suffix) {
            return l.trim().trim_end_matches(&suffix).to_string();
        }
    }
    panic!("handle {handle} not listed in {table}");
}

#[test]
fn dumped_rules_print_as_nft_lists_them() {
    let mut n = 0;
    for line in DUMP.lines() {
        let bytes = hex(line);
        let msg = Messages::new(&bytes).next().unwrap().unwrap();
        let r = Rule::parse(&msg).unwrap();
        let exprs: Vec<Expr> = r.exprs().collect::<Result<_, _>>().unwrap();
        assert_eq!(
            rule_text(r.family, &exprs),
            listed(r.table, r.handle),
            "{}",
            r.handle
        );
        n += 1;
    }
    assert_eq!(n, 33);
}

#[test]
fn every_truncation_decodes_without_panic() {
    for line in DUMP
        .lines()
        .chain(REQUESTS.lines().map(|l| l.rsplit('\t').next().unwrap()))
    {
        let bytes = hex(line);
        for cut in 0..bytes.len() {
            let mut b = bytes[..cut].to_vec();
            if b.len() >= 4 {
                // keep the header's length honest so the message walk reaches the attributes
                b[..4].copy_from_slice(&(cut as u32).to_ne_bytes());
            }
            for msg in Messages::new(&b).flatten() {
                if let Ok(r) = Rule::parse(&msg) {
                    let exprs: Vec<Expr> = r.exprs().filter_map(Result::ok).collect();
                    let _ = rule_text(r.family, &exprs);
                }
            }
        }
    }
}

#[test]
fn unknown_expressions_stay_raw_and_print_raw() {
    let raw = Expr::Raw(RawExpr {
        name: "fib".into(),
        data: vec![8, 0, 1, 0, 0, 0, 0, 1],
    });
    let spec = RuleSpec {
        family: NFPROTO_IPV4,
        table: "t".into(),
        chain: "c".into(),
        exprs: vec![
            raw.clone(),
            Expr::Immediate(Immediate::verdict(Verdict::Drop)),
        ],
        placement: Placement::Prepend,
        userdata: None,
    };
    let req = spec.request().unwrap();
    let msg = Messages::new(req.as_bytes()).next().unwrap().unwrap();
    let r = Rule::parse(&msg).unwrap();
    let exprs: Vec<Expr> = r.exprs().collect::<Result<_, _>>().unwrap();
    assert_eq!(exprs[0], raw);
    assert_eq!(
        rule_text(NFPROTO_IPV4, &exprs),
        "[ fib 0x0800010000000001 ] drop"
    );
}

#[test]
fn unexplained_expressions_print_as_nft_debug_shows_them() {
    let e = vec![Expr::Payload(Payload::load(1, 12, 4, 1))];
    assert_eq!(
        rule_text(NFPROTO_IPV4, &e),
        "[ payload load 4b @ network header + 12 => reg 1 ]"
    );
}

/// Checked with `nft --debug=netlink` and `nft list ruleset` (not captured).
#[test]
fn negated_ct_state_and_port_range() {
    let e = compile(
        NFPROTO_IPV4,
        &[
            Stmt::Match(Match::CtState { not: true, bits: 6 }),
            port(IPPROTO_TCP, Side::Destination, true, Ports::Range(1, 1024)),
        ],
    )
    .unwrap();
    let debug: Vec<String> = e.iter().map(Expr::debug_text).collect();
    assert_eq!(
        debug,
        [
            "[ ct load state => reg 1 ]",
            "[ cmp neq reg 1 0x00000006 ]",
            "[ meta load l4proto => reg 1 ]",
            "[ cmp eq reg 1 0x00000006 ]",
            "[ payload load 2b @ transport header + 2 => reg 1 ]",
            "[ range neq reg 1 0x00000100 0x00000004 ]",
        ]
    );
    assert_eq!(
        rule_text(NFPROTO_IPV4, &e),
        "ct state != established | related tcp dport != 1-1024"
    );
}

#[test]
fn bad_input_is_refused() {
    use compile::CompileError;
    assert_eq!(
        compile(NFPROTO_IPV4, &[addr(Side::Source, false, "10.0.0.0", 33)]),
        Err(CompileError::PrefixTooLong { len: 33, max: 32 })
    );
    assert_eq!(
        compile(
            NFPROTO_IPV4,
            &[Stmt::Dnat {
                addr: ip("10.0.0.2"),
                ports: Some((80, 80))
            }]
        ),
        Err(CompileError::PortWithoutTransport)
    );
    assert!(compile(NFPROTO_IPV4, &[addr(Side::Source, false, "fd00::", 64)]).is_err());
}

#[test]
fn interval_elements_of_any_key_length_do_not_panic() {
    use super::sets::interval_elements;
    // A key wider than 16 bytes once indexed past the start of a u128
    // (`16 - len`); it is cut to 16 bytes now.
    let e = interval_elements(17, vec![(1, 2)], true);
    assert_eq!(e.len(), 3);
    assert!(e.iter().all(|x| x.key.len() == 16));
    let e = interval_elements(u32::MAX, vec![(0, u128::MAX)], true);
    assert_eq!(e.len(), 1);
    // A range past the top of a short key: `b + 1` overflowed.
    let e = interval_elements(2, vec![(5, u128::MAX)], false);
    assert_eq!(e.len(), 1);
    // The usual case keeps its length.
    let e = interval_elements(2, vec![(80, 80)], false);
    assert_eq!(e[0].key.as_bytes(), [0, 80]);
    assert_eq!(e[1].key.as_bytes(), [0, 81]);
}
