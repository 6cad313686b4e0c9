//! Sets back to nft's text: the elements of a set (`{ 10.0.0.1, 10.0.0.2 }`,
//! `{ 10.96.0.10 . 80 : jump svc1 }`, intervals as `10.0.0.0/8` or `a-b`)
//! and a named set's block in a table listing (`set NAME { type ipv4_addr;
//! elements = { ... } }` laid out as `nft list` prints it). Pure; a value of
//! a type rawnet does not name prints as hex words, never fails.

use crate::nft::expr::{Data, DataOrVerdict};
use crate::nft::wire::{NFT_DATA_VERDICT, NFT_SET_INTERVAL, NFT_SET_MAP};

use super::key::{concat_parts, padded, type_len, type_name, value_text, TYPE_INTEGER};
use super::{Set, SetElem};

/// A set's elements as the rule printer needs them to show an anonymous
/// set inline.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SetContents {
    /// `NFT_SET_*` of the set.
    pub flags: u32,
    pub elems: Vec<SetElem>,
}

fn hex_words(b: &[u8]) -> String {
    Data::new(b).map_or_else(String::new, |d| d.words())
}

/// A key of `types` (one per concatenated field) as nft prints it.
pub fn key_text(types: &[u32], key: &[u8]) -> String {
    if types.len() <= 1 {
        let t = types.first().copied().unwrap_or(0);
        return value_text(t, key).unwrap_or_else(|| hex_words(key));
    }
    let mut parts = Vec::new();
    let mut at = 0usize;
    for t in types {
        let Some(len) = type_len(*t) else {
            return hex_words(key);
        };
        let end = at + len as usize;
        let Some(b) = key.get(at..end) else {
            return hex_words(key);
        };
        parts.push(value_text(*t, b).unwrap_or_else(|| hex_words(b)));
        at += padded(len) as usize;
    }
    parts.join(" . ")
}

fn data_text(data_type: Option<u32>, d: &DataOrVerdict) -> String {
    match d {
        DataOrVerdict::Verdict(v) => v.text(),
        DataOrVerdict::Value(v) => {
            let types = data_type.map(concat_parts).unwrap_or_default();
            key_text(&types, v.as_bytes())
        }
    }
}

fn as_u128(b: &[u8]) -> Option<u128> {
    if b.len() > 16 {
        return None;
    }
    Some(b.iter().fold(0u128, |acc, x| (acc << 8) | u128::from(*x)))
}

fn from_u128(v: u128, len: usize) -> Vec<u8> {
    let all = v.to_be_bytes();
    all[16 - len..].to_vec()
}

/// `[start, end)` over keys of `len` bytes as nft prints it: one value, a
/// prefix, or `a-b`.
fn range_text(types: &[u32], start: &[u8], end: Option<&[u8]>) -> String {
    let len = start.len();
    let bits = (len * 8) as u32;
    let (Some(s), e) = (as_u128(start), end.and_then(as_u128)) else {
        return key_text(types, start);
    };
    let top = if bits >= 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    };
    let last = match e {
        Some(e) if e > s => e - 1,
        Some(_) => return key_text(types, start),
        None => top,
    };
    if last == s {
        return key_text(types, start);
    }
    let k = match (last - s).checked_add(1) {
        Some(n) if n.is_power_of_two() => Some(n.trailing_zeros()),
        None => Some(128),
        _ => None,
    };
    if let Some(k) = k {
        let aligned = k >= 128 || s & ((1u128 << k) - 1) == 0;
        if aligned && k <= bits && types.len() == 1 && types[0] != TYPE_INTEGER {
            return format!("{}/{}", key_text(types, start), bits - k);
        }
    }
    format!(
        "{}-{}",
        key_text(types, start),
        key_text(types, &from_u128(last, len))
    )
}

/// `{ A, B }` for `elems` of a set whose key has `key_types` (and a map's
/// data type); interval sets pair each start with its end.
pub fn elements_text(
    key_types: &[u32],
    data_type: Option<u32>,
    flags: u32,
    elems: &[SetElem],
) -> String {
    let items = element_items(key_types, data_type, flags, elems);
    if items.is_empty() {
        "{ }".into()
    } else {
        format!("{{ {} }}", items.join(", "))
    }
}

/// How many elements nft prints on a line of a named set's `elements =`
/// (`calculate_delim` in nft 1.0.6): 5 of integer-like types, 2 addresses,
/// otherwise one a line.
fn per_line(key_types: &[u32]) -> usize {
    use super::key::{TYPE_INET_PROTOCOL, TYPE_INET_SERVICE, TYPE_IPADDR, TYPE_MARK};
    match key_types {
        [TYPE_INTEGER | TYPE_INET_PROTOCOL | TYPE_INET_SERVICE | TYPE_MARK] => 5,
        [TYPE_IPADDR] => 2,
        _ => 1,
    }
}

