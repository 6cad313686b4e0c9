//! `rawnet -batch FILE` (`-b FILE`, `-` for standard input): one command a
//! line in iproute2's format (`words.rs`), `-force` to go on after errors,
//! and, beyond iproute2, `-n NS` at the start of a line for that line.
//!
//! The same reader runs `rawnet tc -batch FILE` (and `tc -batch` when
//! rawnet runs as `tc`): lines in tc's grammar (`filter add dev ...`,
//! `qdisc add ...`, without the leading `tc`), tc's `-force`, tc's
//! `Command failed FILE:LINE` ([`Dialect`]).
//!
//! Unlike iproute2, which waits for each answer before it sends the next
//! request, rawnet pipelines: each line that is one change (`link`,
//! `address`, `route`, `rule`, `neighbour` add/set/change/replace/delete,
//! `tc qdisc|filter add|change|replace|delete`) is parsed
//! into its request (the same parse as the command line, `change.rs`) and
//! queued in a [`Pipeline`]: many requests to a datagram, each with its own
//! sequence number, answered only when it fails, each failure reported as
//! iproute2 reports it: the error, then `Command failed FILE:LINE`. Every
//! other command (`show`, `netns`, `ping`, ...) runs as on the command
//! line, after what is queued has been applied.
//!
//! A bad command line (exit status 255 on the command line: iproute2
//! `exit(-1)`s there, from inside the batch) ends the batch at once with
//! its message and 255, `-force` or not, after what came before it has
//! been applied.
//!
//! Device names are looked up once and remembered (`devices.rs`); a line
//! that needs a name an earlier line creates, renames, moves or deletes
//! waits for the queue to be applied first, then asks the kernel.
//!
//! The bpf programs tc lines name (`pinned PATH`, `id N`) are opened once
//! per distinct path or id and kept open ([`Programs`]) until the batch
//! ends, or until a command runs (it may pin another program there) or
//! many are open, each time once what is queued has been answered.
//!
//! Without `-force` the batch stops at the first failing line, as
//! iproute2's does; lines sent in the same datagram after it have already
//! been applied by then (at most 1,023 of them).

mod devices;
pub mod words;

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};

use rawnet::netlink::{Connection, Failure, Pipeline};
use rawnet::ns::NetNs;
use rawnet::Error;

use super::change::{Change, Devices};
use super::output::to_stderr;
use super::tc::Programs;
use super::{addr, link, matches, neigh, route, rule, tc, Args, CliError, Context};
use devices::{BatchDevices, Names};
use words::CommandLines;

/// Whose grammar the lines are in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `rawnet -batch`: ip's objects (`link add ...`), and rawnet's
    /// (`tc filter add ...`, `nft ...`).
    Rawnet,
    /// `rawnet tc -batch`, `tc -batch`: tc's objects (`filter add ...`).
    Tc,
}

/// Programs held open at most before the batch applies what is queued and
/// closes them (a batch naming 10,000 pins stays well under the limit of
/// open files).
const MAX_OPEN_PROGRAMS: usize = 256;

/// A line of the batch: its number and words.
#[derive(Clone, Copy)]
struct Line<'a> {
    number: usize,
    words: &'a [String],
}

/// A queued line, until its datagram has been answered.
struct InFlight {
    number: usize,
    /// The link the request names by name (for the message of `ENODEV`).
    names_link: Option<String>,
    /// Namespace files its request refers to by number.
    _keep_open: Vec<NetNs>,
    /// Programs its request refers to by number (`link set ... xdp`).
    _keep_programs: Vec<std::os::fd::OwnedFd>,
    /// What the tool adds after the kernel's refusal.
    refusal_note: Option<&'static str>,
}

/// The connection, queue and names of the namespace the lines run in.
struct Session {
    ctx: Context,
    conn: Connection,
    pipeline: Pipeline,
    names: Names,
    in_flight: VecDeque<InFlight>,
    /// The programs tc lines named, kept across namespaces (bpf objects
    /// are not per namespace).
    programs: Programs,
}

/// How the batch is going.
struct Outcome {
    /// The file's name as given (`-` for standard input), for the messages.
    file: String,
    force: bool,
    failed: bool,
    dialect: Dialect,
}

