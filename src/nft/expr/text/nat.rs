//! NAT statements back to text: `snat|dnat [ip|ip6] to ADDR[:PORT[-PORT]]`
//! and `masquerade|redirect [to :PORT[-PORT]]` with their flags, reading the
//! addresses and ports from the registers the rule's `immediate`s loaded.

use crate::nft::expr::nat::{
    NFT_NAT_SNAT, NF_NAT_RANGE_PERSISTENT, NF_NAT_RANGE_PROTO_RANDOM,
    NF_NAT_RANGE_PROTO_RANDOM_FULLY,
};
use crate::nft::expr::{Data, Nat, PortNat};
use crate::nft::wire::{NFPROTO_INET, NFPROTO_IPV6};

use super::{port_of, prefix_text, Printer};

impl Printer<'_> {
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

    pub(super) fn nat(&mut self, n: &Nat) -> usize {
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

    pub(super) fn port_nat(&mut self, word: &str, p: &PortNat) -> usize {
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
