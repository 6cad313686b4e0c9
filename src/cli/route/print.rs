//! Route output as iproute2 6.1 prints it (`print_route` in ip/iproute.c):
//! text lines with their trailing spaces, and the `-j` objects with the same
//! keys in the same order (`flags` always present, `table` only when not main
//! and not selected, `type` only when not unicast).

use std::net::IpAddr;

use rawnet::error::Error;
use rawnet::netlink::Connection;
use rawnet::route::route::*;

use super::names;
use crate::cli::link_lookup::LinkNames;
use crate::cli::record::{print_records, Field, Value};
use crate::cli::Context;

/// What the selection makes redundant to print.
#[derive(Debug, Clone, Copy)]
pub struct View {
    /// Print `table` for routes not in main (only when no table was selected).
    pub table_shown: bool,
    /// Print `dev` (not when the output interface was selected).
    pub oif_shown: bool,
}

const RT_FLAGS: &[(u32, &str)] = &[
    (RTNH_F_DEAD, "dead"),
    (RTNH_F_ONLINK, "onlink"),
    (RTNH_F_PERVASIVE, "pervasive"),
    (RTNH_F_OFFLOAD, "offload"),
    (RTNH_F_TRAP, "trap"),
    (RTM_F_NOTIFY, "notify"),
    (RTNH_F_LINKDOWN, "linkdown"),
    (RTNH_F_UNRESOLVED, "unresolved"),
    (RTM_F_OFFLOAD, "rt_offload"),
    (RTM_F_TRAP, "rt_trap"),
    (RTM_F_OFFLOAD_FAILED, "rt_offload_failed"),
];

const CACHE_FLAGS: &[(u32, &str)] = &[
    (RTCF_LOCAL, "local"),
    (RTCF_REJECT, "reject"),
    (RTCF_MULTICAST, "mc"),
    (RTCF_BROADCAST, "brd"),
    (RTCF_DNAT, "dst-nat"),
    (RTCF_SNAT, "src-nat"),
    (RTCF_MASQ, "masq"),
    (RTCF_DIRECTDST, "dst-direct"),
    (RTCF_DIRECTSRC, "src-direct"),
    (RTCF_REDIRECTED, "redirected"),
    (RTCF_DOREDIRECT, "redirect"),
    (RTCF_FAST, "fastroute"),
    (RTCF_NOTIFY, "notify"),
    (RTCF_TPROXY, "proxy"),
];

fn host_len(family: u8) -> u8 {
    if family == libc::AF_INET6 as u8 {
        128
    } else {
        32
    }
}

fn prefix_text(addr: Option<IpAddr>, len: u8, family: u8) -> Option<String> {
    match addr {
        Some(a) if len == host_len(family) => Some(a.to_string()),
        Some(a) => Some(format!("{a}/{len}")),
        None if len != 0 => Some(format!("0/{len}")),
        None => None,
    }
}

