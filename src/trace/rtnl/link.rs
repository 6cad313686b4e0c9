//! Links for the trace: `struct ifinfomsg`, the `IFLA_*` attributes
//! (linux/if_link.h), `IFLA_LINKINFO`, `IFLA_AF_SPEC` and the structs they carry.
//! The device kinds' own attributes are in `kinds.rs`.

use libc::{
    ARPHRD_ETHER, ARPHRD_IEEE80211, ARPHRD_INFINIBAND, ARPHRD_IPGRE, ARPHRD_LOOPBACK, ARPHRD_NONE,
    ARPHRD_PPP, ARPHRD_SIT, ARPHRD_TUNNEL, ARPHRD_TUNNEL6, ARPHRD_VOID, IFF_ALLMULTI,
    IFF_AUTOMEDIA, IFF_BROADCAST, IFF_DEBUG, IFF_DORMANT, IFF_DYNAMIC, IFF_ECHO, IFF_LOOPBACK,
    IFF_LOWER_UP, IFF_MASTER, IFF_MULTICAST, IFF_NOARP, IFF_NOTRAILERS, IFF_POINTOPOINT,
    IFF_PORTSEL, IFF_PROMISC, IFF_RUNNING, IFF_SLAVE, IFF_UP, IFLA_CARRIER_CHANGES,
    IFLA_CARRIER_DOWN_COUNT, IFLA_CARRIER_UP_COUNT, IFLA_COST, IFLA_EVENT, IFLA_INFO_XSTATS,
    IFLA_MAP, IFLA_NEW_IFINDEX, IFLA_NEW_NETNSID, IFLA_NUM_VF, IFLA_PAD, IFLA_PARENT_DEV_BUS_NAME,
    IFLA_PARENT_DEV_NAME, IFLA_PERM_ADDRESS, IFLA_PHYS_PORT_ID, IFLA_PHYS_PORT_NAME,
    IFLA_PHYS_SWITCH_ID, IFLA_PORT_SELF, IFLA_PRIORITY, IFLA_PROP_LIST, IFLA_PROTINFO,
    IFLA_PROTO_DOWN_REASON, IFLA_STATS, IFLA_STATS64, IFLA_TARGET_NETNSID, IFLA_VFINFO_LIST,
    IFLA_VF_PORTS, IFLA_WEIGHT, IFLA_WIRELESS, IFLA_XDP, IF_OPER_DORMANT, IF_OPER_DOWN,
    IF_OPER_LOWERLAYERDOWN, IF_OPER_NOTPRESENT, IF_OPER_TESTING, IF_OPER_UNKNOWN, IF_OPER_UP,
    RTEXT_FILTER_BRVLAN, RTEXT_FILTER_BRVLAN_COMPRESSED, RTEXT_FILTER_CFM_CONFIG,
    RTEXT_FILTER_CFM_STATUS, RTEXT_FILTER_MRP,
};

use super::kinds::{BRPORT, KINDS, SLAVE_KINDS};
use super::AF_BRIDGE;
use crate::route::link::*;
use crate::trace::spec::Int::*;
use crate::trace::spec::Value::*;
use crate::trace::spec::{field, names, pad, table, Names, Struct, Table, UNKNOWN};

