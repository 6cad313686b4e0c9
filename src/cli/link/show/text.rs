//! The text printer of a link header, as iproute2 6.1's `print_linkinfo`: the
//! flags line, the `link/` line and, with `-d`, the details lines.

use std::fmt::Write;

use rawnet::route::link::LinkFlags;

use super::lookups::{Peer, Shown};
use super::names::{
    flag_words, link_event_name, Group, LinkAddr, LinkType, ADDR_GEN_MODES, LINK_MODES, OPER_STATES,
};
use super::stats::{text_stats, StatsStyle};
use super::{alias_shown, HeaderStyle};
use crate::cli::link::details;
use crate::cli::os_args::escape;
use crate::cli::output::{oneline, Out, Render};

/// `BEFORE VALUE AFTER`.
fn put(s: &mut String, before: &str, value: impl Render, after: &str) {
    s.push_str(before);
    value.render(s);
    s.push_str(after);
}

/// The header of one link; with `stats` (`-s`, for `ip link`) its
/// counters after the alias. Inner line breaks are iproute2's `_SL_`.
pub(super) fn text_link(
    s: &mut String,
    v: &Shown<'_, '_>,
    netns: Option<&str>,
    style: HeaderStyle,
    stats: StatsStyle,
) {
    let sl = line_break();
    let l = v.l;
    put(s, "", l.index, ": ");
    match l.name {
        Some(name) => s.push_str(&escape(name)),
        None => s.push_str("<nil>"),
    }
    match &v.peer {
        Peer::Absent => s.push_str(": "),
        Peer::Zero => s.push_str("@NONE: "),
        Peer::Here(name) => put(s, "@", name, ": "),
        Peer::Elsewhere(i) => put(s, "@if", i, ": "),
    };
    s.push('<');
    for (i, w) in flag_words(l.flags, v.mdown).enumerate() {
        if i > 0 {
            s.push(',');
        }
        w.render(s);
    }
    s.push_str("> ");
    if let Some(mtu) = l.mtu {
        put(s, "mtu ", mtu, " ");
    }
    if let Some(x) = &l.xdp {
        super::xdp::text_mode(s, x, style.link_command);
    }
    if let Some(q) = &l.qdisc {
        put(s, "qdisc ", q, " ");
    }
    if let Some(m) = &v.master {
        put(s, "master ", m, " ");
    }
    if let Some(st) = l.operstate {
        match OPER_STATES.get(st as usize) {
            Some(name) => put(s, "state ", *name, " "),
            None => {
                let _ = write!(s, "state {st:#x}");
            }
        };
    }
    if let Some(mode) = l.linkmode.filter(|_| style.link_command) {
        match LINK_MODES.get(mode as usize) {
            Some(name) => put(s, "mode ", *name, " "),
            None => put(s, "mode ", mode, " "),
        };
    }
    if let Some(g) = l.group {
        put(s, "group ", Group(g), " ");
    }
    if let Some(q) = l.txqlen.filter(|&q| q != 0 && style.queue_length) {
        put(s, "qlen ", q, "");
    }
    match l.event.map(link_event_name) {
        None | Some(Some("")) => {}
        Some(Some(name)) => {
            let _ = write!(s, "event {name} ");
        }
        Some(None) => {
            let _ = write!(s, "event {} ", l.event.unwrap_or(0) as i32);
        }
    }
    if style.link_line {
        s.push_str(sl);
        put(s, "    link/", LinkType(l.link_type), " ");
        let link_type = l.link_type;
        if let Some(a) = l.address {
            LinkAddr {
                bytes: a,
                link_type,
            }
            .render(s);
        }
        if let Some(b) = l.broadcast {
            s.push_str(if l.flags.contains(LinkFlags::POINTOPOINT) {
                " peer "
            } else {
                " brd "
            });
            LinkAddr {
                bytes: b,
                link_type,
            }
            .render(s);
        }
    }
    if let Some(id) = l.link_netnsid {
        let _ = match (id >= 0, netns) {
            (true, Some(name)) => write!(s, " link-netns {name}"),
            (true, None) => write!(s, " link-netnsid {id}"),
            (false, _) => write!(s, " link-netnsid unknown"),
        };
    }
    if l.proto_down.is_some_and(|p| p != 0) {
        s.push_str(" protodown on ");
    }
    if style.details {
        text_details(s, v, style.link_command);
    }
    if let Some(alias) = l.alias.as_ref().filter(|_| alias_shown(style)) {
        let _ = write!(s, "{sl}    alias {}", escape(alias));
    }
    if let Some(x) = l
        .xdp
        .as_ref()
        .filter(|_| style.link_command || style.details)
    {
        super::xdp::text_progs(s, x, style.details, sl);
    }
    if stats.level > 0 && style.link_command {
        s.push_str(sl);
        if let Some(st) = l.counters() {
            text_stats(s, &st, l.carrier_changes, stats, sl);
        }
    }
    for name in l.alt_names() {
        let _ = write!(s, "{sl}    altname {}", escape(name));
    }
    s.push('\n');
}

/// iproute2's `_SL_`: a line break, or `\\` under `-o`.
pub(super) fn line_break() -> &'static str {
    if oneline() {
        "\\"
    } else {
        "\n"
    }
}

/// The `-d` part; `addrgenmode` only for `ip link` (`link_command`), as iproute2.
fn text_details(s: &mut String, v: &Shown<'_, '_>, link_command: bool) {
    let l = v.l;
    let mut num = |fmt_key: &str, v: Option<u32>| {
        if let Some(v) = v {
            let _ = write!(s, "{fmt_key}{v} ");
        }
    };
    num(" promiscuity ", l.promiscuity);
    num(" allmulti ", l.allmulti);
    num("minmtu ", l.min_mtu);
    num("maxmtu ", l.max_mtu);
    if let Some(kind) = &l.kind {
        let _ = write!(s, "{}    {kind} ", line_break());
        if let Some(data) = &v.kind_data {
            details::kind(&mut Out::Text(s), data, &v.names);
        }
    }
    if let Some(kind) = &l.slave_kind {
        let _ = write!(s, "{}    {kind}_slave ", line_break());
        if let Some(data) = &v.slave_data {
            details::slave(&mut Out::Text(s), data, &v.names);
        }
    }
    if let Some(m) = l.inet6_addr_gen_mode.filter(|_| link_command) {
        let _ = match ADDR_GEN_MODES.get(m as usize) {
            Some(name) => write!(s, "addrgenmode {name} "),
            None => write!(s, "addrgenmode {m:#04x} "),
        };
    }
    let mut num = |fmt_key: &str, v: Option<u32>| {
        if let Some(v) = v {
            let _ = write!(s, "{fmt_key}{v} ");
        }
    };
    num("numtxqueues ", l.num_tx_queues);
    num("numrxqueues ", l.num_rx_queues);
    num("gso_max_size ", l.gso_max_size);
    num("gso_max_segs ", l.gso_max_segs);
    num("tso_max_size ", l.tso_max_size);
    num("tso_max_segs ", l.tso_max_segs);
    num("gro_max_size ", l.gro_max_size);
}
