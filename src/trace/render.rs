//! Attribute trees and values as text, driven by the tables of `spec.rs`.
//!
//! One attribute per line, `NAME value`, nests indented two spaces under
//! their parent. Invariants: nothing here panics or reads outside the slice it
//! was given; a length that does not fit is said in the text and ends that
//! level (the levels above go on); nesting deeper than [`MAX_DEPTH`] is shown
//! as hex, so no input can exhaust the stack.

use std::fmt::Write;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::spec::{AttrSpec, Int, Kind, Names, Struct, Table, Value, UNKNOWN};
use crate::netlink::header::align;
use crate::netlink::{Attr, Attrs};

/// Nests below this depth are shown as hex.
pub(crate) const MAX_DEPTH: usize = 16;
/// Bytes per line of a hex dump; shorter values stay on their attribute's line.
const HEX_PER_LINE: usize = 16;
/// Integers per line of an array.
const VALUES_PER_LINE: usize = 16;
/// Structs with more fields than this are written over several lines.
const FIELDS_INLINE: usize = 6;
const FIELDS_PER_LINE: usize = 4;

const AF_INET: u8 = libc::AF_INET as u8;
const AF_INET6: u8 = libc::AF_INET6 as u8;

/// Where the walk is: the address family of the message (for addresses),
/// how deep, how far indented.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx {
    pub family: u8,
    pub depth: usize,
    pub indent: usize,
}

impl Ctx {
    pub fn deeper(self) -> Ctx {
        Ctx {
            depth: self.depth + 1,
            indent: self.indent + 2,
            ..self
        }
    }
}

/// Start a line at `indent`.
pub(crate) fn start(out: &mut String, indent: usize) {
    for _ in 0..indent {
        out.push(' ');
    }
}

/// The attributes in `bytes`, shown with `table`.
pub(crate) fn attributes(out: &mut String, bytes: &[u8], table: &Table, ctx: Ctx) {
    for item in Attrs::new(bytes) {
        match item {
            Ok(attr) => attribute(out, attr, bytes, table, ctx),
            Err(e) => {
                start(out, ctx.indent);
                let _ = writeln!(out, "malformed {e}");
                return;
            }
        }
    }
}

fn attribute(out: &mut String, attr: Attr<'_>, siblings: &[u8], table: &Table, ctx: Ctx) {
    match table.find(attr.kind()) {
        Some(AttrSpec { name, value, .. }) => show(out, name, value, attr.payload(), siblings, ctx),
        None => unknown(out, attr, ctx),
    }
}

/// An attribute the table does not know: its number and hex, or its children
/// when the sender flagged it `NLA_F_NESTED`.
fn unknown(out: &mut String, attr: Attr<'_>, ctx: Ctx) {
    let label = format!("attr {}", attr.kind());
    if attr.is_nested_flagged() {
        show(
            out,
            &label,
            &Value::Nest(&UNKNOWN),
            attr.payload(),
            &[],
            ctx,
        );
    } else {
        show(out, &label, &Value::Binary, attr.payload(), &[], ctx);
    }
}

