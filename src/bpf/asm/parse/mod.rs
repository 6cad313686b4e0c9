//! The assembler's statements: each line (read with the cursor of
//! `cursor.rs`) into instructions; labels and map references are collected
//! and resolved at the end. Here: the program under construction, a line's
//! log prefix and labels, and the resolution. The statements by their first
//! word (jumps, calls, stores, ALU operations): `statement.rs`; the forms of
//! `dst = ...` beyond a move (loads, byte swaps, 64-bit immediates, map
//! references, atomic calls): `assign.rs`; map declarations: `map_decl.rs`.
//!
//! Every step checks what it reads: no input makes this panic (the fuzz
//! target `bpf_asm` feeds it any text).

mod assign;
mod map_decl;
mod statement;

use std::collections::HashMap;

use super::cursor::{strip_comment, Cur, Target};
use super::{AsmError, AsmErrorKind as K, Program};
use crate::bpf::insn::*;

/// Which field a jump's offset goes into.
#[derive(Clone, Copy)]
enum Field {
    Off,
    Imm,
}

struct Fixup {
    insn: usize,
    label: String,
    line: usize,
    column: usize,
    field: Field,
}

struct MapRef {
    insn: usize,
    name: String,
    line: usize,
    column: usize,
}

#[derive(Default)]
struct State {
    prog: Program,
    labels: HashMap<String, usize>,
    fixups: Vec<Fixup>,
    maprefs: Vec<MapRef>,
}

impl State {
    fn push(&mut self, i: Insn) {
        self.prog.insns.push(i);
    }

    fn jump(&mut self, c: &Cur, mut i: Insn, t: Target, field: Field) -> Result<(), AsmError> {
        match t {
            Target::Rel(v) => {
                let ok = match field {
                    Field::Off => i16::try_from(v).map(|o| i.off = o).is_ok(),
                    Field::Imm => i32::try_from(v).map(|o| i.imm = o).is_ok(),
                };
                if !ok {
                    return Err(c.err(
                        c.pos,
                        K::OutOfRange {
                            what: "a jump offset",
                            value: v,
                        },
                    ));
                }
            }
            Target::Label(label, at) => self.fixups.push(Fixup {
                insn: self.prog.insns.len(),
                label,
                line: c.line,
                column: c.column(at),
                field,
            }),
        }
        self.push(i);
        Ok(())
    }

    fn map_ref(&mut self, c: &Cur, at: usize, name: &str, pair: [Insn; 2]) {
        self.maprefs.push(MapRef {
            insn: self.prog.insns.len(),
            name: name.to_string(),
            line: c.line,
            column: c.column(at),
        });
        self.prog.insns.extend(pair);
    }

    fn resolve(mut self) -> Result<Program, AsmError> {
        for f in &self.fixups {
            let err = |kind| AsmError {
                line: f.line,
                column: f.column,
                kind,
            };
            let Some(&target) = self.labels.get(&f.label) else {
                return Err(err(K::UnknownLabel(f.label.clone())));
            };
            let offset = target as i64 - (f.insn as i64 + 1);
            let insn = &mut self.prog.insns[f.insn];
            let fits = match f.field {
                Field::Off => i16::try_from(offset).map(|o| insn.off = o).is_ok(),
                Field::Imm => i32::try_from(offset).map(|o| insn.imm = o).is_ok(),
            };
            if !fits {
                return Err(err(K::JumpOutOfRange {
                    label: f.label.clone(),
                    offset,
                }));
            }
        }
        for r in &self.maprefs {
            if !self.prog.maps.iter().any(|m| m.name == r.name) {
                return Err(AsmError {
                    line: r.line,
                    column: r.column,
                    kind: K::UndeclaredMap(r.name.clone()),
                });
            }
            self.prog.relocations.push(Relocation {
                insn: r.insn,
                map: r.name.clone(),
            });
        }
        Ok(self.prog)
    }
}

pub(super) fn assemble(source: &str) -> Result<Program, AsmError> {
    let mut st = State::default();
    for (n, raw) in source.lines().enumerate() {
        let mut c = Cur {
            s: strip_comment(raw),
            pos: 0,
            line: n + 1,
        };
        // The verifier log's `12: (b7) ` prefix.
        c.ws();
        let digits = c.rest().bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && c.rest()[digits..].starts_with(':') {
            c.pos += digits + 1;
            c.ws();
            let r = c.rest().as_bytes();
            if r.len() >= 4
                && r[0] == b'('
                && r[3] == b')'
                && r[1..3].iter().all(u8::is_ascii_hexdigit)
            {
                c.pos += 4;
            }
        }
        // Labels.
        loop {
            let save = c.pos;
            match c.word() {
                Some((at, w)) if !w.as_bytes()[0].is_ascii_digit() && c.rest().starts_with(':') => {
                    c.pos += 1;
                    if st
                        .labels
                        .insert(w.to_string(), st.prog.insns.len())
                        .is_some()
                    {
                        return Err(c.err(at, K::DuplicateLabel(w.to_string())));
                    }
                }
                _ => {
                    c.pos = save;
                    break;
                }
            }
        }
        st.statement(&mut c)?;
    }
    st.resolve()
}
