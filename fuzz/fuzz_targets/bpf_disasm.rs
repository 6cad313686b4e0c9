//! Any bytes as instruction words for the disassembler: the first byte picks
//! how many relocations to invent (each naming a slot, in range or not), the
//! rest is cut into 8-byte `struct bpf_insn` words (a ragged tail dropped).
//! Every form of printing must return text, never panic: the verifier's
//! listing, the assembler's listing with and without relocations, each line
//! by itself from every slot (also the second slot of an `ld_imm64` and one
//! past the end), and each word on its own.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rawnet::bpf::insn::{self, Insn, Relocation, INSN_SIZE};
use rawnet::bpf::disasm;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, words)) = data.split_first() else {
        return;
    };
    let whole = words.len() - words.len() % INSN_SIZE;
    let Ok(insns) = insn::decode(&words[..whole]) else {
        return;
    };
    let relocations: Vec<Relocation> = (0..usize::from(pick % 4))
        .map(|n| Relocation {
            insn: words.get(n).map_or(n, |&b| usize::from(b)),
            map: format!("m{n}"),
        })
        .collect();
    let _ = disasm::verifier_listing(&insns);
    let _ = disasm::listing(&insns, &[]);
    let text = disasm::listing(&insns, &relocations);
    let count = disasm::lines(&insns, &relocations).count();
    assert!(count <= insns.len());
    assert_eq!(text.lines().count(), count);
    for pc in 0..=insns.len() {
        if let Some(line) = disasm::line_at(&insns, pc, &relocations) {
            assert!(!line.verifier().is_empty());
        }
    }
    for &i in &insns {
        let _ = disasm::insn_text(i);
        assert_eq!(Insn::from_bytes(i.to_bytes()), i);
    }
});