/// `label` and `bytes` shown as `value`, on one line or, for nests and long
/// values, on several. `siblings` is the nest the attribute is in (for
/// [`Value::ByKind`]).
pub(crate) fn show(
    out: &mut String,
    label: &str,
    value: &Value,
    bytes: &[u8],
    siblings: &[u8],
    ctx: Ctx,
) {
    let nests = matches!(
        value,
        Value::Nest(_) | Value::ByKind(..) | Value::Header(..) | Value::Records(..)
    );
    if nests && ctx.depth >= MAX_DEPTH {
        start(out, ctx.indent);
        let _ = writeln!(out, "{label} (nested too deep)");
        hex_lines(out, bytes, ctx.indent + 2);
        return;
    }
    match value {
        Value::Nest(table) => {
            start(out, ctx.indent);
            if std::ptr::eq(*table, &UNKNOWN) {
                let _ = writeln!(out, "{label} (nested)");
            } else {
                let _ = writeln!(out, "{label}");
            }
            attributes(out, bytes, table, ctx.deeper());
        }
        Value::ByKind(sibling, kinds) => by_kind(out, label, *sibling, kinds, bytes, siblings, ctx),
        Value::ByFamily(choices, other) => {
            let chosen = choices
                .iter()
                .find(|(family, _)| *family == ctx.family)
                .map_or(*other, |(_, v)| v);
            show(out, label, chosen, bytes, siblings, ctx);
        }
        Value::Header(header, table) => {
            start(out, ctx.indent);
            let _ = writeln!(out, "{label}");
            header_and_attributes(out, header, table, bytes, ctx.deeper());
        }
        Value::Records(header, table) => records(out, label, header, table, bytes, ctx),
        Value::Binary if bytes.len() > HEX_PER_LINE => {
            start(out, ctx.indent);
            let _ = writeln!(out, "{label} ({} bytes)", bytes.len());
            hex_lines(out, bytes, ctx.indent + 2);
        }
        Value::Array(int) if bytes.len() / int.size() > VALUES_PER_LINE => {
            start(out, ctx.indent);
            let _ = writeln!(out, "{label} ({} values)", bytes.len() / int.size());
            array_lines(out, *int, bytes, ctx.indent + 2);
        }
        Value::Fields(st) if st.fields.len() > FIELDS_INLINE => {
            start(out, ctx.indent);
            let _ = writeln!(out, "{label}");
            let pieces = field_pieces(st, bytes, ctx.family);
            for chunk in pieces.chunks(FIELDS_PER_LINE) {
                start(out, ctx.indent + 2);
                let _ = writeln!(out, "{}", chunk.join(" "));
            }
        }
        scalar => {
            start(out, ctx.indent);
            out.push_str(label);
            inline(out, scalar, bytes, ctx.family);
            out.push('\n');
        }
    }
}

/// A family header (its own line) and the attributes after it.
pub(crate) fn header_and_attributes(
    out: &mut String,
    header: &Struct,
    table: &Table,
    bytes: &[u8],
    ctx: Ctx,
) {
    let ctx = Ctx {
        family: family_of(header, bytes).unwrap_or(ctx.family),
        ..ctx
    };
    start(out, ctx.indent);
    out.push_str(header.name);
    let size = header.size();
    inline_fields(out, header, bytes.get(..size).unwrap_or(bytes), ctx.family);
    out.push('\n');
    if bytes.len() > size {
        let rest = bytes.get(align(size)..).unwrap_or(&[]);
        attributes(out, rest, table, ctx);
    }
}

/// The value of the first [`Value::Family`] field of `st` in `bytes`.
pub(crate) fn family_of(st: &Struct, bytes: &[u8]) -> Option<u8> {
    let mut offset = 0;
    for f in st.fields {
        if matches!(f.value, Value::Family) {
            return bytes.get(offset).copied();
        }
        offset += f.size;
    }
    None
}

fn by_kind(
    out: &mut String,
    label: &str,
    sibling: u16,
    kinds: &[Kind],
    bytes: &[u8],
    siblings: &[u8],
    ctx: Ctx,
) {
    let kind = Attrs::new(siblings)
        .find(sibling)
        .map(|a| trim_nul(a.payload()));
    match kind.and_then(|k| kinds.iter().find(|c| c.kind.as_bytes() == k)) {
        Some(choice) => show(out, label, &choice.value, bytes, siblings, ctx),
        None => show(out, label, &Value::Nest(&UNKNOWN), bytes, siblings, ctx),
    }
}

fn records(out: &mut String, label: &str, header: &Struct, table: &Table, bytes: &[u8], ctx: Ctx) {
    start(out, ctx.indent);
    let _ = writeln!(out, "{label}");
    let inner = ctx.deeper();
    let mut rest = bytes;
    while !rest.is_empty() {
        let len = rest
            .get(..2)
            .map_or(0, |b| usize::from(u16::from_ne_bytes([b[0], b[1]])));
        if len < header.size() || len > rest.len() {
            start(out, inner.indent);
            let _ = writeln!(
                out,
                "malformed {}: length {len} does not fit the {} bytes left",
                header.name,
                rest.len()
            );
            return;
        }
        header_and_attributes(out, header, table, &rest[..len], inner);
        rest = rest.get(align(len)..).unwrap_or(&[]);
    }
}

