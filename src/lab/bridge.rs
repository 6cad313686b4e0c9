//! The bridge lab: one "node" namespace with a Linux bridge `cni0`
//! (10.244.1.1/24), and three "pod" namespaces, each joined to the bridge by a
//! veth pair whose pod end is `eth0`, as a bridge CNI plugin wires pods. Pods
//! reach each other through the bridge and the node through its address.

use std::net::IpAddr;
use std::sync::atomic::AtomicBool;

use super::pods::{add_bridge, add_pod};
use super::steps::{add_namespace, check, ping, seen};
use super::{Expect, Observer, Report, Workspace};
use crate::error::Result;
use crate::netlink::Connection;
use crate::route::link;

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
    add_bridge(ws, &node)?;

    let pods: Vec<String> = (1..=PODS).map(|i| ws.name(&format!("pod{i}"))).collect();
    for (i, pod) in (1..=PODS).zip(&pods) {
        let host_end = format!("veth{i}");
        ws.note(&format!(
            "Pod {i}: a veth pair, eth0 inside {pod}, {host_end} on the bridge."
        ));
        add_namespace(ws, pod)?;
        add_pod(ws, &node, pod, &host_end, [10, 244, 1, i + 1])?;
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
