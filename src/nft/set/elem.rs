//! Set elements: [`ElemSpec`] and the `NFT_MSG_NEWSETELEM` /
//! `NFT_MSG_DELSETELEM` requests, the element dump request of one set, and
//! [`Elements`], a borrowed view of one `NFT_MSG_NEWSETELEM` message whose
//! elements ([`SetElem`]) decode one at a time.
//!
//! An element is `NFTA_LIST_ELEM { [NFTA_SET_ELEM_FLAGS], NFTA_SET_ELEM_KEY
//! { NFTA_DATA_VALUE }, [NFTA_SET_ELEM_DATA { value | verdict }] }`, in
//! that order as nft sends it. In an interval set a range `[a, b]` is two
//! elements: `a`, and `b + 1` flagged `NFT_SET_ELEM_INTERVAL_END`.

use crate::error::{DecodeError, Error, Problem, Result};
use crate::netlink::header::{NLA_F_NESTED, NLM_F_CREATE};
use crate::netlink::{Attrs, Connection, DumpStatus, Message, Request};
use crate::nft::expr::data::{be32, named, parse_data, parse_value, put_data, put_value};
use crate::nft::expr::{Data, DataOrVerdict};
use crate::nft::wire::{
    nft_msg, NfGenMsg, NFTA_LIST_ELEM, NFTA_SET_ELEM_DATA, NFTA_SET_ELEM_FLAGS, NFTA_SET_ELEM_KEY,
    NFTA_SET_ELEM_KEY_END, NFTA_SET_ELEM_LIST_ELEMENTS, NFTA_SET_ELEM_LIST_SET,
    NFTA_SET_ELEM_LIST_SET_ID, NFTA_SET_ELEM_LIST_TABLE, NFT_MSG_DELSETELEM, NFT_MSG_GETSETELEM,
    NFT_MSG_NEWSETELEM, NFT_SET_ELEM_INTERVAL_END,
};

use super::start;

/// One element to add or delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElemSpec {
    pub key: Data,
    /// `NFTA_SET_ELEM_KEY_END` (interval concatenations).
    pub key_end: Option<Data>,
    /// `NFT_SET_ELEM_*` (`NFT_SET_ELEM_INTERVAL_END`).
    pub flags: u32,
    /// A map's value or verdict.
    pub data: Option<DataOrVerdict>,
}

impl ElemSpec {
    pub fn key(key: Data) -> ElemSpec {
        ElemSpec {
            key,
            key_end: None,
            flags: 0,
            data: None,
        }
    }

    /// The end of an interval (`NFT_SET_ELEM_INTERVAL_END`).
    pub fn interval_end(key: Data) -> ElemSpec {
        ElemSpec {
            flags: NFT_SET_ELEM_INTERVAL_END,
            ..ElemSpec::key(key)
        }
    }

    pub fn mapping(key: Data, data: DataOrVerdict) -> ElemSpec {
        ElemSpec {
            data: Some(data),
            ..ElemSpec::key(key)
        }
    }
}

/// The `NFT_MSG_NEWSETELEM` request: `elems` into set `set` of `table`,
/// named also by `set_id` when the set is created in the same transaction
/// (nft sends an id for named sets too).
#[doc(alias = "NFT_MSG_NEWSETELEM")]
pub fn add_elements_request(
    family: u8,
    table: &str,
    set: &str,
    set_id: Option<u32>,
    elems: &[ElemSpec],
) -> Result<Request> {
    elements_request(
        NFT_MSG_NEWSETELEM,
        NLM_F_CREATE,
        family,
        table,
        set,
        set_id,
        elems,
    )
}

/// The `NFT_MSG_DELSETELEM` request (`delete element`).
#[doc(alias = "NFT_MSG_DELSETELEM")]
pub fn delete_elements_request(
    family: u8,
    table: &str,
    set: &str,
    elems: &[ElemSpec],
) -> Result<Request> {
    elements_request(NFT_MSG_DELSETELEM, 0, family, table, set, None, elems)
}

fn elements_request(
    msg: u16,
    flags: u16,
    family: u8,
    table: &str,
    set: &str,
    set_id: Option<u32>,
    elems: &[ElemSpec],
) -> Result<Request> {
    let mut m = start(msg, flags, family);
    m.put_str(NFTA_SET_ELEM_LIST_TABLE, table);
    m.put_str(NFTA_SET_ELEM_LIST_SET, set);
    if let Some(id) = set_id {
        m.put_u32_be(NFTA_SET_ELEM_LIST_SET_ID, id);
    }
    m.nest(NFTA_SET_ELEM_LIST_ELEMENTS | NLA_F_NESTED, |m| {
        // libnftnl numbers the element nests 1, 2, ... (the kernel ignores the type)
        for (i, e) in elems.iter().enumerate() {
            let kind = u16::try_from(i + 1).unwrap_or(NFTA_LIST_ELEM) & 0x3fff;
            m.nest(kind | NLA_F_NESTED, |m| {
                if e.flags != 0 {
                    m.put_u32_be(NFTA_SET_ELEM_FLAGS, e.flags);
                }
                put_value(m, NFTA_SET_ELEM_KEY, &e.key);
                if let Some(k) = &e.key_end {
                    put_value(m, NFTA_SET_ELEM_KEY_END, k);
                }
                if let Some(d) = &e.data {
                    put_data(m, NFTA_SET_ELEM_DATA, d);
                }
            });
        }
    });
    m.finish()
}

