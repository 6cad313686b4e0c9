//! `netns exec NAME CMD...` (become CMD inside NAME, as `ip netns exec`) and
//! `-all netns exec CMD...` (run CMD once in every named namespace).
//!
//! Exit codes are iproute2's: a missing name or command is 1, a namespace that
//! cannot be entered 255, a program that cannot be started 1; otherwise the
//! program's own status. Under `-all` each program runs in a child (this
//! binary again, as `rawnet netns exec NAME CMD...`, so the switch happens in
//! a fresh single-threaded process) after a `\nnetns: NAME` line; their
//! statuses are not looked at, but one killed by a signal ends the loop with
//! exit 1, as in iproute2.

use std::ffi::OsString;
use std::process::Command;

use rawnet::ns;

use super::super::output::{print, to_stderr};
use super::super::{CliError, Context};
use super::name_arg;
use crate::cli::os_args::{escape, unescape};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

pub fn exec(ctx: &Context, rest: &[String]) -> Result<i32, CliError> {
    if ctx.all {
        return exec_all(rest);
    }
    let name = name_arg(rest)?;
    let argv: Vec<OsString> = rest[1..]
        .iter()
        .map(|a| OsString::from_vec(unescape(a).into_owned()))
        .collect();
    if argv.is_empty() {
        return Err(CliError::new(1, "No command specified"));
    }
    // The CLI is single-threaded here, which `enter_named_for_exec` needs.
    let warnings = ns::enter_named_for_exec(unescape(name)).map_err(|e| CliError {
        code: 255,
        ..CliError::from(e)
    })?;
    for warning in warnings {
        to_stderr(&format!("{}\n", CliError::from(warning)));
    }
    Err(CliError::from(ns::exec(&argv)))
}

fn exec_all(argv: &[String]) -> Result<i32, CliError> {
    if argv.is_empty() {
        return Err(CliError::new(1, "No command specified"));
    }
    let me = std::env::current_exe()
        .map_err(|e| CliError::new(1, format!("fork: cannot find this program: {e}")))?;
    for name in ns::list_named().map_err(CliError::from)? {
        print(&format!("\nnetns: {}\n", escape(&name)))?;
        let status = Command::new(&me)
            .args(["netns", "exec"])
            .arg(std::ffi::OsStr::from_bytes(&name))
            .args(
                argv.iter()
                    .map(|a| OsString::from_vec(unescape(a).into_owned())),
            )
            .status()
            .map_err(|e| CliError::new(1, format!("fork: {e}")))?;
        if status.code().is_none() {
            return Err(CliError::new(1, ""));
        }
    }
    Ok(0)
}
