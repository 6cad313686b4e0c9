//! `rawnet bpf net`: programs at a device's hooks, as bpftool's net.c.
//!
//! ```text
//! bpf net attach ATTACH_TYPE PROG dev DEV [ overwrite | prepend ]
//! bpf net detach ATTACH_TYPE dev DEV
//! bpf net { show | list } [ dev DEV ]
//! ATTACH_TYPE := { xdp | xdpgeneric | xdpdrv | xdpoffload | tcx_ingress | tcx_egress }
//! ```
//!
//! Attach and detach are what `bpftool net attach` does, and stay after
//! rawnet exits: XDP through `IFLA_XDP` of an `RTM_SETLINK` (refused with
//! `EBUSY` when a program is there, unless `overwrite`), tcx through the
//! non-link attachment (`BPF_PROG_ATTACH`, `prepend` for the front). `show`
//! prints bpftool's sections: `xdp:` (from `IFLA_XDP` of a link dump),
//! `tc:` (tcx ingress and egress of each device, from `BPF_PROG_QUERY`;
//! classic tc filters belong after them, per device: see [`tc_section`]),
//! `flow_dissector:` and `netfilter:` (the latter printed empty).
//! Devices are those of the `-n` namespace; every bpf call that names an
//! interface index runs in there.

use std::os::fd::AsFd;

use rawnet::bpf::link::{tcx_attach_at, tcx_attachments, tcx_detach};
use rawnet::bpf::{Program, TcxDirection, TcxPosition};
use rawnet::route::link::{
    set_link, LinkChanges, LinkRef, XdpAttach, XdpMode, XdpState, XDP_ATTACHED_DRV,
    XDP_ATTACHED_HW, XDP_ATTACHED_MULTI, XDP_ATTACHED_NONE, XDP_ATTACHED_SKB,
};

use super::super::output::Json;
use super::{fail, select, CliError, Context};
use crate::cli::{io_reason, matches, output};

/// The devices of the namespace, in the kernel's order: index, name, XDP.
pub struct Devices(Vec<(u32, String, Option<XdpState>)>);

impl Devices {
    pub fn name(&self, ifindex: u32) -> Option<&str> {
        self.0
            .iter()
            .find(|(i, _, _)| *i == ifindex)
            .map(|(_, n, _)| n.as_str())
    }

    fn index(&self, name: &str) -> Option<u32> {
        self.0
            .iter()
            .find(|(_, n, _)| n == name)
            .map(|(i, _, _)| *i)
    }
}

/// Every device of the `-n` namespace (one link dump).
pub fn devices(ctx: &Context) -> Result<Devices, CliError> {
    let mut conn = ctx.rtnl()?;
    let links = rawnet::route::link::dump_links(&mut conn).map_err(CliError::from)?;
    Ok(Devices(
        links
            .into_iter()
            .map(|l| {
                let name = l
                    .name
                    .as_deref()
                    .map(|n| String::from_utf8_lossy(n).into_owned())
                    .unwrap_or_default();
                (l.index, name, l.xdp)
            })
            .collect(),
    ))
}

/// Run `f` in the `-n` namespace: on this thread when it has joined it (or
/// there is none), else on a short-lived thread inside it.
fn in_namespace<T: Send>(ctx: &Context, f: impl FnOnce() -> T + Send) -> Result<T, CliError> {
    match ctx.namespace()? {
        None => Ok(f()),
        Some(ns) => rawnet::ns::run_in(&ns, f).map_err(CliError::from),
    }
}

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let Some((cmd, rest)) = args.split_first() else {
        return show(ctx, &[]);
    };
    if matches(cmd, "show") || matches(cmd, "list") {
        show(ctx, rest)
    } else if matches(cmd, "attach") {
        attach(ctx, rest)
    } else if matches(cmd, "detach") {
        detach(ctx, rest)
    } else if matches(cmd, "help") {
        output::print(super::USAGE)?;
        Ok(0)
    } else {
        Err(fail(format!(
            "Error: unknown command \"{cmd}\", try \"rawnet bpf help\""
        )))
    }
}

/// bpftool's `REQ_ARGS`.
fn need(cmd: &str, args: &[String], n: usize) -> Result<(), CliError> {
    if args.len() < n {
        return Err(fail(format!(
            "Error: '{cmd}' needs at least {n} arguments, {} found",
            args.len()
        )));
    }
    Ok(())
}

/// Where `net attach|detach` puts a program: bpftool's `net_attach_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hook {
    /// `IFLA_XDP` through `RTM_SETLINK`, in this mode.
    Xdp(XdpMode),
    /// The non-link tcx attachment (`BPF_PROG_ATTACH`).
    Tcx(TcxDirection),
}

/// bpftool's `attach_type_strings`, in its order.
const HOOKS: [(&str, Hook); 6] = [
    ("xdp", Hook::Xdp(XdpMode::Auto)),
    ("xdpgeneric", Hook::Xdp(XdpMode::Generic)),
    ("xdpdrv", Hook::Xdp(XdpMode::Driver)),
    ("xdpoffload", Hook::Xdp(XdpMode::Offload)),
    ("tcx_ingress", Hook::Tcx(TcxDirection::Ingress)),
    ("tcx_egress", Hook::Tcx(TcxDirection::Egress)),
];

