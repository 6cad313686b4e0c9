//! `rawnet bpf map show|dump|lookup|update|delete`: maps and their
//! entries as bpftool prints them (`show_map_plain`, `print_entry_plain`:
//! `key: 00 00 00 00  value: 00 ...`; JSON with bpftool's keys).

use std::fmt::Write;
use std::os::fd::AsFd;

use rawnet::bpf::{Map, MapInfo, MapType, ProgramType, Update};

use super::super::output::{Json, Out, Stream};
use super::{fail, fdinfo, lib_error, select, CliError, Context};
use crate::cli::{matches, numbers, output};

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let Some((cmd, rest)) = args.split_first() else {
        return show(ctx, &[]);
    };
    if matches(cmd, "show") || matches(cmd, "list") {
        show(ctx, rest)
    } else if matches(cmd, "dump") {
        dump(ctx, rest)
    } else if matches(cmd, "lookup") {
        lookup(ctx, rest)
    } else if matches(cmd, "update") {
        update(ctx, rest)
    } else if matches(cmd, "delete") {
        delete(ctx, rest)
    } else if matches(cmd, "pin") {
        super::pin::run(ctx, rawnet::bpf::Kind::Map, rest)
    } else if matches(cmd, "help") {
        output::print(super::USAGE)?;
        Ok(0)
    } else {
        Err(fail(format!(
            "Error: unknown command \"{cmd}\", try \"rawnet bpf help\""
        )))
    }
}

fn no_more(rest: &[String]) -> Result<(), CliError> {
    match rest.first() {
        Some(w) => Err(fail(format!("Error: unexpected \"{w}\""))),
        None => Ok(()),
    }
}

fn show(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    if args.is_empty() {
        let mut stream = Stream::bpftool(ctx);
        for m in rawnet::bpf::maps() {
            let f = facts(&m.map_err(lib_error)?)?;
            match stream.begin_record() {
                Out::Text(s) => plain(s, &f),
                Out::Json(j) => json(j, &f),
            }
            stream.end_record()?;
        }
        stream.finish()?;
        return Ok(0);
    }
    // bpftool's do_show: a handle is two words.
    if args.len() != 2 {
        let w = args.get(2).unwrap_or(&args[0]);
        return Err(fail(format!("Error: what is '{w}'?")));
    }
    let (maps, _) = select::maps(args)?;
    if maps.is_empty() {
        // bpftool's do_show_subset: no match fails without a word.
        return Err(fail(""));
    }
    // One map is one object, not an array of one; several (a name) are an
    // array in JSON, one after the other in text (bpftool's do_show_subset).
    let mut text = String::new();
    let mut j = Json::bpftool(ctx.pretty);
    let array = maps.len() > 1;
    if array {
        j.begin_array();
    }
    for m in &maps {
        let f = facts(m)?;
        if ctx.json {
            j.begin_object();
            json(&mut j, &f);
            j.end_object();
        } else {
            plain(&mut text, &f);
        }
    }
    if array {
        j.end_array();
    }
    if ctx.json {
        text = j.finish();
    }
    output::print(&text)?;
    Ok(0)
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

fn is_per_cpu(t: MapType) -> bool {
    t.is_per_cpu()
}

/// `00 01 ff`: bpftool's `fprint_hex` with a blank between bytes.
fn hex(s: &mut String, bytes: &[u8]) {
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        let _ = write!(s, "{b:02x}");
    }
}

fn is_map_of_maps(t: MapType) -> bool {
    matches!(t, MapType::ArrayOfMaps | MapType::HashOfMaps)
}

/// The id of an inner map, as a map of maps' value holds it.
fn inner_map_id(value: &[u8]) -> u32 {
    let mut b = [0u8; 4];
    for (d, s) in b.iter_mut().zip(value) {
        *d = *s;
    }
    u32::from_ne_bytes(b)
}

/// bpftool's `print_entry_plain` (src/map.c).
fn entry_plain(s: &mut String, info: &MapInfo, key: &[u8], value: &[u8]) {
    if is_per_cpu(info.map_type) {
        if info.key_size != 0 {
            s.push_str("key:\n");
            hex(s, key);
            s.push('\n');
        }
        if info.value_size != 0 {
            let step = (info.value_size as usize).div_ceil(8) * 8;
            for (cpu, chunk) in value.chunks(step.max(1)).enumerate() {
                let sep = if info.value_size > 16 { '\n' } else { ' ' };
                let _ = write!(s, "value (CPU {cpu:02}):{sep}");
                hex(s, &chunk[..chunk.len().min(info.value_size as usize)]);
                s.push('\n');
            }
        }
        return;
    }
    let break_names = info.key_size > 16 || info.value_size > 16;
    let single_line = info.key_size + info.value_size <= 24 && !break_names;
    let sep = if break_names { '\n' } else { ' ' };
    if info.key_size != 0 {
        let _ = write!(s, "key:{sep}");
        hex(s, key);
        s.push_str(if single_line { "  " } else { "\n" });
    }
    if info.value_size != 0 {
        if is_map_of_maps(info.map_type) {
            let _ = write!(s, "inner_map_id:{sep}{} ", inner_map_id(value));
        } else {
            let _ = write!(s, "value:{sep}");
            hex(s, value);
        }
    }
    s.push('\n');
}

