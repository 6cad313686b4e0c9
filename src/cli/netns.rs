//! `rawnet netns`: named network namespaces with `ip netns`'s grammar, messages
//! and exit codes (add, delete, list/show, exec, identify, help).
//!
//! Like iproute2, a second word that is not a valid namespace name is refused
//! before the command is looked at (`Invalid netns name "../x"`, exit 255).

use std::ffi::OsString;

use rawnet::ns;

use super::arg_errors::{unknown_command, usage_error};
use super::output::Json;
use super::{io_reason, matches, CliError, Context};

const USAGE: &str = "\
Usage:	rawnet netns list
	rawnet netns add NAME
	rawnet netns delete NAME
	rawnet netns identify [PID]
	rawnet netns exec NAME cmd ...
";

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let Some(cmd) = args.first().map(String::as_str) else {
        return list(ctx);
    };
    if let Some(name) = args.get(1) {
        if ns::validate_name(name).is_err() {
            return Err(CliError::usage(format!("Invalid netns name \"{name}\"")));
        }
    }
    let rest = &args[1..];
    if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        list(ctx)
    } else if matches(cmd, "help") {
        Err(usage_error(USAGE))
    } else if matches(cmd, "add") {
        ns::add_named(name_arg(rest)?).map_err(CliError::from)?;
        Ok(0)
    } else if matches(cmd, "delete") {
        ns::delete_named(name_arg(rest)?).map_err(CliError::from)?;
        Ok(0)
    } else if matches(cmd, "identify") {
        identify(rest)
    } else if matches(cmd, "exec") {
        exec(rest)
    } else {
        Err(unknown_command("netns", cmd))
    }
}

/// The NAME argument, or iproute2's complaint (exit 1).
fn name_arg(rest: &[String]) -> Result<&str, CliError> {
    rest.first()
        .map(String::as_str)
        .ok_or_else(|| CliError::new(1, "No netns name specified"))
}

fn list(ctx: &Context) -> Result<i32, CliError> {
    let names = ns::list_named().map_err(CliError::from)?;
    if ctx.json {
        let mut j = Json::new(ctx.pretty);
        j.begin_array();
        for name in &names {
            j.begin_object();
            j.str("name", name);
            j.end_object();
        }
        j.end_array();
        super::output::print(&j.finish())?;
    } else {
        let text: String = names.iter().map(|n| format!("{n}\n")).collect();
        super::output::print(&text)?;
    }
    Ok(0)
}

fn identify(rest: &[String]) -> Result<i32, CliError> {
    if rest.len() > 1 {
        return Err(CliError::new(1, "extra arguments specified"));
    }
    let pid = match rest.first() {
        None => std::process::id(),
        Some(s) => s
            .parse::<u32>()
            .map_err(|_| CliError::new(1, format!("Specified string '{s}' is not a pid")))?,
    };
    let names = ns::identify(pid).map_err(|e| {
        CliError::new(
            1,
            format!("Cannot open network namespace: {}", io_reason(&e)),
        )
    })?;
    let text: String = names.iter().map(|n| format!("{n}\n")).collect();
    super::output::print(&text)?;
    Ok(0)
}

/// `exec NAME CMD...`: returns only on failure. The CLI is single-threaded here,
/// which `enter_named_for_exec` needs.
fn exec(rest: &[String]) -> Result<i32, CliError> {
    let name = name_arg(rest)?;
    let argv: Vec<OsString> = rest[1..].iter().map(OsString::from).collect();
    if argv.is_empty() {
        return Err(CliError::new(1, "No command specified"));
    }
    for warning in ns::enter_named_for_exec(name).map_err(CliError::from)? {
        super::output::to_stderr(&format!("{}\n", CliError::from(warning)));
    }
    Err(CliError::from(ns::exec(&argv)))
}
