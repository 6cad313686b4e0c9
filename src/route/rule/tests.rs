//! Unit tests of the rule module: requests against what iproute2 6.1 sent
//! (tests/golden/rule, with the commands in its PROVENANCE.md), the
//! captured dump parsed, every truncation failing cleanly, malformed
//! attributes named.

use std::net::IpAddr;

use super::*;
use crate::netlink::header::{NLM_F_ACK, NLM_F_DUMP};
use crate::netlink::Messages;
use crate::route::route::{RTPROT_KERNEL, RTPROT_STATIC, RT_TABLE_LOCAL, RT_TABLE_MAIN};

use crate::netlink::golden::{hex, request_bytes as golden_request, with_flags};

macro_rules! golden {
    ($name:literal) => {
        golden_request(include_str!(concat!(
            "../../../tests/golden/rule/",
            $name,
            ".hex"
        )))
    };
}

const V4: u8 = libc::AF_INET as u8;
const V6: u8 = libc::AF_INET6 as u8;

fn addr(s: &str, len: u8) -> Option<RuleAddr> {
    Some(RuleAddr {
        addr: Some(s.parse::<IpAddr>().unwrap()),
        len,
    })
}

fn add(spec: RuleSpec) -> Vec<u8> {
    with_flags(&add_rule_request(&spec).unwrap(), NLM_F_ACK)
}

fn del(spec: RuleSpec) -> Vec<u8> {
    with_flags(&delete_rule_request(&spec).unwrap(), NLM_F_ACK)
}

#[test]
fn add_from_table_pref() {
    // ip rule add from 10.0.0.0/8 table 100 pref 100
    let spec = RuleSpec {
        src: addr("10.0.0.0", 8),
        table: Some(100),
        priority: Some(100),
        ..Default::default()
    };
    assert_eq!(add(spec), golden!("rule-add-from-table-pref"));
}

#[test]
fn add_full_selector() {
    // ip rule add not from 10.1.0.0/16 to 192.168.1.1 priority 200
    //   fwmark 0x10/0xff protocol static lookup main
    //   suppress_prefixlength 0 iif veth0 oif veth1
    let spec = RuleSpec {
        invert: true,
        src: addr("10.1.0.0", 16),
        dst: addr("192.168.1.1", 32),
        priority: Some(200),
        fwmark: Some(0x10),
        fwmask: Some(0xff),
        protocol: Some(RTPROT_STATIC),
        table: Some(RT_TABLE_MAIN),
        suppress_prefixlen: Some(0),
        iif: Some(b"veth0".to_vec()),
        oif: Some(b"veth1".to_vec()),
        ..Default::default()
    };
    assert_eq!(add(spec), golden!("rule-add-full"));
}

#[test]
fn add_big_table_and_ports() {
    // ip rule add fwmark 5 table 1000 uidrange 10-20 ipproto tcp sport 80 dport 1000-2000
    let spec = RuleSpec {
        fwmark: Some(5),
        table: Some(1000),
        uid_range: Some(FibRuleUidRange { start: 10, end: 20 }),
        ip_proto: Some(libc::IPPROTO_TCP as u8),
        sport: Some(FibRulePortRange { start: 80, end: 80 }),
        dport: Some(FibRulePortRange {
            start: 1000,
            end: 2000,
        }),
        ..Default::default()
    };
    assert_eq!(add(spec), golden!("rule-add-big-table-ports"));
}

#[test]
fn add_actions() {
    // ip rule add tos 0x10 blackhole
    let spec = RuleSpec {
        tos: 0x10,
        action: Some(FR_ACT_BLACKHOLE),
        ..Default::default()
    };
    assert_eq!(add(spec), golden!("rule-add-tos-blackhole"));
    // ip rule add pref 50 goto 32766
    let spec = RuleSpec {
        priority: Some(50),
        goto: Some(32766),
        action: Some(FR_ACT_GOTO),
        ..Default::default()
    };
    assert_eq!(add(spec), golden!("rule-add-goto"));
    // ip rule add from all prohibit: FRA_SRC with no bytes
    let spec = RuleSpec {
        src: Some(RuleAddr { addr: None, len: 0 }),
        action: Some(FR_ACT_PROHIBIT),
        ..Default::default()
    };
    assert_eq!(add(spec), golden!("rule-add-from-all-prohibit"));
    // ip rule add pref 300 l3mdev: no table
    let spec = RuleSpec {
        priority: Some(300),
        l3mdev: true,
        ..Default::default()
    };
    assert_eq!(add(spec), golden!("rule-add-l3mdev"));
}

#[test]
fn ipv6_and_delete() {
    // ip -6 rule add from 2001:db8::/32 pref 10 table 7
    let spec = RuleSpec {
        family: V6,
        src: addr("2001:db8::", 32),
        priority: Some(10),
        table: Some(7),
        ..Default::default()
    };
    assert_eq!(add(spec), golden!("rule-add-v6"));
    // ip rule del pref 100
    let spec = RuleSpec {
        priority: Some(100),
        ..Default::default()
    };
    assert_eq!(del(spec), golden!("rule-del-pref"));
    // ip -6 rule del from 2001:db8::/32
    let spec = RuleSpec {
        family: V6,
        src: addr("2001:db8::", 32),
        ..Default::default()
    };
    assert_eq!(del(spec), golden!("rule-del-v6"));
}

