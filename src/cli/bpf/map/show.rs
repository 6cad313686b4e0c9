//! `rawnet bpf map { show | list } [ MAP ]`: a map as bpftool's
//! `show_map_close_plain` / `show_map_close_json` print it, with what its
//! fdinfo says (`memlock`, `frozen`, a program array's owner).

use std::fmt::Write;
use std::os::fd::AsFd;

use rawnet::bpf::{Map, MapInfo, MapType, ProgramType};

use super::{CliError, Context};
use crate::cli::bpf::show::Shown;
use crate::cli::bpf::{fdinfo, lib_error, select};
use crate::cli::output::Json;

pub(super) fn show(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    crate::cli::bpf::show::show(ctx, args, rawnet::bpf::maps(), select::maps, facts)
}

impl Shown for Facts {
    fn plain(&self, s: &mut String) {
        plain(s, self);
    }

    fn json(&self, j: &mut Json) {
        json(j, self);
    }
}

/// What is shown of a map: its info and what bpftool reads from its fdinfo.
struct Facts {
    info: MapInfo,
    memlock: Option<String>,
    /// `frozen:` (0 when absent, as bpftool takes it).
    frozen: i64,
    /// A program array's `owner_prog_type:` and `owner_jited:`.
    owner_prog_type: Option<u32>,
    owner_jited: Option<bool>,
}

fn facts(m: &Map) -> Result<Facts, CliError> {
    let info = m.info().map_err(lib_error)?;
    let field = |name| fdinfo::field(m.as_fd(), name);
    let prog_array = info.map_type == MapType::ProgArray;
    Ok(Facts {
        memlock: field("memlock"),
        frozen: field("frozen").and_then(|f| f.parse().ok()).unwrap_or(0),
        owner_prog_type: field("owner_prog_type")
            .filter(|_| prog_array)
            .and_then(|t| t.parse().ok()),
        owner_jited: field("owner_jited")
            .filter(|_| prog_array)
            .and_then(|t| t.parse::<i64>().ok())
            .map(|j| j != 0),
        info,
    })
}

/// bpftool's `show_map_header_json`: `id`, `type`, `name`, `flags`.
fn json_header(j: &mut Json, info: &MapInfo) {
    j.num("id", info.id);
    match info.map_type.name() {
        Some(n) => j.str("type", n),
        None => j.num("type", info.map_type.number()),
    }
    if !info.name.is_empty() {
        j.str("name", &info.name);
    }
    j.num("flags", info.flags);
}

/// bpftool's `show_map_close_json` (src/map.c): the members in its order;
/// no `pinned` (bpftool's `-f`) or `pids`.
fn json(j: &mut Json, f: &Facts) {
    let info = &f.info;
    json_header(j, info);
    j.num("bytes_key", info.key_size);
    j.num("bytes_value", info.value_size);
    j.num("max_entries", info.max_entries);
    if let Some(v) = f.memlock.as_deref().and_then(|v| v.parse::<i64>().ok()) {
        j.num("bytes_memlock", v);
    }
    if let Some(t) = f.owner_prog_type {
        match ProgramType::from_number(t).name() {
            Some(n) => j.str("owner_prog_type", n),
            None => j.num("owner_prog_type", t),
        }
    }
    if let Some(jited) = f.owner_jited {
        j.bool("owner_jited", jited);
    }
    j.num("frozen", f.frozen);
    if info.btf_id != 0 {
        j.num("btf_id", info.btf_id);
    }
}

