//! `rawnet bpf`: eBPF programs and maps as bpftool shows them.
//!
//! ```text
//! bpf prog load FILE.s type { xdp | tc | socket } [ name NAME ] [ pin PATH ] [ log ]
//! bpf prog { show | list } [ PROG ]
//! bpf prog dump [ xlated ] PROG
//! bpf prog pin PROG FILE
//! bpf map { show | list } [ MAP ]
//! bpf map dump MAP
//! bpf map lookup MAP key [ hex ] BYTES...
//! bpf map update MAP key [ hex ] BYTES... value [ hex ] BYTES... [ any | exist | noexist ]
//! bpf map delete MAP key [ hex ] BYTES...
//! bpf map pin MAP FILE
//! bpf link { show | list } [ LINK ]
//! bpf link detach LINK
//! bpf link pin LINK FILE
//! bpf net attach ATTACH_TYPE PROG dev DEV [ overwrite | prepend ]
//! bpf net detach ATTACH_TYPE dev DEV
//! bpf net { show | list } [ dev DEV ]
//! PROG := { id N | tag TAG | name NAME | pinned PATH }
//! MAP := { id N | name NAME | pinned PATH }
//! LINK := { id N | pinned PATH }
//! ATTACH_TYPE := { xdp | xdpgeneric | xdpdrv | xdpoffload | tcx_ingress | tcx_egress }
//! ```
//!
//! Every failure exits 255 (bpftool's -1), its line on standard error or,
//! with `-j`, bpftool's `{"error":"..."}` on standard output: see
//! [`bpftool_error`], the one place that decides.
//!
//! The handles (`id`, `tag`, `name`, `pinned`): `select.rs`.
//! Loading: `load.rs`; programs shown and dumped: `prog.rs`; maps: `map.rs`;
//! what both print about a descriptor (`memlock`, load time): `fdinfo.rs`;
//! links: `link.rs`; programs at a device's hooks (xdp, tcx): `net/`; the
//! devices of the `-n` namespace both name: `devices.rs`.

mod devices;
mod fdinfo;
mod link;
mod load;
mod map;
mod net;
mod pin;
mod prog;
mod prog_dump;
mod select;
mod show;

use super::output::{self, Json};
use super::{matches, CliError, Context};

pub(super) const USAGE: &str = "\
Usage: rawnet bpf prog load FILE.s type { xdp | tc | socket } [ name NAME ] [ pin PATH ] [ log ]
       rawnet bpf prog { show | list } [ PROG ]
       rawnet bpf prog dump [ xlated ] PROG
       rawnet bpf prog pin PROG FILE
       rawnet bpf map { show | list } [ MAP ]
       rawnet bpf map dump MAP
       rawnet bpf map lookup MAP key [ hex ] BYTES
       rawnet bpf map update MAP key [ hex ] BYTES value [ hex ] BYTES [ UPDATE_FLAGS ]
       rawnet bpf map delete MAP key [ hex ] BYTES
       rawnet bpf map pin MAP FILE
       rawnet bpf link { show | list } [ LINK ]
       rawnet bpf link detach LINK
       rawnet bpf link pin LINK FILE
       rawnet bpf net attach ATTACH_TYPE PROG dev DEV [ overwrite | prepend ]
       rawnet bpf net detach ATTACH_TYPE dev DEV
       rawnet bpf net { show | list } [ dev DEV ]
PROG := { id ID | tag TAG | name NAME | pinned PATH }
MAP := { id ID | name NAME | pinned PATH }
LINK := { id ID | pinned PATH }
ATTACH_TYPE := { xdp | xdpgeneric | xdpdrv | xdpoffload | tcx_ingress | tcx_egress }
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

/// A command word of `bpf OBJECT` that none of OBJECT's commands took:
/// `help` prints the usage; any other is bpftool's unknown command.
fn help_or_unknown(cmd: &str) -> Result<i32, CliError> {
    if matches(cmd, "help") {
        output::print(USAGE)?;
        return Ok(0);
    }
    Err(fail(format!(
        "Error: unknown command \"{cmd}\", try \"rawnet bpf help\""
    )))
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

/// The status of a bpftool command that returns `-errno` rather than -1
/// (`net attach|detach`, a `map lookup` miss): `-errno` as an exit status.
fn errno_status(errno: i32) -> i32 {
    (-errno).rem_euclid(256)
}

/// `e` as a command that returns `-errno` ends: a plain failure (255)
/// becomes `errno`'s status; a status already set (a kernel refusal's
/// own errno) and a closed pipe stay.
fn with_errno(e: CliError, errno: i32) -> CliError {
    if e.code != EXIT_BPFTOOL_ERROR || e.broken_pipe || e.write_failed {
        return e;
    }
    CliError {
        code: errno_status(errno),
        ..e
    }
}

/// The one place a `rawnet bpf` failure becomes what bpftool shows and
/// returns: exit 255 (bpftool's -1) for a library error, a usage error or
/// a refusal, or the `-errno` status the few commands that return one
/// chose ([`with_errno`]); the line on standard error, or with `-j` bpftool's
/// `p_err` object on standard output instead: `{"error":"..."}` (the
/// `Error: ` prefix dropped; unlike bpftool's `jsonw_vprintf_enquote`,
/// quotes and control characters in the text are escaped, so the output
/// stays JSON). A closed pipe and a successful early end pass unchanged.
fn bpftool_error(ctx: &Context, e: CliError) -> CliError {
    if e.broken_pipe || e.write_failed || e.code == 0 {
        return e;
    }
    // iproute2-style codes of library errors (1, 2) become bpftool's -1;
    // a `-errno` status a command chose stays.
    let code = if e.code == 1 || e.code == 2 {
        EXIT_BPFTOOL_ERROR
    } else {
        e.code
    };
    if ctx.json && !e.message.is_empty() {
        let text = e.message.trim_end_matches('\n');
        let text = text.strip_prefix("Error: ").unwrap_or(text);
        if let Err(w) = output::print(&error_object(text, ctx.pretty)) {
            return w;
        }
        return CliError::new(code, "");
    }
    CliError { code, ..e }
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

/// A library error as one line (`Error: ...`).
fn lib_error(e: rawnet::Error) -> CliError {
    fail(format!("Error: {}", super::error_words::text(&e)))
}
