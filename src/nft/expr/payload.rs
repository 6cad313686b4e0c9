//! `payload`: load bytes of a packet header into a register, or write a
//! register into the packet (`enum nft_payload_attributes`).

use crate::error::DecodeError;
use crate::netlink::{Attrs, MessageBuilder};

use super::data::{be32, missing};

pub const NFTA_PAYLOAD_DREG: u16 = 1;
pub const NFTA_PAYLOAD_BASE: u16 = 2;
pub const NFTA_PAYLOAD_OFFSET: u16 = 3;
pub const NFTA_PAYLOAD_LEN: u16 = 4;
pub const NFTA_PAYLOAD_SREG: u16 = 5;
pub const NFTA_PAYLOAD_CSUM_TYPE: u16 = 6;
pub const NFTA_PAYLOAD_CSUM_OFFSET: u16 = 7;
pub const NFTA_PAYLOAD_CSUM_FLAGS: u16 = 8;

/// `enum nft_payload_bases`.
pub const NFT_PAYLOAD_LL_HEADER: u32 = 0;
pub const NFT_PAYLOAD_NETWORK_HEADER: u32 = 1;
pub const NFT_PAYLOAD_TRANSPORT_HEADER: u32 = 2;
pub const NFT_PAYLOAD_INNER_HEADER: u32 = 3;

/// A payload expression: `len` bytes at `offset` of header `base`
/// (`NFT_PAYLOAD_*_HEADER`) into `dreg` (a load) or from `sreg` (a write).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Payload {
    pub base: u32,
    pub offset: u32,
    pub len: u32,
    pub dreg: Option<u32>,
    pub sreg: Option<u32>,
    pub csum_type: Option<u32>,
    pub csum_offset: Option<u32>,
    pub csum_flags: Option<u32>,
}

impl Payload {
    /// A load of `len` bytes at `offset` of `base` into `dreg`.
    pub fn load(base: u32, offset: u32, len: u32, dreg: u32) -> Payload {
        Payload {
            base,
            offset,
            len,
            dreg: Some(dreg),
            ..Payload::default()
        }
    }

    pub(crate) fn put(&self, m: &mut MessageBuilder) {
        if let Some(r) = self.sreg {
            m.put_u32_be(NFTA_PAYLOAD_SREG, r);
        }
        if let Some(r) = self.dreg {
            m.put_u32_be(NFTA_PAYLOAD_DREG, r);
        }
        m.put_u32_be(NFTA_PAYLOAD_BASE, self.base);
        m.put_u32_be(NFTA_PAYLOAD_OFFSET, self.offset);
        m.put_u32_be(NFTA_PAYLOAD_LEN, self.len);
        for (kind, v) in [
            (NFTA_PAYLOAD_CSUM_TYPE, self.csum_type),
            (NFTA_PAYLOAD_CSUM_OFFSET, self.csum_offset),
            (NFTA_PAYLOAD_CSUM_FLAGS, self.csum_flags),
        ] {
            if let Some(v) = v {
                m.put_u32_be(kind, v);
            }
        }
    }

    pub(crate) fn parse(attrs: Attrs<'_>) -> Result<Payload, DecodeError> {
        let mut p = Payload::default();
        let (mut base, mut offset, mut len) = (None, None, None);
        for a in attrs {
            let a = a?;
            match a.kind() {
                NFTA_PAYLOAD_DREG => p.dreg = Some(be32(&a, "NFTA_PAYLOAD_DREG")?),
                NFTA_PAYLOAD_BASE => base = Some(be32(&a, "NFTA_PAYLOAD_BASE")?),
                NFTA_PAYLOAD_OFFSET => offset = Some(be32(&a, "NFTA_PAYLOAD_OFFSET")?),
                NFTA_PAYLOAD_LEN => len = Some(be32(&a, "NFTA_PAYLOAD_LEN")?),
                NFTA_PAYLOAD_SREG => p.sreg = Some(be32(&a, "NFTA_PAYLOAD_SREG")?),
                NFTA_PAYLOAD_CSUM_TYPE => p.csum_type = Some(be32(&a, "NFTA_PAYLOAD_CSUM_TYPE")?),
                NFTA_PAYLOAD_CSUM_OFFSET => {
                    p.csum_offset = Some(be32(&a, "NFTA_PAYLOAD_CSUM_OFFSET")?)
                }
                NFTA_PAYLOAD_CSUM_FLAGS => {
                    p.csum_flags = Some(be32(&a, "NFTA_PAYLOAD_CSUM_FLAGS")?)
                }
                _ => {}
            }
        }
        p.base = base.ok_or(missing("NFTA_PAYLOAD_BASE"))?;
        p.offset = offset.ok_or(missing("NFTA_PAYLOAD_OFFSET"))?;
        p.len = len.ok_or(missing("NFTA_PAYLOAD_LEN"))?;
        Ok(p)
    }

    /// As `nft --debug=netlink` shows it, without the brackets.
    pub fn debug_text(&self) -> String {
        let base = match self.base {
            NFT_PAYLOAD_LL_HEADER => "link".to_string(),
            NFT_PAYLOAD_NETWORK_HEADER => "network".to_string(),
            NFT_PAYLOAD_TRANSPORT_HEADER => "transport".to_string(),
            NFT_PAYLOAD_INNER_HEADER => "inner".to_string(),
            b => format!("base {b}"),
        };
        match (self.sreg, self.dreg) {
            (Some(s), _) => format!(
                "payload write reg {s} => {}b @ {base} header + {} csum_type {} csum_off {} csum_flags 0x{:x}",
                self.len,
                self.offset,
                self.csum_type.unwrap_or(0),
                self.csum_offset.unwrap_or(0),
                self.csum_flags.unwrap_or(0)
            ),
            (None, d) => format!(
                "payload load {}b @ {base} header + {} => reg {}",
                self.len,
                self.offset,
                d.unwrap_or(0)
            ),
        }
    }
}
