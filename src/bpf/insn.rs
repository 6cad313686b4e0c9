//! eBPF instructions as values: `struct bpf_insn` and its encoding.
//!
//! [`Insn`] is one 8-byte slot: `code`, the two 4-bit register numbers, a
//! signed 16-bit offset and a signed 32-bit immediate. On the wire (and in
//! `BPF_PROG_LOAD`'s `insns`) the slot is little-endian on this host, with
//! `dst_reg` in the low nibble of byte 1 and `src_reg` in the high nibble,
//! the C bitfield layout of a little-endian machine. Constructors mirror the
//! kernel's `BPF_*` instruction macros (`BPF_ALU64_IMM`, `BPF_LDX_MEM`,
//! `BPF_LD_MAP_FD`, `BPF_EMIT_CALL`, ...) with typed operands, so a built
//! instruction always has valid register numbers. Decoding accepts any
//! bytes: meaning is the disassembler's business.
//!
//! The opcode constants are the kernel's (`linux/bpf_common.h`, `linux/bpf.h`);
//! tests/uapi_constants.rs checks each against the headers.

pub mod helper;

pub use helper::{helper_id, helper_name, HELPER_NAMES};

use crate::error::{DecodeError, Problem};

// Instruction classes (`BPF_CLASS(code)`, the low 3 bits).
pub const BPF_LD: u8 = 0x00;
pub const BPF_LDX: u8 = 0x01;
pub const BPF_ST: u8 = 0x02;
pub const BPF_STX: u8 = 0x03;
pub const BPF_ALU: u8 = 0x04;
pub const BPF_JMP: u8 = 0x05;
/// Classic BPF's return; eBPF reuses the class number for `BPF_JMP32`.
pub const BPF_RET: u8 = 0x06;
pub const BPF_JMP32: u8 = 0x06;
pub const BPF_ALU64: u8 = 0x07;

// Access sizes (`BPF_SIZE(code)`).
pub const BPF_W: u8 = 0x00;
pub const BPF_H: u8 = 0x08;
pub const BPF_B: u8 = 0x10;
pub const BPF_DW: u8 = 0x18;

// Modes of loads and stores (`BPF_MODE(code)`).
pub const BPF_IMM: u8 = 0x00;
pub const BPF_ABS: u8 = 0x20;
pub const BPF_IND: u8 = 0x40;
pub const BPF_MEM: u8 = 0x60;
/// Classic BPF's `ldx 4*([k]&0xf)`.
pub const BPF_MSH: u8 = 0xa0;
pub const BPF_ATOMIC: u8 = 0xc0;
/// Sign-extending load (kernel 6.6; not in the installed 6.1 headers).
pub const BPF_MEMSX: u8 = 0x80;

// ALU operations (`BPF_OP(code)`).
pub const BPF_ADD: u8 = 0x00;
pub const BPF_SUB: u8 = 0x10;
pub const BPF_MUL: u8 = 0x20;
pub const BPF_DIV: u8 = 0x30;
pub const BPF_OR: u8 = 0x40;
pub const BPF_AND: u8 = 0x50;
pub const BPF_LSH: u8 = 0x60;
pub const BPF_RSH: u8 = 0x70;
pub const BPF_NEG: u8 = 0x80;
pub const BPF_MOD: u8 = 0x90;
pub const BPF_XOR: u8 = 0xa0;
pub const BPF_MOV: u8 = 0xb0;
pub const BPF_ARSH: u8 = 0xc0;
pub const BPF_END: u8 = 0xd0;

// Byte order of `BPF_END` (in the source bit).
pub const BPF_TO_LE: u8 = 0x00;
pub const BPF_TO_BE: u8 = 0x08;