// linux/if_link.h, not defined elsewhere in the crate or in libc.
const IFLA_INET_CONF: u16 = 1;
const IFLA_INET6_FLAGS: u16 = 1;
const IFLA_INET6_CONF: u16 = 2;
const IFLA_INET6_MCAST: u16 = 4;
const IFLA_INET6_CACHEINFO: u16 = 5;
const IFLA_INET6_ICMP6STATS: u16 = 6;
const IFLA_INET6_TOKEN: u16 = 7;
const IFLA_INET6_RA_MTU: u16 = 9;
const IN6_ADDR_GEN_MODE_EUI64: u8 = 0;
const IN6_ADDR_GEN_MODE_NONE: u8 = 1;
const IN6_ADDR_GEN_MODE_STABLE_PRIVACY: u8 = 2;
const IN6_ADDR_GEN_MODE_RANDOM: u8 = 3;
use crate::route::link::{
    IFLA_XDP_ATTACHED, IFLA_XDP_DRV_PROG_ID, IFLA_XDP_FD, IFLA_XDP_FLAGS, IFLA_XDP_HW_PROG_ID,
    IFLA_XDP_PROG_ID, IFLA_XDP_SKB_PROG_ID,
};
const IFLA_XDP_EXPECTED_FD: u16 = 8;
const XDP_ATTACHED_NONE: u8 = 0;
const XDP_ATTACHED_DRV: u8 = 1;
const XDP_ATTACHED_SKB: u8 = 2;
const XDP_ATTACHED_HW: u8 = 3;
const XDP_ATTACHED_MULTI: u8 = 4;
const IFLA_EVENT_NONE: u32 = 0;
const IFLA_EVENT_REBOOT: u32 = 1;
const IFLA_EVENT_FEATURES: u32 = 2;
const IFLA_EVENT_BONDING_FAILOVER: u32 = 3;
const IFLA_EVENT_NOTIFY_PEERS: u32 = 4;
const IFLA_EVENT_IGMP_RESEND: u32 = 5;
const IFLA_EVENT_BONDING_OPTIONS: u32 = 6;
const IFLA_PROTO_DOWN_REASON_MASK: u16 = 1;
const IFLA_PROTO_DOWN_REASON_VALUE: u16 = 2;
// linux/if.h
const IF_LINK_MODE_DEFAULT: u8 = 0;
const IF_LINK_MODE_DORMANT: u8 = 1;
const IF_LINK_MODE_TESTING: u8 = 2;
// linux/rtnetlink.h
const RTEXT_FILTER_MST: u32 = 1 << 7;
// linux/if_bridge.h: IFLA_AF_SPEC of AF_BRIDGE messages.
use crate::route::bridge_vlan::{
    BRIDGE_FLAGS_MASTER, BRIDGE_FLAGS_SELF, IFLA_BRIDGE_FLAGS, IFLA_BRIDGE_MODE,
    IFLA_BRIDGE_VLAN_INFO, IFLA_BRIDGE_VLAN_TUNNEL_INFO,
};
const IFLA_BRIDGE_MRP: u16 = 4;
const IFLA_BRIDGE_CFM: u16 = 5;
const IFLA_BRIDGE_MST: u16 = 6;

/// `IFF_*` (linux/if.h).
pub(crate) static IFF: Names = Names {
    strip: &["IFF_"],
    list: names![
        IFF_UP,
        IFF_BROADCAST,
        IFF_DEBUG,
        IFF_LOOPBACK,
        IFF_POINTOPOINT,
        IFF_NOTRAILERS,
        IFF_RUNNING,
        IFF_NOARP,
        IFF_PROMISC,
        IFF_ALLMULTI,
        IFF_MASTER,
        IFF_SLAVE,
        IFF_MULTICAST,
        IFF_PORTSEL,
        IFF_AUTOMEDIA,
        IFF_DYNAMIC,
        IFF_LOWER_UP,
        IFF_DORMANT,
        IFF_ECHO,
    ],
};

/// `ARPHRD_*` (linux/if_arp.h), the common ones. 0 (`ARPHRD_NETROM`) is left
/// out: requests send 0 to mean "any".
static ARPHRD: Names = Names {
    strip: &[],
    list: names![
        ARPHRD_ETHER,
        ARPHRD_INFINIBAND,
        ARPHRD_PPP,
        ARPHRD_TUNNEL,
        ARPHRD_TUNNEL6,
        ARPHRD_LOOPBACK,
        ARPHRD_SIT,
        ARPHRD_IPGRE,
        ARPHRD_IEEE80211,
        ARPHRD_NONE,
        ARPHRD_VOID,
    ],
};

static IF_OPER: Names = Names {
    strip: &[],
    list: names![
        IF_OPER_UNKNOWN,
        IF_OPER_NOTPRESENT,
        IF_OPER_DOWN,
        IF_OPER_LOWERLAYERDOWN,
        IF_OPER_TESTING,
        IF_OPER_DORMANT,
        IF_OPER_UP,
    ],
};

