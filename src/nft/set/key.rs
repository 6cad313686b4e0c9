//! nft's view of a set's key and data: its datatype numbers (what nft puts
//! in `NFTA_SET_KEY_TYPE` / `NFTA_SET_DATA_TYPE`, six bits per field of a
//! concatenation), their byte order and text, and the `NFTA_SET_USERDATA`
//! TLVs nft 1.0.6 writes (libnftnl's `NFTNL_UDATA_SET_*`: key/data byte
//! order, merge flag, `typeof` of the key) so that `nft list` prints the set
//! back the way it was written. Checked against `nft --debug=netlink` and
//! strace captures (tests/golden/nft-sets).

use std::net::{Ipv4Addr, Ipv6Addr};

/// nft datatype numbers (`enum datatypes` in nftables' datatype.h).
pub const TYPE_VERDICT: u32 = 1;
pub const TYPE_INTEGER: u32 = 4;
pub const TYPE_IPADDR: u32 = 7;
pub const TYPE_IP6ADDR: u32 = 8;
pub const TYPE_INET_PROTOCOL: u32 = 12;
pub const TYPE_INET_SERVICE: u32 = 13;
pub const TYPE_MARK: u32 = 19;
pub const TYPE_IFNAME: u32 = 41;
/// Bits of one field in a concatenated type.
pub const TYPE_BITS: u32 = 6;

/// nft's byte orders (`enum byteorder`).
pub const BYTEORDER_INVALID: u32 = 0;
pub const BYTEORDER_HOST: u32 = 1;
pub const BYTEORDER_BIG: u32 = 2;

/// libnftnl's set userdata TLV types.
const UDATA_KEYBYTEORDER: u8 = 0;
const UDATA_DATABYTEORDER: u8 = 1;
const UDATA_MERGE_ELEMENTS: u8 = 2;
const UDATA_KEY_TYPEOF: u8 = 3;
const UDATA_DATA_TYPEOF: u8 = 4;
const UDATA_DATA_INTERVAL: u8 = 6;
/// nft's expression kinds in a `typeof` TLV.
const EXPR_VERDICT: u32 = 1;
const EXPR_PAYLOAD: u32 = 7;
const EXPR_CONCAT: u32 = 13;

/// The datatypes rawnet names: (number, nft name, bytes, byte order).
const TYPES: [(u32, &str, u32, u32); 8] = [
    (TYPE_VERDICT, "verdict", 0, BYTEORDER_INVALID),
    (TYPE_INTEGER, "integer", 4, BYTEORDER_HOST),
    (TYPE_IPADDR, "ipv4_addr", 4, BYTEORDER_BIG),
    (TYPE_IP6ADDR, "ipv6_addr", 16, BYTEORDER_BIG),
    (TYPE_INET_PROTOCOL, "inet_proto", 1, BYTEORDER_INVALID),
    (TYPE_INET_SERVICE, "inet_service", 2, BYTEORDER_BIG),
    (TYPE_MARK, "mark", 4, BYTEORDER_HOST),
    (TYPE_IFNAME, "ifname", 16, BYTEORDER_HOST),
];

/// nft's name of datatype `t` (one field).
pub fn type_name(t: u32) -> Option<&'static str> {
    TYPES.iter().find(|x| x.0 == t).map(|x| x.1)
}

/// Datatype by nft name: (number, bytes, byte order).
pub fn type_by_name(name: &str) -> Option<(u32, u32, u32)> {
    TYPES.iter().find(|x| x.1 == name).map(|x| (x.0, x.2, x.3))
}

/// nft's byte order of datatype `t` (`BYTEORDER_INVALID` when unknown).
pub fn type_byteorder(t: u32) -> u32 {
    TYPES
        .iter()
        .find(|x| x.0 == t)
        .map_or(BYTEORDER_INVALID, |x| x.3)
}

/// Bytes of one field of type `t`.
pub fn type_len(t: u32) -> Option<u32> {
    TYPES.iter().find(|x| x.0 == t).map(|x| x.2)
}

/// The key type of a concatenation of `parts` (`ipv4_addr . inet_service`
/// is `7 << 6 | 13`).
pub fn concat_type(parts: &[u32]) -> u32 {
    parts.iter().fold(0, |acc, t| (acc << TYPE_BITS) | t)
}

/// The fields of a (possibly concatenated) type, first field first.
pub fn concat_parts(mut t: u32) -> Vec<u32> {
    let mut v = Vec::new();
    while t != 0 && v.len() < 6 {
        v.push(t & ((1 << TYPE_BITS) - 1));
        t >>= TYPE_BITS;
    }
    v.reverse();
    v
}

/// Register bytes of a field of `len` bytes inside a concatenation.
pub fn padded(len: u32) -> u32 {
    len.div_ceil(4) * 4
}