// Jump operations (`BPF_OP(code)`).
pub const BPF_JA: u8 = 0x00;
pub const BPF_JEQ: u8 = 0x10;
pub const BPF_JGT: u8 = 0x20;
pub const BPF_JGE: u8 = 0x30;
pub const BPF_JSET: u8 = 0x40;
pub const BPF_JNE: u8 = 0x50;
pub const BPF_JSGT: u8 = 0x60;
pub const BPF_JSGE: u8 = 0x70;
pub const BPF_CALL: u8 = 0x80;
pub const BPF_EXIT: u8 = 0x90;
pub const BPF_JLT: u8 = 0xa0;
pub const BPF_JLE: u8 = 0xb0;
pub const BPF_JSLT: u8 = 0xc0;
pub const BPF_JSLE: u8 = 0xd0;
/// `may_goto` and friends (kernel 6.9; not in the installed 6.1 headers).
pub const BPF_JCOND: u8 = 0xe0;

// Operand source (`BPF_SRC(code)`).
pub const BPF_K: u8 = 0x00;
pub const BPF_X: u8 = 0x08;

/// Atomic operations carry this bit in `imm` when they return the old value.
pub const BPF_FETCH: i32 = 0x01;
pub const BPF_XCHG: i32 = 0xe0 | BPF_FETCH;
pub const BPF_CMPXCHG: i32 = 0xf0 | BPF_FETCH;

// `src_reg` of the first `ld_imm64` slot: what `imm` means.
/// `imm` is a map's file descriptor; the kernel puts the map's address there.
pub const BPF_PSEUDO_MAP_FD: u8 = 1;
/// `imm` is a map's fd and the second slot's `imm` an offset into its value.
pub const BPF_PSEUDO_MAP_VALUE: u8 = 2;
pub const BPF_PSEUDO_BTF_ID: u8 = 3;
pub const BPF_PSEUDO_FUNC: u8 = 4;
/// `imm` is an index into `fd_array` rather than an fd.
pub const BPF_PSEUDO_MAP_IDX: u8 = 5;
pub const BPF_PSEUDO_MAP_IDX_VALUE: u8 = 6;

// `src_reg` of a call: what `imm` means.
/// A call to a function of the same program, `imm` instructions away.
pub const BPF_PSEUDO_CALL: u8 = 1;
pub const BPF_PSEUDO_KFUNC_CALL: u8 = 2;

/// `off` of `r1 = r2` (ALU64 MOV X) making it an arena address-space cast
/// (kernel 6.9; not in the installed 6.1 headers).
pub const BPF_ADDR_SPACE_CAST: i16 = 1;

/// The size of one instruction slot, `sizeof(struct bpf_insn)`.
pub const INSN_SIZE: usize = 8;

/// One instruction slot, `struct bpf_insn`.
///
/// `dst` and `src` are the raw 4-bit register fields (0..=15): a decoded slot
/// may name registers that do not exist; the constructors only name r0..r10.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Insn {
    pub code: u8,
    pub dst: u8,
    pub src: u8,
    pub off: i16,
    pub imm: i32,
}

/// A register, r0..r10 (r10 is the read-only frame pointer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Reg {
    R0 = 0,
    R1,
    R2,
    R3,
    R4,
    R5,
    R6,
    R7,
    R8,
    R9,
    R10,
}

impl Reg {
    /// Register `n`, if `n` names one (0..=10).
    pub fn new(n: u8) -> Option<Reg> {
        use Reg::*;
        [R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10]
            .get(usize::from(n))
            .copied()
    }

    pub fn number(self) -> u8 {
        self as u8
    }
}

/// Width of a memory access (`BPF_W`, `BPF_H`, `BPF_B`, `BPF_DW`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Size {
    B,
    H,
    W,
    DW,
}

impl Size {
    pub fn code(self) -> u8 {
        match self {
            Size::B => BPF_B,
            Size::H => BPF_H,
            Size::W => BPF_W,
            Size::DW => BPF_DW,
        }
    }

    /// The size bits of an opcode (`BPF_SIZE(code)`).
    pub fn of(code: u8) -> Size {
        match code & 0x18 {
            BPF_B => Size::B,
            BPF_H => Size::H,
            BPF_W => Size::W,
            _ => Size::DW,
        }
    }

