//! `rawnet bpf { prog | map | link } pin HANDLE FILE`: an object that
//! exists pinned on a bpffs, as bpftool's `do_pin_any` / `do_pin_fd`. The
//! path is checked first as `prog load ... pin` checks it
//! ([`rawnet::bpf::check_pin_path`]: nothing there yet, its directory on a
//! bpffs); rawnet mounts no bpffs where there is none (bpftool would).

use std::path::Path;

use rawnet::bpf::Kind;

use super::{fail, lib_error, select, CliError, Context};
use crate::cli::{io_reason, output};

pub fn run(ctx: &Context, kind: Kind, args: &[String]) -> Result<i32, CliError> {
    // bpftool's REQ_ARGS(3).
    if args.len() < 3 {
        return Err(fail(format!(
            "Error: 'pin' needs at least 3 arguments, {} found",
            args.len()
        )));
    }
    let pinned = |r: rawnet::Result<()>, file: &str| {
        r.map_err(|e| {
            fail(format!(
                "Error: can't pin the object ({file}): {}",
                io_reason(&e)
            ))
        })
    };
    let file = |rest: &[String]| -> Result<String, CliError> {
        match rest {
            [file] => {
                rawnet::bpf::check_pin_path(Path::new(file)).map_err(lib_error)?;
                Ok(file.clone())
            }
            [] => Err(fail("Error: expected FILE")),
            [_, w, ..] => Err(fail(format!("Error: unexpected \"{w}\""))),
        }
    };
    match kind {
        Kind::Program => {
            let (p, rest) = select::program(args)?;
            let f = file(rest)?;
            pinned(p.pin(&f), &f)?;
        }
        Kind::Map => {
            let (m, rest) = select::map(args)?;
            let f = file(rest)?;
            pinned(m.pin(&f), &f)?;
        }
        Kind::Link => {
            let (l, rest) = select::link(args)?;
            let f = file(rest)?;
            pinned(l.pin(&f), &f)?;
        }
    }
    if ctx.json {
        output::print("null\n")?;
    }
    Ok(0)
}
