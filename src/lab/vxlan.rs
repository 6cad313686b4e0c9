//! The vxlan lab: an overlay as flannel builds it. Two "node" namespaces are
//! joined by an underlay veth (192.168.50.1/24 - 192.168.50.2/24); each node
//! has a bridge `cni0` with two pods (10.244.1.0/24 on node 1, 10.244.2.0/24
//! on node 2) and a vxlan device `flannel.1` (VNI 1, port 8472, nolearning).
//! For the other node, each node gets a permanent neighbour entry (the remote
//! `flannel.1`'s address -> its MAC), an fdb entry (that MAC -> the remote
//! node's underlay address) and an onlink route to its pod subnet. A pod on
//! node 1 then pings a pod on node 2 through the tunnel.

use std::net::IpAddr;
use std::sync::atomic::AtomicBool;

use super::steps::{
    add_address, add_default_route, add_namespace, add_veth_into, check, in_ns, ping, seen,
    set_master, set_sysctl, set_up,
};
use super::{Expect, Observer, Report, Workspace};
use crate::error::{Error, Result};
use crate::netlink::Connection;
use crate::route::fdb::{self, FdbSpec, Mac};
use crate::route::kind::{BridgeParams, VxlanParams};
use crate::route::link::LinkKind;
use crate::route::link::{self, LinkSpec};
use crate::route::neigh::{self, NeighbourSpec};
use crate::route::prefix::Prefix;
use crate::route::route::{self as rt, RouteSpec};

/// flannel's VNI and UDP port.
const VNI: u32 = 1;
const PORT: u16 = 8472;

/// One node of the lab.
struct Node {
    ns: String,
    /// 1 or 2: the third byte of its pod subnet, the last of its underlay address.
    n: u8,
}

impl Node {
    fn underlay(&self) -> IpAddr {
        IpAddr::from([192, 168, 50, self.n])
    }
    /// The address of its `flannel.1`: the pod subnet's network address.
    fn vtep(&self) -> IpAddr {
        IpAddr::from([10, 244, self.n, 0])
    }
    fn pod(&self, i: u8) -> IpAddr {
        IpAddr::from([10, 244, self.n, i + 1])
    }
}

/// Run the vxlan lab, reporting to `observer`; `stop` ends it early.
pub fn vxlan_lab(observer: &mut dyn Observer, stop: &AtomicBool) -> Report {
    let mut ws = Workspace::new(observer, stop);
    let _ = run(&mut ws);
    ws.finish()
}

fn run(ws: &mut Workspace<'_>) -> Option<()> {
    let nodes = [
        Node {
            ns: ws.name("node1"),
            n: 1,
        },
        Node {
            ns: ws.name("node2"),
            n: 2,
        },
    ];
    ws.note("Two nodes and the underlay between them: a veth pair, eth0 on each side.");
    for node in &nodes {
        add_namespace(ws, &node.ns)?;
    }
    let (n1, n2) = (&nodes[0], &nodes[1]);
    in_ns(
        ws,
        &n1.ns,
        &format!("link add eth0 type veth peer name eth0 netns {}", n2.ns),
        |c| add_veth_into(c, "eth0", "eth0", &n2.ns),
    )?;
    for node in &nodes {
        let underlay = format!("{}/24", node.underlay());
        in_ns(
            ws,
            &node.ns,
            &format!("addr add {underlay} dev eth0"),
            |c| add_address(c, "eth0", &underlay),
        )?;
        in_ns(ws, &node.ns, "link set eth0 up", |c| set_up(c, "eth0"))?;
        set_sysctl(ws, &node.ns, "net.ipv4.ip_forward", "1")?;
    }

    for node in &nodes {
        build_node(ws, node)?;
    }

    ws.note("Without overlay entries node 1 has no route to node 2's pods.");
    let pod = ws.name("pod1a");
    ping(
        ws,
        &pod,
        n2.pod(1),
        1,
        Expect::Failure("node 1 has no route to 10.244.2.0/24"),
    )?;

    ws.note("Each node learns the other's flannel.1: its MAC behind the remote's address (neighbour), where to send that MAC (fdb), and the pod subnet behind it (route).");
    let macs = [vtep_mac(ws, n1)?, vtep_mac(ws, n2)?];
    join(ws, n1, n2, macs[1])?;
    join(ws, n2, n1, macs[0])?;

    ws.note("A pod on node 1 pings a pod on node 2: the echo crosses the underlay inside UDP port 8472.");
    let pod = ws.name("pod1a");
    ping(ws, &pod, n2.pod(1), 3, Expect::Success)?;
    let pod = ws.name("pod2b");
    ping(ws, &pod, n1.pod(2), 3, Expect::Success)
}

