//! `cmp` and `range`: compare a register with constants
//! (`enum nft_cmp_attributes`, `enum nft_range_attributes`).

use crate::error::{DecodeError, Problem};
use crate::netlink::{Attrs, MessageBuilder};

use super::data::{be32, missing, parse_value, put_value, Data};

pub const NFTA_CMP_SREG: u16 = 1;
pub const NFTA_CMP_OP: u16 = 2;
pub const NFTA_CMP_DATA: u16 = 3;

pub const NFTA_RANGE_SREG: u16 = 1;
pub const NFTA_RANGE_OP: u16 = 2;
pub const NFTA_RANGE_FROM_DATA: u16 = 3;
pub const NFTA_RANGE_TO_DATA: u16 = 4;

/// `enum nft_cmp_ops`.
pub const NFT_CMP_EQ: u32 = 0;
pub const NFT_CMP_NEQ: u32 = 1;
pub const NFT_CMP_LT: u32 = 2;
pub const NFT_CMP_LTE: u32 = 3;
pub const NFT_CMP_GT: u32 = 4;
pub const NFT_CMP_GTE: u32 = 5;

/// `enum nft_range_ops`.
pub const NFT_RANGE_EQ: u32 = 0;
pub const NFT_RANGE_NEQ: u32 = 1;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Neq,
    Lt,
    Lte,
    Gt,
    Gte,
}

impl CmpOp {
    pub fn code(self) -> u32 {
        match self {
            CmpOp::Eq => NFT_CMP_EQ,
            CmpOp::Neq => NFT_CMP_NEQ,
            CmpOp::Lt => NFT_CMP_LT,
            CmpOp::Lte => NFT_CMP_LTE,
            CmpOp::Gt => NFT_CMP_GT,
            CmpOp::Gte => NFT_CMP_GTE,
        }
    }

    pub fn from_code(code: u32) -> Option<CmpOp> {
        Some(match code {
            NFT_CMP_EQ => CmpOp::Eq,
            NFT_CMP_NEQ => CmpOp::Neq,
            NFT_CMP_LT => CmpOp::Lt,
            NFT_CMP_LTE => CmpOp::Lte,
            NFT_CMP_GT => CmpOp::Gt,
            NFT_CMP_GTE => CmpOp::Gte,
            _ => return None,
        })
    }

    /// libnftnl's word: `eq`, `neq`, `lt`, `lte`, `gt`, `gte`.
    pub fn word(self) -> &'static str {
        match self {
            CmpOp::Eq => "eq",
            CmpOp::Neq => "neq",
            CmpOp::Lt => "lt",
            CmpOp::Lte => "lte",
            CmpOp::Gt => "gt",
            CmpOp::Gte => "gte",
        }
    }
}

/// `cmp`: compare register `sreg` with `data`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cmp {
    pub sreg: u32,
    pub op: CmpOp,
    pub data: Data,
}

impl Cmp {
    pub(crate) fn put(&self, m: &mut MessageBuilder) {
        m.put_u32_be(NFTA_CMP_SREG, self.sreg);
        m.put_u32_be(NFTA_CMP_OP, self.op.code());
        put_value(m, NFTA_CMP_DATA, &self.data);
    }

    pub(crate) fn parse(attrs: Attrs<'_>) -> Result<Cmp, DecodeError> {
        let (mut sreg, mut op, mut data) = (None, None, None);
        for a in attrs {
            let a = a?;
            match a.kind() {
                NFTA_CMP_SREG => sreg = Some(be32(&a, "NFTA_CMP_SREG")?),
                NFTA_CMP_OP => {
                    op = Some(
                        CmpOp::from_code(be32(&a, "NFTA_CMP_OP")?)
                            .ok_or(DecodeError::new("NFTA_CMP_OP", Problem::BadValue))?,
                    )
                }
                NFTA_CMP_DATA => data = Some(parse_value(&a, "NFTA_CMP_DATA")?),
                _ => {}
            }
        }
        Ok(Cmp {
            sreg: sreg.ok_or(missing("NFTA_CMP_SREG"))?,
            op: op.ok_or(missing("NFTA_CMP_OP"))?,
            data: data.ok_or(missing("NFTA_CMP_DATA"))?,
        })
    }

    pub fn debug_text(&self) -> String {
        format!(
            "cmp {} reg {} {}",
            self.op.word(),
            self.sreg,
            self.data.words()
        )
    }
}

/// `range`: `sreg` within (or, `neq`, outside) `from..=to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub sreg: u32,
    /// `NFT_RANGE_EQ` or `NFT_RANGE_NEQ`.
    pub op: u32,
    pub from: Data,
    pub to: Data,
}

impl Range {
    pub(crate) fn put(&self, m: &mut MessageBuilder) {
        m.put_u32_be(NFTA_RANGE_SREG, self.sreg);
        m.put_u32_be(NFTA_RANGE_OP, self.op);
        put_value(m, NFTA_RANGE_FROM_DATA, &self.from);
        put_value(m, NFTA_RANGE_TO_DATA, &self.to);
    }

    pub(crate) fn parse(attrs: Attrs<'_>) -> Result<Range, DecodeError> {
        let (mut sreg, mut op, mut from, mut to) = (None, None, None, None);
        for a in attrs {
            let a = a?;
            match a.kind() {
                NFTA_RANGE_SREG => sreg = Some(be32(&a, "NFTA_RANGE_SREG")?),
                NFTA_RANGE_OP => op = Some(be32(&a, "NFTA_RANGE_OP")?),
                NFTA_RANGE_FROM_DATA => from = Some(parse_value(&a, "NFTA_RANGE_FROM_DATA")?),
                NFTA_RANGE_TO_DATA => to = Some(parse_value(&a, "NFTA_RANGE_TO_DATA")?),
                _ => {}
            }
        }
        Ok(Range {
            sreg: sreg.ok_or(missing("NFTA_RANGE_SREG"))?,
            op: op.ok_or(missing("NFTA_RANGE_OP"))?,
            from: from.ok_or(missing("NFTA_RANGE_FROM_DATA"))?,
            to: to.ok_or(missing("NFTA_RANGE_TO_DATA"))?,
        })
    }

    pub fn debug_text(&self) -> String {
        let op = if self.op == NFT_RANGE_NEQ {
            "neq"
        } else {
            "eq"
        };
        format!(
            "range {op} reg {} {} {}",
            self.sreg,
            self.from.words(),
            self.to.words()
        )
    }
}
