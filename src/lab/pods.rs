//! Wiring the labs share: a node's bridge `cni0` (10.244.1.1/24, the pods'
//! switch and gateway), a pod joined to it by a veth pair as a bridge CNI
//! plugin joins one, and a ping that waits until a path just made answers.

use std::net::IpAddr;
use std::time::Duration;

use super::steps::{
    add_address, add_default_route, add_veth_into, check, in_ns, run_ping, set_master, set_up,
};
use super::{Expect, Outcome, Workspace};
use crate::icmp::ping::PingConfig;
use crate::route::kind::BridgeParams;
use crate::route::link::{self, LinkKind, LinkSpec};

/// The bridge's address: every pod's default gateway.
pub(super) const GATEWAY: [u8; 4] = [10, 244, 1, 1];

/// `rawnet -n NS ping -c 1 -w 5 -i 0.2 DEST`: ping until one reply comes
/// back, for up to 5 seconds: a link just set up may drop the first
/// packets (its carrier comes up a moment later), and an echo request held
/// back in a queue could reach its target after the NAT rules it predates.
pub(super) fn reach(ws: &mut Workspace<'_>, ns: &str, dest: IpAddr) -> Option<()> {
    let mut config = PingConfig::new(dest);
    config.count = Some(1);
    config.deadline = Some(Duration::from_secs(5));
    config.timeout = Duration::from_secs(1);
    config.interval = Duration::from_millis(200);
    let command = format!("rawnet -n {ns} ping -c 1 -w 5 -i 0.2 {dest}");
    check(ws.step(&command, Expect::Success, |w| {
        match run_ping(ns, config.clone(), w.stop_flag()) {
            Ok(stats) => Outcome::Ping {
                config: Box::new(config),
                stats: Box::new(stats),
            },
            Err(e) => Outcome::Failed(e),
        }
    }))
}

/// The node's bridge `cni0`, 10.244.1.1/24: its pods' switch and gateway.
pub(super) fn add_bridge(ws: &mut Workspace<'_>, node: &str) -> Option<()> {
    in_ns(ws, node, "link add cni0 type bridge", |c| {
        link::add_link(
            c,
            &LinkSpec::new("cni0", LinkKind::Bridge(BridgeParams::default())),
        )
    })?;
    in_ns(ws, node, "addr add 10.244.1.1/24 dev cni0", |c| {
        add_address(c, "cni0", "10.244.1.1/24")
    })?;
    in_ns(ws, node, "link set cni0 up", |c| set_up(c, "cni0"))
}

/// One pod on the bridge: `host_end` on `cni0`, `eth0` in `pod` with
/// `address`/24 and a default route via the bridge.
pub(super) fn add_pod(
    ws: &mut Workspace<'_>,
    node: &str,
    pod: &str,
    host_end: &str,
    address: [u8; 4],
) -> Option<()> {
    in_ns(
        ws,
        node,
        &format!("link add {host_end} type veth peer name eth0 netns {pod}"),
        |c| add_veth_into(c, host_end, "eth0", pod),
    )?;
    in_ns(ws, node, &format!("link set {host_end} master cni0"), |c| {
        set_master(c, host_end, "cni0")
    })?;
    in_ns(ws, node, &format!("link set {host_end} up"), |c| {
        set_up(c, host_end)
    })?;
    let address = format!("{}/24", IpAddr::from(address));
    in_ns(ws, pod, &format!("addr add {address} dev eth0"), |c| {
        add_address(c, "eth0", &address)
    })?;
    in_ns(ws, pod, "link set eth0 up", |c| set_up(c, "eth0"))?;
    in_ns(ws, pod, "route add default via 10.244.1.1", |c| {
        add_default_route(c, IpAddr::from(GATEWAY))
    })
}
