//! Neighbours and forwarding-database entries for the trace: `struct ndmsg`,
//! `NDA_*`, `NUD_*`, `NTF_*` (linux/neighbour.h).

use super::{RTN, RTPROT};
use crate::route::neigh::*;
use crate::trace::spec::Int::*;
use crate::trace::spec::Value::*;
use crate::trace::spec::{field, names, pad, table, Names, Struct, Table, UNKNOWN};

static NUD: Names = Names {
    strip: &["NUD_"],
    list: names![
        NUD_INCOMPLETE,
        NUD_REACHABLE,
        NUD_STALE,
        NUD_DELAY,
        NUD_PROBE,
        NUD_FAILED,
        NUD_NOARP,
        NUD_PERMANENT,
    ],
};

static NTF: Names = Names {
    strip: &["NTF_"],
    list: names![
        NTF_USE,
        NTF_SELF,
        NTF_MASTER,
        NTF_PROXY,
        NTF_EXT_LEARNED,
        NTF_OFFLOADED,
        NTF_STICKY,
        NTF_ROUTER,
    ],
};

static NTF_EXT: Names = Names {
    strip: &["NTF_EXT_"],
    list: names![NTF_EXT_MANAGED],
};

/// `struct ndmsg`.
pub(super) static NDMSG: Struct = Struct {
    name: "ndmsg",
    fields: &[
        field("family", 1, Family),
        pad(3),
        field("ifindex", 4, Num(S32)),
        field("state", 2, Flags(U16, &NUD)),
        field("flags", 1, Flags(U8, &NTF)),
        field("type", 1, Enum(U8, &RTN)),
    ],
};

/// `struct nda_cacheinfo`: ages in centiseconds.
static NDA_CACHEINFO_STRUCT: Struct = Struct {
    name: "nda_cacheinfo",
    fields: &[
        field("confirmed", 4, Num(U32)),
        field("used", 4, Num(U32)),
        field("updated", 4, Num(U32)),
        field("refcnt", 4, Num(U32)),
    ],
};

/// `NDA_*`.
pub(super) static NDA: Table = table![
    NDA_DST => Addr,
    NDA_LLADDR => Lladdr,
    NDA_CACHEINFO => Fields(&NDA_CACHEINFO_STRUCT),
    NDA_PROBES => Num(U32),
    NDA_VLAN => Num(U16),
    NDA_PORT => Num(Be16),
    NDA_VNI => Num(U32),
    NDA_IFINDEX => Num(U32),
    NDA_MASTER => Num(U32),
    NDA_LINK_NETNSID => Num(S32),
    NDA_SRC_VNI => Num(U32),
    NDA_PROTOCOL => Enum(U8, &RTPROT),
    NDA_NH_ID => Num(U32),
    NDA_FDB_EXT_ATTRS => Nest(&UNKNOWN),
    NDA_FLAGS_EXT => Flags(U32, &NTF_EXT),
    NDA_NDM_STATE_MASK => Flags(U16, &NUD),
    NDA_NDM_FLAGS_MASK => Flags(U8, &NTF),
];
