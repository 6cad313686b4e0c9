//! Routes: `struct rtmsg`, `RTA_*`, `RTN_*`, `RTPROT_*`, `RT_SCOPE_*`,
//! `RT_TABLE_*` (linux/rtnetlink.h), [`RouteData`] with its borrowed view
//! [`Route`] and owned form [`RouteInfo`], request builders and the route
//! operations.
//!
//! [`RouteSpec`] describes a route to add, replace or delete; the builders
//! turn it into the bytes iproute2 6.1 sends (checked against captures in the
//! tests below), including iproute2's defaults: protocol `boot`, table `main`,
//! scope `link` for a unicast route without gateway. Attributes go in the
//! order `RTA_DST`, `RTA_GATEWAY`, `RTA_PRIORITY`, `RTA_PREFSRC`, `RTA_TABLE`,
//! `RTA_OIF` (iproute2 follows the command line, and `dev` always comes last).
//! [`Route::parse`] reads one message in one pass; malformed attributes it
//! reads fail with their name, others are skipped.

use std::net::IpAddr;

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use super::prefix::{addr_bytes, addr_from_bytes, family_of, Prefix};
use super::{RTM_DELROUTE, RTM_GETROUTE, RTM_NEWROUTE};
use crate::error::{DecodeError, Error, Problem, Result};
use crate::netlink::header::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use crate::netlink::{Attr, Connection, Message, MessageBuilder, Request};

/// `struct rtmsg` (linux/rtnetlink.h; not in libc).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct RtMsg {
    pub rtm_family: u8,
    pub rtm_dst_len: u8,
    pub rtm_src_len: u8,
    pub rtm_tos: u8,
    /// `RT_TABLE_*`; tables above 255 are in `RTA_TABLE`.
    pub rtm_table: u8,
    /// `RTPROT_*`.
    pub rtm_protocol: u8,
    /// `RT_SCOPE_*`.
    pub rtm_scope: u8,
    /// `RTN_*`.
    pub rtm_type: u8,
    /// `RTM_F_*` and `RTNH_F_*` flags.
    pub rtm_flags: u32,
}
const _: () = assert!(core::mem::size_of::<RtMsg>() == 12);

/// `struct rta_cacheinfo`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct RtaCacheinfo {
    pub rta_clntref: u32,
    pub rta_lastuse: u32,
    /// Jiffies (USER_HZ) until expiry; 0 when it does not expire.
    pub rta_expires: i32,
    pub rta_error: u32,
    pub rta_used: u32,
    pub rta_id: u32,
    pub rta_ts: u32,
    pub rta_tsage: u32,
}
const _: () = assert!(core::mem::size_of::<RtaCacheinfo>() == 32);

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

/// One route as the kernel reported it, generic over how the raw nests
/// (`B`) are held: [`Route`] borrows them from the message, [`RouteInfo`]
/// owns them. The `struct rtmsg` fields are flattened into plain names;
/// `None` means the kernel did not send the attribute.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RouteData<B> {
    /// `rtm_family`: `AF_INET`, `AF_INET6`, ...
    pub family: u8,
    /// `rtm_dst_len`, `rtm_src_len`: prefix lengths in bits.
    pub dst_len: u8,
    pub src_len: u8,
    /// `rtm_tos`.
    pub tos: u8,
    /// The table: `RTA_TABLE` when present, else `rtm_table`.
    pub table: u32,
    /// `rtm_protocol`: `RTPROT_*`.
    pub protocol: u8,
    /// `rtm_scope`: `RT_SCOPE_*`.
    pub scope: u8,
    /// `rtm_type`: `RTN_*`.
    pub kind: u8,
    /// `rtm_flags`: `RTM_F_*`, `RTNH_F_*` and (cloned routes) `RTCF_*` flags.
    pub flags: u32,
    pub dst: Option<IpAddr>,
    pub src: Option<IpAddr>,
    pub iif: Option<u32>,
    pub oif: Option<u32>,
    pub gateway: Option<IpAddr>,
    /// `RTA_VIA`: a gateway of another address family.
    pub via: Option<IpAddr>,
    /// `RTA_PRIORITY`: the metric.
    pub priority: Option<u32>,
    pub prefsrc: Option<IpAddr>,
    pub mark: Option<u32>,
    pub uid: Option<u32>,
    pub pref: Option<u8>,
    pub nh_id: Option<u32>,
    pub cacheinfo: Option<RtaCacheinfo>,
    /// Raw `RTA_METRICS` nest (`RTAX_*` attributes).
    pub metrics: Option<B>,
    /// Raw `RTA_MULTIPATH` payload (`struct rtnexthop` list).
    pub multipath: Option<B>,
}