    /// The C type the verifier log prints for an access of this size.
    pub fn c_type(self) -> &'static str {
        match self {
            Size::B => "u8",
            Size::H => "u16",
            Size::W => "u32",
            Size::DW => "u64",
        }
    }
}

/// An ALU operation with two operands (`neg` and `end` have their own constructors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AluOp {
    Add,
    Sub,
    Mul,
    Div,
    Or,
    And,
    Lsh,
    Rsh,
    Mod,
    Xor,
    Mov,
    Arsh,
}

impl AluOp {
    pub fn code(self) -> u8 {
        match self {
            AluOp::Add => BPF_ADD,
            AluOp::Sub => BPF_SUB,
            AluOp::Mul => BPF_MUL,
            AluOp::Div => BPF_DIV,
            AluOp::Or => BPF_OR,
            AluOp::And => BPF_AND,
            AluOp::Lsh => BPF_LSH,
            AluOp::Rsh => BPF_RSH,
            AluOp::Mod => BPF_MOD,
            AluOp::Xor => BPF_XOR,
            AluOp::Mov => BPF_MOV,
            AluOp::Arsh => BPF_ARSH,
        }
    }
}

/// A conditional jump's comparison (and `Ja`, the unconditional one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JmpOp {
    Ja,
    Jeq,
    Jgt,
    Jge,
    Jset,
    Jne,
    Jsgt,
    Jsge,
    Jlt,
    Jle,
    Jslt,
    Jsle,
}

impl JmpOp {
    pub fn code(self) -> u8 {
        match self {
            JmpOp::Ja => BPF_JA,
            JmpOp::Jeq => BPF_JEQ,
            JmpOp::Jgt => BPF_JGT,
            JmpOp::Jge => BPF_JGE,
            JmpOp::Jset => BPF_JSET,
            JmpOp::Jne => BPF_JNE,
            JmpOp::Jsgt => BPF_JSGT,
            JmpOp::Jsge => BPF_JSGE,
            JmpOp::Jlt => BPF_JLT,
            JmpOp::Jle => BPF_JLE,
            JmpOp::Jslt => BPF_JSLT,
            JmpOp::Jsle => BPF_JSLE,
        }
    }
}

/// Byte order of an endianness conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ByteOrder {
    Le,
    Be,
}

/// How many bits an endianness conversion keeps (the instruction's `imm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SwapWidth {
    W16,
    W32,
    W64,
}

impl SwapWidth {
    pub fn bits(self) -> i32 {
        match self {
            SwapWidth::W16 => 16,
            SwapWidth::W32 => 32,
            SwapWidth::W64 => 64,
        }
    }
}

/// An atomic read-modify-write (`BPF_STX | BPF_ATOMIC`, the operation in `imm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AtomicOp {
    Add,
    And,
    Or,
    Xor,
    FetchAdd,
    FetchAnd,
    FetchOr,
    FetchXor,
    /// `src = xchg(*(dst + off), src)`.
    Xchg,
    /// `r0 = cmpxchg(*(dst + off), r0, src)`.
    CmpXchg,
}

impl AtomicOp {
    pub fn imm(self) -> i32 {
        let op = |c: u8| i32::from(c);
        match self {
            AtomicOp::Add => op(BPF_ADD),
            AtomicOp::And => op(BPF_AND),
            AtomicOp::Or => op(BPF_OR),
            AtomicOp::Xor => op(BPF_XOR),
            AtomicOp::FetchAdd => op(BPF_ADD) | BPF_FETCH,
            AtomicOp::FetchAnd => op(BPF_AND) | BPF_FETCH,
            AtomicOp::FetchOr => op(BPF_OR) | BPF_FETCH,
            AtomicOp::FetchXor => op(BPF_XOR) | BPF_FETCH,
            AtomicOp::Xchg => BPF_XCHG,
            AtomicOp::CmpXchg => BPF_CMPXCHG,
        }
    }
}

