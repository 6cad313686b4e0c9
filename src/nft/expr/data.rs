//! Register data and verdicts (`enum nft_data_attributes`): [`Data`], a value
//! of at most `NFT_DATA_VALUE_MAXLEN` bytes kept inline (no allocation), and
//! [`Verdict`], with their nests (`NFTA_DATA_VALUE`, `NFTA_DATA_VERDICT {
//! NFTA_VERDICT_CODE, NFTA_VERDICT_CHAIN }`).
//!
//! Bytes are kept as the kernel compares them: addresses and ports in
//! network order, interface names NUL-padded.

use std::fmt;

use crate::error::{DecodeError, Problem};
use crate::netlink::header::NLA_F_NESTED;
use crate::netlink::{Attr, MessageBuilder};
use crate::nft::wire::{
    NFTA_DATA_VALUE, NFTA_DATA_VERDICT, NFTA_VERDICT_CHAIN, NFTA_VERDICT_CODE, NFT_BREAK,
    NFT_CONTINUE, NFT_GOTO, NFT_JUMP, NFT_RETURN, NF_ACCEPT, NF_DROP,
};

/// `NFT_DATA_VALUE_MAXLEN`: the longest value a register set holds.
pub const NFT_DATA_VALUE_MAXLEN: usize = 64;

/// A value for registers, at most 64 bytes.
#[derive(Clone, Copy)]
pub struct Data {
    len: u8,
    bytes: [u8; NFT_DATA_VALUE_MAXLEN],
}

impl Data {
    /// The value `bytes`, `None` when longer than 64 bytes.
    pub fn new(bytes: &[u8]) -> Option<Data> {
        let mut d = Data {
            len: u8::try_from(bytes.len()).ok()?,
            bytes: [0; NFT_DATA_VALUE_MAXLEN],
        };
        d.bytes.get_mut(..bytes.len())?.copy_from_slice(bytes);
        Some(d)
    }

    /// A big-endian u32 (register numbers, protocol numbers in 32-bit keys).
    pub fn u32_be(v: u32) -> Data {
        Data::fixed_slice(&v.to_be_bytes())
    }

    /// A value in host order, as the kernel keeps meta and ct keys
    /// (`meta l4proto` is one byte; `ct state` and `meta mark` host u32).
    pub fn u32_ne(v: u32) -> Data {
        Data::fixed_slice(&v.to_ne_bytes())
    }

    /// `b`, cut to 64 bytes (for values that are short by construction).
    pub(crate) fn fixed_slice(b: &[u8]) -> Data {
        let b = &b[..b.len().min(NFT_DATA_VALUE_MAXLEN)];
        let mut d = Data {
            len: b.len() as u8,
            bytes: [0; NFT_DATA_VALUE_MAXLEN],
        };
        d.bytes[..b.len()].copy_from_slice(b);
        d
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The data as `nft --debug=netlink` shows it: 32-bit words read in
    /// host order, `0x0000000a 0x00000000`, the last word zero-padded.
    pub fn words(&self) -> String {
        let mut s = String::new();
        for chunk in self.as_bytes().chunks(4) {
            let mut w = [0u8; 4];
            w[..chunk.len()].copy_from_slice(chunk);
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(&format!("0x{:08x}", u32::from_ne_bytes(w)));
        }
        s
    }
}

impl PartialEq for Data {
    fn eq(&self, other: &Data) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}
impl Eq for Data {}

impl fmt::Debug for Data {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Data(")?;
        for b in self.as_bytes() {
            write!(f, "{b:02x}")?;
        }
        write!(f, ")")
    }
}

/// What a rule does with the packet (`NFTA_VERDICT_CODE` and, for jump and
/// goto, `NFTA_VERDICT_CHAIN`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Accept,
    Drop,
    Continue,
    Break,
    Return,
    Jump(String),
    Goto(String),
    /// A code rawnet does not name (queue verdicts, ...), kept as sent.
    Other(i32),
}

impl Verdict {
    pub fn code(&self) -> i32 {
        match self {
            Verdict::Accept => NF_ACCEPT,
            Verdict::Drop => NF_DROP,
            Verdict::Continue => NFT_CONTINUE,
            Verdict::Break => NFT_BREAK,
            Verdict::Return => NFT_RETURN,
            Verdict::Jump(_) => NFT_JUMP,
            Verdict::Goto(_) => NFT_GOTO,
            Verdict::Other(c) => *c,
        }
    }

    /// nft's word for it: `accept`, `jump other`, ...
    pub fn text(&self) -> String {
        match self {
            Verdict::Accept => "accept".into(),
            Verdict::Drop => "drop".into(),
            Verdict::Continue => "continue".into(),
            Verdict::Break => "break".into(),
            Verdict::Return => "return".into(),
            Verdict::Jump(c) => format!("jump {c}"),
            Verdict::Goto(c) => format!("goto {c}"),
            Verdict::Other(c) => format!("verdict {c}"),
        }
    }