static IF_LINK_MODE: Names = Names {
    strip: &[],
    list: names![
        IF_LINK_MODE_DEFAULT,
        IF_LINK_MODE_DORMANT,
        IF_LINK_MODE_TESTING
    ],
};

static RTEXT_FILTER: Names = Names {
    strip: &["RTEXT_FILTER_"],
    list: names![
        RTEXT_FILTER_VF,
        RTEXT_FILTER_BRVLAN,
        RTEXT_FILTER_BRVLAN_COMPRESSED,
        RTEXT_FILTER_SKIP_STATS,
        RTEXT_FILTER_MRP,
        RTEXT_FILTER_CFM_CONFIG,
        RTEXT_FILTER_CFM_STATUS,
        RTEXT_FILTER_MST,
    ],
};

static IFLA_EVENTS: Names = Names {
    strip: &[],
    list: names![
        IFLA_EVENT_NONE,
        IFLA_EVENT_REBOOT,
        IFLA_EVENT_FEATURES,
        IFLA_EVENT_BONDING_FAILOVER,
        IFLA_EVENT_NOTIFY_PEERS,
        IFLA_EVENT_IGMP_RESEND,
        IFLA_EVENT_BONDING_OPTIONS,
    ],
};

static XDP_ATTACHED: Names = Names {
    strip: &[],
    list: names![
        XDP_ATTACHED_NONE,
        XDP_ATTACHED_DRV,
        XDP_ATTACHED_SKB,
        XDP_ATTACHED_HW,
        XDP_ATTACHED_MULTI,
    ],
};

static IN6_ADDR_GEN_MODE: Names = Names {
    strip: &[],
    list: names![
        IN6_ADDR_GEN_MODE_EUI64,
        IN6_ADDR_GEN_MODE_NONE,
        IN6_ADDR_GEN_MODE_STABLE_PRIVACY,
        IN6_ADDR_GEN_MODE_RANDOM,
    ],
};

static BRIDGE_FLAGS: Names = Names {
    strip: &["BRIDGE_FLAGS_"],
    list: names![BRIDGE_FLAGS_MASTER, BRIDGE_FLAGS_SELF],
};

/// `struct ifinfomsg`.
pub(crate) static IFINFOMSG: Struct = Struct {
    name: "ifinfomsg",
    fields: &[
        field("family", 1, Family),
        pad(1),
        field("type", 2, Enum(U16, &ARPHRD)),
        field("index", 4, Num(S32)),
        field("flags", 4, Flags(U32, &IFF)),
        field("change", 4, Flags(U32, &IFF)),
    ],
};

const STATS_FIELDS: [&str; 24] = [
    "rx_packets",
    "tx_packets",
    "rx_bytes",
    "tx_bytes",
    "rx_errors",
    "tx_errors",
    "rx_dropped",
    "tx_dropped",
    "multicast",
    "collisions",
    "rx_length_errors",
    "rx_over_errors",
    "rx_crc_errors",
    "rx_frame_errors",
    "rx_fifo_errors",
    "rx_missed_errors",
    "tx_aborted_errors",
    "tx_carrier_errors",
    "tx_fifo_errors",
    "tx_heartbeat_errors",
    "tx_window_errors",
    "rx_compressed",
    "tx_compressed",
    "rx_nohandler",
];

macro_rules! stats_fields {
    ($size:expr, $int:expr, [$($i:literal),*] $(, $extra:expr)?) => {
        &[$(field(STATS_FIELDS[$i], $size, Num($int)),)* $($extra)?]
    };
}

/// `struct rtnl_link_stats`.
pub(crate) static RTNL_LINK_STATS: Struct = Struct {
    name: "rtnl_link_stats",
    fields: stats_fields!(
        4,
        U32,
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]
    ),
};

/// `struct rtnl_link_stats64`.
pub(crate) static RTNL_LINK_STATS64: Struct = Struct {
    name: "rtnl_link_stats64",
    fields: stats_fields!(
        8,
        U64,
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
        field("rx_otherhost_dropped", 8, Num(U64))
    ),
};

