//! Route constants (linux/rtnetlink.h, linux/in_route.h): `RTA_*` attributes,
//! `RTN_*` types, `RTPROT_*` origins, `RT_SCOPE_*`, `RT_TABLE_*`, and the
//! `RTM_F_*`, `RTNH_F_*` and `RTCF_*` bits of `rtm_flags`. Kernel names and
//! values, nothing else.

// RTA_* attributes (enum rtattr_type_t).
pub const RTA_UNSPEC: u16 = 0;
pub const RTA_DST: u16 = 1;
pub const RTA_SRC: u16 = 2;
pub const RTA_IIF: u16 = 3;
pub const RTA_OIF: u16 = 4;
pub const RTA_GATEWAY: u16 = 5;
pub const RTA_PRIORITY: u16 = 6;
pub const RTA_PREFSRC: u16 = 7;
pub const RTA_METRICS: u16 = 8;
pub const RTA_MULTIPATH: u16 = 9;
pub const RTA_PROTOINFO: u16 = 10;
pub const RTA_FLOW: u16 = 11;
pub const RTA_CACHEINFO: u16 = 12;
pub const RTA_SESSION: u16 = 13;
pub const RTA_MP_ALGO: u16 = 14;
pub const RTA_TABLE: u16 = 15;
pub const RTA_MARK: u16 = 16;
pub const RTA_MFC_STATS: u16 = 17;
/// `struct rtvia`: a gateway of another family (u16 family, then the address).
pub const RTA_VIA: u16 = 18;
pub const RTA_NEWDST: u16 = 19;
/// u8 IPv6 router preference (`ICMPV6_ROUTER_PREF_*`).
pub const RTA_PREF: u16 = 20;
pub const RTA_ENCAP_TYPE: u16 = 21;
pub const RTA_ENCAP: u16 = 22;
pub const RTA_EXPIRES: u16 = 23;
pub const RTA_PAD: u16 = 24;
pub const RTA_UID: u16 = 25;
pub const RTA_TTL_PROPAGATE: u16 = 26;
pub const RTA_IP_PROTO: u16 = 27;
pub const RTA_SPORT: u16 = 28;
pub const RTA_DPORT: u16 = 29;
pub const RTA_NH_ID: u16 = 30;

// RTN_* route types.
pub const RTN_UNSPEC: u8 = 0;
pub const RTN_UNICAST: u8 = 1;
pub const RTN_LOCAL: u8 = 2;
pub const RTN_BROADCAST: u8 = 3;
pub const RTN_ANYCAST: u8 = 4;
pub const RTN_MULTICAST: u8 = 5;
pub const RTN_BLACKHOLE: u8 = 6;
pub const RTN_UNREACHABLE: u8 = 7;
pub const RTN_PROHIBIT: u8 = 8;
pub const RTN_THROW: u8 = 9;
pub const RTN_NAT: u8 = 10;
pub const RTN_XRESOLVE: u8 = 11;

// RTPROT_* route origins.
pub const RTPROT_UNSPEC: u8 = 0;
pub const RTPROT_REDIRECT: u8 = 1;
pub const RTPROT_KERNEL: u8 = 2;
pub const RTPROT_BOOT: u8 = 3;
pub const RTPROT_STATIC: u8 = 4;
pub const RTPROT_GATED: u8 = 8;
pub const RTPROT_RA: u8 = 9;
pub const RTPROT_MRT: u8 = 10;
pub const RTPROT_ZEBRA: u8 = 11;
pub const RTPROT_BIRD: u8 = 12;
pub const RTPROT_DNROUTED: u8 = 13;
pub const RTPROT_XORP: u8 = 14;
pub const RTPROT_NTK: u8 = 15;
pub const RTPROT_DHCP: u8 = 16;
pub const RTPROT_MROUTED: u8 = 17;
pub const RTPROT_KEEPALIVED: u8 = 18;
pub const RTPROT_BABEL: u8 = 42;
pub const RTPROT_OPENR: u8 = 99;
pub const RTPROT_BGP: u8 = 186;
pub const RTPROT_ISIS: u8 = 187;
pub const RTPROT_OSPF: u8 = 188;
pub const RTPROT_RIP: u8 = 189;
pub const RTPROT_EIGRP: u8 = 192;

