//! Command line: iproute2's grammar for rawnet's subset.
//!
//! `rawnet [OPTIONS] OBJECT [COMMAND [ARGS]]`, where OBJECT is matched by unique
//! prefix in iproute2's order (`a` is `address`, `l` is `link`, `r` is `route`).
//! Each object lives in its own file and gets a [`Context`] with the global
//! options. Errors come back as [`CliError`]: one line on stderr, an exit code.

mod addr;
mod arg_errors;
mod args;
pub(crate) mod batch;
mod bench;
mod bpf;
mod bridge;
mod change;
pub(crate) mod error_words;
mod fdb;
mod features;
pub mod format_bench;
mod ifname;
mod lab;
mod link;
mod link_names;
mod lladdr;
mod monitor;
mod neigh;
mod netns;
pub(crate) mod nft;
mod numbers;
pub(crate) mod os_args;
mod output;
mod ping;
mod route;
mod rule;
pub(crate) mod tc;
mod trace;
mod tuntap;

use std::cell::Cell;
use std::fmt;

pub use args::{matches, Args};
use rawnet::ns::NetNs;
use rawnet::Error;

/// How `-t` / `-ts` stamp each event of `monitor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timestamp {
    Long,
    Short,
}

/// The global options that come before the object.
#[derive(Debug, Default, Clone)]
pub struct Context {
    /// `-n NAME`: run the command inside the named network namespace.
    pub netns: Option<String>,
    /// `-j`: JSON output.
    pub json: bool,
    /// `-p`: pretty JSON.
    pub pretty: bool,
    /// `-d`: details.
    pub details: bool,
    /// `-4` / `-6` / `-0` (`-family inet|inet6|link`): restrict to one address
    /// family (`libc::AF_INET` / `AF_INET6` / `AF_PACKET`).
    pub family: Option<u8>,
    /// `-o`: one line per record; a record's inner line breaks are written
    /// as `\\` (see [`output::Out::line_break`]).
    pub oneline: bool,
    /// `-br`: brief, tabular output (`ip -br link` / `ip -br addr`).
    pub brief: bool,
    /// `-s`: statistics; `-s -s` (2) for more.
    pub stats: u8,
    /// `-h[uman-readable]`: counters as `7.22M` (iproute2's `human_readable`).
    pub human: bool,
    /// `-iec`: with `-h`, powers of 1024 (`6.88Mi`).
    pub iec: bool,
    /// `-a[ll]`: for `netns exec`, run in every named namespace.
    pub all: bool,
    /// `-t[imestamp]` (`Timestamp: ...` lines) or `-ts`/`-tshort`
    /// (`[2026-12-07T09:59:42.735911] ` before each event): `monitor`.
    pub timestamp: Option<Timestamp>,
    /// `-com[pressvlans]`: `bridge vlan show` asks for VLAN ranges.
    pub compress_vlans: bool,
    /// `-force`: go on after a batch line fails; `link set ... xdp*`
    /// replaces a program already attached.
    pub force: bool,
    /// One command on the process's main thread: the first use of the `-n`
    /// namespace joins it on this thread, as `ip -n` does, rather than
    /// opening each socket there on a short-lived thread. (Not in a batch,
    /// whose lines may each name another namespace.)
    pub join_netns: bool,
    /// The calling thread has joined `netns`: the command runs in there.
    joined_netns: Cell<bool>,
}

impl Context {
    /// The namespace selected with `-n`, opened; `None` when the command
    /// runs in its own (no `-n`, or the calling thread has joined it: with
    /// [`Context::join_netns`], the first call does that).
    pub fn namespace(&self) -> Result<Option<NetNs>, CliError> {
        let Some(name) = &self.netns else {
            return Ok(None);
        };
        if self.joined_netns.get() {
            return Ok(None);
        }
        // iproute2's `-n` failures (netns_switch) are `exit(-1)`: 255.
        // As `ip -n` (netns_switch): open `/run/netns/NAME` as given, the
        // name's own bytes, unchecked; a bad name fails to open or to join.
        let mut path = std::ffi::OsString::from(format!("{}/", rawnet::ns::NETNS_RUN_DIR));
        path.push(
            <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(&os_args::unescape(name)),
        );
        let ns = NetNs::open_path(&path).map_err(|e| {
            CliError::new(
                255,
                format!(
                    "Cannot open network namespace \"{name}\": {}",
                    io_reason(&e)
                ),
            )
        })?;
        if !self.join_netns {
            return Ok(Some(ns));
        }
        rawnet::ns::move_calling_thread_into(&ns).map_err(|e| {
            CliError::new(
                255,
                format!(
                    "setting the network namespace \"{name}\" failed: {}",
                    io_reason(&e)
                ),
            )
        })?;
        self.joined_netns.set(true);
        Ok(None)
    }

