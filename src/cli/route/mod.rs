//! `rawnet route`: iproute2's `ip route` for add, del, replace, show/list,
//! get and flush.
//!
//! ```text
//! route {add|replace|del} [TYPE] PREFIX|default [via ADDR] [dev DEV] [metric N]
//!       [table ID|main|local] [src ADDR] [scope S] [proto P] [onlink]
//! route show|list [table ID|main|local|all] [dev DEV]
//! route get ADDR
//! route flush [table ID] [dev DEV]
//! ```
//!
//! Words are matched by unique prefix in iproute2's order (`a` add, `r`
//! replace, `d` delete, `s` show, `g` get, `f` flush). Output is that of
//! `ip route` (see `print.rs`).

use std::net::IpAddr;

use rawnet::netlink::Pipeline;
use rawnet::route::link::link_index;
use rawnet::route::prefix::{family_of, parse_addr, Prefix};
use rawnet::route::route::*;
use rawnet::Error;

pub(super) mod names;
pub(crate) mod print;

use super::arg_errors::{
    address_of_family, garbage, invalid_arg, prefix_expected, unknown_command, usage_error,
};
use super::change::{apply, verb, Change, Devices, Verb};
use super::link_names::LinkNames;
use super::output::{print, warn_if_interrupted, Stream};
use super::{matches, Args, CliError, Context};

const USAGE: &str = "\
Usage: rawnet route { list | show } [ table TABLE_ID | all ] [ dev DEV ]
       rawnet route get ADDRESS
       rawnet route { add | del | replace } ROUTE
       rawnet route flush [ table TABLE_ID ] [ dev DEV ]
ROUTE := [ TYPE ] PREFIX [ via ADDRESS ] [ dev DEV ] [ metric NUMBER ]
         [ table TABLE_ID ] [ src ADDRESS ] [ scope SCOPE ] [ proto RTPROTO ] [ onlink ]
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
    } else if matches(cmd, "get") {
        get(ctx, a)
    } else if matches(cmd, "flush") {
        flush(ctx, a)
    } else if matches(cmd, "help") {
        print(USAGE)?;
        Ok(0)
    } else {
        Err(unknown_command("route", cmd))
    }
}

/// An address of `family` (if already known), with iproute2's messages.
/// (`family` is only ever inet or inet6 here.)
fn address_of(word: &str, family: Option<u8>) -> Result<IpAddr, CliError> {
    match family {
        None => parse_addr(word).map_err(CliError::from),
        Some(_) => address_of_family(word, family),
    }
}

/// A destination: `default`/`all`/`any` or a prefix of `family` (if known).
fn destination(word: &str, family: Option<u8>) -> Result<Option<Prefix>, CliError> {
    if matches!(word, "default" | "all" | "any") {
        return Ok(None);
    }
    let p = Prefix::parse(word).map_err(CliError::from)?;
    match family {
        Some(f) if f != p.family() => Err(prefix_expected(family, word)),
        _ => Ok(Some(p)),
    }
}

/// `metric N`: decimal, or hex after a lowercase `0x` only (unlike
/// [`decimal_or_hex_u32`](super::numbers::decimal_or_hex_u32), which also takes `0X`).
fn parse_u32(word: &str) -> Option<u32> {
    match word.strip_prefix("0x") {
        Some(h) => u32::from_str_radix(h, 16).ok(),
        None => word.parse().ok(),
    }
}

