//! `rawnet bpf map show|dump|lookup|update|delete`: maps and their
//! entries as bpftool prints them (`show_map_plain`, `print_entry_plain`:
//! `key: 00 00 00 00  value: 00 ...`; JSON with bpftool's keys).

use std::fmt::Write;
use std::os::fd::AsFd;

use rawnet::bpf::{Map, MapInfo, MapType, Update};

use super::super::output::{Json, Out, Stream};
use super::{fdinfo, lib_error, parse_id, CliError, Context};
use crate::cli::{matches, output};

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
        update(rest)
    } else if matches(cmd, "delete") {
        delete(rest)
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

fn open(id: u32) -> Result<Map, CliError> {
    Map::from_id(id).map_err(lib_error)?.ok_or_else(|| {
        CliError::new(
            1,
            format!("Error: get map by id ({id}): No such file or directory"),
        )
    })
}

fn no_more(rest: &[String]) -> Result<(), CliError> {
    match rest.first() {
        Some(w) => Err(CliError::new(1, format!("Error: unexpected \"{w}\""))),
        None => Ok(()),
    }
}

fn show(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let mut stream = Stream::new(ctx);
    if args.is_empty() {
        for m in rawnet::bpf::maps() {
            record(&mut stream, &m.map_err(lib_error)?)?;
        }
    } else {
        let (id, rest) = parse_id(args)?;
        no_more(rest)?;
        record(&mut stream, &open(id)?)?;
    }
    stream.finish()?;
    Ok(0)
}

fn record(stream: &mut Stream, m: &Map) -> Result<(), CliError> {
    let info = m.info().map_err(lib_error)?;
    let memlock = fdinfo::field(m.as_fd(), "memlock");
    let frozen = fdinfo::field(m.as_fd(), "frozen").and_then(|f| f.parse::<u32>().ok());
    match stream.begin_record() {
        Out::Text(s) => plain(s, &info, memlock.as_deref(), frozen),
        Out::Json(j) => {
            j.num("id", info.id);
            match info.map_type.name() {
                Some(n) => j.str("type", n),
                None => j.num("type", info.map_type.number()),
            }
            if !info.name.is_empty() {
                j.str("name", &info.name);
            }
            j.num("flags", info.flags);
            j.num("bytes_key", info.key_size);
            j.num("bytes_value", info.value_size);
            j.num("max_entries", info.max_entries);
            if let Some(v) = memlock.as_deref().and_then(|v| v.parse::<i64>().ok()) {
                j.num("bytes_memlock", v);
            }
            if let Some(f) = frozen {
                j.num("frozen", f);
            }
        }
    }
    stream.end_record()
}

/// bpftool's `show_map_plain`.
fn plain(s: &mut String, info: &MapInfo, memlock: Option<&str>, frozen: Option<u32>) {
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
    if let Some(m) = memlock {
        let _ = write!(s, "  memlock {m}B");
    }
    if frozen.is_some_and(|f| f != 0) {
        s.push_str("  frozen");
    }
    s.push('\n');
}

fn is_per_cpu(t: MapType) -> bool {
    matches!(t.name(), Some(n) if n.starts_with("percpu_"))
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

/// bpftool's `print_entry_plain`.
fn entry_plain(s: &mut String, info: &MapInfo, key: &[u8], value: &[u8]) {
    if is_per_cpu(info.map_type) {
        s.push_str("key:\n");
        hex(s, key);
        s.push('\n');
        let step = (info.value_size as usize).div_ceil(8) * 8;
        for (cpu, chunk) in value.chunks(step.max(1)).enumerate() {
            let sep = if info.value_size > 16 { '\n' } else { ' ' };
            let _ = write!(s, "value (CPU {cpu:02}):{sep}");
            hex(s, &chunk[..chunk.len().min(info.value_size as usize)]);
            s.push('\n');
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
        let _ = write!(s, "value:{sep}");
        hex(s, value);
    }
    s.push('\n');
}

/// bpftool's `print_entry_json` without BTF: `"0x00"` strings.
fn entry_json(j: &mut Json, key: &[u8], value: &[u8]) {
    for (name, bytes) in [("key", key), ("value", value)] {
        j.key_array(name);
        for b in bytes {
            j.elem_str(&format!("0x{b:02x}"));
        }
        j.end_array();
    }
}

fn dump(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let (id, rest) = parse_id(args)?;
    no_more(rest)?;
    let map = open(id)?;
    let info = map.info().map_err(lib_error)?;
    let mut stream = Stream::new(ctx);
    let mut count = 0u32;
    for key in map.keys() {
        let key = key.map_err(lib_error)?;
        // An entry deleted meanwhile is skipped.
        let Some(value) = map.lookup(&key).map_err(lib_error)? else {
            continue;
        };
        count += 1;
        match stream.begin_record() {
            Out::Text(s) => entry_plain(s, &info, &key, &value),
            Out::Json(j) => entry_json(j, &key, &value),
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
        _ => return Err(CliError::new(1, format!("Error: did not find {what}"))),
    };
    let base16 = args.first().is_some_and(|w| w == "hex");
    if base16 {
        args = &args[1..];
    }
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        let Some((w, tail)) = args.split_first() else {
            return Err(CliError::new(
                1,
                format!("Error: {what} expected {len} bytes got {}", out.len()),
            ));
        };
        let parsed = if base16 {
            u8::from_str_radix(w, 16).ok()
        } else if let Some(h) = w.strip_prefix("0x").or_else(|| w.strip_prefix("0X")) {
            u8::from_str_radix(h, 16).ok()
        } else if w.len() > 1 && w.starts_with('0') {
            u8::from_str_radix(&w[1..], 8).ok()
        } else {
            w.parse::<u8>().ok()
        };
        let b =
            parsed.ok_or_else(|| CliError::new(1, format!("Error: error parsing byte: {w}")))?;
        out.push(b);
        args = tail;
    }
    Ok((out, args))
}

fn lookup(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let (id, rest) = parse_id(args)?;
    let map = open(id)?;
    let info = map.info().map_err(lib_error)?;
    let (key, rest) = parse_bytes(rest, "key", info.key_size as usize)?;
    no_more(rest)?;
    let value = map.lookup(&key).map_err(lib_error)?;
    let mut s = String::new();
    match value {
        Some(v) if ctx.json => {
            let mut j = Json::new(ctx.pretty);
            j.begin_object();
            entry_json(&mut j, &key, &v);
            j.end_object();
            s = j.finish();
        }
        Some(v) => entry_plain(&mut s, &info, &key, &v),
        None => {
            return Err(CliError::new(1, "Error: key not found"));
        }
    }
    output::print(&s)?;
    Ok(0)
}

fn update(args: &[String]) -> Result<i32, CliError> {
    let (id, rest) = parse_id(args)?;
    let map = open(id)?;
    let info = map.info().map_err(lib_error)?;
    let (key, rest) = parse_bytes(rest, "key", info.key_size as usize)?;
    let (value, rest) = parse_bytes(rest, "value", map.value_len())?;
    let how = match rest {
        [] => Update::Any,
        [w] if w == "any" => Update::Any,
        [w] if w == "exist" => Update::Replace,
        [w] if w == "noexist" => Update::Create,
        [w, ..] => return Err(CliError::new(1, format!("Error: unexpected \"{w}\""))),
    };
    map.update(&key, &value, how).map_err(lib_error)?;
    Ok(0)
}

fn delete(args: &[String]) -> Result<i32, CliError> {
    let (id, rest) = parse_id(args)?;
    let map = open(id)?;
    let info = map.info().map_err(lib_error)?;
    let (key, rest) = parse_bytes(rest, "key", info.key_size as usize)?;
    no_more(rest)?;
    if !map.delete(&key).map_err(lib_error)? {
        return Err(CliError::new(
            1,
            "Error: delete failed: No such file or directory",
        ));
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
