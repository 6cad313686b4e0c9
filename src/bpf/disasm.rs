//! Instructions as text, in the syntax of the kernel's verifier log
//! (`kernel/bpf/disasm.c`): `r0 = 0`, `r2 = *(u32 *)(r1 +4)`,
//! `if r2 > r3 goto pc+5`, `call bpf_map_lookup_elem#1`, `exit`.
//!
//! Immediates print as disasm.c prints them: decimal in ALU and store
//! instructions, `0x%x` of the 32 bits in conditional jumps, `0x%llx` for
//! `ld_imm64`. Two choices differ from the verifier log, both from bpftool's
//! and LLVM's listings: a plain `ld_imm64` ends in ` ll` (so it cannot be
//! read as a 32-bit move), and map references print as bpftool prints
//! translated code (`map[id:N]`, `map[id:N][0]+M`), or by name
//! (`map NAME`, `map_value NAME +M`) where a [`Relocation`] names the map.
//! An opcode the kernel does not know prints `unknown opcode xx`; no bytes
//! make this module panic.

use std::fmt::Write;

use super::insn::*;

/// One printed instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Index of its (first) slot.
    pub pc: usize,
    pub code: u8,
    /// Slots it takes: 2 for `ld_imm64`, else 1.
    pub slots: usize,
    /// The text without the verifier's `pc: (code) ` prefix.
    pub text: String,
}

impl Line {
    /// The line as the verifier log prints it: `0: (b7) r0 = 0`.
    pub fn verifier(&self) -> String {
        format!("{}: ({:02x}) {}", self.pc, self.code, self.text)
    }
}

/// The instruction starting at `pc`, or `None` past the end.
pub fn line_at(insns: &[Insn], pc: usize, relocations: &[Relocation]) -> Option<Line> {
    let insn = *insns.get(pc)?;
    let mut text = String::new();
    let mut slots = 1;
    if insn.is_ld_imm64() {
        match insns.get(pc + 1) {
            Some(next) => {
                slots = 2;
                let map = relocations
                    .iter()
                    .find(|r| r.insn == pc)
                    .map(|r| r.map.as_str());
                ld_imm64(&mut text, insn, *next, map);
            }
            None => text.push_str("invalid bpf_ld_imm64 insn"),
        }
    } else {
        body(&mut text, insn);
    }
    Some(Line {
        pc,
        code: insn.code,
        slots,
        text,
    })
}

/// Every instruction of a program, each `ld_imm64` once.
pub fn lines<'a>(
    insns: &'a [Insn],
    relocations: &'a [Relocation],
) -> impl Iterator<Item = Line> + 'a {
    let mut pc = 0;
    std::iter::from_fn(move || {
        let line = line_at(insns, pc, relocations)?;
        pc += line.slots;
        Some(line)
    })
}

/// The program as text, one instruction a line, no prefixes: what the
/// assembler reads back.
pub fn listing(insns: &[Insn], relocations: &[Relocation]) -> String {
    let mut out = String::new();
    for l in lines(insns, relocations) {
        out.push_str(&l.text);
        out.push('\n');
    }
    out
}

/// The program as the verifier log lists it: `0: (b7) r0 = 0` lines.
pub fn verifier_listing(insns: &[Insn]) -> String {
    let mut out = String::new();
    for l in lines(insns, &[]) {
        out.push_str(&l.verifier());
        out.push('\n');
    }
    out
}

/// One slot's text (not the first slot of an `ld_imm64`).
pub fn insn_text(insn: Insn) -> String {
    let mut s = String::new();
    body(&mut s, insn);
    s
}

/// `r` for 64-bit classes, `w` for the 32-bit ones.
fn reg_prefix(class: u8) -> char {
    if class == BPF_ALU || class == BPF_JMP32 {
        'w'
    } else {
        'r'
    }
}

fn alu_op(op: u8, off: i16) -> Option<&'static str> {
    let signed = off == 1;
    Some(match op {
        BPF_ADD => "+=",
        BPF_SUB => "-=",
        BPF_MUL => "*=",
        BPF_DIV if signed => "s/=",
        BPF_DIV => "/=",
        BPF_OR => "|=",
        BPF_AND => "&=",
        BPF_LSH => "<<=",
        BPF_RSH => ">>=",
        BPF_MOD if signed => "s%=",
        BPF_MOD => "%=",
        BPF_XOR => "^=",
        BPF_MOV => "=",
        BPF_ARSH => "s>>=",
        _ => return None,
    })
}