/// The bridge, two pods and the vxlan device of one node.
fn build_node(ws: &mut Workspace<'_>, node: &Node) -> Option<()> {
    let ns = &node.ns;
    let gateway = IpAddr::from([10, 244, node.n, 1]);
    ws.note(&format!(
        "Node {}: bridge cni0 ({gateway}/24) and two pods.",
        node.n
    ));
    in_ns(ws, ns, "link add cni0 type bridge", |c| {
        link::add_link(
            c,
            &LinkSpec::new("cni0", LinkKind::Bridge(BridgeParams::default())),
        )
    })?;
    let bridge_addr = format!("{gateway}/24");
    in_ns(ws, ns, &format!("addr add {bridge_addr} dev cni0"), |c| {
        add_address(c, "cni0", &bridge_addr)
    })?;
    in_ns(ws, ns, "link set cni0 up", |c| set_up(c, "cni0"))?;
    for (i, letter) in [(1u8, 'a'), (2, 'b')] {
        let pod = ws.name(&format!("pod{}{letter}", node.n));
        let host_end = format!("veth{letter}");
        let address = format!("{}/24", node.pod(i));
        add_namespace(ws, &pod)?;
        in_ns(
            ws,
            ns,
            &format!("link add {host_end} type veth peer name eth0 netns {pod}"),
            |c| add_veth_into(c, &host_end, "eth0", &pod),
        )?;
        in_ns(ws, ns, &format!("link set {host_end} master cni0"), |c| {
            set_master(c, &host_end, "cni0")
        })?;
        in_ns(ws, ns, &format!("link set {host_end} up"), |c| {
            set_up(c, &host_end)
        })?;
        in_ns(ws, &pod, &format!("addr add {address} dev eth0"), |c| {
            add_address(c, "eth0", &address)
        })?;
        in_ns(ws, &pod, "link set eth0 up", |c| set_up(c, "eth0"))?;
        in_ns(ws, &pod, &format!("route add default via {gateway}"), |c| {
            add_default_route(c, gateway)
        })?;
    }

    let local = node.underlay();
    in_ns(
        ws,
        ns,
        &format!("link add flannel.1 type vxlan id {VNI} local {local} dev eth0 dstport {PORT} nolearning"),
        |c| add_vxlan(c, local),
    )?;
    let vtep = format!("{}/32", node.vtep());
    in_ns(ws, ns, &format!("addr add {vtep} dev flannel.1"), |c| {
        add_address(c, "flannel.1", &vtep)
    })?;
    in_ns(ws, ns, "link set flannel.1 up", |c| set_up(c, "flannel.1"))
}

fn add_vxlan(conn: &mut Connection, local: IpAddr) -> Result<()> {
    let mut params = VxlanParams::new(VNI);
    params.local = Some(local);
    params.link = Some(link::link_index(conn, "eth0")?);
    params.dstport = Some(PORT);
    params.learning = false;
    link::add_link(conn, &LinkSpec::new("flannel.1", LinkKind::Vxlan(params)))
}

/// Read the MAC of a node's `flannel.1` (what flannel publishes for its peers).
fn vtep_mac(ws: &mut Workspace<'_>, node: &Node) -> Option<Mac> {
    let mut mac = None;
    check(ws.step(
        &format!("rawnet -n {} link show flannel.1", node.ns),
        Expect::Success,
        |w| {
            seen(w.connection(&node.ns).and_then(|mut c| {
                let info = link::get_link(&mut c, "flannel.1")?;
                let bytes = info.address.unwrap_or_default();
                let m: Mac = bytes.as_slice().try_into().map_err(|_| {
                    Error::Unexpected(format!("flannel.1 has a {}-byte address", bytes.len()))
                })?;
                mac = Some(m);
                Ok(format!("flannel.1 link/ether {}", format_mac(&m)))
            }))
        },
    ))?;
    mac
}

/// On `node`: neighbour, fdb entry and route for `remote`, whose `flannel.1` has `mac`.
fn join(ws: &mut Workspace<'_>, node: &Node, remote: &Node, mac: Mac) -> Option<()> {
    let ns = &node.ns;
    let (vtep, underlay, mac_text) = (remote.vtep(), remote.underlay(), format_mac(&mac));
    in_ns(
        ws,
        ns,
        &format!("neigh add {vtep} lladdr {mac_text} dev flannel.1 nud permanent"),
        |c| {
            let index = link::link_index(c, "flannel.1")?;
            neigh::add_neighbour(c, &NeighbourSpec::new(index, vtep, Some(mac.to_vec())))
        },
    )?;
    in_ns(
        ws,
        ns,
        &format!("fdb add {mac_text} dev flannel.1 dst {underlay} self permanent"),
        |c| {
            let mut spec = FdbSpec::new(link::link_index(c, "flannel.1")?, mac);
            spec.dst = Some(underlay);
            fdb::add_fdb(c, &spec)
        },
    )?;
    let subnet = format!("10.244.{}.0/24", remote.n);
    in_ns(
        ws,
        ns,
        &format!("route add {subnet} via {vtep} dev flannel.1 onlink"),
        |c| {
            let dst = Prefix::parse(&subnet)?;
            let mut spec = RouteSpec::new(dst.family(), Some(dst));
            spec.gateway = Some(vtep);
            spec.oif = Some(link::link_index(c, "flannel.1")?);
            spec.onlink = true;
            rt::add_route(c, &spec)
        },
    )
}

fn format_mac(mac: &Mac) -> String {
    mac.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}
