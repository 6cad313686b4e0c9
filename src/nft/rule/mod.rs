//! Rules: [`RuleSpec`] and its requests (`NFT_MSG_NEWRULE` to add, insert
//! or replace, `NFT_MSG_DELRULE` by handle), the dump request, and
//! [`Rule`], a borrowed view of an `NFT_MSG_NEWRULE` message of a dump
//! whose expressions decode one at a time.
//!
//! Requests are single messages; the caller puts them in a batch
//! (`NFNL_MSG_BATCH_BEGIN` ... `END`). Handles and positions are big-endian
//! u64 on the wire. Attribute order is libnftnl's (table, chain, handle,
//! position, userdata, expressions).

use crate::error::{DecodeError, Error, Problem, Result};
use crate::netlink::header::{NLM_F_APPEND, NLM_F_CREATE, NLM_F_REPLACE};
use crate::netlink::{Attr, Connection, DumpStatus, Message, MessageBuilder, Request};
use crate::nft::expr::data::be64;
use crate::nft::expr::{encode_list, Expr, Exprs};
use crate::nft::wire::{
    nft_msg, nft_type, NfGenMsg, NFNETLINK_V0, NFTA_RULE_CHAIN, NFTA_RULE_EXPRESSIONS,
    NFTA_RULE_HANDLE, NFTA_RULE_POSITION, NFTA_RULE_TABLE, NFTA_RULE_USERDATA, NFT_MSG_DELRULE,
    NFT_MSG_GETRULE, NFT_MSG_NEWRULE,
};

/// Where a new rule goes, or which rule a request names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Placement {
    /// `add rule`: at the end of the chain.
    #[default]
    Append,
    /// `insert rule`: at the start of the chain.
    Prepend,
    /// `add rule ... position H`: after the rule with handle `H`.
    After(u64),
    /// `insert rule ... position H`: before the rule with handle `H`.
    Before(u64),
    /// `replace rule ... handle H`.
    Replace(u64),
}

/// A rule to create: where, what, and optional user data (nft keeps
/// comments there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSpec {
    /// `NFPROTO_*`.
    pub family: u8,
    pub table: String,
    pub chain: String,
    pub exprs: Vec<Expr>,
    pub placement: Placement,
    pub userdata: Option<Vec<u8>>,
}

fn start(msg: u16, flags: u16, family: u8, table: &str, chain: &str) -> MessageBuilder {
    let mut m = MessageBuilder::new(nft_type(msg), flags);
    m.header(&NfGenMsg {
        nfgen_family: family,
        version: NFNETLINK_V0,
        res_id: [0, 0],
    });
    m.put_str(NFTA_RULE_TABLE, table);
    if !chain.is_empty() {
        m.put_str(NFTA_RULE_CHAIN, chain);
    }
    m
}

impl RuleSpec {
    /// The `NFT_MSG_NEWRULE` request: `NLM_F_CREATE|NLM_F_APPEND` for an
    /// add, `NLM_F_CREATE` for an insert, `NLM_F_REPLACE` for a replace.
    #[doc(alias = "NFT_MSG_NEWRULE")]
    pub fn request(&self) -> Result<Request> {
        let flags = match self.placement {
            Placement::Append | Placement::After(_) => NLM_F_CREATE | NLM_F_APPEND,
            Placement::Prepend | Placement::Before(_) => NLM_F_CREATE,
            Placement::Replace(_) => NLM_F_REPLACE,
        };
        let mut m = start(
            NFT_MSG_NEWRULE,
            flags,
            self.family,
            &self.table,
            &self.chain,
        );
        match self.placement {
            Placement::Replace(h) => {
                m.put(NFTA_RULE_HANDLE, &h.to_be_bytes());
            }
            Placement::After(h) | Placement::Before(h) => {
                m.put(NFTA_RULE_POSITION, &h.to_be_bytes());
            }
            _ => {}
        }
        if let Some(u) = &self.userdata {
            m.put(NFTA_RULE_USERDATA, u);
        }
        encode_list(&mut m, NFTA_RULE_EXPRESSIONS, &self.exprs);
        m.finish()
    }
}

/// `delete rule FAMILY TABLE CHAIN handle H`.
#[doc(alias = "NFT_MSG_DELRULE")]
pub fn delete_rule_request(family: u8, table: &str, chain: &str, handle: u64) -> Result<Request> {
    let mut m = start(NFT_MSG_DELRULE, 0, family, table, chain);
    m.put(NFTA_RULE_HANDLE, &handle.to_be_bytes());
    m.finish()
}

