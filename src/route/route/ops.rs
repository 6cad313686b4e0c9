//! Route operations: [`RouteSpec`], the request builders (pure: they return a
//! [`Request`] whose bytes the unit tests compare with what iproute2 6.1
//! sends) and the operations that send them (I/O).
//!
//! The builders apply iproute2's defaults: protocol `boot`, table `main`
//! (`local` for local/broadcast/nat/anycast), the scope of
//! [`default_route_scope`]. Attributes go in the order `RTA_DST`,
//! `RTA_GATEWAY`, `RTA_PRIORITY`, `RTA_PREFSRC`, `RTA_TABLE`, `RTA_OIF`
//! (iproute2 follows the command line, and `dev` always comes last).

use std::net::IpAddr;

use super::consts::*;
use super::view::{Route, RouteInfo, RtMsg};
use crate::error::{Error, Result};
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
