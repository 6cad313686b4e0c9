//! `rawnet bpf`: eBPF programs and maps as bpftool shows them.
//!
//! ```text
//! bpf prog load FILE.s type { xdp | tc | socket } [ name NAME ] [ pin PATH ] [ log ]
//! bpf prog { show | list } [ id N ]
//! bpf prog dump id N
//! bpf map { show | list } [ id N ]
//! bpf map dump id N
//! bpf map lookup id N key [ hex ] BYTES...
//! bpf map update id N key [ hex ] BYTES... value [ hex ] BYTES... [ any | exist | noexist ]
//! bpf map delete id N key [ hex ] BYTES...
//! bpf link { show | list } [ id N | pinned PATH ]
//! bpf link detach { id N | pinned PATH }
//! bpf net attach { tcx_ingress | tcx_egress } { id N | pinned PATH } dev DEV [ prepend ]
//! bpf net detach { tcx_ingress | tcx_egress } dev DEV
//! bpf net { show | list } [ dev DEV ]
//! ```
//!
//! Loading: `load.rs`; programs shown and dumped: `prog.rs`; maps: `map.rs`;
//! what both print about a descriptor (`memlock`, load time): `fdinfo.rs`;
//! links: `link.rs`; programs at a device's hooks (xdp, tcx): `net.rs`.

mod fdinfo;
mod link;
mod load;
mod map;
mod net;
mod prog;

use super::output;
use super::{matches, CliError, Context};

pub(super) const USAGE: &str = "\
Usage: rawnet bpf prog load FILE.s type { xdp | tc | socket } [ name NAME ] [ pin PATH ] [ log ]
       rawnet bpf prog { show | list } [ id ID ]
       rawnet bpf prog dump id ID
       rawnet bpf map { show | list } [ id ID ]
       rawnet bpf map dump id ID
       rawnet bpf map lookup id ID key [ hex ] BYTES
       rawnet bpf map update id ID key [ hex ] BYTES value [ hex ] BYTES [ UPDATE_FLAGS ]
       rawnet bpf map delete id ID key [ hex ] BYTES
       rawnet bpf link { show | list } [ id ID | pinned PATH ]
       rawnet bpf link detach { id ID | pinned PATH }
       rawnet bpf net attach { tcx_ingress | tcx_egress } { id ID | pinned PATH } dev DEV [ prepend ]
       rawnet bpf net detach { tcx_ingress | tcx_egress } dev DEV
       rawnet bpf net { show | list } [ dev DEV ]
UPDATE_FLAGS := { any | exist | noexist }
Without pin, a loaded program is freed when rawnet exits: load checks it
(with log, shows what the verifier said); pin PATH (on a bpffs) keeps it.
";

/// `rawnet bpf ...`.
pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let Some(object) = args.first() else {
        output::to_stderr(USAGE);
        return Err(CliError::usage(""));
    };
    let rest = &args[1..];
    if matches(object, "prog") || object == "program" {
        prog::run(ctx, rest)
    } else if matches(object, "map") {
        map::run(ctx, rest)
    } else if matches(object, "link") {
        link::run(ctx, rest)
    } else if matches(object, "net") {
        net::run(ctx, rest)
    } else if matches(object, "help") {
        output::print(USAGE)?;
        Ok(0)
    } else {
        Err(CliError::new(
            1,
            format!("Object \"{object}\" is unknown, try \"rawnet bpf help\"."),
        ))
    }
}

/// `id N`: the only selector rawnet takes for an existing object.
fn parse_id(args: &[String]) -> Result<(u32, &[String]), CliError> {
    match args {
        [w, n, rest @ ..] if w == "id" => n
            .parse::<u32>()
            .map(|id| (id, rest))
            .map_err(|_| CliError::new(1, format!("Error: can't parse \"{n}\" as ID"))),
        [w] if w == "id" => Err(CliError::new(1, "Error: expected ID after id")),
        [w, ..] => Err(CliError::new(
            1,
            format!("Error: expected 'id', got: '{w}'?"),
        )),
        [] => Err(CliError::new(1, "Error: expected 'id'")),
    }
}

/// A library error as one line (`Error: ...`), exit 1.
fn lib_error(e: rawnet::Error) -> CliError {
    CliError::new(1, format!("Error: {}", super::error_words::text(&e)))
}
