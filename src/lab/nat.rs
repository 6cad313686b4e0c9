//! The nat lab: a "pod" namespace behind the bridge `cni0` (10.244.1.1/24)
//! of a "node" namespace, and the node's uplink veth (192.168.60.1/24) to an
//! "outside" namespace (192.168.60.2/24) that has no route back to the pod
//! subnet. nftables on the node, in a table of rawnet's own
//! (`ip rawnet-nat`):
//!
//! 1. masquerade: the pod's ping to the outside fails until
//!    `ip saddr 10.244.1.0/24 oifname "uplink" masquerade` in the
//!    postrouting chain rewrites its source to the node's uplink address;
//! 2. DNAT: `... ip daddr 192.168.60.1 meta l4proto icmp dnat to
//!    10.244.1.2` in the prerouting chain sends the outside's pings of the
//!    node on to the pod, which a counter in the pod's own input chain
//!    (table `ip rawnet-pod`) proves: 0 packets before the rule, 3 after.
//!
//! The namespaces go at the end, and their rulesets with them.

use std::net::IpAddr;
use std::sync::atomic::AtomicBool;

use super::nft_steps::{
    add_base_chain, add_rule, add_table, list_counted_chain, nft, probe_nftables, NftCommand,
    Packets,
};
use super::pods::{add_bridge, add_pod, reach};
use super::steps::{add_address, add_namespace, add_veth_into, in_ns, ping, set_sysctl, set_up};
use super::{Expect, Observer, Report, Workspace};
use crate::error::Result;
use crate::nft::expr::compile::{Match, Side, Stmt};

/// The node's NAT table and the pod's counting table.
pub(super) const NAT_TABLE: &str = "rawnet-nat";
pub(super) const POD_TABLE: &str = "rawnet-pod";
/// `IPPROTO_ICMP`.
const ICMP: u8 = 1;

const POD: [u8; 4] = [10, 244, 1, 2];
const NODE_UPLINK: [u8; 4] = [192, 168, 60, 1];
const OUTSIDE: [u8; 4] = [192, 168, 60, 2];

/// Run the nat lab, reporting to `observer`; `stop` ends it early. Where
/// the kernel lacks nf_tables it says so and makes nothing.
pub fn nat_lab(observer: &mut dyn Observer, stop: &AtomicBool) -> Report {
    let mut ws = Workspace::new(observer, stop);
    if ws.require("nf_tables (with NAT)", probe_nftables) {
        let _ = run(&mut ws);
    }
    ws.finish()
}

fn addr(side: Side, a: [u8; 4], len: u8) -> Stmt {
    Stmt::Match(Match::Addr {
        side,
        not: false,
        addr: IpAddr::from(a),
        len,
    })
}

fn ifname(output: bool, name: &str) -> Stmt {
    Stmt::Match(Match::IfName {
        output,
        not: false,
        name: name.to_string(),
    })
}

/// `meta l4proto icmp`.
pub(super) fn icmp() -> Stmt {
    Stmt::Match(Match::L4Proto {
        not: false,
        proto: ICMP,
    })
}

pub(super) fn postrouting_chain() -> Result<NftCommand> {
    add_base_chain(NAT_TABLE, "postrouting", "nat", "postrouting", "srcnat")
}

pub(super) fn masquerade_rule() -> Result<NftCommand> {
    add_rule(
        NAT_TABLE,
        "postrouting",
        "ip saddr 10.244.1.0/24 oifname \"uplink\" masquerade",
        &[
            addr(Side::Source, [10, 244, 1, 0], 24),
            ifname(true, "uplink"),
            Stmt::Masquerade {
                ports: None,
                flags: 0,
            },
        ],
    )
}

pub(super) fn prerouting_chain(table: &str) -> Result<NftCommand> {
    add_base_chain(table, "prerouting", "nat", "prerouting", "dstnat")
}

pub(super) fn dnat_rule() -> Result<NftCommand> {
    add_rule(
        NAT_TABLE,
        "prerouting",
        "iifname \"uplink\" ip daddr 192.168.60.1 meta l4proto icmp dnat to 10.244.1.2",
        &[
            ifname(false, "uplink"),
            addr(Side::Destination, NODE_UPLINK, 32),
            icmp(),
            Stmt::Dnat {
                addr: IpAddr::from(POD),
                ports: None,
            },
        ],
    )
}

pub(super) fn pod_input_chain() -> Result<NftCommand> {
    add_base_chain(POD_TABLE, "input", "filter", "input", "filter")
}