/// bpftool's `print_entry_error_msg`: a key whose value could not be read.
fn entry_error_plain(s: &mut String, info: &MapInfo, key: &[u8], msg: &str) {
    let break_names = info.key_size > 16 || msg.len() > 16;
    let single_line = info.key_size as usize + msg.len() <= 24 && !break_names;
    let sep = if break_names { '\n' } else { ' ' };
    let _ = write!(s, "key:{sep}");
    hex(s, key);
    s.push_str(if single_line { "  " } else { "\n" });
    let _ = writeln!(s, "value:{sep}{msg}");
}

/// bpftool's `print_hex_data_json`: `["0x00","0x01"]`.
fn hex_json(j: &mut Json, name: &str, bytes: &[u8]) {
    j.key_array(name);
    for b in bytes {
        j.elem_str(&format!("0x{b:02x}"));
    }
    j.end_array();
}

/// bpftool's `print_entry_json` without BTF (src/map.c): `key` and `value`
/// as `"0x00"` strings (and `inner_map_id` for a map of maps); a per-CPU
/// map's values as `values: [{cpu, value}, ...]`.
fn entry_json(j: &mut Json, info: &MapInfo, key: &[u8], value: &[u8]) {
    hex_json(j, "key", key);
    if !is_per_cpu(info.map_type) {
        hex_json(j, "value", value);
        if is_map_of_maps(info.map_type) {
            j.num("inner_map_id", inner_map_id(value));
        }
        return;
    }
    let size = info.value_size as usize;
    let step = size.div_ceil(8) * 8;
    j.key_array("values");
    for (cpu, chunk) in value.chunks(step.max(1)).enumerate() {
        j.begin_object();
        j.num("cpu", cpu);
        hex_json(j, "value", &chunk[..chunk.len().min(size)]);
        j.end_object();
    }
    j.end_array();
}

fn dump(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let (map, rest) = select::map(args)?;
    no_more(rest)?;
    let info = map.info().map_err(lib_error)?;
    let mut stream = Stream::bpftool(ctx);
    let mut count = 0u32;
    for key in map.keys() {
        let key = key.map_err(lib_error)?;
        // bpftool's `dump_map_elem` / `print_entry_error`: a key whose value
        // cannot be read is shown with the reason and not counted; a program
        // array or map of maps has no entry at such a key, and says nothing.
        let errno = match map.lookup(&key) {
            Ok(Some(value)) => {
                count += 1;
                match stream.begin_record() {
                    Out::Text(s) => entry_plain(s, &info, &key, &value),
                    Out::Json(j) => entry_json(j, &info, &key, &value),
                }
                stream.end_record()?;
                continue;
            }
            Ok(None) => libc::ENOENT,
            Err(e) => e.errno().unwrap_or(libc::EIO),
        };
        if errno == libc::ENOENT
            && (is_map_of_maps(info.map_type) || info.map_type == MapType::ProgArray)
        {
            continue;
        }
        let reason = rawnet::error::errno_text(errno);
        match stream.begin_record() {
            Out::Text(s) => {
                let msg = if errno == libc::ENOENT {
                    "<no entry>"
                } else {
                    reason.as_str()
                };
                entry_error_plain(s, &info, &key, msg);
            }
            Out::Json(j) => {
                hex_json(j, "key", &key);
                j.key_object("value");
                j.str("error", &reason);
                j.end_object();
            }
        }
        stream.end_record()?;
    }
    stream.finish()?;
    if !ctx.json {
        let plural = if count == 1 { "" } else { "s" };
        output::print(&format!("Found {count} element{plural}\n"))?;
    }
    Ok(0)
}

