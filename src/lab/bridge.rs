//! The bridge lab: one "node" namespace with a Linux bridge `cni0`
//! (10.244.1.1/24), and three "pod" namespaces, each joined to the bridge by a
//! veth pair whose pod end is `eth0`, as a bridge CNI plugin wires pods. Pods
//! reach each other through the bridge and the node through its address.

use std::net::IpAddr;
use std::sync::atomic::AtomicBool;

use super::steps::{
    add_address, add_default_route, add_namespace, add_veth_into, check, in_ns, ping, seen,
    set_master, set_up,
};
use super::{Expect, Observer, Report, Workspace};
use crate::error::Result;
use crate::netlink::Connection;
use crate::route::kind::BridgeParams;
use crate::route::link::LinkKind;
use crate::route::link::{self, LinkSpec};

const PODS: u8 = 3;

/// Run the bridge lab, reporting to `observer`; `stop` ends it early.
pub fn bridge_lab(observer: &mut dyn Observer, stop: &AtomicBool) -> Report {
    let mut ws = Workspace::new(observer, stop);
    let _ = run(&mut ws);
    ws.finish()
}

fn run(ws: &mut Workspace<'_>) -> Option<()> {
    let node = ws.name("node");
    ws.note(&format!(
        "Namespace {node} plays the node; the bridge cni0 is its pods' switch and gateway."
    ));
    add_namespace(ws, &node)?;
    in_ns(ws, &node, "link add cni0 type bridge", |c| {
        link::add_link(
            c,
            &LinkSpec::new("cni0", LinkKind::Bridge(BridgeParams::default())),
        )
    })?;
    in_ns(ws, &node, "addr add 10.244.1.1/24 dev cni0", |c| {
        add_address(c, "cni0", "10.244.1.1/24")
    })?;
    in_ns(ws, &node, "link set cni0 up", |c| set_up(c, "cni0"))?;

    let pods: Vec<String> = (1..=PODS).map(|i| ws.name(&format!("pod{i}"))).collect();
    for (i, pod) in (1..=PODS).zip(&pods) {
        let host_end = format!("veth{i}");
        let address = format!("10.244.1.{}/24", i + 1);
        ws.note(&format!(
            "Pod {i}: a veth pair, eth0 inside {pod}, {host_end} on the bridge."
        ));
        add_namespace(ws, pod)?;
        in_ns(
            ws,
            &node,
            &format!("link add {host_end} type veth peer name eth0 netns {pod}"),
            |c| add_veth_into(c, &host_end, "eth0", pod),
        )?;
        in_ns(
            ws,
            &node,
            &format!("link set {host_end} master cni0"),
            |c| set_master(c, &host_end, "cni0"),
        )?;
        in_ns(ws, &node, &format!("link set {host_end} up"), |c| {
            set_up(c, &host_end)
        })?;
        in_ns(ws, pod, &format!("addr add {address} dev eth0"), |c| {
            add_address(c, "eth0", &address)
        })?;
        in_ns(ws, pod, "link set eth0 up", |c| set_up(c, "eth0"))?;
        in_ns(ws, pod, "route add default via 10.244.1.1", |c| {
            add_default_route(c, IpAddr::from([10, 244, 1, 1]))
        })?;
    }
    check(ws.step(
        &format!("rawnet -n {node} link show master cni0"),
        Expect::Success,
        |w| seen(w.connection(&node).and_then(|mut c| describe_ports(&mut c))),
    ))?;

    ws.note("Pod to pod: the bridge forwards between its ports.");
    ping(
        ws,
        &pods[0],
        IpAddr::from([10, 244, 1, 3]),
        3,
        Expect::Success,
    )?;
    ping(
        ws,
        &pods[0],
        IpAddr::from([10, 244, 1, 4]),
        3,
        Expect::Success,
    )?;
    ping(
        ws,
        &pods[2],
        IpAddr::from([10, 244, 1, 3]),
        3,
        Expect::Success,
    )?;
    ws.note("Pod to gateway: the bridge's own address answers.");
    ping(
        ws,
        &pods[1],
        IpAddr::from([10, 244, 1, 1]),
        3,
        Expect::Success,
    )
}

/// The bridge's ports, as `link show master cni0` lists them.
fn describe_ports(conn: &mut Connection) -> Result<String> {
    let bridge = link::link_index(conn, "cni0")?;
    let mut ports: Vec<String> = link::dump_ports(conn, bridge)?
        .into_iter()
        .map(|l| l.name_lossy().into_owned())
        .collect();
    ports.sort();
    Ok(format!("ports of cni0: {}", ports.join(", ")))
}
