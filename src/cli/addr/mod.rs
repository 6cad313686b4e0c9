//! `rawnet address`: iproute2's `ip address` for add, change, replace, del,
//! show/list and flush.
//!
//! ```text
//! addr {add|change|replace|del} IFADDR dev IFNAME [ OPTIONS ]   (modify.rs)
//! addr {show|list|flush} [ SELECTORS ]                          (filter.rs)
//! ```
//!
//! Output (text, `-j`, `-o`, `-br`) is that of `ip address show`: each
//! link's header, then its addresses (`show.rs`, `print.rs`, `brief.rs`);
//! `flush.rs` deletes what the selectors select.

use crate::cli::ifname::{self as rlink, link_index};
use rawnet::netlink::Connection;
use rawnet::route::addr::AddressChange;

mod brief;
mod filter;
mod flush;
mod modify;
mod print;
mod show;

pub(crate) use print::address;

use super::arg_errors::usage_error;
use super::arg_errors::{invalid_arg, unknown_command};
use super::change::{apply, Change, Devices};
use super::{matches, Args, CliError, Context};
use filter::{AddrFilter, Master};

const USAGE: &str = "\
Usage: rawnet address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]
                                                      [ CONFFLAG-LIST ]
       rawnet address del IFADDR dev IFNAME [mngtmpaddr]
       rawnet address {show|flush} [ dev IFNAME ] [ scope SCOPE-ID ]
                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]
                            [ master DEVICE ] [ type TYPE ] [ nomaster ]
IFADDR := PREFIX | IFADDR peer PREFIX
          [ broadcast ADDR ] [ anycast ADDR ]
          [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]
SCOPE-ID := [ host | link | global | NUMBER ]
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG  := [ [-]permanent | [-]dynamic | [-]secondary | [-]primary |
           [-]tentative | [-]deprecated | [-]dadfailed | [-]temporary |
           CONFFLAG-LIST ]
CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG
CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]
LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]
LFT := forever | SECONDS
";

/// The change a command word asks for, by unique prefix in iproute2's order.
pub(super) fn change_of(cmd: &str) -> Option<AddressChange> {
    if matches(cmd, "add") {
        Some(AddressChange::Add)
    } else if matches(cmd, "change") || cmd == "chg" {
        Some(AddressChange::Change)
    } else if matches(cmd, "replace") {
        Some(AddressChange::Replace)
    } else if matches(cmd, "delete") {
        Some(AddressChange::Delete)
    } else {
        None
    }
}

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let mut a = Args::new(args);
    let Some(cmd) = a.next() else {
        return show(ctx, a);
    };
    if let Some(change) = change_of(cmd) {
        apply(ctx, |devices| modify::prepare(ctx, a, change, devices))
    } else if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        show(ctx, a)
    } else if matches(cmd, "flush") {
        flush(ctx, a)
    } else if matches(cmd, "help") {
        // iproute2's usage(): the text to stderr, exit 255.
        Err(usage_error(USAGE))
    } else {
        Err(unknown_command("address", cmd))
    }
}

/// `address add|change|replace|del ...` as one request: `-batch`'s entry.
pub(super) fn prepare(
    ctx: &Context,
    a: Args<'_>,
    change: AddressChange,
    devices: &mut dyn Devices,
) -> Result<Change, CliError> {
    modify::prepare(ctx, a, change, devices)
}

fn device_index(conn: &mut Connection, dev: &str) -> Result<u32, CliError> {
    link_index(conn, dev).map_err(|e| match e {
        rawnet::Error::NotFound(_) => CliError::new(1, format!("Device \"{dev}\" does not exist.")),
        e => CliError::from(e),
    })
}

/// The master the selectors name, looked up as iproute2 does while reading
/// the words (so before the device).
fn master_of(conn: &mut Connection, f: &AddrFilter<'_>) -> Result<Option<Master>, CliError> {
    if f.nomaster {
        return Ok(Some(Master::None));
    }
    let Some(name) = f.master_name else {
        return Ok(None);
    };
    if f.vrf {
        let bad = || invalid_arg(name, "Not a valid VRF name\n");
        let l = rlink::get_link(conn, name).map_err(|_| bad())?;
        if l.view().kind.as_deref() != Some("vrf") {
            return Err(bad());
        }
        return Ok(Some(Master::Index(l.view().index)));
    }
    let index = link_index(conn, name).map_err(|_| invalid_arg(name, "Device does not exist\n"))?;
    Ok(Some(Master::Index(index)))
}

fn show(ctx: &Context, a: Args<'_>) -> Result<i32, CliError> {
    let filter = AddrFilter::parse(a, ctx.family)?;
    let mut conn = ctx.rtnl()?;
    let master = master_of(&mut conn, &filter)?;
    let index = match filter.dev {
        Some(d) => Some(device_index(&mut conn, d)?),
        None => None,
    };
    let sel = show::Selection {
        filter: &filter,
        index,
        master,
    };
    show::show(ctx, &sel, conn)
}

fn flush(ctx: &Context, a: Args<'_>) -> Result<i32, CliError> {
    if a.is_empty() {
        return Err(CliError::new(1, "Flush requires arguments."));
    }
    let filter = AddrFilter::parse(a, ctx.family)?;
    let mut conn = ctx.rtnl()?;
    let _ = master_of(&mut conn, &filter)?;
    let index = match filter.dev {
        Some(d) => Some(device_index(&mut conn, d)?),
        None => None,
    };
    if filter.family == Some(libc::AF_PACKET as u8) {
        return Err(CliError::new(1, "Cannot flush link addresses."));
    }
    flush::flush(ctx, &filter, index, conn)
}
