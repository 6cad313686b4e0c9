//! Any bytes as assembler source (lossy UTF-8) and as instruction words: the
//! assembler returns a program or an error with its line and column, the
//! disassembler prints every 8-byte slot; an assembled program's listing
//! assembles again to the same instructions.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rawnet::bpf::{asm, disasm, insn};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(p) = asm::assemble(&text) {
        let listing = disasm::listing(&p.insns, &p.relocations);
        let decls: String = p
            .maps
            .iter()
            .map(|m| {
                format!(
                    "map {} type {} key {} value {} entries {} flags {}\n",
                    m.name,
                    m.kind.word(),
                    m.key_size,
                    m.value_size,
                    m.max_entries,
                    m.flags
                )
            })
            .collect();
        if let Ok(again) = asm::assemble(&(decls + &listing)) {
            // Slots the disassembler cannot name (raw fields it does not print)
            // may differ; the text must be stable.
            assert_eq!(disasm::listing(&again.insns, &again.relocations), listing);
        }
    }
    let whole = data.len() - data.len() % insn::INSN_SIZE;
    if let Ok(insns) = insn::decode(&data[..whole]) {
        let _ = disasm::verifier_listing(&insns);
    }
});
