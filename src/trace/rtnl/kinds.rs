//! Device kinds for the trace: what `IFLA_INFO_DATA` holds for each
//! `IFLA_INFO_KIND` (veth, bridge, vxlan, macvlan/macvtap, ipvlan/ipvtap,
//! vlan, ipip/sit/ip6tnl, gre/gretap/ip6gre/ip6gretap/erspan), and what
//! `IFLA_INFO_SLAVE_DATA` holds for a bridge port (linux/if_link.h,
//! linux/if_tunnel.h, linux/veth.h, linux/if_bridge.h, linux/if_vlan.h).

use super::link::{IFINFOMSG, IFLA};
use crate::route::kind::bridge::*;
use crate::route::kind::bridge_port::*;
use crate::route::kind::ipvlan::*;
use crate::route::kind::macvlan::*;
use crate::route::kind::tunnel::*;
use crate::route::kind::vlan::*;
use crate::route::kind::vxlan::*;
use crate::route::link::VETH_INFO_PEER;
use crate::trace::spec::Int::*;
use crate::trace::spec::Value::*;
use crate::trace::spec::{field, names, table, Kind, Names, Struct, Table, UNKNOWN};

// Constants of these headers not defined elsewhere in the crate.
const IFLA_BR_FDB_FLUSH: u16 = 21;
const IFLA_BR_PAD: u16 = 40;
const IFLA_BR_MCAST_QUERIER_STATE: u16 = 47;
const IFLA_BRPORT_LEARNING_SYNC: u16 = 11;
const IFLA_BRPORT_FLUSH: u16 = 24;
const IFLA_BRPORT_PAD: u16 = 26;
const IFLA_BRPORT_MRP_RING_OPEN: u16 = 35;
const IFLA_BRPORT_MRP_IN_OPEN: u16 = 36;
const IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT: u16 = 37;
const IFLA_BRPORT_MCAST_EHT_HOSTS_CNT: u16 = 38;
const BR_STATE_DISABLED: u8 = 0;
const BR_STATE_LISTENING: u8 = 1;
const BR_STATE_LEARNING: u8 = 2;
const BR_STATE_FORWARDING: u8 = 3;
const BR_STATE_BLOCKING: u8 = 4;
const IFLA_VXLAN_REMCSUM_NOPARTIAL: u16 = 24;
const VXLAN_DF_UNSET: u8 = 0;
const VXLAN_DF_SET: u8 = 1;
const VXLAN_DF_INHERIT: u8 = 2;
const IFLA_MACVLAN_MACADDR_MODE: u16 = 3;
const MACVLAN_MODE_PRIVATE: u32 = 1;
const MACVLAN_MODE_VEPA: u32 = 2;
const MACVLAN_MODE_BRIDGE: u32 = 4;
const MACVLAN_MODE_PASSTHRU: u32 = 8;
const MACVLAN_MODE_SOURCE: u32 = 16;
const MACVLAN_MACADDR_ADD: u32 = 0;
const MACVLAN_MACADDR_DEL: u32 = 1;
const MACVLAN_MACADDR_FLUSH: u32 = 2;
const MACVLAN_MACADDR_SET: u32 = 3;
const IPVLAN_MODE_L2: u16 = 0;
const IPVLAN_MODE_L3: u16 = 1;
const IPVLAN_MODE_L3S: u16 = 2;
const IPVLAN_F_PRIVATE: u16 = 0x01;
const IPVLAN_F_VEPA: u16 = 0x02;
const IFLA_VLAN_EGRESS_QOS: u16 = 3;
const IFLA_VLAN_INGRESS_QOS: u16 = 4;
const IFLA_VLAN_QOS_MAPPING: u16 = 1;
const VLAN_FLAG_REORDER_HDR: u32 = 0x1;
const VLAN_FLAG_GVRP: u32 = 0x2;
const VLAN_FLAG_LOOSE_BINDING: u32 = 0x4;
const VLAN_FLAG_MVRP: u32 = 0x8;
const VLAN_FLAG_BRIDGE_BINDING: u32 = 0x10;
const IFLA_IPTUN_ENCAP_LIMIT: u16 = 6;
const IFLA_IPTUN_FLOWINFO: u16 = 7;
const IFLA_IPTUN_FLAGS: u16 = 8;
const IFLA_IPTUN_6RD_PREFIX: u16 = 11;
const IFLA_IPTUN_6RD_RELAY_PREFIX: u16 = 12;
const IFLA_IPTUN_6RD_PREFIXLEN: u16 = 13;
const IFLA_IPTUN_6RD_RELAY_PREFIXLEN: u16 = 14;
const IFLA_GRE_ENCAP_LIMIT: u16 = 11;
const IFLA_GRE_FLOWINFO: u16 = 12;
const IFLA_GRE_FLAGS: u16 = 13;
const IFLA_GRE_ERSPAN_INDEX: u16 = 21;
const IFLA_GRE_ERSPAN_VER: u16 = 22;
const IFLA_GRE_ERSPAN_DIR: u16 = 23;
const IFLA_GRE_ERSPAN_HWID: u16 = 24;