impl Outcome {
    /// Report a failed line as iproute2 does (its message, if any, then
    /// `Command failed FILE:LINE`); whether to go on.
    fn fail(&mut self, number: usize, message: &str) -> bool {
        self.failed = true;
        let mut text = String::with_capacity(message.len() + self.file.len() + 32);
        if !message.is_empty() {
            text.push_str(message);
            text.push('\n');
        }
        text.push_str(&format!("Command failed {}:{number}\n", self.file));
        to_stderr(&text);
        self.force
    }
}

/// Whether `e` ends the whole batch as iproute2's `exit(-1)` on a bad
/// command line does: status 255 and not the kernel's refusal.
fn ends_batch(e: &CliError) -> bool {
    e.code == 255 && e.errno.is_none()
}

impl Session {
    fn open(ctx: Context, programs: Programs) -> Result<Session, CliError> {
        let conn = ctx.rtnl()?;
        Ok(Session {
            ctx,
            conn,
            pipeline: Pipeline::new(),
            names: Names::default(),
            in_flight: VecDeque::new(),
            programs,
        })
    }

    /// Queue `change` for line `line`; report what failed meanwhile.
    fn push(
        &mut self,
        line: Line<'_>,
        change: Change,
        outcome: &mut Outcome,
    ) -> Result<bool, CliError> {
        for name in &change.unsettles {
            self.names.unsettle(name);
        }
        self.in_flight.push_back(InFlight {
            number: line.number,
            names_link: change.names_link,
            _keep_open: change.keep_open,
            _keep_programs: change.keep_programs,
            refusal_note: change.refusal_note,
        });
        let sent = self
            .pipeline
            .push(&mut self.conn, change.request, line.number);
        self.settle(sent, outcome)
    }

    /// Apply everything queued; report what failed.
    fn flush(&mut self, outcome: &mut Outcome) -> Result<bool, CliError> {
        let sent = self.pipeline.flush(&mut self.conn);
        self.settle(sent, outcome)
    }

    /// After a push or flush: report the failures of the datagrams that were
    /// answered and forget their lines. Whether to go on.
    fn settle(
        &mut self,
        sent: rawnet::Result<()>,
        outcome: &mut Outcome,
    ) -> Result<bool, CliError> {
        let failures = self.pipeline.take_failures();
        let mut go_on = true;
        for Failure { tag, error } in failures {
            let Some(line) = self.in_flight.iter().find(|l| l.number == tag) else {
                continue;
            };
            let message = failure_message(error, line.names_link.as_deref(), line.refusal_note);
            go_on &= outcome.fail(line.number, &message);
        }
        if let Err(e) = sent {
            // The datagram itself could not be sent or answered: every line
            // in it is in doubt.
            let message = CliError::from(e).message;
            for line in self.in_flight.drain(..) {
                outcome.fail(line.number, &message);
            }
            self.pipeline.discard();
            return Ok(false);
        }
        let done = self.in_flight.len() - self.pipeline.queued();
        self.in_flight.drain(..done);
        if !go_on {
            // Lines queued after the failure are not sent.
            self.pipeline.discard();
            self.in_flight.clear();
        }
        Ok(go_on)
    }
}

/// A failed request's message: iproute2's `Cannot find device "X"` where
/// the kernel says a link asked for by name does not exist; `note` after
/// the kernel's refusal.
fn failure_message(error: Error, names_link: Option<&str>, note: Option<&str>) -> String {
    match (&error, names_link) {
        (Error::Kernel(k), Some(name)) if k.errno == libc::ENODEV => {
            format!("Cannot find device \"{name}\"")
        }
        _ => super::change::refused(error, note).message,
    }
}

/// A line's leading `-n NS` / `-netns NS`: the namespace and the rest.
fn line_namespace(words: &[String]) -> Result<(Option<&str>, &[String]), CliError> {
    match words {
        [opt, name, rest @ ..] if opt == "-n" || opt == "-netns" || opt == "--netns" => {
            rawnet::ns::validate_name(name)
                .map_err(|_| CliError::new(1, format!("Invalid netns name \"{name}\"")))?;
            Ok((Some(name.as_str()), rest))
        }
        [opt] if opt == "-n" || opt == "-netns" || opt == "--netns" => Err(CliError::usage(
            "Command line is not complete. Try option \"help\"",
        )),
        _ => Ok((None, words)),
    }
}

