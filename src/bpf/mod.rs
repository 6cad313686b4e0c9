//! eBPF through the `bpf(2)` system call, by hand: programs loaded with the
//! verifier's log, maps and their entries, pins on a bpffs, and the walk over
//! every loaded object. The raw call and its structs live in `sys/bpf.rs`.
//!
//! bpf objects are global, not per network namespace; a program or map is
//! freed when its last descriptor closes and nothing pins or attaches it.

pub mod kinds;
pub mod map;
pub mod object;
pub mod program;

pub use kinds::{AttachType, MapType, ProgramType};
pub use map::{Map, MapInfo, MapSpec, Update};
pub use object::{map_ids, maps, program_ids, programs, unpin, Kind};
pub use program::{LogLevel, Program, ProgramInfo, ProgramSpec};