// RT_SCOPE_* (enum rt_scope_t).
pub const RT_SCOPE_UNIVERSE: u8 = 0;
pub const RT_SCOPE_SITE: u8 = 200;
pub const RT_SCOPE_LINK: u8 = 253;
pub const RT_SCOPE_HOST: u8 = 254;
pub const RT_SCOPE_NOWHERE: u8 = 255;

// RT_TABLE_* (enum rt_class_t).
pub const RT_TABLE_UNSPEC: u32 = 0;
pub const RT_TABLE_COMPAT: u32 = 252;
pub const RT_TABLE_DEFAULT: u32 = 253;
pub const RT_TABLE_MAIN: u32 = 254;
pub const RT_TABLE_LOCAL: u32 = 255;

// rtm_flags.
pub const RTM_F_NOTIFY: u32 = 0x100;
pub const RTM_F_CLONED: u32 = 0x200;
pub const RTM_F_EQUALIZE: u32 = 0x400;
pub const RTM_F_PREFIX: u32 = 0x800;
pub const RTM_F_LOOKUP_TABLE: u32 = 0x1000;
pub const RTM_F_FIB_MATCH: u32 = 0x2000;
pub const RTM_F_OFFLOAD: u32 = 0x4000;
pub const RTM_F_TRAP: u32 = 0x8000;
pub const RTM_F_OFFLOAD_FAILED: u32 = 0x2000_0000;

// Next-hop flags (rtnh_flags, also in rtm_flags).
pub const RTNH_F_DEAD: u32 = 1;
pub const RTNH_F_PERVASIVE: u32 = 2;
pub const RTNH_F_ONLINK: u32 = 4;
pub const RTNH_F_OFFLOAD: u32 = 8;
pub const RTNH_F_LINKDOWN: u32 = 16;
pub const RTNH_F_UNRESOLVED: u32 = 32;
pub const RTNH_F_TRAP: u32 = 64;

// Routing-cache flags in the high bits of rtm_flags of a cloned route (linux/in_route.h).
pub const RTCF_NOTIFY: u32 = 0x0001_0000;
pub const RTCF_DIRECTDST: u32 = 0x0002_0000;
pub const RTCF_REDIRECTED: u32 = 0x0004_0000;
pub const RTCF_TPROXY: u32 = 0x0008_0000;
pub const RTCF_FAST: u32 = 0x0020_0000;
pub const RTCF_MASQ: u32 = 0x0040_0000;
pub const RTCF_SNAT: u32 = 0x0080_0000;
pub const RTCF_DOREDIRECT: u32 = 0x0100_0000;
pub const RTCF_DIRECTSRC: u32 = 0x0400_0000;
pub const RTCF_DNAT: u32 = 0x0800_0000;
pub const RTCF_BROADCAST: u32 = 0x1000_0000;
pub const RTCF_MULTICAST: u32 = 0x2000_0000;
pub const RTCF_REJECT: u32 = 0x4000_0000;
pub const RTCF_LOCAL: u32 = 0x8000_0000;

// RTAX_* metrics (inside RTA_METRICS).
pub const RTAX_UNSPEC: u16 = 0;
/// u32 bit mask: bit `1 << RTAX_x` locks metric x.
pub const RTAX_LOCK: u16 = 1;
pub const RTAX_MTU: u16 = 2;
pub const RTAX_WINDOW: u16 = 3;
/// Smoothed RTT in 1/8 ms.
pub const RTAX_RTT: u16 = 4;
/// RTT variance in 1/4 ms.
pub const RTAX_RTTVAR: u16 = 5;
pub const RTAX_SSTHRESH: u16 = 6;
pub const RTAX_CWND: u16 = 7;
pub const RTAX_ADVMSS: u16 = 8;
pub const RTAX_REORDERING: u16 = 9;
pub const RTAX_HOPLIMIT: u16 = 10;
pub const RTAX_INITCWND: u16 = 11;
pub const RTAX_FEATURES: u16 = 12;
/// Milliseconds.
pub const RTAX_RTO_MIN: u16 = 13;
pub const RTAX_INITRWND: u16 = 14;
pub const RTAX_QUICKACK: u16 = 15;
/// The congestion control algorithm's name (a string, not a u32).
pub const RTAX_CC_ALGO: u16 = 16;
pub const RTAX_FASTOPEN_NO_COOKIE: u16 = 17;
pub const RTAX_MAX: u16 = 17;

/// `RTAX_FEATURES` bit: ECN.
pub const RTAX_FEATURE_ECN: u32 = 1;