/// A route borrowed from the message it was parsed from.
pub type Route<'a> = RouteData<&'a [u8]>;
/// A route that owns its raw nests (what the dump and get functions return).
pub type RouteInfo = RouteData<Vec<u8>>;

fn ip_attr(family: u8, a: &Attr<'_>, name: &'static str) -> Result<IpAddr, DecodeError> {
    addr_from_bytes(family, a.payload()).ok_or(DecodeError::new(
        name,
        Problem::Length {
            want: if family == libc::AF_INET as u8 { 4 } else { 16 },
            got: a.payload().len(),
        },
    ))
}

fn u32_attr(a: &Attr<'_>, name: &'static str) -> Result<u32, DecodeError> {
    a.u32().map_err(|e| e.named(name))
}

impl<'a> Route<'a> {
    /// Read an `RTM_NEWROUTE` / `RTM_DELROUTE` message.
    pub fn parse(msg: &Message<'a>) -> Result<Route<'a>, DecodeError> {
        let (header, attrs) = msg.fixed::<RtMsg>("rtmsg")?;
        let fam = header.rtm_family;
        let ip = fam == libc::AF_INET as u8 || fam == libc::AF_INET6 as u8;
        let mut r = Route {
            family: fam,
            dst_len: header.rtm_dst_len,
            src_len: header.rtm_src_len,
            tos: header.rtm_tos,
            table: u32::from(header.rtm_table),
            protocol: header.rtm_protocol,
            scope: header.rtm_scope,
            kind: header.rtm_type,
            flags: header.rtm_flags,
            ..Route::default()
        };
        for attr in attrs {
            let attr = attr?;
            match attr.kind() {
                RTA_DST if ip => r.dst = Some(ip_attr(fam, &attr, "RTA_DST")?),
                RTA_SRC if ip => r.src = Some(ip_attr(fam, &attr, "RTA_SRC")?),
                RTA_GATEWAY if ip => r.gateway = Some(ip_attr(fam, &attr, "RTA_GATEWAY")?),
                RTA_PREFSRC if ip => r.prefsrc = Some(ip_attr(fam, &attr, "RTA_PREFSRC")?),
                RTA_IIF => r.iif = Some(u32_attr(&attr, "RTA_IIF")?),
                RTA_OIF => r.oif = Some(u32_attr(&attr, "RTA_OIF")?),
                RTA_PRIORITY => r.priority = Some(u32_attr(&attr, "RTA_PRIORITY")?),
                RTA_TABLE => r.table = u32_attr(&attr, "RTA_TABLE")?,
                RTA_MARK => r.mark = Some(u32_attr(&attr, "RTA_MARK")?),
                RTA_UID => r.uid = Some(u32_attr(&attr, "RTA_UID")?),
                RTA_NH_ID => r.nh_id = Some(u32_attr(&attr, "RTA_NH_ID")?),
                RTA_PREF => r.pref = Some(attr.u8().map_err(|e| e.named("RTA_PREF"))?),
                RTA_METRICS => r.metrics = Some(attr.payload()),
                RTA_MULTIPATH => r.multipath = Some(attr.payload()),
                RTA_VIA => {
                    let p = attr.payload();
                    let bad = DecodeError::new("RTA_VIA", Problem::BadValue);
                    let family = p
                        .get(..2)
                        .map(|f| u16::from_ne_bytes([f[0], f[1]]))
                        .ok_or(bad)?;
                    let family = u8::try_from(family).map_err(|_| bad)?;
                    r.via = Some(addr_from_bytes(family, &p[2..]).ok_or(bad)?);
                }
                RTA_CACHEINFO => {
                    let p = attr.payload();
                    // Older kernels send a shorter struct; read what is there.
                    let mut buf = [0u8; 32];
                    if p.len() < 20 {
                        return Err(DecodeError::new(
                            "RTA_CACHEINFO",
                            Problem::Short {
                                want: 20,
                                got: p.len(),
                            },
                        ));
                    }
                    let n = p.len().min(32);
                    buf[..n].copy_from_slice(&p[..n]);
                    r.cacheinfo = RtaCacheinfo::read_from_bytes(&buf).ok();
                }
                _ => {}
            }
        }
        Ok(r)
    }

    /// An owned copy.
    pub fn to_owned(&self) -> RouteInfo {
        RouteInfo {
            family: self.family,
            dst_len: self.dst_len,
            src_len: self.src_len,
            tos: self.tos,
            table: self.table,
            protocol: self.protocol,
            scope: self.scope,
            kind: self.kind,
            flags: self.flags,
            dst: self.dst,
            src: self.src,
            iif: self.iif,
            oif: self.oif,
            gateway: self.gateway,
            via: self.via,
            priority: self.priority,
            prefsrc: self.prefsrc,
            mark: self.mark,
            uid: self.uid,
            pref: self.pref,
            nh_id: self.nh_id,
            cacheinfo: self.cacheinfo,
            metrics: self.metrics.map(<[u8]>::to_vec),
            multipath: self.multipath.map(<[u8]>::to_vec),
        }
    }
}

/// A route to add, replace or delete. `Default` is a unicast route in table
/// main with iproute2's defaults; set at least `family` and `dst`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteSpec {
    /// `AF_INET` or `AF_INET6`.
    pub family: u8,
    /// Destination; `None` is the default route (no `RTA_DST`, length 0).
    pub dst: Option<Prefix>,
    pub gateway: Option<IpAddr>,
    /// Output interface index (`RTA_OIF`).
    pub oif: Option<u32>,
    /// `RTA_PRIORITY`.
    pub metric: Option<u32>,
    /// `None`: main (local for local/broadcast/nat/anycast types), as iproute2.
    pub table: Option<u32>,
    /// `RTA_PREFSRC`.
    pub prefsrc: Option<IpAddr>,
    /// `None`: iproute2's choice (see [`default_route_scope`]).
    pub scope: Option<u8>,
    /// `None`: `RTPROT_BOOT` when adding, 0 when deleting.
    pub protocol: Option<u8>,
    /// `RTN_*`; `None`: unicast when adding, 0 when deleting.
    pub kind: Option<u8>,
    /// `RTNH_F_ONLINK`: the gateway is on the link even without a covering route.
    pub onlink: bool,
}

