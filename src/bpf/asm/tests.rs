//! The assembler against golden listings, every error with its line and
//! column, and round trips through the disassembler.

use super::*;
use crate::bpf::disasm::listing;
use crate::bpf::insn::{decode, encode, AluOp, JmpOp, Reg::*};

fn golden(name: &str) -> String {
    let path = format!("{}/tests/golden/bpf/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The statements of a source: comments, blank lines and map declarations gone.
fn statements(src: &str) -> String {
    src.lines()
        .map(|l| l.split(';').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty() && !l.starts_with("map "))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn err(src: &str) -> (usize, usize, String) {
    let e = assemble(src).unwrap_err();
    (e.line, e.column, e.to_string())
}

#[test]
fn every_disassembled_form_assembles_back() {
    for (insns, text) in crate::bpf::disasm::tests::forms() {
        let p = assemble(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(p.insns, insns, "{text}");
    }
}

#[test]
fn forms_round_trip_through_bytes() {
    let src = golden("forms.s");
    let p = assemble(&src).unwrap();
    let back = decode(&encode(&p.insns)).unwrap();
    assert_eq!(listing(&back, &p.relocations), statements(&src));
    assert_eq!(p.maps.len(), 2);
    assert_eq!(
        p.maps[1],
        MapDecl {
            name: "flows".into(),
            kind: MapKind::Hash,
            key_size: 16,
            value_size: 16,
            max_entries: 1024,
            flags: 1,
        }
    );
    let names: Vec<&str> = p.relocations.iter().map(|r| r.map.as_str()).collect();
    assert_eq!(names, ["counts", "counts", "flows"]);
}

#[test]
fn labels_resolve_to_pc_offsets() {
    let p = assemble(&golden("count.s")).unwrap();
    // `if r3 > r2 goto pass` is insn 4; `pass:` is at 15 (ld_imm64 takes 2).
    assert_eq!(p.insns[4], Insn::jmp_reg(JmpOp::Jgt, R3, R2, 10));
    assert_eq!(p.insns[12], Insn::jmp_imm(JmpOp::Jeq, R0, 0, 2));
    assert_eq!(p.insns.len(), 17);
    assert_eq!(
        p.relocations,
        [Relocation {
            insn: 9,
            map: "counts".into()
        }]
    );
    assert_eq!(p.insns[11], Insn::call(1));
    let l = assemble(&golden("loop.s")).unwrap();
    assert_eq!(l.insns[4], Insn::jmp32_imm(JmpOp::Jne, R1, 0, -3));
    assert_eq!(l.insns[6], Insn::ja(1));
    assert_eq!(l.insns[7], Insn::mov64_imm(R0, 100));
    // Assembling the listing gives the same program.
    for name in ["count.s", "loop.s"] {
        let p = assemble(&golden(name)).unwrap();
        let text = listing(&p.insns, &p.relocations);
        let decls: String = p
            .maps
            .iter()
            .map(|m| {
                format!(
                    "map {} type {} key {} value {} entries {}\n",
                    m.name,
                    m.kind.word(),
                    m.key_size,
                    m.value_size,
                    m.max_entries
                )
            })
            .collect();
        assert_eq!(assemble(&(decls + &text)).unwrap(), p, "{name}");
    }
}

#[test]
fn comments_prefixes_and_hash_in_calls() {
    let p = assemble(
        "# comment\n  ; another\n// and another\nr0 = 1 // trailing\n\
         3: (85) call bpf_trace_printk#6 # hash after a blank\n  exit ; done",
    )
    .unwrap();
    assert_eq!(
        p.insns,
        [Insn::mov64_imm(R0, 1), Insn::call(6), Insn::exit()]
    );
    assert_eq!(assemble("call 5").unwrap().insns, [Insn::call(5)]);
    assert_eq!(
        assemble("call ktime_get_ns").unwrap().insns,
        [Insn::call(5)]
    );
    assert_eq!(
        assemble("r1 = 0xffffffff").unwrap().insns,
        [Insn::alu64_imm(AluOp::Mov, R1, -1)]
    );
    assert_eq!(
        assemble("ld_map_fd r1, m\nmap m type percpu_array key 4 value 4 entries 1")
            .unwrap()
            .relocations,
        [Relocation {
            insn: 0,
            map: "m".into()
        }]
    );
}

#[test]
fn errors_name_line_and_column() {
    assert_eq!(
        err("r0 = 0\n  frob r1"),
        (2, 3, "line 2, column 3: unknown mnemonic `frob`".into())
    );
    assert_eq!(
        err("r11 = 1"),
        (
            1,
            1,
            "line 1, column 1: bad register `r11` (r0..r10, or w0..w10 for 32 bits)".into()
        )
    );
    assert_eq!(err("r1 += r12").1, 7);
    assert_eq!(
        err("w1 += r2"),
        (
            1,
            7,
            "line 1, column 7: registers of both widths (rN and wN) in one instruction".into()
        )
    );
    assert_eq!(
        err("exit\n\ngoto nowhere"),
        (3, 6, "line 3, column 6: undefined label `nowhere`".into())
    );
    assert_eq!(
        err("a:\na: exit"),
        (2, 1, "line 2, column 1: label `a` defined twice".into())
    );
    assert_eq!(
        err("r1 = map nosuch\nexit"),
        (1, 10, "line 1, column 10: undeclared map `nosuch`".into())
    );
    assert_eq!(
        err("map m type ringbuf key 0 value 0 entries 4096"),
        (
            1,
            12,
            "line 1, column 12: unknown map type `ringbuf` (array, hash, percpu_array)".into()
        )
    );
    assert_eq!(
        err("map m type hash key 4 value 4"),
        (1, 30, "line 1, column 30: map `m` needs `entries N`".into())
    );
    assert_eq!(
        err("map m type hash key 4 value 4 entries 1\nmap m type hash key 4 value 4 entries 1").0,
        2
    );
    assert_eq!(
        err("r1 = 0x100000000"),
        (
            1,
            6,
            "line 1, column 6: 4294967296 does not fit a 32-bit immediate".into()
        )
    );
    assert_eq!(
        err("r1 = *(u32 *)(r2 +40000)"),
        (
            1,
            18,
            "line 1, column 18: 40000 does not fit a 16-bit offset".into()
        )
    );
    assert_eq!(
        err("call no_such_helper"),
        (
            1,
            6,
            "line 1, column 6: unknown helper `no_such_helper`".into()
        )
    );
    assert_eq!(
        err("call bpf_map_lookup_elem#2").2,
        "line 1, column 6: expected the helper's own id, found `bpf_map_lookup_elem#2`"
    );
    assert_eq!(
        err("if r1 ~ r2 goto pc+1").2,
        "line 1, column 7: expected a comparison (==, !=, >, >=, <, <=, s>, s>=, s<, s<=, &), found `~`"
    );
    assert_eq!(
        err("exit now").2,
        "line 1, column 6: expected the end of the statement, found `now`"
    );
    assert_eq!(err("r1 = 12x").2, "line 1, column 6: bad number `12x`");
    assert_eq!(
        err("r1 =").2,
        "line 1, column 5: expected a number, found the end of the line"
    );
    assert_eq!(
        err("w1 = *(u32 *)(r1 +0)").2,
        "line 1, column 1: bad register `w1` (r0..r10, or w0..w10 for 32 bits)"
    );
}

#[test]
fn label_jumps_out_of_range() {
    let mut src = String::from("goto far\n");
    for _ in 0..40_000 {
        src.push_str("r0 = 0\n");
    }
    src.push_str("far: exit\n");
    assert_eq!(
        err(&src),
        (
            1,
            6,
            "line 1, column 6: jump to `far` out of range (offset 40000)".into()
        )
    );
    // gotol has 32 bits.
    let p = assemble(&src.replacen("goto far", "gotol far", 1)).unwrap();
    assert_eq!(p.insns[0].imm, 40_000);
    assert_eq!(
        err("goto pc+40000").2,
        "line 1, column 14: 40000 does not fit a jump offset"
    );
}

#[test]
fn odd_text_is_an_error_not_a_panic() {
    for s in [
        "",
        "\n\n",
        "r",
        "r1",
        "r1 =",
        "*",
        "*(",
        "*(u8",
        "*(u8 *)(",
        "*(u8 *)(r1",
        "lock",
        "lock *(u16 *)(r1 +0) += r2",
        "call",
        "call pc+",
        "if",
        "if r1",
        "if r1 ==",
        "if r1 == 1 goto",
        "map",
        "map m",
        "map m type",
        "r1 = map",
        "r1 = map[",
        "r1 = map[id:",
        "r1 = atomic64_xchg(",
        "r1 = be",
        "r1 = be16",
        "r1 = be16 r2",
        "é:",
        "r1 = -",
        "r1 = 0x",
        "r1 = -0x8000000000000000 ll",
        "r1 = (s8)",
        "1:",
        "1: (zz)",
        ":",
        "r1 = *(u64 *)skb[0]",
        "r1 = subprog[",
        "gotol pc+99999999999",
        "ld_map_fd",
        "ld_map_fd r1,",
    ] {
        let _ = assemble(s);
    }
    assert_eq!(assemble("").unwrap(), Program::default());
}
