//! `rawnet fdb`: iproute2's `bridge fdb` for add, append, del, replace and
//! show/list.
//!
//! ```text
//! fdb {add|append|del|replace} MAC dev DEV [self] [master] [use] [router]
//!     [extern_learn] [sticky] [local|permanent|static|dynamic] [vlan VID]
//!     {[dst IPADDR] [port PORT] [vni VNI] | [nhid NHID]} [via DEV] [src_vni VNI]
//! fdb [show [br BRDEV] [brport|dev DEV] [vlan VID] [state STATE] [dynamic]]
//! ```
//!
//! Defaults are `bridge fdb`'s: `self` when neither `self` nor `master` is
//! given, `permanent` unless `static` or `dynamic` is. Output (text and `-j`)
//! is that of `bridge fdb show`. `bridge` exits 255 on every failure, the
//! kernel's refusals included, except for a malformed `dst` address (1).

use crate::cli::ifname::link_index;
use rawnet::netlink::Connection;
use rawnet::route::fdb::*;
use rawnet::route::neigh::*;
use rawnet::Error;

use super::arg_errors::{
    address_of_family, duplicate, garbage, invalid_arg, unknown_command, usage_error,
};
use super::link_names::LinkNames;
use super::lladdr::parse_mac;
use super::numbers::strtoul;
use super::output::{warn_if_interrupted, Stream};
use super::{matches, Args, CliError, Context};

mod print;

use print::entry;

const USAGE: &str = "\
Usage: rawnet fdb { add | append | del | replace } ADDR dev DEV
              [ self ] [ master ] [ use ] [ router ] [ extern_learn ]
              [ sticky ] [ local | static | dynamic ] [ vlan VID ]
              { [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }
	       [ via DEV ] [ src_vni VNI ]
       rawnet fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ]
              [ state STATE ] [ dynamic ] ]
";

/// `bridge` turns every failure into `exit(-1)`.
const EXIT: i32 = 255;

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let mut a = Args::new(args);
    let Some(cmd) = a.next() else {
        return show(ctx, a);
    };
    if matches(cmd, "add") {
        modify(ctx, a, Op::Add)
    } else if matches(cmd, "append") {
        modify(ctx, a, Op::Append)
    } else if matches(cmd, "replace") {
        modify(ctx, a, Op::Replace)
    } else if matches(cmd, "delete") {
        modify(ctx, a, Op::Delete)
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        show(ctx, a)
    } else if matches(cmd, "help") {
        Err(usage_error(USAGE))
    } else {
        Err(unknown_command("fdb", cmd))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Append,
    Replace,
    Delete,
}

/// A library error, printed as iproute2 prints it, with `bridge`'s exit code.
fn failed(e: Error) -> CliError {
    CliError {
        code: EXIT,
        ..CliError::from(e)
    }
}

/// A 24-bit VNI, or iproute2's message.
fn vni(word: &str, what: &str) -> Result<u32, CliError> {
    strtoul(word)
        .filter(|&v| v < 1 << 24)
        .map(|v| v as u32)
        .ok_or_else(|| invalid_arg(word, what))
}

fn device(conn: &mut Connection, name: &str) -> Result<u32, CliError> {
    link_index(conn, name).map_err(failed)
}

fn modify(ctx: &Context, mut a: Args<'_>, op: Op) -> Result<i32, CliError> {
    let mut flags = 0u8;
    let mut state = NUD_NOARP;
    let mut addr = None;
    let mut dev = None;
    let mut via = None;
    let mut spec = FdbSpec::new(0, [0; 6]);
    while let Some(w) = a.next() {
        if w == "dev" {
            dev = Some(a.value(w)?);
        } else if w == "dst" {
            let v = a.value(w)?;
            if spec.dst.is_some() {
                return Err(garbage("dst", v));
            }
            spec.dst = Some(address_of_family(v, ctx.family)?);
        } else if w == "nhid" {
            let v = a.value(w)?;
            let n = strtoul(v)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| invalid_arg(v, "\"id\" value is invalid"))?;
            spec.nh_id = Some(n).filter(|&n| n != 0);
        } else if w == "port" {
            let v = a.value(w)?;
            let p = strtoul(v)
                .and_then(|p| u16::try_from(p).ok())
                .ok_or_else(|| invalid_arg(v, "invalid port"))?;
            spec.port = Some(p).filter(|&p| p != 0);
        } else if w == "vni" {
            spec.vni = Some(vni(a.value(w)?, "invalid VNI")?);
        } else if w == "src_vni" {
            spec.src_vni = Some(vni(a.value(w)?, "invalid src VNI")?);
        } else if w == "via" {
            via = Some(a.value(w)?);
        } else if w == "self" {
            flags |= NTF_SELF;
        } else if matches(w, "master") {
            flags |= NTF_MASTER;
        } else if matches(w, "router") {
            flags |= NTF_ROUTER;
        } else if matches(w, "local") || matches(w, "permanent") {
            state |= NUD_PERMANENT;
        } else if matches(w, "temp") || matches(w, "static") {
            state |= NUD_REACHABLE;
        } else if matches(w, "dynamic") {
            state |= NUD_REACHABLE;
            state &= !NUD_NOARP;
        } else if matches(w, "vlan") {
            if spec.vlan.is_some() {
                return Err(garbage("vlan", w));
            }
            let v = a.value(w)?;
            let id = strtoul(v)
                .and_then(|id| u16::try_from(id).ok())
                .ok_or_else(|| invalid_arg(v, "invalid VLAN id"))?;
            spec.vlan = Some(id);
        } else if matches(w, "use") {
            flags |= NTF_USE;
        } else if matches(w, "extern_learn") {
            flags |= NTF_EXT_LEARNED;
        } else if matches(w, "sticky") {
            flags |= NTF_STICKY;
        } else {
            let w = if w == "to" { a.value(w)? } else { w };
            if matches(w, "help") {
                return Err(usage_error(USAGE));
            }
            if addr.is_some() {
                return Err(garbage("to", w));
            }
            addr = Some(w);
        }
    }
    let (Some(dev), Some(addr)) = (dev, addr) else {
        return Err(CliError::usage(
            "Device and address are required arguments.",
        ));
    };
    if spec.nh_id.is_some() && (spec.dst.is_some() || spec.port.is_some() || spec.vni.is_some()) {
        return Err(CliError::usage(
            "dst, port, vni are mutually exclusive with nhid",
        ));
    }
    if flags & (NTF_SELF | NTF_MASTER) == 0 {
        flags |= NTF_SELF;
    }
    if state & (NUD_PERMANENT | NUD_REACHABLE) == 0 {
        state |= NUD_PERMANENT;
    }
    spec.mac = parse_mac(addr)?;
    spec.flags = flags;
    spec.state = state;
    let mut conn = ctx.rtnl().map_err(|e| CliError { code: EXIT, ..e })?;
    if let Some(v) = via {
        spec.via = Some(device(&mut conn, v)?);
    }
    spec.index = device(&mut conn, dev)?;
    let result = match op {
        Op::Add => add_fdb(&mut conn, &spec),
        Op::Append => append_fdb(&mut conn, &spec),
        Op::Replace => replace_fdb(&mut conn, &spec),
        Op::Delete => delete_fdb(&mut conn, &spec),
    };
    result.map_err(failed)?;
    Ok(0)
}

