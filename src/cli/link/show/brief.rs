//! `-br`: one row per link, as iproute2 6.1's `print_linkinfo_brief`:
//! `NAME@PEER` in 16 columns, the operstate in 14, the address, the flags;
//! in JSON the same fields (`link`, `ifname`, `operstate`, `address`, `flags`).

use super::lookups::{Peer, Shown};
use super::names::{flag_words, LinkAddr, OPER_STATES};
use crate::cli::os_args::escape;
use crate::cli::output::{Json, Render};

pub(super) fn text_brief(s: &mut String, v: &Shown<'_, '_>) {
    let l = v.l;
    let start = s.len();
    match l.name {
        Some(name) => s.push_str(&escape(name)),
        None => s.push_str("<nil>"),
    }
    match &v.peer {
        Peer::Absent => {}
        Peer::Zero => s.push_str("@NONE"),
        Peer::Here(name) => {
            s.push('@');
            name.render(s);
        }
        Peer::Elsewhere(i) => {
            s.push_str("@if");
            i.render(s);
        }
    }
    pad(s, start, 16);
    if let Some(st) = l.operstate {
        match OPER_STATES.get(st as usize) {
            Some(name) => {
                let start = s.len();
                s.push_str(name);
                pad(s, start, 14);
            }
            None => {
                s.push_str("state ");
                s.push_str(&format!("{st:#x}"));
            }
        }
    }
    if let Some(a) = l.address {
        LinkAddr {
            bytes: a,
            link_type: l.link_type,
        }
        .render(s);
        s.push(' ');
    }
    s.push('<');
    for (i, w) in flag_words(l.flags, v.mdown).enumerate() {
        if i > 0 {
            s.push(',');
        }
        w.render(s);
    }
    s.push_str("> \n");
}

/// `%-Ns `: what was written since `start` padded to `width` bytes, then a space.
/// Pad to `width` bytes as printed (an escaped name byte is one byte out).
fn pad(s: &mut String, start: usize, width: usize) {
    let written = crate::cli::os_args::unescape(&s[start..]).len();
    for _ in written..width {
        s.push(' ');
    }
    s.push(' ');
}

pub(super) fn json_brief(j: &mut Json, v: &Shown<'_, '_>) {
    let l = v.l;
    match &v.peer {
        Peer::Absent => {}
        Peer::Zero => j.num("link", "null"),
        Peer::Here(name) => j.str_render("link", name),
        Peer::Elsewhere(i) => j.num("link_index", i),
    }
    match &l.name {
        Some(n) => j.str("ifname", &escape(n)),
        None => j.num("ifname", "null"),
    }
    if let Some(st) = l.operstate {
        match OPER_STATES.get(st as usize) {
            Some(name) => j.str("operstate", name),
            None => j.num("operstate_index", st),
        }
    }
    if let Some(a) = l.address {
        j.str_render(
            "address",
            LinkAddr {
                bytes: a,
                link_type: l.link_type,
            },
        );
    }
    j.key_array("flags");
    for w in flag_words(l.flags, v.mdown) {
        j.elem_render(w);
    }
    j.end_array();
}
