//! The service lab: kube-proxy's ClusterIP in nftables. Two pods
//! (10.244.1.2, 10.244.1.3) behind the bridge `cni0` of a "node"
//! namespace; a "client" namespace joined to the node by a veth
//! (192.168.60.2 - 192.168.60.1) with a route to the service range
//! 10.96.0.0/12 via the node. No interface holds the service address
//! 10.96.0.10: until the node's prerouting chain (table `ip
//! rawnet-service`) has `ip daddr 10.96.0.10 dnat to numgen inc mod 2 map
//! { 0 : 10.244.1.2, 1 : 10.244.1.3 }`, the client's ping of it fails.
//! With the rule, each new connection (each `ping -c 1`: ICMP echo is
//! tracked per identifier, and every ping has its own) goes to the next pod
//! in turn; a counter in each pod's own input chain shows both answered.

use std::net::IpAddr;
use std::sync::atomic::AtomicBool;

use super::nat::{pod_counter_rule, pod_input_chain, prerouting_chain};
use super::nft_steps::{
    add_rule, add_table, list_counted_chain, nft, probe_nftables, NftCommand, Packets,
};
use super::pods::{add_bridge, add_pod, reach};
use super::steps::{add_address, add_namespace, add_veth_into, in_ns, ping, set_sysctl, set_up};
use super::{Expect, Observer, Report, Workspace};
use crate::error::Result;
use crate::nft::expr::compile::{Match, Side, Stmt};
use crate::route::link;
use crate::route::prefix::Prefix;
use crate::route::route::{self as rt, RouteSpec};

/// The node's service table.
pub(super) const SERVICE_TABLE: &str = "rawnet-service";
const SERVICE: [u8; 4] = [10, 96, 0, 10];
const PODS: [[u8; 4]; 2] = [[10, 244, 1, 2], [10, 244, 1, 3]];
const NODE_UPLINK: [u8; 4] = [192, 168, 60, 1];
/// How many `ping -c 1` the client sends to the service.
const CONNECTIONS: usize = 4;

/// Run the service lab, reporting to `observer`; `stop` ends it early.
/// Where the kernel lacks nf_tables it says so and makes nothing.
pub fn service_lab(observer: &mut dyn Observer, stop: &AtomicBool) -> Report {
    let mut ws = Workspace::new(observer, stop);
    if ws.require("nf_tables (with NAT)", probe_nftables) {
        let _ = run(&mut ws);
    }
    ws.finish()
}

/// The ClusterIP rule: new connections to the service go to the pods in turn.
pub(super) fn service_rule() -> Result<NftCommand> {
    add_rule(
        SERVICE_TABLE,
        "prerouting",
        "ip daddr 10.96.0.10 dnat to numgen inc mod 2 map { 0 : 10.244.1.2, 1 : 10.244.1.3 }",
        &[
            Stmt::Match(Match::Addr {
                side: Side::Destination,
                not: false,
                addr: IpAddr::from(SERVICE),
                len: 32,
            }),
            Stmt::DnatNumgenMap {
                random: false,
                modulus: 2,
                map: vec![(0, IpAddr::from(PODS[0])), (1, IpAddr::from(PODS[1]))],
            },
        ],
    )
}

/// Every nft command of the lab, in order, with the short name of the
/// namespace each runs in (for the golden tests).
#[cfg(test)]
pub(super) fn commands() -> Vec<(&'static str, Result<NftCommand>)> {
    use super::nat::POD_TABLE;
    vec![
        ("pod1", add_table(POD_TABLE)),
        ("pod1", pod_input_chain()),
        ("pod1", pod_counter_rule()),
        ("pod2", add_table(POD_TABLE)),
        ("pod2", pod_input_chain()),
        ("pod2", pod_counter_rule()),
        ("node", add_table(SERVICE_TABLE)),
        ("node", prerouting_chain(SERVICE_TABLE)),
        ("node", service_rule()),
    ]
}

fn run(ws: &mut Workspace<'_>) -> Option<()> {
    let node = ws.name("node");
    let client = ws.name("client");
    let pods = [ws.name("pod1"), ws.name("pod2")];
    ws.note(&format!(
        "{node} plays the node: two pods on its bridge cni0, and a client {client} on a veth."
    ));
    add_namespace(ws, &node)?;
    add_bridge(ws, &node)?;
    for (i, pod) in pods.iter().enumerate() {
        add_namespace(ws, pod)?;
        add_pod(ws, &node, pod, &format!("veth{}", i + 1), PODS[i])?;
    }
    add_namespace(ws, &client)?;
    build_client(ws, &node, &client)?;

    ws.note("The client reaches the node (which also settles the link and the neighbour entries, so no echo request waits in a queue for later).");
    reach(ws, &client, IpAddr::from(NODE_UPLINK))?;
    ws.note("The service address 10.96.0.10 belongs to no interface: the node has nowhere to send the client's ping.");
    let service = IpAddr::from(SERVICE);
    ping(
        ws,
        &client,
        service,
        1,
        Expect::Failure("no interface holds 10.96.0.10 and the node has no route to it"),
    )?;

    ws.note("Each pod counts, in its own input chain, the pings that reach it from the client.");
    for pod in &pods {
        nft(ws, pod, add_table(super::nat::POD_TABLE))?;
        nft(ws, pod, pod_input_chain())?;
        nft(ws, pod, pod_counter_rule())?;
    }

    ws.note("The ClusterIP rule on the node (a table of rawnet's own): each new connection to 10.96.0.10 goes to the next pod in turn.");
    nft(ws, &node, add_table(SERVICE_TABLE))?;
    nft(ws, &node, prerouting_chain(SERVICE_TABLE))?;
    nft(ws, &node, service_rule())?;

    ws.note(
        "Every ping has its own ICMP identifier, so conntrack sees a new connection each time.",
    );
    for _ in 0..CONNECTIONS {
        ping(ws, &client, service, 1, Expect::Success)?;
    }
    ws.note("Both pods answered:");
    for pod in &pods {
        list_counted_chain(ws, pod, super::nat::POD_TABLE, "input", Packets::Some)?;
    }
    Some(())
}

/// The client's veth to the node, its address and its route to the service range.
fn build_client(ws: &mut Workspace<'_>, node: &str, client: &str) -> Option<()> {
    in_ns(
        ws,
        node,
        &format!("link add uplink type veth peer name eth0 netns {client}"),
        |c| add_veth_into(c, "uplink", "eth0", client),
    )?;
    in_ns(ws, node, "addr add 192.168.60.1/24 dev uplink", |c| {
        add_address(c, "uplink", "192.168.60.1/24")
    })?;
    in_ns(ws, node, "link set uplink up", |c| set_up(c, "uplink"))?;
    set_sysctl(ws, node, "net.ipv4.ip_forward", "1")?;
    in_ns(ws, client, "addr add 192.168.60.2/24 dev eth0", |c| {
        add_address(c, "eth0", "192.168.60.2/24")
    })?;
    in_ns(ws, client, "link set eth0 up", |c| set_up(c, "eth0"))?;
    in_ns(
        ws,
        client,
        "route add 10.96.0.0/12 via 192.168.60.1 dev eth0",
        |c| {
            let dst = Prefix::parse("10.96.0.0/12")?;
            let mut spec = RouteSpec::new(dst.family(), Some(dst));
            spec.gateway = Some(IpAddr::from(NODE_UPLINK));
            spec.oif = Some(link::link_index(c, "eth0")?);
            rt::add_route(c, &spec)
        },
    )
}