/// iproute2's `state_a2n` for `show state STATE`.
fn state_filter(word: &str) -> Option<u32> {
    Some(if matches(word, "permanent") {
        u32::from(NUD_PERMANENT)
    } else if matches(word, "static") || matches(word, "temp") {
        u32::from(NUD_NOARP)
    } else if matches(word, "stale") {
        u32::from(NUD_STALE)
    } else if matches(word, "reachable") || matches(word, "dynamic") {
        u32::from(NUD_REACHABLE)
    } else if word == "all" {
        !0
    } else {
        u32::try_from(strtoul(word)?).ok()?
    })
}

/// What `show` selects.
#[derive(Default)]
struct Filter {
    /// 0: every device (and then `dev` is printed).
    index: u32,
    state: u32,
    vlan: u16,
    dynamic: bool,
    /// `-s`: each entry's `used`/`updated` ages too.
    stats: bool,
}

impl Filter {
    fn keeps<B>(&self, n: &NeighbourData<B>) -> bool {
        n.family == AF_BRIDGE
            && (self.index == 0 || self.index == n.index)
            && (self.state == 0 || u32::from(n.state) & self.state != 0)
            && (self.vlan == 0 || self.vlan == n.vlan.unwrap_or(0))
            && !(self.dynamic && n.state & NUD_PERMANENT != 0)
    }
}

fn show(ctx: &Context, mut a: Args<'_>) -> Result<i32, CliError> {
    let mut f = Filter {
        stats: ctx.stats > 0,
        ..Filter::default()
    };
    let mut dev = None;
    let mut br = None;
    while let Some(w) = a.next() {
        if w == "brport" || w == "dev" {
            dev = Some(a.value(w)?);
        } else if w == "br" {
            br = Some(a.value(w)?);
        } else if w == "vlan" {
            let v = a.value(w)?;
            if f.vlan != 0 {
                return Err(duplicate("vlan", v));
            }
            f.vlan = strtoul(v)
                .and_then(|id| u16::try_from(id).ok())
                .ok_or_else(|| invalid_arg(v, "invalid VLAN id"))?;
        } else if w == "state" {
            let v = a.value(w)?;
            f.state |= state_filter(v).ok_or_else(|| invalid_arg(v, "invalid state"))?;
        } else if w == "dynamic" {
            f.dynamic = true;
        } else if matches(w, "help") {
            return Err(usage_error(USAGE));
        }
        // Other words are ignored, as `bridge fdb show` ignores them.
    }
    let mut conn = ctx.rtnl().map_err(|e| CliError { code: EXIT, ..e })?;
    let master = match br {
        Some(b) => Some(
            link_index(&mut conn, b)
                .map_err(|_| CliError::usage(format!("Cannot find bridge device \"{b}\"")))?,
        ),
        None => None,
    };
    if let Some(d) = dev {
        f.index = device(&mut conn, d)?;
    }
    let mut names = LinkNames::new(ctx, Some(&conn));
    let mut stream = Stream::new(ctx);
    let request = dump_fdb_request(f.index, master.unwrap_or(0)).map_err(failed)?;
    let status = for_each_neighbour(&mut conn, request, |n| {
        if !f.keeps(n) {
            return Ok(());
        }
        entry(&mut stream.begin_record(), &mut names, &f, n)?;
        stream.end_record()
    });
    stream.finish()?;
    let status = status.map_err(|e| CliError { code: EXIT, ..e })?;
    warn_if_interrupted(status);
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vnis_are_24_bits() {
        assert!(vni("16777216", "invalid VNI").is_err());
        assert_eq!(vni("16777215", "invalid VNI").unwrap(), 0xff_ffff);
    }
}
