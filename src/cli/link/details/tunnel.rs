//! `-d` for the IPv4 tunnels: ipip (ip/link_iptnl.c) and gre (ip/link_gre.c).

use std::fmt::Write;

use rawnet::route::kind::TunnelInfo;

use super::Names;
use crate::cli::output::Out;

/// The endpoint and TTL/TOS part both tunnel printers share.
pub(super) fn tunnel_common(out: &mut Out<'_>, t: &TunnelInfo, names: &Names) {
    for (key, a) in [("remote", t.remote), ("local", t.local)] {
        let v = a
            .filter(|a| !a.is_unspecified())
            .map_or("any".to_string(), |a| a.to_string());
        out.string(key, key, &v);
    }
    if t.link.is_some_and(|l| l != 0) {
        out.string("link", "dev", names.link.as_deref().unwrap_or(""));
    }
    let ttl = t.ttl.unwrap_or(0);
    match out {
        Out::Text(s) if ttl == 0 => s.push_str("ttl inherit "),
        _ => out.uint("ttl", "ttl", ttl),
    }
    match t.tos.unwrap_or(0) {
        0 => {}
        1 if matches!(out, Out::Text(_)) => out.text("tos inherit "),
        tos => out.hex("tos", "tos", tos.into()),
    }
}

pub(super) fn ipip(out: &mut Out<'_>, t: &TunnelInfo, names: &Names) {
    if t.external {
        out.flag("external", "external", true);
    }
    if let Some(p) = t.proto {
        let name = match p {
            4 => Some("ipip"),
            41 => Some("ip6ip"),
            137 => Some("mplsip"),
            0 => Some("any"),
            _ => None,
        };
        if let Some(name) = name {
            match out {
                Out::Text(s) => {
                    let _ = write!(s, "{name} ");
                }
                Out::Json(j) => j.str("proto", name),
            }
        }
    }
    tunnel_common(out, t, names);
    if t.pmtudisc == Some(true) {
        out.flag("pmtudisc", "pmtudisc", true);
    } else {
        out.flag("pmtudisc", "nopmtudisc", false);
    }
    if let Some(mark) = t.fwmark.filter(|&m| m != 0) {
        out.hex("fwmark", "fwmark", mark.into());
    }
}

pub(super) fn gre(out: &mut Out<'_>, t: &TunnelInfo, names: &Names) {
    if t.external {
        out.flag("external", "external", true);
    }
    tunnel_common(out, t, names);
    match t.pmtudisc {
        Some(false) => out.flag("pmtudisc", "nopmtudisc", false),
        Some(true) => out.json_bool("pmtudisc", true),
        None => {}
    }
    if t.ignore_df == Some(true) {
        out.flag("ignore_df", "ignore-df", true);
    }
    const GRE_CSUM: u16 = 0x8000;
    const GRE_KEY: u16 = 0x2000;
    const GRE_SEQ: u16 = 0x1000;
    let (iflags, oflags) = (t.iflags.unwrap_or(0), t.oflags.unwrap_or(0));
    if let Some(k) = t.ikey.filter(|_| iflags & GRE_KEY != 0) {
        out.string("ikey", "ikey", &k.to_string());
    }
    if let Some(k) = t.okey.filter(|_| oflags & GRE_KEY != 0) {
        out.string("okey", "okey", &k.to_string());
    }
    for (on, key) in [
        (iflags & GRE_SEQ != 0, "iseq"),
        (oflags & GRE_SEQ != 0, "oseq"),
        (iflags & GRE_CSUM != 0, "icsum"),
        (oflags & GRE_CSUM != 0, "ocsum"),
    ] {
        if on {
            out.flag(key, key, true);
        }
    }
    if let Some(mark) = t.fwmark.filter(|&m| m != 0) {
        out.hex("fwmark", "fwmark", mark.into());
    }
}
