//! Routes for the trace: `struct rtmsg`, `RTA_*`, the `RTAX_*` metrics,
//! `struct rtnexthop` and `struct rta_cacheinfo` (linux/rtnetlink.h).

use super::{RTN, RTPROT, RT_SCOPE, RT_TABLE};
use crate::route::route::*;
use crate::trace::spec::Int::*;
use crate::trace::spec::Value::*;
use crate::trace::spec::{field, names, table, Names, Struct, Table};

/// `rtm_flags` and `rtnh_flags`: `RTNH_F_*` in the low byte, `RTM_F_*` above.
static RTM_FLAGS: Names = Names {
    strip: &["RTNH_F_", "RTM_F_"],
    list: names![
        RTNH_F_DEAD,
        RTNH_F_PERVASIVE,
        RTNH_F_ONLINK,
        RTNH_F_OFFLOAD,
        RTNH_F_LINKDOWN,
        RTNH_F_UNRESOLVED,
        RTNH_F_TRAP,
        RTM_F_NOTIFY,
        RTM_F_CLONED,
        RTM_F_EQUALIZE,
        RTM_F_PREFIX,
        RTM_F_LOOKUP_TABLE,
        RTM_F_FIB_MATCH,
        RTM_F_OFFLOAD,
        RTM_F_TRAP,
        RTM_F_OFFLOAD_FAILED,
    ],
};

/// `struct rtmsg`.
pub(super) static RTMSG: Struct = Struct {
    name: "rtmsg",
    fields: &[
        field("family", 1, Family),
        field("dst_len", 1, Num(U8)),
        field("src_len", 1, Num(U8)),
        field("tos", 1, Num(U8)),
        field("table", 1, Enum(U8, &RT_TABLE)),
        field("protocol", 1, Enum(U8, &RTPROT)),
        field("scope", 1, Enum(U8, &RT_SCOPE)),
        field("type", 1, Enum(U8, &RTN)),
        field("flags", 4, Flags(U32, &RTM_FLAGS)),
    ],
};

/// `struct rtnexthop`: one path of `RTA_MULTIPATH`, `RTA_*` attributes after it.
static RTNEXTHOP: Struct = Struct {
    name: "rtnexthop",
    fields: &[
        field("len", 2, Num(U16)),
        field("flags", 1, Flags(U8, &RTM_FLAGS)),
        field("hops", 1, Num(U8)),
        field("ifindex", 4, Num(S32)),
    ],
};

/// `struct rta_cacheinfo`.
static RTA_CACHEINFO_STRUCT: Struct = Struct {
    name: "rta_cacheinfo",
    fields: &[
        field("clntref", 4, Num(U32)),
        field("lastuse", 4, Num(U32)),
        field("expires", 4, Num(S32)),
        field("error", 4, Num(U32)),
        field("used", 4, Num(U32)),
        field("id", 4, Num(U32)),
        field("ts", 4, Num(U32)),
        field("tsage", 4, Num(U32)),
    ],
};

/// `RTA_*`.
pub(super) static RTA: Table = table![
    RTA_DST => Addr,
    RTA_SRC => Addr,
    RTA_IIF => Num(U32),
    RTA_OIF => Num(U32),
    RTA_GATEWAY => Addr,
    RTA_PRIORITY => Num(U32),
    RTA_PREFSRC => Addr,
    RTA_METRICS => Nest(&RTAX),
    RTA_MULTIPATH => Records(&RTNEXTHOP, &RTA),
    RTA_PROTOINFO => Binary,
    RTA_FLOW => Num(U32),
    RTA_CACHEINFO => Fields(&RTA_CACHEINFO_STRUCT),
    RTA_SESSION => Binary,
    RTA_MP_ALGO => Num(U32),
    RTA_TABLE => Enum(U32, &RT_TABLE),
    RTA_MARK => Num(U32),
    RTA_MFC_STATS => Binary,
    RTA_VIA => Via,
    RTA_NEWDST => Binary,
    RTA_PREF => Num(U8),
    RTA_ENCAP_TYPE => Num(U16),
    RTA_ENCAP => Binary,
    RTA_EXPIRES => Num(U32),
    RTA_PAD => Binary,
    RTA_UID => Num(U32),
    RTA_TTL_PROPAGATE => Num(U8),
    RTA_IP_PROTO => Num(U8),
    RTA_SPORT => Num(Be16),
    RTA_DPORT => Num(Be16),
    RTA_NH_ID => Num(U32),
];

/// `RTAX_*`: the metrics of `RTA_METRICS`.
static RTAX: Table = table![
    RTAX_LOCK => Hex(U32),
    RTAX_MTU => Num(U32),
    RTAX_WINDOW => Num(U32),
    RTAX_RTT => Num(U32),
    RTAX_RTTVAR => Num(U32),
    RTAX_SSTHRESH => Num(U32),
    RTAX_CWND => Num(U32),
    RTAX_ADVMSS => Num(U32),
    RTAX_REORDERING => Num(U32),
    RTAX_HOPLIMIT => Num(U32),
    RTAX_INITCWND => Num(U32),
    RTAX_FEATURES => Hex(U32),
    RTAX_RTO_MIN => Num(U32),
    RTAX_INITRWND => Num(U32),
    RTAX_QUICKACK => Num(U32),
    RTAX_CC_ALGO => Str,
    RTAX_FASTOPEN_NO_COOKIE => Num(U32),
];
