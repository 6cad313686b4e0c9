//! Steps the labs share: a `rawnet -n NS ...` step on a connection inside a
//! namespace, the usual link/address/route changes, and a ping step.

use std::net::IpAddr;
use std::os::fd::AsFd;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use super::{Expect, Outcome, Workspace};
use crate::error::Result;
use crate::icmp::ping::{PingConfig, Pinger};
use crate::icmp::socket::EchoSocket;
use crate::icmp::stats::Statistics;
use crate::netlink::Connection;
use crate::ns::{self, NetNs};
use crate::route::addr::{self, AddressOptions};
use crate::route::link::{self, LinkChanges, LinkRef, NetnsRef};
use crate::route::prefix::Prefix;
use crate::route::route::{self as rt, RouteSpec};

pub(super) fn check(as_expected: bool) -> Option<()> {
    as_expected.then_some(())
}

pub(super) fn done(r: Result<()>) -> Outcome {
    match r {
        Ok(()) => Outcome::Done,
        Err(e) => Outcome::Failed(e),
    }
}

pub(super) fn seen(r: Result<String>) -> Outcome {
    match r {
        Ok(s) => Outcome::Seen(s),
        Err(e) => Outcome::Failed(e),
    }
}

/// One `rawnet -n NS ...` step that must succeed, run on a connection inside `ns`.
pub(super) fn in_ns(
    ws: &mut Workspace<'_>,
    ns: &str,
    words: &str,
    action: impl Fn(&mut Connection) -> Result<()>,
) -> Option<()> {
    in_ns_dyn(ws, ns, words, &action)
}

/// [`in_ns`] compiled once, not once per step's closure.
fn in_ns_dyn(
    ws: &mut Workspace<'_>,
    ns: &str,
    words: &str,
    action: &dyn Fn(&mut Connection) -> Result<()>,
) -> Option<()> {
    let command = format!("rawnet -n {ns} {words}");
    check(ws.step(&command, Expect::Success, |w| {
        done(w.connection(ns).and_then(|mut c| action(&mut c)))
    }))
}

pub(super) fn add_address(conn: &mut Connection, dev: &str, prefix: &str) -> Result<()> {
    let index = link::link_index(conn, dev)?;
    addr::add_address(
        conn,
        index,
        &Prefix::parse(prefix)?,
        &AddressOptions::default(),
    )
}

pub(super) fn set_up(conn: &mut Connection, dev: &str) -> Result<()> {
    let changes = LinkChanges {
        up: Some(true),
        ..Default::default()
    };
    link::set_link(conn, LinkRef::name(dev), &changes)
}

pub(super) fn move_link(conn: &mut Connection, dev: &str, netns: &str) -> Result<()> {
    let target = NetNs::open_named(netns)?;
    let changes = LinkChanges {
        netns: Some(NetnsRef::Fd(target.as_fd())),
        ..Default::default()
    };
    link::set_link(conn, LinkRef::name(dev), &changes)
}

pub(super) fn add_route(conn: &mut Connection, dst: &str, dev: &str) -> Result<()> {
    let dst = Prefix::parse(dst)?;
    let mut spec = RouteSpec::new(dst.family(), Some(dst));
    spec.oif = Some(link::link_index(conn, dev)?);
    rt::add_route(conn, &spec)
}

/// `rawnet -n NS ping -c COUNT [-W 1] DEST`.
pub(super) fn ping(
    ws: &mut Workspace<'_>,
    ns: &str,
    dest: IpAddr,
    count: u64,
    expect: Expect,
) -> Option<()> {
    let mut config = PingConfig::new(dest);
    config.count = Some(count);
    config.timeout = Duration::from_secs(1);
    config.interval = Duration::from_millis(200);
    let command = if count == 1 {
        format!("rawnet -n {ns} ping -c 1 -W 1 {dest}")
    } else {
        format!("rawnet -n {ns} ping -c {count} -i 0.2 {dest}")
    };
    check(ws.step(&command, expect, |w| {
        let stop = w.stop_flag();
        match run_ping(ns, config.clone(), stop) {
            Ok(stats) => Outcome::Ping {
                config: Box::new(config),
                stats: Box::new(stats),
            },
            Err(e) => Outcome::Failed(e),
        }
    }))
}

pub(super) fn run_ping(ns: &str, config: PingConfig, stop: &AtomicBool) -> Result<Statistics> {
    let netns = NetNs::open_named(ns)?;
    let options = config.socket_options();
    let socket = ns::run_in(&netns, || EchoSocket::open(config.family(), &options))??;
    Pinger::new(socket, config)?.run(stop, |_| {})
}

/// `rawnet netns add NAME`, owned by the workspace (removed when it drops).
pub(super) fn add_namespace(ws: &mut Workspace<'_>, name: &str) -> Option<()> {
    check(
        ws.step(&format!("rawnet netns add {name}"), Expect::Success, |w| {
            done(w.add_namespace(name))
        }),
    )
}

/// A veth pair `name` <-> `peer` with the peer created straight in the named
/// namespace `peer_ns`, as a CNI plugin makes a pod's interface.
pub(super) fn add_veth_into(
    conn: &mut Connection,
    name: &str,
    peer: &str,
    peer_ns: &str,
) -> Result<()> {
    let target = NetNs::open_named(peer_ns)?;
    link::add_veth(conn, name, peer, Some(target.as_fd()))
}

/// `route add default via GATEWAY`.
pub(super) fn add_default_route(conn: &mut Connection, gateway: IpAddr) -> Result<()> {
    let mut spec = RouteSpec::new(crate::route::prefix::family_of(&gateway), None);
    spec.gateway = Some(gateway);
    rt::add_route(conn, &spec)
}

/// `link set DEV master BRIDGE`.
pub(super) fn set_master(conn: &mut Connection, dev: &str, bridge: &str) -> Result<()> {
    let master = link::link_index(conn, bridge)?;
    let changes = LinkChanges {
        master: Some(master),
        ..Default::default()
    };
    link::set_link(conn, LinkRef::name(dev), &changes)
}

/// `rawnet netns exec NS sysctl -w NAME=VALUE`: a per-namespace sysctl.
pub(super) fn set_sysctl(ws: &mut Workspace<'_>, ns: &str, name: &str, value: &str) -> Option<()> {
    let command = format!("rawnet netns exec {ns} sysctl -w {name}={value}");
    check(ws.step(&command, Expect::Success, |_| {
        done(NetNs::open_named(ns).and_then(|n| ns::set_sysctl(&n, name, value)))
    }))
}
