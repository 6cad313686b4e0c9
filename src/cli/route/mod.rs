//! `rawnet route`: iproute2 6.1's `ip route` for add, change, replace,
//! prepend, append, test, del (`modify.rs`), show/list and flush with their
//! selectors (`select.rs`), and get.
//!
//! Words are matched by unique prefix in iproute2's order. Output is that of
//! `ip route` (see `print.rs`).

use crate::cli::ifname::link_index;
use rawnet::netlink::Pipeline;
use rawnet::route::prefix::{parse_c_unsigned, parse_inet_prefix, Prefix};
use rawnet::route::route::*;
use rawnet::Error;

mod modify;
pub(super) mod names;
pub(crate) mod print;
mod select;
#[cfg(test)]
mod tests;

pub(super) use modify::{prepare, verb};

use super::arg_errors::{invalid_arg, unknown_command};
use super::change::apply;
use super::link_names::LinkNames;
use super::output::{print, to_stderr, warn_if_interrupted, Stream};
use super::{matches, Args, CliError, Context};

pub(super) const USAGE: &str = "\
Usage: rawnet route { list | flush } SELECTOR
       rawnet route get ADDRESS [ from ADDRESS ] [ iif STRING ]
                        [ oif STRING ] [ mark NUMBER ] [ tos TOS ] [ fibmatch ]
       rawnet route { add | del | change | append | replace | prepend | test } ROUTE
SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]
            [ table TABLE_ID ] [ proto RTPROTO ] [ type TYPE ] [ scope SCOPE ]
            [ via ADDRESS ] [ src ADDRESS ] [ dev STRING ] [ metric NUMBER ]
ROUTE := NODE_SPEC [ INFO_SPEC ]
NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ] [ table TABLE_ID ] [ proto RTPROTO ]
             [ scope SCOPE ] [ metric METRIC ]
INFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...
NH := [ via [ FAMILY ] ADDRESS ] [ dev STRING ] [ weight NUMBER ] NHFLAGS
OPTIONS := FLAGS [ mtu [ lock ] NUMBER ] [ advmss NUMBER ] [ window NUMBER ]
           [ rtt TIME ] [ initcwnd NUMBER ] [ initrwnd NUMBER ] [ hoplimit NUMBER ]
           [ quickack BOOL ] [ congctl [ lock ] ALGO ] [ src ADDRESS ]
TYPE := { unicast | local | broadcast | multicast | throw |
          unreachable | prohibit | blackhole | nat }
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
        // iproute2's usage(): the text to stderr, exit 255.
        Err(super::arg_errors::usage_error(USAGE))
    } else {
        Err(unknown_command("route", cmd))
    }
}