/// A value of type `t` as nft prints it; `None` when `t` is not one rawnet
/// names or the bytes do not fit it.
pub fn value_text(t: u32, b: &[u8]) -> Option<String> {
    Some(match t {
        TYPE_IPADDR => Ipv4Addr::from(<[u8; 4]>::try_from(b).ok()?).to_string(),
        TYPE_IP6ADDR => Ipv6Addr::from(<[u8; 16]>::try_from(b).ok()?).to_string(),
        TYPE_INET_SERVICE => u16::from_be_bytes(b.try_into().ok()?).to_string(),
        TYPE_INET_PROTOCOL => crate::nft::expr::text::proto_name(*b.first()?),
        TYPE_MARK => format!("0x{:08x}", u32::from_ne_bytes(b.try_into().ok()?)),
        TYPE_INTEGER => match b.len() {
            4 => u32::from_ne_bytes(b.try_into().ok()?).to_string(),
            2 => u16::from_ne_bytes(b.try_into().ok()?).to_string(),
            1 => b[0].to_string(),
            _ => return None,
        },
        TYPE_IFNAME => {
            let end = b.iter().position(|&x| x == 0).unwrap_or(b.len());
            format!("\"{}\"", String::from_utf8_lossy(&b[..end]))
        }
        _ => return None,
    })
}

/// A header field a `typeof` names: nft's protocol description id and
/// field index (`ip daddr` is (12, 12), `tcp dport` (8, 2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayloadField {
    pub desc: u32,
    pub field: u32,
}

/// What nft records of the key's origin.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum KeyTypeof {
    /// Nothing (a numgen key, a single declared type).
    #[default]
    None,
    /// The header fields of an anonymous set's key (more than one: a
    /// concatenation).
    Payload(Vec<PayloadField>),
    /// A declared concatenated type (`type ipv4_addr . inet_service`).
    DeclaredConcat,
}

/// The `NFTA_SET_USERDATA` nft 1.0.6 writes, as values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Userdata {
    pub key_byteorder: u32,
    /// Maps only: the data's byte order (a map also gets `DATA_INTERVAL 0`).
    pub data_byteorder: Option<u32>,
    /// Anonymous interval sets: nft merges adjacent elements.
    pub merge_elements: bool,
    pub key_typeof: KeyTypeof,
    /// A verdict map of an anonymous `vmap` records its data's `typeof`.
    pub data_typeof_verdict: bool,
}

fn tlv(out: &mut Vec<u8>, t: u8, value: &[u8]) {
    out.push(t);
    out.push(value.len() as u8);
    out.extend_from_slice(value);
}

fn tlv_u32(out: &mut Vec<u8>, t: u8, v: u32) {
    tlv(out, t, &v.to_ne_bytes());
}

fn payload_typeof(f: &PayloadField) -> Vec<u8> {
    let mut inner = Vec::new();
    tlv_u32(&mut inner, 0, f.desc);
    tlv_u32(&mut inner, 1, f.field);
    let mut v = Vec::new();
    tlv_u32(&mut v, 0, EXPR_PAYLOAD);
    tlv(&mut v, 1, &inner);
    v
}

impl Userdata {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        tlv_u32(&mut out, UDATA_KEYBYTEORDER, self.key_byteorder);
        if let Some(b) = self.data_byteorder {
            tlv_u32(&mut out, UDATA_DATABYTEORDER, b);
        }
        if self.merge_elements {
            tlv_u32(&mut out, UDATA_MERGE_ELEMENTS, 1);
        }
        match &self.key_typeof {
            KeyTypeof::None => {}
            KeyTypeof::Payload(fields) if fields.len() == 1 => {
                tlv(&mut out, UDATA_KEY_TYPEOF, &payload_typeof(&fields[0]))
            }
            KeyTypeof::Payload(fields) => {
                let mut subs = Vec::new();
                for (i, f) in fields.iter().enumerate() {
                    tlv(&mut subs, i as u8, &payload_typeof(f));
                }
                let mut v = Vec::new();
                tlv_u32(&mut v, 0, EXPR_CONCAT);
                tlv(&mut v, 1, &subs);
                tlv(&mut out, UDATA_KEY_TYPEOF, &v);
            }
            KeyTypeof::DeclaredConcat => {
                let mut v = Vec::new();
                tlv_u32(&mut v, 0, EXPR_CONCAT);
                tlv(&mut v, 1, &[]);
                tlv(&mut out, UDATA_KEY_TYPEOF, &v);
            }
        }
        if self.data_typeof_verdict {
            let mut v = Vec::new();
            tlv_u32(&mut v, 0, EXPR_VERDICT);
            tlv(&mut v, 1, &[]);
            tlv(&mut out, UDATA_DATA_TYPEOF, &v);
        }
        if self.data_byteorder.is_some() {
            tlv_u32(&mut out, UDATA_DATA_INTERVAL, 0);
        }
        out
    }
}
