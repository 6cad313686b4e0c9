//! The assembler's statements by their first word: `exit`, `goto`,
//! `gotol`, `may_goto`, `call` (a helper by name or number, a kernel
//! function, a subprogram), `if ... goto`, `lock` (atomic add, and, or,
//! xor), stores (`*(u32 *)(r10 -4) = r1`), and a register's ALU operation
//! (`r1 += 8`, `w2 s>>= w3`), whose `=` forms beyond a move are in
//! `assign.rs`.

use crate::bpf::asm::cursor::Cur;
use crate::bpf::asm::{AsmError, AsmErrorKind as K};
use crate::bpf::insn::*;

use super::{Field, State};

impl State {
    pub(super) fn statement(&mut self, c: &mut Cur) -> Result<(), AsmError> {
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
}