fn jmp_op(op: u8) -> Option<&'static str> {
    Some(match op {
        BPF_JEQ => "==",
        BPF_JGT => ">",
        BPF_JGE => ">=",
        BPF_JSET => "&",
        BPF_JNE => "!=",
        BPF_JSGT => "s>",
        BPF_JSGE => "s>=",
        BPF_JLT => "<",
        BPF_JLE => "<=",
        BPF_JSLT => "s<",
        BPF_JSLE => "s<=",
        _ => return None,
    })
}

fn unknown(out: &mut String, code: u8) {
    let _ = write!(out, "unknown opcode {code:02x}");
}

fn body(out: &mut String, i: Insn) {
    let class = i.class();
    match class {
        BPF_ALU | BPF_ALU64 => alu(out, i),
        BPF_JMP | BPF_JMP32 => jmp(out, i),
        BPF_LDX => {
            let mode = i.code & 0xe0;
            let size = Size::of(i.code);
            let ty = match (mode, size) {
                (BPF_MEM, s) => s.c_type(),
                (BPF_MEMSX, Size::B) => "s8",
                (BPF_MEMSX, Size::H) => "s16",
                (BPF_MEMSX, Size::W) => "s32",
                _ => return unknown(out, i.code),
            };
            let _ = write!(out, "r{} = *({ty} *)(r{} {:+})", i.dst, i.src, i.off);
        }
        BPF_ST => {
            if i.code & 0xe0 != BPF_MEM {
                return unknown(out, i.code);
            }
            let ty = Size::of(i.code).c_type();
            let _ = write!(out, "*({ty} *)(r{} {:+}) = {}", i.dst, i.off, i.imm);
        }
        BPF_STX => stx(out, i),
        // BPF_LD: ld_imm64 is handled by the caller.
        _ => {
            let size = Size::of(i.code);
            match (i.code & 0xe0, size) {
                (_, Size::DW) => unknown(out, i.code),
                (BPF_ABS, s) => {
                    let _ = write!(out, "r0 = *({} *)skb[{}]", s.c_type(), i.imm);
                }
                (BPF_IND, s) => {
                    let _ = write!(out, "r0 = *({} *)skb[r{} + {}]", s.c_type(), i.src, i.imm);
                }
                _ => unknown(out, i.code),
            }
        }
    }
}

fn alu(out: &mut String, i: Insn) {
    let class = i.class();
    let p = reg_prefix(class);
    let op = i.code & 0xf0;
    let x = i.code & BPF_X != 0;
    match op {
        BPF_END => {
            let name = match (class, x) {
                (BPF_ALU, false) => "le",
                (BPF_ALU, true) => "be",
                (_, false) => "bswap",
                (_, true) => return unknown(out, i.code),
            };
            let _ = write!(out, "r{} = {name}{} r{}", i.dst, i.imm, i.dst);
        }
        BPF_NEG if !x => {
            let _ = write!(out, "{p}{} = -{p}{}", i.dst, i.dst);
        }
        BPF_NEG => unknown(out, i.code),
        _ => {
            let Some(sym) = alu_op(op, i.off) else {
                return unknown(out, i.code);
            };
            if !x {
                let _ = write!(out, "{p}{} {sym} {}", i.dst, i.imm);
            } else if class == BPF_ALU64 && op == BPF_MOV && i.off == BPF_ADDR_SPACE_CAST {
                let _ = write!(
                    out,
                    "r{} = addr_space_cast(r{}, {}, {})",
                    i.dst,
                    i.src,
                    (i.imm as u32) >> 16,
                    i.imm as u16
                );
            } else {
                let cast = match (op, i.off) {
                    (BPF_MOV, 8) => "(s8)",
                    (BPF_MOV, 16) => "(s16)",
                    (BPF_MOV, 32) => "(s32)",
                    _ => "",
                };
                let _ = write!(out, "{p}{} {sym} {cast}{p}{}", i.dst, i.src);
            }
        }
    }
}