#[test]
fn dump_requests() {
    // ip rule show / ip -6 rule show
    let r = dump_rules_request(V4).unwrap();
    assert_eq!(with_flags(&r, NLM_F_DUMP), golden!("rule-dump-req"));
    let r = dump_rules_request(V6).unwrap();
    assert_eq!(with_flags(&r, NLM_F_DUMP), golden!("rule-dump-v6-req"));
}

fn captured_dump() -> Vec<u8> {
    hex(include_str!(
        "../../../tests/golden/rule/rule-dump-reply.hex"
    ))
}

#[test]
fn captured_dump_parses() {
    let bytes = captured_dump();
    let rules: Vec<Rule<'_>> = Messages::new(&bytes)
        .map(|m| m.unwrap())
        .filter(|m| m.message_type() == RTM_NEWRULE)
        .map(|m| Rule::parse(&m).unwrap())
        .collect();
    let prefs: Vec<u32> = rules.iter().map(Rule::preference).collect();
    assert_eq!(prefs, [0, 49, 50, 98, 99, 200, 300, 32766, 32767]);
    let local = &rules[0];
    assert_eq!(local.priority, None);
    assert_eq!(local.table, RT_TABLE_LOCAL);
    assert_eq!(local.protocol, Some(RTPROT_KERNEL));
    assert_eq!(local.suppress_prefixlen, Some(u32::MAX));
    assert_eq!(rules[1].header.action, FR_ACT_PROHIBIT);
    assert_eq!(rules[2].goto, Some(32766));
    assert_eq!(rules[3].header.tos, 0x10);
    let ports = &rules[4];
    assert_eq!(ports.table, 1000);
    assert_eq!(
        ports.uid_range,
        Some(FibRuleUidRange { start: 10, end: 20 })
    );
    assert_eq!(ports.sport, Some(FibRulePortRange { start: 80, end: 80 }));
    assert_eq!(ports.ip_proto, Some(libc::IPPROTO_TCP as u8));
    let full = &rules[5];
    assert!(full.inverted());
    assert_eq!(full.iif, Some(&b"veth0"[..]));
    assert_eq!(full.oif, Some(&b"veth1"[..]));
    assert_eq!(full.src, Some("10.1.0.0".parse().unwrap()));
    assert_eq!(full.header.src_len, 16);
    assert_eq!(full.dst, Some("192.168.1.1".parse().unwrap()));
    assert_eq!((full.fwmark, full.fwmask), (Some(0x10), Some(0xff)));
    assert_eq!(rules[6].l3mdev, Some(1));
}

#[test]
fn dumped_rule_goes_back_as_it_came() {
    let bytes = captured_dump();
    for m in Messages::new(&bytes).map(|m| m.unwrap()) {
        if m.message_type() != RTM_NEWRULE {
            continue;
        }
        let r = Rule::parse(&m).unwrap();
        let req = delete_dumped_rule_request(&r).unwrap();
        let sent = req.as_bytes();
        assert_eq!(req.message_type(), RTM_DELRULE);
        assert_eq!(sent.len(), m.header.nlmsg_len as usize);
        // Everything after the netlink header is the dumped message's.
        assert_eq!(&sent[16..], m.payload());
    }
}

#[test]
fn truncations_never_panic() {
    let bytes = captured_dump();
    let first = Messages::new(&bytes).nth(4).unwrap().unwrap();
    let len = first.header.nlmsg_len as usize;
    let start = first.payload().as_ptr() as usize - bytes.as_ptr() as usize - 16;
    for cut in 16..len {
        let mut b = bytes[start..start + cut].to_vec();
        b[0..4].copy_from_slice(&(cut as u32).to_ne_bytes());
        if let Some(Ok(msg)) = Messages::new(&b).next() {
            let _ = Rule::parse(&msg);
        }
    }
}

#[test]
fn malformed_attribute_is_named() {
    let mut m = crate::netlink::MessageBuilder::new(RTM_NEWRULE, 0);
    m.header(&FibRuleHdr {
        family: V4,
        ..Default::default()
    });
    m.put(FRA_PRIORITY, &[1, 2]);
    let req = m.finish().unwrap();
    let msg = Messages::new(req.as_bytes()).next().unwrap().unwrap();
    let e = Rule::parse(&msg).unwrap_err();
    assert_eq!(e.what, "FRA_PRIORITY");
    // A short header fails as such.
    let mut b = req.as_bytes()[..20].to_vec();
    b[0..4].copy_from_slice(&20u32.to_ne_bytes());
    let msg = Messages::new(&b).next().unwrap().unwrap();
    assert_eq!(Rule::parse(&msg).unwrap_err().what, "fib_rule_hdr");
}