/// Count the pings from the outside (or the client) that reach the pod.
pub(super) fn pod_counter_rule() -> Result<NftCommand> {
    add_rule(
        POD_TABLE,
        "input",
        "ip saddr 192.168.60.2 meta l4proto icmp counter",
        &[addr(Side::Source, OUTSIDE, 32), icmp(), Stmt::Counter],
    )
}

/// Every nft command of the lab, in the order it runs them, with the short
/// name of the namespace each runs in (for the golden tests).
#[cfg(test)]
pub(super) fn commands() -> Vec<(&'static str, Result<NftCommand>)> {
    vec![
        ("node", add_table(NAT_TABLE)),
        ("node", postrouting_chain()),
        ("node", masquerade_rule()),
        ("pod", add_table(POD_TABLE)),
        ("pod", pod_input_chain()),
        ("pod", pod_counter_rule()),
        ("node", prerouting_chain(NAT_TABLE)),
        ("node", dnat_rule()),
    ]
}

fn run(ws: &mut Workspace<'_>) -> Option<()> {
    let node = ws.name("node");
    let pod = ws.name("pod");
    let outside = ws.name("outside");
    ws.note(&format!(
        "{node} plays the node: bridge cni0 for its pod {pod}, and an uplink to {outside}, which has no route back to the pod subnet 10.244.1.0/24."
    ));
    for ns in [&node, &pod, &outside] {
        add_namespace(ws, ns)?;
    }
    build_node(ws, &node, &pod, &outside)?;

    ws.note("The node reaches the pod and the outside (which also settles the links and the neighbour entries, so no echo request waits in a queue for later).");
    reach(ws, &node, IpAddr::from(POD))?;
    reach(ws, &node, IpAddr::from(OUTSIDE))?;
    ws.note("Without NAT the pod's echo request reaches the outside, whose reply to 10.244.1.2 has no route.");
    let unreachable = Expect::Failure("the outside has no route back to 10.244.1.0/24");
    ping(ws, &pod, IpAddr::from(OUTSIDE), 1, unreachable)?;

    ws.note("Masquerade on the node (a table of rawnet's own): what leaves by the uplink from the pod subnet takes the uplink's address.");
    nft(ws, &node, add_table(NAT_TABLE))?;
    nft(ws, &node, postrouting_chain())?;
    nft(ws, &node, masquerade_rule())?;
    ping(ws, &pod, IpAddr::from(OUTSIDE), 3, Expect::Success)?;

    ws.note("A counter in the pod's own input chain counts pings that arrive from the outside.");
    nft(ws, &pod, add_table(POD_TABLE))?;
    nft(ws, &pod, pod_input_chain())?;
    nft(ws, &pod, pod_counter_rule())?;
    ws.note("The outside pings the node's uplink address: the node itself answers, the pod sees nothing.");
    ping(ws, &outside, IpAddr::from(NODE_UPLINK), 3, Expect::Success)?;
    list_counted_chain(ws, &pod, POD_TABLE, "input", Packets::None)?;

    ws.note("DNAT on the node: pings of its uplink address go on to the pod, which answers them.");
    nft(ws, &node, prerouting_chain(NAT_TABLE))?;
    nft(ws, &node, dnat_rule())?;
    ping(ws, &outside, IpAddr::from(NODE_UPLINK), 3, Expect::Success)?;
    list_counted_chain(ws, &pod, POD_TABLE, "input", Packets::Some)
}

/// The node's bridge and pod, its uplink to the outside, forwarding on.
fn build_node(ws: &mut Workspace<'_>, node: &str, pod: &str, outside: &str) -> Option<()> {
    add_bridge(ws, node)?;
    add_pod(ws, node, pod, "veth1", POD)?;
    in_ns(
        ws,
        node,
        &format!("link add uplink type veth peer name eth0 netns {outside}"),
        |c| add_veth_into(c, "uplink", "eth0", outside),
    )?;
    in_ns(ws, node, "addr add 192.168.60.1/24 dev uplink", |c| {
        add_address(c, "uplink", "192.168.60.1/24")
    })?;
    in_ns(ws, node, "link set uplink up", |c| set_up(c, "uplink"))?;
    in_ns(ws, outside, "addr add 192.168.60.2/24 dev eth0", |c| {
        add_address(c, "eth0", "192.168.60.2/24")
    })?;
    in_ns(ws, outside, "link set eth0 up", |c| set_up(c, "eth0"))?;
    set_sysctl(ws, node, "net.ipv4.ip_forward", "1")
}