/// `flush chain`: every rule of `chain` (of every chain of `table` when
/// `chain` is empty).
#[doc(alias = "NFT_MSG_DELRULE")]
pub fn flush_rules_request(family: u8, table: &str, chain: &str) -> Result<Request> {
    start(NFT_MSG_DELRULE, 0, family, table, chain).finish()
}

/// The rule dump request: every rule of `family` (`NFPROTO_UNSPEC`, 0, for
/// all), narrowed to `table` and `chain` when given. The connection adds
/// `NLM_F_DUMP`.
#[doc(alias = "NFT_MSG_GETRULE")]
pub fn dump_rules_request(family: u8, table: Option<&str>, chain: Option<&str>) -> Result<Request> {
    let mut m = MessageBuilder::new(nft_type(NFT_MSG_GETRULE), 0);
    m.header(&NfGenMsg {
        nfgen_family: family,
        version: NFNETLINK_V0,
        res_id: [0, 0],
    });
    if let Some(t) = table {
        m.put_str(NFTA_RULE_TABLE, t);
    }
    if let Some(c) = chain {
        m.put_str(NFTA_RULE_CHAIN, c);
    }
    m.finish()
}

/// One rule of a dump, borrowed from the receive buffer.
#[derive(Debug, Clone, Copy)]
pub struct Rule<'a> {
    pub family: u8,
    pub table: &'a str,
    pub chain: &'a str,
    pub handle: u64,
    /// The handle of the rule before this one, when the kernel says.
    pub position: Option<u64>,
    pub userdata: Option<&'a [u8]>,
    expressions: &'a [u8],
}

impl<'a> Rule<'a> {
    /// Read an `NFT_MSG_NEWRULE` message (a dump reply or a notification).
    pub fn parse(msg: &Message<'a>) -> std::result::Result<Rule<'a>, DecodeError> {
        if nft_msg(msg.message_type()) != Some(NFT_MSG_NEWRULE) {
            return Err(DecodeError::new("nft rule message type", Problem::BadValue));
        }
        let (gen, attrs) = msg.fixed::<NfGenMsg>("nfgenmsg")?;
        let mut r = Rule {
            family: gen.nfgen_family,
            table: "",
            chain: "",
            handle: 0,
            position: None,
            userdata: None,
            expressions: &[],
        };
        let str_of = |a: &Attr<'a>, what| a.c_str().map_err(|e| DecodeError::new(what, e.problem));
        for a in attrs {
            let a = a?;
            match a.kind() {
                NFTA_RULE_TABLE => r.table = str_of(&a, "NFTA_RULE_TABLE")?,
                NFTA_RULE_CHAIN => r.chain = str_of(&a, "NFTA_RULE_CHAIN")?,
                NFTA_RULE_HANDLE => r.handle = be64(&a, "NFTA_RULE_HANDLE")?,
                NFTA_RULE_POSITION => r.position = Some(be64(&a, "NFTA_RULE_POSITION")?),
                NFTA_RULE_USERDATA => r.userdata = Some(a.payload()),
                NFTA_RULE_EXPRESSIONS => r.expressions = a.payload(),
                _ => {}
            }
        }
        Ok(r)
    }

    /// The rule's expressions, decoded as the iterator goes.
    pub fn exprs(&self) -> Exprs<'a> {
        Exprs::new(self.expressions)
    }
}

/// Stream a rule dump (see [`dump_rules_request`]): `f` sees each rule in
/// the kernel's order, borrowed from the receive buffer.
#[doc(alias = "NFT_MSG_GETRULE")]
pub fn for_each_rule<E, F>(
    conn: &mut Connection,
    family: u8,
    table: Option<&str>,
    chain: Option<&str>,
    mut f: F,
) -> std::result::Result<DumpStatus, E>
where
    E: From<Error>,
    F: FnMut(&Rule<'_>) -> std::result::Result<(), E>,
{
    let request = dump_rules_request(family, table, chain).map_err(E::from)?;
    conn.dump(request, |msg| {
        if nft_msg(msg.message_type()) != Some(NFT_MSG_NEWRULE) {
            return Ok(());
        }
        let r = Rule::parse(&msg).map_err(Error::from)?;
        f(&r)
    })
}

#[cfg(test)]
mod tests;
