//! The XDP part of a link header, as iproute2 6.1's `xdp_dump` and
//! `bpf_dump_prog_info`: the mode word on the flags line (`xdpgeneric`,
//! `xdpgeneric/id:N` for `ip addr`), the `prog/xdp id N name NAME tag TAG
//! jited` line of `ip link` (and of `-d`), and the `"xdp"` JSON object.
//! The program's name and tag are asked of the kernel by id.

use std::fmt::Write;

use rawnet::bpf::{Program, ProgramInfo};
use rawnet::route::link::{
    XdpState, XDP_ATTACHED_DRV, XDP_ATTACHED_HW, XDP_ATTACHED_MULTI, XDP_ATTACHED_NONE,
    XDP_ATTACHED_SKB,
};

use crate::cli::output::Json;

/// What the kernel says about program `id`, when it can still be opened.
fn info(id: u32) -> Option<ProgramInfo> {
    Program::from_id(id).ok().flatten()?.info().ok()
}

/// The flags-line part (`xdp_dump(..., details = false)`): the mode word,
/// `/id:N` outside `ip link`, and a space.
pub(super) fn text_mode(s: &mut String, x: &XdpState, link_command: bool) {
    match x.attached {
        XDP_ATTACHED_NONE => return,
        XDP_ATTACHED_DRV => s.push_str("xdp"),
        XDP_ATTACHED_SKB => s.push_str("xdpgeneric"),
        XDP_ATTACHED_HW => s.push_str("xdpoffload"),
        XDP_ATTACHED_MULTI => s.push_str("xdpmulti"),
        m => {
            let _ = write!(s, "xdp[{m}]");
        }
    }
    if let Some(id) = x.prog_id.filter(|&id| id != 0 && !link_command) {
        let _ = write!(s, "/id:{id}");
    }
    s.push(' ');
}

/// The program lines (`xdp_dump(..., link = true, details = true)`):
/// `_SL_    prog/xdp` and the program's words, per mode under `xdpmulti`.
pub(super) fn text_progs(s: &mut String, x: &XdpState, details: bool, sl: &str) {
    if x.attached == XDP_ATTACHED_NONE {
        return;
    }
    let mut one = |id: Option<u32>, pfx: &str| {
        if let Some(id) = id.filter(|&id| id != 0) {
            let _ = write!(s, "{sl}    prog/xdp{pfx} ");
            text_prog(s, id, details);
        }
    };
    one(x.prog_id, "");
    if x.attached == XDP_ATTACHED_MULTI {
        one(x.skb_prog_id, "generic");
        one(x.drv_prog_id, "drv");
        one(x.hw_prog_id, "offload");
    }
}

fn text_prog(s: &mut String, id: u32, details: bool) {
    let _ = write!(s, "id {id} ");
    let Some(i) = info(id) else { return };
    let _ = write!(s, "name {} tag {} ", i.name, i.tag_hex());
    if i.jited_len != 0 {
        s.push_str("jited ");
    }
    if details {
        if i.load_time_ns != 0 {
            let _ = write!(
                s,
                "load_time {} created_by_uid {} ",
                i.load_time_ns, i.created_by_uid
            );
        }
        if i.btf_id != 0 {
            let _ = write!(s, "btf_id {} ", i.btf_id);
        }
    }
}

/// `"xdp": {"mode", "prog", "attached": [...]}` (`xdp_dump_json`).
pub(super) fn json(j: &mut Json, x: &XdpState, details: bool) {
    if x.attached == XDP_ATTACHED_NONE {
        return;
    }
    j.key_object("xdp");
    j.num("mode", x.attached);
    if let Some(id) = x.prog_id.filter(|&id| id != 0) {
        json_prog(j, id, details);
    }
    j.key_array("attached");
    let per_mode = x.per_mode();
    if !per_mode.is_empty() {
        for (mode, id) in per_mode {
            json_one(j, mode, id, details);
        }
    } else if let Some(id) = x.prog_id {
        json_one(j, x.attached, id, details);
    }
    j.end_array();
    j.end_object();
}

fn json_one(j: &mut Json, mode: u8, id: u32, details: bool) {
    j.begin_object();
    j.num("mode", mode);
    json_prog(j, id, details);
    j.end_object();
}

fn json_prog(j: &mut Json, id: u32, details: bool) {
    j.key_object("prog");
    j.num("id", id);
    if let Some(i) = info(id) {
        j.str("name", &i.name);
        j.str("tag", &i.tag_hex());
        j.num("jited", u8::from(i.jited_len != 0));
        if details {
            if i.load_time_ns != 0 {
                j.num("load_time", i.load_time_ns);
                j.num("created_by_uid", i.created_by_uid);
            }
            if i.btf_id != 0 {
                j.num("btf_id", i.btf_id);
            }
        }
    }
    j.end_object();
}
