//! Instruction bytes, typed constructors and the helper table.

use super::*;
use Reg::*;

#[test]
fn bytes_of_a_slot() {
    // r2 = *(u32 *)(r1 +4): code 0x61, dst 2 low nibble, src 1 high nibble.
    let i = Insn::ldx_mem(Size::W, R2, R1, 4);
    assert_eq!(i.to_bytes(), [0x61, 0x12, 0x04, 0x00, 0, 0, 0, 0]);
    // *(u64 *)(r10 -8) = r1
    let i = Insn::stx_mem(Size::DW, R10, R1, -8);
    assert_eq!(i.to_bytes(), [0x7b, 0x1a, 0xf8, 0xff, 0, 0, 0, 0]);
    // r0 = -1
    assert_eq!(
        Insn::mov64_imm(R0, -1).to_bytes(),
        [0xb7, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]
    );
    assert_eq!(Insn::exit().to_bytes(), [0x95, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(Insn::call(1).to_bytes(), [0x85, 0, 0, 0, 1, 0, 0, 0]);
}

#[test]
fn ld_imm64_halves() {
    let [a, b] = Insn::ld_imm64(R1, 0x1122_3344_5566_7788);
    assert_eq!(a.to_bytes(), [0x18, 0x01, 0, 0, 0x88, 0x77, 0x66, 0x55]);
    assert_eq!(b.to_bytes(), [0, 0, 0, 0, 0x44, 0x33, 0x22, 0x11]);
    let [a, b] = Insn::ld_map_fd(R1, 7);
    assert_eq!((a.src, a.imm, b.imm), (BPF_PSEUDO_MAP_FD, 7, 0));
    let [a, b] = Insn::ld_map_value(R2, 7, 16);
    assert_eq!(
        (a.dst, a.src, a.imm, b.imm),
        (2, BPF_PSEUDO_MAP_VALUE, 7, 16)
    );
    assert!(a.is_ld_imm64() && !b.is_ld_imm64());
}

#[test]
fn any_bytes_round_trip() {
    for seed in 0..2000u32 {
        let mut b = [0u8; 8];
        for (k, x) in b.iter_mut().enumerate() {
            *x = (seed.wrapping_mul(2654435761).rotate_left(k as u32 * 5) >> 3) as u8;
        }
        assert_eq!(Insn::from_bytes(b).to_bytes(), b);
    }
}

#[test]
fn decode_checks_the_length() {
    let prog = [Insn::mov64_imm(R0, 2), Insn::exit()];
    let bytes = encode(&prog);
    assert_eq!(decode(&bytes).unwrap(), prog);
    assert_eq!(decode(&[]).unwrap(), vec![]);
    let e = decode(&bytes[..13]).unwrap_err();
    assert_eq!(e.to_string(), "bpf_insn: want 16 bytes, got 13");
}

#[test]
fn registers() {
    assert_eq!(Reg::new(10), Some(R10));
    assert_eq!(Reg::new(11), None);
    assert_eq!(R7.number(), 7);
    // raw keeps register fields to 4 bits
    assert_eq!(Insn::raw(0xbf, 0xff, 0xff, 0, 0).to_bytes()[1], 0xff);
}