/// The elements of a named set as `nft list` lays them out.
pub fn named_elements_text(
    key_types: &[u32],
    data_type: Option<u32>,
    flags: u32,
    elems: &[SetElem],
) -> String {
    let items = element_items(key_types, data_type, flags, elems);
    let n = per_line(key_types);
    let mut s = String::from("{ ");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            s.push_str(if i % n == 0 { ",\n\t\t\t     " } else { ", " });
        }
        s.push_str(item);
    }
    s.push_str(" }");
    s
}

/// Each element's text, in nft's order.
pub fn element_items(
    key_types: &[u32],
    data_type: Option<u32>,
    flags: u32,
    elems: &[SetElem],
) -> Vec<String> {
    let mut items = Vec::new();
    if flags & NFT_SET_INTERVAL != 0 && elems.iter().all(|e| e.key_end.is_none()) {
        let mut sorted: Vec<&SetElem> = elems.iter().collect();
        sorted.sort_by(|a, b| a.key.as_bytes().cmp(b.key.as_bytes()));
        for (i, e) in sorted.iter().enumerate() {
            if e.is_interval_end() {
                continue;
            }
            let end = sorted
                .get(i + 1)
                .filter(|n| n.is_interval_end())
                .map(|n| n.key.as_bytes());
            let mut s = range_text(key_types, e.key.as_bytes(), end);
            if let Some(d) = &e.data {
                s.push_str(" : ");
                s.push_str(&data_text(data_type, d));
            }
            items.push(s);
        }
    } else {
        // nft sorts by the key's value: big-endian types compare as their
        // bytes read, host-order ones and concatenations as little-endian
        // integers (the last byte most significant).
        let mut sorted: Vec<&SetElem> = elems.iter().collect();
        let big =
            matches!(key_types, [t] if super::key::type_byteorder(*t) == super::key::BYTEORDER_BIG);
        if big {
            sorted.sort_by(|a, b| a.key.as_bytes().cmp(b.key.as_bytes()));
        } else {
            sorted.sort_by(|a, b| {
                let (x, y) = (a.key.as_bytes(), b.key.as_bytes());
                x.len()
                    .cmp(&y.len())
                    .then_with(|| x.iter().rev().cmp(y.iter().rev()))
            });
        }
        for e in sorted {
            let mut s = key_text(key_types, e.key.as_bytes());
            if let Some(k) = &e.key_end {
                s.push('-');
                s.push_str(&key_text(key_types, k.as_bytes()));
            }
            if let Some(d) = &e.data {
                s.push_str(" : ");
                s.push_str(&data_text(data_type, d));
            }
            items.push(s);
        }
    }
    items
}

/// nft's name of a (concatenated) type: `ipv4_addr . inet_service`.
pub fn type_text(t: u32) -> String {
    if t == NFT_DATA_VERDICT {
        return "verdict".into();
    }
    let parts = concat_parts(t);
    if parts.is_empty() {
        return format!("{t}");
    }
    parts
        .iter()
        .map(|p| type_name(*p).map_or_else(|| format!("type {p}"), str::to_string))
        .collect::<Vec<_>>()
        .join(" . ")
}

/// nft's words for a set's flags, in its order.
pub fn flag_names(flags: u32) -> Vec<&'static str> {
    use crate::nft::wire::{NFT_SET_CONSTANT, NFT_SET_EVAL, NFT_SET_TIMEOUT};
    [
        (NFT_SET_CONSTANT, "constant"),
        (NFT_SET_EVAL, "dynamic"),
        (NFT_SET_INTERVAL, "interval"),
        (NFT_SET_TIMEOUT, "timeout"),
    ]
    .iter()
    .filter(|(b, _)| flags & b != 0)
    .map(|(_, n)| *n)
    .collect()
}

/// A named set's block in `nft list table`, indented one tab as in a table;
/// `# handle N` with `handles` (`nft -a`). No trailing newline.
pub fn set_text(set: &Set<'_>, elems: &[SetElem], handles: bool) -> String {
    let word = if set.is_map() { "map" } else { "set" };
    let mut s = format!("\t{word} {} {{", set.name);
    if handles {
        s.push_str(&format!(" # handle {}", set.handle));
    }
    s.push_str("\n\t\ttype ");
    s.push_str(&type_text(set.key_type));
    if set.flags & NFT_SET_MAP != 0 {
        s.push_str(" : ");
        s.push_str(&type_text(set.data_type.unwrap_or(0)));
    }
    let names = flag_names(set.flags);
    if !names.is_empty() {
        s.push_str("\n\t\tflags ");
        s.push_str(&names.join(","));
    }
    if !elems.is_empty() {
        let key_types = concat_parts(set.key_type);
        let data_type = set.data_type.filter(|t| *t != NFT_DATA_VERDICT);
        s.push_str("\n\t\telements = ");
        s.push_str(&named_elements_text(
            &key_types, data_type, set.flags, elems,
        ));
    }
    s.push_str("\n\t}");
    s
}
