//! What the monitor does when notifications were lost (the socket's receive
//! buffer overflowed and the kernel said `ENOBUFS`).
//!
//! iproute2 prints `netlink receive error No buffer space available (105)`
//! and reads on, so whatever was lost stays lost. rawnet prints the same
//! line with what it does about it, then resynchronises:
//!
//! 1. the notifications still queued are thrown away: they are older than
//!    the loss, and the dump that follows already shows their outcome;
//! 2. the link names are read again (as at the start);
//! 3. every object of the monitored kinds is dumped, on a connection of its
//!    own, and printed as if it had just been added (a snapshot: the same
//!    lines, or JSON objects, as events, without `Deleted`);
//! 4. the monitor goes on with the notifications that arrive from then on
//!    (changes made while the dump ran may show twice; the last word is
//!    right).

use rawnet::netlink::{Connection, Monitor, Request};
use rawnet::ns::nsid::dump_nsids_request;
use rawnet::route::addr::dump_addresses_request;
use rawnet::route::link::dump_links_request;
use rawnet::route::neigh::dump_neighbours_request;
use rawnet::route::route::dump_routes_request;
use rawnet::route::rule::dump_rules_request;

use super::events::Printer;
use super::Selection;
use crate::cli::output::{to_stderr, warn_if_interrupted};
use crate::cli::{CliError, Context};

/// The line on standard error: iproute2's, and what comes next.
pub fn lost_message() -> String {
    format!(
        "netlink receive error {} ({}); events were lost, dumping the current state again\n",
        rawnet::error::errno_text(libc::ENOBUFS),
        libc::ENOBUFS
    )
}

/// Say that events were lost, print the current state, and return to the
/// caller's loop. `conn` is the dump connection, opened on first use.
pub fn resynchronise(
    ctx: &Context,
    selection: &Selection,
    monitor: &mut Monitor,
    printer: &mut Printer,
    conn: &mut Option<Connection>,
) -> Result<(), CliError> {
    to_stderr(&lost_message());
    monitor.discard_queued()?;
    printer.names().remember_every_link()?;
    let conn = match conn {
        Some(c) => c,
        None => conn.insert(ctx.rtnl()?),
    };
    for request in snapshot_requests(selection, ctx.family, printer.dev())? {
        let status = conn.dump(request, |msg| printer.event(&msg))?;
        warn_if_interrupted(status);
    }
    Ok(())
}

/// The dumps that show every object of the monitored kinds, in the order
/// links, addresses, routes, neighbours, rules, namespace ids.
fn snapshot_requests(
    selection: &Selection,
    family: Option<u8>,
    dev: u32,
) -> Result<Vec<Request>, CliError> {
    let family = family.unwrap_or(0);
    let mut requests = Vec::new();
    if selection.link {
        requests.push(dump_links_request()?);
    }
    if selection.address {
        requests.push(dump_addresses_request(family, dev)?);
    }
    if selection.route {
        requests.push(dump_routes_request(family, None)?);
    }
    if selection.neigh {
        // Proxy entries are left out: their changes are not notified.
        requests.push(dump_neighbours_request(family, dev, 0, false)?);
    }
    if selection.rule {
        requests.push(dump_rules_request(family)?);
    }
    if selection.nsid {
        requests.push(dump_nsids_request(None)?);
    }
    Ok(requests)
}
