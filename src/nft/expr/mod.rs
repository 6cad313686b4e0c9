//! nf_tables expressions as values: each kind the compiler emits (payload,
//! cmp, meta, immediate, counter, bitwise, lookup, ct, numgen, nat, masq,
//! redir, range) with its encoding into an expression nest,
//! `NFTA_LIST_ELEM { NFTA_EXPR_NAME "payload", NFTA_EXPR_DATA { ... } }`,
//! and its decoding from a kernel dump.
//!
//! Invariants: every value the kernel keeps big-endian (registers, lengths,
//! offsets, keys, ops) is written and read big-endian; decoding never
//! panics; an expression of a kind rawnet does not know is kept as
//! [`RawExpr`] (its name and the bytes of its `NFTA_EXPR_DATA`) and shows
//! as such; a known kind whose attributes are malformed is a
//! [`DecodeError`] naming the attribute. Unknown attributes are skipped.
//!
//! `compile.rs` turns nft's statements into expressions, `text.rs` turns
//! expressions back into nft's text.

pub mod bitwise;
pub mod cmp;
pub mod compile;
pub mod data;
pub mod immediate;
pub mod lookup;
pub mod meta;
pub mod nat;
pub mod payload;
pub mod sets;
pub mod text;

#[cfg(test)]
mod tests;

use crate::error::DecodeError;
use crate::netlink::header::NLA_F_NESTED;
use crate::netlink::{Attr, Attrs, MessageBuilder};
use crate::nft::wire::{NFTA_EXPR_DATA, NFTA_EXPR_NAME, NFTA_LIST_ELEM};

pub use bitwise::Bitwise;
pub use cmp::{Cmp, CmpOp, Range};
pub use data::{Data, DataOrVerdict, Verdict};
pub use immediate::{Counter, Immediate};
pub use lookup::{Lookup, Numgen};
pub use meta::{Ct, Meta};
pub use nat::{Nat, PortNat};
pub use payload::Payload;

use data::{missing, named};

/// One expression of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Payload(Payload),
    Cmp(Cmp),
    Meta(Meta),
    Immediate(Immediate),
    Counter(Counter),
    Bitwise(Bitwise),
    Lookup(Lookup),
    Ct(Ct),
    Numgen(Numgen),
    Nat(Nat),
    Masq(PortNat),
    Redir(PortNat),
    Range(Range),
    /// A kind rawnet does not know, as the kernel sent it.
    Raw(RawExpr),
}

/// An expression rawnet does not decode: its `NFTA_EXPR_NAME` and the
/// payload of its `NFTA_EXPR_DATA` (empty when it had none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawExpr {
    pub name: String,
    pub data: Vec<u8>,
}

impl Expr {
    /// The kernel's name of the expression (`NFTA_EXPR_NAME`).
    pub fn name(&self) -> &str {
        match self {
            Expr::Payload(_) => "payload",
            Expr::Cmp(_) => "cmp",
            Expr::Meta(_) => "meta",
            Expr::Immediate(_) => "immediate",
            Expr::Counter(_) => "counter",
            Expr::Bitwise(_) => "bitwise",
            Expr::Lookup(_) => "lookup",
            Expr::Ct(_) => "ct",
            Expr::Numgen(_) => "numgen",
            Expr::Nat(_) => "nat",
            Expr::Masq(_) => "masq",
            Expr::Redir(_) => "redir",
            Expr::Range(_) => "range",
            Expr::Raw(r) => &r.name,
        }
    }

    /// Write this expression as one `NFTA_LIST_ELEM` nest.
    pub fn encode(&self, m: &mut MessageBuilder) {
        m.nest(NFTA_LIST_ELEM | NLA_F_NESTED, |m| {
            m.put_str(NFTA_EXPR_NAME, self.name());
            m.nest(NFTA_EXPR_DATA | NLA_F_NESTED, |m| match self {
                Expr::Payload(e) => e.put(m),
                Expr::Cmp(e) => e.put(m),
                Expr::Meta(e) => e.put(m),
                Expr::Immediate(e) => e.put(m),
                Expr::Counter(e) => e.put(m),
                Expr::Bitwise(e) => e.put(m),
                Expr::Lookup(e) => e.put(m),
                Expr::Ct(e) => e.put(m),
                Expr::Numgen(e) => e.put(m),
                Expr::Nat(e) => e.put(m),
                Expr::Masq(e) => e.put_masq(m),
                Expr::Redir(e) => e.put_redir(m),
                Expr::Range(e) => e.put(m),
                Expr::Raw(r) => {
                    // The data is a run of attributes already; append it as is.
                    for a in Attrs::new(&r.data).flatten() {
                        m.put(a.kind(), a.payload());
                    }
                }
            });
        });
    }

