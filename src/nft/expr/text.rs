//! Expressions back to nft's statement text, as `nft list ruleset` prints
//! them (`ip saddr 10.0.0.0/8 tcp dport 80 counter packets 0 bytes 0
//! accept`), for the forms `compile.rs` makes. An expression that no form
//! explains is printed raw, as `nft --debug=netlink` shows it
//! (`[ payload load 4b @ network header + 12 => reg 1 ]`). Pure: never fails.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::nft::set::key::{TYPE_INET_SERVICE, TYPE_INTEGER, TYPE_IP6ADDR, TYPE_IPADDR};
use crate::nft::set::text::elements_text;
pub use crate::nft::set::text::SetContents;
use crate::nft::wire::{
    NFPROTO_INET, NFPROTO_IPV4, NFPROTO_IPV6, NFT_REG32_00, NFT_REG_1, NFT_REG_VERDICT,
    NFT_SET_ANONYMOUS,
};

use super::lookup::{NFT_LOOKUP_F_INV, NFT_NG_RANDOM};

use super::cmp::{CmpOp, NFT_RANGE_NEQ};
use super::meta::{
    CT_STATES, CT_STATUSES, NFT_CT_STATE, NFT_CT_STATUS, NFT_META_IIFNAME, NFT_META_L4PROTO,
    NFT_META_MARK, NFT_META_NFPROTO, NFT_META_OIFNAME,
};
use super::nat::{
    NFT_NAT_SNAT, NF_NAT_RANGE_MAP_IPS, NF_NAT_RANGE_PERSISTENT, NF_NAT_RANGE_PROTO_RANDOM,
    NF_NAT_RANGE_PROTO_RANDOM_FULLY,
};
use super::payload::{NFT_PAYLOAD_NETWORK_HEADER, NFT_PAYLOAD_TRANSPORT_HEADER};
use super::{Bitwise, Cmp, Data, DataOrVerdict, Expr, PortNat};

/// nft's text of a rule's expressions in a table of `family`; anonymous
/// sets print by name (`@__set0`), see [`rule_text_with_sets`].
pub fn rule_text(family: u8, exprs: &[Expr]) -> String {
    rule_text_with_sets(family, exprs, &|_| None)
}

/// nft's text of a rule whose lookups may name anonymous sets: `sets` gives
/// the elements of a set of the rule's table by name (the listing collects
/// them from the table's set and element dumps first).
pub fn rule_text_with_sets(
    family: u8,
    exprs: &[Expr],
    sets: &dyn Fn(&str) -> Option<SetContents>,
) -> String {
    let mut p = Printer {
        sets,
        family,
        l3: match family {
            NFPROTO_IPV4 | NFPROTO_IPV6 => Some(family),
            _ => None,
        },
        l4: None,
        words: Vec::new(),
        regs: [None; 4],
    };
    let mut i = 0;
    while i < exprs.len() {
        let used = p.statement(&exprs[i..]);
        if used == 0 {
            p.words.push(exprs[i].debug_text());
            i += 1;
        } else {
            i += used;
        }
    }
    p.words.join(" ")
}

struct Printer<'s> {
    sets: &'s dyn Fn(&str) -> Option<SetContents>,
    family: u8,
    l3: Option<u8>,
    l4: Option<u8>,
    words: Vec<String>,
    /// Values loaded by `immediate` into registers 1..=4, for NAT.
    regs: [Option<Data>; 4],
}

fn cmp_of(e: Option<&Expr>, reg: u32) -> Option<&Cmp> {
    match e {
        Some(Expr::Cmp(c)) if c.sreg == reg => Some(c),
        _ => None,
    }
}

fn neg(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "",
        CmpOp::Neq => "!= ",
        CmpOp::Lt => "< ",
        CmpOp::Lte => "<= ",
        CmpOp::Gt => "> ",
        CmpOp::Gte => ">= ",
    }
}