/// The attach type word, matched by prefix in bpftool's order (so `xdp`
/// and `x` are `xdp`): its name as bpftool prints it, and the hook.
fn hook(word: &str) -> Result<(&'static str, Hook), CliError> {
    HOOKS
        .iter()
        .find(|(name, _)| matches(word, name))
        .copied()
        .ok_or_else(|| fail(format!("Error: invalid net attach/detach type: {word}")))
}

/// bpftool's `do_attach_detach_xdp`: `IFLA_XDP` with the program (or -1),
/// `XDP_FLAGS_UPDATE_IF_NOEXIST` unless `overwrite`, and the mode's flag;
/// on the `-n` namespace's netlink socket.
fn xdp_set(
    conn: &mut rawnet::netlink::Connection,
    ifindex: u32,
    program: Option<std::os::fd::BorrowedFd<'_>>,
    mode: XdpMode,
    overwrite: bool,
) -> Result<(), rawnet::Error> {
    let changes = LinkChanges {
        xdp: Some(XdpAttach {
            program,
            mode,
            force: overwrite,
        }),
        ..LinkChanges::default()
    };
    set_link(conn, LinkRef::Index(ifindex), &changes)
}

/// bpftool's `interface TYPE attach|detach failed: REASON`, after the
/// kernel's own words as libbpf prints them (`libbpf: Kernel error
/// message: ...`) when it gave some.
fn hook_failed(name: &str, what: &str, e: &rawnet::Error) -> CliError {
    let reason = match e {
        rawnet::Error::Kernel(k) => {
            if let Some(m) = &k.message {
                output::to_stderr(&format!("libbpf: Kernel error message: {m}\n"));
            }
            rawnet::error::errno_text(k.errno)
        }
        e => io_reason(e),
    };
    fail(format!("Error: interface {name} {what} failed: {reason}"))
}

/// bpftool's `net_parse_dev`: `dev DEV`, a device of the namespace.
fn device<'a>(devices: &Devices, args: &'a [String]) -> Result<(u32, &'a [String]), CliError> {
    match args {
        [w, name, rest @ ..] if w == "dev" => devices
            .index(name)
            .map(|i| (i, rest))
            .ok_or_else(|| fail(format!("Error: invalid devname {name}"))),
        [w, ..] => Err(fail(format!("Error: expected 'dev', got: '{w}'?"))),
        [] => Err(fail("Error: expected 'dev'")),
    }
}

fn attach(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    need("attach", args, 5)?;
    let (name, hook) = hook(&args[0])?;
    let (prog, rest) = select::program(&args[1..])?;
    let devices = devices(ctx)?;
    let (ifindex, rest) = device(&devices, rest)?;
    let xdp = matches!(hook, Hook::Xdp(_));
    let (overwrite, prepend) = match rest {
        [] => (false, false),
        [w, ..] if matches(w, "overwrite") => {
            if !xdp {
                return Err(fail("Error: 'overwrite' is only supported for xdp types"));
            }
            (true, false)
        }
        [w, ..] if matches(w, "prepend") => {
            if xdp {
                return Err(fail(
                    "Error: 'prepend' is only supported for tcx_ingress/tcx_egress",
                ));
            }
            (false, true)
        }
        [w, ..] => {
            return Err(fail(format!(
                "Error: expected 'overwrite' or 'prepend', got: '{w}'?"
            )))
        }
    };
    let fd = prog.as_fd();
    let done = match hook {
        Hook::Xdp(mode) => xdp_set(&mut ctx.rtnl()?, ifindex, Some(fd), mode, overwrite),
        Hook::Tcx(dir) => {
            let position = if prepend {
                TcxPosition::First
            } else {
                TcxPosition::Last
            };
            in_namespace(ctx, || tcx_attach_at(fd, ifindex, dir, position))?
        }
    };
    done.map_err(|e| hook_failed(name, "attach", &e))?;
    if ctx.json {
        output::print("null\n")?;
    }
    Ok(0)
}

fn detach(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    need("detach", args, 3)?;
    let (name, hook) = hook(&args[0])?;
    let devices = devices(ctx)?;
    let (ifindex, rest) = device(&devices, &args[1..])?;
    if let Some(w) = rest.first() {
        return Err(fail(format!("Error: unexpected \"{w}\"")));
    }
    let done = match hook {
        Hook::Xdp(mode) => xdp_set(&mut ctx.rtnl()?, ifindex, None, mode, false),
        Hook::Tcx(dir) => in_namespace(ctx, || tcx_detach(None, ifindex, dir))?,
    };
    done.map_err(|e| hook_failed(name, "detach", &e))?;
    if ctx.json {
        output::print("null\n")?;
    }
    Ok(0)
}

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

fn show(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let devices = devices(ctx)?;
    let filter = match args {
        [] => None,
        [_, _] => Some(device(&devices, args)?.0),
        _ => return Err(super::usage_error(ctx)),
    };
    let flow_dissector = in_namespace(ctx, rawnet::bpf::link::flow_dissector_programs)?
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
    found: &rawnet::bpf::link::TcxAttachments,
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
