//! `rawnet neighbour`: iproute2's `ip neigh` for add, change, replace, del,
//! get, show/list and flush.
//!
//! ```text
//! neigh {add|change|replace|del} {ADDR [lladdr LLADDR] [nud STATE] | proxy ADDR}
//!       [dev DEV] [router] [use] [managed] [extern_learn] [protocol PROTO]
//! neigh {show|flush} [proxy] [to PREFIX] [dev DEV] [nud STATE] [master DEV]
//!       [nomaster] [unused] [protocol PROTO]
//! neigh get {ADDR | proxy ADDR} dev DEV
//! ```
//!
//! Words are matched as iproute2 6.1 matches them (`a` add, `c` change, `r`
//! replace, `d` delete, `g` get, `s`/`l` show, `f` flush), with its defaults:
//! a new entry is `permanent` unless `nud` says otherwise; `show` leaves out
//! `noarp` and `none` entries, `flush` spares `permanent` and `noarp` ones.
//! Output (text and `-j`) is that of `ip neigh show`; exit codes are ip's: 255
//! for bad syntax, 1 for bad values and missing devices, 2 for the kernel's refusals.

use std::net::IpAddr;

use crate::cli::ifname::link_index;
use rawnet::netlink::{Connection, Pipeline};
use rawnet::route::neigh::*;
use rawnet::route::prefix::parse_inet_prefix;
use rawnet::Error;

use super::arg_errors::{
    address_of_family, duplicate, garbage, invalid_arg, prefix_expected, unknown_command,
    usage_error,
};
use super::change::{apply, Change, Devices};
use super::link_names::LinkNames;
use super::lladdr::parse_lladdr;
use super::numbers::decimal_or_hex_u32;
use super::output::{print, warn_if_interrupted, Out, Stream};
use super::route::names;
use super::{matches, Args, CliError, Context};

mod filter;
mod print;

pub(crate) use filter::Filter;
pub(crate) use print::{entry, Style};

const USAGE: &str = "\
Usage: rawnet neigh { add | del | change | replace }
                { ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR }
                [ dev DEV ] [ router ] [ use ] [ managed ] [ extern_learn ]
                [ protocol PROTO ]

	rawnet neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]
				  [ master DEV ] [ nomaster ] [ unused ]
	rawnet neigh get { ADDR | proxy ADDR } dev DEV

STATE := { delay | failed | incomplete | noarp | none |
           permanent | probe | reachable | stale }
";

/// Flush gives up after this many dump-and-delete rounds, as iproute2 does.
const MAX_ROUNDS: usize = 10;

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let mut a = Args::new(args);
    let Some(cmd) = a.next() else {
        return show_or_flush(ctx, a, false);
    };
    if let Some(op) = change_op(cmd) {
        apply(ctx, |devices| prepare(ctx, a, op, devices))
    } else if matches(cmd, "get") {
        get(ctx, a)
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        show_or_flush(ctx, a, false)
    } else if matches(cmd, "flush") {
        show_or_flush(ctx, a, true)
    } else if matches(cmd, "help") {
        Err(usage_error(USAGE))
    } else {
        Err(unknown_command("neigh", cmd))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Add,
    Change,
    Replace,
    Delete,
}

/// The change a command word asks for (`add`, `change`, `replace`, `delete`).
pub(super) fn change_op(cmd: &str) -> Option<Op> {
    if matches(cmd, "add") {
        Some(Op::Add)
    } else if matches(cmd, "change") || cmd == "chg" {
        Some(Op::Change)
    } else if matches(cmd, "replace") {
        Some(Op::Replace)
    } else if matches(cmd, "delete") {
        Some(Op::Delete)
    } else {
        None
    }
}

