//! Expressions back to nft's statement text, as `nft list ruleset` prints
//! them (`ip saddr 10.0.0.0/8 tcp dport 80 counter packets 0 bytes 0
//! accept`), for the forms `compile.rs` makes. An expression that no form
//! explains is printed raw, as `nft --debug=netlink` shows it
//! (`[ payload load 4b @ network header + 12 => reg 1 ]`). Pure: never fails.
//!
//! This file owns the entry points and the walk over a rule's statements
//! (counters, verdicts, the registers NAT reads); matches are printed in
//! `matches.rs`, set/map/numgen lookups in `lookup.rs`, NAT statements in
//! `nat.rs`.

mod lookup;
mod matches;
mod nat;

use std::net::{Ipv4Addr, Ipv6Addr};

pub use crate::nft::set::text::SetContents;
use crate::nft::wire::{NFPROTO_IPV4, NFPROTO_IPV6, NFT_REG_VERDICT};

use super::cmp::CmpOp;
use super::payload::{NFT_PAYLOAD_NETWORK_HEADER, NFT_PAYLOAD_TRANSPORT_HEADER};
use super::{Cmp, Data, DataOrVerdict, Expr};

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
            Expr::Meta(m) if m.sreg.is_none() => self.meta(e, m),
            Expr::Ct(ct) if ct.sreg.is_none() && ct.direction.is_none() => self.ct(e, ct),
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
}
