//! The set and map statements of `compile.rs`, compiled as nft 1.0.6 does
//! (tests/golden/nft-sets): `ip daddr { A, B }`, `tcp dport { 80, 443 }`,
//! `ip daddr . tcp dport vmap { A . 80 : jump C }`, `dnat to numgen inc mod
//! 2 map { 0 : A, 1 : B }`, and `@NAME` for named sets and maps.
//!
//! An anonymous set becomes a [`SetSpec`] (`__set%d`/`__map%d`,
//! `NFT_SET_ANONYMOUS|NFT_SET_CONSTANT`, a fresh `NFTA_SET_ID`, the element
//! count as `NFTA_SET_DESC_SIZE`, nft's userdata) plus its elements; the
//! rule's `lookup` names it by name and id. The key's fields load into
//! consecutive 32-bit registers (`reg 1`, then `reg 9`, ...), after all
//! their dependencies (`meta l4proto tcp`, `meta nfproto`). Prefixes and
//! port ranges make an interval set: ranges sorted, adjacent ones merged,
//! each `[a, b]` sent as `a` and `b + 1` flagged as an interval end, with
//! an end at zero first when the first range does not start there.

use std::net::IpAddr;

use crate::nft::set::key::{
    concat_type, padded, KeyTypeof, PayloadField, Userdata, BYTEORDER_BIG, BYTEORDER_HOST,
    BYTEORDER_INVALID, TYPE_INET_SERVICE, TYPE_INTEGER, TYPE_IP6ADDR, TYPE_IPADDR,
};
use crate::nft::set::{ElemSpec, SetSpec, ANON_MAP_NAME, ANON_SET_NAME};
use crate::nft::wire::{
    NFPROTO_IPV4, NFPROTO_IPV6, NFT_DATA_VERDICT, NFT_REG32_00, NFT_REG_1, NFT_REG_VERDICT,
    NFT_SET_ANONYMOUS, NFT_SET_CONSTANT, NFT_SET_INTERVAL, NFT_SET_MAP,
};

use super::cmp::CmpOp;
use super::compile::{network_dependency, one_byte, reg1_cmp, CompileError, Context, Side};
use super::lookup::{Lookup, Numgen, NFT_LOOKUP_F_INV, NFT_NG_INCREMENTAL, NFT_NG_RANDOM};
use super::meta::{Meta, NFT_META_L4PROTO};
use super::nat::{Nat, NFT_NAT_DNAT};
use super::payload::{Payload, NFT_PAYLOAD_NETWORK_HEADER, NFT_PAYLOAD_TRANSPORT_HEADER};
use super::{Data, DataOrVerdict, Expr, Verdict};

/// nft's protocol description ids and field indexes (for set userdata).
const PROTO_DESC_UDP: u32 = 6;
const PROTO_DESC_TCP: u32 = 8;
const PROTO_DESC_IP: u32 = 12;
const PROTO_DESC_IP6: u32 = 13;

/// One field of a set's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyField {
    /// `ip saddr|daddr` (`v6`: `ip6 saddr|daddr`).
    Addr { v6: bool, side: Side },
    /// `tcp|udp sport|dport` (`proto` 6 or 17).
    Port { proto: u8, side: Side },
}

/// One field's value in a set element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetValue {
    Addr(IpAddr),
    /// `ADDR/LEN` (an interval).
    Prefix(IpAddr, u8),
    Port(u16),
    /// `A-B` (an interval).
    PortRange(u16, u16),
}

/// A set used by a rule: named (`@NAME`, with the `NFTA_SET_ID` of a set
/// made in the same transaction if any) or anonymous, with its elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetRef<T> {
    Named { name: String, id: Option<u32> },
    Anonymous(Vec<T>),
}

/// An anonymous set a rule needs, with its elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnonSet {
    pub spec: SetSpec,
    pub elems: Vec<ElemSpec>,
}

/// A rule's expressions and the anonymous sets to create before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledRule {
    pub sets: Vec<AnonSet>,
    pub exprs: Vec<Expr>,
}

