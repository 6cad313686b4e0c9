//! Sets and maps: [`SetSpec`] and its requests (`NFT_MSG_NEWSET`,
//! `NFT_MSG_DELSET`), the set dump request and [`Set`], a borrowed view of
//! one `NFT_MSG_NEWSET` message. Elements are in `elem.rs`, nft's datatypes
//! and set userdata in `key.rs`, the listing text in `text.rs`.
//!
//! Attribute order is nft 1.0.6's (table, name, flags, key type, key len,
//! data type, data len, id, desc, userdata); values are big-endian. An
//! anonymous set is named `__set%d` / `__map%d` (the kernel picks the
//! number) and found by its `NFTA_SET_ID` in the same transaction.

pub mod elem;
pub mod key;
pub mod text;

#[cfg(test)]
mod tests;

use crate::error::{DecodeError, Error, Problem, Result};
use crate::netlink::header::{NLA_F_NESTED, NLM_F_CREATE};
use crate::netlink::{Attr, Connection, DumpStatus, Message, MessageBuilder, Request};
use crate::nft::expr::data::{be32, be64, named};
use crate::nft::wire::{
    nft_msg, nft_type, NfGenMsg, NFNETLINK_V0, NFTA_LIST_ELEM, NFTA_SET_DATA_LEN,
    NFTA_SET_DATA_TYPE, NFTA_SET_DESC, NFTA_SET_DESC_CONCAT, NFTA_SET_DESC_SIZE,
    NFTA_SET_FIELD_LEN, NFTA_SET_FLAGS, NFTA_SET_HANDLE, NFTA_SET_ID, NFTA_SET_KEY_LEN,
    NFTA_SET_KEY_TYPE, NFTA_SET_NAME, NFTA_SET_TABLE, NFTA_SET_USERDATA, NFT_MSG_DELSET,
    NFT_MSG_GETSET, NFT_MSG_NEWSET, NFT_SET_ANONYMOUS, NFT_SET_MAP,
};

pub use elem::{ElemSpec, Elements, SetElem};

/// The name nft gives an anonymous set (the kernel fills in the number).
pub const ANON_SET_NAME: &str = "__set%d";
/// The name nft gives an anonymous map.
pub const ANON_MAP_NAME: &str = "__map%d";

/// A set or map to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetSpec {
    /// `NFPROTO_*`.
    pub family: u8,
    pub table: String,
    /// The set's name, or [`ANON_SET_NAME`] / [`ANON_MAP_NAME`].
    pub name: String,
    /// `NFT_SET_*`.
    pub flags: u32,
    /// nft's datatype number (see `key.rs`), and the key's bytes.
    pub key_type: u32,
    pub key_len: u32,
    /// A map's data: (`NFTA_SET_DATA_TYPE`, `NFTA_SET_DATA_LEN`);
    /// verdicts are `NFT_DATA_VERDICT` with length 0.
    pub data: Option<(u32, u32)>,
    /// `NFTA_SET_ID`: how rules and elements of the same transaction name it.
    pub id: Option<u32>,
    /// `NFTA_SET_DESC_SIZE`: nft sends the element count of an anonymous set.
    pub size: Option<u32>,
    /// `NFTA_SET_DESC_CONCAT`: field lengths of an interval concatenation.
    pub concat: Vec<u32>,
    /// `NFTA_SET_USERDATA` (see [`key::Userdata`]).
    pub userdata: Option<Vec<u8>>,
}

