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

use super::output::{self, Json};
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

/// `rawnet bpf ...`: every failure goes out through [`bpftool_error`].
pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    run_object(ctx, args).map_err(|e| bpftool_error(ctx, e))
}

fn run_object(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let Some(object) = args.first() else {
        output::to_stderr(USAGE);
        return Err(fail(""));
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
        Err(fail(format!(
            "Object \"{object}\" is unknown, try \"rawnet bpf help\"."
        )))
    }
}

/// bpftool's exit status for every failure: its `do_*` functions return
/// -1, which `main` returns, so the process exits 255.
const EXIT_BPFTOOL_ERROR: i32 = 255;

/// A failed `rawnet bpf` command, its line as bpftool's `p_err` words it
/// (`Error: ...`); an empty line says nothing more (what was to be said is
/// out already).
fn fail(message: impl Into<String>) -> CliError {
    CliError::new(EXIT_BPFTOOL_ERROR, message)
}

/// The one place a `rawnet bpf` failure becomes what bpftool shows and
/// returns: exit 255 whatever the error was (a library error, a usage
/// error, a refusal); the line on standard error, or with `-j` bpftool's
/// `p_err` object on standard output instead: `{"error":"..."}` (the
/// `Error: ` prefix dropped; unlike bpftool's `jsonw_vprintf_enquote`,
/// quotes and control characters in the text are escaped, so the output
/// stays JSON). A closed pipe and a successful early end pass unchanged.
fn bpftool_error(ctx: &Context, e: CliError) -> CliError {
    if e.broken_pipe || e.code == 0 {
        return e;
    }
    if ctx.json && !e.message.is_empty() {
        let text = e.message.trim_end_matches('\n');
        let text = text.strip_prefix("Error: ").unwrap_or(text);
        if let Err(w) = output::print(&error_object(text, ctx.pretty)) {
            return w;
        }
        return fail("");
    }
    CliError {
        code: EXIT_BPFTOOL_ERROR,
        ..e
    }
}

/// bpftool's `p_err` with `-j`: `{"error":"TEXT"}`, then the newline of
/// `jsonw_destroy`.
fn error_object(text: &str, pretty: bool) -> String {
    let mut j = Json::bpftool(pretty);
    j.begin_object();
    j.str("error", text);
    j.end_object();
    j.finish()
}

/// bpftool's `usage()`: the help on standard error (`null` on standard
/// output with `-j`, as its `do_help`), exit 255.
fn usage_error(ctx: &Context) -> CliError {
    if ctx.json {
        if let Err(w) = output::print("null\n") {
            return w;
        }
        return fail("");
    }
    fail(USAGE.trim_end())
}

/// `id N`: the only selector rawnet takes for an existing object.
fn parse_id(args: &[String]) -> Result<(u32, &[String]), CliError> {
    match args {
        [w, n, rest @ ..] if w == "id" => n
            .parse::<u32>()
            .map(|id| (id, rest))
            .map_err(|_| fail(format!("Error: can't parse \"{n}\" as ID"))),
        [w] if w == "id" => Err(fail("Error: expected ID after id")),
        [w, ..] => Err(fail(format!("Error: expected 'id', got: '{w}'?"))),
        [] => Err(fail("Error: expected 'id'")),
    }
}

/// A library error as one line (`Error: ...`).
fn lib_error(e: rawnet::Error) -> CliError {
    fail(format!("Error: {}", super::error_words::text(&e)))
}