/// iproute2's `nud_state_a2n`: a state name, or a number that is 0 or one bit below 0x100.
fn nud_state(word: &str) -> Option<u16> {
    Some(if matches(word, "permanent") {
        NUD_PERMANENT
    } else if matches(word, "reachable") {
        NUD_REACHABLE
    } else if word == "noarp" {
        NUD_NOARP
    } else if word == "none" {
        NUD_NONE
    } else if word == "stale" {
        NUD_STALE
    } else if word == "incomplete" {
        NUD_INCOMPLETE
    } else if word == "delay" {
        NUD_DELAY
    } else if word == "probe" {
        NUD_PROBE
    } else if matches(word, "failed") {
        NUD_FAILED
    } else {
        let n = decimal_or_hex_u32(word)?;
        if n >= 0x100 || n & n.wrapping_sub(1) != 0 {
            return None;
        }
        n as u16
    })
}

/// A device name to its index; `Cannot find device "X"` (exit 1) when there is none.
fn device(conn: &mut Connection, name: &str) -> Result<u32, CliError> {
    link_index(conn, name).map_err(CliError::from)
}

/// `neigh add|change|replace|del ADDR [lladdr MAC] dev DEV ...` as one request.
pub(super) fn prepare(
    ctx: &Context,
    mut a: Args<'_>,
    op: Op,
    devices: &mut dyn Devices,
) -> Result<Change, CliError> {
    let mut state = NUD_PERMANENT;
    let mut flags = 0u8;
    let mut flags_ext = 0u32;
    let mut protocol = None;
    let mut lla: Option<&str> = None;
    let mut dst: Option<IpAddr> = None;
    let mut dev: Option<&str> = None;
    let mut dev_ok = false;
    while let Some(w) = a.next() {
        if matches(w, "lladdr") {
            let v = a.value(w)?;
            if lla.is_some() {
                return Err(duplicate("lladdr", v));
            }
            lla = Some(v);
        } else if w == "nud" {
            let v = a.value(w)?;
            state = nud_state(v).ok_or_else(|| invalid_arg(v, "nud state is bad"))?;
        } else if matches(w, "proxy") {
            let v = a.value(w)?;
            if matches(v, "help") {
                return Err(usage_error(USAGE));
            }
            if dst.is_some() {
                return Err(duplicate("address", v));
            }
            dst = Some(address_of_family(v, ctx.family)?);
            dev_ok = true;
            flags |= NTF_PROXY;
        } else if w == "router" {
            flags |= NTF_ROUTER;
        } else if w == "use" {
            flags |= NTF_USE;
        } else if w == "managed" {
            flags_ext |= NTF_EXT_MANAGED;
            state = NUD_NONE;
        } else if matches(w, "extern_learn") {
            flags |= NTF_EXT_LEARNED;
        } else if w == "dev" {
            dev = Some(a.value(w)?);
            dev_ok = true;
        } else if matches(w, "protocol") {
            let v = a.value(w)?;
            protocol = Some(
                names::protocol_number(v)
                    .ok_or_else(|| invalid_arg(v, "\"protocol\" value is invalid"))?,
            );
        } else {
            let mut w = if w == "to" { a.value(w)? } else { w };
            if matches(w, "help") {
                // iproute2 skips the word and reads the next one as the address.
                w = a.value(w)?;
            }
            if dst.is_some() {
                return Err(garbage("to", w));
            }
            dst = Some(address_of_family(w, ctx.family)?);
        }
    }
    let (Some(dst), true) = (dst, dev_ok) else {
        return Err(CliError::usage(
            "Device and destination are required arguments.",
        ));
    };
    let lladdr = match lla {
        Some(l) if l != "null" => Some(parse_lladdr(l)?),
        _ => None,
    };
    let index = match dev {
        Some(d) => devices.index(d)?,
        None => 0,
    };
    let spec = NeighbourSpec {
        index,
        dst,
        lladdr,
        state,
        flags,
        flags_ext,
        protocol,
    };
    let request = match op {
        Op::Add => add_neighbour_request(&spec),
        Op::Change => change_neighbour_request(&spec),
        Op::Replace => replace_neighbour_request(&spec),
        Op::Delete => delete_neighbour_request(&spec),
    };
    Ok(Change::new(request.map_err(CliError::from)?))
}

