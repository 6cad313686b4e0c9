//! Matches back to text: `meta l4proto|mark|nfproto`, `iifname|oifname`,
//! `ct state|status`, `ip|ip6 saddr|daddr|protocol|nexthdr` (addresses and
//! prefixes), `tcp|udp sport|dport` (ports and ranges). A form this file
//! does not recognise takes 0 expressions and is printed raw by the caller.

use crate::nft::expr::cmp::{CmpOp, NFT_RANGE_NEQ};
use crate::nft::expr::meta::{
    CT_STATES, CT_STATUSES, NFT_CT_STATE, NFT_CT_STATUS, NFT_META_IIFNAME, NFT_META_L4PROTO,
    NFT_META_MARK, NFT_META_NFPROTO, NFT_META_OIFNAME,
};
use crate::nft::expr::payload::{NFT_PAYLOAD_NETWORK_HEADER, NFT_PAYLOAD_TRANSPORT_HEADER};
use crate::nft::expr::{Bitwise, Ct, Expr, Meta};
use crate::nft::wire::{NFPROTO_INET, NFPROTO_IPV4, NFPROTO_IPV6};

use super::{cmp_of, neg, port_of, prefix_text, proto_name, u32_of, Printer};

impl Printer<'_> {
    /// `meta nfproto|l4proto|mark`, `iifname|oifname`: a meta load and a
    /// compare (an nfproto or l4proto dependency nft hides is kept silent).
    pub(super) fn meta(&mut self, e: &[Expr], m: &Meta) -> usize {
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

    /// `ct state|status`: as bits tested by a mask (`ct state
    /// established,related`) or a value compared as a whole.
    pub(super) fn ct(&mut self, e: &[Expr], ct: &Ct) -> usize {
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

    fn next_is_network(&self, rest: &[Expr]) -> bool {
        matches!(rest.first(), Some(Expr::Payload(p)) if p.base == NFT_PAYLOAD_NETWORK_HEADER)
    }

    pub(super) fn network(&mut self, e: &[Expr], offset: u32, len: u32, reg: u32) -> usize {
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

    pub(super) fn transport(&mut self, e: &[Expr], offset: u32, len: u32, reg: u32) -> usize {
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
