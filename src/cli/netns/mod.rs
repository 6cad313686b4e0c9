//! `rawnet netns`: named network namespaces with `ip netns`'s grammar, messages
//! and exit codes. This file dispatches and owns the commands that change
//! names and ids (add, attach, delete, set); `list.rs` prints names and ids,
//! `process.rs` maps processes to names (identify, pids), `exec.rs` runs
//! programs inside.
//!
//! Like iproute2, `-n NAME` is entered before anything else, and a second
//! word that is not a valid namespace name is refused before the command is
//! looked at (`Invalid netns name "../x"`, exit 255; not under `-all`).

mod exec;
pub(super) mod list;
mod process;

use rawnet::ns::{self, NetNs};

use super::arg_errors::{invalid_arg, unknown_command, usage_error};
use super::numbers::get_integer;
use super::os_args::unescape;
use super::{matches, CliError, Context};

const USAGE: &str = "\
Usage:	rawnet netns list
	rawnet netns add NAME
	rawnet netns attach NAME PID
	rawnet netns set NAME NETNSID
	rawnet [-all] netns delete [NAME]
	rawnet netns identify [PID]
	rawnet netns pids NAME
	rawnet [-all] netns exec [NAME] cmd ...
	rawnet netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]
NETNSID := auto | POSITIVE-INT
";

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    // `ip -n NAME` switches before it reads the command.
    let selected = ctx.namespace()?;
    let Some(cmd) = args.first().map(String::as_str) else {
        return list::list(ctx);
    };
    if !ctx.all {
        if let Some(name) = args.get(1) {
            if ns::validate_name(unescape(name)).is_err() {
                return Err(CliError::usage(format!("Invalid netns name \"{name}\"")));
            }
        }
    }
    let rest = &args[1..];
    // iproute2's order decides what a prefix means: `s` is show, `l` list.
    if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        list::list(ctx)
    } else if matches(cmd, "list-id") {
        list::list_id(ctx, rest)
    } else if matches(cmd, "help") {
        Err(usage_error(USAGE))
    } else if matches(cmd, "add") {
        ns::add_named(unescape(name_arg(rest)?)).map_err(CliError::from)?;
        Ok(0)
    } else if matches(cmd, "set") {
        set(ctx, rest)
    } else if matches(cmd, "delete") {
        delete(ctx, rest)
    } else if matches(cmd, "identify") {
        process::identify(selected, rest)
    } else if matches(cmd, "pids") {
        process::pids(rest)
    } else if matches(cmd, "exec") {
        exec::exec(ctx, rest)
    } else if matches(cmd, "attach") {
        attach(rest)
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

/// `delete NAME`, or with `-all` every named namespace: iproute2 stops at the
/// first that fails (after saying why) and still exits 0.
fn delete(ctx: &Context, rest: &[String]) -> Result<i32, CliError> {
    if !ctx.all {
        ns::delete_named(unescape(name_arg(rest)?)).map_err(CliError::from)?;
        return Ok(0);
    }
    for name in ns::list_named().map_err(CliError::from)? {
        if let Err(e) = ns::delete_named(&name) {
            super::output::to_stderr(&format!("{}\n", CliError::from(e)));
            break;
        }
    }
    Ok(0)
}

/// `attach NAME PID`: name the namespace of a running process.
fn attach(rest: &[String]) -> Result<i32, CliError> {
    let [name, pid, ..] = rest else {
        return Err(CliError::new(1, "No netns name and PID specified"));
    };
    let pid = get_integer(pid)
        .filter(|&p| p != 0)
        .ok_or_else(|| CliError::new(1, format!("Invalid PID: {pid}")))?;
    ns::attach_named(unescape(name), pid).map_err(CliError::from)?;
    Ok(0)
}

/// `set NAME NSID|auto`: give the named namespace an id in the current one
/// (words after the id are ignored, as iproute2 ignores them).
fn set(ctx: &Context, rest: &[String]) -> Result<i32, CliError> {
    let name = name_arg(rest)?;
    let Some(word) = rest.get(1) else {
        return Err(CliError::new(1, "No nsid specified"));
    };
    let nsid = if word == "auto" {
        None
    } else {
        let id = get_integer(word).ok_or_else(|| invalid_arg(word, "Invalid \"netnsid\" value"))?;
        let id =
            u32::try_from(id).map_err(|_| invalid_arg(word, "\"netnsid\" value should be >= 0"))?;
        Some(id)
    };
    let target = NetNs::open_named(unescape(name)).map_err(|e| {
        CliError::new(
            1,
            format!(
                "Cannot open network namespace \"{name}\": {}",
                super::io_reason(&e)
            ),
        )
    })?;
    let mut conn = ctx.rtnl()?;
    ns::set_nsid(&mut conn, &target, nsid).map_err(CliError::from)?;
    Ok(0)
}
