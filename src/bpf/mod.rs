//! eBPF: programs as values, and (with `src/sys/bpf.rs`) the bpf(2) syscall.
//!
//! - [`insn`]: `struct bpf_insn` as a value, its opcode constants and typed
//!   constructors, the helper table.
//! - [`disasm`]: instructions printed as the kernel's verifier log prints them.
//! - [`asm`]: that text (with labels, comments and declared maps) back to
//!   instructions.

pub mod asm;
pub mod disasm;
pub mod insn;
