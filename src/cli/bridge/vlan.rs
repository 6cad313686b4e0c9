//! `rawnet bridge vlan`: iproute2's `bridge vlan` for add, del and show.
//!
//! ```text
//! vlan { add | del } vid VLAN_ID[-VLAN_END] dev DEV [ tunnel_info id TUNNEL_ID[-END] ]
//!                    [ pvid ] [ untagged ] [ self ] [ master ]
//! vlan [ show [ dev DEV ] [ vid VLAN_ID ] ]
//! ```
//!
//! Words are read as `bridge` 6.1 reads them, quirks included: a VLAN id is
//! C's `atoi` into a `short` (so `vid 0` and `vid 4095` reach the kernel,
//! which refuses them), unknown words are skipped, and every failure exits
//! 255. `-compressvlans` asks the kernel for ranges. Output is in
//! `vlan_print.rs`.

use crate::cli::ifname::link_index;
use rawnet::netlink::Connection;
use rawnet::route::bridge_vlan::*;
use rawnet::Error;

use super::vlan_print::{header, port};
use crate::cli::arg_errors::{duplicate, invalid_arg, unknown_command, usage_error};
use crate::cli::link_names::LinkNames;
use crate::cli::numbers::strtoul;
use crate::cli::output::{warn_if_interrupted, Stream};
use crate::cli::{matches, Args, CliError, Context};

const USAGE: &str = "\
Usage: rawnet bridge vlan { add | del } vid VLAN_ID dev DEV [ tunnel_info id TUNNEL_ID ]
                                                     [ pvid ] [ untagged ]
                                                     [ self ] [ master ]
       rawnet bridge vlan { show } [ dev DEV ] [ vid VLAN_ID ]
";

/// `bridge` turns every failure into `exit(-1)`.
const EXIT: i32 = 255;

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let mut a = Args::new(args);
    let Some(cmd) = a.next() else {
        return show(ctx, a);
    };
    if matches(cmd, "add") {
        modify(ctx, a, false)
    } else if matches(cmd, "delete") {
        modify(ctx, a, true)
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        show(ctx, a)
    } else if matches(cmd, "help") {
        Err(usage_error(USAGE))
    } else {
        Err(unknown_command("bridge vlan", cmd))
    }
}

/// A library error, printed as iproute2 prints it, with `bridge`'s exit code.
fn failed(e: impl Into<CliError>) -> CliError {
    CliError {
        code: EXIT,
        ..e.into()
    }
}