/// `route add|replace|del ROUTE` as one request.
pub(super) fn prepare(
    ctx: &Context,
    mut a: Args<'_>,
    op: Verb,
    devices: &mut dyn Devices,
) -> Result<Change, CliError> {
    let mut family = ctx.family;
    let mut spec = RouteSpec::default();
    let mut dst_seen = false;
    let mut dev = None;
    while let Some(w) = a.next() {
        match w {
            "src" => {
                let v = a.value(w)?;
                let addr = address_of(v, family)?;
                family.get_or_insert(family_of(&addr));
                spec.prefsrc = Some(addr);
            }
            "via" => {
                if spec.gateway.is_some() {
                    return Err(invalid_arg(
                        "via",
                        "use nexthop syntax to specify multiple via",
                    ));
                }
                let mut v = a.value(w)?;
                let mut gw_family = family;
                if let Some(f) = family_word_number(v) {
                    gw_family = Some(f);
                    v = a.value(w)?;
                }
                let addr = address_of(v, gw_family)?;
                family.get_or_insert(family_of(&addr));
                spec.gateway = Some(addr);
            }
            "scope" => {
                let v = a.value(w)?;
                spec.scope = Some(
                    names::scope_number(v)
                        .ok_or_else(|| invalid_arg(v, "invalid \"scope\" value"))?,
                );
            }
            "onlink" => spec.onlink = true,
            "dev" | "oif" => dev = Some(a.value(w)?),
            w if matches(w, "metric") || matches(w, "priority") || w == "preference" => {
                let v = a.value(w)?;
                spec.metric = Some(
                    parse_u32(v).ok_or_else(|| invalid_arg(v, "\"metric\" value is invalid"))?,
                );
            }
            w if matches(w, "protocol") => {
                let v = a.value(w)?;
                spec.protocol = Some(
                    names::protocol_number(v)
                        .ok_or_else(|| invalid_arg(v, "\"protocol\" value is invalid"))?,
                );
            }
            w if matches(w, "table") => {
                let v = a.value(w)?;
                spec.table = Some(
                    names::table_number(v)
                        .ok_or_else(|| invalid_arg(v, "\"table\" value is invalid"))?,
                );
            }
            w => {
                let mut w = if w == "to" { a.value(w)? } else { w };
                if let Some(t) = names::type_number(w) {
                    spec.kind = Some(t);
                    w = a.value(w)?;
                }
                if matches(w, "help") {
                    print(USAGE)?;
                    return Err(CliError::done());
                }
                if dst_seen {
                    return Err(garbage("to", w));
                }
                spec.dst = destination(w, family)?;
                if let Some(p) = &spec.dst {
                    family.get_or_insert(p.family());
                }
                dst_seen = true;
            }
        }
    }
    if !dst_seen {
        return Err(usage_error(USAGE));
    }
    spec.family = family.unwrap_or(libc::AF_INET as u8);
    if let Some(d) = dev {
        spec.oif = Some(devices.index(d)?);
    }
    let request = match op {
        Verb::Add => add_route_request(&spec),
        Verb::Replace => replace_route_request(&spec),
        Verb::Delete => delete_route_request(&spec),
    };
    Ok(Change::new(request.map_err(CliError::from)?))
}

/// `inet`/`inet6` before a `via` address.
fn family_word_number(w: &str) -> Option<u8> {
    match w {
        "inet" => Some(libc::AF_INET as u8),
        "inet6" => Some(libc::AF_INET6 as u8),
        _ => None,
    }
}

/// Selectors of show and flush: `table T|all`, `dev D`.
struct Selector {
    /// `None`: all tables.
    table: Option<u32>,
    oif: Option<u32>,
}

fn selector(conn: &mut rawnet::netlink::Connection, mut a: Args<'_>) -> Result<Selector, CliError> {
    let mut sel = Selector {
        table: Some(RT_TABLE_MAIN),
        oif: None,
    };
    while let Some(w) = a.next() {
        if matches(w, "table") {
            let v = a.value(w)?;
            sel.table = match v {
                "all" => None,
                v => Some(
                    names::table_number(v)
                        .ok_or_else(|| invalid_arg(v, "table id value is invalid"))?,
                ),
            };
        } else if w == "dev" || w == "oif" {
            let v = a.value(w)?;
            sel.oif = Some(link_index(conn, v).map_err(CliError::from)?);
        } else if matches(w, "help") {
            print(USAGE)?;
            return Err(CliError::new(0, ""));
        } else {
            return Err(CliError::usage(format!(
                "Error: selector \"{w}\" is not supported by rawnet, try \"rawnet route help\"."
            )));
        }
    }
    Ok(sel)
}

/// The family a listing asks for: as iproute2, IPv4 when a table is
/// selected and no family given, else all.
fn listing_family(ctx: &Context, sel: &Selector) -> u8 {
    ctx.family.unwrap_or(if sel.table.is_some() {
        libc::AF_INET as u8
    } else {
        0
    })
}