fn get(ctx: &Context, mut a: Args<'_>) -> Result<i32, CliError> {
    let mut dst = None;
    let mut dev = None;
    let mut proxy = false;
    while let Some(w) = a.next() {
        if w == "dev" {
            dev = Some(a.value(w)?);
        } else if matches(w, "proxy") {
            let v = a.value(w)?;
            if matches(v, "help") {
                return Err(usage_error(USAGE));
            }
            if dst.is_some() {
                return Err(duplicate("address", v));
            }
            dst = Some(address_of_family(v, ctx.family)?);
            proxy = true;
        } else {
            let w = if w == "to" { a.value(w)? } else { w };
            if matches(w, "help") {
                return Err(usage_error(USAGE));
            }
            if dst.is_some() {
                return Err(garbage("to", w));
            }
            dst = Some(address_of_family(w, ctx.family)?);
        }
    }
    let (Some(dst), true) = (dst, dev.is_some() || proxy) else {
        return Err(CliError::new(
            1,
            "Device and address are required arguments.",
        ));
    };
    let mut conn = ctx.rtnl()?;
    let index = match dev {
        Some(d) => device(&mut conn, d)?,
        None => 0,
    };
    let n = get_neighbour(&mut conn, index, &dst, proxy).map_err(CliError::from)?;
    // iproute2 6.1 prints `get` as text even under -j.
    let mut line = String::new();
    let mut names = LinkNames::new(ctx, Some(&conn));
    entry(
        &mut Out::Text(&mut line),
        &mut names,
        &Filter::default(),
        &n,
        style(ctx),
    )?;
    print(&line)?;
    Ok(0)
}

/// The entry style the global options ask for.
fn style(ctx: &Context) -> Style {
    Style {
        stats: ctx.stats > 0,
        brief: ctx.brief,
    }
}

fn show_or_flush(ctx: &Context, mut a: Args<'_>, flush: bool) -> Result<i32, CliError> {
    let mut f = Filter {
        family: ctx.family.unwrap_or(0),
        ..Filter::default()
    };
    if flush {
        if a.is_empty() {
            return Err(CliError::new(1, "Flush requires arguments."));
        }
        f.state = !u32::from(NUD_PERMANENT | NUD_NOARP);
    } else {
        f.state = 0xff & !u32::from(NUD_NOARP);
    }
    let mut dev = None;
    let mut master = None;
    let mut vrf = None;
    let mut state_given = false;
    while let Some(w) = a.next() {
        if w == "dev" {
            let v = a.value(w)?;
            if dev.is_some() {
                return Err(duplicate("dev", v));
            }
            dev = Some(v);
        } else if w == "master" {
            master = Some(a.value(w)?);
        } else if w == "vrf" {
            vrf = Some(a.value(w)?);
        } else if w == "nomaster" {
            f.master = u32::MAX; // the kernel's "no master" (-1)
        } else if w == "unused" {
            f.unused_only = true;
        } else if w == "nud" {
            let v = a.value(w)?;
            if !state_given {
                state_given = true;
                f.state = 0;
            }
            let mut s = match nud_state(v) {
                Some(s) => u32::from(s),
                None if v == "all" => {
                    if flush {
                        !u32::from(NUD_NOARP)
                    } else {
                        !0
                    }
                }
                None => return Err(invalid_arg(v, "nud state is bad")),
            };
            if s == 0 {
                s = 0x100;
            }
            f.state |= s;
        } else if w == "proxy" {
            f.proxy = true;
        } else if matches(w, "protocol") {
            let v = a.value(w)?;
            f.protocol = match names::protocol_number(v) {
                Some(p) => p,
                None if v == "all" => 0,
                None => return Err(invalid_arg(v, "invalid \"protocol\"")),
            };
        } else {
            let w = if w == "to" { a.value(w)? } else { w };
            if matches(w, "help") {
                return Err(usage_error(USAGE));
            }
            // iproute2's get_prefix: short IPv4 forms, and `all`/`any`/
            // `default` (every address, of the family when one is known).
            let family = Some(f.family).filter(|&f| f != 0);
            let p = match family {
                Some(fam) if i32::from(fam) == libc::AF_PACKET => None,
                _ => parse_inet_prefix(w, f.family).ok(),
            };
            let Some(p) = p else {
                return Err(prefix_expected(family, w));
            };
            if f.family == 0 {
                f.family = p.family;
            }
            f.prefix = p.prefix();
        }
    }
    let mut conn = ctx.rtnl()?;
    if let Some(name) = vrf {
        let bad = || invalid_arg(name, "Not a valid VRF name\n");
        let l = rawnet::route::link::get_link(&mut conn, name).map_err(|_| bad())?;
        if l.view().kind.as_deref() != Some("vrf") {
            return Err(bad());
        }
        f.master = l.view().index;
    }
    if let Some(m) = master {
        f.master = link_index(&mut conn, m).map_err(|_| invalid_arg(m, "Device does not exist"))?;
    }
    if let Some(d) = dev {
        f.index = device(&mut conn, d)?;
    }
    if flush {
        return flush_rounds(ctx, &mut conn, &mut f);
    }
    let mut names = LinkNames::new(ctx, Some(&conn));
    let mut stream = Stream::new(ctx);
    let request = dump_neighbours_request(f.family, f.index, f.master, f.proxy)?;
    let status = for_each_neighbour(&mut conn, request, |n| {
        if !f.keeps(n) {
            return Ok(());
        }
        entry(&mut stream.begin_record(), &mut names, &f, n, style(ctx))?;
        stream.end_record()
    });
    stream.finish()?;
    warn_if_interrupted(status?);
    Ok(0)
}

