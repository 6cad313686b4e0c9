//! The handles bpftool takes for an object that exists: programs by `id N`,
//! `tag TAG`, `name NAME` or `pinned PATH` (its `prog_parse_fds`), maps by
//! `id N`, `name NAME` or `pinned PATH` (`map_parse_fds`), links by `id N`
//! or `pinned PATH` (`link_parse_fd`); keywords matched by prefix as its
//! `is_prefix`, failures in its words.
//!
//! A tag or a name may match several objects (or none): [`programs`] and
//! [`maps`] return them all, in id order; [`program`] and [`map`] insist on
//! one, as bpftool's `prog_parse_fd` / `map_parse_fd` ("several programs
//! match this handle"; none is a failure that says nothing more).

use std::os::fd::AsFd;

use rawnet::bpf::{Kind, Link, Map, Program};

use super::{fail, lib_error, CliError};
use crate::cli::{io_reason, matches};

/// The object kinds bpftool names (`get_fd_type_name`).
fn kind_name(kind: Option<Kind>) -> &'static str {
    match kind {
        Some(Kind::Program) => "prog",
        Some(Kind::Map) => "map",
        Some(Kind::Link) => "link",
        None => "unknown",
    }
}

/// `N` as C's `strtoul(N, &end, 0)` with nothing after it: decimal, `0x`
/// hex or `0` octal.
fn parse_id(word: &str) -> Result<u32, CliError> {
    let parsed = if let Some(h) = word.strip_prefix("0x").or_else(|| word.strip_prefix("0X")) {
        u32::from_str_radix(h, 16).ok()
    } else if word.len() > 1 && word.starts_with('0') {
        u32::from_str_radix(&word[1..], 8).ok()
    } else {
        word.parse::<u32>().ok()
    };
    parsed.ok_or_else(|| fail(format!("Error: can't parse {word} as ID")))
}

