//! `tc qdisc add|replace|change|del dev DEV { clsact | ingress }` and
//! `tc qdisc show [dev DEV]` (every qdisc the kernel reports, options of
//! kinds other than clsact and ingress not decoded).

use rawnet::route::tc::{self as rtc, HookQdisc, Mode};

use super::super::change::{self, Change, Devices};
use super::super::ifname::link_index;
use super::super::output::{warn_if_interrupted, Stream};
use super::super::{matches, CliError, Context};
use super::print::{print_qdisc, Names};

/// `tc qdisc help`: what rawnet takes, on standard error (tc prints its
/// usage there and exits 0).
const USAGE: &str = "\
Usage: tc qdisc [ add | del | replace | change | show ] dev STRING
       [ root | ingress | clsact ]
       tc qdisc show [ dev STRING ] [ root | ingress | clsact ]
QDISC_KIND := { clsact | ingress }   (rawnet's subset)
";

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let Some((cmd, rest)) = args.split_first() else {
        return show(ctx, &[]);
    };
    let c = cmd.as_str();
    if let Some((kind, mode)) = change_op(c) {
        change::apply(ctx, |devices| prepare(kind, mode, rest, devices))
    } else if matches(c, "list") || matches(c, "show") || matches(c, "lst") {
        show(ctx, rest)
    } else if matches(c, "help") {
        super::super::output::to_stderr(USAGE);
        Ok(0)
    } else {
        Err(CliError::usage(format!(
            "Command \"{cmd}\" is unknown, try \"tc qdisc help\"."
        )))
    }
}

/// The message type and mode of a qdisc command that changes something
/// (add, change, replace, delete); `None` for any other command.
pub(crate) fn change_op(cmd: &str) -> Option<(u16, Mode)> {
    if matches(cmd, "add") {
        Some((rtc::RTM_NEWQDISC, Mode::Add))
    } else if matches(cmd, "change") {
        Some((rtc::RTM_NEWQDISC, Mode::Change))
    } else if matches(cmd, "replace") {
        Some((rtc::RTM_NEWQDISC, Mode::Replace))
    } else if matches(cmd, "delete") {
        Some((rtc::RTM_DELQDISC, Mode::Add))
    } else {
        None
    }
}

/// `tc qdisc add|change|replace|del ARGS` made into its request, the
/// device looked up in `devices` (the command line and a batch alike).
pub(crate) fn prepare(
    kind: u16,
    mode: Mode,
    args: &[String],
    devices: &mut dyn Devices,
) -> Result<Change, CliError> {
    let mut dev: Option<&str> = None;
    let mut qdisc = None;
    let mut it = args.iter();
    while let Some(w) = it.next() {
        match w.as_str() {
            "dev" => {
                let Some(d) = it.next() else {
                    return Err(incomplete());
                };
                if dev.is_some() {
                    return Err(CliError::usage(format!(
                        "Error: duplicate \"dev\": \"{d}\" is the second value."
                    )));
                }
                dev = Some(d);
            }
            "clsact" | "ingress" if qdisc.is_none() => {
                qdisc = Some(if w == "clsact" {
                    HookQdisc::Clsact
                } else {
                    HookQdisc::Ingress
                });
                if let Some(extra) = it.next() {
                    return Err(CliError::usage(format!("What is \"{extra}\"?")));
                }
            }
            other => {
                return Err(CliError::usage(format!(
                    "tc: qdisc \"{other}\" is not supported (clsact, ingress)"
                )))
            }
        }
    }
    let Some(qdisc) = qdisc else {
        return Err(CliError::usage("tc: name a qdisc (clsact or ingress)"));
    };

    let index = match dev {
        Some(d) => devices.index(d)?,
        None => 0,
    };
    Ok(Change::new(rtc::hook_qdisc_request(
        kind, mode, index, qdisc,
    )?))
}

fn incomplete() -> CliError {
    CliError::usage("Command line is not complete. Try option \"help\"")
}

fn show(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let mut dev: Option<&str> = None;
    let mut parent = None;
    let mut it = args.iter();
    while let Some(w) = it.next() {
        match w.as_str() {
            "dev" => dev = Some(it.next().ok_or_else(incomplete)?),
            "root" => parent = Some(rtc::TC_H_ROOT),
            "ingress" | "clsact" => parent = Some(rtc::TC_H_INGRESS),
            _ => {
                return Err(CliError::usage(format!(
                    "What is \"{w}\"? Try \"tc qdisc help\"."
                )))
            }
        }
    }
    let mut conn = ctx.rtnl()?;
    let index = match dev {
        Some(d) => link_index(&mut conn, d)?,
        None => 0,
    };
    let mut names = Names::new(ctx, &conn, index == 0)?;
    let mut out = Stream::new(ctx);
    let status = rtc::for_each_qdisc(&mut conn, rtc::dump_qdiscs_request(index)?, |q| {
        if (index != 0 && q.index != index) || parent.is_some_and(|p| p != q.parent) {
            return Ok(());
        }
        print_qdisc(ctx, &mut names, &mut out, q, index != 0)
    })?;
    out.finish()?;
    warn_if_interrupted(status);
    Ok(0)
}
