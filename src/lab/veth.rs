//! The classic lab: two namespaces joined by a veth pair.
//!
//! A third namespace stands in for the host, so the lab never touches the
//! host's own interfaces. The pair is made there, addressed, and each end is
//! moved into its own namespace (where it arrives down and without addresses).
//! A ping then fails for want of a route, fails again for want of a route back,
//! and succeeds once both namespaces have one.

use std::net::IpAddr;
use std::sync::atomic::AtomicBool;

use super::steps::{add_address, add_route, check, done, in_ns, move_link, ping, seen, set_up};
use super::{Expect, Observer, Report, Workspace};
use crate::error::{Error, Result};
use crate::netlink::Connection;
use crate::route::addr;
use crate::route::link::{self, LinkFlags};

/// Run the veth lab, reporting to `observer`; `stop` ends it early (Ctrl-C).
/// Everything it created is gone when it returns.
pub fn veth_lab(observer: &mut dyn Observer, stop: &AtomicBool) -> Report {
    let mut ws = Workspace::new(observer, stop);
    let _ = run(&mut ws);
    ws.finish()
}

/// `Some(())` when every step went as expected; `None` stops at the first that did not.
fn run(ws: &mut Workspace<'_>) -> Option<()> {
    let host = ws.name("host");
    let ns0 = ws.name("netns0");
    let ns1 = ws.name("netns1");
    ws.note(&format!(
        "Namespace {host} stands in for the host: the pair is made there, not in your root namespace."
    ));
    check(
        ws.step(&format!("rawnet netns add {host}"), Expect::Success, |w| {
            done(w.add_namespace(&host))
        }),
    )?;
    in_ns(ws, &host, "link add veth0 type veth peer name veth1", |c| {
        link::add_veth(c, "veth0", "veth1", None)
    })?;
    in_ns(ws, &host, "addr add 10.0.1.100/24 dev veth0", |c| {
        add_address(c, "veth0", "10.0.1.100/24")
    })?;
    in_ns(ws, &host, "addr add 10.0.2.100/24 dev veth1", |c| {
        add_address(c, "veth1", "10.0.2.100/24")
    })?;
    in_ns(ws, &host, "link set veth0 up", |c| set_up(c, "veth0"))?;
    in_ns(ws, &host, "link set veth1 up", |c| set_up(c, "veth1"))?;

    ws.note("Two namespaces for the two ends.");
    check(
        ws.step(&format!("rawnet netns add {ns0}"), Expect::Success, |w| {
            done(w.add_namespace(&ns0))
        }),
    )?;
    check(
        ws.step(&format!("rawnet netns add {ns1}"), Expect::Success, |w| {
            done(w.add_namespace(&ns1))
        }),
    )?;
    in_ns(ws, &host, &format!("link set veth0 netns {ns0}"), |c| {
        move_link(c, "veth0", &ns0)
    })?;
    check(ws.step(
        &format!("rawnet -n {ns0} addr show dev veth0"),
        Expect::Success,
        |w| {
            seen(
                w.connection(&ns0)
                    .and_then(|mut c| describe_moved(&mut c, "veth0")),
            )
        },
    ))?;
    in_ns(ws, &host, &format!("link set veth1 netns {ns1}"), |c| {
        move_link(c, "veth1", &ns1)
    })?;
    in_ns(ws, &ns0, "addr add 10.0.1.100/24 dev veth0", |c| {
        add_address(c, "veth0", "10.0.1.100/24")
    })?;
    in_ns(ws, &ns1, "addr add 10.0.2.100/24 dev veth1", |c| {
        add_address(c, "veth1", "10.0.2.100/24")
    })?;
    in_ns(ws, &ns0, "link set veth0 up", |c| set_up(c, "veth0"))?;
    in_ns(ws, &ns1, "link set veth1 up", |c| set_up(c, "veth1"))?;

    let target: IpAddr = [10, 0, 2, 100].into();
    ws.note("10.0.2.100 is in neither of netns0's subnets, and netns0 has no route to it.");
    ping(
        ws,
        &ns0,
        target,
        1,
        Expect::Failure("no route to 10.0.2.0/24"),
    )?;
    in_ns(ws, &ns0, "route add 10.0.2.0/24 dev veth0", |c| {
        add_route(c, "10.0.2.0/24", "veth0")
    })?;
    ws.note("The request now leaves through veth0, but netns1 has no route back to 10.0.1.100.");
    ping(
        ws,
        &ns0,
        target,
        1,
        Expect::Failure("the reply has no way back"),
    )?;
    in_ns(ws, &ns1, "route add 10.0.1.0/24 dev veth1", |c| {
        add_route(c, "10.0.1.0/24", "veth1")
    })?;
    ws.note("With a route each way, the echo and its reply both find their way.");
    ping(ws, &ns0, target, 3, Expect::Success)
}

/// What a freshly moved link looks like: its state and its addresses.
fn describe_moved(conn: &mut Connection, dev: &str) -> Result<String> {
    let info = link::get_link(conn, dev)?;
    let addresses = addr::dump_addresses(conn, None, Some(info.index))?;
    let up = info.flags.contains(LinkFlags::UP);
    if up || !addresses.is_empty() {
        return Err(Error::Unexpected(format!(
            "{dev} arrived {} with {} addresses",
            if up { "up" } else { "down" },
            addresses.len()
        )));
    }
    Ok(format!(
        "{dev} arrived DOWN and without addresses: moving a link to another namespace resets both"
    ))
}