/// The change a line asks for, if it is one: the object's prepare with the
/// batch's devices and programs. `None` for lines that run as commands.
fn prepare(
    ctx: &Context,
    dialect: Dialect,
    words: &[String],
    devices: &mut dyn Devices,
    programs: &mut Programs,
) -> Option<Result<Change, CliError>> {
    if dialect == Dialect::Tc {
        return tc::prepare(words, devices, programs);
    }
    let (object, rest) = words.split_first()?;
    if object == "tc" {
        return tc::prepare(rest, devices, programs);
    }
    let (cmd, args) = rest.split_first()?;
    let o = object.as_str();
    if matches(o, "address") {
        let change = addr::change_of(cmd)?;
        Some(addr::prepare(ctx, Args::new(args), change, devices))
    } else if matches(o, "route") {
        let op = route::verb(cmd)?;
        Some(route::prepare(ctx, Args::new(args), op, devices))
    } else if matches(o, "rule") {
        Some(rule::prepare(ctx, Args::new(args), rule::change_op(cmd)?))
    } else if matches(o, "neighbour") || matches(o, "neighbor") {
        let op = neigh::change_op(cmd)?;
        Some(neigh::prepare(ctx, Args::new(args), op, devices))
    } else if matches(o, "link") {
        let op = link::change_op(cmd)?;
        Some(link::prepare(ctx, op, args, devices))
    } else {
        None
    }
}

/// Run the batch in `file` (`-`: standard input) with the global options of `ctx`.
pub fn run(ctx: &Context, file: &str, force: bool) -> Result<i32, CliError> {
    run_dialect(ctx, file, force, Dialect::Rawnet)
}

/// `tc -batch FILE`: the lines in tc's grammar.
pub fn run_tc(ctx: &Context, file: &str, force: bool) -> Result<i32, CliError> {
    run_dialect(ctx, file, force, Dialect::Tc)
}

fn run_dialect(ctx: &Context, file: &str, force: bool, dialect: Dialect) -> Result<i32, CliError> {
    let reader: Box<dyn BufRead> = if file == "-" {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        let f = std::fs::File::open(file).map_err(|e| {
            CliError::new(
                1,
                format!(
                    "Cannot open file \"{file}\" for reading: {}",
                    rawnet::error::errno_text(e.raw_os_error().unwrap_or(0))
                ),
            )
        })?;
        Box::new(BufReader::with_capacity(64 << 10, f))
    };
    let mut outcome = Outcome {
        file: file.to_string(),
        force,
        failed: false,
        dialect,
    };
    let mut session: Option<Session> = None;
    // The programs tc lines name while no session holds them.
    let mut programs = Programs::default();
    let mut lines = CommandLines::new(reader);
    while let Some(number) = lines.next_line() {
        let number = match number {
            Ok(n) => n,
            Err(e) => {
                // As iproute2's makeargs: the message alone, and the end.
                to_stderr(&format!("{}\n", e.message));
                outcome.failed = true;
                break;
            }
        };
        let line = Line {
            number,
            words: lines.words(),
        };
        if !run_line(ctx, line, &mut session, &mut programs, &mut outcome)? {
            break;
        }
    }
    if let Some(s) = session.as_mut() {
        s.flush(&mut outcome)?;
    }
    Ok(if outcome.failed { 1 } else { 0 })
}

