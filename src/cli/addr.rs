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

use super::arg_errors::{garbage, invalid_arg, prefix_expected, unknown_command};
use super::link::show::{header_json, header_text, HeaderStyle, Lookups};
use super::link_lookup;
use super::output::Json;
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
    if matches(cmd, "add") {
        modify(ctx, a, Op::Add)
    } else if matches(cmd, "replace") {
        modify(ctx, a, Op::Replace)
    } else if matches(cmd, "delete") {
        modify(ctx, a, Op::Delete)
    } else if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        show(ctx, a)
    } else if matches(cmd, "flush") {
        flush(ctx, a)
    } else if matches(cmd, "help") {
        print!("{USAGE}");
        Ok(0)
    } else {
        Err(unknown_command("address", cmd))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Replace,
    Delete,
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

fn modify(ctx: &Context, mut a: Args<'_>, op: Op) -> Result<i32, CliError> {
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
                print!("{USAGE}");
                return Ok(0);
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
    if op != Op::Delete {
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
    let mut conn = ctx.rtnl()?;
    let index = link_index(&mut conn, dev).map_err(CliError::from)?;
    let result = match op {
        Op::Add => add_address(&mut conn, index, &prefix, &options),
        Op::Replace => {
            replace_address_request(index, &prefix, &options).and_then(|r| conn.execute(r))
        }
        Op::Delete => delete_address(&mut conn, index, &prefix),
    };
    result.map_err(CliError::from)?;
    Ok(0)
}

/// `[dev] DEV` of show and flush; iproute2 takes a bare word as the device.
fn device_filter(mut a: Args<'_>) -> Result<Option<&str>, CliError> {
    let mut dev = None;
    while let Some(w) = a.next() {
        let name = if w == "dev" {
            a.value(w)?
        } else if matches(w, "help") {
            print!("{USAGE}");
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
    let mut links = link_lookup::links_for_addresses(&mut conn, ctx.family.unwrap_or(0), index)
        .map_err(CliError::from)?;
    let addrs = dump_addresses(&mut conn, ctx.family, index).map_err(CliError::from)?;
    // Under -4/-6 iproute2 shows only links with an address of that family.
    links.retain(|l| ctx.family.is_none() || addrs.iter().any(|a| a.index == l.index));
    link_lookup::fill_txqlen(&mut conn, &mut links).map_err(CliError::from)?;
    let style = HeaderStyle {
        link_command: false,
        link_line: ctx.family.is_none() || ctx.details,
        details: ctx.details,
    };
    let mut lookups = Lookups::new(conn, &links);
    let out = if ctx.json {
        let mut j = Json::new(ctx.pretty);
        j.begin_array();
        for l in &links {
            j.begin_object();
            header_json(&mut j, &mut lookups, l, style)?;
            j.key_array("addr_info");
            for a in addrs.iter().filter(|a| a.index == l.index) {
                j.begin_object();
                address_json(&mut j, a);
                j.end_object();
            }
            j.end_array();
            j.end_object();
        }
        j.end_array();
        j.finish()
    } else {
        let mut s = String::new();
        for l in &links {
            header_text(&mut s, &mut lookups, l, style)?;
            for a in addrs.iter().filter(|a| a.index == l.index) {
                s.push_str(&address_text(a));
            }
        }
        s
    };
    print!("{out}");
    Ok(0)
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

fn family_name(f: u8) -> String {
    match i32::from(f) {
        libc::AF_INET => "inet".into(),
        libc::AF_INET6 => "inet6".into(),
        n => format!("family {n}"),
    }
}

/// `IFA_F_*` words in iproute2's order; `permanent` prints as `dynamic` when absent.
const FLAG_WORDS: &[(u32, &str)] = &[
    (IFA_F_SECONDARY, "secondary"),
    (IFA_F_NODAD, "nodad"),
    (IFA_F_OPTIMISTIC, "optimistic"),
    (IFA_F_DADFAILED, "dadfailed"),
    (IFA_F_HOMEADDRESS, "home"),
    (IFA_F_DEPRECATED, "deprecated"),
    (IFA_F_TENTATIVE, "tentative"),
    (IFA_F_PERMANENT, "permanent"),
    (IFA_F_MANAGETEMPADDR, "mngtmpaddr"),
    (IFA_F_NOPREFIXROUTE, "noprefixroute"),
    (IFA_F_MCAUTOJOIN, "autojoin"),
    (IFA_F_STABLE_PRIVACY, "stable-privacy"),
];

/// The flag words of an address and the bits no word names.
fn flag_words(a: &AddressInfo) -> (Vec<&'static str>, u32) {
    let mut words = Vec::new();
    let mut rest = a.flags;
    for &(bit, word) in FLAG_WORDS {
        if bit == IFA_F_PERMANENT {
            if a.flags & bit == 0 {
                words.push("dynamic");
            }
        } else if a.flags & bit != 0 {
            words.push(
                if bit == IFA_F_SECONDARY && a.family == libc::AF_INET6 as u8 {
                    "temporary"
                } else {
                    word
                },
            );
        }
        rest &= !bit;
    }
    (words, rest)
}

fn peer(a: &AddressInfo) -> Option<IpAddr> {
    match (a.local, a.address) {
        (Some(l), Some(ad)) if l != ad => Some(ad),
        _ => None,
    }
}

fn lifetime(v: u32) -> String {
    if v == INFINITY_LIFE_TIME {
        "forever".into()
    } else {
        format!("{v}sec")
    }
}

/// The lines `ip address show` prints for one address.
fn address_text(a: &AddressInfo) -> String {
    let mut s = format!("    {} ", family_name(a.family));
    if let Some(l) = a.local_or_address() {
        s.push_str(&l.to_string());
        if let Some(p) = peer(a) {
            s.push_str(&format!(" peer {p}"));
        }
        s.push_str(&format!("/{} ", a.prefix_len));
        if let Some(m) = a.rt_priority {
            s.push_str(&format!("metric {m} "));
        }
    }
    if let Some(b) = a.broadcast {
        s.push_str(&format!("brd {b} "));
    }
    if let Some(b) = a.anycast {
        s.push_str(&format!("any {b} "));
    }
    s.push_str(&format!("scope {} ", names::scope_name(a.scope)));
    let (words, rest) = flag_words(a);
    for w in words {
        s.push_str(w);
        s.push(' ');
    }
    if rest != 0 {
        s.push_str(&format!("flags {rest:02x} "));
    }
    if let Some(l) = &a.label {
        s.push_str(l);
    }
    if let Some(ci) = a.cacheinfo {
        s.push_str(&format!(
            "\n       valid_lft {} preferred_lft {}",
            lifetime(ci.ifa_valid),
            lifetime(ci.ifa_prefered)
        ));
    }
    s.push('\n');
    s
}

/// One `addr_info` entry of `ip -j address show`.
fn address_json(j: &mut Json, a: &AddressInfo) {
    j.str("family", &family_name(a.family));
    if let Some(l) = a.local_or_address() {
        j.str("local", &l.to_string());
        if let Some(p) = peer(a) {
            j.str("address", &p.to_string());
        }
        j.num("prefixlen", a.prefix_len);
        if let Some(m) = a.rt_priority {
            j.num("metric", m);
        }
    }
    if let Some(b) = a.broadcast {
        j.str("broadcast", &b.to_string());
    }
    if let Some(b) = a.anycast {
        j.str("anycast", &b.to_string());
    }
    j.str("scope", &names::scope_name(a.scope));
    let (words, rest) = flag_words(a);
    for w in words {
        j.bool(w, true);
    }
    if rest != 0 {
        j.str("ifa_flags", &format!("{rest:02x}"));
    }
    if let Some(l) = &a.label {
        j.str("label", l);
    }
    if let Some(ci) = a.cacheinfo {
        j.num("valid_life_time", ci.ifa_valid);
        j.num("preferred_life_time", ci.ifa_prefered);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(local: &str, plen: u8, flags: u32, label: Option<&str>) -> AddressInfo {
        let addr: IpAddr = local.parse().unwrap();
        AddressInfo {
            family: rawnet::route::prefix::family_of(&addr),
            prefix_len: plen,
            scope: 0,
            index: 3,
            flags,
            address: Some(addr),
            local: Some(addr),
            label: label.map(str::to_string),
            broadcast: None,
            anycast: None,
            cacheinfo: Some(IfaCacheinfo {
                ifa_prefered: u32::MAX,
                ifa_valid: u32::MAX,
                cstamp: 0,
                tstamp: 0,
            }),
            rt_priority: None,
        }
    }

    #[test]
    fn address_lines_match_iproute2() {
        let a = info("10.0.1.100", 24, IFA_F_PERMANENT, Some("veth0"));
        assert_eq!(
            address_text(&a),
            "    inet 10.0.1.100/24 scope global veth0\n       valid_lft forever preferred_lft forever\n"
        );
        let a = info("fd00::1", 64, IFA_F_PERMANENT | IFA_F_NODAD, None);
        assert_eq!(
            address_text(&a),
            "    inet6 fd00::1/64 scope global nodad \n       valid_lft forever preferred_lft forever\n"
        );
    }

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