impl Insn {
    /// A slot from its raw fields; `dst` and `src` are kept to 4 bits.
    pub const fn raw(code: u8, dst: u8, src: u8, off: i16, imm: i32) -> Insn {
        Insn {
            code,
            dst: dst & 0x0f,
            src: src & 0x0f,
            off,
            imm,
        }
    }

    fn regs(code: u8, dst: Reg, src: Reg, off: i16, imm: i32) -> Insn {
        Insn::raw(code, dst as u8, src as u8, off, imm)
    }

    /// The class bits (`BPF_CLASS(code)`).
    pub fn class(self) -> u8 {
        self.code & 0x07
    }

    /// The 8 bytes of this slot, as the kernel reads them on this host.
    pub fn to_bytes(self) -> [u8; INSN_SIZE] {
        let mut b = [0u8; INSN_SIZE];
        b[0] = self.code;
        b[1] = (self.src << 4) | (self.dst & 0x0f);
        b[2..4].copy_from_slice(&self.off.to_le_bytes());
        b[4..8].copy_from_slice(&self.imm.to_le_bytes());
        b
    }

    /// A slot from its 8 bytes (any bytes are a slot).
    pub fn from_bytes(b: [u8; INSN_SIZE]) -> Insn {
        Insn {
            code: b[0],
            dst: b[1] & 0x0f,
            src: b[1] >> 4,
            off: i16::from_le_bytes([b[2], b[3]]),
            imm: i32::from_le_bytes([b[4], b[5], b[6], b[7]]),
        }
    }

    // ---- ALU and ALU64 ----

    /// `dst op= imm` on 64 bits (`BPF_ALU64_IMM`).
    pub fn alu64_imm(op: AluOp, dst: Reg, imm: i32) -> Insn {
        Insn::regs(BPF_ALU64 | op.code() | BPF_K, dst, Reg::R0, 0, imm)
    }

    /// `dst op= src` on 64 bits (`BPF_ALU64_REG`).
    pub fn alu64_reg(op: AluOp, dst: Reg, src: Reg) -> Insn {
        Insn::regs(BPF_ALU64 | op.code() | BPF_X, dst, src, 0, 0)
    }

    /// `wdst op= imm` on the low 32 bits, zero-extended (`BPF_ALU32_IMM`).
    pub fn alu32_imm(op: AluOp, dst: Reg, imm: i32) -> Insn {
        Insn::regs(BPF_ALU | op.code() | BPF_K, dst, Reg::R0, 0, imm)
    }

    /// `wdst op= wsrc` (`BPF_ALU32_REG`).
    pub fn alu32_reg(op: AluOp, dst: Reg, src: Reg) -> Insn {
        Insn::regs(BPF_ALU | op.code() | BPF_X, dst, src, 0, 0)
    }

    /// `dst = imm`, sign-extended to 64 bits (`BPF_MOV64_IMM`).
    pub fn mov64_imm(dst: Reg, imm: i32) -> Insn {
        Insn::alu64_imm(AluOp::Mov, dst, imm)
    }

    /// `dst = src` (`BPF_MOV64_REG`).
    pub fn mov64_reg(dst: Reg, src: Reg) -> Insn {
        Insn::alu64_reg(AluOp::Mov, dst, src)
    }

    /// `wdst = imm` (`BPF_MOV32_IMM`).
    pub fn mov32_imm(dst: Reg, imm: i32) -> Insn {
        Insn::alu32_imm(AluOp::Mov, dst, imm)
    }

    /// `wdst = wsrc` (`BPF_MOV32_REG`).
    pub fn mov32_reg(dst: Reg, src: Reg) -> Insn {
        Insn::alu32_reg(AluOp::Mov, dst, src)
    }

    /// `dst = -dst`.
    pub fn neg64(dst: Reg) -> Insn {
        Insn::regs(BPF_ALU64 | BPF_NEG, dst, Reg::R0, 0, 0)
    }

