//! Golden tests against nft 1.0.6 (tests/golden/nft-sets, see its
//! PROVENANCE.md): sets, elements and rules with anonymous and named sets
//! equal nft's messages byte for byte; the kernel's dump of them decodes
//! and prints as `nft list ruleset` does; truncations never panic.

use std::collections::HashMap;
use std::net::IpAddr;

use super::key::{concat_type, type_by_name, KeyTypeof, Userdata, BYTEORDER_INVALID};
use super::text::{set_text, SetContents};
use super::*;
use crate::netlink::golden::hex;
use crate::netlink::Messages;
use crate::nft::expr::compile::{
    compile_rule, KeyField, Match, SetRef, SetValue, Side, Stmt, IPPROTO_TCP,
};
use crate::nft::expr::text::rule_text_with_sets;
use crate::nft::expr::{Expr, Verdict};
use crate::nft::rule::{Placement, Rule, RuleSpec};
use crate::nft::wire::{NFPROTO_INET, NFPROTO_IPV4, NFT_DATA_VERDICT};

const REQUESTS: &str = include_str!("../../../tests/golden/nft-sets/requests.txt");
const DUMP: &str = include_str!("../../../tests/golden/nft-sets/dump.txt");
const LISTING: &str = include_str!("../../../tests/golden/nft-sets/listing.txt");

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

const DADDR: KeyField = KeyField::Addr {
    v6: false,
    side: Side::Destination,
};
const SADDR: KeyField = KeyField::Addr {
    v6: false,
    side: Side::Source,
};
const TCP_DPORT: KeyField = KeyField::Port {
    proto: IPPROTO_TCP,
    side: Side::Destination,
};

fn named(name: &str, id: u32) -> SetRef<Vec<SetValue>> {
    SetRef::Named {
        name: name.into(),
        id: Some(id),
    }
}

/// The rule statements of each captured `add rule` (`next_id` is the
/// `NFTA_SET_ID` nft chose: it numbers the sets it has cached).
fn rule_stmts(rule: &str) -> (Vec<Stmt>, u32) {
    let a = |s| SetValue::Addr(ip(s));
    match rule {
        "ip daddr { 10.0.0.1, 10.0.0.2 }" => (
            vec![Stmt::Match(Match::InSet {
                key: vec![DADDR],
                not: false,
                set: SetRef::Anonymous(vec![vec![a("10.0.0.1")], vec![a("10.0.0.2")]]),
            })],
            1,
        ),
        "tcp dport { 80, 443 }" => (
            vec![Stmt::Match(Match::InSet {
                key: vec![TCP_DPORT],
                not: false,
                set: SetRef::Anonymous(vec![vec![SetValue::Port(80)], vec![SetValue::Port(443)]]),
            })],
            2,
        ),
        "dnat to numgen inc mod 2 map { 0 : 10.0.0.1, 1 : 10.0.0.2 }" => (
            vec![Stmt::DnatNumgenMap {
                random: false,
                modulus: 2,
                map: vec![(0, ip("10.0.0.1")), (1, ip("10.0.0.2"))],
            }],
            3,
        ),
        "ip daddr . tcp dport vmap { 10.96.0.10 . 80 : jump svc1 }" => (
            vec![Stmt::Vmap {
                key: vec![DADDR, TCP_DPORT],
                map: SetRef::Anonymous(vec![(
                    vec![a("10.96.0.10"), SetValue::Port(80)],
                    Verdict::Jump("svc1".into()),
                )]),
            }],
            4,
        ),
        "ip saddr { 10.0.0.0/8, 192.168.1.1 }" => (
            vec![Stmt::Match(Match::InSet {
                key: vec![SADDR],
                not: false,
                set: SetRef::Anonymous(vec![
                    vec![SetValue::Prefix(ip("10.0.0.0"), 8)],
                    vec![a("192.168.1.1")],
                ]),
            })],
            5,
        ),
        "ip daddr @s" => (
            vec![Stmt::Match(Match::InSet {
                key: vec![DADDR],
                not: false,
                set: named("s", 6),
            })],
            1,
        ),
        "ip daddr != @s drop" => (
            vec![
                Stmt::Match(Match::InSet {
                    key: vec![DADDR],
                    not: true,
                    set: named("s", 6),
                }),
                Stmt::Verdict(Verdict::Drop),
            ],
            1,
        ),
        "ip daddr . tcp dport vmap @m" => (
            vec![Stmt::Vmap {
                key: vec![DADDR, TCP_DPORT],
                map: SetRef::Named {
                    name: "m".into(),
                    id: Some(7),
                },
            }],
            1,
        ),
        "ip daddr { 10.0.0.1, 10.0.0.2 } accept" => (
            vec![
                Stmt::Match(Match::InSet {
                    key: vec![DADDR],
                    not: false,
                    set: SetRef::Anonymous(vec![vec![a("10.0.0.1")], vec![a("10.0.0.2")]]),
                }),
                Stmt::Verdict(Verdict::Accept),
            ],
            8,
        ),
        other => panic!("no statements for {other:?}"),
    }
}

