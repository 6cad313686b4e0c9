//! The assembler's statements: each line (read with the cursor of
//! `cursor.rs`) into instructions; labels and map references are collected
//! and resolved at the end.
//!
//! Every step checks what it reads: no input makes this panic (the fuzz
//! target `bpf_asm` feeds it any text).

use std::collections::HashMap;

use super::cursor::{strip_comment, Cur, Target};
use super::{AsmError, AsmErrorKind as K, MapDecl, MapKind, Program};
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

    fn statement(&mut self, c: &mut Cur) -> Result<(), AsmError> {
        if c.peek().is_none() {
            return Ok(());
        }
        if c.rest().starts_with('*') {
            return self.store(c);
        }
        if c.at_reg() {
            return self.register(c);
        }
        let Some((at, w)) = c.word() else {
            let found = c.found();
            return Err(c.err(c.pos, K::UnknownMnemonic(found)));
        };
        match w {
            "exit" => self.push(Insn::exit()),
            "goto" => {
                let t = c.target()?;
                self.jump(c, Insn::ja(0), t, Field::Off)?;
            }
            "gotol" => {
                let t = c.target()?;
                self.jump(c, Insn::raw(BPF_JMP32 | BPF_JA, 0, 0, 0, 0), t, Field::Imm)?;
            }
            "may_goto" => {
                let t = c.target()?;
                self.jump(c, Insn::raw(BPF_JMP | BPF_JCOND, 0, 0, 0, 0), t, Field::Off)?;
            }
            "call" => self.call(c)?,
            "if" => self.cond(c)?,
            "lock" => self.lock(c)?,
            "ld_map_fd" => {
                let dst = c.reg64()?;
                c.expect(",", "`,` after the register")?;
                let Some((at, name)) = c.word() else {
                    return Err(c.expected("a map name"));
                };
                self.map_ref(c, at, name, Insn::ld_map_fd(dst, 0));
            }
            "map" => return self.map_decl(c),
            _ => return Err(c.err(at, K::UnknownMnemonic(w.to_string()))),
        }
        c.end()
    }

    fn call(&mut self, c: &mut Cur) -> Result<(), AsmError> {
        c.ws();
        if c.rest().starts_with("pc+") || c.rest().starts_with("pc-") {
            c.pos += 2;
            let imm = c.imm32("a call offset")?;
            self.push(Insn::call_local(imm));
            return Ok(());
        }
        if c.eat("kernel-function#") {
            let imm = c.imm32("a kernel function id")?;
            self.push(Insn::raw(
                BPF_JMP | BPF_CALL,
                0,
                BPF_PSEUDO_KFUNC_CALL,
                0,
                imm,
            ));
            return Ok(());
        }
        let Some((at, name)) = c.word() else {
            return Err(c.expected("a helper name"));
        };
        let id = if c.rest().starts_with('#') {
            c.pos += 1;
            Some(c.imm32("a helper id")?)
        } else {
            None
        };
        let known = helper_id(name);
        let imm = match (known, id) {
            (Some(k), Some(i)) if k != i => {
                return Err(c.err(
                    at,
                    K::Expected {
                        what: "the helper's own id",
                        found: format!("{name}#{i}"),
                    },
                ))
            }
            (Some(k), _) => k,
            (None, Some(i)) if name == "unknown" => i,
            (None, None) if name.bytes().all(|b| b.is_ascii_digit()) => {
                c.pos = at;
                c.imm32("a helper id")?
            }
            (None, _) => return Err(c.err(at, K::UnknownHelper(name.to_string()))),
        };
        self.push(Insn::call(imm));
        Ok(())
    }

    fn cond(&mut self, c: &mut Cur) -> Result<(), AsmError> {
        let (wide, dst, _) = c.reg()?;
        c.ws();
        let ops: [(&str, JmpOp); 11] = [
            ("s>=", JmpOp::Jsge),
            ("s<=", JmpOp::Jsle),
            ("s>", JmpOp::Jsgt),
            ("s<", JmpOp::Jslt),
            ("==", JmpOp::Jeq),
            ("!=", JmpOp::Jne),
            (">=", JmpOp::Jge),
            ("<=", JmpOp::Jle),
            (">", JmpOp::Jgt),
            ("<", JmpOp::Jlt),
            ("&", JmpOp::Jset),
        ];
        let Some(&(_, op)) = ops.iter().find(|(t, _)| c.eat(t)) else {
            return Err(c.expected("a comparison (==, !=, >, >=, <, <=, s>, s>=, s<, s<=, &)"));
        };
        let insn = if c.at_reg() {
            let (w2, src, at) = c.reg()?;
            if w2 != wide {
                return Err(c.err(at, K::MixedWidths));
            }
            if wide {
                Insn::jmp_reg(op, dst, src, 0)
            } else {
                Insn::jmp32_reg(op, dst, src, 0)
            }
        } else {
            let imm = c.imm32("a 32-bit immediate")?;
            if wide {
                Insn::jmp_imm(op, dst, imm, 0)
            } else {
                Insn::jmp32_imm(op, dst, imm, 0)
            }
        };
        c.expect("goto", "`goto`")?;
        let t = c.target()?;
        self.jump(c, insn, t, Field::Off)
    }

    fn lock(&mut self, c: &mut Cur) -> Result<(), AsmError> {
        c.expect("*", "`*(` of a memory operand")?;
        let at = c.pos;
        let (signed, size) = c.mem_type()?;
        if signed || !matches!(size, Size::W | Size::DW) {
            return Err(c.err(
                at,
                K::Expected {
                    what: "(u32 *) or (u64 *)",
                    found: String::new(),
                },
            ));
        }
        let (dst, off) = c.addr()?;
        c.ws();
        let ops = [
            ("+=", AtomicOp::Add),
            ("&=", AtomicOp::And),
            ("|=", AtomicOp::Or),
            ("^=", AtomicOp::Xor),
        ];
        let Some(&(_, op)) = ops.iter().find(|(t, _)| c.eat(t)) else {
            return Err(c.expected("+=, &=, |= or ^="));
        };
        let src = c.reg64()?;
        self.push(Insn::atomic(size, op, dst, src, off));
        Ok(())
    }

    fn store(&mut self, c: &mut Cur) -> Result<(), AsmError> {
        c.expect("*", "`*`")?;
        let at = c.pos;
        let (signed, size) = c.mem_type()?;
        if signed {
            return Err(c.err(
                at,
                K::Expected {
                    what: "an unsigned type for a store",
                    found: String::new(),
                },
            ));
        }
        let (dst, off) = c.addr()?;
        c.expect("=", "`=`")?;
        let insn = if c.at_reg() {
            Insn::stx_mem(size, dst, c.reg64()?, off)
        } else {
            Insn::st_mem(size, dst, off, c.imm32("a 32-bit immediate")?)
        };
        self.push(insn);
        c.end()
    }

    fn register(&mut self, c: &mut Cur) -> Result<(), AsmError> {
        let (wide, dst, dst_at) = c.reg()?;
        c.ws();
        let ops: [(&str, AluOp, i16); 14] = [
            ("s>>=", AluOp::Arsh, 0),
            ("s/=", AluOp::Div, 1),
            ("s%=", AluOp::Mod, 1),
            ("<<=", AluOp::Lsh, 0),
            (">>=", AluOp::Rsh, 0),
            ("+=", AluOp::Add, 0),
            ("-=", AluOp::Sub, 0),
            ("*=", AluOp::Mul, 0),
            ("/=", AluOp::Div, 0),
            ("|=", AluOp::Or, 0),
            ("&=", AluOp::And, 0),
            ("%=", AluOp::Mod, 0),
            ("^=", AluOp::Xor, 0),
            ("=", AluOp::Mov, 0),
        ];
        let Some(&(_, op, off)) = ops.iter().find(|(t, _, _)| c.eat(t)) else {
            return Err(c.expected("an operator (=, +=, -=, ...)"));
        };
        if op == AluOp::Mov && self.assignment(c, wide, dst, dst_at)? {
            return c.end();
        }
        let mut insn = if c.at_reg() {
            let (w2, src, at) = c.reg()?;
            if w2 != wide {
                return Err(c.err(at, K::MixedWidths));
            }
            if wide {
                Insn::alu64_reg(op, dst, src)
            } else {
                Insn::alu32_reg(op, dst, src)
            }
        } else {
            let imm = c.imm32("a 32-bit immediate")?;
            if !wide {
                Insn::alu32_imm(op, dst, imm)
            } else if c.eat("ll") {
                self.prog
                    .insns
                    .extend(Insn::ld_imm64(dst, imm as i64 as u64));
                return c.end();
            } else {
                Insn::alu64_imm(op, dst, imm)
            }
        };
        insn.off = off;
        self.push(insn);
        c.end()
    }

    /// The forms of `dst = ...` other than a plain move; false if it is one.
    fn assignment(
        &mut self,
        c: &mut Cur,
        wide: bool,
        dst: Reg,
        dst_at: usize,
    ) -> Result<bool, AsmError> {
        let need64 = |c: &Cur| {
            if wide {
                Ok(())
            } else {
                Err(c.err(dst_at, K::BadRegister(format!("w{}", dst.number()))))
            }
        };
        let same = |c: &mut Cur, w: bool| -> Result<(), AsmError> {
            let (w2, r, at) = c.reg()?;
            if r != dst || w2 != w {
                return Err(c.err(
                    at,
                    K::Expected {
                        what: "the destination register again",
                        found: format!("{}{}", if w2 { 'r' } else { 'w' }, r.number()),
                    },
                ));
            }
            Ok(())
        };
        c.ws();
        let r = c.rest();
        // `dst = -dst`
        if r.starts_with('-') && r[1..].trim_start().starts_with(['r', 'w']) {
            c.pos += 1;
            same(c, wide)?;
            self.push(if wide {
                Insn::neg64(dst)
            } else {
                Insn::neg32(dst)
            });
            return Ok(true);
        }
        // loads
        if r.starts_with('*') {
            need64(c)?;
            c.pos += 1;
            let at = c.pos;
            let (signed, size) = c.mem_type()?;
            if c.eat("skb[") {
                if signed || size == Size::DW || dst != Reg::R0 {
                    return Err(c.err(
                        at,
                        K::Expected {
                            what: "r0 = *(u8|u16|u32 *)skb[...]",
                            found: String::new(),
                        },
                    ));
                }
                let insn = if c.at_reg() {
                    let src = c.reg64()?;
                    c.expect("+", "`+`")?;
                    Insn::ld_ind(size, src, c.imm32("a 32-bit immediate")?)
                } else {
                    Insn::ld_abs(size, c.imm32("a 32-bit immediate")?)
                };
                c.expect("]", "`]`")?;
                self.push(insn);
                return Ok(true);
            }
            let (src, off) = c.addr()?;
            let mut insn = Insn::ldx_mem(size, dst, src, off);
            if signed {
                if size == Size::DW {
                    return Err(c.err(
                        at,
                        K::Expected {
                            what: "s8, s16 or s32",
                            found: "s64".into(),
                        },
                    ));
                }
                insn.code = BPF_LDX | size.code() | BPF_MEMSX;
            }
            self.push(insn);
            return Ok(true);
        }
        // `dst = (s8)src`
        for (t, off) in [("(s8)", 8i16), ("(s16)", 16), ("(s32)", 32)] {
            if c.eat(t) {
                let (w2, src, at) = c.reg()?;
                if w2 != wide {
                    return Err(c.err(at, K::MixedWidths));
                }
                let mut insn = if wide {
                    Insn::mov64_reg(dst, src)
                } else {
                    Insn::mov32_reg(dst, src)
                };
                insn.off = off;
                self.push(insn);
                return Ok(true);
            }
        }
        if c.at_reg() {
            return Ok(false);
        }
        let save = c.pos;
        let Some((at, w)) = c.word() else {
            return self.ld_imm64_or_mov(c, wide, dst);
        };
        let swap = |w: &str, p: &str| match w.strip_prefix(p) {
            Some("16") => Some(SwapWidth::W16),
            Some("32") => Some(SwapWidth::W32),
            Some("64") => Some(SwapWidth::W64),
            _ => None,
        };
        if let Some(width) = swap(w, "be").or(swap(w, "le")).or(swap(w, "bswap")) {
            need64(c)?;
            same(c, true)?;
            let insn = if w.starts_with("bswap") {
                Insn::raw(
                    BPF_ALU64 | BPF_END | BPF_TO_LE,
                    dst.number(),
                    0,
                    0,
                    width.bits(),
                )
            } else {
                let order = if w.starts_with("be") {
                    ByteOrder::Be
                } else {
                    ByteOrder::Le
                };
                Insn::endian(order, dst, width)
            };
            self.push(insn);
            return Ok(true);
        }
        match w {
            "map" if c.rest().starts_with('[') => {
                need64(c)?;
                self.numeric_map(c, dst)?;
                Ok(true)
            }
            "map" | "map_value" => {
                need64(c)?;
                let Some((name_at, name)) = c.word() else {
                    return Err(c.expected("a map name"));
                };
                let pair = if w == "map" {
                    Insn::ld_map_fd(dst, 0)
                } else {
                    let off = if c.peek() == Some(b'+') {
                        c.u32("a value offset")?
                    } else {
                        0
                    };
                    Insn::ld_map_value(dst, 0, off)
                };
                self.map_ref(c, name_at, name, pair);
                Ok(true)
            }
            "subprog" => {
                need64(c)?;
                c.expect("[", "`[`")?;
                let imm = c.imm32("a subprogram offset")?;
                c.expect("]", "`]`")?;
                self.prog.insns.extend(Insn::ld_imm64_raw(
                    dst,
                    BPF_PSEUDO_FUNC,
                    u64::from(imm as u32),
                ));
                Ok(true)
            }
            _ if w.starts_with("atomic") => {
                need64(c)?;
                self.atomic_call(c, at, w, dst)?;
                Ok(true)
            }
            _ => {
                c.pos = save;
                self.ld_imm64_or_mov(c, wide, dst)
            }
        }
    }

    /// `dst = N ll` is an `ld_imm64`; `dst = N` is left to the move.
    fn ld_imm64_or_mov(&mut self, c: &mut Cur, wide: bool, dst: Reg) -> Result<bool, AsmError> {
        let save = c.pos;
        if !wide {
            return Ok(false);
        }
        let (at, v) = match c.int() {
            Ok(x) => x,
            Err(_) => {
                c.pos = save;
                return Ok(false);
            }
        };
        if !c.eat("ll") {
            c.pos = save;
            return Ok(false);
        }
        if !(i128::from(i64::MIN)..=i128::from(u64::MAX)).contains(&v) {
            return Err(c.err(
                at,
                K::OutOfRange {
                    what: "64 bits",
                    value: v,
                },
            ));
        }
        self.prog.insns.extend(Insn::ld_imm64(dst, v as u64));
        Ok(true)
    }

    /// `map[id:N]`, `map[id:N][0]+M`, `map[idx:N]`, `map[idx:N]+M`.
    fn numeric_map(&mut self, c: &mut Cur, dst: Reg) -> Result<(), AsmError> {
        c.expect("[", "`[`")?;
        let by_index = if c.eat("idx:") {
            true
        } else {
            c.expect("id:", "`id:` or `idx:`")?;
            false
        };
        let n = c.u32("a map id")?;
        c.expect("]", "`]`")?;
        let (pseudo, off) = if by_index {
            if c.peek() == Some(b'+') {
                (BPF_PSEUDO_MAP_IDX_VALUE, Some(c.u32("a value offset")?))
            } else {
                (BPF_PSEUDO_MAP_IDX, None)
            }
        } else if c.eat("[0]") {
            (BPF_PSEUDO_MAP_VALUE, Some(c.u32("a value offset")?))
        } else {
            (BPF_PSEUDO_MAP_FD, None)
        };
        let imm = (u64::from(off.unwrap_or(0)) << 32) | u64::from(n);
        self.prog.insns.extend(Insn::ld_imm64_raw(dst, pseudo, imm));
        Ok(())
    }

    /// `rS = atomic64_fetch_add((u64 *)(rD +0), rS)`, `_xchg`, and
    /// `r0 = atomic64_cmpxchg((u64 *)(rD +0), r0, rS)`.
    fn atomic_call(&mut self, c: &mut Cur, at: usize, w: &str, dst: Reg) -> Result<(), AsmError> {
        let (is64, name) = match w.strip_prefix("atomic64_") {
            Some(n) => (true, n),
            None => (false, w.strip_prefix("atomic_").unwrap_or("")),
        };
        let op = match name {
            "fetch_add" => AtomicOp::FetchAdd,
            "fetch_and" => AtomicOp::FetchAnd,
            "fetch_or" => AtomicOp::FetchOr,
            "fetch_xor" => AtomicOp::FetchXor,
            "xchg" => AtomicOp::Xchg,
            "cmpxchg" => AtomicOp::CmpXchg,
            _ => return Err(c.err(at, K::UnknownMnemonic(w.to_string()))),
        };
        c.expect("(", "`(`")?;
        let ty_at = c.pos;
        let (signed, size) = c.mem_type()?;
        if signed || size != if is64 { Size::DW } else { Size::W } {
            let what = if is64 {
                "(u64 *) for atomic64_"
            } else {
                "(u32 *) for atomic_"
            };
            return Err(c.err(
                ty_at,
                K::Expected {
                    what,
                    found: String::new(),
                },
            ));
        }
        let (base, off) = c.addr()?;
        c.expect(",", "`,`")?;
        if op == AtomicOp::CmpXchg {
            let r0_at = c.pos;
            if c.reg64()? != Reg::R0 || dst != Reg::R0 {
                return Err(c.err(
                    r0_at,
                    K::Expected {
                        what: "r0 = atomic_cmpxchg(..., r0, rS)",
                        found: String::new(),
                    },
                ));
            }
            c.expect(",", "`,`")?;
        }
        let src_at = c.pos;
        let src = c.reg64()?;
        if op != AtomicOp::CmpXchg && src != dst {
            return Err(c.err(
                src_at,
                K::Expected {
                    what: "the destination register again",
                    found: format!("r{}", src.number()),
                },
            ));
        }
        c.expect(")", "`)`")?;
        self.push(Insn::atomic(size, op, base, src, off));
        Ok(())
    }

    fn map_decl(&mut self, c: &mut Cur) -> Result<(), AsmError> {
        let Some((name_at, name)) = c.word() else {
            return Err(c.expected("a map name"));
        };
        if self.prog.maps.iter().any(|m| m.name == name) {
            return Err(c.err(name_at, K::DuplicateMap(name.to_string())));
        }
        c.expect("type", "`type`")?;
        let Some((kind_at, kind)) = c.word() else {
            return Err(c.expected("a map type"));
        };
        let kind = MapKind::from_word(kind)
            .ok_or_else(|| c.err(kind_at, K::UnknownMapType(kind.to_string())))?;
        let (mut key, mut value, mut entries, mut flags) = (None, None, None, 0);
        while let Some((at, w)) = c.word() {
            match w {
                "key" if key.is_none() => key = Some(c.u32("a key size")?),
                "value" if value.is_none() => value = Some(c.u32("a value size")?),
                "entries" if entries.is_none() => entries = Some(c.u32("a number of entries")?),
                "flags" => flags = c.u32("flags")?,
                _ => {
                    let found = w.to_string();
                    return Err(c.err(
                        at,
                        K::Expected {
                            what: "key, value, entries or flags",
                            found,
                        },
                    ));
                }
            }
        }
        c.end()?;
        let missing = |field| {
            c.err(
                c.pos,
                K::MissingMapField {
                    map: name.to_string(),
                    field,
                },
            )
        };
        self.prog.maps.push(MapDecl {
            name: name.to_string(),
            kind,
            key_size: key.ok_or_else(|| missing("key"))?,
            value_size: value.ok_or_else(|| missing("value"))?,
            max_entries: entries.ok_or_else(|| missing("entries"))?,
            flags,
        });
        Ok(())
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
