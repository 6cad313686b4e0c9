//! `rawnet [-n NS] ping [-c N] [-i SEC] [-W SEC] [-w SEC] [-s SIZE] [-t TTL]
//! [-I IFACE|ADDR] [-q] [-f] [-4|-6] DEST`: iputils' ping, its output and exit codes.
//!
//! DEST must be an IP address: a static binary does not resolve names, and a
//! name fails as iputils fails an unknown one (`ping: NAME: Name or service
//! not known`, exit 2). Exit 0 when replies arrived, 1 when none did (or a
//! deadline passed short of the count), 2 on errors. With `-n NAME` the socket
//! is opened inside that namespace. `RAWNET_PING_SOCKET=raw|dgram` forces the
//! socket kind (default: raw when permitted, else the ICMP datagram socket).

mod options;
mod output;
mod report;

use std::ops::ControlFlow;
use std::sync::atomic::AtomicBool;

use super::{CliError, Context};
use output::Printer;
use std::net::IpAddr;

use rawnet::icmp::{EchoOptions, EchoSocket, Family, KindChoice, Pinger};
use rawnet::Error;

pub(crate) use report::statistics_lines;

/// `ping: OP: strerror`, as iputils words a failed system call; exit 2.
fn system_error(e: Error) -> CliError {
    match e {
        Error::Io { op, source } => {
            let reason = match source.raw_os_error() {
                Some(errno) => rawnet::error::errno_text(errno),
                None => source.to_string(),
            };
            // iputils' words for the TTL it could not set (`-t 0`).
            let op = match op.as_str() {
                "setsockopt IP_TTL" => "cannot set unicast time-to-live",
                other => other,
            };
            CliError::new(2, format!("ping: {op}: {reason}"))
        }
        other => CliError::new(2, format!("ping: {other}")),
    }
}

/// Open the echo socket, inside the `-n` namespace when one was given.
fn open_socket(
    ctx: &Context,
    family: Family,
    options: &EchoOptions,
) -> Result<EchoSocket, CliError> {
    match ctx.namespace()? {
        None => EchoSocket::open(family, options).map_err(system_error),
        Some(ns) => rawnet::ns::run_in(&ns, || EchoSocket::open(family, options))
            .map_err(system_error)?
            .map_err(system_error),
    }
}

/// The source address the kernel picks toward 0.0.0.0 (in the `-n`
/// namespace, which the command has joined): where iputils sends then.
fn unspecified_target(ctx: &Context) -> Result<IpAddr, CliError> {
    let probe = || -> std::io::Result<IpAddr> {
        let udp = std::net::UdpSocket::bind((IpAddr::from([0, 0, 0, 0]), 0))?;
        udp.connect((IpAddr::from([0, 0, 0, 0]), 1025))?;
        Ok(udp.local_addr()?.ip())
    };
    let found = match ctx.namespace()? {
        None => probe(),
        Some(ns) => rawnet::ns::run_in(&ns, probe).map_err(system_error)?,
    };
    found.map_err(|e| system_error(Error::io("connect", e)))
}

/// `RAWNET_PING_SOCKET=raw|dgram`.
fn socket_choice() -> KindChoice {
    match std::env::var("RAWNET_PING_SOCKET").as_deref() {
        Ok("raw") => KindChoice::Raw,
        Ok("dgram") | Ok("datagram") => KindChoice::Datagram,
        _ => KindChoice::Auto,
    }
}

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let mut config = options::parse(args, ctx.family)?;
    config.socket = socket_choice();
    if config.destination == IpAddr::from([0, 0, 0, 0]) {
        // iputils pings the source address the kernel picks for 0.0.0.0
        // (this host: 127.0.0.1), and names it in its header.
        config.destination = unspecified_target(ctx)?;
    }
    let socket = open_socket(ctx, config.family(), &config.socket_options())?;
    let header = report::header_line(&config, socket.source());
    let mut pinger = Pinger::new(socket, config.clone()).map_err(system_error)?;
    let stop: &AtomicBool = rawnet::icmp::stop_on_interrupt().map_err(system_error)?;

    let mut printer = Printer::new(&config);
    printer.header(&header)?;
    // The first failed write ends the run; it is the command's error.
    let mut write_failed = None;
    let result = pinger.run_until(stop, |event| match printer.event(event) {
        Ok(()) => ControlFlow::Continue(()),
        Err(e) => {
            write_failed = Some(e);
            ControlFlow::Break(())
        }
    });
    if let Some(e) = write_failed {
        return Err(e);
    }
    let stats = match result {
        Ok(stats) => stats,
        Err(e) => {
            printer.flush()?;
            return Err(system_error(e));
        }
    };
    printer.statistics(config.destination, &stats, &config)?;
    Ok(report::exit_code(&stats, &config))
}

/// The `io::Error` inside a library error, for re-wording.
fn io_of(e: &Error) -> std::io::Error {
    match e.errno() {
        Some(errno) => std::io::Error::from_raw_os_error(errno),
        None => std::io::Error::other(super::error_words::text(e)),
    }
}
