//! The kernel's numbered kinds of bpf objects: program types
//! (`enum bpf_prog_type`), map types (`enum bpf_map_type`) and attach types
//! (`enum bpf_attach_type`), each with the kernel's number, the kernel's name
//! and the short name bpftool prints (`xdp`, `sched_cls`, `array`).
//!
//! A number rawnet does not name is kept as `Other(n)`: a kernel newer than
//! this code never makes reading an object fail. `from_number` is the only
//! way in from the kernel and returns the named variant whenever there is
//! one. The numbers are checked against `linux/bpf.h` in a test.

use std::fmt;

macro_rules! kernel_kind {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $var:ident = $num:literal, $kname:literal, $short:literal; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $var, )*
            /// A number rawnet has no name for.
            Other(u32),
        }

        impl $name {
            /// Every named kind, in the kernel's order.
            pub const ALL: &'static [$name] = &[$($name::$var),*];

            /// The kernel's number.
            pub const fn number(self) -> u32 {
                match self {
                    $( $name::$var => $num, )*
                    $name::Other(n) => n,
                }
            }

            /// The kind the kernel means by `n`.
            pub const fn from_number(n: u32) -> Self {
                match n {
                    $( $num => $name::$var, )*
                    n => $name::Other(n),
                }
            }

            /// The kernel's name (`BPF_PROG_TYPE_XDP`); `""` for `Other`.
            pub const fn kernel_name(self) -> &'static str {
                match self {
                    $( $name::$var => $kname, )*
                    $name::Other(_) => "",
                }
            }

            /// bpftool's short name (`xdp`); `None` for `Other`.
            pub const fn name(self) -> Option<&'static str> {
                match self {
                    $( $name::$var => Some($short), )*
                    $name::Other(_) => None,
                }
            }

            /// The kind whose short name is `name`.
            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|k| k.name() == Some(name))
            }
        }

        impl fmt::Display for $name {
            /// The short name, or the number for a kind rawnet does not name.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.name() {
                    Some(s) => f.write_str(s),
                    None => write!(f, "{}", self.number()),
                }
            }
        }
    };
}

kernel_kind! {
    /// `enum bpf_prog_type`: what a program is for, which decides its context,
    /// its helpers and where it can be attached.
    ProgramType {
        SocketFilter = 1, "BPF_PROG_TYPE_SOCKET_FILTER", "socket_filter";
        Kprobe = 2, "BPF_PROG_TYPE_KPROBE", "kprobe";
        /// A tc classifier (`cls_bpf`, tcx).
        SchedCls = 3, "BPF_PROG_TYPE_SCHED_CLS", "sched_cls";
        SchedAct = 4, "BPF_PROG_TYPE_SCHED_ACT", "sched_act";
        Tracepoint = 5, "BPF_PROG_TYPE_TRACEPOINT", "tracepoint";
        Xdp = 6, "BPF_PROG_TYPE_XDP", "xdp";
        PerfEvent = 7, "BPF_PROG_TYPE_PERF_EVENT", "perf_event";
        CgroupSkb = 8, "BPF_PROG_TYPE_CGROUP_SKB", "cgroup_skb";
        CgroupSock = 9, "BPF_PROG_TYPE_CGROUP_SOCK", "cgroup_sock";
        LwtIn = 10, "BPF_PROG_TYPE_LWT_IN", "lwt_in";
        LwtOut = 11, "BPF_PROG_TYPE_LWT_OUT", "lwt_out";
        LwtXmit = 12, "BPF_PROG_TYPE_LWT_XMIT", "lwt_xmit";
        SockOps = 13, "BPF_PROG_TYPE_SOCK_OPS", "sock_ops";
        SkSkb = 14, "BPF_PROG_TYPE_SK_SKB", "sk_skb";
        CgroupDevice = 15, "BPF_PROG_TYPE_CGROUP_DEVICE", "cgroup_device";
        SkMsg = 16, "BPF_PROG_TYPE_SK_MSG", "sk_msg";
        RawTracepoint = 17, "BPF_PROG_TYPE_RAW_TRACEPOINT", "raw_tracepoint";
        Tracing = 26, "BPF_PROG_TYPE_TRACING", "tracing";
        StructOps = 27, "BPF_PROG_TYPE_STRUCT_OPS", "struct_ops";
        Ext = 28, "BPF_PROG_TYPE_EXT", "ext";
        Lsm = 29, "BPF_PROG_TYPE_LSM", "lsm";
        Syscall = 31, "BPF_PROG_TYPE_SYSCALL", "syscall";
    }
}

