//! `rawnet bpf net { show | list } [ dev DEV ]`: bpftool's sections
//! (`xdp:`, `tc:`, `flow_dissector:`, `netfilter:`) as its net.c writes
//! them, in text or JSON.

use rawnet::bpf::tcx::tcx_attachments;
use rawnet::bpf::{Program, TcxDirection};
use rawnet::route::link::{
    XdpState, XDP_ATTACHED_DRV, XDP_ATTACHED_HW, XDP_ATTACHED_MULTI, XDP_ATTACHED_NONE,
    XDP_ATTACHED_SKB,
};

use crate::cli::bpf::devices::{device, devices, in_namespace};
use crate::cli::bpf::fail;
use crate::cli::output::{self, Json};
use crate::cli::{io_reason, CliError, Context};

/// Text or JSON, written the way bpftool's `NET_*` macros write.
enum Writer {
    Text(String),
    Json(Json),
}

impl Writer {
    /// `NET_START_ARRAY(name, "%s:\n")`.
    fn start_section(&mut self, name: &str) {
        match self {
            Writer::Text(s) => {
                s.push_str(name);
                s.push_str(":\n");
            }
            Writer::Json(j) => j.key_array(name),
        }
    }

    /// `NET_END_ARRAY("\n")`.
    fn end_section(&mut self) {
        match self {
            Writer::Text(s) => s.push('\n'),
            Writer::Json(j) => j.end_array(),
        }
    }

    /// `devname(ifindex)`, the start of a device's entry.
    fn device(&mut self, name: &str, ifindex: u32) {
        match self {
            Writer::Text(s) => s.push_str(&format!("{name}({ifindex})")),
            Writer::Json(j) => {
                j.begin_object();
                j.str("devname", name);
                j.num("ifindex", ifindex);
            }
        }
    }

    /// `NET_END_OBJECT_FINAL`.
    fn end_entry(&mut self) {
        match self {
            Writer::Text(s) => s.push('\n'),
            Writer::Json(j) => j.end_object(),
        }
    }
}

pub(super) fn show(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let devices = devices(ctx)?;
    let filter = match args {
        [] => None,
        [_, _] => Some(device(&devices, args)?.0),
        _ => return Err(crate::cli::bpf::usage_error(ctx)),
    };
    let flow_dissector =
        in_namespace(ctx, rawnet::bpf::flow_dissector::flow_dissector_programs)?
            .map_err(|e| fail(format!("Error: can't query prog: {}", io_reason(&e))))?;
    let shown: Vec<&(u32, String, Option<XdpState>)> = devices
        .0
        .iter()
        .filter(|(i, _, _)| filter.map_or(true, |f| f == *i))
        .collect();
    let mut w = if ctx.json {
        let mut j = Json::bpftool(ctx.pretty);
        j.begin_array();
        j.begin_object();
        Writer::Json(j)
    } else {
        Writer::Text(String::new())
    };
    w.start_section("xdp");
    for (index, name, xdp) in &shown {
        if let Some(x) = xdp {
            xdp_entry(&mut w, name, *index, x);
        }
    }
    w.end_section();
    w.start_section("tc");
    let mut conn = ctx.rtnl()?;
    // Every device's tcx hooks, queried on one trip into the namespace.
    let indexes: Vec<u32> = shown.iter().map(|(index, _, _)| *index).collect();
    let tcx_of_each = in_namespace(ctx, || {
        indexes
            .iter()
            .map(|&index| {
                [TcxDirection::Ingress, TcxDirection::Egress]
                    .map(|d| (d, tcx_attachments(index, d)))
            })
            .collect::<Vec<_>>()
    })?;
    for ((index, name, _), tcx) in shown.iter().zip(tcx_of_each) {
        for (dir, found) in tcx {
            // As bpftool: a hook that cannot be queried shows nothing.
            if let Ok(found) = found {
                tc_section(&mut w, name, *index, dir, &found);
            }
        }
        classic_tc_filters(&mut conn, &mut w, name, *index);
    }
    w.end_section();
    w.start_section("flow_dissector");
    if let Some(id) = flow_dissector.first() {
        match &mut w {
            Writer::Text(s) => s.push_str(&format!("id {id}")),
            Writer::Json(j) => j.num("id", id),
        }
    }
    w.end_section();
    w.start_section("netfilter");
    w.end_section();
    let text = match w {
        Writer::Text(s) => s,
        Writer::Json(mut j) => {
            j.end_object();
            j.end_array();
            j.finish()
        }
    };
    output::print(&text)?;
    Ok(0)
}

