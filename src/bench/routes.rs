//! The route suite: `count` IPv4 /32 routes (10.0.0.0 upwards) on one veth
//! that is up: added, dumped (parsed, then walked), deleted. The routes are
//! what `ip route add 10.A.B.C/32 dev bench0` adds.

use std::hint::black_box;
use std::net::Ipv4Addr;

use super::changes::measure_changes;
use super::dumps::measure_dump;
use super::{host_address, Measurement, Operation, Progress, Settings};
use crate::error::Result;
use crate::netlink::Connection;
use crate::route::link::{self, LinkChanges};
use crate::route::prefix::Prefix;
use crate::route::route::{
    add_route_request, delete_route_request, dump_routes_request, Route, RouteSpec, RT_TABLE_MAIN,
};
use crate::route::RTM_NEWROUTE;

/// The first route is to this address.
const FIRST: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 0);
/// The veth the routes go out of, and its peer.
const DEVICE: &str = "bench0";
const PEER: &str = "bench1";

pub(super) fn run(
    conn: &mut Connection,
    settings: &Settings,
    progress: &mut dyn Progress,
) -> Result<Vec<Measurement>> {
    progress.setup("a veth pair for the routes");
    let oif = up_veth(conn, DEVICE, PEER)?;
    let count = settings.count;
    let route = |i: usize| -> Result<RouteSpec> {
        let mut spec = RouteSpec::new(
            libc::AF_INET as u8,
            Some(Prefix {
                addr: host_address(FIRST, i)?.into(),
                len: 32,
            }),
        );
        spec.oif = Some(oif);
        Ok(spec)
    };
    let family = libc::AF_INET as u8;
    let table = Some(RT_TABLE_MAIN);
    let mut results = Vec::with_capacity(4);
    results.push(measure_changes(
        conn,
        Operation::RouteAdd,
        count,
        settings.batch,
        progress,
        |i| add_route_request(&route(i)?),
    )?);
    results.push(measure_dump(
        conn,
        Operation::RouteDump,
        dump_routes_request(family, table)?,
        count as u64,
        progress,
        |msg| {
            if msg.message_type() != RTM_NEWROUTE {
                return Ok(false);
            }
            black_box(Route::parse(msg)?);
            Ok(true)
        },
    )?);
    results.push(measure_dump(
        conn,
        Operation::RouteWalk,
        dump_routes_request(family, table)?,
        count as u64,
        progress,
        |msg| Ok(msg.message_type() == RTM_NEWROUTE),
    )?);
    results.push(measure_changes(
        conn,
        Operation::RouteDelete,
        count,
        settings.batch,
        progress,
        |i| delete_route_request(&route(i)?),
    )?);
    Ok(results)
}

/// Make the veth pair `name` <-> `peer`, both up; the index of `name`.
pub(super) fn up_veth(conn: &mut Connection, name: &str, peer: &str) -> Result<u32> {
    link::add_veth(conn, name, peer, None)?;
    let up = LinkChanges {
        up: Some(true),
        ..Default::default()
    };
    link::set_link(conn, peer.into(), &up)?;
    link::set_link(conn, name.into(), &up)?;
    link::link_index(conn, name)
}