/// bpftool's `BPF_TAG_FMT`: eight bytes as sixteen hex digits.
fn parse_tag(word: &str) -> Result<[u8; 8], CliError> {
    let bad = || fail("Error: can't parse tag");
    if word.len() != 16 || !word.is_ascii() {
        return Err(bad());
    }
    let mut tag = [0u8; 8];
    for (i, b) in tag.iter_mut().enumerate() {
        *b = u8::from_str_radix(&word[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    Ok(tag)
}

/// A handle's keyword, its value, and the words after them.
type Handle<'a> = (&'a str, &'a String, &'a [String]);

/// The keyword and its value; a keyword without one is a usage error.
fn keyword(args: &[String]) -> Result<Option<Handle<'_>>, CliError> {
    match args {
        [w, v, rest @ ..] => Ok(Some((w.as_str(), v, rest))),
        [w] => Err(fail(format!("Error: expected a value after '{w}'"))),
        [] => Ok(None),
    }
}

/// What is pinned at `path`, refused unless it is a `kind` (bpftool's
/// `open_obj_pinned_any`). The descriptor is opened again by the caller.
fn check_pinned(path: &str, kind: Kind) -> Result<(), CliError> {
    let fd = rawnet::bpf::object::open_pinned_any(path)
        .map_err(|e| fail(format!("Error: bpf obj get ({path}): {}", io_reason(&e))))?;
    let found = rawnet::bpf::object::kind_of(fd.as_fd()).map_err(lib_error)?;
    if found != Some(kind) {
        return Err(fail(format!(
            "Error: incorrect object type: {}",
            kind_name(found)
        )));
    }
    Ok(())
}

/// Every program `args` names, and the words after the handle.
pub fn programs(args: &[String]) -> Result<(Vec<Program>, &[String]), CliError> {
    let Some((w, value, rest)) = keyword(args)? else {
        return Err(fail("Error: expected 'id', 'tag', 'name' or 'pinned'"));
    };
    if matches(w, "id") {
        let id = parse_id(value)?;
        let p = Program::from_id(id).map_err(lib_error)?.ok_or_else(|| {
            fail(format!(
                "Error: get by id ({id}): No such file or directory"
            ))
        })?;
        Ok((vec![p], rest))
    } else if matches(w, "tag") {
        let tag = parse_tag(value)?;
        Ok((programs_where(|i| i.tag == tag)?, rest))
    } else if matches(w, "name") {
        // bpftool's MAX_PROG_FULL_NAME (128) with its NUL.
        if value.len() > 127 {
            return Err(fail("Error: can't parse name"));
        }
        Ok((programs_where(|i| i.name == *value)?, rest))
    } else if matches(w, "pinned") {
        check_pinned(value, Kind::Program)?;
        let p = Program::open_pinned(value)
            .map_err(|e| fail(format!("Error: bpf obj get ({value}): {}", io_reason(&e))))?;
        Ok((vec![p], rest))
    } else {
        Err(fail(format!(
            "Error: expected 'id', 'tag', 'name' or 'pinned', got: '{w}'?"
        )))
    }
}

/// bpftool's `prog_fd_by_nametag`: the walk over every program.
fn programs_where(
    want: impl Fn(&rawnet::bpf::ProgramInfo) -> bool,
) -> Result<Vec<Program>, CliError> {
    let mut found = Vec::new();
    for p in rawnet::bpf::programs() {
        let p = p.map_err(lib_error)?;
        let info = p
            .info()
            .map_err(|e| fail(format!("Error: can't get prog info: {}", io_reason(&e))))?;
        if want(&info) {
            found.push(p);
        }
    }
    Ok(found)
}

/// The one program `args` names (bpftool's `prog_parse_fd`).
pub fn program(args: &[String]) -> Result<(Program, &[String]), CliError> {
    let (mut found, rest) = programs(args)?;
    match found.len() {
        1 => Ok((found.remove(0), rest)),
        0 => Err(fail("")),
        _ => Err(fail("Error: several programs match this handle")),
    }
}

/// Every map `args` names, and the words after the handle.
pub fn maps(args: &[String]) -> Result<(Vec<Map>, &[String]), CliError> {
    let Some((w, value, rest)) = keyword(args)? else {
        return Err(fail("Error: expected 'id', 'name' or 'pinned'"));
    };
    if matches(w, "id") {
        let id = parse_id(value)?;
        let m = Map::from_id(id).map_err(lib_error)?.ok_or_else(|| {
            fail(format!(
                "Error: get map by id ({id}): No such file or directory"
            ))
        })?;
        Ok((vec![m], rest))
    } else if matches(w, "name") {
        // BPF_OBJ_NAME_LEN (16) with its NUL.
        if value.len() > 15 {
            return Err(fail("Error: can't parse name"));
        }
        let mut found = Vec::new();
        for m in rawnet::bpf::maps() {
            let m = m.map_err(lib_error)?;
            let info = m
                .info()
                .map_err(|e| fail(format!("Error: can't get map info: {}", io_reason(&e))))?;
            if info.name == *value {
                found.push(m);
            }
        }
        Ok((found, rest))
    } else if matches(w, "pinned") {
        check_pinned(value, Kind::Map)?;
        let m = Map::open_pinned(value)
            .map_err(|e| fail(format!("Error: bpf obj get ({value}): {}", io_reason(&e))))?;
        Ok((vec![m], rest))
    } else {
        Err(fail(format!(
            "Error: expected 'id', 'name' or 'pinned', got: '{w}'?"
        )))
    }
}

/// The one map `args` names (bpftool's `map_parse_fd`).
pub fn map(args: &[String]) -> Result<(Map, &[String]), CliError> {
    let (mut found, rest) = maps(args)?;
    match found.len() {
        1 => Ok((found.remove(0), rest)),
        0 => Err(fail("")),
        _ => Err(fail("Error: several maps match this handle")),
    }
}

/// The link `args` names (bpftool's `link_parse_fd`).
pub fn link(args: &[String]) -> Result<(Link, &[String]), CliError> {
    let Some((w, value, rest)) = keyword(args)? else {
        return Err(fail("Error: expected 'id' or 'pinned'"));
    };
    if matches(w, "id") {
        let id = parse_id(value)?;
        let link = Link::from_id(id).map_err(lib_error)?.ok_or_else(|| {
            fail(format!(
                "Error: failed to get link with ID {id}: No such file or directory"
            ))
        })?;
        Ok((link, rest))
    } else if matches(w, "pinned") {
        check_pinned(value, Kind::Link)?;
        let link = Link::open_pinned(value)
            .map_err(|e| fail(format!("Error: bpf obj get ({value}): {}", io_reason(&e))))?;
        Ok((link, rest))
    } else {
        Err(fail(format!(
            "Error: expected 'id' or 'pinned', got: '{w}'?"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_as_strtoul_base_0() {
        assert_eq!(parse_id("42").unwrap(), 42);
        assert_eq!(parse_id("0x2a").unwrap(), 42);
        assert_eq!(parse_id("052").unwrap(), 42);
        assert_eq!(parse_id("0").unwrap(), 0);
        assert_eq!(
            parse_id("4x").unwrap_err().message,
            "Error: can't parse 4x as ID"
        );
        assert!(parse_id("4294967296").is_err());
    }

    #[test]
    fn tags_are_sixteen_hex_digits() {
        assert_eq!(
            parse_tag("deadbeef00010203").unwrap(),
            [0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3]
        );
        for bad in ["deadbeef", "deadbeef000102030", "zzadbeef00010203", "é"] {
            assert_eq!(
                parse_tag(bad).unwrap_err().message,
                "Error: can't parse tag",
                "{bad}"
            );
        }
    }

    #[test]
    fn handles_refused_in_bpftools_words() {
        let w = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            programs(&w(&["idx", "1"])).err().unwrap().message,
            "Error: expected 'id', 'tag', 'name' or 'pinned', got: 'idx'?"
        );
        assert_eq!(
            maps(&w(&["tag", "1"])).err().unwrap().message,
            "Error: expected 'id', 'name' or 'pinned', got: 'tag'?"
        );
        assert_eq!(
            maps(&w(&["name", "sixteen_bytes_xx"]))
                .err()
                .unwrap()
                .message,
            "Error: can't parse name"
        );
        assert_eq!(
            link(&w(&["pinned"])).err().unwrap().message,
            "Error: expected a value after 'pinned'"
        );
    }
}
