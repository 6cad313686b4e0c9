//! The forms of `dst = ...` beyond a register or immediate move:
//! negation (`r1 = -r1`), loads (`r0 = *(u32 *)(r1 +4)`, sign-extending
//! `s8`..`s32`, the packet's `skb[...]`), sign-extending moves
//! (`r1 = (s8)r2`), byte swaps (`be16`, `le32`, `bswap64`), 64-bit
//! immediates (`r1 = 5 ll`), map references (`map NAME`, `map_value NAME`,
//! `map[id:N]`), subprogram addresses, and atomic calls
//! (`atomic64_fetch_add`, `xchg`, `cmpxchg`).

use crate::bpf::asm::cursor::Cur;
use crate::bpf::asm::{AsmError, AsmErrorKind as K};
use crate::bpf::insn::*;

use super::State;

impl State {
    /// The forms of `dst = ...` other than a plain move; false if it is one.
    pub(super) fn assignment(
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
}
