//! The macvlan lab (and, on kernels that have it, the ipvlan lab): two pods
//! whose interfaces are macvlan (ipvlan) devices on one parent in bridge (l2)
//! mode, created by the "host" straight into each pod's namespace and renamed
//! there, as the macvlan and ipvlan CNI plugins do. The pods reach each other
//! through the parent without any bridge device.

use std::net::IpAddr;
use std::os::fd::AsFd;
use std::sync::atomic::AtomicBool;

use super::steps::{add_address, add_namespace, in_ns, ping, set_up};
use super::{Expect, Observer, Report, Workspace};
use crate::error::Result;
use crate::netlink::Connection;
use crate::ns::NetNs;
use crate::route::kind::{IpvlanMode, IpvlanParams, MacvlanMode, MacvlanParams};
use crate::route::link::LinkKind;
use crate::route::link::{self, LinkChanges, LinkRef, LinkSpec, NetnsRef};

/// Run the macvlan lab, reporting to `observer`; `stop` ends it early.
pub fn macvlan_lab(observer: &mut dyn Observer, stop: &AtomicBool) -> Report {
    let mut ws = Workspace::new(observer, stop);
    let _ = run(&mut ws, Flavour::Macvlan);
    ws.finish()
}

/// Run the ipvlan lab; it says so and stops where the kernel lacks ipvlan.
pub fn ipvlan_lab(observer: &mut dyn Observer, stop: &AtomicBool) -> Report {
    let mut ws = Workspace::new(observer, stop);
    if ws.require_kind("ipvlan") {
        let _ = run(&mut ws, Flavour::Ipvlan);
    }
    ws.finish()
}

#[derive(Clone, Copy)]
enum Flavour {
    Macvlan,
    Ipvlan,
}

impl Flavour {
    fn kind_words(self) -> &'static str {
        match self {
            Flavour::Macvlan => "type macvlan mode bridge",
            Flavour::Ipvlan => "type ipvlan mode l2",
        }
    }

    fn kind(self) -> LinkKind<'static> {
        match self {
            Flavour::Macvlan => LinkKind::Macvlan(MacvlanParams {
                mode: Some(MacvlanMode::Bridge),
            }),
            Flavour::Ipvlan => LinkKind::Ipvlan(IpvlanParams {
                mode: Some(IpvlanMode::L2),
                flag: None,
            }),
        }
    }
}

fn run(ws: &mut Workspace<'_>, flavour: Flavour) -> Option<()> {
    let host = ws.name("host");
    ws.note(&format!(
        "Namespace {host} plays the host; its eth0 (one end of a veth pair, both ends up) is the parent."
    ));
    add_namespace(ws, &host)?;
    in_ns(ws, &host, "link add eth0 type veth peer name uplink", |c| {
        link::add_veth(c, "eth0", "uplink", None)
    })?;
    in_ns(ws, &host, "link set eth0 up", |c| set_up(c, "eth0"))?;
    in_ns(ws, &host, "link set uplink up", |c| set_up(c, "uplink"))?;

    for i in 1..=2u8 {
        let pod = ws.name(&format!("pod{i}"));
        let dev = format!("pod{i}dev");
        let address = format!("10.1.0.{}/24", i + 1);
        ws.note(&format!(
            "Pod {i}: the device is made in the host's namespace but lands in {pod}."
        ));
        add_namespace(ws, &pod)?;
        in_ns(
            ws,
            &host,
            &format!(
                "link add {dev} link eth0 netns {pod} {}",
                flavour.kind_words()
            ),
            |c| add_on_parent(c, &dev, &pod, flavour),
        )?;
        in_ns(ws, &pod, &format!("link set {dev} name eth0"), |c| {
            rename(c, &dev, "eth0")
        })?;
        in_ns(ws, &pod, &format!("addr add {address} dev eth0"), |c| {
            add_address(c, "eth0", &address)
        })?;
        in_ns(ws, &pod, "link set eth0 up", |c| set_up(c, "eth0"))?;
    }
    ws.note("The two pods talk through the parent: no bridge device, no routes.");
    let pod = ws.name("pod1");
    ping(ws, &pod, IpAddr::from([10, 1, 0, 3]), 3, Expect::Success)
}

fn add_on_parent(conn: &mut Connection, dev: &str, pod: &str, flavour: Flavour) -> Result<()> {
    let target = NetNs::open_named(pod)?;
    let mut spec = LinkSpec::new(dev, flavour.kind());
    spec.parent = Some(link::link_index(conn, "eth0")?);
    spec.netns = Some(NetnsRef::Fd(target.as_fd()));
    link::add_link(conn, &spec)
}

fn rename(conn: &mut Connection, dev: &str, name: &str) -> Result<()> {
    let changes = LinkChanges {
        name: Some(name.as_bytes()),
        ..Default::default()
    };
    link::set_link(conn, LinkRef::name(dev), &changes)
}
