//! `immediate` and `counter`: a constant (a value or a verdict) into a
//! register, and the packet/byte counter (`enum nft_immediate_attributes`,
//! `enum nft_counter_attributes`).

use crate::error::DecodeError;
use crate::netlink::{Attrs, MessageBuilder};
use crate::nft::wire::NFT_REG_VERDICT;

use super::data::{be32, be64, missing, parse_data, put_data, DataOrVerdict, Verdict};

pub const NFTA_IMMEDIATE_DREG: u16 = 1;
pub const NFTA_IMMEDIATE_DATA: u16 = 2;

pub const NFTA_COUNTER_BYTES: u16 = 1;
pub const NFTA_COUNTER_PACKETS: u16 = 2;

/// `immediate`: `data` into `dreg` (register 0 for a verdict).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Immediate {
    pub dreg: u32,
    pub data: DataOrVerdict,
}

impl Immediate {
    /// The verdict statement: `accept`, `jump CHAIN`, ...
    pub fn verdict(v: Verdict) -> Immediate {
        Immediate {
            dreg: NFT_REG_VERDICT,
            data: DataOrVerdict::Verdict(v),
        }
    }

    pub(crate) fn put(&self, m: &mut MessageBuilder) {
        m.put_u32_be(NFTA_IMMEDIATE_DREG, self.dreg);
        put_data(m, NFTA_IMMEDIATE_DATA, &self.data);
    }

    pub(crate) fn parse(attrs: Attrs<'_>) -> Result<Immediate, DecodeError> {
        let (mut dreg, mut data) = (None, None);
        for a in attrs {
            let a = a?;
            match a.kind() {
                NFTA_IMMEDIATE_DREG => dreg = Some(be32(&a, "NFTA_IMMEDIATE_DREG")?),
                NFTA_IMMEDIATE_DATA => data = Some(parse_data(&a, "NFTA_IMMEDIATE_DATA")?),
                _ => {}
            }
        }
        Ok(Immediate {
            dreg: dreg.ok_or(missing("NFTA_IMMEDIATE_DREG"))?,
            data: data.ok_or(missing("NFTA_IMMEDIATE_DATA"))?,
        })
    }

    pub fn debug_text(&self) -> String {
        let what = match &self.data {
            DataOrVerdict::Value(v) => v.words(),
            DataOrVerdict::Verdict(Verdict::Jump(c)) => format!("jump -> {c}"),
            DataOrVerdict::Verdict(Verdict::Goto(c)) => format!("goto -> {c}"),
            DataOrVerdict::Verdict(v) => v.text(),
        };
        format!("immediate reg {} {what}", self.dreg)
    }
}

/// `counter`. A new rule's counter is sent without values (nft does so);
/// the kernel's dump carries both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counter {
    pub bytes: Option<u64>,
    pub packets: Option<u64>,
}

impl Counter {
    pub(crate) fn put(&self, m: &mut MessageBuilder) {
        if let Some(b) = self.bytes {
            m.put(NFTA_COUNTER_BYTES, &b.to_be_bytes());
        }
        if let Some(p) = self.packets {
            m.put(NFTA_COUNTER_PACKETS, &p.to_be_bytes());
        }
    }

    pub(crate) fn parse(attrs: Attrs<'_>) -> Result<Counter, DecodeError> {
        let mut c = Counter::default();
        for a in attrs {
            let a = a?;
            match a.kind() {
                NFTA_COUNTER_BYTES => c.bytes = Some(be64(&a, "NFTA_COUNTER_BYTES")?),
                NFTA_COUNTER_PACKETS => c.packets = Some(be64(&a, "NFTA_COUNTER_PACKETS")?),
                _ => {}
            }
        }
        Ok(c)
    }

    pub fn debug_text(&self) -> String {
        format!(
            "counter pkts {} bytes {}",
            self.packets.unwrap_or(0),
            self.bytes.unwrap_or(0)
        )
    }
}
