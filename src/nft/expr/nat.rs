//! `nat`, `masq` and `redir`: address and port translation from registers
//! (`enum nft_nat_attributes`, `nft_masq_attributes`, `nft_redir_attributes`).
//! Flags are `NF_NAT_RANGE_*` (linux/netfilter/nf_nat.h).

use crate::error::{DecodeError, Problem};
use crate::netlink::{Attrs, MessageBuilder};
use crate::nft::wire::{NFPROTO_INET, NFPROTO_IPV4, NFPROTO_IPV6};

use super::data::{be32, missing};

pub const NFTA_NAT_TYPE: u16 = 1;
pub const NFTA_NAT_FAMILY: u16 = 2;
pub const NFTA_NAT_REG_ADDR_MIN: u16 = 3;
pub const NFTA_NAT_REG_ADDR_MAX: u16 = 4;
pub const NFTA_NAT_REG_PROTO_MIN: u16 = 5;
pub const NFTA_NAT_REG_PROTO_MAX: u16 = 6;
pub const NFTA_NAT_FLAGS: u16 = 7;

pub const NFTA_MASQ_FLAGS: u16 = 1;
pub const NFTA_MASQ_REG_PROTO_MIN: u16 = 2;
pub const NFTA_MASQ_REG_PROTO_MAX: u16 = 3;

pub const NFTA_REDIR_REG_PROTO_MIN: u16 = 1;
pub const NFTA_REDIR_REG_PROTO_MAX: u16 = 2;
pub const NFTA_REDIR_FLAGS: u16 = 3;

/// `enum nft_nat_types`.
pub const NFT_NAT_SNAT: u32 = 0;
pub const NFT_NAT_DNAT: u32 = 1;

/// `NF_NAT_RANGE_*` flags.
pub const NF_NAT_RANGE_MAP_IPS: u32 = 1 << 0;
pub const NF_NAT_RANGE_PROTO_SPECIFIED: u32 = 1 << 1;
pub const NF_NAT_RANGE_PROTO_RANDOM: u32 = 1 << 2;
pub const NF_NAT_RANGE_PERSISTENT: u32 = 1 << 3;
pub const NF_NAT_RANGE_PROTO_RANDOM_FULLY: u32 = 1 << 4;

/// `nat`: snat or dnat of `family` to the addresses and ports in registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nat {
    /// `NFT_NAT_SNAT` or `NFT_NAT_DNAT`.
    pub kind: u32,
    /// `NFPROTO_IPV4` or `NFPROTO_IPV6`.
    pub family: u32,
    pub addr_min: Option<u32>,
    pub addr_max: Option<u32>,
    pub proto_min: Option<u32>,
    pub proto_max: Option<u32>,
    pub flags: Option<u32>,
}

impl Nat {
    pub(crate) fn put(&self, m: &mut MessageBuilder) {
        m.put_u32_be(NFTA_NAT_TYPE, self.kind);
        m.put_u32_be(NFTA_NAT_FAMILY, self.family);
        for (kind, v) in [
            (NFTA_NAT_REG_ADDR_MIN, self.addr_min),
            (NFTA_NAT_REG_ADDR_MAX, self.addr_max),
            (NFTA_NAT_REG_PROTO_MIN, self.proto_min),
            (NFTA_NAT_REG_PROTO_MAX, self.proto_max),
            (NFTA_NAT_FLAGS, self.flags),
        ] {
            if let Some(v) = v {
                m.put_u32_be(kind, v);
            }
        }
    }

    pub(crate) fn parse(attrs: Attrs<'_>) -> Result<Nat, DecodeError> {
        let (mut kind, mut family) = (None, None);
        let mut n = Nat {
            kind: 0,
            family: 0,
            addr_min: None,
            addr_max: None,
            proto_min: None,
            proto_max: None,
            flags: None,
        };
        for a in attrs {
            let a = a?;
            match a.kind() {
                NFTA_NAT_TYPE => kind = Some(be32(&a, "NFTA_NAT_TYPE")?),
                NFTA_NAT_FAMILY => family = Some(be32(&a, "NFTA_NAT_FAMILY")?),
                NFTA_NAT_REG_ADDR_MIN => n.addr_min = Some(be32(&a, "NFTA_NAT_REG_ADDR_MIN")?),
                NFTA_NAT_REG_ADDR_MAX => n.addr_max = Some(be32(&a, "NFTA_NAT_REG_ADDR_MAX")?),
                NFTA_NAT_REG_PROTO_MIN => n.proto_min = Some(be32(&a, "NFTA_NAT_REG_PROTO_MIN")?),
                NFTA_NAT_REG_PROTO_MAX => n.proto_max = Some(be32(&a, "NFTA_NAT_REG_PROTO_MAX")?),
                NFTA_NAT_FLAGS => n.flags = Some(be32(&a, "NFTA_NAT_FLAGS")?),
                _ => {}
            }
        }
        n.kind = kind.ok_or(missing("NFTA_NAT_TYPE"))?;
        if n.kind > NFT_NAT_DNAT {
            return Err(DecodeError::new("NFTA_NAT_TYPE", Problem::BadValue));
        }
        n.family = family.ok_or(missing("NFTA_NAT_FAMILY"))?;
        Ok(n)
    }

