//! Each instruction form printed as the kernel verifier log prints it.

use super::*;
use crate::bpf::insn::{AluOp::*, JmpOp::*, Reg::*};

fn one(i: Insn) -> String {
    insn_text(i)
}

/// Each form and the text disasm.c prints for it.
pub(crate) fn forms() -> Vec<(Vec<Insn>, &'static str)> {
    let s = |i: Insn| vec![i];
    vec![
        (s(Insn::mov64_imm(R0, 0)), "r0 = 0"),
        (s(Insn::mov64_imm(R1, -1)), "r1 = -1"),
        (s(Insn::mov64_reg(R6, R1)), "r6 = r1"),
        (s(Insn::mov32_imm(R1, 7)), "w1 = 7"),
        (s(Insn::mov32_reg(R1, R2)), "w1 = w2"),
        (s(Insn::alu64_reg(Add, R1, R2)), "r1 += r2"),
        (s(Insn::alu64_imm(Sub, R1, 4)), "r1 -= 4"),
        (s(Insn::alu64_imm(Mul, R3, 3)), "r3 *= 3"),
        (s(Insn::alu64_reg(Div, R3, R4)), "r3 /= r4"),
        (s(Insn::alu64_imm(Or, R3, 1)), "r3 |= 1"),
        (s(Insn::alu64_imm(And, R3, 255)), "r3 &= 255"),
        (s(Insn::alu64_imm(Lsh, R3, 32)), "r3 <<= 32"),
        (s(Insn::alu64_imm(Rsh, R3, 32)), "r3 >>= 32"),
        (s(Insn::alu64_reg(Mod, R3, R5)), "r3 %= r5"),
        (s(Insn::alu64_reg(Xor, R0, R0)), "r0 ^= r0"),
        (s(Insn::alu64_imm(Arsh, R2, 1)), "r2 s>>= 1"),
        (s(Insn::alu32_reg(Add, R1, R2)), "w1 += w2"),
        (s(Insn::alu32_imm(Xor, R1, -2)), "w1 ^= -2"),
        (s(Insn::neg64(R4)), "r4 = -r4"),
        (s(Insn::neg32(R4)), "w4 = -w4"),
        (
            s(Insn::endian(ByteOrder::Be, R0, SwapWidth::W16)),
            "r0 = be16 r0",
        ),
        (
            s(Insn::endian(ByteOrder::Be, R1, SwapWidth::W32)),
            "r1 = be32 r1",
        ),
        (
            s(Insn::endian(ByteOrder::Le, R1, SwapWidth::W64)),
            "r1 = le64 r1",
        ),
        (s(Insn::raw(0xd7, 2, 0, 0, 32)), "r2 = bswap32 r2"),
        (s(Insn::raw(0x3f, 1, 2, 1, 0)), "r1 s/= r2"),
        (s(Insn::raw(0x97, 1, 0, 1, 3)), "r1 s%= 3"),
        (s(Insn::raw(0xbf, 1, 2, 8, 0)), "r1 = (s8)r2"),
        (s(Insn::raw(0xbc, 1, 2, 16, 0)), "w1 = (s16)w2"),
        (s(Insn::ldx_mem(Size::W, R2, R1, 4)), "r2 = *(u32 *)(r1 +4)"),
        (s(Insn::ldx_mem(Size::B, R2, R1, 0)), "r2 = *(u8 *)(r1 +0)"),
        (
            s(Insn::ldx_mem(Size::H, R2, R1, 12)),
            "r2 = *(u16 *)(r1 +12)",
        ),
        (
            s(Insn::ldx_mem(Size::DW, R3, R10, -16)),
            "r3 = *(u64 *)(r10 -16)",
        ),
        (s(Insn::raw(0x91, 3, 1, 2, 0)), "r3 = *(s8 *)(r1 +2)"),
        (
            s(Insn::stx_mem(Size::DW, R10, R1, -8)),
            "*(u64 *)(r10 -8) = r1",
        ),
        (
            s(Insn::stx_mem(Size::B, R10, R1, -1)),
            "*(u8 *)(r10 -1) = r1",
        ),
        (s(Insn::st_mem(Size::W, R10, -4, 0)), "*(u32 *)(r10 -4) = 0"),
        (
            s(Insn::st_mem(Size::H, R10, -2, -7)),
            "*(u16 *)(r10 -2) = -7",
        ),
        (
            s(Insn::atomic(Size::DW, AtomicOp::Add, R0, R1, 0)),
            "lock *(u64 *)(r0 +0) += r1",
        ),
        (
            s(Insn::atomic(Size::W, AtomicOp::Or, R0, R1, 8)),
            "lock *(u32 *)(r0 +8) |= r1",
        ),
        (
            s(Insn::atomic(Size::DW, AtomicOp::FetchAdd, R0, R1, 0)),
            "r1 = atomic64_fetch_add((u64 *)(r0 +0), r1)",
        ),
        (
            s(Insn::atomic(Size::W, AtomicOp::FetchXor, R2, R3, -4)),
            "r3 = atomic_fetch_xor((u32 *)(r2 -4), r3)",
        ),
        (
            s(Insn::atomic(Size::DW, AtomicOp::Xchg, R2, R3, 0)),
            "r3 = atomic64_xchg((u64 *)(r2 +0), r3)",
        ),
        (
            s(Insn::atomic(Size::DW, AtomicOp::CmpXchg, R2, R3, 0)),
            "r0 = atomic64_cmpxchg((u64 *)(r2 +0), r0, r3)",
        ),
        (s(Insn::ld_abs(Size::B, 23)), "r0 = *(u8 *)skb[23]"),
        (s(Insn::ld_ind(Size::H, R6, 4)), "r0 = *(u16 *)skb[r6 + 4]"),
        (s(Insn::jmp_reg(Jgt, R2, R3, 5)), "if r2 > r3 goto pc+5"),
        (s(Insn::jmp32_imm(Jeq, R1, 2, -3)), "if w1 == 0x2 goto pc-3"),
        (
            s(Insn::jmp_imm(Jne, R0, -1, 0)),
            "if r0 != 0xffffffff goto pc+0",
        ),
        (s(Insn::jmp_imm(Jge, R1, 10, 1)), "if r1 >= 0xa goto pc+1"),
        (s(Insn::jmp_imm(Jset, R1, 4, 1)), "if r1 & 0x4 goto pc+1"),
        (s(Insn::jmp_reg(Jsgt, R1, R2, 1)), "if r1 s> r2 goto pc+1"),
        (s(Insn::jmp_reg(Jsge, R1, R2, 1)), "if r1 s>= r2 goto pc+1"),
        (s(Insn::jmp_reg(Jlt, R1, R2, 1)), "if r1 < r2 goto pc+1"),
        (s(Insn::jmp_reg(Jle, R1, R2, 1)), "if r1 <= r2 goto pc+1"),
        (s(Insn::jmp32_reg(Jslt, R1, R2, 1)), "if w1 s< w2 goto pc+1"),
        (
            s(Insn::jmp32_imm(Jsle, R1, 0, 1)),
            "if w1 s<= 0x0 goto pc+1",
        ),
        (s(Insn::ja(1)), "goto pc+1"),
        (s(Insn::ja(-2)), "goto pc-2"),
        (s(Insn::raw(0x06, 0, 0, 0, 70000)), "gotol pc+70000"),
        (s(Insn::raw(0xe5, 0, 0, 3, 0)), "may_goto pc+3"),
        (s(Insn::call(1)), "call bpf_map_lookup_elem#1"),
        (s(Insn::call(51)), "call bpf_redirect_map#51"),
        (s(Insn::call(9999)), "call unknown#9999"),
        (s(Insn::call_local(3)), "call pc+3"),
        (s(Insn::raw(0x85, 0, 2, 0, 77)), "call kernel-function#77"),
        (s(Insn::exit()), "exit"),
        (Insn::ld_imm64(R1, 0x1234).to_vec(), "r1 = 0x1234 ll"),
        (
            Insn::ld_imm64(R2, 0x1_0000_0002).to_vec(),
            "r2 = 0x100000002 ll",
        ),
        (Insn::ld_map_fd(R1, 5).to_vec(), "r1 = map[id:5]"),
        (Insn::ld_map_value(R1, 5, 8).to_vec(), "r1 = map[id:5][0]+8"),
        (
            Insn::ld_imm64_raw(R1, BPF_PSEUDO_MAP_IDX, 2).to_vec(),
            "r1 = map[idx:2]",
        ),
        (
            Insn::ld_imm64_raw(R1, BPF_PSEUDO_MAP_IDX_VALUE, (4 << 32) | 2).to_vec(),
            "r1 = map[idx:2]+4",
        ),
    ]
}