kernel_kind! {
    /// `enum bpf_map_type`: how a map stores its entries.
    MapType {
        Hash = 1, "BPF_MAP_TYPE_HASH", "hash";
        Array = 2, "BPF_MAP_TYPE_ARRAY", "array";
        ProgArray = 3, "BPF_MAP_TYPE_PROG_ARRAY", "prog_array";
        PerfEventArray = 4, "BPF_MAP_TYPE_PERF_EVENT_ARRAY", "perf_event_array";
        /// One value per possible CPU for each key.
        PercpuHash = 5, "BPF_MAP_TYPE_PERCPU_HASH", "percpu_hash";
        /// One value per possible CPU for each index.
        PercpuArray = 6, "BPF_MAP_TYPE_PERCPU_ARRAY", "percpu_array";
        StackTrace = 7, "BPF_MAP_TYPE_STACK_TRACE", "stack_trace";
        CgroupArray = 8, "BPF_MAP_TYPE_CGROUP_ARRAY", "cgroup_array";
        LruHash = 9, "BPF_MAP_TYPE_LRU_HASH", "lru_hash";
        LruPercpuHash = 10, "BPF_MAP_TYPE_LRU_PERCPU_HASH", "lru_percpu_hash";
        LpmTrie = 11, "BPF_MAP_TYPE_LPM_TRIE", "lpm_trie";
        ArrayOfMaps = 12, "BPF_MAP_TYPE_ARRAY_OF_MAPS", "array_of_maps";
        HashOfMaps = 13, "BPF_MAP_TYPE_HASH_OF_MAPS", "hash_of_maps";
        Devmap = 14, "BPF_MAP_TYPE_DEVMAP", "devmap";
        Sockmap = 15, "BPF_MAP_TYPE_SOCKMAP", "sockmap";
        Cpumap = 16, "BPF_MAP_TYPE_CPUMAP", "cpumap";
        Xskmap = 17, "BPF_MAP_TYPE_XSKMAP", "xskmap";
        Sockhash = 18, "BPF_MAP_TYPE_SOCKHASH", "sockhash";
        PercpuCgroupStorage = 21, "BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE", "percpu_cgroup_storage";
        Queue = 22, "BPF_MAP_TYPE_QUEUE", "queue";
        Stack = 23, "BPF_MAP_TYPE_STACK", "stack";
        DevmapHash = 25, "BPF_MAP_TYPE_DEVMAP_HASH", "devmap_hash";
        Ringbuf = 27, "BPF_MAP_TYPE_RINGBUF", "ringbuf";
        BloomFilter = 30, "BPF_MAP_TYPE_BLOOM_FILTER", "bloom_filter";
    }
}

impl MapType {
    /// Whether a lookup returns one value per possible CPU (per-CPU hash,
    /// array, LRU hash and cgroup storage).
    pub fn is_per_cpu(self) -> bool {
        crate::sys::bpf::is_per_cpu_map(self.number())
    }
}

kernel_kind! {
    /// `enum bpf_attach_type`: where a program will be attached, given at
    /// load time as its expected attach type when its type needs one.
    AttachType {
        CgroupInetIngress = 0, "BPF_CGROUP_INET_INGRESS", "cgroup_inet_ingress";
        CgroupInetEgress = 1, "BPF_CGROUP_INET_EGRESS", "cgroup_inet_egress";
        SkSkbStreamParser = 4, "BPF_SK_SKB_STREAM_PARSER", "sk_skb_stream_parser";
        FlowDissector = 17, "BPF_FLOW_DISSECTOR", "flow_dissector";
        XdpDevmap = 33, "BPF_XDP_DEVMAP", "xdp_devmap";
        XdpCpumap = 35, "BPF_XDP_CPUMAP", "xdp_cpumap";
        Xdp = 37, "BPF_XDP", "xdp";
        /// A tc program on a device's ingress, through tcx (kernel 6.6).
        TcxIngress = 46, "BPF_TCX_INGRESS", "tcx_ingress";
        /// A tc program on a device's egress, through tcx (kernel 6.6).
        TcxEgress = 47, "BPF_TCX_EGRESS", "tcx_egress";
    }
}