impl RouteSpec {
    /// A unicast route to `dst` (`None`: default) of `family`.
    pub fn new(family: u8, dst: Option<Prefix>) -> Self {
        RouteSpec {
            family,
            dst,
            ..Default::default()
        }
    }
}

/// The scope iproute2 gives a route whose scope was not given: universe for
/// IPv6; host for local/nat; link for broadcast/multicast/anycast; for
/// unicast, nowhere when deleting, link without a gateway, else universe.
pub fn default_route_scope(family: u8, kind: u8, has_gateway: bool, deleting: bool) -> u8 {
    if family == libc::AF_INET6 as u8 {
        return RT_SCOPE_UNIVERSE;
    }
    match kind {
        RTN_LOCAL | RTN_NAT => RT_SCOPE_HOST,
        RTN_BROADCAST | RTN_MULTICAST | RTN_ANYCAST => RT_SCOPE_LINK,
        RTN_UNICAST | RTN_UNSPEC if deleting => RT_SCOPE_NOWHERE,
        RTN_UNICAST | RTN_UNSPEC if !has_gateway => RT_SCOPE_LINK,
        _ => RT_SCOPE_UNIVERSE,
    }
}

fn route_request(message_type: u16, flags: u16, spec: &RouteSpec) -> Result<Request> {
    let deleting = message_type == RTM_DELROUTE;
    let family = spec.family;
    for a in [spec.dst.map(|p| p.addr), spec.gateway, spec.prefsrc]
        .into_iter()
        .flatten()
    {
        if family_of(&a) != family {
            return Err(Error::Invalid(format!(
                "Error: address family mismatch: {a}"
            )));
        }
    }
    let kind = spec
        .kind
        .unwrap_or(if deleting { RTN_UNSPEC } else { RTN_UNICAST });
    let table = spec.table.unwrap_or(match kind {
        RTN_LOCAL | RTN_BROADCAST | RTN_NAT | RTN_ANYCAST => RT_TABLE_LOCAL,
        _ => RT_TABLE_MAIN,
    });
    let scope = spec
        .scope
        .unwrap_or_else(|| default_route_scope(family, kind, spec.gateway.is_some(), deleting));
    let mut m = MessageBuilder::new(message_type, flags);
    m.header(&RtMsg {
        rtm_family: family,
        rtm_dst_len: spec.dst.map_or(0, |p| p.len),
        rtm_table: u8::try_from(table).unwrap_or(RT_TABLE_UNSPEC as u8),
        rtm_protocol: spec
            .protocol
            .unwrap_or(if deleting { RTPROT_UNSPEC } else { RTPROT_BOOT }),
        rtm_scope: scope,
        rtm_type: kind,
        rtm_flags: if spec.onlink { RTNH_F_ONLINK } else { 0 },
        ..Default::default()
    });
    if let Some(dst) = &spec.dst {
        m.put(RTA_DST, &addr_bytes(&dst.addr));
    }
    if let Some(gw) = &spec.gateway {
        m.put(RTA_GATEWAY, &addr_bytes(gw));
    }
    if let Some(metric) = spec.metric {
        m.put_u32(RTA_PRIORITY, metric);
    }
    if let Some(src) = &spec.prefsrc {
        m.put(RTA_PREFSRC, &addr_bytes(src));
    }
    if table > 255 {
        m.put_u32(RTA_TABLE, table);
    }
    if let Some(oif) = spec.oif {
        m.put_u32(RTA_OIF, oif);
    }
    m.finish()
}