#[test]
fn each_form_prints_as_the_verifier_log() {
    for (insns, text) in forms() {
        let line = line_at(&insns, 0, &[]).unwrap();
        assert_eq!(line.text, text, "{insns:?}");
        assert_eq!(line.slots, insns.len(), "{text}");
    }
}

#[test]
fn verifier_prefix_and_listing() {
    let mut prog = vec![Insn::mov64_imm(R0, 0)];
    prog.extend(Insn::ld_imm64(R1, 7));
    prog.push(Insn::exit());
    assert_eq!(
        verifier_listing(&prog),
        "0: (b7) r0 = 0\n1: (18) r1 = 0x7 ll\n3: (95) exit\n"
    );
}

#[test]
fn relocated_maps_print_by_name() {
    let mut prog = Insn::ld_map_fd(R1, 0).to_vec();
    prog.extend(Insn::ld_map_value(R2, 0, 16));
    let relocs = [
        Relocation {
            insn: 0,
            map: "counts".into(),
        },
        Relocation {
            insn: 2,
            map: "cfg".into(),
        },
    ];
    assert_eq!(
        listing(&prog, &relocs),
        "r1 = map counts\nr2 = map_value cfg +16\n"
    );
}

#[test]
fn unknown_opcodes_and_odd_slots() {
    assert_eq!(one(Insn::raw(0xe7, 1, 0, 0, 0)), "unknown opcode e7");
    assert_eq!(one(Insn::raw(0xf5, 1, 0, 0, 0)), "unknown opcode f5");
    assert_eq!(one(Insn::raw(0x8c, 1, 0, 0, 0)), "unknown opcode 8c");
    assert_eq!(one(Insn::raw(0x99, 1, 0, 0, 0)), "unknown opcode 99");
    assert_eq!(one(Insn::raw(0x96, 0, 0, 0, 0)), "unknown opcode 96");
    // An ld_imm64 without its second slot.
    let lone = [Insn::ld_imm64(R1, 1)[0]];
    assert_eq!(
        line_at(&lone, 0, &[]).unwrap().text,
        "invalid bpf_ld_imm64 insn"
    );
    assert_eq!(line_at(&lone, 1, &[]), None);
}

#[test]
fn any_slot_prints_without_panicking() {
    let fields = [
        (0u8, 0u8, 0i16, 0i32),
        (15, 15, -1, -1),
        (1, 10, 1, 1),
        (3, 2, 8, 0xe1),
    ];
    for code in 0..=255u8 {
        for &(dst, src, off, imm) in &fields {
            let i = Insn::raw(code, dst, src, off, imm);
            let prog = [i, i];
            let text = listing(&prog, &[]);
            assert!(!text.is_empty());
        }
    }
}