struct FieldInfo {
    base: u32,
    offset: u32,
    len: u32,
    dtype: u32,
    typeof_: PayloadField,
}

fn info(f: &KeyField) -> FieldInfo {
    let src = |s: &Side| *s == Side::Source;
    match f {
        KeyField::Addr { v6: false, side } => FieldInfo {
            base: NFT_PAYLOAD_NETWORK_HEADER,
            offset: if src(side) { 12 } else { 16 },
            len: 4,
            dtype: TYPE_IPADDR,
            typeof_: PayloadField {
                desc: PROTO_DESC_IP,
                field: if src(side) { 11 } else { 12 },
            },
        },
        KeyField::Addr { v6: true, side } => FieldInfo {
            base: NFT_PAYLOAD_NETWORK_HEADER,
            offset: if src(side) { 8 } else { 24 },
            len: 16,
            dtype: TYPE_IP6ADDR,
            typeof_: PayloadField {
                desc: PROTO_DESC_IP6,
                field: if src(side) { 7 } else { 8 },
            },
        },
        KeyField::Port { proto, side } => FieldInfo {
            base: NFT_PAYLOAD_TRANSPORT_HEADER,
            offset: if src(side) { 0 } else { 2 },
            len: 2,
            dtype: TYPE_INET_SERVICE,
            typeof_: PayloadField {
                desc: if *proto == 17 {
                    PROTO_DESC_UDP
                } else {
                    PROTO_DESC_TCP
                },
                field: if src(side) { 1 } else { 2 },
            },
        },
    }
}

/// Dependencies of every field, then the loads into consecutive registers.
fn load_key(
    cx: &mut Context<'_>,
    key: &[KeyField],
    out: &mut Vec<Expr>,
) -> Result<Vec<FieldInfo>, CompileError> {
    for f in key {
        match f {
            KeyField::Addr { v6, .. } => {
                network_dependency(cx, if *v6 { NFPROTO_IPV6 } else { NFPROTO_IPV4 }, out)?
            }
            KeyField::Port { proto, .. } => {
                if cx.l4 != Some(*proto) {
                    out.push(Expr::Meta(Meta::load(NFT_META_L4PROTO, NFT_REG_1)));
                    out.push(reg1_cmp(CmpOp::Eq, one_byte(*proto)));
                    cx.l4 = Some(*proto);
                }
            }
        }
    }
    let mut infos = Vec::new();
    let mut at = 0;
    for f in key {
        let i = info(f);
        let reg = if at == 0 {
            NFT_REG_1
        } else {
            NFT_REG32_00 + at / 4
        };
        out.push(Expr::Payload(Payload::load(i.base, i.offset, i.len, reg)));
        at += padded(i.len);
        infos.push(i);
    }
    Ok(infos)
}

fn key_shape(infos: &[FieldInfo]) -> (u32, u32, Userdata) {
    let single = infos.len() == 1;
    let key_type = concat_type(&infos.iter().map(|i| i.dtype).collect::<Vec<_>>());
    let key_len = if single {
        infos[0].len
    } else {
        infos.iter().map(|i| padded(i.len)).sum()
    };
    let ud = Userdata {
        key_byteorder: if single {
            BYTEORDER_BIG
        } else {
            BYTEORDER_INVALID
        },
        key_typeof: KeyTypeof::Payload(infos.iter().map(|i| i.typeof_).collect()),
        ..Userdata::default()
    };
    (key_type, key_len, ud)
}

fn bad(v: &[SetValue]) -> CompileError {
    CompileError::BadElement(format!("{v:?}"))
}

/// An element's key: each field's bytes, padded to 4 in a concatenation.
fn key_bytes(infos: &[FieldInfo], values: &[SetValue]) -> Result<Data, CompileError> {
    if values.len() != infos.len() {
        return Err(bad(values));
    }
    let single = infos.len() == 1;
    let mut b = Vec::new();
    for (i, v) in infos.iter().zip(values) {
        let mut part = match (i.dtype, v) {
            (TYPE_IPADDR, SetValue::Addr(IpAddr::V4(a))) => a.octets().to_vec(),
            (TYPE_IP6ADDR, SetValue::Addr(IpAddr::V6(a))) => a.octets().to_vec(),
            (TYPE_INET_SERVICE, SetValue::Port(p)) => p.to_be_bytes().to_vec(),
            _ => return Err(bad(values)),
        };
        if !single {
            part.resize(padded(i.len) as usize, 0);
        }
        b.extend_from_slice(&part);
    }
    Data::new(&b).ok_or_else(|| bad(values))
}

