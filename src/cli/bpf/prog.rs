//! `rawnet bpf prog show|dump`: loaded programs as bpftool prints them
//! (bpftool's `show_prog_plain` / `show_prog_json`), and a program's
//! translated instructions in the verifier log's syntax.

use std::os::fd::AsFd;

use rawnet::bpf::disasm::verifier_listing;
use rawnet::bpf::insn::decode;
use rawnet::bpf::{Program, ProgramInfo};

use super::super::output::{Out, Stream};
use super::{fdinfo, lib_error, load, parse_id, CliError, Context};
use crate::cli::{matches, output};

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let Some((cmd, rest)) = args.split_first() else {
        return show(ctx, &[]);
    };
    if matches(cmd, "show") || matches(cmd, "list") {
        show(ctx, rest)
    } else if cmd == "load" {
        load::run(ctx, rest)
    } else if matches(cmd, "dump") {
        // `dump xlated id N` as bpftool, or `dump id N`.
        let rest = match rest.split_first() {
            Some((w, tail)) if w == "xlated" => tail,
            _ => rest,
        };
        dump(rest)
    } else if matches(cmd, "help") {
        output::print(super::USAGE)?;
        Ok(0)
    } else {
        Err(CliError::new(
            1,
            format!("Error: unknown command \"{cmd}\", try \"rawnet bpf help\""),
        ))
    }
}

fn open(id: u32) -> Result<Program, CliError> {
    Program::from_id(id).map_err(lib_error)?.ok_or_else(|| {
        CliError::new(
            1,
            format!("Error: get by id ({id}): No such file or directory"),
        )
    })
}

fn show(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let mut stream = Stream::new(ctx);
    if args.is_empty() {
        for p in rawnet::bpf::programs() {
            let p = p.map_err(lib_error)?;
            record(&mut stream, &p)?;
        }
    } else {
        let (id, rest) = parse_id(args)?;
        if let Some(w) = rest.first() {
            return Err(CliError::new(1, format!("Error: unexpected \"{w}\"")));
        }
        record(&mut stream, &open(id)?)?;
    }
    stream.finish()?;
    Ok(0)
}

fn record(stream: &mut Stream, p: &Program) -> Result<(), CliError> {
    let info = p.info().map_err(lib_error)?;
    let memlock = fdinfo::field(p.as_fd(), "memlock");
    match stream.begin_record() {
        Out::Text(s) => plain(s, &info, memlock.as_deref()),
        Out::Json(j) => {
            j.num("id", info.id);
            match info.program_type.name() {
                Some(n) => j.str("type", n),
                None => j.num("type", info.program_type.number()),
            }
            if !info.name.is_empty() {
                j.str("name", &info.name);
            }
            j.str("tag", &info.tag_hex());
            j.bool("gpl_compatible", info.gpl_compatible);
            if info.run_time_ns != 0 {
                j.num("run_time_ns", info.run_time_ns);
                j.num("run_cnt", info.run_count);
            }
            if info.recursion_misses != 0 {
                j.num("recursion_misses", info.recursion_misses);
            }
            if info.load_time_ns != 0 {
                if let Some(secs) = fdinfo::wall_seconds(info.load_time_ns) {
                    j.num("loaded_at", secs);
                }
                j.num("uid", info.created_by_uid);
            }
            j.num("bytes_xlated", info.xlated_len);
            j.bool("jited", info.jited_len != 0);
            if info.jited_len != 0 {
                j.num("bytes_jited", info.jited_len);
            }
            if let Some(m) = memlock.as_deref().and_then(|m| m.parse::<i64>().ok()) {
                j.num("bytes_memlock", m);
            }
            if !info.map_ids.is_empty() {
                j.key_array("map_ids");
                for id in &info.map_ids {
                    j.elem_num(*id);
                }
                j.end_array();
            }
            if info.btf_id != 0 {
                j.num("btf_id", info.btf_id);
            }
        }
    }
    stream.end_record()
}

/// bpftool's `show_prog_plain`.
fn plain(s: &mut String, info: &ProgramInfo, memlock: Option<&str>) {
    use std::fmt::Write;
    let _ = write!(s, "{}: ", info.id);
    match info.program_type.name() {
        Some(n) => {
            let _ = write!(s, "{n}  ");
        }
        None => {
            let _ = write!(s, "type {}  ", info.program_type.number());
        }
    }
    if !info.name.is_empty() {
        let _ = write!(s, "name {}  ", info.name);
    }
    let _ = write!(s, "tag {}", info.tag_hex());
    if info.gpl_compatible {
        s.push_str("  gpl");
    }
    if info.run_time_ns != 0 {
        let _ = write!(
            s,
            " run_time_ns {} run_cnt {}",
            info.run_time_ns, info.run_count
        );
    }
    if info.recursion_misses != 0 {
        let _ = write!(s, " recursion_misses {}", info.recursion_misses);
    }
    s.push('\n');
    if info.load_time_ns != 0 {
        let when = fdinfo::wall_seconds(info.load_time_ns)
            .and_then(fdinfo::iso_local)
            .unwrap_or_default();
        let _ = writeln!(s, "\tloaded_at {when}  uid {}", info.created_by_uid);
    }
    let _ = write!(s, "\txlated {}B", info.xlated_len);
    if info.jited_len != 0 {
        let _ = write!(s, "  jited {}B", info.jited_len);
    } else {
        s.push_str("  not jited");
    }
    if let Some(m) = memlock {
        let _ = write!(s, "  memlock {m}B");
    }
    if !info.map_ids.is_empty() {
        let ids: Vec<String> = info.map_ids.iter().map(u32::to_string).collect();
        let _ = write!(s, "  map_ids {}", ids.join(","));
    }
    if info.btf_id != 0 {
        let _ = write!(s, "\n\tbtf_id {}", info.btf_id);
    }
    s.push('\n');
}

fn dump(args: &[String]) -> Result<i32, CliError> {
    let (id, rest) = parse_id(args)?;
    if let Some(w) = rest.first() {
        return Err(CliError::new(1, format!("Error: unexpected \"{w}\"")));
    }
    let info = open(id)?.info().map_err(lib_error)?;
    if info.xlated.is_empty() {
        return Err(CliError::new(
            1,
            "Error: no instructions returned (kernel.bpf_jit_harden or no privilege)",
        ));
    }
    let insns = decode(&info.xlated).map_err(|e| lib_error(e.into()))?;
    output::print(&verifier_listing(&insns))?;
    Ok(0)
}
