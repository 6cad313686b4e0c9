//! Addresses for the trace: `struct ifaddrmsg`, `IFA_*`, `IFA_F_*`
//! (linux/if_addr.h).

use super::RT_SCOPE;
use crate::route::addr::*;
use crate::trace::spec::Int::*;
use crate::trace::spec::Value::*;
use crate::trace::spec::{field, names, table, Names, Struct, Table};

// linux/if_addr.h, not defined elsewhere in the crate.
const IFAPROT_UNSPEC: u8 = 0;
const IFAPROT_KERNEL_LO: u8 = 1;
const IFAPROT_KERNEL_RA: u8 = 2;
const IFAPROT_KERNEL_LL: u8 = 3;

/// `IFA_F_*` (`IFA_F_TEMPORARY` is `IFA_F_SECONDARY`'s IPv6 name and left out).
static IFA_F: Names = Names {
    strip: &["IFA_F_"],
    list: names![
        IFA_F_SECONDARY,
        IFA_F_NODAD,
        IFA_F_OPTIMISTIC,
        IFA_F_DADFAILED,
        IFA_F_HOMEADDRESS,
        IFA_F_DEPRECATED,
        IFA_F_TENTATIVE,
        IFA_F_PERMANENT,
        IFA_F_MANAGETEMPADDR,
        IFA_F_NOPREFIXROUTE,
        IFA_F_MCAUTOJOIN,
        IFA_F_STABLE_PRIVACY,
    ],
};

static IFAPROT: Names = Names {
    strip: &[],
    list: names![
        IFAPROT_UNSPEC,
        IFAPROT_KERNEL_LO,
        IFAPROT_KERNEL_RA,
        IFAPROT_KERNEL_LL,
    ],
};

/// `struct ifaddrmsg`.
pub(super) static IFADDRMSG: Struct = Struct {
    name: "ifaddrmsg",
    fields: &[
        field("family", 1, Family),
        field("prefixlen", 1, Num(U8)),
        field("flags", 1, Flags(U8, &IFA_F)),
        field("scope", 1, Enum(U8, &RT_SCOPE)),
        field("index", 4, Num(U32)),
    ],
};

/// `struct ifa_cacheinfo`: lifetimes in seconds, stamps in centiseconds.
static IFA_CACHEINFO_STRUCT: Struct = Struct {
    name: "ifa_cacheinfo",
    fields: &[
        field("prefered", 4, Num(U32)),
        field("valid", 4, Num(U32)),
        field("cstamp", 4, Num(U32)),
        field("tstamp", 4, Num(U32)),
    ],
};

/// `IFA_*`.
pub(super) static IFA: Table = table![
    IFA_ADDRESS => Addr,
    IFA_LOCAL => Addr,
    IFA_LABEL => Str,
    IFA_BROADCAST => Addr,
    IFA_ANYCAST => Addr,
    IFA_CACHEINFO => Fields(&IFA_CACHEINFO_STRUCT),
    IFA_MULTICAST => Addr,
    IFA_FLAGS => Flags(U32, &IFA_F),
    IFA_RT_PRIORITY => Num(U32),
    IFA_TARGET_NETNSID => Num(S32),
    IFA_PROTO => Enum(U8, &IFAPROT),
];
