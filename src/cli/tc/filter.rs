//! `tc filter add|replace|change|del|show dev DEV ingress|egress [pref N]
//! [protocol P] [handle H] bpf ...` in tc's word orders (`bpf da pinned
//! PATH`, `bpf object-pinned PATH da`, ...). rawnet's additions: `bpf id N`
//! (the loaded program with that id) and `name NAME` (`TCA_BPF_NAME`; tc
//! sends `FILE:[*fsobj]` for a pinned program, and so does rawnet).
//! Classic BPF (`bytecode`), ELF objects (`object-file`), actions and
//! policers are not supported.

use rawnet::route::tc::{self as rtc, BpfFilter, Direction, FilterSelector, Mode};

use super::super::change::{self, Change, Devices};
use super::super::ifname::link_index;
use super::super::output::{warn_if_interrupted, Stream};
use super::super::{matches, CliError, Context};
use super::print::{print_filter, Names, Shown};
use super::programs::{Programs, Source};
use super::{parse_u32, protocol_number};

/// `tc filter help`: what rawnet takes, on standard error (tc prints its
/// usage there and exits 0).
const USAGE: &str = "\
Usage: tc filter [ add | del | change | replace | show ] dev STRING
       [ pref PRIO ] [ protocol PROTO ] [ ingress | egress ]
       [ handle FILTERID ] [ bpf OPTIONS ]
       tc filter show [ dev STRING ] [ ingress | egress ] [ pref PRIO ] [ protocol PROTO ]
OPTIONS := [ da | direct-action ] { pinned PATH | object-pinned PATH | fd PATH | id ID } [ name NAME ]
FILTER_TYPE := { bpf }   (rawnet's subset)
";

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let Some((cmd, rest)) = args.split_first() else {
        return show(ctx, &[]);
    };
    let c = cmd.as_str();
    if let Some(mode) = change_op(c) {
        modify(ctx, mode, rest)
    } else if matches(c, "list") || matches(c, "show") || matches(c, "lst") {
        show(ctx, rest)
    } else if matches(c, "help") {
        super::super::output::to_stderr(USAGE);
        Ok(0)
    } else {
        Err(CliError::usage(format!(
            "Command \"{cmd}\" is unknown, try \"tc filter help\"."
        )))
    }
}

/// The change a filter command makes: `Some(Some(mode))` for add, change
/// and replace, `Some(None)` for delete; `None` for any other command.
pub(crate) fn change_op(cmd: &str) -> Option<Option<Mode>> {
    if matches(cmd, "add") {
        Some(Some(Mode::Add))
    } else if matches(cmd, "change") {
        Some(Some(Mode::Change))
    } else if matches(cmd, "replace") {
        Some(Some(Mode::Replace))
    } else if matches(cmd, "delete") {
        Some(None)
    } else {
        None
    }
}

fn incomplete() -> CliError {
    CliError::usage("Command line is not complete. Try option \"help\"")
}

fn invarg(msg: &str, word: &str) -> CliError {
    CliError::usage(format!("Error: argument \"{word}\" is wrong: {msg}"))
}

fn duparg(key: &str, word: &str) -> CliError {
    CliError::usage(format!(
        "Error: duplicate \"{key}\": \"{word}\" is the second value."
    ))
}

fn duplicate_parent(word: &str) -> CliError {
    CliError::usage(format!("Error: \"{word}\" is duplicate parent ID"))
}

/// The words before the classifier's kind, as `tc_filter_modify` and
/// `tc_filter_list` read them.
#[derive(Default)]
struct Head<'a> {
    dev: Option<&'a str>,
    parent: Option<u32>,
    handle: Option<&'a str>,
    priority: Option<u16>,
    protocol: Option<u16>,
    kind: Option<&'a str>,
}