/// The string in `bytes` up to its first NUL (all of it without one).
fn trim_nul(bytes: &[u8]) -> &[u8] {
    bytes.split(|&b| b == 0).next().unwrap_or(bytes)
}

/// Append ` value` (or nothing, for a flag) to the current line.
fn inline(out: &mut String, value: &Value, bytes: &[u8], family: u8) {
    match value {
        Value::Flag if bytes.is_empty() => {}
        Value::Fields(st) => inline_fields(out, st, bytes, family),
        _ => {
            out.push(' ');
            out.push_str(&text(value, bytes, family));
        }
    }
}

/// ` name value name value ...` of a struct, with a note when `bytes` is not its size.
fn inline_fields(out: &mut String, st: &Struct, bytes: &[u8], family: u8) {
    for piece in field_pieces(st, bytes, family) {
        out.push(' ');
        out.push_str(&piece);
    }
}

/// `name value` for each field that `bytes` holds whole, then a note if
/// `bytes` is shorter or longer than the struct.
fn field_pieces(st: &Struct, bytes: &[u8], family: u8) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut offset = 0;
    for f in st.fields {
        let Some(b) = bytes.get(offset..offset + f.size) else {
            break;
        };
        offset += f.size;
        if !f.name.is_empty() {
            pieces.push(format!("{} {}", f.name, text(&f.value, b, family)));
        }
    }
    let size = st.size();
    if bytes.len() < size {
        pieces.push(format!("(short: {} of {size} bytes)", bytes.len()));
    } else if bytes.len() > size {
        pieces.push(format!("(+{} bytes)", bytes.len() - size));
    }
    pieces
}

/// The one-line text of a value.
fn text(value: &Value, bytes: &[u8], family: u8) -> String {
    match value {
        Value::Num(int) => int_text(*int, bytes, |v| v.to_string()),
        Value::Hex(int) => int_text(*int, bytes, |v| format!("{:#x}", v as u64)),
        Value::Enum(int, names) => int_text(*int, bytes, |v| {
            names
                .name_of(v as u64)
                .map_or_else(|| v.to_string(), str::to_string)
        }),
        Value::Flags(int, names) => int_text(*int, bytes, |v| flags(v as u64, names)),
        Value::Family => int_text(Int::U8, bytes, |v| {
            super::rtnl::ADDRESS_FAMILIES
                .name_of(v as u64)
                .map_or_else(|| v.to_string(), str::to_string)
        }),
        Value::Str => quoted(bytes),
        Value::Addr => address(bytes, family),
        Value::Ipv4 => address(bytes, AF_INET),
        Value::Ipv6 => address(bytes, AF_INET6),
        Value::Lladdr if !bytes.is_empty() => {
            let parts: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
            parts.join(":")
        }
        Value::Array(int) => {
            let mut parts: Vec<String> = bytes
                .chunks_exact(int.size())
                .filter_map(|c| int.read(c))
                .map(|v| v.to_string())
                .collect();
            let extra = bytes.len() % int.size();
            if extra != 0 {
                parts.push(format!("(+{extra} bytes)"));
            }
            parts.join(" ")
        }
        Value::Via => via(bytes),
        Value::Fields(st) => field_pieces(st, bytes, family).join(" "),
        // Binary, a flag with a payload, an empty link-layer address, and
        // (never reached through `show`) the nests.
        _ => hex(bytes),
    }
}

/// `int` read from `bytes` and shown by `show`, or why it cannot be.
fn int_text(int: Int, bytes: &[u8], show: impl Fn(i128) -> String) -> String {
    match int.read(bytes) {
        Some(v) => show(v),
        None => bad_length(bytes, int.size()),
    }
}