/// iproute2's flush: dump, delete what the filter keeps, again until nothing
/// is left (at most [`MAX_ROUNDS`]); after the first round failed entries
/// are spared. The deletes go out on a second connection while the dump is
/// read (pipelined), so nothing of the table is kept.
fn flush_rounds(ctx: &Context, conn: &mut Connection, f: &mut Filter) -> Result<i32, CliError> {
    let mut side = ctx.rtnl()?;
    let mut pipeline = Pipeline::new();
    for _ in 0..MAX_ROUNDS {
        let request = dump_neighbours_request(f.family, f.index, f.master, f.proxy)?;
        let mut deleted = 0usize;
        let _ = for_each_neighbour(conn, request, |n| {
            if !f.keeps(n) {
                return Ok(());
            }
            deleted += 1;
            pipeline.push(&mut side, delete_existing_neighbour_request(n)?, deleted)
        })
        .map_err(CliError::from)?;
        pipeline.flush(&mut side).map_err(CliError::from)?;
        for failure in pipeline.take_failures() {
            match failure.error {
                // Gone already (aged out, or with its device).
                Error::Kernel(k) if k.errno == libc::ENOENT => {}
                e => return Err(CliError::from(e)),
            }
        }
        if deleted == 0 {
            return Ok(0);
        }
        f.state &= !u32::from(NUD_FAILED);
    }
    print(&format!(
        "*** Flush not complete bailing out after {MAX_ROUNDS} rounds\n"
    ))?;
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nud_words_and_numbers() {
        assert_eq!(nud_state("perm"), Some(NUD_PERMANENT));
        assert_eq!(nud_state("reach"), Some(NUD_REACHABLE));
        assert_eq!(nud_state("noarp"), Some(NUD_NOARP));
        assert_eq!(nud_state("noar"), None);
        assert_eq!(nud_state("none"), Some(NUD_NONE));
        assert_eq!(nud_state("0x40"), Some(NUD_NOARP));
        assert_eq!(nud_state("3"), None);
        assert_eq!(nud_state("256"), None);
        assert_eq!(nud_state("bogus"), None);
    }
}