/// bpftool's `do_xdp_dump_one`.
fn xdp_entry(w: &mut Writer, name: &str, ifindex: u32, x: &XdpState) {
    if x.attached == XDP_ATTACHED_NONE {
        return;
    }
    let mode_name = |m: u8| match m {
        XDP_ATTACHED_SKB => "generic",
        XDP_ATTACHED_DRV => "driver",
        XDP_ATTACHED_HW => "offload",
        _ => "",
    };
    w.device(name, ifindex);
    let one = |w: &mut Writer, mode: &str, id: u32, object: bool| match w {
        Writer::Text(s) => s.push_str(&format!(" {mode} id {id}")),
        Writer::Json(j) => {
            if object {
                j.begin_object();
            }
            j.str("mode", mode);
            j.num("id", id);
            if object {
                j.end_object();
            }
        }
    };
    if x.attached == XDP_ATTACHED_MULTI {
        if let Writer::Json(j) = w {
            j.key_array("multi_attachments");
        }
        for (mode, id) in x.per_mode() {
            one(w, mode_name(mode), id, true);
        }
        if let Writer::Json(j) = w {
            j.end_array();
        }
    } else if let Some(id) = x.prog_id {
        one(w, mode_name(x.attached), id, false);
    }
    w.end_entry();
}

/// The `tc:` section's entries of one device: its tcx programs, as
/// bpftool's `__show_dev_tc_bpf`. Classic tc filters
/// ([`classic_tc_filters`]) come after the egress ones.
fn tc_section(
    w: &mut Writer,
    name: &str,
    ifindex: u32,
    dir: TcxDirection,
    found: &rawnet::bpf::tcx::TcxAttachments,
) {
    for a in &found.programs {
        w.device(name, ifindex);
        let prog_name = Program::from_id(a.prog_id)
            .ok()
            .flatten()
            .and_then(|p| p.info().ok())
            .map(|i| i.name)
            .filter(|n| !n.is_empty());
        let flags = |v: u32| (0..32).map(|b| 1u32 << b).filter(move |f| v & f != 0);
        match w {
            Writer::Text(s) => {
                s.push_str(&format!(" {}", dir.hook()));
                if let Some(n) = &prog_name {
                    s.push_str(&format!(" {n}"));
                }
                s.push_str(&format!(" prog_id {} ", a.prog_id));
                if a.prog_flags != 0 {
                    s.push_str("prog_flags ");
                    for f in flags(a.prog_flags) {
                        s.push_str(&format!("{f} "));
                    }
                }
                if a.link_id != 0 {
                    s.push_str(&format!("link_id {} ", a.link_id));
                    if a.link_flags != 0 {
                        s.push_str("link_flags ");
                        for f in flags(a.link_flags) {
                            s.push_str(&format!("{f} "));
                        }
                    }
                }
            }
            Writer::Json(j) => {
                j.str("kind", dir.hook());
                if let Some(n) = &prog_name {
                    j.str("name", n);
                }
                j.num("prog_id", a.prog_id);
                j.key_array("prog_flags");
                for f in flags(a.prog_flags) {
                    j.elem_num(f);
                }
                j.end_array();
                j.num("link_id", a.link_id);
                j.key_array("link_flags");
                for f in flags(a.link_flags) {
                    j.elem_num(f);
                }
                j.end_array();
            }
        }
        w.end_entry();
    }
}

/// The device's `bpf` classifiers under the root qdisc and the clsact
/// hooks, as bpftool's `show_dev_tc_bpf_classic` lists them after the tcx
/// programs: `veth2(5) clsact/ingress NAME prog_id 12`. (bpftool also walks
/// the filters of every class and classful qdisc; rawnet does not.) A dump
/// that fails shows nothing, as in bpftool.
fn classic_tc_filters(
    conn: &mut rawnet::netlink::Connection,
    w: &mut Writer,
    name: &str,
    ifindex: u32,
) {
    use rawnet::route::tc::{self, Direction, TC_H_ROOT};
    let hooks = [
        (TC_H_ROOT, "root"),
        (Direction::Ingress.parent(), "clsact/ingress"),
        (Direction::Egress.parent(), "clsact/egress"),
    ];
    for (parent, kind) in hooks {
        let Ok(request) = tc::dump_filters_request(ifindex, parent) else {
            continue;
        };
        let _status = tc::for_each_filter(conn, request, |f| {
            let Some(bpf) = f.bpf else {
                return Ok::<(), rawnet::Error>(());
            };
            w.device(name, ifindex);
            match w {
                Writer::Text(s) => {
                    s.push_str(&format!(" {kind}"));
                    if let Some(n) = bpf.name {
                        s.push_str(&format!(" {n}"));
                    }
                    if let Some(id) = bpf.id {
                        s.push_str(&format!(" prog_id {id}"));
                    }
                }
                Writer::Json(j) => {
                    j.str("kind", kind);
                    if let Some(n) = bpf.name {
                        j.str("name", n);
                    }
                    if let Some(id) = bpf.id {
                        j.num("prog_id", id);
                    }
                }
            }
            w.end_entry();
            Ok(())
        });
    }
}