fn bad_length(bytes: &[u8], want: usize) -> String {
    format!("(bad length {}, want {want}) {}", bytes.len(), hex(bytes))
}

/// Named bits joined with `|`, what is left as hex; `0` when none is set.
pub(crate) fn flags(value: u64, names: &Names) -> String {
    if value == 0 {
        return "0".to_string();
    }
    let mut parts = Vec::new();
    let mut rest = value;
    for n in names.list {
        if n.value != 0 && rest & n.value == n.value {
            parts.push(names.short(n.name).to_string());
            rest &= !n.value;
        }
    }
    if rest != 0 {
        parts.push(format!("{rest:#x}"));
    }
    parts.join("|")
}

/// An IP address of `family`, or by its length when `family` is neither IPv4 nor IPv6.
fn address(bytes: &[u8], family: u8) -> String {
    let want = match family {
        AF_INET => Some(4),
        AF_INET6 => Some(16),
        _ => None,
    };
    match (bytes.len(), want) {
        (4, Some(4) | None) => {
            let b: [u8; 4] = [bytes[0], bytes[1], bytes[2], bytes[3]];
            Ipv4Addr::from(b).to_string()
        }
        (16, Some(16) | None) => {
            let mut b = [0u8; 16];
            b.copy_from_slice(bytes);
            Ipv6Addr::from(b).to_string()
        }
        (_, Some(want)) => bad_length(bytes, want),
        (_, None) => hex(bytes),
    }
}

/// `struct rtvia`: `AF_INET 10.0.0.1`.
fn via(bytes: &[u8]) -> String {
    let Some(fam) = bytes.get(..2) else {
        return bad_length(bytes, 2);
    };
    let fam = u16::from_ne_bytes([fam[0], fam[1]]);
    let addr = &bytes[2..];
    let name = super::rtnl::ADDRESS_FAMILIES
        .name_of(u64::from(fam))
        .map_or_else(|| fam.to_string(), str::to_string);
    match u8::try_from(fam) {
        Ok(f @ (AF_INET | AF_INET6)) => format!("{name} {}", address(addr, f)),
        _ => format!("{name} {}", hex(addr)),
    }
}

/// A string in double quotes: one trailing NUL dropped, anything unprintable escaped.
fn quoted(bytes: &[u8]) -> String {
    let body = bytes.strip_suffix(&[0]).unwrap_or(bytes);
    let mut s = String::with_capacity(body.len() + 2);
    s.push('"');
    match std::str::from_utf8(body) {
        Ok(text) => s.extend(text.chars().flat_map(char::escape_debug)),
        Err(_) => {
            for &b in body {
                match b {
                    b'"' | b'\\' => {
                        s.push('\\');
                        s.push(char::from(b));
                    }
                    0x20..=0x7e => s.push(char::from(b)),
                    _ => {
                        let _ = write!(s, "\\x{b:02x}");
                    }
                }
            }
        }
    }
    s.push('"');
    s
}

/// Bytes as `01 02 03`, or `(empty)`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "(empty)".to_string();
    }
    let parts: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    parts.join(" ")
}

/// A hex dump, [`HEX_PER_LINE`] bytes a line.
pub(crate) fn hex_lines(out: &mut String, bytes: &[u8], indent: usize) {
    for chunk in bytes.chunks(HEX_PER_LINE) {
        start(out, indent);
        out.push_str(&hex(chunk));
        out.push('\n');
    }
}

fn array_lines(out: &mut String, int: Int, bytes: &[u8], indent: usize) {
    let values: Vec<String> = bytes
        .chunks_exact(int.size())
        .filter_map(|c| int.read(c))
        .map(|v| v.to_string())
        .collect();
    for chunk in values.chunks(VALUES_PER_LINE) {
        start(out, indent);
        let _ = writeln!(out, "{}", chunk.join(" "));
    }
    let extra = bytes.len() % int.size();
    if extra != 0 {
        start(out, indent);
        let _ = writeln!(out, "(+{extra} bytes)");
    }
}
