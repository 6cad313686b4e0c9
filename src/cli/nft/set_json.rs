//! Sets and their elements as nft's `-j` JSON: a named set's object
//! (`{"set": {"family": "ip", "name": "s", "table": "t", "type":
//! "ipv4_addr", "handle": 2, "elem": ["1.2.3.4"]}}`, `"map": "verdict"` for
//! a map) and element values from their nft text (`10.0.0.0/8` a prefix
//! object, `A . B` a concat, `K : V` a pair, verdicts as objects). Pure.

use rawnet::nft::family::family_name;
use rawnet::nft::set::key::concat_parts;
use rawnet::nft::set::text::{element_items, flag_names, type_text};
use rawnet::nft::wire::NFT_DATA_VERDICT;

use super::list::OwnedSet;
use crate::cli::output::push_string;

/// One value's JSON (a field of a key, or a map's data).
pub fn value(buf: &mut String, w: &str) {
    let w = w.trim();
    if let Some(q) = w.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
        push_string(buf, q);
        return;
    }
    if let Some((a, l)) = w.split_once('/') {
        if l.parse::<u8>().is_ok() {
            buf.push_str("{\"prefix\": {\"addr\": ");
            push_string(buf, a);
            buf.push_str(&format!(", \"len\": {l}}}}}"));
            return;
        }
    }
    if let Some(h) = w.strip_prefix("0x") {
        if let Ok(n) = u64::from_str_radix(h, 16) {
            buf.push_str(&n.to_string());
            return;
        }
    }
    if !w.is_empty() && w.len() < 20 && w.bytes().all(|c| c.is_ascii_digit()) {
        buf.push_str(w);
        return;
    }
    if let Some((a, b)) = w.split_once('-') {
        if !a.contains(':') && !b.contains(':') && !a.is_empty() && !b.is_empty() {
            buf.push_str("{\"range\": [");
            value(buf, a);
            buf.push_str(", ");
            value(buf, b);
            buf.push_str("]}");
            return;
        }
    }
    match w.split_once(' ') {
        Some((v @ ("jump" | "goto"), target)) => {
            buf.push_str(&format!("{{\"{v}\": {{\"target\": "));
            push_string(buf, target);
            buf.push_str("}}");
        }
        None if matches!(w, "accept" | "drop" | "continue" | "return") => {
            buf.push_str(&format!("{{\"{w}\": null}}"));
        }
        _ => push_string(buf, w),
    }
}

/// A key (`A . B` a concat) as JSON.
fn key(buf: &mut String, k: &str) {
    let parts: Vec<&str> = k.split(" . ").collect();
    if parts.len() == 1 {
        value(buf, k);
        return;
    }
    buf.push_str("{\"concat\": [");
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            buf.push_str(", ");
        }
        value(buf, p);
    }
    buf.push_str("]}");
}

/// One element's text as JSON: a key, or `[key, data]` for a map.
pub fn element(buf: &mut String, item: &str) {
    match item.split_once(" : ") {
        Some((k, d)) => {
            buf.push('[');
            key(buf, k);
            buf.push_str(", ");
            value(buf, d);
            buf.push(']');
        }
        None => key(buf, item),
    }
}

/// The elements' texts as a JSON array.
pub fn elements(buf: &mut String, items: &[&str]) {
    buf.push('[');
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            buf.push_str(", ");
        }
        element(buf, it);
    }
    buf.push(']');
}

fn type_json(buf: &mut String, t: u32) {
    let text = type_text(t);
    let parts: Vec<&str> = text.split(" . ").collect();
    if parts.len() == 1 {
        push_string(buf, &text);
        return;
    }
    buf.push('[');
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            buf.push_str(", ");
        }
        push_string(buf, p);
    }
    buf.push(']');
}

/// `, {"set": {...}}` (or `"map"`) for a named set.
pub fn push_set(buf: &mut String, s: &OwnedSet) {
    let v = s.view();
    let word = if v.is_map() { "map" } else { "set" };
    buf.push_str(&format!(", {{\"{word}\": {{\"family\": "));
    push_string(buf, family_name(s.family));
    buf.push_str(", \"name\": ");
    push_string(buf, &s.name);
    buf.push_str(", \"table\": ");
    push_string(buf, &s.table);
    buf.push_str(", \"type\": ");
    type_json(buf, s.key_type);
    buf.push_str(&format!(", \"handle\": {}", s.handle));
    if v.is_map() {
        buf.push_str(", \"map\": ");
        type_json(buf, s.data_type.unwrap_or(NFT_DATA_VERDICT));
    }
    let flags = flag_names(s.flags);
    if !flags.is_empty() {
        buf.push_str(", \"flags\": [");
        for (i, f) in flags.iter().enumerate() {
            if i > 0 {
                buf.push_str(", ");
            }
            push_string(buf, f);
        }
        buf.push(']');
    }
    if !s.elems.is_empty() {
        let data_type = s.data_type.filter(|t| *t != NFT_DATA_VERDICT);
        let items = element_items(&concat_parts(s.key_type), data_type, s.flags, &s.elems);
        let refs: Vec<&str> = items.iter().map(String::as_str).collect();
        buf.push_str(", \"elem\": ");
        elements(buf, &refs);
    }
    buf.push_str("}}");
}