fn parse_head<'a>(args: &'a [String], list: bool) -> Result<(Head<'a>, &'a [String]), CliError> {
    let mut h = Head::default();
    let mut i = 0;
    let next = |i: &mut usize| -> Result<&'a str, CliError> {
        *i += 1;
        args.get(*i).map(String::as_str).ok_or_else(incomplete)
    };
    while let Some(w) = args.get(i) {
        let w = w.as_str();
        match w {
            "dev" => {
                let d = next(&mut i)?;
                if h.dev.is_some() {
                    return Err(duparg("dev", d));
                }
                h.dev = Some(d);
            }
            "root" | "ingress" | "egress" => {
                if h.parent.is_some() {
                    return Err(duplicate_parent(w));
                }
                h.parent = Some(match w {
                    "root" => rtc::TC_H_ROOT,
                    "ingress" => Direction::Ingress.parent(),
                    _ => Direction::Egress.parent(),
                });
            }
            "parent" => {
                let p = next(&mut i)?;
                if h.parent.is_some() {
                    return Err(duparg("parent", p));
                }
                h.parent = Some(match p {
                    "ffff:fff2" => Direction::Ingress.parent(),
                    "ffff:fff3" => Direction::Egress.parent(),
                    "root" => rtc::TC_H_ROOT,
                    _ => return Err(invarg("Invalid parent ID", p)),
                });
            }
            "handle" => {
                let v = next(&mut i)?;
                if h.handle.is_some() {
                    return Err(duparg("handle", v));
                }
                h.handle = Some(v);
            }
            _ if matches(w, "preference") || matches(w, "priority") => {
                let v = next(&mut i)?;
                if h.priority.is_some() {
                    return Err(duparg("priority", v));
                }
                let what = if list {
                    "invalid preference"
                } else {
                    "invalid priority value"
                };
                let p = parse_u32(v)
                    .and_then(|p| u16::try_from(p).ok())
                    .ok_or_else(|| invarg(what, v))?;
                h.priority = Some(p);
            }
            _ if matches(w, "protocol") => {
                let v = next(&mut i)?;
                if h.protocol.is_some() {
                    return Err(duparg("protocol", v));
                }
                h.protocol = Some(protocol_number(v).ok_or_else(|| invarg("invalid protocol", v))?);
            }
            _ if list => {
                return Err(CliError::usage(format!(
                    " What is \"{w}\"? Try \"tc filter help\""
                )))
            }
            _ => {
                h.kind = Some(w);
                return Ok((h, &args[i + 1..]));
            }
        }
        i += 1;
    }
    Ok((h, &[]))
}

/// `bpf_parse_opt` with `bpf_do_parse` for the pinned form.
struct BpfWords<'a> {
    source: Option<Source>,
    direct_action: bool,
    name: Option<&'a str>,
}

pub(super) fn unable() -> CliError {
    CliError::new(1, "Unable to parse bpf command line")
}

fn parse_bpf<'a>(args: &'a [String]) -> Result<BpfWords<'a>, CliError> {
    let mut b = BpfWords {
        source: None,
        direct_action: false,
        name: None,
    };
    let mut i = 0;
    while let Some(w) = args.get(i) {
        let w = w.as_str();
        let value = |i: usize| args.get(i + 1).map(String::as_str).ok_or_else(incomplete);
        if matches(w, "direct-action") || matches(w, "da") {
            b.direct_action = true;
        } else if w == "name" {
            b.name = Some(value(i)?);
            i += 1;
        } else if w == "id" && b.source.is_none() {
            b.source = Some(Source::Id(value(i)?.to_string()));
            i += 1;
        } else if matches(w, "skip_hw") || matches(w, "skip_sw") {
            return Err(CliError::usage(format!("tc: \"{w}\" is not supported")));
        } else if b.source.is_none() {
            let w = if matches(w, "run") {
                i += 1;
                args.get(i).map(String::as_str).ok_or_else(incomplete)?
            } else {
                w
            };
            if matches(w, "object-pinned") || matches(w, "pinned") || matches(w, "fd") {
                b.source = Some(Source::Pinned(value(i)?.to_string()));
                i += 1;
                // `type cls` / `section S` may follow the file.
                while let Some(more) = args.get(i + 1).map(String::as_str) {
                    if (matches(more, "type") || matches(more, "section")) && args.len() > i + 2 {
                        i += 2;
                    } else if matches(more, "verbose") {
                        i += 1;
                    } else {
                        break;
                    }
                }
            } else if matches(w, "bytecode")
                || w == "bc"
                || matches(w, "bytecode-file")
                || w == "bcf"
                || matches(w, "object-file")
                || w == "obj"
            {
                return Err(CliError::new(
                    1,
                    format!("tc: \"{w}\" is not supported (pinned PATH or id N)"),
                ));
            } else {
                return Err(CliError::new(
                    1,
                    format!("What mode is \"{w}\"?\n{}", unable()),
                ));
            }
        } else {
            return Err(CliError::usage(format!("What is \"{w}\"?")));
        }
        i += 1;
    }
    Ok(b)
}

