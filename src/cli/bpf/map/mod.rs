//! `rawnet bpf map`: maps and their entries as bpftool prints them. The
//! command words are read here; a map shown (`show_map_close_*`):
//! `show.rs`; an entry's layout (`print_entry_*`, per-CPU values, hex):
//! `entry.rs`; every entry of a map: `dump.rs`; lookup, update and delete
//! with the bytes they read: `edit.rs`.

mod dump;
mod edit;
mod entry;
mod show;

use super::{fail, CliError, Context};
use crate::cli::matches;

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let Some((cmd, rest)) = args.split_first() else {
        return show::show(ctx, &[]);
    };
    if matches(cmd, "show") || matches(cmd, "list") {
        show::show(ctx, rest)
    } else if matches(cmd, "dump") {
        dump::dump(ctx, rest)
    } else if matches(cmd, "lookup") {
        edit::lookup(ctx, rest)
    } else if matches(cmd, "update") {
        edit::update(ctx, rest)
    } else if matches(cmd, "delete") {
        edit::delete(ctx, rest)
    } else if matches(cmd, "pin") {
        super::pin::run(ctx, rawnet::bpf::Kind::Map, rest)
    } else {
        super::help_or_unknown(cmd)
    }
}

/// No word may follow: bpftool's `unexpected "WORD"` for the first.
fn no_more(rest: &[String]) -> Result<(), CliError> {
    match rest.first() {
        Some(w) => Err(fail(format!("Error: unexpected \"{w}\""))),
        None => Ok(()),
    }
}

/// A map's info for the layout tests: its type and sizes, the rest plain.
#[cfg(test)]
fn test_info(
    map_type: rawnet::bpf::MapType,
    key_size: u32,
    value_size: u32,
) -> rawnet::bpf::MapInfo {
    rawnet::bpf::MapInfo {
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
