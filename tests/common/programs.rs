//! The smallest program the tests load: `r0 = 2; exit` (XDP_PASS for XDP),
//! of any program type, named as the test wants.

use rawnet::bpf::insn::{encode, Insn, Reg};
use rawnet::bpf::{Program, ProgramSpec, ProgramType};

/// `r0 = 2; exit` loaded as `program_type` named `name`.
pub fn returns_2(program_type: ProgramType, name: &str) -> Program {
    let r0 = Reg::new(0).expect("r0");
    let code = encode(&[Insn::mov64_imm(r0, 2), Insn::exit()]);
    Program::load(&ProgramSpec::new(program_type, name, &code)).expect("load r0 = 2; exit")
}