/// One line; whether to go on.
fn run_line(
    ctx: &Context,
    line: Line<'_>,
    session: &mut Option<Session>,
    programs: &mut Programs,
    outcome: &mut Outcome,
) -> Result<bool, CliError> {
    let (netns, words) = match line_namespace(line.words) {
        Ok(v) => v,
        Err(e) => return refused(line, e, session, outcome),
    };
    // The line's own `-n NS` (a copy of the options only then).
    let own_ctx;
    let line_ctx = match netns {
        Some(ns) => {
            let mut c = ctx.clone();
            c.netns = Some(ns.to_string());
            own_ctx = c;
            &own_ctx
        }
        None => ctx,
    };
    // Another namespace: what is queued goes first.
    if session
        .as_ref()
        .is_some_and(|s| s.ctx.netns != line_ctx.netns)
    {
        let go_on = session.as_mut().map_or(Ok(true), |s| s.flush(outcome))?;
        // Its programs go on to the next namespace's session.
        *programs = session.take().map(|s| s.programs).unwrap_or_default();
        if !go_on {
            return Ok(false);
        }
    }
    if session.is_none() {
        match Session::open(line_ctx.clone(), std::mem::take(programs)) {
            Ok(s) => *session = Some(s),
            Err(e) => return refused(line, e, &mut None, outcome),
        }
    }
    let s = session.as_mut().expect("opened above");
    if s.programs.len() >= MAX_OPEN_PROGRAMS {
        // Close them once nothing queued names them.
        let go_on = s.flush(outcome)?;
        s.programs.forget_all();
        if !go_on {
            return Ok(false);
        }
    }
    let prepared = {
        let mut devices = BatchDevices::new(&mut s.conn, &mut s.pipeline, &mut s.names);
        prepare(
            line_ctx,
            outcome.dialect,
            words,
            &mut devices,
            &mut s.programs,
        )
    };
    // A lookup may have applied the queue: report what failed.
    if !s.settle(Ok(()), outcome)? {
        return Ok(false);
    }
    match prepared {
        Some(Ok(change)) => s.push(line, change, outcome),
        Some(Err(e)) if e.code == 0 => Ok(true),
        Some(Err(e)) => {
            if e.broken_pipe {
                return Err(e);
            }
            refused(line, e, session, outcome)
        }
        None => {
            // A command: run it once everything before it is applied.
            if !s.flush(outcome)? {
                return Ok(false);
            }
            let Some((object, rest)) = words.split_first() else {
                return Ok(true);
            };
            // It may change links: names are asked again afterwards; it
            // may pin other programs: they are opened again too.
            s.names.forget_all();
            s.programs.forget_all();
            let status = match outcome.dialect {
                // A `tc` line runs as a line of tc's batch would.
                Dialect::Rawnet if object == "tc" => tc_command(line_ctx, rest),
                Dialect::Rawnet => super::dispatch(line_ctx, object.as_str(), rest),
                Dialect::Tc => tc_command(line_ctx, words),
            };
            match status {
                Ok(0) => Ok(true),
                Ok(_) => Ok(outcome.fail(line.number, "")),
                Err(e) if e.broken_pipe => Err(e),
                Err(e) if e.code == 0 => Ok(true),
                Err(e) => refused(line, e, session, outcome),
            }
        }
    }
}

/// A tc line that is not a change, as tc's `do_cmd` runs it: an unknown
/// object fails that line (tc returns -1 there, it does not exit).
fn tc_command(ctx: &Context, words: &[String]) -> Result<i32, CliError> {
    match words.first() {
        Some(object) if !tc::is_object(object) => Err(CliError::new(
            1,
            format!("Object \"{object}\" is unknown, try \"tc help\"."),
        )),
        _ => tc::run(ctx, words),
    }
}

/// A line that failed before reaching the kernel: a bad command line ends
/// the batch (`Err`, after what is queued is applied and its failures
/// reported); any other failure is reported with the line.
fn refused(
    line: Line<'_>,
    e: CliError,
    session: &mut Option<Session>,
    outcome: &mut Outcome,
) -> Result<bool, CliError> {
    if ends_batch(&e) {
        if let Some(s) = session.as_mut() {
            s.flush(outcome)?;
        }
        return Err(e);
    }
    Ok(outcome.fail(line.number, &e.message))
}

/// The fuzzer's way in (`fuzz/fuzz_targets/command_line.rs`): any bytes as a
/// batch file, each command parsed into its request as a batch parses it,
/// with devices that always exist (index 1) and no kernel. Nothing may
/// panic; what the words mean does not matter.
#[cfg(fuzzing)]
pub fn parse_for_fuzzing(data: &[u8]) {
    struct AnyDevice;
    impl Devices for AnyDevice {
        fn index(&mut self, _name: &str) -> Result<u32, CliError> {
            Ok(1)
        }
    }
    let ctx = Context::default();
    let mut programs = Programs::default();
    let mut lines = CommandLines::new(data);
    for _ in 0..64 {
        let Some(Ok(_)) = lines.next_line() else {
            return;
        };
        let Ok((_, words)) = line_namespace(lines.words()) else {
            continue;
        };
        // `pinned PATH` opens PATH: the fuzzer's lines name none that exist.
        let _ = prepare(&ctx, Dialect::Rawnet, words, &mut AnyDevice, &mut programs);
        let _ = prepare(&ctx, Dialect::Tc, words, &mut AnyDevice, &mut programs);
    }
}