/// `RTM_NEWROUTE` with `NLM_F_CREATE | NLM_F_EXCL` (`ip route add`).
pub fn add_route_request(spec: &RouteSpec) -> Result<Request> {
    route_request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, spec)
}

/// `RTM_NEWROUTE` with `NLM_F_CREATE | NLM_F_REPLACE` (`ip route replace`).
pub fn replace_route_request(spec: &RouteSpec) -> Result<Request> {
    route_request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, spec)
}

/// `RTM_DELROUTE` (`ip route del`): unset fields match any route.
pub fn delete_route_request(spec: &RouteSpec) -> Result<Request> {
    route_request(RTM_DELROUTE, 0, spec)
}

/// `RTM_GETROUTE` dump request of `family` (0: all); with a table, the kernel
/// filters by `RTA_TABLE` (strict checking is on), as iproute2 asks.
pub fn dump_routes_request(family: u8, table: Option<u32>) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETROUTE, 0);
    m.header(&RtMsg {
        rtm_family: family,
        ..Default::default()
    });
    if let Some(t) = table {
        m.put_u32(RTA_TABLE, t);
    }
    m.finish()
}

/// `RTM_GETROUTE` for one destination (`ip route get ADDR`): the kernel
/// answers with the route it would use. IPv4 asks for the FIB table result
/// (`RTM_F_LOOKUP_TABLE`), as iproute2 does.
pub fn get_route_request(dst: &IpAddr) -> Result<Request> {
    let family = family_of(dst);
    let v4 = family == libc::AF_INET as u8;
    let mut m = MessageBuilder::new(RTM_GETROUTE, 0);
    m.header(&RtMsg {
        rtm_family: family,
        rtm_dst_len: if v4 { 32 } else { 128 },
        rtm_flags: if v4 { RTM_F_LOOKUP_TABLE } else { 0 },
        ..Default::default()
    });
    m.put(RTA_DST, &addr_bytes(dst));
    m.finish()
}

/// Add a route; fails with `EEXIST` when one with the same key exists.
#[doc(alias = "RTM_NEWROUTE")]
pub fn add_route(conn: &mut Connection, spec: &RouteSpec) -> Result<()> {
    conn.execute(add_route_request(spec)?)
}

/// Add a route or replace the one with the same key.
pub fn replace_route(conn: &mut Connection, spec: &RouteSpec) -> Result<()> {
    conn.execute(replace_route_request(spec)?)
}

/// Delete the first route matching `spec`.
#[doc(alias = "RTM_DELROUTE")]
pub fn delete_route(conn: &mut Connection, spec: &RouteSpec) -> Result<()> {
    conn.execute(delete_route_request(spec)?)
}