fn jmp(out: &mut String, i: Insn) {
    let class = i.class();
    let p = reg_prefix(class);
    let op = i.code & 0xf0;
    let x = i.code & BPF_X != 0;
    match (class, op, x) {
        (BPF_JMP, BPF_CALL, false) => match i.src {
            BPF_PSEUDO_CALL => {
                let _ = write!(out, "call pc{:+}", i.imm);
            }
            BPF_PSEUDO_KFUNC_CALL => {
                let _ = write!(out, "call kernel-function#{}", i.imm);
            }
            _ => {
                let name = match (i.src, helper_name(i.imm)) {
                    (0, Some(n)) => n,
                    _ => "unknown",
                };
                let _ = write!(out, "call {name}#{}", i.imm);
            }
        },
        (BPF_JMP, BPF_EXIT, false) => out.push_str("exit"),
        (BPF_JMP, BPF_JA, false) => {
            let _ = write!(out, "goto pc{:+}", i.off);
        }
        (BPF_JMP32, BPF_JA, false) => {
            let _ = write!(out, "gotol pc{:+}", i.imm);
        }
        (BPF_JMP, BPF_JCOND, false) if i.src == 0 => {
            let _ = write!(out, "may_goto pc{:+}", i.off);
        }
        _ => {
            let Some(sym) = jmp_op(op) else {
                return unknown(out, i.code);
            };
            if x {
                let _ = write!(out, "if {p}{} {sym} {p}{} goto pc{:+}", i.dst, i.src, i.off);
            } else {
                let _ = write!(
                    out,
                    "if {p}{} {sym} {:#x} goto pc{:+}",
                    i.dst, i.imm as u32, i.off
                );
            }
        }
    }
}

fn stx(out: &mut String, i: Insn) {
    let size = Size::of(i.code);
    let ty = size.c_type();
    match i.code & 0xe0 {
        BPF_MEM => {
            let _ = write!(out, "*({ty} *)(r{} {:+}) = r{}", i.dst, i.off, i.src);
        }
        BPF_ATOMIC if matches!(size, Size::W | Size::DW) => {
            let bits = if size == Size::DW { "64" } else { "" };
            let name = |op: i32| match op as u8 {
                BPF_ADD => Some(("add", "+=")),
                BPF_AND => Some(("and", "&=")),
                BPF_OR => Some(("or", "|=")),
                BPF_XOR => Some(("xor", "^=")),
                _ => None,
            };
            let (d, s, off) = (i.dst, i.src, i.off);
            match i.imm {
                BPF_XCHG => {
                    let _ = write!(
                        out,
                        "r{s} = atomic{bits}_xchg(({ty} *)(r{d} {off:+}), r{s})"
                    );
                }
                BPF_CMPXCHG => {
                    let _ = write!(
                        out,
                        "r0 = atomic{bits}_cmpxchg(({ty} *)(r{d} {off:+}), r0, r{s})"
                    );
                }
                imm if (0..0x100).contains(&imm) => match (name(imm & 0xf0), imm & 0x0f) {
                    (Some((_, sym)), 0) => {
                        let _ = write!(out, "lock *({ty} *)(r{d} {off:+}) {sym} r{s}");
                    }
                    (Some((word, _)), 1) => {
                        let _ = write!(
                            out,
                            "r{s} = atomic{bits}_fetch_{word}(({ty} *)(r{d} {off:+}), r{s})"
                        );
                    }
                    _ => unknown(out, i.code),
                },
                _ => unknown(out, i.code),
            }
        }
        _ => unknown(out, i.code),
    }
}

fn ld_imm64(out: &mut String, first: Insn, second: Insn, map: Option<&str>) {
    let lo = first.imm as u32;
    let hi = second.imm as u32;
    let _ = write!(out, "r{} = ", first.dst);
    let _ = match (first.src, map) {
        (BPF_PSEUDO_MAP_FD, Some(name)) => write!(out, "map {name}"),
        (BPF_PSEUDO_MAP_VALUE, Some(name)) => write!(out, "map_value {name} +{hi}"),
        (BPF_PSEUDO_MAP_FD, None) => write!(out, "map[id:{lo}]"),
        (BPF_PSEUDO_MAP_VALUE, None) => write!(out, "map[id:{lo}][0]+{hi}"),
        (BPF_PSEUDO_MAP_IDX, _) => write!(out, "map[idx:{lo}]"),
        (BPF_PSEUDO_MAP_IDX_VALUE, _) => write!(out, "map[idx:{lo}]+{hi}"),
        (BPF_PSEUDO_FUNC, _) => write!(out, "subprog[{:+}]", first.imm),
        _ => write!(out, "{:#x} ll", (u64::from(hi) << 32) | u64::from(lo)),
    };
}

#[cfg(test)]
pub(crate) mod tests;
