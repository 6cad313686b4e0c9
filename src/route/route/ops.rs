//! Route operations: [`RouteSpec`], the request builders (pure: they return a
//! [`Request`] whose bytes the unit tests compare with what iproute2 6.1
//! sends) and the operations that send them (I/O).
//!
//! The builders apply iproute2's defaults: protocol `boot`, table `main`
//! (`local` for local/broadcast/nat/anycast), the scope of
//! [`default_route_scope`]. Attributes go in the order of
//! [`RouteSpec::order`] (iproute2 follows its command line), then the rest in
//! the order `RTA_DST`, `RTA_SRC`, `RTA_GATEWAY`/`RTA_VIA`, `RTA_PRIORITY`,
//! `RTA_PREFSRC`, `RTA_TABLE`, `RTA_NH_ID`, `RTA_PREF`, `RTA_EXPIRES`; then,
//! as iproute2 always ends, `RTA_OIF`, `RTA_METRICS`, `RTA_MULTIPATH`.

use std::net::IpAddr;

use super::consts::*;
use super::nexthop::{multipath_payload, put_gateway, put_metrics, NextHopSpec, RouteMetrics};
use super::view::{Route, RouteInfo, RtMsg};
use crate::error::{Error, Invalid, Result};
use crate::netlink::header::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use crate::netlink::{Connection, DumpStatus, MessageBuilder, Request};
use crate::route::prefix::{addr_bytes, family_of, Prefix};
use crate::route::{RTM_DELROUTE, RTM_GETROUTE, RTM_NEWROUTE};

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
    /// Source prefix (`RTA_SRC`, iproute2's `from`).
    pub src: Option<Prefix>,
    /// `rtm_tos` (DSCP/TOS byte).
    pub tos: u8,
    /// `RTA_METRICS`.
    pub metrics: RouteMetrics,
    /// `RTA_MULTIPATH`: the next hops of a multipath route.
    pub nexthops: Vec<NextHopSpec>,
    /// `RTA_NH_ID`: a nexthop object instead of a gateway.
    pub nh_id: Option<u32>,
    /// `RTA_PREF`: IPv6 router preference.
    pub pref: Option<u8>,
    /// `RTA_EXPIRES`, seconds (IPv6).
    pub expires: Option<u32>,
    /// `RTA_*` types in the order they are to be sent (iproute2 follows its
    /// command line); those not listed follow in the default order.
    /// `RTA_OIF`, `RTA_METRICS` and `RTA_MULTIPATH` always come last.
    pub order: Vec<u16>,
}

/// The order attributes go in when [`RouteSpec::order`] does not say.
const DEFAULT_ORDER: [u16; 9] = [
    RTA_DST,
    RTA_SRC,
    RTA_GATEWAY,
    RTA_PRIORITY,
    RTA_PREFSRC,
    RTA_TABLE,
    RTA_NH_ID,
    RTA_PREF,
    RTA_EXPIRES,
];

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
/// unicast, nowhere when deleting, link without a gateway (a gateway, next
/// hops or a nexthop object count as one), else universe.
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
    for (a, what) in [
        (spec.dst.map(|p| p.addr), "destination"),
        (spec.src.map(|p| p.addr), "source"),
        (spec.prefsrc, "preferred source"),
    ] {
        let Some(a) = a else { continue };
        if family_of(&a) != family {
            return Err(Error::Invalid(Invalid::FamilyMismatch {
                what,
                address: Some(a),
            }));
        }
    }
    let kind = spec
        .kind
        .unwrap_or(if deleting { RTN_UNSPEC } else { RTN_UNICAST });
    let table = spec.table.unwrap_or(match kind {
        RTN_LOCAL | RTN_BROADCAST | RTN_NAT | RTN_ANYCAST => RT_TABLE_LOCAL,
        _ => RT_TABLE_MAIN,
    });
    let routed = spec.gateway.is_some() || !spec.nexthops.is_empty() || spec.nh_id.is_some();
    let scope = spec
        .scope
        .unwrap_or_else(|| default_route_scope(family, kind, routed, deleting));
    let mut m = MessageBuilder::new(message_type, flags);
    m.header(&RtMsg {
        rtm_family: family,
        rtm_dst_len: spec.dst.map_or(0, |p| p.len),
        rtm_src_len: spec.src.map_or(0, |p| p.len),
        rtm_tos: spec.tos,
        rtm_table: u8::try_from(table).unwrap_or(RT_TABLE_UNSPEC as u8),
        rtm_protocol: spec
            .protocol
            .unwrap_or(if deleting { RTPROT_UNSPEC } else { RTPROT_BOOT }),
        rtm_scope: scope,
        rtm_type: kind,
        rtm_flags: if spec.onlink { RTNH_F_ONLINK } else { 0 },
    });
    let mut sent: Vec<u16> = Vec::with_capacity(DEFAULT_ORDER.len());
    for &kind in spec.order.iter().chain(DEFAULT_ORDER.iter()) {
        let kind = if kind == RTA_VIA { RTA_GATEWAY } else { kind };
        if sent.contains(&kind) {
            continue;
        }
        sent.push(kind);
        match kind {
            RTA_DST => {
                if let Some(dst) = &spec.dst {
                    m.put(RTA_DST, &addr_bytes(&dst.addr));
                }
            }
            RTA_SRC => {
                if let Some(src) = &spec.src {
                    m.put(RTA_SRC, &addr_bytes(&src.addr));
                }
            }
            RTA_GATEWAY => {
                if let Some(gw) = &spec.gateway {
                    put_gateway(&mut m, family, gw);
                }
            }
            RTA_PRIORITY => {
                if let Some(metric) = spec.metric {
                    m.put_u32(RTA_PRIORITY, metric);
                }
            }
            RTA_PREFSRC => {
                if let Some(src) = &spec.prefsrc {
                    m.put(RTA_PREFSRC, &addr_bytes(src));
                }
            }
            RTA_TABLE if table > 255 => {
                m.put_u32(RTA_TABLE, table);
            }
            RTA_NH_ID => {
                if let Some(id) = spec.nh_id {
                    m.put_u32(RTA_NH_ID, id);
                }
            }
            RTA_PREF => {
                if let Some(p) = spec.pref {
                    m.put(RTA_PREF, &[p]);
                }
            }
            RTA_EXPIRES => {
                if let Some(e) = spec.expires {
                    m.put_u32(RTA_EXPIRES, e);
                }
            }
            _ => {}
        }
    }
    if let Some(oif) = spec.oif {
        m.put_u32(RTA_OIF, oif);
    }
    put_metrics(&mut m, &spec.metrics);
    if !spec.nexthops.is_empty() {
        m.put(RTA_MULTIPATH, &multipath_payload(family, &spec.nexthops));
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
    dump_routes_filtered_request(&RouteDumpFilter {
        family,
        table,
        ..Default::default()
    })
}