/// Routes of `family` (0: all), without cached (cloned) entries, optionally of one table.
#[doc(alias = "RTM_GETROUTE")]
pub fn dump_routes(
    conn: &mut Connection,
    family: u8,
    table: Option<u32>,
) -> Result<Vec<RouteInfo>> {
    conn.dump_collect(dump_routes_request(family, table)?, |msg| {
        if msg.message_type() != RTM_NEWROUTE {
            return Ok(None);
        }
        let r = Route::parse(&msg)?;
        let keep = (family == 0 || r.family == family)
            && r.flags & RTM_F_CLONED == 0
            && table.map_or(true, |t| t == r.table);
        Ok(keep.then(|| r.to_owned()))
    })
}

/// The route the kernel would use for `dst` (`ip route get`).
pub fn get_route(conn: &mut Connection, dst: &IpAddr) -> Result<RouteInfo> {
    let mut found = None;
    conn.request(get_route_request(dst)?, |msg| {
        if msg.message_type() == RTM_NEWROUTE && found.is_none() {
            found = Some(Route::parse(&msg)?.to_owned());
        }
        Ok(())
    })?;
    found.ok_or(Error::Truncated {
        what: "route get answer (no route in it)",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::header::{NLM_F_ACK, NLM_F_DUMP};
    use crate::netlink::Messages;

    fn hex(s: &str) -> Vec<u8> {
        s.split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).expect("hex byte"))
            .collect()
    }

    fn golden_request(s: &str) -> Vec<u8> {
        let mut v = hex(s);
        v[8..16].fill(0);
        v
    }

    fn with_flags(r: &Request, flags: u16) -> Vec<u8> {
        let mut r = r.clone();
        r.add_flags(flags);
        r.as_bytes().to_vec()
    }

    const V4: u8 = libc::AF_INET as u8;
    const V6: u8 = libc::AF_INET6 as u8;
    const VETH0: u32 = 3;

    fn p(s: &str) -> Option<Prefix> {
        Some(Prefix::parse(s).unwrap())
    }

    fn a(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    macro_rules! golden {
        ($name:literal) => {
            golden_request(include_str!(concat!(
                "../../tests/golden/addr-route/",
                $name,
                ".hex"
            )))
        };
    }

    #[test]
    fn header_size_matches_uapi() {
        assert_eq!(RTA_TABLE, libc::RTA_TABLE);
        assert_eq!(RTA_PREFSRC, libc::RTA_PREFSRC);
        assert_eq!(RT_TABLE_MAIN, u32::from(libc::RT_TABLE_MAIN));
        assert_eq!(u32::from(RTN_UNICAST), u32::from(libc::RTN_UNICAST));
        assert_eq!(RT_SCOPE_LINK, libc::RT_SCOPE_LINK);
    }

    #[test]
    fn add_dev_route_matches_iproute2() {
        let spec = RouteSpec {
            oif: Some(VETH0),
            ..RouteSpec::new(V4, p("10.0.2.0/24"))
        };
        assert_eq!(
            with_flags(&add_route_request(&spec).unwrap(), NLM_F_ACK),
            golden!("route-add-dev")
        );
    }

    #[test]
    fn add_default_via_matches_iproute2() {
        let spec = RouteSpec {
            gateway: a("10.0.1.1"),
            ..RouteSpec::new(V4, None)
        };
        assert_eq!(
            with_flags(&add_route_request(&spec).unwrap(), NLM_F_ACK),
            golden!("route-add-default-via")
        );
    }

    #[test]
    fn add_v6_via_metric_matches_iproute2() {
        let spec = RouteSpec {
            gateway: a("fd00::2"),
            metric: Some(100),
            ..RouteSpec::new(V6, p("fd00:2::/64"))
        };
        assert_eq!(
            with_flags(&add_route_request(&spec).unwrap(), NLM_F_ACK),
            golden!("route-add-v6-via-metric")
        );
    }

    #[test]
    fn add_full_matches_iproute2() {
        let spec = RouteSpec {
            gateway: a("10.0.1.1"),
            oif: Some(VETH0),
            metric: Some(5),
            table: Some(100),
            prefsrc: a("10.0.1.100"),
            protocol: Some(RTPROT_STATIC),
            ..RouteSpec::new(V4, p("10.0.4.0/24"))
        };
        assert_eq!(
            with_flags(&add_route_request(&spec).unwrap(), NLM_F_ACK),
            golden!("route-add-full")
        );
    }

    #[test]
    fn add_onlink_and_scope_match_iproute2() {
        let spec = RouteSpec {
            gateway: a("10.9.9.9"),
            oif: Some(VETH0),
            onlink: true,
            ..RouteSpec::new(V4, p("10.0.5.0/24"))
        };
        assert_eq!(
            with_flags(&add_route_request(&spec).unwrap(), NLM_F_ACK),
            golden!("route-add-onlink")
        );
        let spec = RouteSpec {
            oif: Some(VETH0),
            scope: Some(RT_SCOPE_HOST),
            ..RouteSpec::new(V4, p("10.0.6.0/24"))
        };
        assert_eq!(
            with_flags(&add_route_request(&spec).unwrap(), NLM_F_ACK),
            golden!("route-add-scope-host")
        );
        let spec = RouteSpec {
            gateway: a("10.9.9.9"),
            ..RouteSpec::new(V4, p("10.1.0.0/24"))
        };
        assert_eq!(
            with_flags(&add_route_request(&spec).unwrap(), NLM_F_ACK),
            golden!("route-add-bad-gateway")
        );
    }

    #[test]
    fn replace_and_delete_match_iproute2() {
        let spec = RouteSpec {
            oif: Some(VETH0),
            metric: Some(0),
            ..RouteSpec::new(V4, p("10.0.2.0/24"))
        };
        assert_eq!(
            with_flags(&replace_route_request(&spec).unwrap(), NLM_F_ACK),
            golden!("route-replace-metric0")
        );
        let spec = RouteSpec {
            oif: Some(VETH0),
            ..RouteSpec::new(V4, p("10.0.2.0/24"))
        };
        assert_eq!(
            with_flags(&delete_route_request(&spec).unwrap(), NLM_F_ACK),
            golden!("route-del-dev")
        );
    }

    #[test]
    fn get_and_dump_requests_match_iproute2() {
        assert_eq!(
            get_route_request(&a("10.0.2.100").unwrap())
                .unwrap()
                .as_bytes(),
            &golden!("route-get-v4")[..]
        );
        assert_eq!(
            get_route_request(&a("fd00:2::5").unwrap())
                .unwrap()
                .as_bytes(),
            &golden!("route-get-v6")[..]
        );
        let dump = dump_routes_request(V4, Some(RT_TABLE_MAIN)).unwrap();
        assert_eq!(with_flags(&dump, NLM_F_DUMP), golden!("route-dump-req"));
    }

    #[test]
    fn big_table_goes_in_rta_table() {
        let spec = RouteSpec {
            oif: Some(1),
            table: Some(1000),
            ..RouteSpec::new(V4, p("10.0.2.0/24"))
        };
        let r = add_route_request(&spec).unwrap();
        let msg = Messages::new(r.as_bytes()).next().unwrap().unwrap();
        let (h, attrs) = msg.fixed::<RtMsg>("rtmsg").unwrap();
        assert_eq!(u32::from(h.rtm_table), RT_TABLE_UNSPEC);
        assert_eq!(attrs.find(RTA_TABLE).unwrap().u32().unwrap(), 1000);
        let mixed = RouteSpec {
            gateway: a("fd00::1"),
            ..RouteSpec::new(V4, p("10.0.2.0/24"))
        };
        assert!(add_route_request(&mixed).is_err());
    }

    fn first_route(bytes: &[u8]) -> RouteInfo {
        let msg = Messages::new(bytes).next().unwrap().unwrap();
        Route::parse(&msg).unwrap().to_owned()
    }

    #[test]
    fn parses_captured_get_replies() {
        let r = first_route(&hex(include_str!(
            "../../tests/golden/addr-route/route-get-v4-reply.hex"
        )));
        assert_eq!(r.dst, a("10.0.2.100"));
        assert_eq!(r.gateway, a("10.0.1.1"));
        assert_eq!(r.oif, Some(3));
        assert_eq!(r.prefsrc, a("10.0.1.100"));
        assert_eq!(r.uid, Some(0));
        assert_eq!(r.table, RT_TABLE_MAIN);
        assert_ne!(r.flags & RTM_F_CLONED, 0);
        let r = first_route(&hex(include_str!(
            "../../tests/golden/addr-route/route-get-v6-reply.hex"
        )));
        assert_eq!(r.dst, a("fd00:2::5"));
        assert_eq!(r.gateway, a("fd00::2"));
        assert_eq!(r.priority, Some(100));
        assert_eq!(r.pref, Some(0));
    }

    #[test]
    fn parses_captured_dumps() {
        let bytes = hex(include_str!(
            "../../tests/golden/addr-route/route-dump-reply.hex"
        ));
        let routes: Vec<RouteInfo> = Messages::new(&bytes)
            .map(|m| m.unwrap())
            .filter(|m| m.message_type() == RTM_NEWROUTE)
            .map(|m| Route::parse(&m).unwrap().to_owned())
            .collect();
        assert_eq!(routes[0].dst, None);
        assert_eq!(routes[0].dst_len, 0);
        assert_eq!(routes[0].gateway, a("10.0.1.1"));
        assert!(routes
            .iter()
            .any(|r| r.protocol == RTPROT_KERNEL && r.scope == RT_SCOPE_LINK));
        assert!(routes.iter().any(|r| r.flags & RTNH_F_ONLINK != 0));
        let bytes = hex(include_str!(
            "../../tests/golden/addr-route/route-dump-v6-reply.hex"
        ));
        let mut v6 = 0;
        for m in Messages::new(&bytes) {
            Route::parse(&m.unwrap()).unwrap();
            v6 += 1;
        }
        assert!(v6 >= 2);
    }

    #[test]
    fn every_truncation_of_a_captured_route_fails_cleanly() {
        let bytes = hex(include_str!(
            "../../tests/golden/addr-route/route-get-v6-reply.hex"
        ));
        let len = Messages::new(&bytes)
            .next()
            .unwrap()
            .unwrap()
            .header
            .nlmsg_len as usize;
        for cut in 16..len {
            let mut v = bytes[..cut].to_vec();
            v[0..4].copy_from_slice(&(cut as u32).to_ne_bytes());
            let msg = Messages::new(&v).next().unwrap().unwrap();
            match Route::parse(&msg) {
                Ok(r) => assert!(cut >= 28, "cut {cut}: {r:?}"),
                Err(e) => assert!(!e.what.is_empty()),
            }
        }
    }

    #[test]
    fn malformed_attribute_is_named() {
        let mut m = MessageBuilder::new(RTM_NEWROUTE, 0);
        m.header(&RtMsg {
            rtm_family: V4,
            ..Default::default()
        });
        m.put(RTA_GATEWAY, &[10, 0]);
        let r = m.finish().unwrap();
        let msg = Messages::new(r.as_bytes()).next().unwrap().unwrap();
        assert_eq!(Route::parse(&msg).unwrap_err().what, "RTA_GATEWAY");
        let mut m = MessageBuilder::new(RTM_NEWROUTE, 0);
        m.header(&RtMsg {
            rtm_family: V4,
            ..Default::default()
        });
        m.put(RTA_OIF, &[1, 0]);
        let r = m.finish().unwrap();
        let msg = Messages::new(r.as_bytes()).next().unwrap().unwrap();
        assert_eq!(Route::parse(&msg).unwrap_err().what, "RTA_OIF");
    }

    #[test]
    fn captured_refusal_carries_iproute2s_text() {
        let bytes = hex(include_str!(
            "../../tests/golden/addr-route/route-add-bad-gateway-reply.hex"
        ));
        let request = golden!("route-add-bad-gateway");
        let msg = Messages::new(&bytes).next().unwrap().unwrap();
        let outcome = crate::netlink::ack::parse_error(&msg, Some(&request)).unwrap();
        let k = outcome.unwrap_err();
        assert_eq!(k.errno, libc::ENETUNREACH);
        assert_eq!(k.to_string(), "Error: Nexthop has invalid gateway.");
    }

    #[test]
    fn default_scopes_follow_iproute2() {
        assert_eq!(
            default_route_scope(V4, RTN_UNICAST, false, false),
            RT_SCOPE_LINK
        );
        assert_eq!(
            default_route_scope(V4, RTN_UNICAST, true, false),
            RT_SCOPE_UNIVERSE
        );
        assert_eq!(
            default_route_scope(V4, RTN_UNICAST, true, true),
            RT_SCOPE_NOWHERE
        );
        assert_eq!(
            default_route_scope(V6, RTN_UNICAST, false, false),
            RT_SCOPE_UNIVERSE
        );
        assert_eq!(
            default_route_scope(V4, RTN_LOCAL, false, false),
            RT_SCOPE_HOST
        );
    }
}