/// nft's name of an IP protocol number.
pub fn proto_name(p: u8) -> String {
    match p {
        1 => "icmp".into(),
        2 => "igmp".into(),
        6 => "tcp".into(),
        17 => "udp".into(),
        47 => "gre".into(),
        50 => "esp".into(),
        51 => "ah".into(),
        58 => "ipv6-icmp".into(),
        132 => "sctp".into(),
        136 => "udplite".into(),
        n => n.to_string(),
    }
}

/// `established,related` (`sep` ","), or `established | related` (`sep`
/// " | ", a value compared as a whole).
fn flag_names(bits: u32, names: &[(u32, &str)], sep: &str) -> String {
    let mut out = Vec::new();
    let mut rest = bits;
    for (b, n) in names {
        if bits & b != 0 {
            out.push(n.to_string());
            rest &= !b;
        }
    }
    if rest != 0 || out.is_empty() {
        out.push(format!("0x{rest:x}"));
    }
    out.join(sep)
}

fn u32_of(d: &Data) -> Option<u32> {
    Some(u32::from_ne_bytes(d.as_bytes().try_into().ok()?))
}

fn port_of(d: &Data) -> Option<u16> {
    Some(u16::from_be_bytes(d.as_bytes().try_into().ok()?))
}

/// An address prefix from `len` loaded bytes, masked by `mask` if any.
fn prefix_text(v6: bool, value: &[u8], mask: Option<&[u8]>) -> Option<String> {
    let full = if v6 { 16 } else { 4 };
    if value.len() > full {
        return None;
    }
    let mut bytes = [0u8; 16];
    bytes[..value.len()].copy_from_slice(value);
    let bits = match mask {
        Some(m) => {
            let ones: u32 = m.iter().map(|b| b.count_ones()).sum();
            // only contiguous masks are prefixes
            let lead = m
                .iter()
                .map(|b| !*b)
                .position(|b| b != 0)
                .unwrap_or(m.len());
            let lead_bits = lead as u32 * 8 + m.get(lead).map_or(0, |b| b.leading_ones());
            if ones != lead_bits || m.len() != full {
                return None;
            }
            ones
        }
        None => value.len() as u32 * 8,
    };
    let addr = if v6 {
        Ipv6Addr::from(bytes).to_string()
    } else {
        let b: [u8; 4] = bytes[..4].try_into().ok()?;
        Ipv4Addr::from(b).to_string()
    };
    Some(if bits as usize == full * 8 {
        addr
    } else {
        format!("{addr}/{bits}")
    })
}