/// `struct rtnl_link_ifmap`.
pub(crate) static RTNL_LINK_IFMAP: Struct = Struct {
    name: "rtnl_link_ifmap",
    fields: &[
        field("mem_start", 8, Hex(U64)),
        field("mem_end", 8, Hex(U64)),
        field("base_addr", 8, Hex(U64)),
        field("irq", 2, Num(U16)),
        field("dma", 1, Num(U8)),
        field("port", 1, Num(U8)),
        pad(4),
    ],
};

/// `struct ifla_cacheinfo`.
pub(crate) static IFLA_CACHEINFO: Struct = Struct {
    name: "ifla_cacheinfo",
    fields: &[
        field("max_reasm_len", 4, Num(U32)),
        field("tstamp", 4, Num(U32)),
        field("reachable_time", 4, Num(U32)),
        field("retrans_time", 4, Num(U32)),
    ],
};

/// `struct bridge_vlan_info`.
pub(crate) static BRIDGE_VLAN_INFO: Struct = Struct {
    name: "bridge_vlan_info",
    fields: &[field("flags", 2, Hex(U16)), field("vid", 2, Num(U16))],
};

/// `IFLA_*`.
pub(crate) static IFLA: Table = table![
    IFLA_ADDRESS => Lladdr,
    IFLA_BROADCAST => Lladdr,
    IFLA_IFNAME => Str,
    IFLA_MTU => Num(U32),
    IFLA_LINK => Num(U32),
    IFLA_QDISC => Str,
    IFLA_STATS => Fields(&RTNL_LINK_STATS),
    IFLA_COST => Binary,
    IFLA_PRIORITY => Binary,
    IFLA_MASTER => Num(U32),
    IFLA_WIRELESS => Binary,
    IFLA_PROTINFO => ByFamily(
        &[(AF_BRIDGE, Nest(&BRPORT)), (AF_INET6, Nest(&IFLA_INET6))],
        &Nest(&UNKNOWN)
    ),
    IFLA_TXQLEN => Num(U32),
    IFLA_MAP => Fields(&RTNL_LINK_IFMAP),
    IFLA_WEIGHT => Num(U32),
    IFLA_OPERSTATE => Enum(U8, &IF_OPER),
    IFLA_LINKMODE => Enum(U8, &IF_LINK_MODE),
    IFLA_LINKINFO => Nest(&LINKINFO),
    IFLA_NET_NS_PID => Num(U32),
    IFLA_IFALIAS => Str,
    IFLA_NUM_VF => Num(U32),
    IFLA_VFINFO_LIST => Nest(&UNKNOWN),
    IFLA_STATS64 => Fields(&RTNL_LINK_STATS64),
    IFLA_VF_PORTS => Nest(&UNKNOWN),
    IFLA_PORT_SELF => Nest(&UNKNOWN),
    IFLA_AF_SPEC => ByFamily(&[(AF_BRIDGE, Nest(&IFLA_BRIDGE))], &Nest(&AF_SPEC)),
    IFLA_GROUP => Num(U32),
    IFLA_NET_NS_FD => Num(U32),
    IFLA_EXT_MASK => Flags(U32, &RTEXT_FILTER),
    IFLA_PROMISCUITY => Num(U32),
    IFLA_NUM_TX_QUEUES => Num(U32),
    IFLA_NUM_RX_QUEUES => Num(U32),
    IFLA_CARRIER => Num(U8),
    IFLA_PHYS_PORT_ID => Binary,
    IFLA_CARRIER_CHANGES => Num(U32),
    IFLA_PHYS_SWITCH_ID => Binary,
    IFLA_LINK_NETNSID => Num(S32),
    IFLA_PHYS_PORT_NAME => Str,
    IFLA_PROTO_DOWN => Num(U8),
    IFLA_GSO_MAX_SEGS => Num(U32),
    IFLA_GSO_MAX_SIZE => Num(U32),
    IFLA_PAD => Binary,
    IFLA_XDP => Nest(&XDP),
    IFLA_EVENT => Enum(U32, &IFLA_EVENTS),
    IFLA_NEW_NETNSID => Num(S32),
    IFLA_TARGET_NETNSID => Num(S32),
    IFLA_CARRIER_UP_COUNT => Num(U32),
    IFLA_CARRIER_DOWN_COUNT => Num(U32),
    IFLA_NEW_IFINDEX => Num(S32),
    IFLA_MIN_MTU => Num(U32),
    IFLA_MAX_MTU => Num(U32),
    IFLA_PROP_LIST => Nest(&PROP_LIST),
    IFLA_ALT_IFNAME => Str,
    IFLA_PERM_ADDRESS => Lladdr,
    IFLA_PROTO_DOWN_REASON => Nest(&PROTO_DOWN_REASON),
    IFLA_PARENT_DEV_NAME => Str,
    IFLA_PARENT_DEV_BUS_NAME => Str,
    IFLA_GRO_MAX_SIZE => Num(U32),
    IFLA_TSO_MAX_SIZE => Num(U32),
    IFLA_TSO_MAX_SEGS => Num(U32),
    IFLA_ALLMULTI => Num(U32),
];