    /// `wdst = -wdst`.
    pub fn neg32(dst: Reg) -> Insn {
        Insn::regs(BPF_ALU | BPF_NEG, dst, Reg::R0, 0, 0)
    }

    /// `dst = be16 dst` and friends (`BPF_ENDIAN`): convert the low `width`
    /// bits between host order and `order`, zeroing the rest.
    pub fn endian(order: ByteOrder, dst: Reg, width: SwapWidth) -> Insn {
        let to = match order {
            ByteOrder::Le => BPF_TO_LE,
            ByteOrder::Be => BPF_TO_BE,
        };
        Insn::regs(BPF_ALU | BPF_END | to, dst, Reg::R0, 0, width.bits())
    }

    // ---- JMP and JMP32 ----

    /// `if dst op imm goto pc+off` on 64 bits (`BPF_JMP_IMM`).
    pub fn jmp_imm(op: JmpOp, dst: Reg, imm: i32, off: i16) -> Insn {
        Insn::regs(BPF_JMP | op.code() | BPF_K, dst, Reg::R0, off, imm)
    }

    /// `if dst op src goto pc+off` (`BPF_JMP_REG`).
    pub fn jmp_reg(op: JmpOp, dst: Reg, src: Reg, off: i16) -> Insn {
        Insn::regs(BPF_JMP | op.code() | BPF_X, dst, src, off, 0)
    }

    /// `if wdst op imm goto pc+off` (`BPF_JMP32_IMM`).
    pub fn jmp32_imm(op: JmpOp, dst: Reg, imm: i32, off: i16) -> Insn {
        Insn::regs(BPF_JMP32 | op.code() | BPF_K, dst, Reg::R0, off, imm)
    }

    /// `if wdst op wsrc goto pc+off` (`BPF_JMP32_REG`).
    pub fn jmp32_reg(op: JmpOp, dst: Reg, src: Reg, off: i16) -> Insn {
        Insn::regs(BPF_JMP32 | op.code() | BPF_X, dst, src, off, 0)
    }

    /// `goto pc+off` (`BPF_JMP_A`).
    pub fn ja(off: i16) -> Insn {
        Insn::raw(BPF_JMP | BPF_JA, 0, 0, off, 0)
    }

    /// `call` of helper number `id` (`BPF_EMIT_CALL`).
    pub fn call(id: i32) -> Insn {
        Insn::raw(BPF_JMP | BPF_CALL, 0, 0, 0, id)
    }

    /// `call` of a helper by name (`bpf_map_lookup_elem` or `map_lookup_elem`).
    pub fn call_helper(name: &str) -> Option<Insn> {
        helper_id(name).map(Insn::call)
    }

    /// `call pc+off`: a function of the same program (`BPF_PSEUDO_CALL`).
    pub fn call_local(off: i32) -> Insn {
        Insn::raw(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, off)
    }