/// `IFLA_INFO_DATA` by `IFLA_INFO_KIND`.
pub(crate) static KINDS: &[Kind] = &[
    Kind {
        kind: "veth",
        value: Nest(&VETH),
    },
    Kind {
        kind: "bridge",
        value: Nest(&BR),
    },
    Kind {
        kind: "vxlan",
        value: Nest(&VXLAN),
    },
    Kind {
        kind: "macvlan",
        value: Nest(&MACVLAN),
    },
    Kind {
        kind: "macvtap",
        value: Nest(&MACVLAN),
    },
    Kind {
        kind: "ipvlan",
        value: Nest(&IPVLAN),
    },
    Kind {
        kind: "ipvtap",
        value: Nest(&IPVLAN),
    },
    Kind {
        kind: "vlan",
        value: Nest(&VLAN),
    },
    Kind {
        kind: "ipip",
        value: Nest(&IPTUN),
    },
    Kind {
        kind: "sit",
        value: Nest(&IPTUN),
    },
    Kind {
        kind: "ip6tnl",
        value: Nest(&IPTUN),
    },
    Kind {
        kind: "gre",
        value: Nest(&GRE),
    },
    Kind {
        kind: "gretap",
        value: Nest(&GRE),
    },
    Kind {
        kind: "ip6gre",
        value: Nest(&GRE),
    },
    Kind {
        kind: "ip6gretap",
        value: Nest(&GRE),
    },
    Kind {
        kind: "erspan",
        value: Nest(&GRE),
    },
];

/// `IFLA_INFO_SLAVE_DATA` by `IFLA_INFO_SLAVE_KIND`.
pub(crate) static SLAVE_KINDS: &[Kind] = &[Kind {
    kind: "bridge",
    value: Nest(&BRPORT),
}];

/// `VETH_INFO_*`: the peer is an `ifinfomsg` and its own `IFLA_*` attributes.
static VETH: Table = table![VETH_INFO_PEER => Header(&IFINFOMSG, &IFLA)];

static BR_STATE: Names = Names {
    strip: &[],
    list: names![
        BR_STATE_DISABLED,
        BR_STATE_LISTENING,
        BR_STATE_LEARNING,
        BR_STATE_FORWARDING,
        BR_STATE_BLOCKING,
    ],
};

/// `struct ifla_bridge_id`.
static IFLA_BRIDGE_ID: Struct = Struct {
    name: "ifla_bridge_id",
    fields: &[field("prio", 2, Hex(Be16)), field("addr", 6, Lladdr)],
};

/// `struct br_boolopt_multi`: bits `BR_BOOLOPT_*`.
static BR_BOOLOPT_MULTI: Struct = Struct {
    name: "br_boolopt_multi",
    fields: &[field("optval", 4, Hex(U32)), field("optmask", 4, Hex(U32))],
};