fn route_fields(
    conn: &mut Connection,
    names: &mut LinkNames,
    r: &RouteInfo,
    view: View,
) -> Result<Vec<Field>, Error> {
    let mut v = Vec::new();
    if r.kind != RTN_UNICAST {
        let t = names::type_name(r.kind);
        v.push(Field::str("type", format!("{t} "), t));
    }
    let dst = prefix_text(r.dst, r.dst_len, r.family).unwrap_or_else(|| "default".into());
    v.push(Field::str("dst", format!("{dst} "), dst));
    if r.src.is_some() || r.src_len != 0 {
        if let Some(s) = prefix_text(r.src, r.src_len, r.family) {
            v.push(Field::str("from", format!("from {s} "), s));
        }
    }
    if let Some(g) = r.gateway {
        v.push(Field::str("gateway", format!("via {g} "), g.to_string()));
    }
    if let Some(o) = r.oif.filter(|_| view.oif_shown) {
        let n = names.name(conn, o)?;
        v.push(Field::str("dev", format!("dev {n} "), n));
    }
    if view.table_shown && r.table != RT_TABLE_MAIN && r.table != 0 {
        let t = names::table_name(r.table);
        v.push(Field::str("table", format!("table {t} "), t));
    }
    if r.flags & RTM_F_CLONED == 0 {
        if r.protocol != RTPROT_BOOT {
            let p = names::protocol_name(r.protocol);
            v.push(Field::str("protocol", format!("proto {p} "), p));
        }
        if r.scope != RT_SCOPE_UNIVERSE {
            let s = names::scope_name(r.scope);
            v.push(Field::str("scope", format!("scope {s} "), s));
        }
    }
    if let Some(p) = r.prefsrc {
        v.push(Field::str("prefsrc", format!("src {p} "), p.to_string()));
    }
    if let Some(m) = r.priority {
        v.push(Field::num("metric", format!("metric {m} "), u64::from(m)));
    }
    v.push(Field::words(
        "flags",
        RT_FLAGS
            .iter()
            .filter(|(b, _)| r.flags & b != 0)
            .map(|(_, n)| *n)
            .collect(),
    ));
    if let Some(u) = r.uid {
        v.push(Field::num("uid", format!("uid {u} "), u64::from(u)));
    }
    if r.family == libc::AF_INET as u8 && r.flags & RTM_F_CLONED != 0 {
        v.push(cache_field(
            CACHE_FLAGS
                .iter()
                .filter(|(b, _)| r.flags & b != 0)
                .map(|(_, n)| *n)
                .collect(),
        ));
    }
    if let Some(ci) = r.cacheinfo {
        if ci.rta_expires != 0 {
            // USER_HZ is 100 on Linux.
            let secs = ci.rta_expires / 100;
            v.push(Field::num(
                "expires",
                format!("expires {secs}sec "),
                secs.max(0) as u64,
            ));
        }
        if ci.rta_error != 0 {
            v.push(Field::num(
                "error",
                format!("error {} ", ci.rta_error),
                u64::from(ci.rta_error),
            ));
        }
    }
    if let Some(p) = r.pref {
        v.push(pref_field(p));
    }
    Ok(v)
}

/// The `cache` block of a cloned IPv4 route: on a line of its own in text,
/// the flags in `<>` when there are any; an array of the words in JSON.
fn cache_field(words: Vec<&'static str>) -> Field {
    let mut text = String::from("\n    cache ");
    if !words.is_empty() {
        text.push('<');
        text.push_str(&words.join(","));
        text.push_str("> ");
    }
    Field {
        key: "cache",
        text,
        value: Value::Words(words),
    }
}

/// The IPv6 router preference: `pref NAME` (no space after it), or for a
/// value without a name the bare number.
fn pref_field(p: u8) -> Field {
    let name = match p {
        0 => "medium",
        1 => "high",
        3 => "low",
        _ => return Field::num("pref", p.to_string(), u64::from(p)),
    };
    Field::str("pref", format!("pref {name}"), name.into())
}

/// Routes as `ip route` prints them, text or JSON per `ctx`.
pub fn routes(
    ctx: &Context,
    conn: &mut Connection,
    names: &mut LinkNames,
    routes: &[RouteInfo],
    view: View,
) -> Result<String, Error> {
    if view.oif_shown {
        // Name every output device up front: many come from one dump, not a GET each.
        names.resolve(conn, routes.iter().filter_map(|r| r.oif))?;
    }
    let records = routes
        .iter()
        .map(|r| route_fields(conn, names, r, view))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(print_records(ctx, &records))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_and_pref_texts() {
        assert_eq!(cache_field(vec![]).text, "\n    cache ");
        assert_eq!(
            cache_field(vec!["local", "mc"]).text,
            "\n    cache <local,mc> "
        );
        assert_eq!(pref_field(1).text, "pref high");
        assert_eq!(pref_field(2).text, "2");
    }
}