/// `route show SELECTOR`: each route printed as it arrives.
fn show(ctx: &Context, a: Args<'_>) -> Result<i32, CliError> {
    let mut conn = ctx.rtnl()?;
    let sel = select::Selector::parse(ctx, &mut conn, a)?;
    let mut names = LinkNames::new(ctx, Some(&conn));
    let shown = sel.shown(ctx);
    let mut stream = Stream::new(ctx);
    let status = for_each_route_filtered(&mut conn, &sel.dump_filter(), |r| {
        if !sel.picks(r) {
            return Ok(());
        }
        print::route_shown(&mut stream.begin_record(), &mut names, r, &shown)?;
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

/// `route get ADDR [from S] [iif D] [oif D] [mark M] [tos T] [fibmatch]`.
fn get(ctx: &Context, mut a: Args<'_>) -> Result<i32, CliError> {
    let mut q = RouteQuery {
        family: ctx.family.unwrap_or(0),
        ..Default::default()
    };
    let mut found = false;
    let (mut idev, mut odev) = (None, None);
    while let Some(w) = a.next() {
        if w == "tos" || matches(w, "dsfield") {
            let v = a.value(w)?;
            q.tos = modify_dsfield(v).ok_or_else(|| invalid_arg(v, "TOS value is invalid\n"))?;
        } else if matches(w, "from") {
            let v = a.value(w)?;
            if matches(v, "help") {
                print(USAGE)?;
                return Ok(0);
            }
            let p = parse_inet_prefix(v, q.family)?;
            if q.family == 0 {
                q.family = p.family;
            }
            q.src = p.addr;
            q.src_len = p.len;
            q.src_first = !found;
        } else if matches(w, "iif") {
            idev = Some(a.value(w)?);
        } else if matches(w, "mark") {
            let v = a.value(w)?;
            q.mark = parse_c_unsigned(v).ok_or_else(|| invalid_arg(v, "invalid mark value"))?;
        } else if matches(w, "oif") || w == "dev" {
            odev = Some(a.value(w)?);
        } else if matches(w, "uid") {
            let v = a.value(w)?;
            q.uid = Some(parse_c_unsigned(v).ok_or_else(|| invalid_arg(v, "invalid UID"))?);
        } else if matches(w, "fibmatch") {
            q.fib_match = true;
        } else {
            let w = if w == "to" { a.value(w)? } else { w };
            if matches(w, "help") {
                print(USAGE)?;
                return Ok(0);
            }
            let p = parse_inet_prefix(w, q.family)?;
            if q.family == 0 {
                q.family = p.family;
            }
            q.dst = p.addr;
            let full = if q.family == libc::AF_INET6 as u8 {
                128
            } else {
                32
            };
            if (q.family == libc::AF_INET as u8 || q.family == libc::AF_INET6 as u8)
                && p.len != full
            {
                to_stderr(&format!(
                    "Warning: /{} as prefix is invalid, only /{full} (or none) is supported.\n",
                    p.len
                ));
                q.dst_len = full;
            } else {
                q.dst_len = p.len;
            }
            found = true;
        }
    }
    if !found {
        return Err(CliError::new(1, "need at least a destination address"));
    }
    let mut conn = ctx.rtnl()?;
    if let Some(d) = idev {
        q.iif = Some(link_index(&mut conn, d).map_err(CliError::from)?);
    }
    if let Some(d) = odev {
        q.oif = Some(link_index(&mut conn, d).map_err(CliError::from)?);
    }
    let mut names = LinkNames::new(ctx, Some(&conn));
    let shown = print::Shown {
        details: ctx.details,
        ..print::Shown::all()
    };
    let route = query_route(&mut conn, &q).map_err(CliError::from)?;
    let mut stream = Stream::new(ctx);
    print::route_shown(
        &mut stream.begin_record(),
        &mut names,
        &route.view(),
        &shown,
    )?;
    stream.end_record()?;
    stream.finish()?;
    Ok(0)
}

fn modify_dsfield(w: &str) -> Option<u8> {
    modify::dsfield(w)
}

/// The request that deletes dumped route `r`.
fn delete_request(r: &Route<'_>) -> Result<rawnet::netlink::Request, Error> {
    delete_route_request(&RouteSpec {
        family: r.family,
        dst: r.dst.map(|addr| Prefix {
            addr,
            len: r.dst_len,
        }),
        gateway: r.gateway.or(r.via),
        oif: r.oif,
        metric: r.priority,
        table: Some(r.table),
        scope: Some(r.scope),
        protocol: Some(r.protocol),
        kind: Some(r.kind),
        tos: r.tos,
        src: r.src.map(|addr| Prefix {
            addr,
            len: r.src_len,
        }),
        ..Default::default()
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
    let sel = select::Selector::parse(ctx, &mut conn, a)?;
    if sel.cloned {
        // iproute2's iproute_flush_cache: the IPv4 routing cache is flushed
        // through its sysctl, in the namespace the command runs in.
        if sel.family() != libc::AF_INET6 as u8 {
            let ns = match ctx.namespace()? {
                Some(ns) => ns,
                None => rawnet::ns::NetNs::current().map_err(CliError::from)?,
            };
            rawnet::ns::set_sysctl(&ns, "net.ipv4.route.flush", "-1")
                .map_err(|_| CliError::new(1, "Cannot flush routing cache"))?;
            if ctx.stats > 0 {
                print("*** IPv4 routing cache is flushed.\n")?;
            }
        }
        if sel.family() == libc::AF_INET as u8 {
            return Ok(0);
        }
    }
    let filter = sel.dump_filter();
    let mut side = ctx.rtnl()?;
    let mut pipeline = Pipeline::new();
    let start = std::time::Instant::now();
    loop {
        let mut flushed = 0usize;
        let _ = for_each_route_filtered(&mut conn, &filter, |r| {
            if !sel.picks_for_flush(r) {
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
