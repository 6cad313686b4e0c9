//! `rawnet bpf map lookup|update|delete MAP key ...`: the key and value
//! bytes read from the words (bpftool's `parse_bytes`: `strtoul` or `hex`),
//! a per-CPU value copied to every CPU, and the change made.

use rawnet::bpf::{MapInfo, Update};

use super::entry::{entry_json, entry_plain, hex};
use super::{no_more, CliError, Context};
use crate::cli::bpf::{fail, lib_error, select};
use crate::cli::output::Json;
use crate::cli::{numbers, output};

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

pub(super) fn lookup(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
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
            // output (`null` in JSON), and its -ENOENT as the status.
            if ctx.json {
                s.push_str("null\n");
            } else {
                s.push_str("key:\n");
                hex(&mut s, &key);
                s.push_str("\n\nNot found\n");
            }
            output::print(&s)?;
            // bpftool returns libbpf's -ENOENT: exit 254.
            return Err(CliError::new(super::super::errno_status(libc::ENOENT), ""));
        }
    }
    output::print(&s)?;
    Ok(0)
}

pub(super) fn update(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
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
    if !info.map_type.is_per_cpu() || value.is_empty() {
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

pub(super) fn delete(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
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
    use super::super::test_info as info;
    use super::*;
    use rawnet::bpf::MapType;

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
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
}