/// What a route dump asks the kernel to filter on, as iproute2's
/// `iproute_dump_filter` asks: `rtm_protocol`, `RTA_TABLE`, `RTA_OIF`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RouteDumpFilter {
    /// 0: all families.
    pub family: u8,
    /// `None`: all tables.
    pub table: Option<u32>,
    /// 0: any protocol.
    pub protocol: u8,
    /// Routes whose next hop (one of them) leaves by this interface.
    pub oif: Option<u32>,
}

/// `RTM_GETROUTE` dump request with `filter` (iproute2's bytes).
pub fn dump_routes_filtered_request(filter: &RouteDumpFilter) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETROUTE, 0);
    m.header(&RtMsg {
        rtm_family: filter.family,
        rtm_protocol: filter.protocol,
        ..Default::default()
    });
    if let Some(t) = filter.table {
        m.put_u32(RTA_TABLE, t);
    }
    if let Some(o) = filter.oif {
        m.put_u32(RTA_OIF, o);
    }
    m.finish()
}

/// `RTM_GETROUTE` for one destination (`ip route get ADDR`): the kernel
/// answers with the route it would use. IPv4 asks for the FIB table result
/// (`RTM_F_LOOKUP_TABLE`), as iproute2 does.
pub fn get_route_request(dst: &IpAddr) -> Result<Request> {
    route_query_request(&RouteQuery::to(*dst))
}

/// A route lookup (`ip route get`): where `dst` would go, from `src`, in on
/// `iif` or out of `oif`, for packets with `mark`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteQuery {
    /// 0: the family of the addresses (IPv4 when none).
    pub family: u8,
    /// `None`: iproute2's `get any` / `get default` (no `RTA_DST`).
    pub dst: Option<IpAddr>,
    /// `rtm_dst_len`: 32 or 128 (iproute2 forces the full length).
    pub dst_len: u8,
    pub src: Option<IpAddr>,
    pub src_len: u8,
    /// `RTA_SRC` goes before `RTA_DST` (iproute2 follows its command line).
    pub src_first: bool,
    pub tos: u8,
    pub iif: Option<u32>,
    pub oif: Option<u32>,
    /// 0: none (iproute2 does not send a zero mark).
    pub mark: u32,
    pub uid: Option<u32>,
    /// `RTM_F_FIB_MATCH`: answer with the FIB entry, not the resolved route.
    pub fib_match: bool,
}

impl RouteQuery {
    /// A lookup of `dst` alone.
    pub fn to(dst: IpAddr) -> RouteQuery {
        RouteQuery {
            family: family_of(&dst),
            dst: Some(dst),
            dst_len: if dst.is_ipv4() { 32 } else { 128 },
            ..Default::default()
        }
    }
}

