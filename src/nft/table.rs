//! nf_tables tables: request builders (add, create, delete, flush), the
//! borrowed view of a `NFT_MSG_NEWTABLE` dump message, and the dump walker.
//!
//! Builders lay the attributes out as nft 1.0.6 does (golden bytes in
//! `tests/golden/nft-core`): `add` is `NFT_MSG_NEWTABLE` without flags (an
//! existing table is left as it is), `create` adds `NLM_F_EXCL`; `flush` is
//! `NFT_MSG_DELRULE` naming only the table.

use super::family::Family;
use super::wire::{
    nft_msg, nft_type, NfGenMsg, NFNETLINK_V0, NFTA_RULE_TABLE, NFTA_TABLE_FLAGS,
    NFTA_TABLE_HANDLE, NFTA_TABLE_NAME, NFTA_TABLE_USE, NFT_MSG_DELRULE, NFT_MSG_DELTABLE,
    NFT_MSG_GETTABLE, NFT_MSG_NEWTABLE,
};
use crate::error::{DecodeError, Error, Result};
use crate::netlink::connection::Transport;
use crate::netlink::header::NLM_F_EXCL;
use crate::netlink::{Connection, Message, MessageBuilder, Request};

/// A message of nf_tables message type `msg` for `family` (`AF_UNSPEC`: 0).
pub(crate) fn nft_message(msg: u16, flags: u16, family: u8) -> MessageBuilder {
    let mut m = MessageBuilder::new(nft_type(msg), flags);
    m.header(&NfGenMsg {
        nfgen_family: family,
        version: NFNETLINK_V0,
        res_id: [0, 0],
    });
    m
}

/// `add table FAMILY NAME`; `exclusive` is `create table` (`NLM_F_EXCL`:
/// an existing table is an error).
pub fn add_table_request(family: Family, name: &str, exclusive: bool) -> Result<Request> {
    let flags = if exclusive { NLM_F_EXCL } else { 0 };
    let mut m = nft_message(NFT_MSG_NEWTABLE, flags, family.nfproto());
    m.put_str(NFTA_TABLE_NAME, name);
    m.put_u32_be(NFTA_TABLE_FLAGS, 0);
    m.finish()
}

/// `delete table FAMILY NAME`: the table and everything in it.
pub fn delete_table_request(family: Family, name: &str) -> Result<Request> {
    let mut m = nft_message(NFT_MSG_DELTABLE, 0, family.nfproto());
    m.put_str(NFTA_TABLE_NAME, name);
    m.finish()
}

/// `flush table FAMILY NAME`: every rule of every chain of the table.
pub fn flush_table_request(family: Family, name: &str) -> Result<Request> {
    let mut m = nft_message(NFT_MSG_DELRULE, 0, family.nfproto());
    m.put_str(NFTA_RULE_TABLE, name);
    m.finish()
}

/// `delete table` for every table of every family (or of `family`): what
/// `flush ruleset` sends (`NFT_MSG_DELTABLE` without a name).
pub fn flush_ruleset_request(family: Option<Family>) -> Result<Request> {
    nft_message(NFT_MSG_DELTABLE, 0, family.map_or(0, Family::nfproto)).finish()
}

/// A dump of the tables of `family` (all families: `None`).
pub fn dump_tables_request(family: Option<Family>) -> Result<Request> {
    nft_message(NFT_MSG_GETTABLE, 0, family.map_or(0, Family::nfproto)).finish()
}

/// One table, as the kernel describes it (`NFT_MSG_NEWTABLE`), borrowed from
/// the receive buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Table<'a> {
    /// `NFPROTO_*` (see [`Family::from_nfproto`]).
    pub family: u8,
    pub name: &'a str,
    pub handle: Option<u64>,
    /// Chains, sets and other objects that refer to the table.
    pub use_count: Option<u32>,
    /// `NFT_TABLE_F_*` (dormant, owner).
    pub flags: u32,
}

impl<'a> Table<'a> {
    /// The view of a dump message; `Ok(None)` for a message that is not a
    /// table. Attributes it does not read are skipped.
    pub fn parse(msg: &Message<'a>) -> Result<Option<Table<'a>>, DecodeError> {
        if nft_msg(msg.message_type()) != Some(NFT_MSG_NEWTABLE) {
            return Ok(None);
        }
        let (header, attrs) = msg.fixed::<NfGenMsg>("nfgenmsg")?;
        let mut t = Table {
            family: header.nfgen_family,
            ..Table::default()
        };
        for attr in attrs {
            let attr = attr?;
            match attr.kind() {
                NFTA_TABLE_NAME => t.name = attr.c_str().map_err(|e| e.named("NFTA_TABLE_NAME"))?,
                NFTA_TABLE_FLAGS => {
                    t.flags = attr.u32_be().map_err(|e| e.named("NFTA_TABLE_FLAGS"))?
                }
                NFTA_TABLE_USE => {
                    t.use_count = Some(attr.u32_be().map_err(|e| e.named("NFTA_TABLE_USE"))?)
                }
                NFTA_TABLE_HANDLE => t.handle = Some(u64_be(&attr, "NFTA_TABLE_HANDLE")?),
                _ => {}
            }
        }
        Ok(Some(t))
    }
}

/// A big-endian u64 attribute (handles).
pub(crate) fn u64_be(
    attr: &crate::netlink::Attr<'_>,
    what: &'static str,
) -> Result<u64, DecodeError> {
    let p = attr.payload();
    let bytes: [u8; 8] = p.try_into().map_err(|_| {
        DecodeError::new(
            what,
            crate::error::Problem::Length {
                want: 8,
                got: p.len(),
            },
        )
    })?;
    Ok(u64::from_be_bytes(bytes))
}

/// Stream the tables of `family` (all: `None`) to `each`, one at a time, as
/// they arrive; nothing is kept. An error of `each` ends the walk.
pub fn for_each_table<T, F>(
    conn: &mut Connection<T>,
    family: Option<Family>,
    mut each: F,
) -> Result<()>
where
    T: Transport,
    F: FnMut(&Table<'_>) -> Result<()>,
{
    let _ = conn.dump(dump_tables_request(family)?, |msg| {
        if let Some(t) = Table::parse(&msg)? {
            each(&t)?;
        }
        Ok::<(), Error>(())
    })?;
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests;