fn named_set(name: &str, types: &[&str], data: Option<&str>) -> SetSpec {
    let parts: Vec<(u32, u32, u32)> = types.iter().map(|t| type_by_name(t).unwrap()).collect();
    let single = parts.len() == 1;
    let key_len = if single {
        parts[0].1
    } else {
        parts.iter().map(|p| key::padded(p.1)).sum()
    };
    let ud = Userdata {
        key_byteorder: if single {
            parts[0].2
        } else {
            BYTEORDER_INVALID
        },
        data_byteorder: data.map(|_| BYTEORDER_INVALID),
        key_typeof: if single {
            KeyTypeof::None
        } else {
            KeyTypeof::DeclaredConcat
        },
        ..Userdata::default()
    };
    SetSpec {
        family: NFPROTO_IPV4,
        table: "rawnets".into(),
        name: name.into(),
        flags: if data.is_some() { NFT_SET_MAP } else { 0 },
        key_type: concat_type(&parts.iter().map(|p| p.0).collect::<Vec<_>>()),
        key_len,
        data: data.map(|_| (NFT_DATA_VERDICT, 0)),
        id: Some(1),
        size: None,
        concat: Vec::new(),
        userdata: Some(ud.encode()),
    }
}

fn key4(s: &str) -> crate::nft::expr::Data {
    let IpAddr::V4(a) = ip(s) else { panic!() };
    crate::nft::expr::Data::new(&a.octets()).unwrap()
}

/// rawnet's messages for one captured command.
fn build(line: &str) -> Vec<Vec<u8>> {
    let words: Vec<&str> = line.splitn(6, ' ').collect();
    let req = |r: crate::error::Result<crate::netlink::Request>| r.unwrap().as_bytes().to_vec();
    match (words[0], words[1]) {
        ("add", "rule") => {
            let family = if words[2] == "inet" {
                NFPROTO_INET
            } else {
                NFPROTO_IPV4
            };
            let (stmts, mut id) = rule_stmts(words[5]);
            let c = compile_rule(family, words[3], &stmts, &mut id).unwrap();
            let mut out = Vec::new();
            for s in &c.sets {
                out.push(req(s.spec.request()));
                out.push(req(elem::add_elements_request(
                    family,
                    &s.spec.table,
                    &s.spec.name,
                    s.spec.id,
                    &s.elems,
                )));
            }
            out.push(req(RuleSpec {
                family,
                table: words[3].into(),
                chain: words[4].into(),
                exprs: c.exprs,
                placement: Placement::Append,
                userdata: None,
            }
            .request()));
            out
        }
        _ => match line {
            "add set ip rawnets s { type ipv4_addr; }" => {
                vec![req(named_set("s", &["ipv4_addr"], None).request())]
            }
            "add set ip rawnets gone { type inet_service; }" => {
                vec![req(named_set("gone", &["inet_service"], None).request())]
            }
            "add map ip rawnets m { type ipv4_addr . inet_service : verdict; }" => vec![req(
                named_set("m", &["ipv4_addr", "inet_service"], Some("verdict")).request(),
            )],
            "add element ip rawnets s { 1.2.3.4, 5.6.7.8 }" => {
                vec![req(elem::add_elements_request(
                    NFPROTO_IPV4,
                    "rawnets",
                    "s",
                    Some(6),
                    &[
                        ElemSpec::key(key4("1.2.3.4")),
                        ElemSpec::key(key4("5.6.7.8")),
                    ],
                ))]
            }
            "delete element ip rawnets s { 1.2.3.4 }" => vec![req(elem::delete_elements_request(
                NFPROTO_IPV4,
                "rawnets",
                "s",
                &[ElemSpec::key(key4("1.2.3.4"))],
            ))],
            "add element ip rawnets m { 10.96.0.10 . 53 : jump svc1 }" => {
                let k = crate::nft::expr::Data::new(&[10, 96, 0, 10, 0, 53, 0, 0]).unwrap();
                vec![req(elem::add_elements_request(
                    NFPROTO_IPV4,
                    "rawnets",
                    "m",
                    Some(7),
                    &[ElemSpec::mapping(
                        k,
                        crate::nft::expr::DataOrVerdict::Verdict(Verdict::Jump("svc1".into())),
                    )],
                ))]
            }
            "delete set ip rawnets gone" => {
                vec![req(delete_set_request(NFPROTO_IPV4, "rawnets", "gone"))]
            }
            other => panic!("no build for {other}"),
        },
    }
}

