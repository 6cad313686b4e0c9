//! rawnet's eBPF instruction bytes against the kernel's own definition.
//!
//! The uapi headers have no eBPF instruction macros (linux/filter.h in uapi
//! holds only classic BPF's `BPF_STMT`/`BPF_JUMP`; `BPF_ALU64_IMM` and friends
//! live in the kernel's include/linux/filter.h). So a C program builds each
//! `struct bpf_insn` from the header's opcode constants with C's own bitfield
//! layout for `dst_reg:4, src_reg:4`, exactly as the kernel macros do, and
//! prints its 8 bytes; rawnet's constructors must give the same bytes. The
//! map type numbers the assembler's declarations use are checked the same way.
//!
//! Needs a C compiler and the kernel headers (linux-libc-dev), as tests/uapi.rs does.

mod common;
use common::cprobe;

use rawnet::bpf::asm::MapKind;
use rawnet::bpf::insn::{AluOp, AtomicOp, ByteOrder, Insn, JmpOp, Reg::*, Size, SwapWidth};

/// (rawnet's instruction(s), the C initializers of `struct bpf_insn`).
fn cases() -> Vec<(Vec<Insn>, &'static str)> {
    let s = |i: Insn| vec![i];
    vec![
        (
            s(Insn::mov64_imm(R0, 0)),
            "{BPF_ALU64|BPF_MOV|BPF_K, BPF_REG_0, 0, 0, 0}",
        ),
        (
            s(Insn::mov64_imm(R1, -1)),
            "{BPF_ALU64|BPF_MOV|BPF_K, BPF_REG_1, 0, 0, -1}",
        ),
        (
            s(Insn::mov64_reg(R6, R1)),
            "{BPF_ALU64|BPF_MOV|BPF_X, BPF_REG_6, BPF_REG_1, 0, 0}",
        ),
        (
            s(Insn::mov32_reg(R1, R10)),
            "{BPF_ALU|BPF_MOV|BPF_X, BPF_REG_1, BPF_REG_10, 0, 0}",
        ),
        (
            s(Insn::alu64_reg(AluOp::Add, R1, R2)),
            "{BPF_ALU64|BPF_ADD|BPF_X, 1, 2, 0, 0}",
        ),
        (
            s(Insn::alu64_imm(AluOp::Sub, R1, 4)),
            "{BPF_ALU64|BPF_SUB|BPF_K, 1, 0, 0, 4}",
        ),
        (
            s(Insn::alu32_imm(AluOp::Mul, R9, 3)),
            "{BPF_ALU|BPF_MUL|BPF_K, 9, 0, 0, 3}",
        ),
        (
            s(Insn::alu64_reg(AluOp::Div, R3, R4)),
            "{BPF_ALU64|BPF_DIV|BPF_X, 3, 4, 0, 0}",
        ),
        (
            s(Insn::alu32_reg(AluOp::Or, R3, R4)),
            "{BPF_ALU|BPF_OR|BPF_X, 3, 4, 0, 0}",
        ),
        (
            s(Insn::alu64_imm(AluOp::And, R3, 255)),
            "{BPF_ALU64|BPF_AND|BPF_K, 3, 0, 0, 255}",
        ),
        (
            s(Insn::alu64_imm(AluOp::Lsh, R3, 32)),
            "{BPF_ALU64|BPF_LSH|BPF_K, 3, 0, 0, 32}",
        ),
        (
            s(Insn::alu32_imm(AluOp::Rsh, R3, 8)),
            "{BPF_ALU|BPF_RSH|BPF_K, 3, 0, 0, 8}",
        ),
        (
            s(Insn::alu64_reg(AluOp::Mod, R3, R5)),
            "{BPF_ALU64|BPF_MOD|BPF_X, 3, 5, 0, 0}",
        ),
        (
            s(Insn::alu64_reg(AluOp::Xor, R0, R0)),
            "{BPF_ALU64|BPF_XOR|BPF_X, 0, 0, 0, 0}",
        ),
        (
            s(Insn::alu64_imm(AluOp::Arsh, R2, 1)),
            "{BPF_ALU64|BPF_ARSH|BPF_K, 2, 0, 0, 1}",
        ),
        (s(Insn::neg64(R4)), "{BPF_ALU64|BPF_NEG, 4, 0, 0, 0}"),
        (s(Insn::neg32(R4)), "{BPF_ALU|BPF_NEG, 4, 0, 0, 0}"),
        (
            s(Insn::endian(ByteOrder::Be, R0, SwapWidth::W16)),
            "{BPF_ALU|BPF_END|BPF_TO_BE, 0, 0, 0, 16}",
        ),
        (
            s(Insn::endian(ByteOrder::Le, R7, SwapWidth::W64)),
            "{BPF_ALU|BPF_END|BPF_TO_LE, 7, 0, 0, 64}",
        ),
        (
            s(Insn::jmp_reg(JmpOp::Jgt, R2, R3, 5)),
            "{BPF_JMP|BPF_JGT|BPF_X, 2, 3, 5, 0}",
        ),
        (
            s(Insn::jmp_imm(JmpOp::Jeq, R1, 2, -3)),
            "{BPF_JMP|BPF_JEQ|BPF_K, 1, 0, -3, 2}",
        ),
        (
            s(Insn::jmp32_imm(JmpOp::Jne, R1, 2, 7)),
            "{BPF_JMP32|BPF_JNE|BPF_K, 1, 0, 7, 2}",
        ),
        (
            s(Insn::jmp32_reg(JmpOp::Jge, R1, R2, 1)),
            "{BPF_JMP32|BPF_JGE|BPF_X, 1, 2, 1, 0}",
        ),
        (
            s(Insn::jmp_imm(JmpOp::Jset, R1, 4, 1)),
            "{BPF_JMP|BPF_JSET|BPF_K, 1, 0, 1, 4}",
        ),
        (
            s(Insn::jmp_reg(JmpOp::Jsgt, R1, R2, 1)),
            "{BPF_JMP|BPF_JSGT|BPF_X, 1, 2, 1, 0}",
        ),
        (
            s(Insn::jmp_reg(JmpOp::Jsge, R1, R2, 1)),
            "{BPF_JMP|BPF_JSGE|BPF_X, 1, 2, 1, 0}",
        ),
        (
            s(Insn::jmp_reg(JmpOp::Jlt, R1, R2, 1)),
            "{BPF_JMP|BPF_JLT|BPF_X, 1, 2, 1, 0}",
        ),
        (
            s(Insn::jmp_reg(JmpOp::Jle, R1, R2, 1)),
            "{BPF_JMP|BPF_JLE|BPF_X, 1, 2, 1, 0}",
        ),
        (
            s(Insn::jmp32_reg(JmpOp::Jslt, R1, R2, 1)),
            "{BPF_JMP32|BPF_JSLT|BPF_X, 1, 2, 1, 0}",
        ),
        (
            s(Insn::jmp32_imm(JmpOp::Jsle, R1, 0, 1)),
            "{BPF_JMP32|BPF_JSLE|BPF_K, 1, 0, 1, 0}",
        ),
        (s(Insn::ja(-2)), "{BPF_JMP|BPF_JA, 0, 0, -2, 0}"),
        (
            s(Insn::call(1)),
            "{BPF_JMP|BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem}",
        ),
        (
            Insn::call_helper("redirect_map").into_iter().collect(),
            "{BPF_JMP|BPF_CALL, 0, 0, 0, BPF_FUNC_redirect_map}",
        ),
        (
            Insn::call_helper("bpf_xdp_adjust_head")
                .into_iter()
                .collect(),
            "{BPF_JMP|BPF_CALL, 0, 0, 0, BPF_FUNC_xdp_adjust_head}",
        ),
        (
            s(Insn::call_local(3)),
            "{BPF_JMP|BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 3}",
        ),
        (s(Insn::exit()), "{BPF_JMP|BPF_EXIT, 0, 0, 0, 0}"),
        (
            s(Insn::ldx_mem(Size::W, R2, R1, 4)),
            "{BPF_LDX|BPF_MEM|BPF_W, 2, 1, 4, 0}",
        ),
        (
            s(Insn::ldx_mem(Size::B, R2, R1, 0)),
            "{BPF_LDX|BPF_MEM|BPF_B, 2, 1, 0, 0}",
        ),
        (
            s(Insn::ldx_mem(Size::H, R2, R1, 12)),
            "{BPF_LDX|BPF_MEM|BPF_H, 2, 1, 12, 0}",
        ),
        (
            s(Insn::ldx_mem(Size::DW, R3, R10, -16)),
            "{BPF_LDX|BPF_MEM|BPF_DW, 3, 10, -16, 0}",
        ),
        (
            s(Insn::stx_mem(Size::DW, R10, R1, -8)),
            "{BPF_STX|BPF_MEM|BPF_DW, 10, 1, -8, 0}",
        ),
        (
            s(Insn::stx_mem(Size::H, R10, R1, -2)),
            "{BPF_STX|BPF_MEM|BPF_H, 10, 1, -2, 0}",
        ),
        (
            s(Insn::st_mem(Size::W, R10, -4, 0)),
            "{BPF_ST|BPF_MEM|BPF_W, 10, 0, -4, 0}",
        ),
        (
            s(Insn::st_mem(Size::B, R10, -1, 9)),
            "{BPF_ST|BPF_MEM|BPF_B, 10, 0, -1, 9}",
        ),
        (
            s(Insn::atomic(Size::DW, AtomicOp::Add, R0, R1, 0)),
            "{BPF_STX|BPF_ATOMIC|BPF_DW, 0, 1, 0, BPF_ADD}",
        ),
        (
            s(Insn::atomic(Size::W, AtomicOp::FetchAnd, R0, R1, 8)),
            "{BPF_STX|BPF_ATOMIC|BPF_W, 0, 1, 8, BPF_AND|BPF_FETCH}",
        ),
        (
            s(Insn::atomic(Size::DW, AtomicOp::Xchg, R2, R3, 0)),
            "{BPF_STX|BPF_ATOMIC|BPF_DW, 2, 3, 0, BPF_XCHG}",
        ),
        (
            s(Insn::atomic(Size::DW, AtomicOp::CmpXchg, R2, R3, 0)),
            "{BPF_STX|BPF_ATOMIC|BPF_DW, 2, 3, 0, BPF_CMPXCHG}",
        ),
        (
            s(Insn::ld_abs(Size::B, 23)),
            "{BPF_LD|BPF_ABS|BPF_B, 0, 0, 0, 23}",
        ),
        (
            s(Insn::ld_ind(Size::H, R6, 4)),
            "{BPF_LD|BPF_IND|BPF_H, 0, 6, 0, 4}",
        ),
        (
            Insn::ld_imm64(R1, 0x1122_3344_5566_7788).to_vec(),
            "{BPF_LD|BPF_DW|BPF_IMM, 1, 0, 0, (__s32)0x55667788}, {0, 0, 0, 0, 0x11223344}",
        ),
        (
            Insn::ld_map_fd(R1, 7).to_vec(),
            "{BPF_LD|BPF_DW|BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, 7}, {0, 0, 0, 0, 0}",
        ),
        (
            Insn::ld_map_value(R2, 7, 16).to_vec(),
            "{BPF_LD|BPF_DW|BPF_IMM, 2, BPF_PSEUDO_MAP_VALUE, 0, 7}, {0, 0, 0, 0, 16}",
        ),
    ]
}

