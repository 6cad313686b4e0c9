//! `-d` for vxlan devices (`vxlan_print_opt`, ip/iplink_vxlan.c).

use std::fmt::Write;
use std::net::IpAddr;

use rawnet::route::kind::VxlanInfo;

use super::Names;
use crate::cli::output::Out;

pub(super) fn vxlan(out: &mut Out<'_>, v: &VxlanInfo, names: &Names) {
    if v.collect_metadata == Some(true) {
        out.flag("external", "external", true);
    }
    if v.vnifilter == Some(true) {
        // iproute2 6.1 prints no space after this word.
        match out {
            Out::Text(s) => s.push_str("vnifilter"),
            Out::Json(j) => j.bool("vnifilter", true),
        }
    }
    if let Some(id) = v.id {
        out.uint("id", "id", id);
    }
    if let Some(a) = v.remote.filter(|a| !a.is_unspecified()) {
        let six = if a.is_ipv6() { "6" } else { "" };
        let (key, label) = if a.is_multicast() {
            ("group", "group")
        } else {
            ("remote", "remote")
        };
        out.string(&format!("{key}{six}"), label, &a.to_string());
    }
    if let Some(a) = v.local.filter(|a| !a.is_unspecified()) {
        let key = if matches!(a, IpAddr::V6(_)) {
            "local6"
        } else {
            "local"
        };
        out.string(key, "local", &a.to_string());
    }
    if v.link.is_some_and(|l| l != 0) {
        out.string("link", "dev", names.link.as_deref().unwrap_or(""));
    }
    if let Some((low, high)) = v.port_range {
        match out {
            Out::Text(s) => {
                let _ = write!(s, "srcport {low} {high} ");
            }
            Out::Json(_) => out.object("port_range", |j| {
                j.num("low", low);
                j.num("high", high);
            }),
        }
    }
    if let Some(p) = v.port {
        out.uint("port", "dstport", p);
    }
    if let Some(learning) = v.learning {
        out.json_bool("learning", learning);
        if !learning {
            out.text("nolearning ");
        }
    }
    for (key, on) in [
        ("proxy", v.proxy),
        ("rsc", v.rsc),
        ("l2miss", v.l2miss),
        ("l3miss", v.l3miss),
    ] {
        if on == Some(true) {
            out.flag(key, key, true);
        }
    }
    match v.tos {
        Some(1) if matches!(out, Out::Text(_)) => out.text("tos inherit "),
        Some(t) if t != 0 => out.hex("tos", "tos", t.into()),
        _ => {}
    }
    if v.ttl_inherit {
        out.text("ttl inherit ");
    } else if let Some(ttl) = v.ttl {
        match out {
            Out::Text(_) if ttl == 0 => out.text("ttl auto "),
            _ => out.uint("ttl", "ttl", ttl),
        }
    }
    match v.df {
        Some(0) => out.json_string("df", "unset"),
        Some(1) => out.string("df", "df", "set"),
        Some(2) => out.string("df", "df", "inherit"),
        _ => {}
    }
    if let Some(label) = v.label.filter(|&l| l != 0) {
        out.hex("label", "flowlabel", label.into());
    }
    match v.ageing {
        Some(0) => match out {
            Out::Text(s) => s.push_str("ageing none "),
            Out::Json(j) => j.num("ageing", 0),
        },
        Some(age) => out.uint("ageing", "ageing", age),
        None => {}
    }
    if let Some(limit) = v.limit.filter(|&l| l != 0) {
        out.uint("limit", "maxaddr", limit);
    }
    for (key, word, on) in [
        ("udp_csum", "udpcsum", v.udp_csum),
        ("udp_zero_csum6_tx", "udp6zerocsumtx", v.udp_zero_csum6_tx),
        ("udp_zero_csum6_rx", "udp6zerocsumrx", v.udp_zero_csum6_rx),
    ] {
        match (on, &mut *out) {
            (Some(on), Out::Json(j)) => j.bool(key, on),
            (Some(on), Out::Text(s)) => {
                if !on {
                    s.push_str("no");
                }
                s.push_str(word);
                s.push(' ');
            }
            (None, _) => {}
        }
    }
    if v.remcsum_tx == Some(true) {
        out.flag("remcsum_tx", "remcsumtx", true);
    }
    if v.remcsum_rx == Some(true) {
        out.flag("remcsum_rx", "remcsumrx", true);
    }
    if v.gbp {
        out.flag("gbp", "gbp", true);
    }
    if v.gpe {
        out.flag("gpe", "gpe", true);
    }
}
