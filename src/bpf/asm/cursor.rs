//! The assembler's cursor over one line: blanks, words, registers, numbers,
//! memory operands and jump targets, each read with the column of what is
//! wrong when it is not there; and where a line's comment starts.
//!
//! Positions are byte offsets into the line, turned into 1-based character
//! columns only for errors. Nothing here indexes past the line.

use super::{AsmError, AsmErrorKind as K};
use crate::bpf::insn::{Reg, Size};

/// A cursor over one line (comment already cut).
pub(super) struct Cur<'a> {
    pub(super) s: &'a str,
    pub(super) pos: usize,
    pub(super) line: usize,
}

/// A jump's target as written.
pub(super) enum Target {
    Rel(i128),
    Label(String, usize),
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.'
}

impl<'a> Cur<'a> {
    pub(super) fn column(&self, at: usize) -> usize {
        self.s.get(..at).map_or(at, |p| p.chars().count()) + 1
    }

    pub(super) fn err(&self, at: usize, kind: K) -> AsmError {
        AsmError {
            line: self.line,
            column: self.column(at),
            kind,
        }
    }

    pub(super) fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\r') = self.s.as_bytes().get(self.pos) {
            self.pos += 1;
        }
    }

    pub(super) fn rest(&self) -> &'a str {
        self.s.get(self.pos..).unwrap_or("")
    }

    pub(super) fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.as_bytes().get(self.pos).copied()
    }

    pub(super) fn eat(&mut self, t: &str) -> bool {
        self.ws();
        if self.rest().starts_with(t) {
            self.pos += t.len();
            true
        } else {
            false
        }
    }

    /// The next word-ish thing, for messages.
    pub(super) fn found(&mut self) -> String {
        self.ws();
        let r = self.rest();
        let end = match r.bytes().position(|b| b == b' ' || b == b'\t') {
            Some(0) | None => r.len(),
            Some(n) => n,
        };
        r.chars().take(end.min(24)).collect()
    }

    pub(super) fn expected(&mut self, what: &'static str) -> AsmError {
        let found = self.found();
        self.err(self.pos, K::Expected { what, found })
    }

    pub(super) fn expect(&mut self, t: &str, what: &'static str) -> Result<(), AsmError> {
        if self.eat(t) {
            Ok(())
        } else {
            Err(self.expected(what))
        }
    }

    /// A run of `[A-Za-z0-9_.]`, with where it starts.
    pub(super) fn word(&mut self) -> Option<(usize, &'a str)> {
        self.ws();
        let start = self.pos;
        let r = self.rest();
        let n = r.bytes().take_while(|&b| is_word_byte(b)).count();
        if n == 0 {
            return None;
        }
        self.pos += n;
        Some((start, &r[..n]))
    }

    /// Whether a register comes next (without taking it).
    pub(super) fn at_reg(&mut self) -> bool {
        self.ws();
        let b = self.rest().as_bytes();
        matches!(b.first(), Some(b'r' | b'w')) && b.get(1).is_some_and(u8::is_ascii_digit)
    }

    /// `rN` or `wN`: (64-bit?, register, where).
    pub(super) fn reg(&mut self) -> Result<(bool, Reg, usize), AsmError> {
        let Some((at, w)) = self.word() else {
            return Err(self.expected("a register"));
        };
        let bad = || K::BadRegister(w.to_string());
        let wide = match w.as_bytes()[0] {
            b'r' => true,
            b'w' => false,
            _ => return Err(self.err(at, bad())),
        };
        let digits = &w[1..];
        let reg =
            (!digits.is_empty() && digits.len() <= 2 && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| digits.parse::<u8>().ok())
                .flatten()
                .and_then(Reg::new)
                .ok_or_else(|| self.err(at, bad()))?;
        Ok((wide, reg, at))
    }

    /// A 64-bit register (`rN`).
    pub(super) fn reg64(&mut self) -> Result<Reg, AsmError> {
        let (wide, r, at) = self.reg()?;
        if !wide {
            return Err(self.err(at, K::BadRegister(format!("w{}", r.number()))));
        }
        Ok(r)
    }

    /// A number: optional sign, decimal or `0x` hex.
    pub(super) fn int(&mut self) -> Result<(usize, i128), AsmError> {
        self.ws();
        let at = self.pos;
        let neg = if self.rest().starts_with('-') {
            self.pos += 1;
            true
        } else {
            if self.rest().starts_with('+') {
                self.pos += 1;
            }
            false
        };
        self.ws();
        let r = self.rest();
        let n = r.bytes().take_while(|b| b.is_ascii_alphanumeric()).count();
        let text = &r[..n];
        let value = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
            Some(hex) if !hex.is_empty() && hex.len() <= 16 => i128::from_str_radix(hex, 16).ok(),
            Some(_) => None,
            None if !text.is_empty()
                && text.len() <= 20
                && text.bytes().all(|b| b.is_ascii_digit()) =>
            {
                text.parse::<i128>().ok()
            }
            None => None,
        };
        let Some(v) = value else {
            let shown = self.s.get(at..self.pos + n).unwrap_or("").to_string();
            return Err(if shown.is_empty() {
                self.expected("a number")
            } else {
                self.err(at, K::BadNumber(shown))
            });
        };
        self.pos += n;
        Ok((at, if neg { -v } else { v }))
    }

    /// A 32-bit immediate: signed, or unsigned up to 0xffffffff (as C's
    /// `0x%x` prints a negative one).
    pub(super) fn imm32(&mut self, what: &'static str) -> Result<i32, AsmError> {
        let (at, v) = self.int()?;
        if (i128::from(i32::MIN)..=i128::from(u32::MAX)).contains(&v) {
            Ok(v as u32 as i32)
        } else {
            Err(self.err(at, K::OutOfRange { what, value: v }))
        }
    }

    pub(super) fn off16(&mut self, what: &'static str) -> Result<i16, AsmError> {
        let (at, v) = self.int()?;
        i16::try_from(v).map_err(|_| self.err(at, K::OutOfRange { what, value: v }))
    }

    pub(super) fn u32(&mut self, what: &'static str) -> Result<u32, AsmError> {
        let (at, v) = self.int()?;
        u32::try_from(v).map_err(|_| self.err(at, K::OutOfRange { what, value: v }))
    }

    /// Nothing but blanks left.
    pub(super) fn end(&mut self) -> Result<(), AsmError> {
        self.ws();
        if self.rest().is_empty() {
            Ok(())
        } else {
            Err(self.expected("the end of the statement"))
        }
    }

    /// `(u32 *)`: signed?, size.
    pub(super) fn mem_type(&mut self) -> Result<(bool, Size), AsmError> {
        self.expect("(", "`(` of a memory operand")?;
        let Some((at, ty)) = self.word() else {
            return Err(self.expected("a type (u8, u16, u32, u64)"));
        };
        let t = match ty {
            "u8" => (false, Size::B),
            "u16" => (false, Size::H),
            "u32" => (false, Size::W),
            "u64" => (false, Size::DW),
            "s8" => (true, Size::B),
            "s16" => (true, Size::H),
            "s32" => (true, Size::W),
            _ => {
                let found = ty.to_string();
                return Err(self.err(
                    at,
                    K::Expected {
                        what: "a type (u8, u16, u32, u64)",
                        found,
                    },
                ));
            }
        };
        self.expect("*", "`*)`")?;
        self.expect(")", "`)`")?;
        Ok(t)
    }

    /// `(r1 +4)`: base register and offset.
    pub(super) fn addr(&mut self) -> Result<(Reg, i16), AsmError> {
        self.expect("(", "`(` before the base register")?;
        let base = self.reg64()?;
        let off = match self.peek() {
            Some(b'+' | b'-') => self.off16("a 16-bit offset")?,
            _ => 0,
        };
        self.expect(")", "`)` after the offset")?;
        Ok((base, off))
    }

    pub(super) fn target(&mut self) -> Result<Target, AsmError> {
        self.ws();
        let r = self.rest();
        if r.starts_with("pc+") || r.starts_with("pc-") {
            self.pos += 2;
            let (_, v) = self.int()?;
            return Ok(Target::Rel(v));
        }
        match self.word() {
            Some((at, w)) if !w.as_bytes()[0].is_ascii_digit() => {
                Ok(Target::Label(w.to_string(), at))
            }
            _ => Err(self.expected("a label or pc+N")),
        }
    }
}

/// The text before a comment: `;`, `//`, or `#` at the start or after a blank.
pub(super) fn strip_comment(line: &str) -> &str {
    let b = line.as_bytes();
    for i in 0..b.len() {
        let comment = match b[i] {
            b';' => true,
            b'/' => b.get(i + 1) == Some(&b'/'),
            b'#' => i == 0 || matches!(b[i - 1], b' ' | b'\t'),
            _ => false,
        };
        if comment {
            return &line[..i];
        }
    }
    line
}
