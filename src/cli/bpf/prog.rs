//! `rawnet bpf prog show|dump`: loaded programs as bpftool prints them
//! (bpftool's `show_prog_plain` / `show_prog_json`), and a program's
//! translated instructions in the verifier log's syntax.

use std::os::fd::AsFd;

use rawnet::bpf::{Program, ProgramInfo};

use super::super::output::Json;
use super::show::Shown;
use super::{fdinfo, lib_error, load, select, CliError, Context};
use crate::cli::matches;

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let Some((cmd, rest)) = args.split_first() else {
        return show(ctx, &[]);
    };
    if matches(cmd, "show") || matches(cmd, "list") {
        show(ctx, rest)
    } else if cmd == "load" {
        load::run(ctx, rest)
    } else if matches(cmd, "dump") {
        super::prog_dump::run(ctx, rest)
    } else if matches(cmd, "pin") {
        super::pin::run(ctx, rawnet::bpf::Kind::Program, rest)
    } else {
        super::help_or_unknown(cmd)
    }
}

fn show(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    super::show::show(ctx, args, rawnet::bpf::programs(), select::programs, facts)
}

/// What is shown of a program: its info and the `memlock` of its fdinfo.
struct Facts {
    info: ProgramInfo,
    memlock: Option<String>,
}

impl Shown for Facts {
    fn plain(&self, s: &mut String) {
        plain(s, &self.info, self.memlock.as_deref());
    }

    fn json(&self, j: &mut Json) {
        json(j, &self.info, self.memlock.as_deref());
    }
}

fn facts(p: &Program) -> Result<Facts, CliError> {
    let info = p.info().map_err(lib_error)?;
    let memlock = fdinfo::field(p.as_fd(), "memlock");
    Ok(Facts { info, memlock })
}

/// bpftool's `print_prog_json` (src/prog.c, with `print_prog_header_json`):
/// the members in its order. `orphaned` is false (rawnet offloads nothing);
/// no `pinned` (bpftool's `-f`), `pids` or BTF metadata.
fn json(j: &mut Json, info: &ProgramInfo, memlock: Option<&str>) {
    json_header(j, info);
    json_rest(j, info, memlock);
}

/// `print_prog_header_json`: id, type, name, tag, gpl_compatible and the
/// run statistics (what `prog dump` of several programs puts before each).
pub(super) fn json_header(j: &mut Json, info: &ProgramInfo) {
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
}

/// The rest of `print_prog_json` after the header.
fn json_rest(j: &mut Json, info: &ProgramInfo, memlock: Option<&str>) {
    if info.load_time_ns != 0 {
        if let Some(secs) = fdinfo::wall_seconds(info.load_time_ns) {
            j.num("loaded_at", secs);
        }
        j.num("uid", info.created_by_uid);
    }
    j.bool("orphaned", false);
    j.num("bytes_xlated", info.xlated_len);
    j.bool("jited", info.jited_len != 0);
    if info.jited_len != 0 {
        j.num("bytes_jited", info.jited_len);
    }
    if let Some(m) = memlock.and_then(|m| m.parse::<i64>().ok()) {
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

/// bpftool's `print_prog_plain` (src/prog.c, with `print_prog_header_plain`).
pub(super) fn plain(s: &mut String, info: &ProgramInfo, memlock: Option<&str>) {
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

#[cfg(test)]
pub(super) mod tests {
    //! The layout of bpftool's `prog show`: src/prog.c of libbpf/bpftool,
    //! `print_prog_plain` / `print_prog_header_plain` and `print_prog_json`
    //! / `print_prog_header_json`, JSON through bpftool's json_writer.c.

    use super::*;
    use rawnet::bpf::ProgramType;

    pub(in crate::cli::bpf) fn info() -> ProgramInfo {
        ProgramInfo {
            program_type: ProgramType::Xdp,
            id: 42,
            tag: [0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3],
            name: "count_proto".into(),
            jited_len: 0,
            xlated_len: 160,
            xlated: vec![],
            load_time_ns: 0,
            created_by_uid: 0,
            map_ids: vec![],
            ifindex: 0,
            gpl_compatible: true,
            btf_id: 0,
            run_time_ns: 0,
            run_count: 0,
            recursion_misses: 0,
            verified_insns: 0,
        }
    }

    #[test]
    fn plain_as_print_prog_plain() {
        let mut s = String::new();
        plain(&mut s, &info(), Some("4096"));
        assert_eq!(
            s,
            "42: xdp  name count_proto  tag deadbeef00010203  gpl\n\
             \txlated 160B  not jited  memlock 4096B\n"
        );
        let mut i = info();
        i.program_type = ProgramType::from_number(999);
        i.name.clear();
        i.gpl_compatible = false;
        i.jited_len = 97;
        i.run_time_ns = 1500;
        i.run_count = 3;
        i.recursion_misses = 1;
        i.map_ids = vec![7, 9];
        i.btf_id = 12;
        let mut s = String::new();
        plain(&mut s, &i, None);
        assert_eq!(
            s,
            "42: type 999  tag deadbeef00010203 run_time_ns 1500 run_cnt 3 recursion_misses 1\n\
             \txlated 160B  jited 97B  map_ids 7,9\n\
             \tbtf_id 12\n"
        );
    }

    #[test]
    fn json_as_print_prog_json() {
        let mut i = info();
        i.jited_len = 97;
        i.map_ids = vec![7, 9];
        let mut j = Json::bpftool(false);
        j.begin_object();
        json(&mut j, &i, Some("4096"));
        j.end_object();
        assert_eq!(
            j.finish(),
            "{\"id\":42,\"type\":\"xdp\",\"name\":\"count_proto\",\"tag\":\"deadbeef00010203\",\
             \"gpl_compatible\":true,\"orphaned\":false,\"bytes_xlated\":160,\"jited\":true,\
             \"bytes_jited\":97,\"bytes_memlock\":4096,\"map_ids\":[7,9]}\n"
        );
        // Pretty: bpftool's writer closes an array on a line of its own.
        let mut j = Json::bpftool(true);
        j.begin_array();
        j.begin_object();
        json(&mut j, &info(), None);
        j.end_object();
        j.end_array();
        assert_eq!(
            j.finish(),
            "[{\n        \"id\": 42,\n        \"type\": \"xdp\",\n        \"name\": \"count_proto\",\n        \
             \"tag\": \"deadbeef00010203\",\n        \"gpl_compatible\": true,\n        \
             \"orphaned\": false,\n        \"bytes_xlated\": 160,\n        \"jited\": false\n    }\n]\n"
        );
    }
}
