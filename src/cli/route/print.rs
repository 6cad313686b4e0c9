//! Route output as iproute2 6.1 prints it (`print_route` in ip/iproute.c):
//! text lines with their trailing spaces, and the `-j` objects with the same
//! keys in the same order (`flags` always present, `table` only when not main
//! and not selected, `type` only when not unicast).

use std::net::IpAddr;

use rawnet::error::Error;
use rawnet::netlink::Connection;
use rawnet::route::route::*;

use super::names;
use crate::cli::json::Json;
use crate::cli::link_lookup::LinkNames;
use crate::cli::Context;

/// What the selection makes redundant to print.
#[derive(Debug, Clone, Copy)]
pub struct View {
    /// Print `table` for routes not in main (only when no table was selected).
    pub table_shown: bool,
    /// Print `dev` (not when the output interface was selected).
    pub oif_shown: bool,
}

/// One printable element: the JSON key (if any), the text (with its spacing) and the value.
enum Item {
    Str(&'static str, String, String),
    Num(&'static str, String, u64),
    Flags(Vec<&'static str>),
    Cache(Vec<&'static str>),
    Pref(Option<&'static str>, u8),
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

fn items(
    conn: &mut Connection,
    names: &mut LinkNames,
    r: &RouteInfo,
    view: View,
) -> Result<Vec<Item>, Error> {
    let mut v = Vec::new();
    if r.kind != RTN_UNICAST {
        let t = names::type_name(r.kind);
        v.push(Item::Str("type", format!("{t} "), t));
    }
    let dst = prefix_text(r.dst, r.dst_len, r.family).unwrap_or_else(|| "default".into());
    v.push(Item::Str("dst", format!("{dst} "), dst));
    if r.src.is_some() || r.src_len != 0 {
        if let Some(s) = prefix_text(r.src, r.src_len, r.family) {
            v.push(Item::Str("from", format!("from {s} "), s));
        }
    }
    if let Some(g) = r.gateway {
        v.push(Item::Str("gateway", format!("via {g} "), g.to_string()));
    }
    if let Some(o) = r.oif.filter(|_| view.oif_shown) {
        let n = names.name(conn, o)?;
        v.push(Item::Str("dev", format!("dev {n} "), n));
    }
    if view.table_shown && r.table != RT_TABLE_MAIN && r.table != 0 {
        let t = names::table_name(r.table);
        v.push(Item::Str("table", format!("table {t} "), t));
    }
    if r.flags & RTM_F_CLONED == 0 {
        if r.protocol != RTPROT_BOOT {
            let p = names::protocol_name(r.protocol);
            v.push(Item::Str("protocol", format!("proto {p} "), p));
        }
        if r.scope != RT_SCOPE_UNIVERSE {
            let s = names::scope_name(r.scope);
            v.push(Item::Str("scope", format!("scope {s} "), s));
        }
    }
    if let Some(p) = r.prefsrc {
        v.push(Item::Str("prefsrc", format!("src {p} "), p.to_string()));
    }
    if let Some(m) = r.priority {
        v.push(Item::Num("metric", format!("metric {m} "), u64::from(m)));
    }
    v.push(Item::Flags(
        RT_FLAGS
            .iter()
            .filter(|(b, _)| r.flags & b != 0)
            .map(|(_, n)| *n)
            .collect(),
    ));
    if let Some(u) = r.uid {
        v.push(Item::Num("uid", format!("uid {u} "), u64::from(u)));
    }
    if r.family == libc::AF_INET as u8 && r.flags & RTM_F_CLONED != 0 {
        v.push(Item::Cache(
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
            v.push(Item::Num(
                "expires",
                format!("expires {secs}sec "),
                secs.max(0) as u64,
            ));
        }
        if ci.rta_error != 0 {
            v.push(Item::Num(
                "error",
                format!("error {} ", ci.rta_error),
                u64::from(ci.rta_error),
            ));
        }
    }
    if let Some(p) = r.pref {
        let name = match p {
            0 => Some("medium"),
            1 => Some("high"),
            3 => Some("low"),
            _ => None,
        };
        v.push(Item::Pref(name, p));
    }
    Ok(v)
}

fn text_line(items: &[Item]) -> String {
    let mut s = String::new();
    for i in items {
        match i {
            Item::Str(_, t, _) | Item::Num(_, t, _) => s.push_str(t),
            Item::Flags(f) => {
                for w in f {
                    s.push_str(w);
                    s.push(' ');
                }
            }
            Item::Cache(f) => {
                s.push_str("\n    cache ");
                if !f.is_empty() {
                    s.push('<');
                    s.push_str(&f.join(","));
                    s.push_str("> ");
                }
            }
            Item::Pref(Some(n), _) => {
                s.push_str("pref ");
                s.push_str(n);
            }
            Item::Pref(None, p) => s.push_str(&p.to_string()),
        }
    }
    s.push('\n');
    s
}

fn json_object(j: &mut Json, items: &[Item]) {
    j.begin_object();
    for i in items {
        match i {
            Item::Str(k, _, v) => j.str(k, v),
            Item::Num(k, _, v) => j.num(k, v),
            Item::Flags(f) | Item::Cache(f) => {
                j.key_array(if matches!(i, Item::Flags(_)) {
                    "flags"
                } else {
                    "cache"
                });
                for w in f {
                    j.elem_str(w);
                }
                j.end_array();
            }
            Item::Pref(Some(n), _) => j.str("pref", n),
            Item::Pref(None, p) => j.num("pref", p),
        }
    }
    j.end_object();
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
    let mut all = Vec::with_capacity(routes.len());
    for r in routes {
        all.push(items(conn, names, r, view)?);
    }
    if ctx.json {
        let mut j = Json::new(ctx.pretty);
        j.begin_array();
        for i in &all {
            json_object(&mut j, i);
        }
        j.end_array();
        Ok(j.finish())
    } else {
        Ok(all.iter().map(|i| text_line(i)).collect())
    }
}
