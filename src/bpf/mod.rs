//! eBPF by hand: the `bpf(2)` system call (the raw call and its structs in
//! `sys/bpf.rs`) and programs as values.
//!
//! - [`program`], [`map`], [`object`], [`kinds`]: programs loaded with the
//!   verifier's log, maps and their entries, pins on a bpffs, the walk over
//!   every loaded object, and the kernel's program, map and attach types.
//! - [`link`]: BPF links: programs attached through a link (tcx: a
//!   device's ingress or egress), what a link says, every link by id.
//! - [`tcx`]: a device's tcx hooks without a link: attach, detach, where a
//!   program goes among those there, and what a hook holds;
//!   [`flow_dissector`]: what a namespace's flow dissector hook holds.
//! - [`insn`]: `struct bpf_insn` as a value, its opcode constants and typed
//!   constructors, the helper table.
//! - [`disasm`]: instructions printed as the kernel's verifier log prints them.
//! - [`asm`]: that text (with labels, comments and declared maps) back to
//!   instructions.
//! - [`loader`]: an assembled program's maps created and the program loaded;
//!   [`shipped`]: the programs in `src/bpf/programs/`, compiled in.
//!
//! bpf objects are global, not per network namespace; a program or map is
//! freed when its last descriptor closes and nothing pins or attaches it.

pub mod asm;
pub mod disasm;
pub mod flow_dissector;
pub mod insn;
pub mod kinds;
pub mod link;
pub mod loader;
pub mod map;
pub mod object;
pub mod program;
pub mod shipped;
pub mod tcx;

pub use kinds::{AttachType, LinkType, MapType, ProgramType};
pub use link::{Link, LinkInfo};
pub use map::{Map, MapInfo, MapSpec, Update};
pub use object::{check_pin_path, link_ids, map_ids, maps, program_ids, programs, unpin, Kind};
pub use program::{LogLevel, Program, ProgramInfo, ProgramSpec};
pub use tcx::{TcxDirection, TcxPosition};