/// `route show`: each route printed as it arrives.
fn show(ctx: &Context, a: Args<'_>) -> Result<i32, CliError> {
    let mut conn = ctx.rtnl()?;
    let sel = selector(&mut conn, a)?;
    let mut names = LinkNames::new(ctx, Some(&conn));
    let view = print::View {
        table_shown: sel.table.is_none(),
        oif_shown: sel.oif.is_none(),
    };
    let mut stream = Stream::new(ctx);
    let status = for_each_route(&mut conn, listing_family(ctx, &sel), sel.table, |r| {
        if sel.oif.is_some_and(|o| r.oif != Some(o)) {
            return Ok(());
        }
        print::route(&mut stream.begin_record(), &mut names, r, view)?;
        stream.end_record()
    });
    match status {
        Ok(status) => {
            stream.finish()?;
            warn_if_interrupted(status);
            Ok(0)
        }
        // As `ip route show`: the main table of a fresh namespace does not exist
        // until its first IPv4 route; the kernel says ENOENT, iproute2 shows nothing.
        Err(e) if e.errno == Some(libc::ENOENT) && sel.table == Some(RT_TABLE_MAIN) => {
            stream.finish()?;
            Ok(0)
        }
        Err(e) => {
            stream.finish()?;
            Err(e)
        }
    }
}

fn get(ctx: &Context, mut a: Args<'_>) -> Result<i32, CliError> {
    let mut dst = None;
    while let Some(w) = a.next() {
        let w = if w == "to" { a.value(w)? } else { w };
        if matches(w, "help") {
            print(USAGE)?;
            return Ok(0);
        }
        let p = Prefix::parse(w).map_err(CliError::from)?;
        if ctx.family.is_some_and(|f| f != p.family()) {
            return Err(prefix_expected(ctx.family, w));
        }
        dst = Some(p.addr);
    }
    let Some(dst) = dst else {
        return Err(CliError::new(1, "need at least a destination address"));
    };
    let mut conn = ctx.rtnl()?;
    let mut names = LinkNames::new(ctx, Some(&conn));
    let view = print::View {
        table_shown: true,
        oif_shown: true,
    };
    let route = get_route(&mut conn, &dst).map_err(CliError::from)?;
    let mut stream = Stream::new(ctx);
    print::route(&mut stream.begin_record(), &mut names, &route.view(), view)?;
    stream.end_record()?;
    stream.finish()?;
    Ok(0)
}

/// The request that deletes dumped route `r`.
fn delete_request(r: &Route<'_>) -> Result<rawnet::netlink::Request, Error> {
    delete_route_request(&RouteSpec {
        family: r.family,
        dst: r.dst.map(|addr| Prefix {
            addr,
            len: r.dst_len,
        }),
        gateway: r.gateway,
        oif: r.oif,
        metric: r.priority,
        table: Some(r.table),
        prefsrc: None,
        scope: Some(r.scope),
        protocol: Some(r.protocol),
        kind: Some(r.kind),
        onlink: false,
    })
}

/// `route flush SELECTOR`, as iproute2 flushes: dump, delete what the
/// selector picks, again until a dump finds nothing (at most 30 s). The
/// deletes are pipelined on a second connection while the dump is read, so
/// nothing of the table is kept.
fn flush(ctx: &Context, a: Args<'_>) -> Result<i32, CliError> {
    if a.is_empty() {
        return Err(CliError::new(1, "\"ip route flush\" requires arguments."));
    }
    let mut conn = ctx.rtnl()?;
    let sel = selector(&mut conn, a)?;
    let mut side = ctx.rtnl()?;
    let mut pipeline = Pipeline::new();
    let start = std::time::Instant::now();
    loop {
        let mut flushed = 0usize;
        let _ = for_each_route(&mut conn, listing_family(ctx, &sel), sel.table, |r| {
            if sel.oif.is_some_and(|o| r.oif != Some(o)) {
                return Ok(());
            }
            flushed += 1;
            pipeline.push(&mut side, delete_request(r)?, flushed)
        })
        .map_err(CliError::from)?;
        pipeline.flush(&mut side).map_err(CliError::from)?;
        for failure in pipeline.take_failures() {
            match failure.error {
                // Gone already, with its device or address.
                Error::Kernel(k) if k.errno == libc::ESRCH => {}
                e => return Err(CliError::from(e)),
            }
        }
        if flushed == 0 {
            return Ok(0);
        }
        let secs = start.elapsed().as_secs();
        if secs > 30 {
            print(&format!(
                "\n*** Flush not completed after {secs} seconds, {flushed} entries remain ***\n"
            ))?;
            return Ok(1);
        }
    }
}
