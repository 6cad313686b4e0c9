//! The ipip lab: two "nodes" joined by an underlay veth (192.168.60.1/24 -
//! 192.168.60.2/24), each with an ipip tunnel to the other (as Calico's IPIP
//! mode builds them) carrying 10.200.0.1 <-> 10.200.0.2. Where the kernel
//! lacks ipip, the lab says so and stops before creating anything.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::AtomicBool;

use super::steps::{add_address, add_namespace, add_route, add_veth_into, in_ns, ping, set_up};
use super::{Expect, Observer, Report, Workspace};
use crate::route::kind::TunnelParams;
use crate::route::link::LinkKind;
use crate::route::link::{self, LinkSpec};

/// Run the ipip lab, reporting to `observer`; `stop` ends it early.
pub fn ipip_lab(observer: &mut dyn Observer, stop: &AtomicBool) -> Report {
    let mut ws = Workspace::new(observer, stop);
    if ws.require_kind("ipip") {
        let _ = run(&mut ws);
    }
    ws.finish()
}

fn run(ws: &mut Workspace<'_>) -> Option<()> {
    let nodes = [ws.name("node1"), ws.name("node2")];
    ws.note("Two nodes and the underlay between them.");
    for node in &nodes {
        add_namespace(ws, node)?;
    }
    in_ns(
        ws,
        &nodes[0],
        &format!("link add eth0 type veth peer name eth0 netns {}", nodes[1]),
        |c| add_veth_into(c, "eth0", "eth0", &nodes[1]),
    )?;
    let underlay = |n: u8| Ipv4Addr::new(192, 168, 60, n);
    for (i, node) in nodes.iter().enumerate() {
        let (me, peer) = (i as u8 + 1, 2 - i as u8);
        let address = format!("{}/24", underlay(me));
        in_ns(ws, node, &format!("addr add {address} dev eth0"), |c| {
            add_address(c, "eth0", &address)
        })?;
        in_ns(ws, node, "link set eth0 up", |c| set_up(c, "eth0"))?;
        let words = format!(
            "link add tun0 type ipip local {} remote {} ttl 64",
            underlay(me),
            underlay(peer)
        );
        in_ns(ws, node, &words, |c| {
            let params = TunnelParams {
                local: Some(underlay(me)),
                remote: Some(underlay(peer)),
                ttl: 64,
                link: 0,
            };
            link::add_link(c, &LinkSpec::new("tun0", LinkKind::Ipip(params)))
        })?;
        let inner = format!("10.200.0.{me}/32");
        in_ns(ws, node, &format!("addr add {inner} dev tun0"), |c| {
            add_address(c, "tun0", &inner)
        })?;
        in_ns(ws, node, "link set tun0 up", |c| set_up(c, "tun0"))?;
        let route = format!("10.200.0.{peer}/32");
        in_ns(ws, node, &format!("route add {route} dev tun0"), |c| {
            add_route(c, &route, "tun0")
        })?;
    }
    ws.note("10.200.0.2 is reached through the tunnel: IPv4 inside IPv4 across the underlay.");
    ping(
        ws,
        &nodes[0],
        IpAddr::from([10, 200, 0, 2]),
        3,
        Expect::Success,
    )
}