/// `key [hex] BYTES...` (or `value ...`): bytes as C's `strtoul` base 0
/// reads them (`10`, `0x0a`, `012`), or base 16 after `hex`, exactly `len`
/// of them; returns the words after them.
fn parse_bytes<'a>(
    args: &'a [String],
    what: &str,
    len: usize,
) -> Result<(Vec<u8>, &'a [String]), CliError> {
    let mut args = match args.split_first() {
        Some((w, tail)) if w == what => tail,
        _ => return Err(fail(format!("Error: did not find {what}"))),
    };
    let base16 = args.first().is_some_and(|w| w == "hex");
    if base16 {
        args = &args[1..];
    }
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        let Some((w, tail)) = args.split_first() else {
            return Err(fail(format!(
                "Error: {what} expected {len} bytes got {}",
                out.len()
            )));
        };
        // strtoul takes no sign after `0x` or `0`; a value over 255, which
        // bpftool would cut to its low byte, is refused.
        let parsed = if base16 {
            let h = w
                .strip_prefix("0x")
                .or_else(|| w.strip_prefix("0X"))
                .unwrap_or(w);
            let digits = !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit());
            digits.then(|| u8::from_str_radix(h, 16).ok()).flatten()
        } else {
            numbers::strtoul(w).and_then(|v| u8::try_from(v).ok())
        };
        let b = parsed.ok_or_else(|| fail(format!("Error: error parsing byte: {w}")))?;
        out.push(b);
        args = tail;
    }
    Ok((out, args))
}

fn lookup(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let (map, rest) = select::map(args)?;
    let info = map.info().map_err(lib_error)?;
    let (key, rest) = parse_bytes(rest, "key", info.key_size as usize)?;
    no_more(rest)?;
    let value = map.lookup(&key).map_err(lib_error)?;
    let mut s = String::new();
    match value {
        Some(v) if ctx.json => {
            let mut j = Json::bpftool(ctx.pretty);
            j.begin_object();
            entry_json(&mut j, &info, &key, &v);
            j.end_object();
            s = j.finish();
        }
        Some(v) => entry_plain(&mut s, &info, &key, &v),
        None => {
            // bpftool's do_lookup: the key and "Not found" on standard
            // output (`null` in JSON), and a failure exit.
            if ctx.json {
                s.push_str("null\n");
            } else {
                s.push_str("key:\n");
                hex(&mut s, &key);
                s.push_str("\n\nNot found\n");
            }
            output::print(&s)?;
            return Err(fail(""));
        }
    }
    output::print(&s)?;
    Ok(0)
}

fn update(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let (map, rest) = select::map(args)?;
    let info = map.info().map_err(lib_error)?;
    let (key, rest) = parse_bytes(rest, "key", info.key_size as usize)?;
    let (value, rest) = parse_bytes(rest, "value", info.value_size as usize)?;
    let value = per_cpu_copies(&info, &value, map.value_len());
    let how = match rest {
        [] => Update::Any,
        [w] if w == "any" => Update::Any,
        [w] if w == "exist" => Update::Replace,
        [w] if w == "noexist" => Update::Create,
        [w, ..] => return Err(fail(format!("Error: unexpected \"{w}\""))),
    };
    map.update(&key, &value, how).map_err(lib_error)?;
    json_null(ctx)
}

/// The value as the map takes it: for a per-CPU map, one copy per possible
/// CPU, each in an 8-byte aligned slot (bpftool's `fill_per_cpu_value`);
/// otherwise the value itself.
fn per_cpu_copies(info: &MapInfo, value: &[u8], value_len: usize) -> Vec<u8> {
    if !is_per_cpu(info.map_type) || value.is_empty() {
        return value.to_vec();
    }
    let step = value.len().div_ceil(8) * 8;
    let mut all = vec![0u8; value_len];
    for slot in all.chunks_mut(step) {
        let n = slot.len().min(value.len());
        slot[..n].copy_from_slice(&value[..n]);
    }
    all
}

fn delete(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let (map, rest) = select::map(args)?;
    let info = map.info().map_err(lib_error)?;
    let (key, rest) = parse_bytes(rest, "key", info.key_size as usize)?;
    no_more(rest)?;
    if !map.delete(&key).map_err(lib_error)? {
        return Err(fail("Error: delete failed: No such file or directory"));
    }
    json_null(ctx)
}