/// `IFLA_BR_*`. Times are in centiseconds.
static BR: Table = table![
    IFLA_BR_FORWARD_DELAY => Num(U32),
    IFLA_BR_HELLO_TIME => Num(U32),
    IFLA_BR_MAX_AGE => Num(U32),
    IFLA_BR_AGEING_TIME => Num(U32),
    IFLA_BR_STP_STATE => Num(U32),
    IFLA_BR_PRIORITY => Num(U16),
    IFLA_BR_VLAN_FILTERING => Num(U8),
    IFLA_BR_VLAN_PROTOCOL => Hex(Be16),
    IFLA_BR_GROUP_FWD_MASK => Hex(U16),
    IFLA_BR_ROOT_ID => Fields(&IFLA_BRIDGE_ID),
    IFLA_BR_BRIDGE_ID => Fields(&IFLA_BRIDGE_ID),
    IFLA_BR_ROOT_PORT => Num(U16),
    IFLA_BR_ROOT_PATH_COST => Num(U32),
    IFLA_BR_TOPOLOGY_CHANGE => Num(U8),
    IFLA_BR_TOPOLOGY_CHANGE_DETECTED => Num(U8),
    IFLA_BR_HELLO_TIMER => Num(U64),
    IFLA_BR_TCN_TIMER => Num(U64),
    IFLA_BR_TOPOLOGY_CHANGE_TIMER => Num(U64),
    IFLA_BR_GC_TIMER => Num(U64),
    IFLA_BR_GROUP_ADDR => Lladdr,
    IFLA_BR_FDB_FLUSH => Flag,
    IFLA_BR_MCAST_ROUTER => Num(U8),
    IFLA_BR_MCAST_SNOOPING => Num(U8),
    IFLA_BR_MCAST_QUERY_USE_IFADDR => Num(U8),
    IFLA_BR_MCAST_QUERIER => Num(U8),
    IFLA_BR_MCAST_HASH_ELASTICITY => Num(U32),
    IFLA_BR_MCAST_HASH_MAX => Num(U32),
    IFLA_BR_MCAST_LAST_MEMBER_CNT => Num(U32),
    IFLA_BR_MCAST_STARTUP_QUERY_CNT => Num(U32),
    IFLA_BR_MCAST_LAST_MEMBER_INTVL => Num(U64),
    IFLA_BR_MCAST_MEMBERSHIP_INTVL => Num(U64),
    IFLA_BR_MCAST_QUERIER_INTVL => Num(U64),
    IFLA_BR_MCAST_QUERY_INTVL => Num(U64),
    IFLA_BR_MCAST_QUERY_RESPONSE_INTVL => Num(U64),
    IFLA_BR_MCAST_STARTUP_QUERY_INTVL => Num(U64),
    IFLA_BR_NF_CALL_IPTABLES => Num(U8),
    IFLA_BR_NF_CALL_IP6TABLES => Num(U8),
    IFLA_BR_NF_CALL_ARPTABLES => Num(U8),
    IFLA_BR_VLAN_DEFAULT_PVID => Num(U16),
    IFLA_BR_PAD => Binary,
    IFLA_BR_VLAN_STATS_ENABLED => Num(U8),
    IFLA_BR_MCAST_STATS_ENABLED => Num(U8),
    IFLA_BR_MCAST_IGMP_VERSION => Num(U8),
    IFLA_BR_MCAST_MLD_VERSION => Num(U8),
    IFLA_BR_VLAN_STATS_PER_PORT => Num(U8),
    IFLA_BR_MULTI_BOOLOPT => Fields(&BR_BOOLOPT_MULTI),
    IFLA_BR_MCAST_QUERIER_STATE => Nest(&UNKNOWN),
];

