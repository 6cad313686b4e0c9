//! `rawnet bpf link { show | list } [ id N | pinned PATH ]` and `bpf link
//! detach { id N | pinned PATH }`: BPF links as bpftool prints them
//! (`show_link_close_plain` / `show_link_close_json` of bpftool's link.c),
//! devices named in the `-n` namespace.
//!
//! Links are global: without `id`, every link of the machine is listed.

use rawnet::bpf::{AttachType, Link, LinkInfo, LinkType};

use super::super::output::{Json, Out, Stream};
use super::devices::{self, Devices};
use super::{fail, lib_error, CliError, Context};
use crate::cli::{matches, output};

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let Some((cmd, rest)) = args.split_first() else {
        return show(ctx, &[]);
    };
    if matches(cmd, "show") || matches(cmd, "list") {
        show(ctx, rest)
    } else if matches(cmd, "pin") {
        super::pin::run(ctx, rawnet::bpf::Kind::Link, rest)
    } else if matches(cmd, "detach") {
        detach(ctx, rest)
    } else {
        super::help_or_unknown(cmd)
    }
}

/// bpftool's `link_parse_fd`: `id N` or `pinned PATH`.
pub(super) fn open(args: &[String]) -> Result<(Link, &[String]), CliError> {
    super::select::link(args)
}

fn show(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let devices = devices::devices(ctx)?;
    if args.is_empty() {
        let mut stream = Stream::bpftool(ctx);
        for link in rawnet::bpf::link::links() {
            let info = link.and_then(|l| l.info()).map_err(lib_error)?;
            match stream.begin_record() {
                Out::Text(s) => plain(s, &info, &devices),
                Out::Json(j) => json(j, &info, &devices),
            }
            stream.end_record()?;
        }
        stream.finish()?;
        return Ok(0);
    }
    let (link, rest) = open(args)?;
    if let Some(w) = rest.first() {
        return Err(fail(format!("Error: unexpected \"{w}\"")));
    }
    let info = link.info().map_err(|e| {
        fail(format!(
            "Error: can't get link info: {}",
            crate::cli::io_reason(&e)
        ))
    })?;
    // One link: bpftool prints the object alone, not in an array.
    let text = if ctx.json {
        let mut j = Json::bpftool(ctx.pretty);
        j.begin_object();
        json(&mut j, &info, &devices);
        j.end_object();
        j.finish()
    } else {
        let mut s = String::new();
        plain(&mut s, &info, &devices);
        s
    };
    output::print(&text)?;
    Ok(0)
}

fn detach(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    if args.len() != 2 {
        return Err(fail("Error: link specifier is invalid or missing"));
    }
    let (link, _) = open(args)?;
    link.detach().map_err(|e| {
        fail(format!(
            "Error: failed link detach: {}",
            crate::cli::io_reason(&e)
        ))
    })?;
    if ctx.json {
        output::print("null\n")?;
    }
    Ok(0)
}

fn attach_type_text(s: &mut String, t: AttachType) {
    use std::fmt::Write;
    let _ = write!(s, "attach_type {t}  ");
}

/// bpftool's `show_link_ifindex_plain`: `veth0(5)`, `(detached)`, `(unknown)`.
fn ifindex_text(s: &mut String, ifindex: u32, devices: &Devices) {
    use std::fmt::Write;
    let _ = match (ifindex, devices.name(ifindex)) {
        (0, _) => write!(s, "ifindex (detached)  "),
        (i, Some(name)) => write!(s, "ifindex {name}({i})  "),
        (_, None) => write!(s, "ifindex (unknown)  "),
    };
}

/// bpftool's `show_link_close_plain` for the link types rawnet reads.
fn plain(s: &mut String, info: &LinkInfo, devices: &Devices) {
    use std::fmt::Write;
    let _ = write!(s, "{}: ", info.id);
    let _ = match info.link_type.name() {
        Some(n) => write!(s, "{n}  "),
        None => write!(s, "type {}  ", info.link_type.number()),
    };
    let _ = match (info.link_type, info.map_id) {
        (LinkType::StructOps, Some(m)) => write!(s, "map {m}  "),
        _ => write!(s, "prog {}  ", info.prog_id),
    };
    match info.link_type {
        LinkType::Cgroup => {
            let _ = write!(s, "\n\tcgroup_id {}  ", info.cgroup_id.unwrap_or(0));
        }
        LinkType::Netns => {
            let _ = write!(s, "\n\tnetns_ino {}  ", info.netns_ino.unwrap_or(0));
        }
        LinkType::Tcx | LinkType::Netkit | LinkType::Xdp => {
            s.push_str("\n\t");
            ifindex_text(s, info.ifindex.unwrap_or(0), devices);
        }
        LinkType::Sockmap => {
            let _ = write!(s, "\n\tmap_id {}  ", info.map_id.unwrap_or(0));
        }
        _ => {}
    }
    if matches!(
        info.link_type,
        LinkType::Cgroup | LinkType::Netns | LinkType::Tcx | LinkType::Netkit | LinkType::Sockmap
    ) {
        if let Some(t) = info.attach_type {
            attach_type_text(s, t);
        }
    }
    s.push('\n');
}

/// bpftool's `show_link_close_json` for the link types rawnet reads.
fn json(j: &mut Json, info: &LinkInfo, devices: &Devices) {
    j.num("id", info.id);
    match info.link_type.name() {
        Some(n) => j.str("type", n),
        None => j.num("type", info.link_type.number()),
    }
    j.num("prog_id", info.prog_id);
    let attach_type = |j: &mut Json| {
        if let Some(t) = info.attach_type {
            match t.name() {
                Some(n) => j.str("attach_type", n),
                None => j.num("attach_type", t.number()),
            }
        }
    };
    let ifindex = |j: &mut Json| {
        let i = info.ifindex.unwrap_or(0);
        let name = match (i, devices.name(i)) {
            (0, _) => "(detached)".to_string(),
            (_, Some(n)) => n.to_string(),
            (_, None) => "(unknown)".to_string(),
        };
        j.str("devname", &name);
        j.num("ifindex", i);
    };
    match info.link_type {
        LinkType::Cgroup => {
            j.num("cgroup_id", info.cgroup_id.unwrap_or(0));
            attach_type(j);
        }
        LinkType::Netns => {
            j.num("netns_ino", info.netns_ino.unwrap_or(0));
            attach_type(j);
        }
        LinkType::Tcx | LinkType::Netkit => {
            ifindex(j);
            attach_type(j);
        }
        LinkType::Sockmap => {
            j.num("map_id", info.map_id.unwrap_or(0));
            attach_type(j);
        }
        LinkType::Xdp => ifindex(j),
        LinkType::StructOps => j.num("map_id", info.map_id.unwrap_or(0)),
        _ => {}
    }
}
