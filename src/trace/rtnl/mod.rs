//! rtnetlink (`NETLINK_ROUTE`) described for the trace: its message types with
//! their family headers and attribute tables, and the names shared by several
//! of them (address families, route scopes, tables, origins and types).
//!
//! - `link.rs` — `ifinfomsg`, `IFLA_*`; `kinds.rs` — `IFLA_INFO_DATA` per kind
//! - `addr.rs` — `ifaddrmsg`, `IFA_*`
//! - `route.rs` — `rtmsg`, `RTA_*`, `RTAX_*`, `rtnexthop`
//! - `neigh.rs` — `ndmsg`, `NDA_*`

mod addr;
mod kinds;
mod link;
mod neigh;
mod route;

use libc::{AF_INET, AF_INET6, AF_MPLS, AF_PACKET, AF_UNSPEC};

use crate::netlink::header::NETLINK_ROUTE;
pub(crate) use crate::route::neigh::AF_BRIDGE;
use crate::route::neigh::{RTM_DELNEIGH, RTM_GETNEIGH, RTM_NEWNEIGH};
use crate::route::route::*;
use crate::route::*;
use crate::trace::spec::{message, names, Names, Protocol};

/// Every set of names not reachable from a table, for tests.
#[cfg(test)]
pub(crate) fn names() -> [&'static Names; 6] {
    [
        &ADDRESS_FAMILIES,
        &RT_SCOPE,
        &RT_TABLE,
        &RTPROT,
        &RTN,
        &link::IFF,
    ]
}

/// The address families an rtnetlink message can be about.
pub(crate) static ADDRESS_FAMILIES: Names = Names {
    strip: &[],
    list: names![AF_UNSPEC, AF_INET, AF_BRIDGE, AF_INET6, AF_PACKET, AF_MPLS],
};

/// `RT_SCOPE_*` (`rtm_scope`, `ifa_scope`).
pub(crate) static RT_SCOPE: Names = Names {
    strip: &[],
    list: names![
        RT_SCOPE_UNIVERSE,
        RT_SCOPE_SITE,
        RT_SCOPE_LINK,
        RT_SCOPE_HOST,
        RT_SCOPE_NOWHERE,
    ],
};

/// `RT_TABLE_*`.
pub(crate) static RT_TABLE: Names = Names {
    strip: &[],
    list: names![
        RT_TABLE_UNSPEC,
        RT_TABLE_COMPAT,
        RT_TABLE_DEFAULT,
        RT_TABLE_MAIN,
        RT_TABLE_LOCAL,
    ],
};

/// `RTPROT_*`: who installed a route (or a neighbour).
pub(crate) static RTPROT: Names = Names {
    strip: &[],
    list: names![
        RTPROT_UNSPEC,
        RTPROT_REDIRECT,
        RTPROT_KERNEL,
        RTPROT_BOOT,
        RTPROT_STATIC,
        RTPROT_GATED,
        RTPROT_RA,
        RTPROT_MRT,
        RTPROT_ZEBRA,
        RTPROT_BIRD,
        RTPROT_DNROUTED,
        RTPROT_XORP,
        RTPROT_NTK,
        RTPROT_DHCP,
        RTPROT_MROUTED,
        RTPROT_KEEPALIVED,
        RTPROT_BABEL,
        RTPROT_OPENR,
        RTPROT_BGP,
        RTPROT_ISIS,
        RTPROT_OSPF,
        RTPROT_RIP,
        RTPROT_EIGRP,
    ],
};

/// `RTN_*`: route (and neighbour destination) types.
pub(crate) static RTN: Names = Names {
    strip: &[],
    list: names![
        RTN_UNSPEC,
        RTN_UNICAST,
        RTN_LOCAL,
        RTN_BROADCAST,
        RTN_ANYCAST,
        RTN_MULTICAST,
        RTN_BLACKHOLE,
        RTN_UNREACHABLE,
        RTN_PROHIBIT,
        RTN_THROW,
        RTN_NAT,
        RTN_XRESOLVE,
    ],
};

/// `NETLINK_ROUTE`: links, addresses, routes, neighbours.
pub(crate) static ROUTE: Protocol = Protocol {
    number: NETLINK_ROUTE,
    messages: &[
        message!(RTM_NEWLINK, New, &link::IFINFOMSG, &link::IFLA),
        message!(RTM_DELLINK, Del, &link::IFINFOMSG, &link::IFLA),
        message!(RTM_GETLINK, Get, &link::IFINFOMSG, &link::IFLA),
        message!(RTM_SETLINK, Set, &link::IFINFOMSG, &link::IFLA),
        message!(RTM_NEWADDR, New, &addr::IFADDRMSG, &addr::IFA),
        message!(RTM_DELADDR, Del, &addr::IFADDRMSG, &addr::IFA),
        message!(RTM_GETADDR, Get, &addr::IFADDRMSG, &addr::IFA),
        message!(RTM_NEWROUTE, New, &route::RTMSG, &route::RTA),
        message!(RTM_DELROUTE, Del, &route::RTMSG, &route::RTA),
        message!(RTM_GETROUTE, Get, &route::RTMSG, &route::RTA),
        message!(RTM_NEWNEIGH, New, &neigh::NDMSG, &neigh::NDA),
        message!(RTM_DELNEIGH, Del, &neigh::NDMSG, &neigh::NDA),
        message!(RTM_GETNEIGH, Get, &neigh::NDMSG, &neigh::NDA),
    ],
};

/// The family headers, for tests.
#[cfg(test)]
pub(crate) fn structs() -> [&'static crate::trace::spec::Struct; 4] {
    [
        &link::IFINFOMSG,
        &addr::IFADDRMSG,
        &route::RTMSG,
        &neigh::NDMSG,
    ]
}
