//! `rawnet bpf prog load FILE.s type T [name NAME] [pin PATH] [log]`: the
//! file assembled, its maps created, the program loaded and (with `pin`)
//! pinned; its id printed, with `log` the verifier's log after it.
//!
//! Assembly errors are `FILE:LINE:COL: message`; a refusal prints the
//! verifier's log on standard error and `Error: ...` (both exit 255, as
//! every `rawnet bpf` failure: see `bpftool_error`). Nothing outlives a failure:
//! the maps and the program close with their descriptors.

use rawnet::bpf::asm;
use rawnet::bpf::loader::load_assembled;
use rawnet::bpf::{LogLevel, ProgramType};
use rawnet::Error;

use super::super::output;
use super::{fail, lib_error, CliError, Context};

/// The program type a `type` word names: rawnet's short words, or
/// bpftool's names (`sched_cls`, `socket_filter`).
fn program_type(word: &str) -> Option<ProgramType> {
    match word {
        "xdp" => Some(ProgramType::Xdp),
        "tc" => Some(ProgramType::SchedCls),
        "socket" => Some(ProgramType::SocketFilter),
        w => ProgramType::from_name(w),
    }
}

/// A program name the kernel takes (`[A-Za-z0-9_.]`, 15 bytes) from the
/// file's stem.
fn name_from_path(path: &str) -> String {
    let stem = std::path::Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("prog");
    stem.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .take(15)
        .collect()
}

pub fn run(_ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let Some((file, mut rest)) = args.split_first() else {
        return Err(fail("Error: expected FILE.s"));
    };
    let mut ty = None;
    let mut name = None;
    let mut pin = None;
    let mut log = false;
    while let Some((word, tail)) = rest.split_first() {
        rest = tail;
        let mut value = |what: &str| -> Result<&String, CliError> {
            let (v, tail) = rest
                .split_first()
                .ok_or_else(|| fail(format!("Error: {what} needs a value")))?;
            rest = tail;
            Ok(v)
        };
        match word.as_str() {
            "type" => {
                let w = value("type")?;
                ty = Some(program_type(w).ok_or_else(|| {
                    fail(format!(
                        "Error: unknown program type \"{w}\" (xdp, tc, socket)"
                    ))
                })?);
            }
            "name" => name = Some(value("name")?.clone()),
            "pin" => pin = Some(value("pin")?.clone()),
            "log" => log = true,
            w => return Err(fail(format!("Error: unknown keyword \"{w}\""))),
        }
    }
    let Some(ty) = ty else {
        return Err(fail("Error: expected type { xdp | tc | socket }"));
    };
    // A bad pin path is refused before anything is created.
    if let Some(path) = &pin {
        rawnet::bpf::check_pin_path(path).map_err(lib_error)?;
    }
    let source = std::fs::read_to_string(file)
        .map_err(|e| fail(format!("Error: can't read {file}: {e}")))?;
    let program = asm::assemble(&source)
        .map_err(|e| fail(format!("{file}:{}:{}: {}", e.line, e.column, e.kind)))?;
    let name = name.unwrap_or_else(|| name_from_path(file));
    let level = if log { LogLevel::Basic } else { LogLevel::Off };
    let loaded = match load_assembled(&program, ty, &name, level) {
        Ok(l) => l,
        Err(Error::Verifier { errno, log }) => {
            let mut text = log;
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            output::to_stderr(&text);
            return Err(fail(format!(
                "Error: the verifier refused the program: {}",
                rawnet::error::errno_text(errno)
            )));
        }
        Err(e) => return Err(lib_error(e)),
    };
    // Everything that can fail comes before the pin, which would outlive us.
    let info = loaded.program.info().map_err(lib_error)?;
    if let Some(path) = &pin {
        loaded.program.pin(path).map_err(lib_error)?;
    }
    let mut out = format!("{}\n", info.id);
    if log {
        out.push_str(loaded.program.log());
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    output::print(&out)?;
    Ok(0)
}
