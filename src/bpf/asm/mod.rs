//! Text in the verifier log's syntax back to instructions.
//!
//! A source is lines; each holds at most one statement, optionally after a
//! label (`loop:`), and a comment (`;`, `//`, or `#` at the start of a line
//! or after a blank: `call bpf_trace_printk#6` keeps its `#`). Statements are
//! what [`disasm`](super::disasm) prints (`r0 = 0`, `if w1 == 0x2 goto pc-3`,
//! `call bpf_map_lookup_elem#1`), with jump targets as `pc+N` or a label,
//! plus map declarations
//! (`map counts type array key 4 value 8 entries 256 [flags 0]`) and
//! references (`r1 = map counts`, `r1 = map_value counts +8`,
//! `ld_map_fd r1, counts`), each reference an `ld_imm64` with a
//! [`Relocation`] for the loader. The verifier log's `12: (b7) ` prefix is
//! accepted and ignored, so a log can be pasted back.
//!
//! Errors carry the line and column (both from 1) of what is wrong. Labels
//! and maps may be used before they are defined; a label jump that does not
//! fit the instruction's offset field is an error.

mod cursor;
mod parse;

use std::fmt;

use super::insn::{Insn, Relocation};

/// A map the program declares; the loader creates it and patches its fd
/// into every instruction a [`Relocation`] names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapDecl {
    pub name: String,
    pub kind: MapKind,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub flags: u32,
}

/// The map types a declaration can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MapKind {
    Hash,
    Array,
    PercpuArray,
}

impl MapKind {
    /// The value of `enum bpf_map_type` (`BPF_MAP_TYPE_HASH` 1, `_ARRAY` 2,
    /// `_PERCPU_ARRAY` 6; tests/bpf_insn.rs checks them against the header).
    pub fn map_type(self) -> u32 {
        match self {
            MapKind::Hash => 1,
            MapKind::Array => 2,
            MapKind::PercpuArray => 6,
        }
    }

    /// The declaration's word for it.
    pub fn word(self) -> &'static str {
        match self {
            MapKind::Hash => "hash",
            MapKind::Array => "array",
            MapKind::PercpuArray => "percpu_array",
        }
    }

    fn from_word(w: &str) -> Option<MapKind> {
        [MapKind::Hash, MapKind::Array, MapKind::PercpuArray]
            .into_iter()
            .find(|k| k.word() == w)
    }
}

/// An assembled program.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Program {
    pub insns: Vec<Insn>,
    pub maps: Vec<MapDecl>,
    /// One per map reference, in program order.
    pub relocations: Vec<Relocation>,
}

/// Where the source is wrong and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsmError {
    /// From 1.
    pub line: usize,
    /// From 1, in characters.
    pub column: usize,
    pub kind: AsmErrorKind,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AsmErrorKind {
    UnknownMnemonic(String),
    BadRegister(String),
    /// Registers of both widths in one instruction (`w1 += r2`).
    MixedWidths,
    BadNumber(String),
    /// A number that does not fit its field.
    OutOfRange {
        what: &'static str,
        value: i128,
    },
    /// Something else was expected here.
    Expected {
        what: &'static str,
        found: String,
    },
    UnknownHelper(String),
    UnknownLabel(String),
    DuplicateLabel(String),
    /// A jump to a label too far away for the instruction's offset field.
    JumpOutOfRange {
        label: String,
        offset: i64,
    },
    UndeclaredMap(String),
    DuplicateMap(String),
    UnknownMapType(String),
    /// A map declaration without one of its sizes.
    MissingMapField {
        map: String,
        field: &'static str,
    },
}

impl fmt::Display for AsmErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use AsmErrorKind::*;
        match self {
            UnknownMnemonic(w) => write!(f, "unknown mnemonic `{w}`"),
            BadRegister(w) => write!(f, "bad register `{w}` (r0..r10, or w0..w10 for 32 bits)"),
            MixedWidths => f.write_str("registers of both widths (rN and wN) in one instruction"),
            BadNumber(w) => write!(f, "bad number `{w}`"),
            OutOfRange { what, value } => write!(f, "{value} does not fit {what}"),
            Expected { what, found } if found.is_empty() => {
                write!(f, "expected {what}, found the end of the line")
            }
            Expected { what, found } => write!(f, "expected {what}, found `{found}`"),
            UnknownHelper(w) => write!(f, "unknown helper `{w}`"),
            UnknownLabel(w) => write!(f, "undefined label `{w}`"),
            DuplicateLabel(w) => write!(f, "label `{w}` defined twice"),
            JumpOutOfRange { label, offset } => {
                write!(f, "jump to `{label}` out of range (offset {offset})")
            }
            UndeclaredMap(w) => write!(f, "undeclared map `{w}`"),
            DuplicateMap(w) => write!(f, "map `{w}` declared twice"),
            UnknownMapType(w) => {
                write!(f, "unknown map type `{w}` (array, hash, percpu_array)")
            }
            MissingMapField { map, field } => write!(f, "map `{map}` needs `{field} N`"),
        }
    }
}

impl fmt::Display for AsmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.kind
        )
    }
}

impl std::error::Error for AsmError {}

/// Assembles `source`; the first error stops it.
pub fn assemble(source: &str) -> Result<Program, AsmError> {
    parse::assemble(source)
}

#[cfg(test)]
mod tests;
