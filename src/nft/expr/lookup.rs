//! `lookup` and `numgen`: match a register against a set (or map it
//! through a map), and generate numbers (`enum nft_lookup_attributes`,
//! `enum nft_ng_attributes`).

use crate::error::DecodeError;
use crate::netlink::{Attrs, MessageBuilder};

use super::data::{be32, missing, named};

pub const NFTA_LOOKUP_SET: u16 = 1;
pub const NFTA_LOOKUP_SREG: u16 = 2;
pub const NFTA_LOOKUP_DREG: u16 = 3;
pub const NFTA_LOOKUP_SET_ID: u16 = 4;
pub const NFTA_LOOKUP_FLAGS: u16 = 5;
/// `NFT_LOOKUP_F_INV`: match when the key is not in the set.
pub const NFT_LOOKUP_F_INV: u32 = 1 << 0;

pub const NFTA_NG_DREG: u16 = 1;
pub const NFTA_NG_MODULUS: u16 = 2;
pub const NFTA_NG_TYPE: u16 = 3;
pub const NFTA_NG_OFFSET: u16 = 4;
/// `enum nft_ng_types`.
pub const NFT_NG_INCREMENTAL: u32 = 0;
pub const NFT_NG_RANDOM: u32 = 1;

/// `lookup`: is `sreg` in set `set` (named, or by `set_id` in the same
/// batch)? With `dreg`, the map's value goes there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    pub set: String,
    pub set_id: Option<u32>,
    pub sreg: u32,
    pub dreg: Option<u32>,
    pub flags: Option<u32>,
}

impl Lookup {
    pub(crate) fn put(&self, m: &mut MessageBuilder) {
        m.put_u32_be(NFTA_LOOKUP_SREG, self.sreg);
        if let Some(r) = self.dreg {
            m.put_u32_be(NFTA_LOOKUP_DREG, r);
        }
        m.put_str(NFTA_LOOKUP_SET, &self.set);
        if let Some(id) = self.set_id {
            m.put_u32_be(NFTA_LOOKUP_SET_ID, id);
        }
        if let Some(f) = self.flags {
            m.put_u32_be(NFTA_LOOKUP_FLAGS, f);
        }
    }

    pub(crate) fn parse(attrs: Attrs<'_>) -> Result<Lookup, DecodeError> {
        let (mut set, mut sreg) = (None, None);
        let mut l = Lookup {
            set: String::new(),
            set_id: None,
            sreg: 0,
            dreg: None,
            flags: None,
        };
        for a in attrs {
            let a = a?;
            match a.kind() {
                NFTA_LOOKUP_SET => {
                    set = Some(
                        a.c_str_lossy()
                            .map_err(|e| named("NFTA_LOOKUP_SET", e))?
                            .into_owned(),
                    )
                }
                NFTA_LOOKUP_SREG => sreg = Some(be32(&a, "NFTA_LOOKUP_SREG")?),
                NFTA_LOOKUP_DREG => l.dreg = Some(be32(&a, "NFTA_LOOKUP_DREG")?),
                NFTA_LOOKUP_SET_ID => l.set_id = Some(be32(&a, "NFTA_LOOKUP_SET_ID")?),
                NFTA_LOOKUP_FLAGS => l.flags = Some(be32(&a, "NFTA_LOOKUP_FLAGS")?),
                _ => {}
            }
        }
        l.set = set.ok_or(missing("NFTA_LOOKUP_SET"))?;
        l.sreg = sreg.ok_or(missing("NFTA_LOOKUP_SREG"))?;
        Ok(l)
    }

    pub fn debug_text(&self) -> String {
        let mut s = format!("lookup reg {} set {}", self.sreg, self.set);
        if let Some(d) = self.dreg {
            s.push_str(&format!(" dreg {d}"));
        }
        if let Some(f) = self.flags.filter(|f| *f != 0) {
            s.push_str(&format!(" 0x{f:x}"));
        }
        s
    }
}

/// `numgen`: `dreg = (counter or random) % modulus + offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Numgen {
    pub dreg: u32,
    pub modulus: u32,
    /// `NFT_NG_INCREMENTAL` or `NFT_NG_RANDOM`.
    pub kind: u32,
    pub offset: Option<u32>,
}

impl Numgen {
    pub(crate) fn put(&self, m: &mut MessageBuilder) {
        m.put_u32_be(NFTA_NG_DREG, self.dreg);
        m.put_u32_be(NFTA_NG_MODULUS, self.modulus);
        m.put_u32_be(NFTA_NG_TYPE, self.kind);
        if let Some(o) = self.offset {
            m.put_u32_be(NFTA_NG_OFFSET, o);
        }
    }

    pub(crate) fn parse(attrs: Attrs<'_>) -> Result<Numgen, DecodeError> {
        let (mut dreg, mut modulus, mut kind, mut offset) = (None, None, None, None);
        for a in attrs {
            let a = a?;
            match a.kind() {
                NFTA_NG_DREG => dreg = Some(be32(&a, "NFTA_NG_DREG")?),
                NFTA_NG_MODULUS => modulus = Some(be32(&a, "NFTA_NG_MODULUS")?),
                NFTA_NG_TYPE => kind = Some(be32(&a, "NFTA_NG_TYPE")?),
                NFTA_NG_OFFSET => offset = Some(be32(&a, "NFTA_NG_OFFSET")?),
                _ => {}
            }
        }
        Ok(Numgen {
            dreg: dreg.ok_or(missing("NFTA_NG_DREG"))?,
            modulus: modulus.ok_or(missing("NFTA_NG_MODULUS"))?,
            kind: kind.ok_or(missing("NFTA_NG_TYPE"))?,
            offset,
        })
    }

    pub fn debug_text(&self) -> String {
        let kind = if self.kind == NFT_NG_RANDOM {
            "random"
        } else {
            "inc"
        };
        let mut s = format!("numgen reg {} = {kind} mod {}", self.dreg, self.modulus);
        if let Some(o) = self.offset.filter(|o| *o != 0) {
            s.push_str(&format!(" offset {o}"));
        }
        s
    }
}