/// `IFLA_BRPORT_*`: a bridge port as its bridge sees it. Timers in centiseconds.
pub(crate) static BRPORT: Table = table![
    IFLA_BRPORT_STATE => Enum(U8, &BR_STATE),
    IFLA_BRPORT_PRIORITY => Num(U16),
    IFLA_BRPORT_COST => Num(U32),
    IFLA_BRPORT_MODE => Num(U8),
    IFLA_BRPORT_GUARD => Num(U8),
    IFLA_BRPORT_PROTECT => Num(U8),
    IFLA_BRPORT_FAST_LEAVE => Num(U8),
    IFLA_BRPORT_LEARNING => Num(U8),
    IFLA_BRPORT_UNICAST_FLOOD => Num(U8),
    IFLA_BRPORT_PROXYARP => Num(U8),
    IFLA_BRPORT_LEARNING_SYNC => Num(U8),
    IFLA_BRPORT_PROXYARP_WIFI => Num(U8),
    IFLA_BRPORT_ROOT_ID => Fields(&IFLA_BRIDGE_ID),
    IFLA_BRPORT_BRIDGE_ID => Fields(&IFLA_BRIDGE_ID),
    IFLA_BRPORT_DESIGNATED_PORT => Num(U16),
    IFLA_BRPORT_DESIGNATED_COST => Num(U16),
    IFLA_BRPORT_ID => Num(U16),
    IFLA_BRPORT_NO => Num(U16),
    IFLA_BRPORT_TOPOLOGY_CHANGE_ACK => Num(U8),
    IFLA_BRPORT_CONFIG_PENDING => Num(U8),
    IFLA_BRPORT_MESSAGE_AGE_TIMER => Num(U64),
    IFLA_BRPORT_FORWARD_DELAY_TIMER => Num(U64),
    IFLA_BRPORT_HOLD_TIMER => Num(U64),
    IFLA_BRPORT_FLUSH => Flag,
    IFLA_BRPORT_MULTICAST_ROUTER => Num(U8),
    IFLA_BRPORT_PAD => Binary,
    IFLA_BRPORT_MCAST_FLOOD => Num(U8),
    IFLA_BRPORT_MCAST_TO_UCAST => Num(U8),
    IFLA_BRPORT_VLAN_TUNNEL => Num(U8),
    IFLA_BRPORT_BCAST_FLOOD => Num(U8),
    IFLA_BRPORT_GROUP_FWD_MASK => Hex(U16),
    IFLA_BRPORT_NEIGH_SUPPRESS => Num(U8),
    IFLA_BRPORT_ISOLATED => Num(U8),
    IFLA_BRPORT_BACKUP_PORT => Num(U32),
    IFLA_BRPORT_MRP_RING_OPEN => Num(U8),
    IFLA_BRPORT_MRP_IN_OPEN => Num(U8),
    IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT => Num(U32),
    IFLA_BRPORT_MCAST_EHT_HOSTS_CNT => Num(U32),
    IFLA_BRPORT_LOCKED => Num(U8),
];

static VXLAN_DF: Names = Names {
    strip: &[],
    list: names![VXLAN_DF_UNSET, VXLAN_DF_SET, VXLAN_DF_INHERIT],
};

/// `struct ifla_vxlan_port_range`, big-endian.
static VXLAN_PORT_RANGE: Struct = Struct {
    name: "ifla_vxlan_port_range",
    fields: &[field("low", 2, Num(Be16)), field("high", 2, Num(Be16))],
};

/// `IFLA_VXLAN_*`.
static VXLAN: Table = table![
    IFLA_VXLAN_ID => Num(U32),
    IFLA_VXLAN_GROUP => Ipv4,
    IFLA_VXLAN_LINK => Num(U32),
    IFLA_VXLAN_LOCAL => Ipv4,
    IFLA_VXLAN_TTL => Num(U8),
    IFLA_VXLAN_TOS => Num(U8),
    IFLA_VXLAN_LEARNING => Num(U8),
    IFLA_VXLAN_AGEING => Num(U32),
    IFLA_VXLAN_LIMIT => Num(U32),
    IFLA_VXLAN_PORT_RANGE => Fields(&VXLAN_PORT_RANGE),
    IFLA_VXLAN_PROXY => Num(U8),
    IFLA_VXLAN_RSC => Num(U8),
    IFLA_VXLAN_L2MISS => Num(U8),
    IFLA_VXLAN_L3MISS => Num(U8),
    IFLA_VXLAN_PORT => Num(Be16),
    IFLA_VXLAN_GROUP6 => Ipv6,
    IFLA_VXLAN_LOCAL6 => Ipv6,
    IFLA_VXLAN_UDP_CSUM => Num(U8),
    IFLA_VXLAN_UDP_ZERO_CSUM6_TX => Num(U8),
    IFLA_VXLAN_UDP_ZERO_CSUM6_RX => Num(U8),
    IFLA_VXLAN_REMCSUM_TX => Num(U8),
    IFLA_VXLAN_REMCSUM_RX => Num(U8),
    IFLA_VXLAN_GBP => Flag,
    IFLA_VXLAN_REMCSUM_NOPARTIAL => Flag,
    IFLA_VXLAN_COLLECT_METADATA => Num(U8),
    IFLA_VXLAN_LABEL => Hex(Be32),
    IFLA_VXLAN_GPE => Flag,
    IFLA_VXLAN_TTL_INHERIT => Flag,
    IFLA_VXLAN_DF => Enum(U8, &VXLAN_DF),
    IFLA_VXLAN_VNIFILTER => Num(U8),
];

