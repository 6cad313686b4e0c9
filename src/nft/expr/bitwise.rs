//! `bitwise`: `dreg = (sreg & mask) ^ xor`, or a shift
//! (`enum nft_bitwise_attributes`). Prefix matches and flag tests use it.

use crate::error::DecodeError;
use crate::netlink::{Attrs, MessageBuilder};

use super::data::{be32, missing, parse_value, put_value, Data};

pub const NFTA_BITWISE_SREG: u16 = 1;
pub const NFTA_BITWISE_DREG: u16 = 2;
pub const NFTA_BITWISE_LEN: u16 = 3;
pub const NFTA_BITWISE_MASK: u16 = 4;
pub const NFTA_BITWISE_XOR: u16 = 5;
pub const NFTA_BITWISE_OP: u16 = 6;
pub const NFTA_BITWISE_DATA: u16 = 7;

/// `enum nft_bitwise_ops`.
pub const NFT_BITWISE_MASK_XOR: u32 = 0;
pub const NFT_BITWISE_LSHIFT: u32 = 1;
pub const NFT_BITWISE_RSHIFT: u32 = 2;

/// A bitwise expression over `len` bytes. `op` is sent only when set (nft
/// leaves it out for mask/xor, which is the kernel's default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bitwise {
    pub sreg: u32,
    pub dreg: u32,
    pub len: u32,
    pub op: Option<u32>,
    pub mask: Option<Data>,
    pub xor: Option<Data>,
    /// The shift amount of a shift.
    pub data: Option<Data>,
}

impl Bitwise {
    /// `dreg = (sreg & mask) ^ xor` in one register.
    pub fn mask_xor(reg: u32, mask: Data, xor: Data) -> Bitwise {
        Bitwise {
            sreg: reg,
            dreg: reg,
            len: mask.len() as u32,
            op: None,
            mask: Some(mask),
            xor: Some(xor),
            data: None,
        }
    }

    pub(crate) fn put(&self, m: &mut MessageBuilder) {
        m.put_u32_be(NFTA_BITWISE_SREG, self.sreg);
        m.put_u32_be(NFTA_BITWISE_DREG, self.dreg);
        if let Some(op) = self.op {
            m.put_u32_be(NFTA_BITWISE_OP, op);
        }
        m.put_u32_be(NFTA_BITWISE_LEN, self.len);
        for (kind, v) in [
            (NFTA_BITWISE_MASK, &self.mask),
            (NFTA_BITWISE_XOR, &self.xor),
            (NFTA_BITWISE_DATA, &self.data),
        ] {
            if let Some(v) = v {
                put_value(m, kind, v);
            }
        }
    }

    pub(crate) fn parse(attrs: Attrs<'_>) -> Result<Bitwise, DecodeError> {
        let (mut sreg, mut dreg, mut len) = (None, None, None);
        let mut b = Bitwise {
            sreg: 0,
            dreg: 0,
            len: 0,
            op: None,
            mask: None,
            xor: None,
            data: None,
        };
        for a in attrs {
            let a = a?;
            match a.kind() {
                NFTA_BITWISE_SREG => sreg = Some(be32(&a, "NFTA_BITWISE_SREG")?),
                NFTA_BITWISE_DREG => dreg = Some(be32(&a, "NFTA_BITWISE_DREG")?),
                NFTA_BITWISE_LEN => len = Some(be32(&a, "NFTA_BITWISE_LEN")?),
                NFTA_BITWISE_OP => b.op = Some(be32(&a, "NFTA_BITWISE_OP")?),
                NFTA_BITWISE_MASK => b.mask = Some(parse_value(&a, "NFTA_BITWISE_MASK")?),
                NFTA_BITWISE_XOR => b.xor = Some(parse_value(&a, "NFTA_BITWISE_XOR")?),
                NFTA_BITWISE_DATA => b.data = Some(parse_value(&a, "NFTA_BITWISE_DATA")?),
                _ => {}
            }
        }
        b.sreg = sreg.ok_or(missing("NFTA_BITWISE_SREG"))?;
        b.dreg = dreg.ok_or(missing("NFTA_BITWISE_DREG"))?;
        b.len = len.ok_or(missing("NFTA_BITWISE_LEN"))?;
        Ok(b)
    }

    pub fn debug_text(&self) -> String {
        let words = |d: &Option<Data>| d.map(|d| d.words()).unwrap_or_default();
        match self.op.unwrap_or(NFT_BITWISE_MASK_XOR) {
            NFT_BITWISE_MASK_XOR => format!(
                "bitwise reg {} = ( reg {} & {} ) ^ {}",
                self.dreg,
                self.sreg,
                words(&self.mask),
                words(&self.xor)
            ),
            op => format!(
                "bitwise reg {} = ( reg {} {} {} )",
                self.dreg,
                self.sreg,
                if op == NFT_BITWISE_LSHIFT { "<<" } else { ">>" },
                words(&self.data)
            ),
        }
    }
}