/// A single-field value as the range `[first, last]` over `bits` bits.
fn value_range(i: &FieldInfo, v: &SetValue) -> Option<(u128, u128)> {
    let bits = i.len * 8;
    let (first, width) = match (i.dtype, v) {
        (TYPE_IPADDR, SetValue::Addr(IpAddr::V4(a))) => (u128::from(u32::from(*a)), 32),
        (TYPE_IPADDR, SetValue::Prefix(IpAddr::V4(a), l)) if *l <= 32 => {
            (u128::from(u32::from(*a)), u32::from(*l))
        }
        (TYPE_IP6ADDR, SetValue::Addr(IpAddr::V6(a))) => (u128::from(*a), 128),
        (TYPE_IP6ADDR, SetValue::Prefix(IpAddr::V6(a), l)) if *l <= 128 => {
            (u128::from(*a), u32::from(*l))
        }
        (TYPE_INET_SERVICE, SetValue::Port(p)) => return Some((u128::from(*p), u128::from(*p))),
        (TYPE_INET_SERVICE, SetValue::PortRange(a, b)) if a <= b => {
            return Some((u128::from(*a), u128::from(*b)))
        }
        _ => return None,
    };
    let host_bits = bits - width;
    let host = if host_bits >= 128 {
        u128::MAX
    } else {
        (1u128 << host_bits) - 1
    };
    let first = first & !host;
    Some((first, first | host))
}

/// The low `len` bytes of `v`, big-endian (all 16 when `len` is more).
fn range_bytes(v: u128, len: u32) -> Data {
    let all = v.to_be_bytes();
    let skip = all
        .len()
        .saturating_sub(usize::try_from(len).unwrap_or(usize::MAX));
    Data::fixed_slice(all.get(skip..).unwrap_or(&all))
}

/// The elements of an interval set over one field.
fn interval_elems(i: &FieldInfo, values: &[Vec<SetValue>]) -> Result<Vec<ElemSpec>, CompileError> {
    let mut ranges = Vec::new();
    for v in values {
        let r = match v.as_slice() {
            [one] => value_range(i, one),
            _ => None,
        };
        ranges.push(r.ok_or_else(|| bad(v))?);
    }
    Ok(interval_elements(i.len, ranges, true))
}