static MACVLAN_MODE: Names = Names {
    strip: &[],
    list: names![
        MACVLAN_MODE_PRIVATE,
        MACVLAN_MODE_VEPA,
        MACVLAN_MODE_BRIDGE,
        MACVLAN_MODE_PASSTHRU,
        MACVLAN_MODE_SOURCE,
    ],
};

static MACVLAN_MACADDR: Names = Names {
    strip: &[],
    list: names![
        MACVLAN_MACADDR_ADD,
        MACVLAN_MACADDR_DEL,
        MACVLAN_MACADDR_FLUSH,
        MACVLAN_MACADDR_SET,
    ],
};

static MACVLAN_FLAG: Names = Names {
    strip: &["MACVLAN_FLAG_"],
    list: names![MACVLAN_FLAG_NOPROMISC, MACVLAN_FLAG_NODST],
};

/// `IFLA_MACVLAN_*` (macvlan and macvtap).
static MACVLAN: Table = table![
    IFLA_MACVLAN_MODE => Enum(U32, &MACVLAN_MODE),
    IFLA_MACVLAN_FLAGS => Flags(U16, &MACVLAN_FLAG),
    IFLA_MACVLAN_MACADDR_MODE => Enum(U32, &MACVLAN_MACADDR),
    IFLA_MACVLAN_MACADDR => Lladdr,
    IFLA_MACVLAN_MACADDR_DATA => Nest(&MACVLAN_MACADDR_DATA),
    IFLA_MACVLAN_MACADDR_COUNT => Num(U32),
    IFLA_MACVLAN_BC_QUEUE_LEN => Num(U32),
    IFLA_MACVLAN_BC_QUEUE_LEN_USED => Num(U32),
];

/// The source addresses of a macvlan in `source` mode.
static MACVLAN_MACADDR_DATA: Table = table![IFLA_MACVLAN_MACADDR => Lladdr];

static IPVLAN_MODE: Names = Names {
    strip: &[],
    list: names![IPVLAN_MODE_L2, IPVLAN_MODE_L3, IPVLAN_MODE_L3S],
};

static IPVLAN_F: Names = Names {
    strip: &["IPVLAN_F_"],
    list: names![IPVLAN_F_PRIVATE, IPVLAN_F_VEPA],
};

/// `IFLA_IPVLAN_*` (ipvlan and ipvtap).
static IPVLAN: Table = table![
    IFLA_IPVLAN_MODE => Enum(U16, &IPVLAN_MODE),
    IFLA_IPVLAN_FLAGS => Flags(U16, &IPVLAN_F),
];

static VLAN_FLAG: Names = Names {
    strip: &["VLAN_FLAG_"],
    list: names![
        VLAN_FLAG_REORDER_HDR,
        VLAN_FLAG_GVRP,
        VLAN_FLAG_LOOSE_BINDING,
        VLAN_FLAG_MVRP,
        VLAN_FLAG_BRIDGE_BINDING,
    ],
};

/// `struct ifla_vlan_flags`.
static IFLA_VLAN_FLAGS_STRUCT: Struct = Struct {
    name: "ifla_vlan_flags",
    fields: &[
        field("flags", 4, Flags(U32, &VLAN_FLAG)),
        field("mask", 4, Flags(U32, &VLAN_FLAG)),
    ],
};