    fn put(&self, m: &mut MessageBuilder) {
        m.nest(NFTA_DATA_VERDICT | NLA_F_NESTED, |m| {
            m.put(NFTA_VERDICT_CODE, &self.code().to_be_bytes());
            if let Verdict::Jump(c) | Verdict::Goto(c) = self {
                m.put_str(NFTA_VERDICT_CHAIN, c);
            }
        });
    }

    fn parse(nest: &Attr<'_>) -> Result<Verdict, DecodeError> {
        let mut code = None;
        let mut chain = None;
        for a in nest.nested() {
            let a = a?;
            match a.kind() {
                NFTA_VERDICT_CODE => code = Some(be32(&a, "NFTA_VERDICT_CODE")? as i32),
                NFTA_VERDICT_CHAIN => {
                    chain = Some(
                        a.c_str_lossy()
                            .map_err(|e| named("NFTA_VERDICT_CHAIN", e))?
                            .into_owned(),
                    )
                }
                _ => {}
            }
        }
        let code = code.ok_or(missing("NFTA_VERDICT_CODE"))?;
        Ok(match code {
            NF_ACCEPT => Verdict::Accept,
            NF_DROP => Verdict::Drop,
            NFT_CONTINUE => Verdict::Continue,
            NFT_BREAK => Verdict::Break,
            NFT_RETURN => Verdict::Return,
            NFT_JUMP => Verdict::Jump(chain.ok_or(missing("NFTA_VERDICT_CHAIN"))?),
            NFT_GOTO => Verdict::Goto(chain.ok_or(missing("NFTA_VERDICT_CHAIN"))?),
            c => Verdict::Other(c),
        })
    }
}

/// The contents of an `NFTA_*_DATA` nest: a value or a verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataOrVerdict {
    Value(Data),
    Verdict(Verdict),
}

/// Write `kind { NFTA_DATA_VALUE value }`.
pub(crate) fn put_value(m: &mut MessageBuilder, kind: u16, value: &Data) {
    m.nest(kind | NLA_F_NESTED, |m| {
        m.put(NFTA_DATA_VALUE, value.as_bytes());
    });
}

/// Write `kind { NFTA_DATA_VALUE | NFTA_DATA_VERDICT }`.
pub(crate) fn put_data(m: &mut MessageBuilder, kind: u16, data: &DataOrVerdict) {
    match data {
        DataOrVerdict::Value(v) => put_value(m, kind, v),
        DataOrVerdict::Verdict(v) => {
            m.nest(kind | NLA_F_NESTED, |m| v.put(m));
        }
    }
}

/// Read a `NFTA_*_DATA` nest named `what`.
pub(crate) fn parse_data(
    nest: &Attr<'_>,
    what: &'static str,
) -> Result<DataOrVerdict, DecodeError> {
    for a in nest.nested() {
        let a = a.map_err(|e| named(what, e))?;
        match a.kind() {
            NFTA_DATA_VALUE => {
                return Data::new(a.payload())
                    .map(DataOrVerdict::Value)
                    .ok_or(DecodeError::new(
                        what,
                        Problem::Length {
                            want: NFT_DATA_VALUE_MAXLEN,
                            got: a.payload().len(),
                        },
                    ))
            }
            NFTA_DATA_VERDICT => return Verdict::parse(&a).map(DataOrVerdict::Verdict),
            _ => {}
        }
    }
    Err(missing(what))
}

/// Read a `NFTA_*_DATA` nest that must hold a value.
pub(crate) fn parse_value(nest: &Attr<'_>, what: &'static str) -> Result<Data, DecodeError> {
    match parse_data(nest, what)? {
        DataOrVerdict::Value(v) => Ok(v),
        DataOrVerdict::Verdict(_) => Err(DecodeError::new(what, Problem::BadValue)),
    }
}

/// A big-endian u32 attribute; a wrong size is reported under `what`.
pub(crate) fn be32(a: &Attr<'_>, what: &'static str) -> Result<u32, DecodeError> {
    a.u32_be().map_err(|e| named(what, e))
}

/// A big-endian u64 attribute.
pub(crate) fn be64(a: &Attr<'_>, what: &'static str) -> Result<u64, DecodeError> {
    a.payload().try_into().map(u64::from_be_bytes).map_err(|_| {
        DecodeError::new(
            what,
            Problem::Length {
                want: 8,
                got: a.payload().len(),
            },
        )
    })
}

pub(crate) fn named(what: &'static str, e: DecodeError) -> DecodeError {
    DecodeError::new(what, e.problem)
}

/// A required attribute that was not there.
pub(crate) fn missing(what: &'static str) -> DecodeError {
    DecodeError::new(what, Problem::Short { want: 1, got: 0 })
}