impl SetSpec {
    /// A named set or map as `add set|map` declares it (`type T [. T]... [:
    /// DATA]`), with the userdata nft 1.0.6 writes for it: `key_types` and
    /// `data_type` are nft datatype numbers (see `key.rs`), `flags` the
    /// declared `NFT_SET_*` (`NFT_SET_MAP` is added for a map). `None` when a
    /// type has no known length.
    pub fn declared(
        family: u8,
        table: &str,
        name: &str,
        key_types: &[u32],
        data_type: Option<u32>,
        flags: u32,
        id: u32,
    ) -> Option<SetSpec> {
        use key::{concat_type, padded, type_len, KeyTypeof, Userdata, BYTEORDER_INVALID};
        let single = key_types.len() == 1;
        let mut key_len = 0;
        for t in key_types {
            let l = type_len(*t).filter(|l| *l > 0)?;
            key_len += if single { l } else { padded(l) };
        }
        let data = match data_type {
            None => None,
            Some(key::TYPE_VERDICT) => Some((crate::nft::wire::NFT_DATA_VERDICT, 0)),
            Some(t) => Some((t, type_len(t).filter(|l| *l > 0)?)),
        };
        let data_byteorder = data_type.map(|t| {
            if t == key::TYPE_VERDICT {
                BYTEORDER_INVALID
            } else {
                key::type_byteorder(t)
            }
        });
        let ud = Userdata {
            key_byteorder: if single {
                key::type_byteorder(key_types[0])
            } else {
                BYTEORDER_INVALID
            },
            data_byteorder,
            key_typeof: if single {
                KeyTypeof::None
            } else {
                KeyTypeof::DeclaredConcat
            },
            ..Userdata::default()
        };
        Some(SetSpec {
            family,
            table: table.to_string(),
            name: name.to_string(),
            flags: flags | if data.is_some() { NFT_SET_MAP } else { 0 },
            key_type: concat_type(key_types),
            key_len,
            data,
            id: Some(id),
            size: None,
            concat: Vec::new(),
            userdata: Some(ud.encode()),
        })
    }

    pub fn is_anonymous(&self) -> bool {
        self.flags & NFT_SET_ANONYMOUS != 0
    }

    /// The `NFT_MSG_NEWSET` request (`NLM_F_CREATE`, as nft sends it).
    #[doc(alias = "NFT_MSG_NEWSET")]
    pub fn request(&self) -> Result<Request> {
        let mut m = start(NFT_MSG_NEWSET, NLM_F_CREATE, self.family);
        m.put_str(NFTA_SET_TABLE, &self.table);
        m.put_str(NFTA_SET_NAME, &self.name);
        m.put_u32_be(NFTA_SET_FLAGS, self.flags);
        m.put_u32_be(NFTA_SET_KEY_TYPE, self.key_type);
        m.put_u32_be(NFTA_SET_KEY_LEN, self.key_len);
        if let Some((t, l)) = self.data {
            m.put_u32_be(NFTA_SET_DATA_TYPE, t);
            m.put_u32_be(NFTA_SET_DATA_LEN, l);
        }
        if let Some(id) = self.id {
            m.put_u32_be(NFTA_SET_ID, id);
        }
        if self.size.is_some() || !self.concat.is_empty() {
            m.nest(NFTA_SET_DESC | NLA_F_NESTED, |m| {
                if let Some(s) = self.size {
                    m.put_u32_be(NFTA_SET_DESC_SIZE, s);
                }
                if !self.concat.is_empty() {
                    m.nest(NFTA_SET_DESC_CONCAT | NLA_F_NESTED, |m| {
                        for l in &self.concat {
                            m.nest(NFTA_LIST_ELEM | NLA_F_NESTED, |m| {
                                m.put_u32_be(NFTA_SET_FIELD_LEN, *l);
                            });
                        }
                    });
                }
            });
        }
        if let Some(u) = &self.userdata {
            m.put(NFTA_SET_USERDATA, u);
        }
        m.finish()
    }
}

pub(crate) fn start(msg: u16, flags: u16, family: u8) -> MessageBuilder {
    let mut m = MessageBuilder::new(nft_type(msg), flags);
    m.header(&NfGenMsg {
        nfgen_family: family,
        version: NFNETLINK_V0,
        res_id: [0, 0],
    });
    m
}

/// `delete set FAMILY TABLE NAME` (also `delete map`).
#[doc(alias = "NFT_MSG_DELSET")]
pub fn delete_set_request(family: u8, table: &str, name: &str) -> Result<Request> {
    let mut m = start(NFT_MSG_DELSET, 0, family);
    m.put_str(NFTA_SET_TABLE, table);
    m.put_str(NFTA_SET_NAME, name);
    m.finish()
}