/// bpftool's `show_map_close_plain` (src/map.c, with `show_map_header_plain`).
fn plain(s: &mut String, f: &Facts) {
    let info = &f.info;
    let _ = write!(s, "{}: ", info.id);
    match info.map_type.name() {
        Some(n) => {
            let _ = write!(s, "{n}  ");
        }
        None => {
            let _ = write!(s, "type {}  ", info.map_type.number());
        }
    }
    if !info.name.is_empty() {
        let _ = write!(s, "name {}  ", info.name);
    }
    let _ = writeln!(s, "flags 0x{:x}", info.flags);
    let _ = write!(
        s,
        "\tkey {}B  value {}B  max_entries {}",
        info.key_size, info.value_size, info.max_entries
    );
    if let Some(m) = &f.memlock {
        let _ = write!(s, "  memlock {m}B");
    }
    if f.owner_prog_type.is_some() || f.owner_jited.is_some() {
        s.push_str("\n\t");
    }
    if let Some(t) = f.owner_prog_type {
        match ProgramType::from_number(t).name() {
            Some(n) => {
                let _ = write!(s, "owner_prog_type {n}  ");
            }
            None => {
                let _ = write!(s, "owner_prog_type {t}  ");
            }
        }
    }
    if let Some(jited) = f.owner_jited {
        s.push_str(if jited {
            "owner jited"
        } else {
            "owner not jited"
        });
    }
    if info.btf_id != 0 || f.frozen != 0 {
        s.push_str("\n\t");
    }
    if info.btf_id != 0 {
        let _ = write!(s, "btf_id {}", info.btf_id);
    }
    if f.frozen != 0 {
        s.push_str(if info.btf_id != 0 {
            "  frozen"
        } else {
            "frozen"
        });
    }
    s.push('\n');
}

#[cfg(test)]
mod tests {
    use super::super::test_info as info;
    use super::*;

    // Layouts from src/map.c of libbpf/bpftool: `show_map_close_plain`,
    // `show_map_close_json`.

    fn facts(i: MapInfo) -> Facts {
        Facts {
            info: i,
            memlock: Some("320".into()),
            frozen: 0,
            owner_prog_type: None,
            owner_jited: None,
        }
    }

    #[test]
    fn show_as_show_map_close_plain_and_json() {
        let mut i = info(MapType::Array, 4, 8);
        i.name = "counts".into();
        i.max_entries = 256;
        let mut s = String::new();
        plain(&mut s, &facts(i.clone()));
        assert_eq!(
            s,
            "1: array  name counts  flags 0x0\n\tkey 4B  value 8B  max_entries 256  memlock 320B\n"
        );
        let mut j = Json::bpftool(false);
        j.begin_object();
        json(&mut j, &facts(i.clone()));
        j.end_object();
        assert_eq!(
            j.finish(),
            "{\"id\":1,\"type\":\"array\",\"name\":\"counts\",\"flags\":0,\"bytes_key\":4,\
             \"bytes_value\":8,\"max_entries\":256,\"bytes_memlock\":320,\"frozen\":0}\n"
        );
        // Frozen and BTF on a line of their own; a program array's owner.
        let mut f = facts(i.clone());
        f.frozen = 1;
        f.info.btf_id = 5;
        let mut s = String::new();
        plain(&mut s, &f);
        assert!(s.ends_with("memlock 320B\n\tbtf_id 5  frozen\n"), "{s:?}");
        f.info.btf_id = 0;
        let mut s = String::new();
        plain(&mut s, &f);
        assert!(s.ends_with("memlock 320B\n\tfrozen\n"), "{s:?}");
        let mut f = facts(info(MapType::ProgArray, 4, 4));
        f.owner_prog_type = Some(6);
        f.owner_jited = Some(true);
        f.info.btf_id = 5;
        let mut s = String::new();
        plain(&mut s, &f);
        assert_eq!(
            s,
            "1: prog_array  flags 0x0\n\tkey 4B  value 4B  max_entries 1  memlock 320B\n\
             \towner_prog_type xdp  owner jited\n\tbtf_id 5\n"
        );
        let mut j = Json::bpftool(false);
        j.begin_object();
        json(&mut j, &f);
        j.end_object();
        assert!(j.finish().ends_with(
            "\"bytes_memlock\":320,\"owner_prog_type\":\"xdp\",\"owner_jited\":true,\
                 \"frozen\":0,\"btf_id\":5}\n"
        ));
    }
}
