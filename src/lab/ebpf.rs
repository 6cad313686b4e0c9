//! The ebpf lab: a "node" namespace with the bridge `cni0` and two pods on
//! it (as `lab bridge` wires them), and two of rawnet's shipped programs
//! on the node's ends of the pods' veths:
//!
//! 1. counting: `count_proto.s` with generic XDP on `veth1`, so it sees
//!    what pod 1 sends; after three pings of the gateway the lab reads its
//!    array map and finds three ICMP packets (IP protocol 1);
//! 2. dropping: `drop_icmp_echo.s` as a tc ingress filter (clsact qdisc,
//!    bpf classifier in direct-action mode) on `veth2`: pod 2's ping fails
//!    and the program's drop counter shows the echo request it dropped;
//!    with the filter deleted the ping works again.
//!
//! The programs are loaded from the text compiled into rawnet, never
//! pinned; once the lab detaches them and closes their descriptors the
//! kernel frees them and their maps, which the lab checks by id. The
//! namespaces go at the end. bpf(2) needs root (or CAP_BPF with
//! CAP_NET_ADMIN): where this process may not load a program the lab says
//! so and makes nothing.

use std::net::IpAddr;
use std::sync::atomic::AtomicBool;

use super::bpf_steps::{
    add_ingress_filter, load_shipped, probe_bpf, prove_freed, read_counters, remove_clsact,
    remove_ingress_filter, set_xdp_generic, show_ingress_filters, LabProgram,
};
use super::pods::{add_bridge, add_pod, reach, GATEWAY};
use super::steps::{add_namespace, check, ping, seen};
use super::{Expect, Observer, Report, Workspace};
use crate::bpf::shipped::{COUNT_PROTO, DROP_ICMP_ECHO};
use crate::error::{Error, Result};
use crate::netlink::Connection;
use crate::route::link;

const POD1: [u8; 4] = [10, 244, 1, 2];
const POD2: [u8; 4] = [10, 244, 1, 3];
/// IP protocol numbers the counting lab names.
const PROTOCOLS: [(u32, &str); 3] = [(1, "icmp"), (6, "tcp"), (17, "udp")];
/// Echo requests pod 1 sends while the counter is attached.
const COUNTED_PINGS: u64 = 3;

/// Run the ebpf lab, reporting to `observer`; `stop` ends it early. Where
/// this process may not use bpf(2) it says so and makes nothing.
pub fn ebpf_lab(observer: &mut dyn Observer, stop: &AtomicBool) -> Report {
    let mut ws = Workspace::new(observer, stop);
    if ws.require_permission("bpf(2) for XDP and tc programs", probe_bpf) {
        let _ = run(&mut ws);
    }
    ws.finish()
}

fn run(ws: &mut Workspace<'_>) -> Option<()> {
    let node = ws.name("node");
    let pod1 = ws.name("pod1");
    let pod2 = ws.name("pod2");
    ws.note(&format!(
        "{node} plays the node: bridge cni0 with pod {pod1} on veth1 and pod {pod2} on veth2."
    ));
    for ns in [&node, &pod1, &pod2] {
        add_namespace(ws, ns)?;
    }
    add_bridge(ws, &node)?;
    add_pod(ws, &node, &pod1, "veth1", POD1)?;
    add_pod(ws, &node, &pod2, "veth2", POD2)?;
    ws.note(
        "Both pods reach the gateway (which also settles the links and the neighbour entries).",
    );
    reach(ws, &pod1, IpAddr::from(GATEWAY))?;
    reach(ws, &pod2, IpAddr::from(GATEWAY))?;

    let counter = count(ws, &node, &pod1)?;
    let dropper = drop_echo(ws, &node, &pod2)?;

    ws.note("Nothing holds the programs any more: no pin, no device, no descriptor. The kernel frees them and their maps.");
    prove_freed(ws, vec![counter, dropper])
}

/// Part 1: count what pod 1 sends with generic XDP on veth1.
fn count(ws: &mut Workspace<'_>, node: &str, pod1: &str) -> Option<LabProgram> {
    ws.note("XDP: the counting program runs on veth1 for every frame pod 1 sends, before the node's stack sees it. Generic mode (xdpgeneric) runs on any device, on the socket buffers the stack already made.");
    let counter = load_shipped(ws, &COUNT_PROTO)?;
    set_xdp_generic(ws, node, "veth1", Some(&counter))?;
    check(ws.step(
        &format!("rawnet -n {node} link show veth1"),
        Expect::Success,
        |w| {
            seen(
                w.connection(node)
                    .and_then(|mut c| xdp_words(&mut c, "veth1")),
            )
        },
    ))?;
    ping(
        ws,
        pod1,
        IpAddr::from(GATEWAY),
        COUNTED_PINGS,
        Expect::Success,
    )?;
    ws.note("The map counts IPv4 packets by protocol number: the three echo requests are protocol 1. (ARP and IPv6 frames are not IPv4 and pass uncounted.)");
    read_counters(ws, &counter, describe_protocols, |found| {
        found == [(1, COUNTED_PINGS)]
    })?;
    set_xdp_generic(ws, node, "veth1", None)?;
    Some(counter)
}

/// Part 2: drop pod 2's echo requests with a tc ingress filter on veth2.
fn drop_echo(ws: &mut Workspace<'_>, node: &str, pod2: &str) -> Option<LabProgram> {
    ws.note("tc: a clsact qdisc gives veth2 an ingress hook; the drop program goes there as a bpf classifier in direct-action mode (its return value is the verdict: 2 drops, 0 passes).");
    let dropper = load_shipped(ws, &DROP_ICMP_ECHO)?;
    add_ingress_filter(ws, node, "veth2", &dropper)?;
    show_ingress_filters(ws, node, "veth2")?;
    let dropped = Expect::Failure("the filter on veth2 drops pod 2's echo requests");
    ping(ws, pod2, IpAddr::from(GATEWAY), 1, dropped)?;
    read_counters(
        ws,
        &dropper,
        |found| format!("dropped: {}", found.first().map_or(0, |(_, n)| *n)),
        |found| found == [(0, 1)],
    )?;
    ws.note("Without the filter the echo requests pass again.");
    remove_ingress_filter(ws, node, "veth2")?;
    ping(ws, pod2, IpAddr::from(GATEWAY), 3, Expect::Success)?;
    remove_clsact(ws, node, "veth2")?;
    Some(dropper)
}

/// `icmp (1): 3 packets`, one protocol per line.
fn describe_protocols(found: &[(u32, u64)]) -> String {
    if found.is_empty() {
        return "no packets counted".to_string();
    }
    let lines: Vec<String> = found
        .iter()
        .map(|&(proto, n)| {
            let name = PROTOCOLS
                .iter()
                .find(|(p, _)| *p == proto)
                .map_or("protocol", |(_, name)| name);
            format!("{name} ({proto}): {n} packets")
        })
        .collect();
    lines.join("\n")
}

/// What `link show DEV` says about XDP: `prog/xdp id N (generic)`.
fn xdp_words(conn: &mut Connection, dev: &str) -> Result<String> {
    let info = link::get_link(conn, dev)?;
    let state = info.xdp.unwrap_or_default();
    match (state.attached, state.prog_id) {
        (link::XDP_ATTACHED_SKB, Some(id)) => Ok(format!("{dev}: xdpgeneric prog/xdp id {id}")),
        _ => Err(Error::Unexpected(format!(
            "{dev} shows no generic XDP program"
        ))),
    }
}