/// `IFLA_INFO_*`: what kind of device, and its kind's own attributes.
static LINKINFO: Table = table![
    IFLA_INFO_KIND => Str,
    IFLA_INFO_DATA => ByKind(IFLA_INFO_KIND, KINDS),
    IFLA_INFO_XSTATS => Binary,
    IFLA_INFO_SLAVE_KIND => Str,
    IFLA_INFO_SLAVE_DATA => ByKind(IFLA_INFO_SLAVE_KIND, SLAVE_KINDS),
];

static PROP_LIST: Table = table![IFLA_ALT_IFNAME => Str];

static PROTO_DOWN_REASON: Table = table![
    IFLA_PROTO_DOWN_REASON_MASK => Hex(U32),
    IFLA_PROTO_DOWN_REASON_VALUE => Hex(U32),
];

static XDP: Table = table![
    IFLA_XDP_FD => Num(S32),
    IFLA_XDP_ATTACHED => Enum(U8, &XDP_ATTACHED),
    IFLA_XDP_FLAGS => Hex(U32),
    IFLA_XDP_PROG_ID => Num(U32),
    IFLA_XDP_DRV_PROG_ID => Num(U32),
    IFLA_XDP_SKB_PROG_ID => Num(U32),
    IFLA_XDP_HW_PROG_ID => Num(U32),
    IFLA_XDP_EXPECTED_FD => Num(S32),
];

const AF_INET: u8 = libc::AF_INET as u8;
const AF_INET6: u8 = libc::AF_INET6 as u8;

/// `IFLA_AF_SPEC` of a link: one nest per address family, numbered by it.
static AF_SPEC: Table = table![
    AF_INET => Nest(&IFLA_INET),
    AF_INET6 => Nest(&IFLA_INET6),
];

static IFLA_INET: Table = table![IFLA_INET_CONF => Array(U32)];

static IFLA_INET6: Table = table![
    IFLA_INET6_FLAGS => Hex(U32),
    IFLA_INET6_CONF => Array(S32),
    IFLA_INET6_STATS => Array(U64),
    IFLA_INET6_MCAST => Binary,
    IFLA_INET6_CACHEINFO => Fields(&IFLA_CACHEINFO),
    IFLA_INET6_ICMP6STATS => Array(U64),
    IFLA_INET6_TOKEN => Ipv6,
    IFLA_INET6_ADDR_GEN_MODE => Enum(U8, &IN6_ADDR_GEN_MODE),
    IFLA_INET6_RA_MTU => Num(U32),
];

/// `IFLA_AF_SPEC` of an `AF_BRIDGE` message (`bridge link`, `bridge vlan`).
static IFLA_BRIDGE: Table = table![
    IFLA_BRIDGE_FLAGS => Flags(U16, &BRIDGE_FLAGS),
    IFLA_BRIDGE_MODE => Num(U16),
    IFLA_BRIDGE_VLAN_INFO => Fields(&BRIDGE_VLAN_INFO),
    IFLA_BRIDGE_VLAN_TUNNEL_INFO => Nest(&UNKNOWN),
    IFLA_BRIDGE_MRP => Nest(&UNKNOWN),
    IFLA_BRIDGE_CFM => Nest(&UNKNOWN),
    IFLA_BRIDGE_MST => Nest(&UNKNOWN),
];