    /// An rtnetlink connection inside the selected namespace.
    pub fn rtnl(&self) -> Result<rawnet::netlink::Connection, CliError> {
        let conn = match self.namespace()? {
            None => rawnet::netlink::Connection::route(),
            Some(ns) => rawnet::ns::route_connection_in(&ns),
        };
        conn.map_err(CliError::from)
    }
}

/// The reason part of an I/O error ("No such file or directory"), or the whole error.
pub fn io_reason(e: &Error) -> String {
    match e {
        Error::Io { source, .. } => match source.raw_os_error() {
            Some(errno) => rawnet::error::errno_text(errno),
            None => source.to_string(),
        },
        other => error_words::text(other),
    }
}

/// A failed command: the line to print and the exit status.
#[derive(Debug)]
pub struct CliError {
    pub code: i32,
    pub message: String,
    /// Standard output's reader went away: end as `ip` ends then, killed by
    /// `SIGPIPE` without a word (see [`CliError::broken_pipe`]).
    pub broken_pipe: bool,
    /// Another failure to write standard output (`write error: ...`, exit
    /// 1 whatever tool rawnet stands in for).
    pub write_failed: bool,
    /// The kernel's errno, when the kernel refused.
    pub errno: Option<i32>,
}

impl CliError {
    pub fn new(code: i32, message: impl Into<String>) -> Self {
        CliError {
            code,
            message: message.into(),
            broken_pipe: false,
            write_failed: false,
            errno: None,
        }
    }

    /// Nothing more to do, successfully (after printing help): exit 0.
    pub fn done() -> Self {
        CliError::new(0, "")
    }

    /// A write to standard output failed with `EPIPE`.
    pub fn broken_pipe() -> Self {
        CliError {
            code: 128 + libc::SIGPIPE,
            message: String::new(),
            broken_pipe: true,
            write_failed: false,
            errno: None,
        }
    }

    /// Bad command-line syntax (iproute2 exits 255 for these).
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::new(255, message)
    }
}