/// The element dump request of one set. The connection adds `NLM_F_DUMP`.
#[doc(alias = "NFT_MSG_GETSETELEM")]
pub fn dump_elements_request(family: u8, table: &str, set: &str) -> Result<Request> {
    let mut m = start(NFT_MSG_GETSETELEM, 0, family);
    m.put_str(NFTA_SET_ELEM_LIST_TABLE, table);
    m.put_str(NFTA_SET_ELEM_LIST_SET, set);
    m.finish()
}

/// One element of a dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetElem {
    pub key: Data,
    pub key_end: Option<Data>,
    pub flags: u32,
    pub data: Option<DataOrVerdict>,
}

impl SetElem {
    pub fn is_interval_end(&self) -> bool {
        self.flags & NFT_SET_ELEM_INTERVAL_END != 0
    }

    fn parse(elem: &crate::netlink::Attr<'_>) -> std::result::Result<SetElem, DecodeError> {
        let mut key = None;
        let mut e = SetElem {
            key: Data::fixed_slice(&[]),
            key_end: None,
            flags: 0,
            data: None,
        };
        for a in elem.nested() {
            let a = a.map_err(|e| named("NFTA_LIST_ELEM", e))?;
            match a.kind() {
                NFTA_SET_ELEM_KEY => key = Some(parse_value(&a, "NFTA_SET_ELEM_KEY")?),
                NFTA_SET_ELEM_KEY_END => {
                    e.key_end = Some(parse_value(&a, "NFTA_SET_ELEM_KEY_END")?)
                }
                NFTA_SET_ELEM_FLAGS => e.flags = be32(&a, "NFTA_SET_ELEM_FLAGS")?,
                NFTA_SET_ELEM_DATA => e.data = Some(parse_data(&a, "NFTA_SET_ELEM_DATA")?),
                _ => {}
            }
        }
        e.key = key.ok_or(DecodeError::new(
            "NFTA_SET_ELEM_KEY",
            Problem::Short { want: 1, got: 0 },
        ))?;
        Ok(e)
    }
}

/// One `NFT_MSG_NEWSETELEM` message (of a dump or a request), borrowed.
#[derive(Debug, Clone, Copy)]
pub struct Elements<'a> {
    pub family: u8,
    pub table: &'a str,
    pub set: &'a str,
    pub set_id: Option<u32>,
    list: &'a [u8],
}

impl<'a> Elements<'a> {
    pub fn parse(msg: &Message<'a>) -> std::result::Result<Elements<'a>, DecodeError> {
        if !matches!(
            nft_msg(msg.message_type()),
            Some(NFT_MSG_NEWSETELEM | NFT_MSG_DELSETELEM)
        ) {
            return Err(DecodeError::new(
                "nft element message type",
                Problem::BadValue,
            ));
        }
        let (gen, attrs) = msg.fixed::<NfGenMsg>("nfgenmsg")?;
        let mut e = Elements {
            family: gen.nfgen_family,
            table: "",
            set: "",
            set_id: None,
            list: &[],
        };
        for a in attrs {
            let a = a?;
            match a.kind() {
                NFTA_SET_ELEM_LIST_TABLE => {
                    e.table = a
                        .c_str()
                        .map_err(|x| named("NFTA_SET_ELEM_LIST_TABLE", x))?
                }
                NFTA_SET_ELEM_LIST_SET => {
                    e.set = a.c_str().map_err(|x| named("NFTA_SET_ELEM_LIST_SET", x))?
                }
                NFTA_SET_ELEM_LIST_SET_ID => {
                    e.set_id = Some(be32(&a, "NFTA_SET_ELEM_LIST_SET_ID")?)
                }
                NFTA_SET_ELEM_LIST_ELEMENTS => e.list = a.payload(),
                _ => {}
            }
        }
        Ok(e)
    }

    /// The elements, decoded as the iterator goes; after an error it ends.
    pub fn elems(&self) -> impl Iterator<Item = std::result::Result<SetElem, DecodeError>> + 'a {
        let mut failed = false;
        Attrs::new(self.list).filter_map(move |a| {
            if failed {
                return None;
            }
            let r = match a {
                Err(e) => Err(named("NFTA_SET_ELEM_LIST_ELEMENTS", e)),
                Ok(a) => SetElem::parse(&a),
            };
            failed = r.is_err();
            Some(r)
        })
    }
}

/// Stream the elements of one set: `f` sees each element message.
#[doc(alias = "NFT_MSG_GETSETELEM")]
pub fn for_each_element<E, F>(
    conn: &mut Connection,
    family: u8,
    table: &str,
    set: &str,
    mut f: F,
) -> std::result::Result<DumpStatus, E>
where
    E: From<Error>,
    F: FnMut(&Elements<'_>) -> std::result::Result<(), E>,
{
    let request = dump_elements_request(family, table, set).map_err(E::from)?;
    conn.dump(request, |msg| {
        if nft_msg(msg.message_type()) != Some(NFT_MSG_NEWSETELEM) {
            return Ok(());
        }
        let e = Elements::parse(&msg).map_err(Error::from)?;
        f(&e)
    })
}
