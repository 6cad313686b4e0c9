//! The text printer of a link header, as iproute2 6.1's `print_linkinfo`: the
//! flags line, the `link/` line and, with `-d`, the details lines.

use std::fmt::Write;

use rawnet::route::link::LinkFlags;

use super::lookups::{Peer, Shown};
use super::names::{
    flag_words, group_name, link_event_name, link_type_name, lladdr, ADDR_GEN_MODES, LINK_MODES,
    OPER_STATES,
};
use super::{alias_shown, HeaderStyle};
use crate::cli::link::details;
use crate::cli::output::Out;

pub(super) fn text_link(s: &mut String, v: &Shown<'_>, netns: Option<&str>, style: HeaderStyle) {
    let l = v.l;
    let _ = write!(s, "{}: {}", l.index, l.name.as_deref().unwrap_or("<nil>"));
    let _ = match &v.peer {
        Peer::Absent => write!(s, ": "),
        Peer::Zero => write!(s, "@NONE: "),
        Peer::Here(name) => write!(s, "@{name}: "),
        Peer::Elsewhere(i) => write!(s, "@if{i}: "),
    };
    let _ = write!(s, "<{}> ", flag_words(l.flags, v.mdown).join(","));
    if let Some(mtu) = l.mtu {
        let _ = write!(s, "mtu {mtu} ");
    }
    if let Some(q) = &l.qdisc {
        let _ = write!(s, "qdisc {q} ");
    }
    if let Some(m) = &v.master {
        let _ = write!(s, "master {m} ");
    }
    if let Some(st) = l.operstate {
        let _ = match OPER_STATES.get(st as usize) {
            Some(name) => write!(s, "state {name} "),
            None => write!(s, "state {st:#x}"),
        };
    }
    if let Some(mode) = l.linkmode.filter(|_| style.link_command) {
        let _ = match LINK_MODES.get(mode as usize) {
            Some(name) => write!(s, "mode {name} "),
            None => write!(s, "mode {mode} "),
        };
    }
    if let Some(g) = l.group {
        let _ = write!(s, "group {} ", group_name(g));
    }
    if let Some(q) = l.txqlen.filter(|&q| q != 0 && style.queue_length) {
        let _ = write!(s, "qlen {q}");
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
        let _ = write!(s, "\n    link/{} ", link_type_name(l.link_type));
        if let Some(a) = &l.address {
            s.push_str(&lladdr(a, l.link_type));
        }
        if let Some(b) = &l.broadcast {
            s.push_str(if l.flags.contains(LinkFlags::POINTOPOINT) {
                " peer "
            } else {
                " brd "
            });
            s.push_str(&lladdr(b, l.link_type));
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
        let _ = write!(s, "\n    alias {alias}");
    }
    s.push('\n');
}

/// The `-d` part; `addrgenmode` only for `ip link` (`link_command`), as iproute2.
fn text_details(s: &mut String, v: &Shown<'_>, link_command: bool) {
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
        let _ = write!(s, "\n    {kind} ");
        if let Some(data) = &v.kind_data {
            details::kind(&mut Out::Text(s), data, &v.names);
        }
    }
    if let Some(kind) = &l.slave_kind {
        let _ = write!(s, "\n    {kind}_slave ");
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