    pub fn debug_text(&self) -> String {
        let kind = if self.kind == NFT_NAT_SNAT {
            "snat"
        } else {
            "dnat"
        };
        let mut s = format!("nat {kind} {}", family_name(self.family));
        for (word, v) in [
            ("addr_min", self.addr_min),
            ("addr_max", self.addr_max),
            ("proto_min", self.proto_min),
            ("proto_max", self.proto_max),
        ] {
            if let Some(v) = v {
                s.push_str(&format!(" {word} reg {v}"));
            }
        }
        if let Some(f) = self.flags {
            s.push_str(&format!(" flags 0x{f:x}"));
        }
        s
    }
}

/// libnftnl's name of an `NFPROTO_*` family.
pub fn family_name(family: u32) -> String {
    match u8::try_from(family) {
        Ok(NFPROTO_IPV4) => "ip".into(),
        Ok(NFPROTO_IPV6) => "ip6".into(),
        Ok(NFPROTO_INET) => "inet".into(),
        _ => format!("family {family}"),
    }
}

/// `masq` (masquerade) and `redir` (redirect): the port registers and flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PortNat {
    pub flags: Option<u32>,
    pub proto_min: Option<u32>,
    pub proto_max: Option<u32>,
}

impl PortNat {
    pub(crate) fn put_masq(&self, m: &mut MessageBuilder) {
        if let Some(f) = self.flags {
            m.put_u32_be(NFTA_MASQ_FLAGS, f);
        }
        if let Some(r) = self.proto_min {
            m.put_u32_be(NFTA_MASQ_REG_PROTO_MIN, r);
        }
        if let Some(r) = self.proto_max {
            m.put_u32_be(NFTA_MASQ_REG_PROTO_MAX, r);
        }
    }

    pub(crate) fn put_redir(&self, m: &mut MessageBuilder) {
        if let Some(r) = self.proto_min {
            m.put_u32_be(NFTA_REDIR_REG_PROTO_MIN, r);
        }
        if let Some(r) = self.proto_max {
            m.put_u32_be(NFTA_REDIR_REG_PROTO_MAX, r);
        }
        if let Some(f) = self.flags {
            m.put_u32_be(NFTA_REDIR_FLAGS, f);
        }
    }

    pub(crate) fn parse_masq(attrs: Attrs<'_>) -> Result<PortNat, DecodeError> {
        let mut p = PortNat::default();
        for a in attrs {
            let a = a?;
            match a.kind() {
                NFTA_MASQ_FLAGS => p.flags = Some(be32(&a, "NFTA_MASQ_FLAGS")?),
                NFTA_MASQ_REG_PROTO_MIN => p.proto_min = Some(be32(&a, "NFTA_MASQ_REG_PROTO_MIN")?),
                NFTA_MASQ_REG_PROTO_MAX => p.proto_max = Some(be32(&a, "NFTA_MASQ_REG_PROTO_MAX")?),
                _ => {}
            }
        }
        Ok(p)
    }

    pub(crate) fn parse_redir(attrs: Attrs<'_>) -> Result<PortNat, DecodeError> {
        let mut p = PortNat::default();
        for a in attrs {
            let a = a?;
            match a.kind() {
                NFTA_REDIR_FLAGS => p.flags = Some(be32(&a, "NFTA_REDIR_FLAGS")?),
                NFTA_REDIR_REG_PROTO_MIN => {
                    p.proto_min = Some(be32(&a, "NFTA_REDIR_REG_PROTO_MIN")?)
                }
                NFTA_REDIR_REG_PROTO_MAX => {
                    p.proto_max = Some(be32(&a, "NFTA_REDIR_REG_PROTO_MAX")?)
                }
                _ => {}
            }
        }
        Ok(p)
    }

    /// `masq proto_min reg 1 flags 0x4`, as libnftnl shows it.
    pub fn debug_text(&self, name: &str) -> String {
        let mut s = name.to_string();
        if let Some(r) = self.proto_min {
            s.push_str(&format!(" proto_min reg {r}"));
        }
        if let Some(r) = self.proto_max {
            s.push_str(&format!(" proto_max reg {r}"));
        }
        if let Some(f) = self.flags {
            s.push_str(&format!(" flags 0x{f:x}"));
        }
        s
    }
}