impl Printer<'_> {
    /// Print the statement that starts `e`; how many expressions it took
    /// (0: none matched; the caller prints `e[0]` raw).
    fn statement(&mut self, e: &[Expr]) -> usize {
        let Some(first) = e.first() else { return 0 };
        match first {
            Expr::Meta(m) if m.sreg.is_none() => {
                let Some(reg) = m.dreg else { return 0 };
                let Some(c) = cmp_of(e.get(1), reg) else {
                    return 0;
                };
                let b = c.data.as_bytes();
                match m.key {
                    NFT_META_NFPROTO if b.len() == 1 && c.op == CmpOp::Eq => {
                        self.l3 = Some(b[0]);
                        // A dependency of the network match after it: nft hides it.
                        if self.family == NFPROTO_INET && !self.next_is_network(&e[2..]) {
                            let name = match b[0] {
                                NFPROTO_IPV4 => "ipv4".to_string(),
                                NFPROTO_IPV6 => "ipv6".to_string(),
                                n => n.to_string(),
                            };
                            self.words.push(format!("meta nfproto {name}"));
                        }
                        2
                    }
                    NFT_META_L4PROTO if b.len() == 1 => {
                        if c.op == CmpOp::Eq {
                            self.l4 = Some(b[0]);
                            if next_is_transport(&e[2..]) {
                                return 2;
                            }
                        }
                        self.words
                            .push(format!("meta l4proto {}{}", neg(c.op), proto_name(b[0])));
                        2
                    }
                    NFT_META_IIFNAME | NFT_META_OIFNAME if b.len() <= 16 => {
                        let word = if m.key == NFT_META_IIFNAME {
                            "iifname"
                        } else {
                            "oifname"
                        };
                        let name = match b.iter().position(|&x| x == 0) {
                            Some(end) => String::from_utf8_lossy(&b[..end]).into_owned(),
                            None => format!("{}*", String::from_utf8_lossy(b)),
                        };
                        self.words.push(format!("{word} {}\"{name}\"", neg(c.op)));
                        2
                    }
                    NFT_META_MARK => {
                        let Some(v) = u32_of(&c.data) else { return 0 };
                        self.words.push(format!("meta mark {}0x{v:08x}", neg(c.op)));
                        2
                    }
                    _ => 0,
                }
            }
            Expr::Ct(ct) if ct.sreg.is_none() && ct.direction.is_none() => {
                let names: &[(u32, &str)] = match ct.key {
                    NFT_CT_STATE => &CT_STATES,
                    NFT_CT_STATUS => &CT_STATUSES,
                    _ => return 0,
                };
                let word = if ct.key == NFT_CT_STATE {
                    "ct state"
                } else {
                    "ct status"
                };
                let Some(reg) = ct.dreg else { return 0 };
                if let (Some(Expr::Bitwise(b)), Some(c)) = (e.get(1), cmp_of(e.get(2), reg)) {
                    let (Some(mask), Some(0), Some(0)) = (
                        b.mask.as_ref().and_then(u32_of),
                        b.xor.as_ref().and_then(u32_of),
                        u32_of(&c.data),
                    ) else {
                        return 0;
                    };
                    if b.sreg != reg || b.dreg != reg || b.op.unwrap_or(0) != 0 {
                        return 0;
                    }
                    let not = match c.op {
                        CmpOp::Neq => "",
                        CmpOp::Eq => "!= ",
                        _ => return 0,
                    };
                    self.words
                        .push(format!("{word} {not}{}", flag_names(mask, names, ",")));
                    return 3;
                }
                let Some(c) = cmp_of(e.get(1), reg) else {
                    return 0;
                };
                let Some(v) = u32_of(&c.data) else { return 0 };
                self.words.push(format!(
                    "{word} {}{}",
                    neg(c.op),
                    flag_names(v, names, " | ")
                ));
                2
            }
            Expr::Payload(p) if p.sreg.is_none() => {
                let used = self.key_lookup(e);
                if used > 0 {
                    return used;
                }
                let Some(reg) = p.dreg else { return 0 };
                match p.base {
                    NFT_PAYLOAD_NETWORK_HEADER => self.network(e, p.offset, p.len, reg),
                    NFT_PAYLOAD_TRANSPORT_HEADER => self.transport(e, p.offset, p.len, reg),
                    _ => 0,
                }
            }
            Expr::Counter(c) => {
                self.words.push(format!(
                    "counter packets {} bytes {}",
                    c.packets.unwrap_or(0),
                    c.bytes.unwrap_or(0)
                ));
                1
            }
            Expr::Immediate(imm) => match &imm.data {
                DataOrVerdict::Verdict(v) if imm.dreg == NFT_REG_VERDICT => {
                    self.words.push(v.text());
                    1
                }
                DataOrVerdict::Value(v) if (1..=4).contains(&imm.dreg) => {
                    // Kept for the NAT statement that reads it.
                    if !e
                        .iter()
                        .skip(1)
                        .any(|x| matches!(x, Expr::Nat(_) | Expr::Masq(_) | Expr::Redir(_)))
                    {
                        return 0;
                    }
                    self.regs[imm.dreg as usize - 1] = Some(*v);
                    1
                }
                _ => 0,
            },
            Expr::Numgen(_) => self.numgen_map(e),
            Expr::Nat(n) => self.nat(n),
            Expr::Masq(m) => self.port_nat("masquerade", m),
            Expr::Redir(r) => self.port_nat("redirect", r),
            _ => 0,
        }
    }

    /// The name and nft datatype of a payload field in this context.
    fn field(&self, p: &super::Payload) -> Option<(String, u32)> {
        match (p.base, p.offset, p.len) {
            (NFT_PAYLOAD_NETWORK_HEADER, o, l) => match (self.l3, o, l) {
                (Some(NFPROTO_IPV4), 12, 4) => Some(("ip saddr".into(), TYPE_IPADDR)),
                (Some(NFPROTO_IPV4), 16, 4) => Some(("ip daddr".into(), TYPE_IPADDR)),
                (Some(NFPROTO_IPV6), 8, 16) => Some(("ip6 saddr".into(), TYPE_IP6ADDR)),
                (Some(NFPROTO_IPV6), 24, 16) => Some(("ip6 daddr".into(), TYPE_IP6ADDR)),
                _ => None,
            },
            (NFT_PAYLOAD_TRANSPORT_HEADER, o, 2) => {
                let proto = match self.l4 {
                    Some(6) => "tcp",
                    Some(17) => "udp",
                    _ => return None,
                };
                let f = match o {
                    0 => "sport",
                    2 => "dport",
                    _ => return None,
                };
                Some((format!("{proto} {f}"), TYPE_INET_SERVICE))
            }
            _ => None,
        }
    }

    /// `@NAME`, or an anonymous set's elements inline.
    fn set_ref(&self, name: &str, key_types: &[u32], data_type: Option<u32>) -> String {
        match (self.sets)(name) {
            Some(c) if c.flags & NFT_SET_ANONYMOUS != 0 => {
                elements_text(key_types, data_type, c.flags, &c.elems)
            }
            _ => format!("@{name}"),
        }
    }

    /// Payload loads into consecutive registers and a lookup of them:
    /// `ip daddr { ... }`, `ip daddr != @s`, `ip daddr . tcp dport vmap { ... }`.
    fn key_lookup(&mut self, e: &[Expr]) -> usize {
        let mut names = Vec::new();
        let mut types = Vec::new();
        let mut at = 0u32;
        let mut i = 0;
        while let Some(Expr::Payload(p)) = e.get(i) {
            let want = if at == 0 {
                NFT_REG_1
            } else {
                NFT_REG32_00 + at / 4
            };
            if p.sreg.is_some() || p.dreg != Some(want) {
                return 0;
            }
            let Some((n, t)) = self.field(p) else {
                return 0;
            };
            names.push(n);
            types.push(t);
            at += p.len.div_ceil(4) * 4;
            i += 1;
        }
        let Some(Expr::Lookup(l)) = e.get(i) else {
            return 0;
        };
        if l.sreg != NFT_REG_1 {
            return 0;
        }
        let key = names.join(" . ");
        let not = l.flags.unwrap_or(0) & NFT_LOOKUP_F_INV != 0;
        let text = match l.dreg {
            None => format!(
                "{key} {}{}",
                if not { "!= " } else { "" },
                self.set_ref(&l.set, &types, None)
            ),
            Some(NFT_REG_VERDICT) => format!("{key} vmap {}", self.set_ref(&l.set, &types, None)),
            Some(_) => return 0,
        };
        self.words.push(text);
        i + 1
    }

    /// `numgen inc mod N vmap { ... }`, `dnat to numgen inc mod N map { ... }`.
    fn numgen_map(&mut self, e: &[Expr]) -> usize {
        let (Some(Expr::Numgen(n)), Some(Expr::Lookup(l))) = (e.first(), e.get(1)) else {
            return 0;
        };
        if l.sreg != n.dreg || l.flags.unwrap_or(0) != 0 {
            return 0;
        }
        let kind = if n.kind == NFT_NG_RANDOM {
            "random"
        } else {
            "inc"
        };
        let mut ng = format!("numgen {kind} mod {}", n.modulus);
        if let Some(o) = n.offset.filter(|o| *o != 0) {
            ng.push_str(&format!(" offset {o}"));
        }
        match (l.dreg, e.get(2)) {
            (Some(NFT_REG_VERDICT), _) => {
                let set = self.set_ref(&l.set, &[TYPE_INTEGER], None);
                self.words.push(format!("{ng} vmap {set}"));
                2
            }
            (Some(d), Some(Expr::Nat(nat)))
                if nat.addr_min == Some(d)
                    && nat.addr_max.map_or(true, |m| m == d)
                    && nat.proto_min.is_none()
                    && nat.flags.unwrap_or(0) & !NF_NAT_RANGE_MAP_IPS == 0 =>
            {
                let (fam, dt) = if nat.family == u32::from(NFPROTO_IPV6) {
                    (" ip6", TYPE_IP6ADDR)
                } else {
                    (" ip", TYPE_IPADDR)
                };
                let fam = if self.family == NFPROTO_INET { fam } else { "" };
                let word = if nat.kind == NFT_NAT_SNAT {
                    "snat"
                } else {
                    "dnat"
                };
                let set = self.set_ref(&l.set, &[TYPE_INTEGER], Some(dt));
                self.words.push(format!("{word}{fam} to {ng} map {set}"));
                3
            }
            _ => 0,
        }
    }

    fn next_is_network(&self, rest: &[Expr]) -> bool {
        matches!(rest.first(), Some(Expr::Payload(p)) if p.base == NFT_PAYLOAD_NETWORK_HEADER)
    }

    fn network(&mut self, e: &[Expr], offset: u32, len: u32, reg: u32) -> usize {
        let (word, v6) = match self.l3 {
            Some(NFPROTO_IPV4) => ("ip", false),
            Some(NFPROTO_IPV6) => ("ip6", true),
            _ => return 0,
        };
        let field = match (v6, offset) {
            (false, 9) if len == 1 => "protocol",
            (false, 12) => "saddr",
            (false, 16) => "daddr",
            (true, 6) if len == 1 => "nexthdr",
            (true, 8) => "saddr",
            (true, 24) => "daddr",
            _ => return 0,
        };
        if field == "protocol" || field == "nexthdr" {
            let Some(c) = cmp_of(e.get(1), reg) else {
                return 0;
            };
            let b = c.data.as_bytes();
            if b.len() != 1 {
                return 0;
            }
            if c.op == CmpOp::Eq {
                self.l4 = Some(b[0]);
            }
            self.words
                .push(format!("{word} {field} {}{}", neg(c.op), proto_name(b[0])));
            return 2;
        }
        let (mask, c, used) = match (e.get(1), cmp_of(e.get(2), reg)) {
            (Some(Expr::Bitwise(b)), Some(c)) if is_mask(b, reg) => (b.mask, c, 3),
            _ => match cmp_of(e.get(1), reg) {
                Some(c) => (None, c, 2),
                None => return 0,
            },
        };
        if !matches!(c.op, CmpOp::Eq | CmpOp::Neq) || c.data.len() != len as usize {
            return 0;
        }
        let Some(text) = prefix_text(v6, c.data.as_bytes(), mask.as_ref().map(|m| m.as_bytes()))
        else {
            return 0;
        };
        self.words
            .push(format!("{word} {field} {}{text}", neg(c.op)));
        used
    }

    fn transport(&mut self, e: &[Expr], offset: u32, len: u32, reg: u32) -> usize {
        let proto = match self.l4 {
            Some(6) => "tcp",
            Some(17) => "udp",
            _ => return 0,
        };
        let field = match (offset, len) {
            (0, 2) => "sport",
            (2, 2) => "dport",
            _ => return 0,
        };
        match (e.get(1), e.get(2)) {
            (Some(Expr::Cmp(a)), Some(Expr::Cmp(b)))
                if a.sreg == reg && b.sreg == reg && a.op == CmpOp::Gte && b.op == CmpOp::Lte =>
            {
                let (Some(x), Some(y)) = (port_of(&a.data), port_of(&b.data)) else {
                    return 0;
                };
                self.words.push(format!("{proto} {field} {x}-{y}"));
                3
            }
            (Some(Expr::Range(r)), _) if r.sreg == reg => {
                let (Some(x), Some(y)) = (port_of(&r.from), port_of(&r.to)) else {
                    return 0;
                };
                let not = if r.op == NFT_RANGE_NEQ { "!= " } else { "" };
                self.words.push(format!("{proto} {field} {not}{x}-{y}"));
                2
            }
            (Some(Expr::Cmp(c)), _) if c.sreg == reg => {
                let Some(p) = port_of(&c.data) else { return 0 };
                self.words.push(format!("{proto} {field} {}{p}", neg(c.op)));
                2
            }
            _ => 0,
        }
    }

    fn reg(&self, r: Option<u32>) -> Option<Data> {
        let r = r?;
        if (1..=4).contains(&r) {
            self.regs[r as usize - 1]
        } else {
            None
        }
    }

    fn ports(&self, min: Option<u32>, max: Option<u32>) -> Option<Option<String>> {
        let Some(lo) = self.reg(min) else {
            return if min.is_some() { None } else { Some(None) };
        };
        let lo = port_of(&lo)?;
        match self.reg(max).map(|d| port_of(&d)) {
            Some(Some(hi)) if hi != lo => Some(Some(format!("{lo}-{hi}"))),
            Some(None) => None,
            _ => Some(Some(lo.to_string())),
        }
    }

    fn nat(&mut self, n: &super::Nat) -> usize {
        let kind = if n.kind == NFT_NAT_SNAT {
            "snat"
        } else {
            "dnat"
        };
        let addr = match self.reg(n.addr_min) {
            Some(d) => match d.len() {
                4 => prefix_text(false, d.as_bytes(), None),
                16 => prefix_text(true, d.as_bytes(), None).map(|a| format!("[{a}]")),
                _ => None,
            },
            None => None,
        };
        let Some(addr) = addr else { return 0 };
        if n.addr_max.is_some() && self.reg(n.addr_max) != self.reg(n.addr_min) {
            return 0;
        }
        let Some(ports) = self.ports(n.proto_min, n.proto_max) else {
            return 0;
        };
        let mut s = kind.to_string();
        if self.family == NFPROTO_INET {
            s.push_str(if n.family == u32::from(NFPROTO_IPV6) {
                " ip6"
            } else {
                " ip"
            });
        }
        s.push_str(" to ");
        s.push_str(&addr);
        if let Some(p) = ports {
            s.push(':');
            s.push_str(&p);
        }
        s.push_str(&nat_flags(n.flags.unwrap_or(0)));
        self.words.push(s);
        1
    }

    fn port_nat(&mut self, word: &str, p: &PortNat) -> usize {
        let Some(ports) = self.ports(p.proto_min, p.proto_max) else {
            return 0;
        };
        let mut s = word.to_string();
        if let Some(ports) = ports {
            s.push_str(" to :");
            s.push_str(&ports);
        }
        s.push_str(&nat_flags(p.flags.unwrap_or(0)));
        self.words.push(s);
        1
    }
}

fn is_mask(b: &Bitwise, reg: u32) -> bool {
    b.sreg == reg
        && b.dreg == reg
        && b.op.unwrap_or(0) == 0
        && b.mask.is_some()
        && b.xor.is_some_and(|x| x.as_bytes().iter().all(|&v| v == 0))
}

/// A transport load follows (possibly after other loads of a concatenated key).
fn next_is_transport(rest: &[Expr]) -> bool {
    rest.iter()
        .map_while(|e| match e {
            Expr::Payload(p) => Some(p.base),
            _ => None,
        })
        .any(|b| b == NFT_PAYLOAD_TRANSPORT_HEADER)
}

/// ` random`, ` fully-random`, ` persistent`, comma-joined as nft prints them.
fn nat_flags(flags: u32) -> String {
    let mut names = Vec::new();
    for (bit, name) in [
        (NF_NAT_RANGE_PROTO_RANDOM, "random"),
        (NF_NAT_RANGE_PROTO_RANDOM_FULLY, "fully-random"),
        (NF_NAT_RANGE_PERSISTENT, "persistent"),
    ] {
        if flags & bit != 0 {
            names.push(name);
        }
    }
    if names.is_empty() {
        String::new()
    } else {
        format!(" {}", names.join(","))
    }
}
