//! The programs that ship with rawnet (`src/bpf/programs/*.s`), compiled
//! into the binary: the assembler's corpus and the eBPF lab's programs.

use super::kinds::ProgramType;

/// One shipped program: its file name, its text and what it is loaded as.
#[derive(Debug, Clone, Copy)]
pub struct Shipped {
    /// The file's name in `src/bpf/programs/`.
    pub file: &'static str,
    /// The program's name as loaded (the file name without `.s`).
    pub name: &'static str,
    pub source: &'static str,
    pub program_type: ProgramType,
    /// The `type` word of `rawnet bpf prog load` for it.
    pub type_word: &'static str,
}

/// XDP: IPv4 packets counted per IP protocol in the array map `counts`.
pub const COUNT_PROTO: Shipped = Shipped {
    file: "count_proto.s",
    name: "count_proto",
    source: include_str!("programs/count_proto.s"),
    program_type: ProgramType::Xdp,
    type_word: "xdp",
};

/// tc direct-action: IPv4 ICMP echo requests dropped and counted in `drops`.
pub const DROP_ICMP_ECHO: Shipped = Shipped {
    file: "drop_icmp_echo.s",
    name: "drop_icmp_echo",
    source: include_str!("programs/drop_icmp_echo.s"),
    program_type: ProgramType::SchedCls,
    type_word: "tc",
};

/// A socket filter that keeps IPv4 ICMP packets (or everything, see the file).
pub const SOCKET_FILTER: Shipped = Shipped {
    file: "socket_filter.s",
    name: "socket_filter",
    source: include_str!("programs/socket_filter.s"),
    program_type: ProgramType::SocketFilter,
    type_word: "socket",
};

/// Every shipped program.
pub const ALL: [Shipped; 3] = [COUNT_PROTO, DROP_ICMP_ECHO, SOCKET_FILTER];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bpf::asm;

    #[test]
    fn every_shipped_program_assembles_and_is_named_after_its_file() {
        for p in ALL {
            let program = asm::assemble(p.source).unwrap_or_else(|e| panic!("{}: {e}", p.file));
            assert!(!program.insns.is_empty(), "{}", p.file);
            assert_eq!(p.file, format!("{}.s", p.name));
        }
        assert_eq!(COUNT_PROTO.program_type, ProgramType::Xdp);
        assert_eq!(DROP_ICMP_ECHO.program_type, ProgramType::SchedCls);
    }
}