/// C's `atoi`: leading blanks, a sign, digits up to the first other byte;
/// nothing is 0. glibc reads it as `strtol` (saturating) cut to `int`.
pub(super) fn atoi(word: &str) -> i32 {
    let s = word.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut v: i64 = 0;
    for b in digits.bytes().take_while(u8::is_ascii_digit) {
        v = v.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    (if negative { v.saturating_neg() } else { v }) as i32
}

/// `vid WORD` as `vlan_modify` reads it into its `short`s: `(vid, vid_end)`,
/// `vid_end` -1 when there is no `-`.
fn vid_words(word: &str) -> (i16, Option<i16>) {
    match word.split_once('-') {
        Some((start, end)) => (atoi(start) as i16, Some(atoi(end) as i16)),
        None => (atoi(word) as i16, None),
    }
}

/// `tunnel_info id ID[-END]`: 24-bit ids, `get_u32` with base 0.
fn tunnel_words(a: &mut Args<'_>, w: &str) -> Result<(u32, u32), CliError> {
    let v = a.value(w)?;
    if !matches(v, "id") {
        return Err(invalid_arg(v, "tunnel id expected"));
    }
    let v = a.value(v)?;
    let id = |s: &str| {
        strtoul(s)
            .filter(|&n| n < 1 << 24)
            .map(|n| n as u32)
            .ok_or_else(|| invalid_arg(v.split('-').next().unwrap_or(v), "invalid tun id"))
    };
    Ok(match v.split_once('-') {
        Some((start, end)) => (id(start)?, id(end)?),
        None => (id(v)?, 0),
    })
}

fn modify(ctx: &Context, mut a: Args<'_>, delete: bool) -> Result<i32, CliError> {
    let mut dev = None;
    let mut vid: i16 = -1;
    let mut vid_end: Option<i16> = None;
    let mut spec = VlanSpec::new(0, 0);
    while let Some(w) = a.next() {
        match w {
            "dev" => dev = Some(a.value(w)?),
            "vid" => (vid, vid_end) = vid_words(a.value(w)?),
            "self" => spec.bridge_flags |= BRIDGE_FLAGS_SELF,
            "master" => spec.bridge_flags |= BRIDGE_FLAGS_MASTER,
            "pvid" => spec.flags |= BRIDGE_VLAN_INFO_PVID,
            "untagged" => spec.flags |= BRIDGE_VLAN_INFO_UNTAGGED,
            "tunnel_info" => spec.tunnel = Some(tunnel_words(&mut a, w)?),
            // `bridge` skips other words; after `help` it skips one more.
            _ if matches(w, "help") => {
                a.value(w)?;
            }
            _ => {}
        }
    }
    let Some(dev) = dev.filter(|_| vid != -1) else {
        return Err(CliError::usage(
            "Device and VLAN ID are required arguments.",
        ));
    };
    let mut conn = ctx.rtnl().map_err(failed)?;
    spec.index = bridge_device(&mut conn, dev)?;
    if vid >= VLAN_N_VID as i16 {
        return Err(CliError::usage(format!(
            "Invalid VLAN ID \"{}\"",
            vid as u16
        )));
    }
    if let Some(end) = vid_end {
        if end == -1 || end >= VLAN_N_VID as i16 || vid >= end {
            return Err(CliError::usage(format!(
                "Invalid VLAN range \"{}-{}\"",
                vid as u16, end as u16
            )));
        }
        if spec.flags & BRIDGE_VLAN_INFO_PVID != 0 {
            return Err(CliError::usage(
                "pvid cannot be configured for a vlan range",
            ));
        }
    }
    spec.vid = vid as u16;
    spec.vid_end = vid_end.map(|e| e as u16);
    let result = if delete {
        delete_vlan(&mut conn, &spec)
    } else {
        add_vlan(&mut conn, &spec)
    };
    result.map_err(failed)?;
    Ok(0)
}

/// `ll_name_to_index` or `bridge vlan`'s complaint.
fn bridge_device(conn: &mut Connection, name: &str) -> Result<u32, CliError> {
    match link_index(conn, name) {
        Ok(i) => Ok(i),
        Err(Error::NotFound(_)) => Err(CliError::usage(format!(
            "Cannot find bridge device \"{name}\""
        ))),
        Err(e) => Err(failed(e)),
    }
}

/// What `show` selects: `filter_index` and `filter_vlan` of vlan.c.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Filter {
    /// 0: every port.
    pub index: u32,
    /// 0: every VLAN; otherwise the VLAN, or the range holding it.
    pub vlan: u32,
}

fn show(ctx: &Context, mut a: Args<'_>) -> Result<i32, CliError> {
    let mut f = Filter::default();
    let mut dev = None;
    while let Some(w) = a.next() {
        if w == "dev" {
            let v = a.value(w)?;
            if dev.is_some() {
                return Err(duplicate("dev", v));
            }
            dev = Some(v);
        } else if w == "vid" {
            let v = a.value(w)?;
            if f.vlan != 0 {
                return Err(duplicate("vid", v));
            }
            f.vlan = atoi(v) as u32;
        }
        // Other words are ignored, as `bridge vlan show` ignores them.
    }
    let mut conn = ctx.rtnl().map_err(failed)?;
    if let Some(d) = dev {
        f.index = link_index(&mut conn, d).map_err(failed)?;
    }
    let mut names = LinkNames::new(ctx, Some(&conn));
    let mut stream = Stream::new(ctx);
    if !ctx.json {
        header(&mut stream.begin_record());
    }
    let status = for_each_port_vlans(&mut conn, ctx.compress_vlans, |p| {
        if f.index != 0 && f.index != p.index {
            return Ok(());
        }
        port(&mut stream, &mut names, &f, p)
    });
    stream.finish()?;
    let status = status.map_err(failed)?;
    warn_if_interrupted(status);
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vids_are_read_as_bridge_reads_them() {
        assert_eq!(vid_words("10"), (10, None));
        assert_eq!(vid_words("10-20"), (10, Some(20)));
        assert_eq!(vid_words("abc"), (0, None));
        assert_eq!(vid_words("65535"), (-1, None));
        assert_eq!(vid_words("40000"), (40000u16 as i16, None));
        assert_eq!(vid_words("-1"), (0, Some(1)));
        assert_eq!(atoi("  12x"), 12);
        assert_eq!(atoi("99999999999"), 99_999_999_999i64 as i32);
        assert_eq!(atoi("999999999999999999999"), -1);
    }
}
