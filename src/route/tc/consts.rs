//! tc's kernel numbers: the `RTM_*QDISC` / `RTM_*TFILTER` message types
//! (linux/rtnetlink.h), `TC_H_*` handles and `TCA_*` attributes
//! (linux/pkt_sched.h, linux/rtnetlink.h), the bpf classifier's `TCA_BPF_*`
//! and the classifiers' generic flags (linux/pkt_cls.h), the statistics
//! nest `TCA_STATS_*` (linux/gen_stats.h).

pub const RTM_NEWQDISC: u16 = 36;
pub const RTM_DELQDISC: u16 = 37;
pub const RTM_GETQDISC: u16 = 38;
pub const RTM_NEWTFILTER: u16 = 44;
pub const RTM_DELTFILTER: u16 = 45;
pub const RTM_GETTFILTER: u16 = 46;

// Handles: major (16 bits) : minor (16 bits).
pub const TC_H_MAJ_MASK: u32 = 0xFFFF_0000;
pub const TC_H_MIN_MASK: u32 = 0x0000_FFFF;
pub const TC_H_UNSPEC: u32 = 0;
pub const TC_H_ROOT: u32 = 0xFFFF_FFFF;
pub const TC_H_INGRESS: u32 = 0xFFFF_FFF1;
/// The clsact qdisc sits where the ingress qdisc does.
pub const TC_H_CLSACT: u32 = TC_H_INGRESS;
pub const TC_H_MIN_INGRESS: u32 = 0xFFF2;
pub const TC_H_MIN_EGRESS: u32 = 0xFFF3;

/// `TC_H_MAKE(maj, min)`: the major half of `maj`, the minor half of `min`.
pub const fn tc_h_make(maj: u32, min: u32) -> u32 {
    (maj & TC_H_MAJ_MASK) | (min & TC_H_MIN_MASK)
}

// Attributes of a qdisc, class or filter message (enum TCA_*).
pub const TCA_KIND: u16 = 1;
pub const TCA_OPTIONS: u16 = 2;
pub const TCA_STATS: u16 = 3;
pub const TCA_XSTATS: u16 = 4;
pub const TCA_RATE: u16 = 5;
pub const TCA_FCNT: u16 = 6;
pub const TCA_STATS2: u16 = 7;
pub const TCA_STAB: u16 = 8;
pub const TCA_PAD: u16 = 9;
pub const TCA_DUMP_INVISIBLE: u16 = 10;
pub const TCA_CHAIN: u16 = 11;
pub const TCA_HW_OFFLOAD: u16 = 12;
pub const TCA_INGRESS_BLOCK: u16 = 13;
pub const TCA_EGRESS_BLOCK: u16 = 14;

// TCA_STATS2 nest (linux/gen_stats.h).
pub const TCA_STATS_BASIC: u16 = 1;
pub const TCA_STATS_RATE_EST: u16 = 2;
pub const TCA_STATS_QUEUE: u16 = 3;
pub const TCA_STATS_APP: u16 = 4;
pub const TCA_STATS_RATE_EST64: u16 = 5;
pub const TCA_STATS_PKT64: u16 = 8;

// The bpf classifier's options (TCA_OPTIONS of kind "bpf").
pub const TCA_BPF_ACT: u16 = 1;
pub const TCA_BPF_POLICE: u16 = 2;
pub const TCA_BPF_CLASSID: u16 = 3;
pub const TCA_BPF_OPS_LEN: u16 = 4;
pub const TCA_BPF_OPS: u16 = 5;
pub const TCA_BPF_FD: u16 = 6;
pub const TCA_BPF_NAME: u16 = 7;
pub const TCA_BPF_FLAGS: u16 = 8;
pub const TCA_BPF_FLAGS_GEN: u16 = 9;
pub const TCA_BPF_TAG: u16 = 10;
pub const TCA_BPF_ID: u16 = 11;

/// `TCA_BPF_FLAGS`: the program's return value is the action (`da`).
pub const TCA_BPF_FLAG_ACT_DIRECT: u32 = 1 << 0;

// Generic classifier flags (TCA_BPF_FLAGS_GEN).
pub const TCA_CLS_FLAGS_SKIP_HW: u32 = 1 << 0;
pub const TCA_CLS_FLAGS_SKIP_SW: u32 = 1 << 1;
pub const TCA_CLS_FLAGS_IN_HW: u32 = 1 << 2;
pub const TCA_CLS_FLAGS_NOT_IN_HW: u32 = 1 << 3;
pub const TCA_CLS_FLAGS_VERBOSE: u32 = 1 << 4;

/// `ETH_P_ALL` (linux/if_ether.h), tc's default filter protocol `all`.
pub const ETH_P_ALL: u16 = 0x0003;