/// `struct ifla_vlan_qos_mapping`.
static IFLA_VLAN_QOS_MAPPING_STRUCT: Struct = Struct {
    name: "ifla_vlan_qos_mapping",
    fields: &[field("from", 4, Num(U32)), field("to", 4, Num(U32))],
};

static VLAN_QOS: Table = table![IFLA_VLAN_QOS_MAPPING => Fields(&IFLA_VLAN_QOS_MAPPING_STRUCT)];

/// `IFLA_VLAN_*`.
static VLAN: Table = table![
    IFLA_VLAN_ID => Num(U16),
    IFLA_VLAN_FLAGS => Fields(&IFLA_VLAN_FLAGS_STRUCT),
    IFLA_VLAN_EGRESS_QOS => Nest(&VLAN_QOS),
    IFLA_VLAN_INGRESS_QOS => Nest(&VLAN_QOS),
    IFLA_VLAN_PROTOCOL => Hex(Be16),
];

/// `IFLA_IPTUN_*` (ipip, sit, ip6tnl). Addresses are IPv4 or IPv6 by length.
static IPTUN: Table = table![
    IFLA_IPTUN_LINK => Num(U32),
    IFLA_IPTUN_LOCAL => Addr,
    IFLA_IPTUN_REMOTE => Addr,
    IFLA_IPTUN_TTL => Num(U8),
    IFLA_IPTUN_TOS => Num(U8),
    IFLA_IPTUN_ENCAP_LIMIT => Num(U8),
    IFLA_IPTUN_FLOWINFO => Hex(Be32),
    IFLA_IPTUN_FLAGS => Binary,
    IFLA_IPTUN_PROTO => Num(U8),
    IFLA_IPTUN_PMTUDISC => Num(U8),
    IFLA_IPTUN_6RD_PREFIX => Ipv6,
    IFLA_IPTUN_6RD_RELAY_PREFIX => Ipv4,
    IFLA_IPTUN_6RD_PREFIXLEN => Num(U16),
    IFLA_IPTUN_6RD_RELAY_PREFIXLEN => Num(U16),
    IFLA_IPTUN_ENCAP_TYPE => Num(U16),
    IFLA_IPTUN_ENCAP_FLAGS => Hex(U16),
    IFLA_IPTUN_ENCAP_SPORT => Num(Be16),
    IFLA_IPTUN_ENCAP_DPORT => Num(Be16),
    IFLA_IPTUN_COLLECT_METADATA => Flag,
    IFLA_IPTUN_FWMARK => Num(U32),
];

/// `IFLA_GRE_*` (gre, gretap, ip6gre, ip6gretap, erspan). Flags and keys are big-endian.
static GRE: Table = table![
    IFLA_GRE_LINK => Num(U32),
    IFLA_GRE_IFLAGS => Hex(Be16),
    IFLA_GRE_OFLAGS => Hex(Be16),
    IFLA_GRE_IKEY => Num(Be32),
    IFLA_GRE_OKEY => Num(Be32),
    IFLA_GRE_LOCAL => Addr,
    IFLA_GRE_REMOTE => Addr,
    IFLA_GRE_TTL => Num(U8),
    IFLA_GRE_TOS => Num(U8),
    IFLA_GRE_PMTUDISC => Num(U8),
    IFLA_GRE_ENCAP_LIMIT => Num(U8),
    IFLA_GRE_FLOWINFO => Hex(Be32),
    IFLA_GRE_FLAGS => Hex(U32),
    IFLA_GRE_ENCAP_TYPE => Num(U16),
    IFLA_GRE_ENCAP_FLAGS => Hex(U16),
    IFLA_GRE_ENCAP_SPORT => Num(Be16),
    IFLA_GRE_ENCAP_DPORT => Num(Be16),
    IFLA_GRE_COLLECT_METADATA => Flag,
    IFLA_GRE_IGNORE_DF => Num(U8),
    IFLA_GRE_FWMARK => Num(U32),
    IFLA_GRE_ERSPAN_INDEX => Num(U32),
    IFLA_GRE_ERSPAN_VER => Num(U8),
    IFLA_GRE_ERSPAN_DIR => Num(U8),
    IFLA_GRE_ERSPAN_HWID => Num(U16),
];