    /// `exit` (`BPF_EXIT_INSN`): return r0.
    pub fn exit() -> Insn {
        Insn::raw(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
    }

    // ---- loads and stores ----

    /// `dst = *(size *)(src + off)` (`BPF_LDX_MEM`).
    pub fn ldx_mem(size: Size, dst: Reg, src: Reg, off: i16) -> Insn {
        Insn::regs(BPF_LDX | size.code() | BPF_MEM, dst, src, off, 0)
    }

    /// `*(size *)(dst + off) = src` (`BPF_STX_MEM`).
    pub fn stx_mem(size: Size, dst: Reg, src: Reg, off: i16) -> Insn {
        Insn::regs(BPF_STX | size.code() | BPF_MEM, dst, src, off, 0)
    }

    /// `*(size *)(dst + off) = imm` (`BPF_ST_MEM`).
    pub fn st_mem(size: Size, dst: Reg, off: i16, imm: i32) -> Insn {
        Insn::regs(BPF_ST | size.code() | BPF_MEM, dst, Reg::R0, off, imm)
    }

    /// An atomic operation on `*(size *)(dst + off)` with `src` (`BPF_ATOMIC_OP`);
    /// the kernel takes `Size::W` and `Size::DW` only.
    pub fn atomic(size: Size, op: AtomicOp, dst: Reg, src: Reg, off: i16) -> Insn {
        Insn::regs(BPF_STX | size.code() | BPF_ATOMIC, dst, src, off, op.imm())
    }

    /// `r0 = *(size *)skb[imm]`: the legacy packet load (`BPF_LD_ABS`).
    pub fn ld_abs(size: Size, imm: i32) -> Insn {
        Insn::raw(BPF_LD | size.code() | BPF_ABS, 0, 0, 0, imm)
    }

    /// `r0 = *(size *)skb[src + imm]` (`BPF_LD_IND`).
    pub fn ld_ind(size: Size, src: Reg, imm: i32) -> Insn {
        Insn::regs(BPF_LD | size.code() | BPF_IND, Reg::R0, src, 0, imm)
    }

    // ---- ld_imm64: two slots ----

    /// `dst = imm ll` with `src_reg` `pseudo` and the two halves of `imm`
    /// (`BPF_LD_IMM64_RAW`): low 32 bits in the first slot, high in the second.
    pub fn ld_imm64_raw(dst: Reg, pseudo: u8, imm: u64) -> [Insn; 2] {
        [
            Insn::raw(
                BPF_LD | BPF_DW | BPF_IMM,
                dst as u8,
                pseudo,
                0,
                imm as u32 as i32,
            ),
            Insn::raw(0, 0, 0, 0, (imm >> 32) as u32 as i32),
        ]
    }

    /// `dst = imm ll` (`BPF_LD_IMM64`).
    pub fn ld_imm64(dst: Reg, imm: u64) -> [Insn; 2] {
        Insn::ld_imm64_raw(dst, 0, imm)
    }

    /// `dst = map[fd]`: the map's address, resolved by the kernel at load
    /// (`BPF_LD_MAP_FD`).
    pub fn ld_map_fd(dst: Reg, fd: i32) -> [Insn; 2] {
        Insn::ld_imm64_raw(dst, BPF_PSEUDO_MAP_FD, fd as u32 as u64)
    }

    /// `dst = &map[fd].value + off`: an address inside an array map's value
    /// (`BPF_LD_MAP_VALUE`).
    pub fn ld_map_value(dst: Reg, fd: i32, off: u32) -> [Insn; 2] {
        Insn::ld_imm64_raw(
            dst,
            BPF_PSEUDO_MAP_VALUE,
            (u64::from(off) << 32) | u64::from(fd as u32),
        )
    }

    /// Whether this slot starts an `ld_imm64` (and so has a second slot).
    pub fn is_ld_imm64(self) -> bool {
        self.code == BPF_LD | BPF_DW | BPF_IMM
    }
}

/// A map reference for the loader: the `ld_imm64` at `insn` (its first
/// slot) names map `map`, whose fd goes into that slot's `imm` before load.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Relocation {
    pub insn: usize,
    pub map: String,
}

/// Instructions from their bytes; the length must be a multiple of 8.
pub fn decode(bytes: &[u8]) -> Result<Vec<Insn>, DecodeError> {
    if bytes.len() % INSN_SIZE != 0 {
        return Err(DecodeError::new(
            "bpf_insn",
            Problem::Length {
                want: (bytes.len() / INSN_SIZE + 1) * INSN_SIZE,
                got: bytes.len(),
            },
        ));
    }
    Ok(bytes
        .chunks_exact(INSN_SIZE)
        .map(|c| {
            let mut b = [0u8; INSN_SIZE];
            b.copy_from_slice(c);
            Insn::from_bytes(b)
        })
        .collect())
}

/// The bytes of a program, as `BPF_PROG_LOAD` takes them.
pub fn encode(insns: &[Insn]) -> Vec<u8> {
    insns.iter().flat_map(|i| i.to_bytes()).collect()
}

#[cfg(test)]
mod tests;
