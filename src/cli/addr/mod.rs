//! `rawnet address`: iproute2's `ip address` for add, del, show/list and flush.
//!
//! ```text
//! addr add|replace PREFIX dev DEV [broadcast ADDR|+|-] [label L] [scope S] [nodad] [noprefixroute]
//! addr del PREFIX dev DEV
//! addr show|list [[dev] DEV]
//! addr flush [dev] DEV
//! ```
//!
//! Output (text and `-j`) is that of `ip address show`: each link's header,
//! then its addresses.

use std::net::IpAddr;

use rawnet::netlink::Connection;
use rawnet::route::addr::*;
use rawnet::route::link::link_index;
use rawnet::route::prefix::{parse_addr, Prefix};

mod print;
mod show;

pub(crate) use print::address;

use super::arg_errors::{garbage, invalid_arg, prefix_expected, unknown_command};
use super::change::{apply, verb, Change, Devices, Verb};
use super::output;
use super::route::names;
use super::{matches, Args, CliError, Context};

const USAGE: &str = "\
Usage: rawnet address {add|replace} IFADDR dev IFNAME [ broadcast ADDR ] [ label IFNAME ]
                                          [ scope SCOPE ] [ nodad ] [ noprefixroute ]
       rawnet address del IFADDR dev IFNAME
       rawnet address {show|list} [ dev IFNAME ]
       rawnet address flush dev IFNAME
";

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let mut a = Args::new(args);
    let Some(cmd) = a.next() else {
        return show(ctx, a);
    };
    if let Some(op) = verb(cmd) {
        apply(ctx, |devices| prepare(ctx, a, op, devices))
    } else if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        show(ctx, a)
    } else if matches(cmd, "flush") {
        flush(ctx, a)
    } else if matches(cmd, "help") {
        output::print(USAGE)?;
        Ok(0)
    } else {
        Err(unknown_command("address", cmd))
    }
}

/// `broadcast` argument: an address, or `+`/`-` (all host bits set/clear).
enum Broadcast {
    Addr(IpAddr),
    Plus,
    Minus,
}

/// The broadcast address of `p` with host bits set (`+`) or cleared (`-`),
/// only for prefixes of at most 30 bits, as iproute2 computes it.
fn computed_broadcast(p: &Prefix, set: bool) -> Option<IpAddr> {
    let IpAddr::V4(a) = p.addr else { return None };
    if p.len > 30 {
        return None;
    }
    let host = u32::MAX >> p.len;
    let v = if set {
        u32::from(a) | host
    } else {
        u32::from(a) & !host
    };
    Some(IpAddr::V4(v.into()))
}