/// What tc adds to the kernel's refusal of a filter request.
const TALKING: &str = "We have an error talking to the kernel";

fn modify(ctx: &Context, mode: Option<Mode>, args: &[String]) -> Result<i32, CliError> {
    let mut programs = Programs::default();
    change::apply(ctx, |devices| prepare(mode, args, devices, &mut programs))
}

/// `tc filter add|replace|change|del ARGS` (`mode` `None`: delete) made
/// into its request: the device looked up in `devices`, the program opened
/// (or found open) in `programs`, which must stay open until the request
/// has been answered. The same parse for the command line and a batch.
pub(crate) fn prepare(
    mode: Option<Mode>,
    args: &[String],
    devices: &mut dyn Devices,
    programs: &mut Programs,
) -> Result<Change, CliError> {
    let (head, rest) = parse_head(args, false)?;
    let direction = match head.parent {
        Some(p) if p == Direction::Ingress.parent() => Direction::Ingress,
        Some(p) if p == Direction::Egress.parent() => Direction::Egress,
        _ => {
            return Err(CliError::usage(
                "tc: filters go on a clsact hook: ingress or egress",
            ))
        }
    };
    let Some(dev) = head.dev else {
        return Err(CliError::usage("tc: name the device: dev DEV"));
    };
    let handle = match head.handle {
        Some(h) => Some(parse_u32(h).ok_or_else(|| CliError::new(1, "Illegal \"handle\""))?),
        None => None,
    };
    if head.handle.is_some() && head.kind.is_none() {
        return Err(CliError::usage(
            "Must specify filter type when using \"handle\"",
        ));
    }
    if let Some(kind) = head.kind.filter(|&k| k != "bpf") {
        return Err(CliError::usage(format!(
            "tc: filter kind \"{kind}\" is not supported (bpf)"
        )));
    }
    let index = devices.index(dev)?;
    let Some(mode) = mode else {
        let selector = FilterSelector {
            priority: head.priority.unwrap_or(0),
            protocol: head.protocol.unwrap_or(0),
            handle: handle.unwrap_or(0),
            kind: head.kind.map(str::to_string),
        };
        let request = rtc::delete_filters_request(index, direction, &selector)?;
        return Ok(Change::new(request).noting_refusal(TALKING));
    };
    let words = parse_bpf(rest)?;
    let Some(source) = &words.source else {
        return Err(CliError::usage(
            "tc: bpf needs a program: pinned PATH or id N",
        ));
    };
    // tc names a pinned program `FILE:[*fsobj]`.
    let name = match source {
        Source::Pinned(path) => {
            let base = path.rsplit('/').next().unwrap_or(path);
            Some(format!("{base}:[*fsobj]"))
        }
        Source::Id(_) => None,
    };
    let program = programs.get(source)?;
    let mut filter = BpfFilter::new(program);
    filter.name = words.name.map(str::to_string).or(name);
    filter.direct_action = words.direct_action;
    filter.priority = head.priority.unwrap_or(0);
    filter.handle = handle.unwrap_or(0);
    // tc defaults the protocol to `all` only when it may create (add, replace).
    filter.protocol = match (head.protocol, mode) {
        (Some(p), _) => p,
        (None, Mode::Change) => 0,
        (None, _) => rtc::ETH_P_ALL,
    };
    let request = rtc::bpf_filter_request(mode, index, direction, &filter)?;
    Ok(Change::new(request).noting_refusal(TALKING))
}

fn show(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let (head, _) = parse_head(args, true)?;
    let mut conn = ctx.rtnl()?;
    let index = match head.dev {
        Some(d) => link_index(&mut conn, d)?,
        None => 0,
    };
    let parent = head.parent.unwrap_or(0);
    let shown = Shown {
        dev_given: index != 0,
        parent,
        priority: head.priority.unwrap_or(0),
        protocol: head.protocol.unwrap_or(0),
    };
    let mut names = Names::new(ctx, &conn, index == 0)?;
    let mut out = Stream::new(ctx);
    // As tc: the kernel picks the preference and protocol (`tcm_info`).
    let request =
        rtc::dump_filters_matching_request(index, parent, shown.priority, shown.protocol)?;
    let status = rtc::for_each_filter(&mut conn, request, |f| {
        print_filter(ctx, &mut names, &mut out, f, &shown)
    })?;
    out.finish()?;
    warn_if_interrupted(status);
    Ok(0)
}