/// The elements of an interval set over keys of `len` bytes holding the
/// inclusive `ranges` (any order, overlaps merged) as nft 1.0.6 sends
/// them: each `[a, b]` as `a` and `b + 1` flagged as an interval end (no
/// end past the top value), and with `zero_end` an end at 0 first when the
/// first range does not start there (nft sends it when it creates the set).
/// Keys longer than 16 bytes are cut to their last 16 (no interval type
/// is wider).
pub fn interval_elements(len: u32, mut ranges: Vec<(u128, u128)>, zero_end: bool) -> Vec<ElemSpec> {
    ranges.sort();
    let mut merged: Vec<(u128, u128)> = Vec::new();
    for (a, b) in ranges {
        match merged.last_mut() {
            Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    let top = if len >= 16 {
        u128::MAX
    } else {
        (1u128 << (len * 8)) - 1
    };
    let mut elems = Vec::new();
    if zero_end && merged.first().is_some_and(|r| r.0 != 0) {
        elems.push(ElemSpec::interval_end(range_bytes(0, len)));
    }
    for (a, b) in merged {
        elems.push(ElemSpec::key(range_bytes(a, len)));
        // A range that reaches the top (or past it) has no end element.
        if b < top {
            elems.push(ElemSpec::interval_end(range_bytes(b + 1, len)));
        }
    }
    elems
}

fn is_interval(v: &SetValue) -> bool {
    matches!(v, SetValue::Prefix(..) | SetValue::PortRange(..))
}

fn new_set(cx: &mut Context<'_>, mut spec: SetSpec, elems: Vec<ElemSpec>) -> (String, u32) {
    let id = cx.next_id;
    cx.next_id += 1;
    spec.id = Some(id);
    spec.size = Some(elems.len() as u32);
    let name = spec.name.clone();
    cx.sets.push(AnonSet { spec, elems });
    (name, id)
}

fn anon_spec(cx: &Context<'_>, name: &str, flags: u32) -> Result<SetSpec, CompileError> {
    let table = cx.table.ok_or(CompileError::SetNeedsTable)?;
    Ok(SetSpec {
        family: cx.family,
        table: table.to_string(),
        name: name.to_string(),
        flags: NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | flags,
        key_type: 0,
        key_len: 0,
        data: None,
        id: None,
        size: None,
        concat: Vec::new(),
        userdata: None,
    })
}

fn lookup(set: String, set_id: Option<u32>, dreg: Option<u32>, not: bool) -> Expr {
    Expr::Lookup(Lookup {
        set,
        set_id,
        sreg: NFT_REG_1,
        dreg,
        flags: not.then_some(NFT_LOOKUP_F_INV),
    })
}

/// `KEY [!=] { ... }` / `KEY [!=] @NAME`.
pub(super) fn in_set(
    cx: &mut Context<'_>,
    key: &[KeyField],
    not: bool,
    set: &SetRef<Vec<SetValue>>,
    out: &mut Vec<Expr>,
) -> Result<(), CompileError> {
    let infos = load_key(cx, key, out)?;
    let (name, id) = match set {
        SetRef::Named { name, id } => (name.clone(), *id),
        SetRef::Anonymous(values) => {
            if values.is_empty() {
                return Err(CompileError::EmptySet);
            }
            let interval = values.iter().flatten().any(is_interval);
            let (key_type, key_len, mut ud) = key_shape(&infos);
            let elems = if interval {
                if infos.len() != 1 {
                    return Err(bad(&values[0]));
                }
                ud.merge_elements = true;
                interval_elems(&infos[0], values)?
            } else {
                values
                    .iter()
                    .map(|v| key_bytes(&infos, v).map(ElemSpec::key))
                    .collect::<Result<_, _>>()?
            };
            let flags = if interval { NFT_SET_INTERVAL } else { 0 };
            let mut spec = anon_spec(cx, ANON_SET_NAME, flags)?;
            spec.key_type = key_type;
            spec.key_len = key_len;
            spec.userdata = Some(ud.encode());
            let (n, id) = new_set(cx, spec, elems);
            (n, Some(id))
        }
    };
    out.push(lookup(name, id, None, not));
    Ok(())
}

/// `KEY vmap { ... }` / `KEY vmap @NAME`.
pub(super) fn vmap(
    cx: &mut Context<'_>,
    key: &[KeyField],
    map: &SetRef<(Vec<SetValue>, Verdict)>,
    out: &mut Vec<Expr>,
) -> Result<(), CompileError> {
    let infos = load_key(cx, key, out)?;
    let (name, id) = match map {
        SetRef::Named { name, id } => (name.clone(), *id),
        SetRef::Anonymous(entries) => {
            if entries.is_empty() {
                return Err(CompileError::EmptySet);
            }
            let (key_type, key_len, mut ud) = key_shape(&infos);
            ud.data_byteorder = Some(BYTEORDER_INVALID);
            ud.data_typeof_verdict = true;
            let elems = entries
                .iter()
                .map(|(k, v)| {
                    key_bytes(&infos, k)
                        .map(|k| ElemSpec::mapping(k, DataOrVerdict::Verdict(v.clone())))
                })
                .collect::<Result<_, _>>()?;
            let mut spec = anon_spec(cx, ANON_MAP_NAME, NFT_SET_MAP)?;
            spec.key_type = key_type;
            spec.key_len = key_len;
            spec.data = Some((NFT_DATA_VERDICT, 0));
            spec.userdata = Some(ud.encode());
            let (n, id) = new_set(cx, spec, elems);
            (n, Some(id))
        }
    };
    out.push(lookup(name, id, Some(NFT_REG_VERDICT), false));
    Ok(())
}

fn numgen(random: bool, modulus: u32) -> Expr {
    Expr::Numgen(Numgen {
        dreg: NFT_REG_1,
        modulus,
        kind: if random {
            NFT_NG_RANDOM
        } else {
            NFT_NG_INCREMENTAL
        },
        offset: Some(0),
    })
}

fn numgen_map_spec(
    cx: &Context<'_>,
    data: (u32, u32),
    data_byteorder: u32,
) -> Result<SetSpec, CompileError> {
    let mut spec = anon_spec(cx, ANON_MAP_NAME, NFT_SET_MAP)?;
    spec.key_type = TYPE_INTEGER;
    spec.key_len = 4;
    spec.data = Some(data);
    spec.userdata = Some(
        Userdata {
            key_byteorder: BYTEORDER_HOST,
            data_byteorder: Some(data_byteorder),
            ..Userdata::default()
        }
        .encode(),
    );
    Ok(spec)
}

/// `numgen inc|random mod N vmap { 0 : VERDICT, ... }`.
pub(super) fn numgen_vmap(
    cx: &mut Context<'_>,
    random: bool,
    modulus: u32,
    map: &[(u32, Verdict)],
    out: &mut Vec<Expr>,
) -> Result<(), CompileError> {
    if map.is_empty() {
        return Err(CompileError::EmptySet);
    }
    let spec = numgen_map_spec(cx, (NFT_DATA_VERDICT, 0), BYTEORDER_INVALID)?;
    let elems = map
        .iter()
        .map(|(k, v)| ElemSpec::mapping(Data::u32_ne(*k), DataOrVerdict::Verdict(v.clone())))
        .collect();
    out.push(numgen(random, modulus));
    let (name, id) = new_set(cx, spec, elems);
    out.push(lookup(name, Some(id), Some(NFT_REG_VERDICT), false));
    Ok(())
}

/// `dnat to numgen inc|random mod N map { 0 : ADDR, ... }`.
pub(super) fn dnat_numgen_map(
    cx: &mut Context<'_>,
    random: bool,
    modulus: u32,
    map: &[(u32, IpAddr)],
    out: &mut Vec<Expr>,
) -> Result<(), CompileError> {
    let Some((_, first)) = map.first() else {
        return Err(CompileError::EmptySet);
    };
    let (fam, dtype, len) = match first {
        IpAddr::V4(_) => (NFPROTO_IPV4, TYPE_IPADDR, 4),
        IpAddr::V6(_) => (NFPROTO_IPV6, TYPE_IP6ADDR, 16),
    };
    if cx.family != crate::nft::wire::NFPROTO_INET && cx.family != fam {
        return Err(CompileError::FamilyMismatch { family: cx.family });
    }
    let spec = numgen_map_spec(cx, (dtype, len), BYTEORDER_BIG)?;
    let mut elems = Vec::new();
    for (k, a) in map {
        let bytes = match (a, fam) {
            (IpAddr::V4(a), NFPROTO_IPV4) => a.octets().to_vec(),
            (IpAddr::V6(a), NFPROTO_IPV6) => a.octets().to_vec(),
            _ => return Err(CompileError::BadElement(a.to_string())),
        };
        elems.push(ElemSpec::mapping(
            Data::u32_ne(*k),
            DataOrVerdict::Value(Data::fixed_slice(&bytes)),
        ));
    }
    out.push(numgen(random, modulus));
    let (name, id) = new_set(cx, spec, elems);
    out.push(lookup(name, Some(id), Some(NFT_REG_1), false));
    out.push(Expr::Nat(Nat {
        kind: NFT_NAT_DNAT,
        family: u32::from(fam),
        addr_min: Some(NFT_REG_1),
        addr_max: None,
        proto_min: None,
        proto_max: None,
        flags: None,
    }));
    Ok(())
}