    /// Read one `NFTA_LIST_ELEM` attribute.
    pub fn decode(elem: &Attr<'_>) -> Result<Expr, DecodeError> {
        let mut name = None;
        let mut data: &[u8] = &[];
        for a in elem.nested() {
            let a = a.map_err(|e| named("NFTA_LIST_ELEM", e))?;
            match a.kind() {
                NFTA_EXPR_NAME => {
                    name = Some(a.c_str_lossy().map_err(|e| named("NFTA_EXPR_NAME", e))?)
                }
                NFTA_EXPR_DATA => data = a.payload(),
                _ => {}
            }
        }
        let name = name.ok_or(missing("NFTA_EXPR_NAME"))?;
        let attrs = Attrs::new(data);
        Ok(match &*name {
            "payload" => Expr::Payload(Payload::parse(attrs)?),
            "cmp" => Expr::Cmp(Cmp::parse(attrs)?),
            "meta" => Expr::Meta(Meta::parse(attrs)?),
            "immediate" => Expr::Immediate(Immediate::parse(attrs)?),
            "counter" => Expr::Counter(Counter::parse(attrs)?),
            "bitwise" => Expr::Bitwise(Bitwise::parse(attrs)?),
            "lookup" => Expr::Lookup(Lookup::parse(attrs)?),
            "ct" => Expr::Ct(Ct::parse(attrs)?),
            "numgen" => Expr::Numgen(Numgen::parse(attrs)?),
            "nat" => Expr::Nat(Nat::parse(attrs)?),
            "masq" => Expr::Masq(PortNat::parse_masq(attrs)?),
            "redir" => Expr::Redir(PortNat::parse_redir(attrs)?),
            "range" => Expr::Range(Range::parse(attrs)?),
            _ => Expr::Raw(RawExpr {
                name: name.into_owned(),
                data: data.to_vec(),
            }),
        })
    }

    /// The expression as `nft --debug=netlink` shows it:
    /// `[ payload load 4b @ network header + 12 => reg 1 ]`.
    pub fn debug_text(&self) -> String {
        let body = match self {
            Expr::Payload(e) => e.debug_text(),
            Expr::Cmp(e) => e.debug_text(),
            Expr::Meta(e) => e.debug_text(),
            Expr::Immediate(e) => e.debug_text(),
            Expr::Counter(e) => e.debug_text(),
            Expr::Bitwise(e) => e.debug_text(),
            Expr::Lookup(e) => e.debug_text(),
            Expr::Ct(e) => e.debug_text(),
            Expr::Numgen(e) => e.debug_text(),
            Expr::Nat(e) => e.debug_text(),
            Expr::Masq(e) => e.debug_text("masq"),
            Expr::Redir(e) => e.debug_text("redir"),
            Expr::Range(e) => e.debug_text(),
            Expr::Raw(r) => {
                let mut s = r.name.clone();
                if !r.data.is_empty() {
                    s.push_str(" 0x");
                    for b in &r.data {
                        s.push_str(&format!("{b:02x}"));
                    }
                }
                s
            }
        };
        format!("[ {body} ]")
    }
}

/// Write `exprs` as the list `kind` (`NFTA_RULE_EXPRESSIONS`).
pub fn encode_list(m: &mut MessageBuilder, kind: u16, exprs: &[Expr]) {
    m.nest(kind | NLA_F_NESTED, |m| {
        for e in exprs {
            e.encode(m);
        }
    });
}

/// The expressions of a list (`NFTA_RULE_EXPRESSIONS`' payload), decoded
/// one at a time; after an error the iterator ends.
#[derive(Debug, Clone)]
pub struct Exprs<'a> {
    attrs: Attrs<'a>,
    failed: bool,
}

impl<'a> Exprs<'a> {
    pub fn new(list: &'a [u8]) -> Exprs<'a> {
        Exprs {
            attrs: Attrs::new(list),
            failed: false,
        }
    }
}

impl Iterator for Exprs<'_> {
    type Item = Result<Expr, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            let r = match self.attrs.next()? {
                Err(e) => Err(named("NFTA_RULE_EXPRESSIONS", e)),
                Ok(a) if a.kind() != NFTA_LIST_ELEM => continue,
                Ok(a) => Expr::decode(&a),
            };
            self.failed = r.is_err();
            return Some(r);
        }
    }
}