/// A library error as iproute2 prints it (`error_words`): kernel refusals
/// exactly as the kernel explained them (`Error: ...` / `RTNETLINK answers:
/// ...`, exit 2); failed system calls as `OP: REASON`, bad input and missing
/// objects in iproute2's words (exit 1).
impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        let (code, message) = error_words::words(&e);
        CliError {
            errno: match e {
                Error::Kernel(k) => Some(k.errno),
                _ => None,
            },
            ..CliError::new(code, message)
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

const USAGE: &str = "\
Usage: rawnet [ OPTIONS ] OBJECT { COMMAND | help }
where  OBJECT := { link | address | route | rule | neighbour | fdb | bridge | tuntap | monitor |
                   netns | nft | ping | lab | features | bench | bpf | tc | help }
       OPTIONS := { -n[etns] NAME | -j[son] | -p[retty] | -d[etails] | -4 | -6 |
                    -o[neline] | -br[ief] | -s[tatistics] | -h[uman-readable] | -iec |
                    -a[ll] | -c[olor] |
                    -com[pressvlans] | -t[imestamp] | -ts[hort] |
                    -b[atch] FILENAME | -fo[rce] | -trace | -V[ersion] | -he[lp] }
";

/// Run the command line; the return value is the exit status.
pub fn main() -> i32 {
    let words = os_args::args();
    let result = match os_args::program() {
        os_args::Program::Bridge => bridge::tool::run(&words),
        os_args::Program::Tc => tc::tool::run(&words),
        _ => run(&words),
    };
    match result {
        Ok(code) => code,
        Err(e) if e.broken_pipe => rawnet::process::die_of_broken_pipe(),
        Err(e) => {
            if !e.message.is_empty() {
                output::to_stderr(&format!("{}\n", e.message));
            }
            e.code
        }
    }
}

/// The value of `-family` (iproute2's `read_family`): `inet`, `inet6` or
/// `link` (what `-4`, `-6` and `-0` say).
fn read_family(word: &str) -> Result<u8, CliError> {
    match word {
        "inet" => Ok(libc::AF_INET as u8),
        "inet6" => Ok(libc::AF_INET6 as u8),
        "link" => Ok(libc::AF_PACKET as u8),
        _ => Err(arg_errors::invalid_arg(word, "invalid protocol family")),
    }
}

/// Parse the global options and dispatch to the object.
pub fn run(words: &[String]) -> Result<i32, CliError> {
    let mut ctx = Context::default();
    let mut batch_file = None;
    let mut force = false;
    let mut args = Args::new(words);
    while let Some(word) = args.peek() {
        if !word.starts_with('-') || word == "-" {
            break;
        }
        args.next();
        let opt = word.trim_start_matches('-');
        match opt {
            "n" | "netns" => {
                ctx.netns = Some(args.value(word)?.to_string());
            }
            // Every netlink message, decoded, to standard error.
            "trace" => trace::install(),
            "4" => ctx.family = Some(libc::AF_INET as u8),
            "6" => ctx.family = Some(libc::AF_INET6 as u8),
            "0" => ctx.family = Some(libc::AF_PACKET as u8),
            "V" | "Version" => {
                output::print(&format!("rawnet {}\n", env!("CARGO_PKG_VERSION")))?;
                return Ok(0);
            }
            // `-f` is iproute2's `-family`: `-force` needs two letters.
            o if matches(o, "family") => {
                let Some(name) = args.next().filter(|&w| w != "help") else {
                    output::to_stderr(USAGE);
                    return Err(CliError::usage(""));
                };
                ctx.family = Some(read_family(name)?);
            }
            o if o.len() >= 2 && matches(o, "force") => {
                force = true;
                ctx.force = true;
            }
            o if matches(o, "batch") => batch_file = Some(args.value(word)?),
            o if matches(o, "json") => ctx.json = true,
            o if matches(o, "timestamp") => ctx.timestamp = ctx.timestamp.or(Some(Timestamp::Long)),
            o if matches(o, "tshort") => ctx.timestamp = Some(Timestamp::Short),
            o if matches(o, "oneline") => {
                ctx.oneline = true;
                output::set_oneline(true);
            }
            o if o.len() >= 2 && matches(o, "brief") => ctx.brief = true,
            o if matches(o, "stats") || matches(o, "statistics") => {
                ctx.stats = ctx.stats.saturating_add(1)
            }
            o if matches(o, "all") => ctx.all = true,
            // `-c[olor][=always|auto|never]`: accepted; rawnet writes no colour.
            o if matches(o, "color") || matches(o.split('=').next().unwrap_or(""), "color") => {}
            o if o.len() >= 3 && matches(o, "compressvlans") => ctx.compress_vlans = true,
            o if matches(o, "resolve") => {}
            o if matches(o, "pretty") => ctx.pretty = true,
            o if matches(o, "details") => ctx.details = true,
            // iproute2 tries `-human` before `-help`: `-h` is `-human`, `-he` help.
            o if matches(o, "human") || matches(o, "human-readable") => ctx.human = true,
            o if matches(o, "iec") => ctx.iec = true,
            o if matches(o, "help") => {
                output::print(USAGE)?;
                return Ok(0);
            }
            _ => {
                return Err(CliError::usage(format!(
                    "Option \"{word}\" is unknown, try \"rawnet -help\"."
                )))
            }
        }
    }
    if let Some(file) = batch_file {
        return batch::run(&ctx, file, force);
    }
    let Some(object) = args.next() else {
        output::to_stderr(USAGE);
        return Err(CliError::usage(""));
    };
    ctx.join_netns = true;
    dispatch(&ctx, object, args.rest())
}

/// Run one command: `OBJECT [COMMAND [ARGS]]`, the object matched by
/// unique prefix in iproute2's order.
pub fn dispatch(ctx: &Context, object: &str, rest: &[String]) -> Result<i32, CliError> {
    let o = object;
    if matches(o, "address") {
        addr::run(ctx, rest)
    } else if matches(o, "route") {
        route::run(ctx, rest)
    } else if matches(o, "rule") {
        rule::run(ctx, rest)
    } else if matches(o, "neighbour") || matches(o, "neighbor") {
        neigh::run(ctx, rest)
    } else if matches(o, "link") {
        link::run(ctx, rest)
    } else if matches(o, "tuntap") || matches(o, "tap") {
        tuntap::run(ctx, rest)
    } else if o.len() >= 2 && matches(o, "monitor") {
        // `m` alone is iproute2's `maddress`, which rawnet does not have.
        monitor::run(ctx, rest)
    } else if matches(o, "netns") {
        netns::run(ctx, rest)
    } else if o == "nft" {
        nft::run(ctx, rest)
    } else if matches(o, "ping") {
        ping::run(ctx, rest)
    } else if matches(o, "fdb") {
        fdb::run(ctx, rest)
    } else if matches(o, "lab") {
        lab::run(ctx, rest)
    } else if matches(o, "features") {
        features::run(ctx, rest)
    } else if o == "tc" {
        tc::run(ctx, rest)
    } else if o == "bpf" {
        bpf::run(ctx, rest)
    } else if matches(o, "bench") {
        bench::run(ctx, rest)
    } else if o.len() >= 2 && matches(o, "bridge") {
        bridge::run(ctx, rest)
    } else if matches(o, "help") {
        output::print(USAGE)?;
        Ok(0)
    } else {
        // iproute2's do_cmd returns EXIT_FAILURE here, not -1.
        Err(CliError::new(
            1,
            format!("Object \"{object}\" is unknown, try \"rawnet help\"."),
        ))
    }
}