/// `RTM_GETROUTE` for `q`, with iproute2's bytes: `RTA_SRC`/`RTA_DST` (in
/// command-line order), `RTA_UID`, then `RTA_IIF`, `RTA_OIF`, `RTA_MARK`.
pub fn route_query_request(q: &RouteQuery) -> Result<Request> {
    let family = if q.family == 0 {
        libc::AF_INET as u8
    } else {
        q.family
    };
    let v4 = family == libc::AF_INET as u8;
    let mut m = MessageBuilder::new(RTM_GETROUTE, 0);
    let mut flags = if v4 { RTM_F_LOOKUP_TABLE } else { 0 };
    if q.fib_match {
        flags |= RTM_F_FIB_MATCH;
    }
    m.header(&RtMsg {
        rtm_family: family,
        rtm_dst_len: q.dst_len,
        rtm_src_len: q.src_len,
        rtm_tos: q.tos,
        rtm_flags: flags,
        ..Default::default()
    });
    let put_src = |m: &mut MessageBuilder| {
        if let Some(s) = &q.src {
            m.put(RTA_SRC, &addr_bytes(s));
        }
    };
    if q.src_first {
        put_src(&mut m);
    }
    if let Some(uid) = q.uid {
        m.put_u32(RTA_UID, uid);
    }
    if let Some(d) = &q.dst {
        m.put(RTA_DST, &addr_bytes(d));
    }
    if !q.src_first {
        put_src(&mut m);
    }
    if let Some(i) = q.iif {
        m.put_u32(RTA_IIF, i);
    }
    if let Some(o) = q.oif {
        m.put_u32(RTA_OIF, o);
    }
    if q.mark != 0 {
        m.put_u32(RTA_MARK, q.mark);
    }
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

/// Whether a dumped route belongs in a listing of `family` (0: all) and
/// `table` (`None`: all): cached (cloned) entries never do.
fn listed(r: &Route<'_>, family: u8, table: Option<u32>) -> bool {
    (family == 0 || r.family == family)
        && r.flags & RTM_F_CLONED == 0
        && table.map_or(true, |t| t == r.table)
}

/// Routes of `family` (0: all), without cached (cloned) entries, optionally of
/// one table, collected (the dump is started again when the table changed
/// while it was read). [`for_each_route`] streams them instead.
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
        Ok(listed(&r, family, table).then(|| r.to_owned()))
    })
}

/// Each route of `family` (0: all) and `table` (`None`: all), without cached
/// entries, handed to `f` as a view borrowed from the receive buffer, in
/// the kernel's order: nothing is kept, memory does not depend on the size
/// of the table. An error of `f` (or a route the view cannot read) ends the
/// dump. Says whether the table changed while it was read.
pub fn for_each_route<E, F>(
    conn: &mut Connection,
    family: u8,
    table: Option<u32>,
    mut f: F,
) -> std::result::Result<DumpStatus, E>
where
    E: From<Error>,
    F: FnMut(&Route<'_>) -> std::result::Result<(), E>,
{
    conn.dump(dump_routes_request(family, table)?, |msg| {
        if msg.message_type() != RTM_NEWROUTE {
            return Ok(());
        }
        let r = Route::parse(&msg).map_err(Error::from)?;
        if listed(&r, family, table) {
            f(&r)?;
        }
        Ok(())
    })
}

/// Each route the kernel sends for a dump filtered by `filter` (cached
/// entries included: the caller decides), handed to `f` as a view borrowed
/// from the receive buffer, nothing kept. Says whether the table changed
/// while it was read.
pub fn for_each_route_filtered<E, F>(
    conn: &mut Connection,
    filter: &RouteDumpFilter,
    mut f: F,
) -> std::result::Result<DumpStatus, E>
where
    E: From<Error>,
    F: FnMut(&Route<'_>) -> std::result::Result<(), E>,
{
    conn.dump(dump_routes_filtered_request(filter)?, |msg| {
        if msg.message_type() != RTM_NEWROUTE {
            return Ok(());
        }
        f(&Route::parse(&msg).map_err(Error::from)?)
    })
}

/// The route the kernel would use for `dst` (`ip route get`).
pub fn get_route(conn: &mut Connection, dst: &IpAddr) -> Result<RouteInfo> {
    query_route(conn, &RouteQuery::to(*dst))
}

/// The kernel's answer to a route lookup (`ip route get ... from ... oif ...`).
pub fn query_route(conn: &mut Connection, q: &RouteQuery) -> Result<RouteInfo> {
    let mut found = None;
    conn.request(route_query_request(q)?, |msg| {
        if msg.message_type() == RTM_NEWROUTE && found.is_none() {
            found = Some(Route::parse(&msg)?.to_owned());
        }
        Ok(())
    })?;
    found.ok_or(Error::Truncated {
        what: "route get answer (no route in it)",
    })
}