/// The set dump request: every set of `family` (0: all), of `table` when
/// given. The connection adds `NLM_F_DUMP`.
#[doc(alias = "NFT_MSG_GETSET")]
pub fn dump_sets_request(family: u8, table: Option<&str>) -> Result<Request> {
    let mut m = start(NFT_MSG_GETSET, 0, family);
    if let Some(t) = table {
        m.put_str(NFTA_SET_TABLE, t);
    }
    m.finish()
}

/// One set of a dump, borrowed from the receive buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Set<'a> {
    pub family: u8,
    pub table: &'a str,
    pub name: &'a str,
    pub handle: u64,
    pub flags: u32,
    pub key_type: u32,
    pub key_len: u32,
    pub data_type: Option<u32>,
    pub data_len: Option<u32>,
    pub id: Option<u32>,
    pub size: Option<u32>,
    pub userdata: Option<&'a [u8]>,
}

impl<'a> Set<'a> {
    /// Read an `NFT_MSG_NEWSET` message (a dump reply or a request).
    pub fn parse(msg: &Message<'a>) -> std::result::Result<Set<'a>, DecodeError> {
        if nft_msg(msg.message_type()) != Some(NFT_MSG_NEWSET) {
            return Err(DecodeError::new("nft set message type", Problem::BadValue));
        }
        let (gen, attrs) = msg.fixed::<NfGenMsg>("nfgenmsg")?;
        let mut s = Set {
            family: gen.nfgen_family,
            table: "",
            name: "",
            handle: 0,
            flags: 0,
            key_type: 0,
            key_len: 0,
            data_type: None,
            data_len: None,
            id: None,
            size: None,
            userdata: None,
        };
        let str_of = |a: &Attr<'a>, what| a.c_str().map_err(|e| named(what, e));
        for a in attrs {
            let a = a?;
            match a.kind() {
                NFTA_SET_TABLE => s.table = str_of(&a, "NFTA_SET_TABLE")?,
                NFTA_SET_NAME => s.name = str_of(&a, "NFTA_SET_NAME")?,
                NFTA_SET_HANDLE => s.handle = be64(&a, "NFTA_SET_HANDLE")?,
                NFTA_SET_FLAGS => s.flags = be32(&a, "NFTA_SET_FLAGS")?,
                NFTA_SET_KEY_TYPE => s.key_type = be32(&a, "NFTA_SET_KEY_TYPE")?,
                NFTA_SET_KEY_LEN => s.key_len = be32(&a, "NFTA_SET_KEY_LEN")?,
                NFTA_SET_DATA_TYPE => s.data_type = Some(be32(&a, "NFTA_SET_DATA_TYPE")?),
                NFTA_SET_DATA_LEN => s.data_len = Some(be32(&a, "NFTA_SET_DATA_LEN")?),
                NFTA_SET_ID => s.id = Some(be32(&a, "NFTA_SET_ID")?),
                NFTA_SET_USERDATA => s.userdata = Some(a.payload()),
                NFTA_SET_DESC => {
                    for d in a.nested() {
                        let d = d.map_err(|e| named("NFTA_SET_DESC", e))?;
                        if d.kind() == NFTA_SET_DESC_SIZE {
                            s.size = Some(be32(&d, "NFTA_SET_DESC_SIZE")?);
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(s)
    }

    pub fn is_map(&self) -> bool {
        self.flags & NFT_SET_MAP != 0
    }

    pub fn is_anonymous(&self) -> bool {
        self.flags & NFT_SET_ANONYMOUS != 0
    }
}

/// Stream a set dump (see [`dump_sets_request`]).
#[doc(alias = "NFT_MSG_GETSET")]
pub fn for_each_set<E, F>(
    conn: &mut Connection,
    family: u8,
    table: Option<&str>,
    mut f: F,
) -> std::result::Result<DumpStatus, E>
where
    E: From<Error>,
    F: FnMut(&Set<'_>) -> std::result::Result<(), E>,
{
    let request = dump_sets_request(family, table).map_err(E::from)?;
    conn.dump(request, |msg| {
        if nft_msg(msg.message_type()) != Some(NFT_MSG_NEWSET) {
            return Ok(());
        }
        let s = Set::parse(&msg).map_err(Error::from)?;
        f(&s)
    })
}