#[test]
fn messages_equal_nfts() {
    let mut n = 0;
    for l in REQUESTS.lines() {
        let mut f = l.split('\t');
        let line = f.next().unwrap();
        let want: Vec<Vec<u8>> = f.map(hex).collect();
        let got = build(line);
        assert_eq!(got.len(), want.len(), "{line}");
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(to_hex(g), to_hex(w), "{line}");
        }
        n += 1;
    }
    assert_eq!(n, 16);
}

/// Sets by (table, name): the set's message and its elements.
type SetsByName = HashMap<(String, String), (Vec<u8>, Vec<SetElem>)>;

/// The dump's messages and its sets with their elements.
fn dumped() -> (Vec<Vec<u8>>, SetsByName) {
    let msgs: Vec<Vec<u8>> = DUMP.lines().map(hex).collect();
    let mut sets = HashMap::new();
    for b in &msgs {
        let msg = Messages::new(b).next().unwrap().unwrap();
        if let Ok(s) = Set::parse(&msg) {
            sets.insert(
                (s.table.to_string(), s.name.to_string()),
                (b.clone(), Vec::new()),
            );
        }
    }
    for b in &msgs {
        let msg = Messages::new(b).next().unwrap().unwrap();
        if let Ok(e) = Elements::parse(&msg) {
            let entry = sets
                .get_mut(&(e.table.to_string(), e.set.to_string()))
                .unwrap();
            entry.1.extend(e.elems().map(Result::unwrap));
        }
    }
    (msgs, sets)
}

#[test]
fn dumped_rules_and_sets_print_as_nft_lists_them() {
    let (msgs, sets) = dumped();
    let mut rules = 0;
    for b in &msgs {
        let msg = Messages::new(b).next().unwrap().unwrap();
        let Ok(r) = Rule::parse(&msg) else { continue };
        let exprs: Vec<Expr> = r.exprs().collect::<Result<_, _>>().unwrap();
        let lookup = |name: &str| {
            let (sb, elems) = sets.get(&(r.table.to_string(), name.to_string()))?;
            let m = Messages::new(sb).next()?.ok()?;
            let s = Set::parse(&m).ok()?;
            Some(SetContents {
                flags: s.flags,
                elems: elems.clone(),
            })
        };
        let text = rule_text_with_sets(r.family, &exprs, &lookup);
        let want = format!("{text} # handle {}", r.handle);
        assert!(
            LISTING.lines().any(|l| l.trim() == want),
            "{want} not in the listing"
        );
        rules += 1;
    }
    assert_eq!(rules, 9);
    for name in ["s", "m"] {
        let (sb, elems) = &sets[&("rawnets".to_string(), name.to_string())];
        let m = Messages::new(sb).next().unwrap().unwrap();
        let s = Set::parse(&m).unwrap();
        let text = set_text(&s, elems, true);
        assert!(LISTING.contains(&text), "{text}");
    }
}

#[test]
fn every_truncation_decodes_without_panic() {
    let lines = DUMP
        .lines()
        .chain(REQUESTS.lines().flat_map(|l| l.split('\t').skip(1)));
    for line in lines {
        let bytes = hex(line);
        for cut in 0..bytes.len() {
            let mut b = bytes[..cut].to_vec();
            if b.len() >= 4 {
                b[..4].copy_from_slice(&(cut as u32).to_ne_bytes());
            }
            for msg in Messages::new(&b).flatten() {
                if let Ok(s) = Set::parse(&msg) {
                    let _ = set_text(&s, &[], true);
                }
                if let Ok(e) = Elements::parse(&msg) {
                    let elems: Vec<SetElem> = e.elems().filter_map(Result::ok).collect();
                    let _ = text::elements_text(&[7], None, NFT_SET_INTERVAL_FLAG, &elems);
                }
                if let Ok(r) = Rule::parse(&msg) {
                    let exprs: Vec<Expr> = r.exprs().filter_map(Result::ok).collect();
                    let _ = rule_text_with_sets(r.family, &exprs, &|_| None);
                }
            }
        }
    }
}

const NFT_SET_INTERVAL_FLAG: u32 = crate::nft::wire::NFT_SET_INTERVAL;

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