fn run_c(name: &str, body: &str) -> String {
    let c = format!(
        "#include <linux/bpf.h>\n#include <stdio.h>\n#include <string.h>\n\
         static void show(const struct bpf_insn *p, int n) {{\n\
         const unsigned char *b = (const void *)p;\n\
         for (int i = 0; i < n * 8; i++) printf(\"%02x\", b[i]);\n printf(\"\\n\"); }}\n\
         int main(void) {{\n{body}\nreturn 0; }}\n"
    );
    cprobe::run(&format!("bpf-insn-{name}"), "the bpf_insn probe", &c)
}

fn hex(insns: &[Insn]) -> String {
    rawnet::bpf::insn::encode(insns)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn instruction_bytes_match_struct_bpf_insn_built_from_the_headers() {
    let cases = cases();
    let mut body = String::new();
    for (i, (insns, c)) in cases.iter().enumerate() {
        body.push_str(&format!(
            "{{ struct bpf_insn p{i}[] = {{ {c} }}; show(p{i}, {}); }}\n",
            insns.len()
        ));
    }
    let out = run_c("bytes", &body);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), cases.len());
    for ((insns, c), theirs) in cases.iter().zip(lines) {
        assert_eq!(hex(insns), theirs, "{c}");
    }
}

#[test]
fn declared_map_types_are_the_headers_numbers() {
    let out = run_c(
        "maps",
        "printf(\"%d %d %d\\n\", BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_ARRAY, BPF_MAP_TYPE_PERCPU_ARRAY);",
    );
    let ours = format!(
        "{} {} {}\n",
        MapKind::Hash.map_type(),
        MapKind::Array.map_type(),
        MapKind::PercpuArray.map_type()
    );
    assert_eq!(out, ours);
}