/// bpftool's `jsonw_null` after a change that succeeded: `null` with `-j`,
/// nothing without.
fn json_null(ctx: &Context) -> Result<i32, CliError> {
    if ctx.json {
        output::print("null\n")?;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    fn info(map_type: MapType, key_size: u32, value_size: u32) -> MapInfo {
        MapInfo {
            map_type,
            id: 1,
            name: String::new(),
            key_size,
            value_size,
            max_entries: 1,
            flags: 0,
            ifindex: 0,
            btf_id: 0,
            map_extra: 0,
        }
    }

    #[test]
    fn bytes_read_as_strtoul_or_hex() {
        let w = words(&["key", "10", "0x0a", "012", "0", "value", "hex", "ff"]);
        let (key, rest) = parse_bytes(&w, "key", 4).unwrap();
        assert_eq!(key, [10, 10, 10, 0]);
        let (value, rest) = parse_bytes(rest, "value", 1).unwrap();
        assert_eq!(value, [0xff]);
        assert!(rest.is_empty());
        let short = words(&["key", "1"]);
        assert_eq!(
            parse_bytes(&short, "key", 4).unwrap_err().message,
            "Error: key expected 4 bytes got 1"
        );
        let bad = words(&["key", "256"]);
        assert_eq!(
            parse_bytes(&bad, "key", 1).unwrap_err().message,
            "Error: error parsing byte: 256"
        );
    }

    #[test]
    fn no_sign_after_a_base_prefix_and_hex_takes_0x() {
        for w in ["0x+5", "0-1", "+5", "-1", "0x", ""] {
            let bad = words(&["key", w]);
            assert!(parse_bytes(&bad, "key", 1).is_err(), "{w:?}");
        }
        let w = words(&["key", "hex", "0x1f", "a0"]);
        assert_eq!(parse_bytes(&w, "key", 2).unwrap().0, [0x1f, 0xa0]);
    }

    #[test]
    fn a_per_cpu_value_is_copied_to_each_cpu_slot() {
        let per_cpu = info(MapType::PercpuArray, 4, 4);
        assert_eq!(
            per_cpu_copies(&per_cpu, &[1, 2, 3, 4], 24),
            [1, 2, 3, 4, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0]
        );
        let plain = info(MapType::Array, 4, 4);
        assert_eq!(per_cpu_copies(&plain, &[1, 2, 3, 4], 4), [1, 2, 3, 4]);
    }

    // Layouts from src/map.c of libbpf/bpftool: `show_map_close_plain`,
    // `show_map_close_json`, `print_entry_plain`, `print_entry_json`,
    // `print_entry_error_msg`.

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

    #[test]
    fn entries_as_print_entry_json_and_errors() {
        let mut j = Json::bpftool(false);
        j.begin_object();
        entry_json(
            &mut j,
            &info(MapType::Array, 4, 2),
            &[1, 0, 0, 0],
            &[0xab, 0xcd],
        );
        j.end_object();
        assert_eq!(
            j.finish(),
            "{\"key\":[\"0x01\",\"0x00\",\"0x00\",\"0x00\"],\"value\":[\"0xab\",\"0xcd\"]}\n"
        );
        // Per CPU: one object per CPU, each value in its 8-byte slot.
        let mut j = Json::bpftool(false);
        j.begin_object();
        let value = [1, 0, 0, 0, 9, 9, 9, 9, 2, 0, 0, 0, 9, 9, 9, 9];
        entry_json(&mut j, &info(MapType::PercpuArray, 1, 4), &[0], &value);
        j.end_object();
        assert_eq!(
            j.finish(),
            "{\"key\":[\"0x00\"],\"values\":[{\"cpu\":0,\"value\":[\"0x01\",\"0x00\",\"0x00\",\"0x00\"]},\
             {\"cpu\":1,\"value\":[\"0x02\",\"0x00\",\"0x00\",\"0x00\"]}]}\n"
        );
        // A map of maps names the inner map.
        let mut s = String::new();
        entry_plain(
            &mut s,
            &info(MapType::ArrayOfMaps, 4, 4),
            &[0; 4],
            &[7, 0, 0, 0],
        );
        assert_eq!(s, "key: 00 00 00 00  inner_map_id: 7 \n");
        let mut s = String::new();
        entry_error_plain(&mut s, &info(MapType::Hash, 4, 4), &[0; 4], "<no entry>");
        assert_eq!(s, "key: 00 00 00 00  value: <no entry>\n");
        let mut s = String::new();
        entry_error_plain(
            &mut s,
            &info(MapType::Hash, 4, 4),
            &[0; 4],
            "Operation not permitted",
        );
        assert_eq!(s, "key:\n00 00 00 00\nvalue:\nOperation not permitted\n");
    }

    #[test]
    fn entries_print_as_bpftool() {
        let mut s = String::new();
        entry_plain(
            &mut s,
            &info(MapType::Array, 4, 8),
            &[1, 0, 0, 0],
            &[0xab; 8],
        );
        assert_eq!(s, "key: 01 00 00 00  value: ab ab ab ab ab ab ab ab\n");
        let mut s = String::new();
        entry_plain(&mut s, &info(MapType::Hash, 8, 20), &[0; 8], &[1; 20]);
        assert_eq!(
            s,
            "key:\n00 00 00 00 00 00 00 00\nvalue:\n\
             01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01\n"
        );
        let mut s = String::new();
        entry_plain(&mut s, &info(MapType::Hash, 12, 16), &[0; 12], &[2; 16]);
        assert_eq!(
            s,
            "key: 00 00 00 00 00 00 00 00 00 00 00 00\n\
             value: 02 02 02 02 02 02 02 02 02 02 02 02 02 02 02 02\n"
        );
    }
}