kernel_kind! {
    /// `enum bpf_link_type`: what a BPF link attaches a program to; the
    /// short names are libbpf's (`bpftool link show`).
    LinkType {
        RawTracepoint = 1, "BPF_LINK_TYPE_RAW_TRACEPOINT", "raw_tracepoint";
        Tracing = 2, "BPF_LINK_TYPE_TRACING", "tracing";
        Cgroup = 3, "BPF_LINK_TYPE_CGROUP", "cgroup";
        Iter = 4, "BPF_LINK_TYPE_ITER", "iter";
        Netns = 5, "BPF_LINK_TYPE_NETNS", "netns";
        Xdp = 6, "BPF_LINK_TYPE_XDP", "xdp";
        PerfEvent = 7, "BPF_LINK_TYPE_PERF_EVENT", "perf_event";
        KprobeMulti = 8, "BPF_LINK_TYPE_KPROBE_MULTI", "kprobe_multi";
        StructOps = 9, "BPF_LINK_TYPE_STRUCT_OPS", "struct_ops";
        /// Kernel 6.4.
        Netfilter = 10, "BPF_LINK_TYPE_NETFILTER", "netfilter";
        /// Kernel 6.6.
        Tcx = 11, "BPF_LINK_TYPE_TCX", "tcx";
        /// Kernel 6.6.
        UprobeMulti = 12, "BPF_LINK_TYPE_UPROBE_MULTI", "uprobe_multi";
        /// Kernel 6.7.
        Netkit = 13, "BPF_LINK_TYPE_NETKIT", "netkit";
        /// Kernel 6.10.
        Sockmap = 14, "BPF_LINK_TYPE_SOCKMAP", "sockmap";
    }
}

/// The kind names of `linux/bpf.h` newer than the installed 6.1 headers,
/// with their numbers from the kernel's current uapi (`include/uapi/linux/
/// bpf.h`) and the release that added them: the uapi test checks these
/// instead of asking the headers.
pub const NEWER_THAN_HEADERS: &[(&str, u32, &str)] = &[
    ("BPF_TCX_INGRESS", 46, "6.6"),
    ("BPF_TCX_EGRESS", 47, "6.6"),
    ("BPF_LINK_TYPE_NETFILTER", 10, "6.4"),
    ("BPF_LINK_TYPE_TCX", 11, "6.6"),
    ("BPF_LINK_TYPE_UPROBE_MULTI", 12, "6.6"),
    ("BPF_LINK_TYPE_NETKIT", 13, "6.7"),
    ("BPF_LINK_TYPE_SOCKMAP", 14, "6.10"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_cpu_map_types_are_the_four_with_a_value_per_cpu() {
        let per_cpu: Vec<MapType> = MapType::ALL
            .iter()
            .copied()
            .filter(|t| t.is_per_cpu())
            .collect();
        assert_eq!(
            per_cpu,
            [
                MapType::PercpuHash,
                MapType::PercpuArray,
                MapType::LruPercpuHash,
                MapType::PercpuCgroupStorage
            ]
        );
    }

    #[test]
    fn numbers_round_trip_and_unknown_numbers_are_kept() {
        for t in ProgramType::ALL {
            assert_eq!(ProgramType::from_number(t.number()), *t);
            assert_eq!(ProgramType::from_name(t.name().unwrap()), Some(*t));
        }
        for t in MapType::ALL {
            assert_eq!(MapType::from_number(t.number()), *t);
        }
        assert_eq!(ProgramType::from_number(6), ProgramType::Xdp);
        assert_eq!(ProgramType::from_number(999), ProgramType::Other(999));
        assert_eq!(ProgramType::Other(999).to_string(), "999");
        assert_eq!(MapType::Array.to_string(), "array");
        assert_eq!(AttachType::from_number(37), AttachType::Xdp);
        assert_eq!(
            AttachType::from_name("tcx_egress"),
            Some(AttachType::TcxEgress)
        );
        assert_eq!(LinkType::from_number(11).to_string(), "tcx");
        for t in LinkType::ALL {
            assert_eq!(LinkType::from_number(t.number()), *t);
        }
    }
}
