//! `rawnet [-n NS] ping [-c N] [-i SEC] [-W SEC] [-w SEC] [-s SIZE] [-t TTL]
//! [-M do|want|dont] [-Q TOS] [-I IFACE|ADDR|ADDR%IFACE] [-q] [-f] [-n] [-D]
//! [-O] [-4|-6] DEST`: iputils'
//! ping, its output and exit codes. DEST is shown as typed (`0.0.0.0`,
//! `127.1`, `fe80::1%eth0`) in the header and the statistics.
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
mod zones;

use std::ops::ControlFlow;
use std::sync::atomic::AtomicBool;

use super::{CliError, Context};
use output::Printer;
use std::net::IpAddr;

use rawnet::icmp::{EchoOptions, EchoSocket, Family, Interface, KindChoice, Pinger};
use rawnet::Error;
use zones::Zones;

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
    // iputils' words for the bind of an IPv6 ping's socket.
    let reword = |e: Error| match e {
        Error::Io { op, source } if op == "bind" && family == Family::V6 => Error::Io {
            op: "bind icmp socket".into(),
            source,
        },
        other => other,
    };
    match ctx.namespace()? {
        None => EchoSocket::open(family, options).map_err(|e| system_error(reword(e))),
        Some(ns) => rawnet::ns::run_in(&ns, || EchoSocket::open(family, options))
            .map_err(system_error)?
            .map_err(|e| system_error(reword(e))),
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

/// The shortest interval iputils allows users other than root.
const MIN_USER_INTERVAL: std::time::Duration = std::time::Duration::from_millis(2);

/// Whether we run as root (the owner of our `/proc/self`).
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
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
    let options::Parsed {
        mut config,
        target,
        zone,
        timestamps,
        outstanding,
        warnings,
    } = options::parse(args, ctx.family)?;
    for w in warnings {
        crate::cli::output::to_stderr(&format!("{w}\n"));
    }
    config.socket = socket_choice();
    let device = match &config.interface {
        Some(Interface::Name(d)) | Some(Interface::AddressOn(_, d)) => Some(d.clone()),
        _ => None,
    };
    // Interface names and indexes are the namespace's: asked over rtnetlink there.
    let mut zones = Zones::new(if config.family() == Family::V6 || device.is_some() {
        ctx.rtnl().ok()
    } else {
        None
    });
    if let Some(zone) = &zone {
        config.scope_id = zones.parse(&config.destination, zone).ok_or_else(|| {
            CliError::new(2, format!("ping: {target}: Name or service not known"))
        })?;
    }
    // iputils looks an IPv6 ping's device up by name first.
    if let (Family::V6, Some(dev)) = (config.family(), &device) {
        if zones.index(dev).is_none() {
            return Err(CliError::new(2, format!("ping: unknown iface: {dev}")));
        }
    }
    // `-I ADDR` of the other family: iputils keeps only "a source was
    // given", and binds the source the kernel picks.
    if let Some(Interface::Address(a)) = &config.interface {
        if Family::of(a) != config.family() {
            let any = match config.family() {
                Family::V4 => IpAddr::from([0, 0, 0, 0]),
                Family::V6 => IpAddr::from([0u16; 8]),
            };
            config.interface = Some(Interface::Address(any));
        }
    }
    if config.destination == IpAddr::from([0, 0, 0, 0]) {
        // iputils pings the source address the kernel picks for 0.0.0.0
        // (this host: 127.0.0.1), and shows it after the name as typed.
        config.destination = unspecified_target(ctx)?;
    }
    let socket = open_socket(ctx, config.family(), &config.socket_options())?;
    let source = socket.source();
    if let (Some(Interface::Name(dev)), Some(src)) = (&config.interface, source) {
        if !zones.on_device(src, dev) {
            crate::cli::output::to_stderr(&format!(
                "ping: Warning: source address might be selected on device other than: {dev}\n"
            ));
        }
    }
    // A link-local source given with `%DEV` is shown with that zone.
    let source_shown = source.map(|src| match &config.interface {
        Some(Interface::AddressOn(_, dev)) if rawnet::icmp::socket::needs_zone(&src) => {
            let scope = zones.index(dev).unwrap_or(0);
            zones.show(src, scope)
        }
        _ => src.to_string(),
    });
    let shown = zones.show(config.destination, config.scope_id);
    let header = report::header_line(&config, &target, &shown, source_shown.as_deref());
    let mut pinger = Pinger::new(socket, config.clone()).map_err(system_error)?;
    // iputils checks the interval after its header is out.
    if config.interval < MIN_USER_INTERVAL && !is_root() {
        let mut printer = Printer::new(&config, Zones::new(None));
        printer.header(&header)?;
        return Err(CliError::new(
            2,
            "ping: cannot flood; minimal interval allowed for user is 2ms",
        ));
    }
    let stop: &AtomicBool = rawnet::icmp::stop_on_interrupt().map_err(system_error)?;

    let mut printer = Printer::new(&config, zones);
    printer.timestamps = timestamps;
    printer.outstanding = outstanding;
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
    printer.statistics(&target, &stats, &config)?;
    Ok(report::exit_code(&stats, &config))
}

/// The `io::Error` inside a library error, for re-wording.
fn io_of(e: &Error) -> std::io::Error {
    match e.errno() {
        Some(errno) => std::io::Error::from_raw_os_error(errno),
        None => std::io::Error::other(super::error_words::text(e)),
    }
}
