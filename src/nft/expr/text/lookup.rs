//! Lookups back to text: a key of payload fields matched against a set
//! (`ip daddr { ... }`, `ip daddr != @s`), a verdict map (`ip daddr . tcp
//! dport vmap { ... }`), and numgen maps (`numgen inc mod N vmap { ... }`,
//! `dnat to numgen inc mod N map { ... }`). Anonymous sets print their
//! elements inline, named ones as `@NAME`.

use crate::nft::expr::lookup::{NFT_LOOKUP_F_INV, NFT_NG_RANDOM};
use crate::nft::expr::nat::{NFT_NAT_SNAT, NF_NAT_RANGE_MAP_IPS};
use crate::nft::expr::payload::{NFT_PAYLOAD_NETWORK_HEADER, NFT_PAYLOAD_TRANSPORT_HEADER};
use crate::nft::expr::{Expr, Payload};
use crate::nft::set::key::{TYPE_INET_SERVICE, TYPE_INTEGER, TYPE_IP6ADDR, TYPE_IPADDR};
use crate::nft::set::text::elements_text;
use crate::nft::wire::{
    NFPROTO_INET, NFPROTO_IPV4, NFPROTO_IPV6, NFT_REG32_00, NFT_REG_1, NFT_REG_VERDICT,
    NFT_SET_ANONYMOUS,
};

use super::Printer;

impl Printer<'_> {
    /// The name and nft datatype of a payload field in this context.
    fn field(&self, p: &Payload) -> Option<(String, u32)> {
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
    pub(super) fn key_lookup(&mut self, e: &[Expr]) -> usize {
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
    pub(super) fn numgen_map(&mut self, e: &[Expr]) -> usize {
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
}
