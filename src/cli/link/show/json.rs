//! The JSON printer of a link header, as `ip -j link show`: the same keys in
//! the same order as iproute2 6.1, written into an object the caller opened.

use rawnet::route::link::LinkFlags;

use super::lookups::{Peer, Shown};
use super::names::{
    flag_words, link_event_name, Group, LinkAddr, LinkType, ADDR_GEN_MODES, LINK_MODES, OPER_STATES,
};
use super::stats::json_stats;
use super::{alias_shown, HeaderStyle};
use crate::cli::link::details;
use crate::cli::os_args::escape;
use crate::cli::output::Json;
use crate::cli::output::Out;

/// The keys of one link, into an open object; with `stats` (the count of
/// `-s`, for `ip link`) its counters.
pub(super) fn json_link(j: &mut Json, v: &Shown<'_, '_>, style: HeaderStyle, stats: u8) {
    let l = v.l;
    j.num("ifindex", l.index);
    match &v.peer {
        Peer::Absent => {}
        // The writer has no null; a raw `null` is valid JSON.
        Peer::Zero => j.num("link", "null"),
        Peer::Here(name) => j.str_render("link", name),
        Peer::Elsewhere(i) => j.num("link_index", i),
    }
    match &l.name {
        Some(n) => j.str("ifname", &escape(n)),
        None => j.num("ifname", "null"),
    }
    j.key_array("flags");
    for w in flag_words(l.flags, v.mdown) {
        j.elem_render(w);
    }
    j.end_array();
    if let Some(mtu) = l.mtu {
        j.num("mtu", mtu);
    }
    if let Some(x) = &l.xdp {
        super::xdp::json(j, x, style.details);
    }
    if let Some(q) = &l.qdisc {
        j.str("qdisc", q);
    }
    if let Some(m) = &v.master {
        j.str_render("master", m);
    }
    if let Some(st) = l.operstate {
        match OPER_STATES.get(st as usize) {
            Some(name) => j.str("operstate", name),
            None => j.num("operstate_index", st),
        }
    }
    if let Some(mode) = l.linkmode.filter(|_| style.link_command) {
        match LINK_MODES.get(mode as usize) {
            Some(name) => j.str("linkmode", name),
            None => j.num("linkmode_index", mode),
        }
    }
    if let Some(g) = l.group {
        j.str_render("group", Group(g));
    }
    if let Some(q) = l.txqlen.filter(|&q| q != 0 && style.queue_length) {
        j.num("txqlen", q);
    }
    match l.event.map(link_event_name) {
        None | Some(Some("")) => {}
        Some(Some(name)) => j.str("event", name),
        Some(None) => j.num("event", l.event.unwrap_or(0) as i32),
    }
    if style.link_line {
        let link_type = l.link_type;
        j.str_render("link_type", LinkType(link_type));
        if let Some(a) = l.address {
            j.str_render(
                "address",
                LinkAddr {
                    bytes: a,
                    link_type,
                },
            );
        }
        if let Some(b) = l.broadcast {
            if l.flags.contains(LinkFlags::POINTOPOINT) {
                j.bool("link_pointtopoint", true);
            }
            j.str_render(
                "broadcast",
                LinkAddr {
                    bytes: b,
                    link_type,
                },
            );
        }
    }
    if let Some(id) = l.link_netnsid {
        j.num("link_netnsid", id);
    }
    if l.proto_down.is_some_and(|p| p != 0) {
        j.bool("proto_down", true);
    }
    if style.details {
        json_details(j, v, style.link_command);
    }
    if let Some(alias) = l.alias.as_ref().filter(|_| alias_shown(style)) {
        j.str("ifalias", &escape(alias));
    }
    if stats > 0 && style.link_command {
        if let Some(st) = l.counters() {
            json_stats(j, &st, l.carrier_changes, stats);
        }
    }
    if l.prop_list.is_some() {
        j.key_array("altnames");
        for name in l.alt_names() {
            j.elem_str(&escape(name));
        }
        j.end_array();
    }
}

fn json_details(j: &mut Json, v: &Shown<'_, '_>, link_command: bool) {
    let l = v.l;
    let num = |j: &mut Json, key: &str, v: Option<u32>| {
        if let Some(v) = v {
            j.num(key, v);
        }
    };
    num(j, "promiscuity", l.promiscuity);
    num(j, "allmulti", l.allmulti);
    num(j, "min_mtu", l.min_mtu);
    num(j, "max_mtu", l.max_mtu);
    if l.kind.is_some() || l.slave_kind.is_some() {
        j.key_object("linkinfo");
        if let Some(kind) = &l.kind {
            j.str("info_kind", kind);
            if let Some(data) = &v.kind_data {
                j.key_object("info_data");
                details::kind(&mut Out::Json(j), data, &v.names);
                j.end_object();
            }
        }
        if let Some(kind) = &l.slave_kind {
            j.str("info_slave_kind", kind);
            if let Some(data) = &v.slave_data {
                j.key_object("info_slave_data");
                details::slave(&mut Out::Json(j), data, &v.names);
                j.end_object();
            }
        }
        j.end_object();
    }
    if let Some(m) = l.inet6_addr_gen_mode.filter(|_| link_command) {
        match ADDR_GEN_MODES.get(m as usize) {
            Some(name) => j.str("inet6_addr_gen_mode", name),
            None => j.str("inet6_addr_gen_mode", &format!("{m:#04x}")),
        }
    }
    num(j, "num_tx_queues", l.num_tx_queues);
    num(j, "num_rx_queues", l.num_rx_queues);
    num(j, "gso_max_size", l.gso_max_size);
    num(j, "gso_max_segs", l.gso_max_segs);
    num(j, "tso_max_size", l.tso_max_size);
    num(j, "tso_max_segs", l.tso_max_segs);
    num(j, "gro_max_size", l.gro_max_size);
}