/// `address add|replace|del IFADDR dev DEV ...` as one request.
pub(super) fn prepare(
    ctx: &Context,
    mut a: Args<'_>,
    op: Verb,
    devices: &mut dyn Devices,
) -> Result<Change, CliError> {
    let mut local: Option<Prefix> = None;
    let mut dev = None;
    let mut brd = None;
    let mut options = AddressOptions::default();
    while let Some(w) = a.next() {
        match w {
            "dev" => dev = Some(a.value(w)?),
            "label" => options.label = Some(a.value(w)?.to_string()),
            "scope" => {
                let v = a.value(w)?;
                options.scope = Some(
                    names::scope_number(v).ok_or_else(|| invalid_arg(v, "invalid scope value."))?,
                );
            }
            "nodad" => options.flags |= IFA_F_NODAD,
            "noprefixroute" => options.flags |= IFA_F_NOPREFIXROUTE,
            "home" => options.flags |= IFA_F_HOMEADDRESS,
            "mngtmpaddr" => options.flags |= IFA_F_MANAGETEMPADDR,
            "autojoin" => options.flags |= IFA_F_MCAUTOJOIN,
            w if w == "brd" || matches(w, "broadcast") => {
                let v = a.value(w)?;
                brd = Some(match v {
                    "+" => Broadcast::Plus,
                    "-" => Broadcast::Minus,
                    v => Broadcast::Addr(parse_addr(v).map_err(CliError::from)?),
                });
            }
            w if matches(w, "help") => {
                output::print(USAGE)?;
                return Err(CliError::done());
            }
            w => {
                let w = if w == "local" { a.value(w)? } else { w };
                if local.is_some() {
                    return Err(garbage("local", w));
                }
                let p = Prefix::parse(w).map_err(CliError::from)?;
                if ctx.family.is_some_and(|f| f != p.family()) {
                    return Err(prefix_expected(ctx.family, w));
                }
                local = Some(p);
            }
        }
    }
    let Some(dev) = dev else {
        return Err(CliError::new(
            1,
            "Not enough information: \"dev\" argument is required.",
        ));
    };
    let Some(prefix) = local else {
        return Err(CliError::new(
            1,
            "Not enough information: an address (IFADDR) is required.",
        ));
    };
    if op != Verb::Delete {
        options.broadcast = match brd {
            None => None,
            Some(Broadcast::Addr(b)) => Some(b),
            Some(Broadcast::Plus | Broadcast::Minus) if !prefix.addr.is_ipv4() => {
                return Err(CliError::new(
                    1,
                    "Broadcast can be set only for IPv4 addresses",
                ));
            }
            Some(Broadcast::Plus) => computed_broadcast(&prefix, true),
            Some(Broadcast::Minus) => computed_broadcast(&prefix, false),
        };
    }
    let index = devices.index(dev)?;
    let request = match op {
        Verb::Add => add_address_request(index, &prefix, &options),
        Verb::Replace => replace_address_request(index, &prefix, &options),
        Verb::Delete => delete_address_request(index, &prefix),
    };
    Ok(Change::new(request.map_err(CliError::from)?))
}

/// `[dev] DEV` of show and flush; iproute2 takes a bare word as the device.
fn device_filter(mut a: Args<'_>) -> Result<Option<&str>, CliError> {
    let mut dev = None;
    while let Some(w) = a.next() {
        let name = if w == "dev" {
            a.value(w)?
        } else if matches(w, "help") {
            output::print(USAGE)?;
            return Err(CliError::new(0, ""));
        } else {
            w
        };
        if dev.is_some() {
            return Err(garbage("dev", name));
        }
        dev = Some(name);
    }
    Ok(dev)
}

fn device_index(conn: &mut Connection, dev: &str) -> Result<u32, CliError> {
    link_index(conn, dev).map_err(|e| match e {
        rawnet::Error::NotFound(_) => CliError::new(1, format!("Device \"{dev}\" does not exist.")),
        e => CliError::from(e),
    })
}

fn show(ctx: &Context, a: Args<'_>) -> Result<i32, CliError> {
    let dev = device_filter(a)?;
    let mut conn = ctx.rtnl()?;
    let index = match dev {
        Some(d) => Some(device_index(&mut conn, d)?),
        None => None,
    };
    show::show(ctx, index, conn)
}

fn flush(ctx: &Context, a: Args<'_>) -> Result<i32, CliError> {
    if a.is_empty() {
        return Err(CliError::new(1, "Flush requires arguments."));
    }
    let Some(dev) = device_filter(a)? else {
        return Err(CliError::new(1, "Flush requires arguments."));
    };
    let mut conn = ctx.rtnl()?;
    let index = device_index(&mut conn, dev)?;
    flush_addresses(&mut conn, index, ctx.family).map_err(CliError::from)?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcast_plus_and_minus() {
        let p = Prefix::parse("10.0.3.1/24").unwrap();
        assert_eq!(
            computed_broadcast(&p, true),
            Some("10.0.3.255".parse().unwrap())
        );
        assert_eq!(
            computed_broadcast(&p, false),
            Some("10.0.3.0".parse().unwrap())
        );
        assert_eq!(
            computed_broadcast(&Prefix::parse("10.0.3.1/31").unwrap(), true),
            None
        );
    }
}
