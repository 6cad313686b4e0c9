//! `rawnet [-n NS] ping [-c N] [-i SEC] [-W SEC] [-w SEC] [-s SIZE] [-t TTL]
//! [-I IFACE|ADDR] [-q] [-f] [-4|-6] DEST`: iputils' ping, its output and exit codes.
//!
//! DEST must be an IP address: a static binary does not resolve names, and a
//! name fails as iputils fails an unknown one (`ping: NAME: Name or service
//! not known`, exit 2). Exit 0 when replies arrived, 1 when none did (or a
//! deadline passed short of the count), 2 on errors. With `-n NAME` the socket
//! is opened inside that namespace. `RAWNET_PING_SOCKET=raw|dgram` forces the
//! socket kind (default: raw when permitted, else the ICMP datagram socket).

use std::io::Write;
use std::net::IpAddr;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use super::{CliError, Context};
use rawnet::icmp::{
    EchoOptions, EchoSocket, Family, Interface, KindChoice, PingConfig, PingEvent, Pinger, Reply,
    Statistics,
};
use rawnet::Error;

fn invalid(value: &str) -> CliError {
    CliError::new(1, format!("ping: invalid argument: '{value}'"))
}

fn out_of_range(value: &str, min: u64, max: u64) -> CliError {
    CliError::new(
        1,
        format!("ping: invalid argument: '{value}': out of range: {min} <= value <= {max}"),
    )
}

fn integer(value: &str, min: u64, max: u64) -> Result<u64, CliError> {
    let v: u64 = value.parse().map_err(|_| invalid(value))?;
    if v < min || v > max {
        return Err(out_of_range(value, min, max));
    }
    Ok(v)
}

fn seconds(value: &str) -> Result<Duration, CliError> {
    let v: f64 = value.parse().map_err(|_| invalid(value))?;
    if !v.is_finite() || !(0.0..=(i32::MAX as f64)).contains(&v) {
        return Err(invalid(value));
    }
    Ok(Duration::from_secs_f64(v))
}

/// Parse the words after `ping`. `family` is the global `-4`/`-6`.
/// Flood without `-i` has interval 0 (the pinger then sends every 10 ms or on each reply).
fn parse(args: &[String], family: Option<u8>) -> Result<PingConfig, CliError> {
    let mut family = family.map(|f| {
        if i32::from(f) == libc::AF_INET6 {
            Family::V6
        } else {
            Family::V4
        }
    });
    let mut dest: Option<&str> = None;
    let mut c = PingConfig::new(IpAddr::from([0, 0, 0, 0]));
    let mut interval_set = false;
    let mut i = 0;
    while let Some(word) = args.get(i) {
        i += 1;
        let Some(flags) = word.strip_prefix('-').filter(|f| !f.is_empty()) else {
            dest = Some(word);
            continue;
        };
        for (at, flag) in flags.char_indices() {
            let needs_value = "ciWwstI".contains(flag);
            if !needs_value {
                match flag {
                    'q' => c.quiet = true,
                    'f' => c.flood = true,
                    '4' => family = Some(Family::V4),
                    '6' => family = Some(Family::V6),
                    other => {
                        return Err(CliError::new(
                            2,
                            format!("ping: invalid option -- '{other}'"),
                        ))
                    }
                }
                continue;
            }
            // The value is the rest of this word, or the next word.
            let rest = flags.get(at + flag.len_utf8()..).unwrap_or("");
            let value = if rest.is_empty() {
                let v = args.get(i).ok_or_else(|| {
                    CliError::new(2, format!("ping: option requires an argument -- '{flag}'"))
                })?;
                i += 1;
                v.as_str()
            } else {
                rest
            };
            match flag {
                'c' => c.count = Some(integer(value, 1, i64::MAX as u64)?),
                'i' => {
                    c.interval = seconds(value)?;
                    interval_set = true;
                }
                'W' => c.timeout = seconds(value)?,
                'w' => c.deadline = Some(seconds(value)?),
                's' => c.size = integer(value, 0, rawnet::icmp::ping::MAX_SIZE as u64)? as usize,
                't' => c.ttl = Some(integer(value, 0, 255)? as u8),
                _ => {
                    c.interface = Some(match value.parse::<IpAddr>() {
                        Ok(a) => Interface::Address(a),
                        Err(_) => Interface::Name(value.to_string()),
                    })
                }
            }
            break;
        }
    }
    let Some(dest) = dest else {
        return Err(CliError::new(
            2,
            "ping: usage error: Destination address required",
        ));
    };
    let Ok(destination) = dest.parse::<IpAddr>() else {
        return Err(CliError::new(
            2,
            format!("ping: {dest}: Name or service not known"),
        ));
    };
    if family.is_some_and(|f| f != Family::of(&destination)) {
        return Err(CliError::new(
            2,
            format!("ping: {dest}: Address family for hostname not supported"),
        ));
    }
    c.destination = destination;
    if c.flood && !interval_set {
        c.interval = Duration::ZERO;
    }
    Ok(c)
}

/// `ping: OP: strerror`, as iputils words a failed system call; exit 2.
fn system_error(e: Error) -> CliError {
    match e {
        Error::Io { op, source } => {
            let reason = match source.raw_os_error() {
                Some(errno) => rawnet::error::errno_text(errno),
                None => source.to_string(),
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

/// `RAWNET_PING_SOCKET=raw|dgram`.
fn socket_choice() -> KindChoice {
    match std::env::var("RAWNET_PING_SOCKET").as_deref() {
        Ok("raw") => KindChoice::Raw,
        Ok("dgram") | Ok("datagram") => KindChoice::Datagram,
        _ => KindChoice::Auto,
    }
}

/// `PING 10.0.2.100 (10.0.2.100) 56(84) bytes of data.` /
/// `PING fd00::2(fd00::2) 56 data bytes`, with `from SRC DEV: ` after `-I`.
fn header_line(config: &PingConfig, source: Option<IpAddr>) -> String {
    let d = config.destination;
    let from = match (&config.interface, source) {
        (Some(iface), Some(src)) => {
            let dev = match iface {
                Interface::Name(n) => n.as_str(),
                Interface::Address(_) => "",
            };
            format!("from {src} {dev}: ")
        }
        _ => String::new(),
    };
    match config.family() {
        Family::V4 => format!(
            "PING {d} ({d}) {from}{}({}) bytes of data.",
            config.size,
            config.size + 28
        ),
        Family::V6 => format!("PING {d}({d}) {from}{} data bytes", config.size),
    }
}

/// iputils' `time=` value: 3 decimals under 1 ms, 2 under 10, 1 under 100, none above.
fn format_rtt(rtt: Duration) -> String {
    let t = u64::try_from(rtt.as_micros()).unwrap_or(u64::MAX);
    if t >= 100_000 - 50 {
        format!("{}", (t + 500) / 1000)
    } else if t >= 10_000 - 5 {
        format!("{}.{:01}", (t + 50) / 1000, ((t + 50) % 1000) / 100)
    } else if t >= 1000 {
        format!("{}.{:02}", (t + 5) / 1000, ((t + 5) % 1000) / 10)
    } else {
        format!("{}.{:03}", t / 1000, t % 1000)
    }
}

/// `64 bytes from 10.0.2.100: icmp_seq=1 ttl=64 time=0.045 ms (DUP!)`.
fn reply_line(r: &Reply, size: usize) -> String {
    let mut s = format!("{} bytes from {}: icmp_seq={}", r.bytes, r.from, r.seq);
    if let Some(ttl) = r.ttl {
        s.push_str(&format!(" ttl={ttl}"));
    }
    if r.bytes < size + 8 {
        s.push_str(" (truncated)");
        return s;
    }
    if let Some(rtt) = r.rtt {
        s.push_str(&format!(" time={} ms", format_rtt(rtt)));
    }
    if r.duplicate {
        s.push_str(" (DUP!)");
    }
    s
}

/// C's `%g` for a percentage (6 significant digits, no trailing zeros), of
/// the value rounded to `float` first as iputils does.
fn format_percent(v: f64) -> String {
    let v = f64::from(v as f32);
    if v == 0.0 {
        return "0".into();
    }
    let exp = v.abs().log10().floor() as i32;
    if !(-4..6).contains(&exp) {
        return format!("{v:e}");
    }
    let decimals = usize::try_from(5 - exp).unwrap_or(0);
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn ms3(d: Duration) -> String {
    let us = d.as_micros();
    format!("{}.{:03}", us / 1000, us % 1000)
}

/// The lines after the blank one: totals, then rtt/pipe/ipg (possibly empty).
pub(super) fn statistics_lines(dest: IpAddr, s: &Statistics, config: &PingConfig) -> [String; 3] {
    let mut totals = format!(
        "{} packets transmitted, {} received",
        s.transmitted, s.received
    );
    if s.duplicates > 0 {
        totals.push_str(&format!(", +{} duplicates", s.duplicates));
    }
    if s.errors > 0 {
        totals.push_str(&format!(", +{} errors", s.errors));
    }
    if s.transmitted > 0 {
        let ms = (s.elapsed.as_micros() + 500) / 1000;
        totals.push_str(&format!(
            ", {}% packet loss, time {ms}ms",
            format_percent(s.loss_percent())
        ));
    }
    let mut parts = Vec::new();
    if let (true, Some(r)) = (s.received > 0, s.rtt) {
        parts.push(format!(
            "rtt min/avg/max/mdev = {}/{}/{}/{} ms",
            ms3(r.min),
            ms3(r.avg),
            ms3(r.max),
            ms3(r.mdev)
        ));
    }
    if s.pipe > 1 {
        parts.push(format!("pipe {}", s.pipe));
    }
    if s.received > 0 && (config.interval.is_zero() || config.flood) && s.transmitted > 1 {
        let ipg = s.elapsed / u32::try_from(s.transmitted - 1).unwrap_or(u32::MAX);
        let ewma = s.rtt.map_or(Duration::ZERO, |r| r.ewma);
        parts.push(format!("ipg/ewma {}/{} ms", ms3(ipg), ms3(ewma)));
    }
    [
        format!("--- {dest} ping statistics ---"),
        totals,
        parts.join(", "),
    ]
}

/// iputils' exit status: 1 without replies, or when a deadline cut the count short.
fn exit_code(s: &Statistics, config: &PingConfig) -> i32 {
    let short = config.deadline.is_some() && config.count.is_some_and(|c| s.received < c);
    if s.received == 0 || short {
        1
    } else {
        0
    }
}

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let mut config = parse(args, ctx.family)?;
    config.socket = socket_choice();
    let socket = open_socket(ctx, config.family(), &config.socket_options())?;
    let header = header_line(&config, socket.source());
    let mut pinger = Pinger::new(socket, config.clone()).map_err(system_error)?;
    let stop: &AtomicBool = rawnet::icmp::stop_on_interrupt().map_err(system_error)?;

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // Output errors (a closed pipe) must not stop the ping; ignore them.
    let _ = writeln!(out, "{header}");
    let _ = out.flush();
    let quiet = config.quiet;
    let flood = config.flood;
    let size = config.size;
    let result = pinger.run(stop, |event| {
        match event {
            PingEvent::Sent { .. } if flood && !quiet => {
                let _ = out.write_all(b".");
            }
            PingEvent::SendFailed { error, .. } if !quiet => {
                if flood {
                    let _ = out.write_all(b"E");
                } else {
                    let _ = out.flush();
                    eprintln!(
                        "{}",
                        system_error(Error::io("sendmsg", io_of(error))).message
                    );
                }
            }
            PingEvent::Reply(r) if !quiet => {
                if flood {
                    if !r.duplicate {
                        let _ = out.write_all(b"\x08 \x08");
                    }
                } else {
                    let _ = writeln!(out, "{}", reply_line(r, size));
                }
            }
            PingEvent::Error(e) if !quiet => {
                if flood {
                    let _ = out.write_all(b"\x08E");
                } else {
                    let _ = writeln!(out, "From {} icmp_seq={} {}", e.from, e.seq, e.kind);
                }
            }
            _ => {}
        }
        let _ = out.flush();
    });
    let stats = result.map_err(system_error)?;
    let [title, totals, rtt] = statistics_lines(config.destination, &stats, &config);
    let _ = write!(out, "\n{title}\n{totals}\n{rtt}\n");
    let _ = out.flush();
    Ok(exit_code(&stats, &config))
}

/// The `io::Error` inside a library error, for re-wording.
fn io_of(e: &Error) -> std::io::Error {
    match e.errno() {
        Some(errno) => std::io::Error::from_raw_os_error(errno),
        None => std::io::Error::other(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rawnet::icmp::RttSummary;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_iputils_options() {
        let r = parse(
            &words("-c 3 -i0.2 -W 1 -w 5 -s 1000 -t 7 -I veth0 -q 10.0.2.100"),
            None,
        )
        .expect("valid");
        let c = r;
        assert_eq!(c.destination, IpAddr::from([10, 0, 2, 100]));
        assert_eq!(c.count, Some(3));
        assert_eq!(c.interval, Duration::from_millis(200));
        assert_eq!(
            (c.timeout, c.deadline),
            (Duration::from_secs(1), Some(Duration::from_secs(5)))
        );
        assert_eq!((c.size, c.ttl, c.quiet), (1000, Some(7), true));
        assert_eq!(c.interface, Some(Interface::Name("veth0".into())));
        let c = parse(&words("-qc2 -I 10.0.1.1 10.0.2.100"), None).expect("valid");
        assert_eq!((c.count, c.quiet), (Some(2), true));
        assert_eq!(
            c.interface,
            Some(Interface::Address(IpAddr::from([10, 0, 1, 1])))
        );
    }

    #[test]
    fn rejects_like_iputils() {
        let err = |s: &str| parse(&words(s), None).expect_err("invalid");
        let e = err("-c 0 1.2.3.4");
        assert_eq!(
            (e.code, e.message.as_str()),
            (
                1,
                "ping: invalid argument: '0': out of range: 1 <= value <= 9223372036854775807"
            )
        );
        assert_eq!(err("-c x 1.2.3.4").message, "ping: invalid argument: 'x'");
        assert_eq!(
            err("-t 256 1.2.3.4").message,
            "ping: invalid argument: '256': out of range: 0 <= value <= 255"
        );
        let e = err("-c 1 example.com");
        assert_eq!(
            (e.code, e.message.as_str()),
            (2, "ping: example.com: Name or service not known")
        );
        assert_eq!(
            err("-4 ::1").message,
            "ping: ::1: Address family for hostname not supported"
        );
        assert_eq!(
            parse(&words("::1"), Some(libc::AF_INET as u8))
                .expect_err("v4 only")
                .code,
            2
        );
        assert_eq!(err("-c").code, 2);
        assert_eq!(
            err("-c 1").message,
            "ping: usage error: Destination address required"
        );
        assert_eq!(err("-Z 1.2.3.4").message, "ping: invalid option -- 'Z'");
    }

    #[test]
    fn headers() {
        let c = PingConfig::new(IpAddr::from([10, 0, 2, 100]));
        assert_eq!(
            header_line(&c, None),
            "PING 10.0.2.100 (10.0.2.100) 56(84) bytes of data."
        );
        let c6 = PingConfig::new("fd00::2".parse().expect("literal"));
        assert_eq!(
            header_line(&c6, None),
            "PING fd00::2(fd00::2) 56 data bytes"
        );
        let src = Some(IpAddr::from([10, 0, 1, 1]));
        let c = PingConfig {
            interface: Some(Interface::Name("veth0".into())),
            ..c
        };
        assert_eq!(
            header_line(&c, src),
            "PING 10.0.2.100 (10.0.2.100) from 10.0.1.1 veth0: 56(84) bytes of data."
        );
        let c = PingConfig {
            interface: Some(Interface::Address(IpAddr::from([10, 0, 1, 1]))),
            ..c
        };
        assert_eq!(
            header_line(&c, src),
            "PING 10.0.2.100 (10.0.2.100) from 10.0.1.1 : 56(84) bytes of data."
        );
    }

    #[test]
    fn rtt_precision() {
        let us = Duration::from_micros;
        assert_eq!(format_rtt(us(45)), "0.045");
        assert_eq!(format_rtt(us(999)), "0.999");
        assert_eq!(format_rtt(us(1234)), "1.23");
        assert_eq!(format_rtt(us(9994)), "9.99");
        assert_eq!(format_rtt(us(9995)), "10.0");
        assert_eq!(format_rtt(us(12345)), "12.3");
        assert_eq!(format_rtt(us(99950)), "100");
        assert_eq!(format_rtt(us(123456)), "123");
    }

    #[test]
    fn reply_lines() {
        let r = Reply {
            from: IpAddr::from([10, 0, 2, 100]),
            seq: 1,
            ttl: Some(64),
            bytes: 64,
            rtt: Some(Duration::from_micros(45)),
            duplicate: false,
        };
        assert_eq!(
            reply_line(&r, 56),
            "64 bytes from 10.0.2.100: icmp_seq=1 ttl=64 time=0.045 ms"
        );
        let dup = Reply {
            duplicate: true,
            ..r
        };
        assert_eq!(
            reply_line(&dup, 56),
            "64 bytes from 10.0.2.100: icmp_seq=1 ttl=64 time=0.045 ms (DUP!)"
        );
        let small = Reply {
            bytes: 16,
            rtt: None,
            ..r
        };
        assert_eq!(
            reply_line(&small, 8),
            "16 bytes from 10.0.2.100: icmp_seq=1 ttl=64"
        );
        assert_eq!(
            reply_line(&small, 56),
            "16 bytes from 10.0.2.100: icmp_seq=1 ttl=64 (truncated)"
        );
    }

    #[test]
    fn percent_like_printf_g() {
        assert_eq!(format_percent(0.0), "0");
        assert_eq!(format_percent(100.0), "100");
        assert_eq!(format_percent(100.0 / 3.0), "33.3333");
        assert_eq!(format_percent(200.0 / 3.0), "66.6667");
        assert_eq!(format_percent(50.0), "50");
        assert_eq!(format_percent(0.5), "0.5");
    }

    #[test]
    fn statistics_block() {
        let c = PingConfig::new(IpAddr::from([10, 0, 2, 100]));
        let us = Duration::from_micros;
        let s = Statistics {
            transmitted: 3,
            received: 3,
            elapsed: us(2_003_400),
            rtt: Some(RttSummary {
                min: us(40),
                avg: us(50),
                max: us(60),
                mdev: us(8),
                ewma: us(45),
            }),
            ..Default::default()
        };
        let [t, totals, rtt] = statistics_lines(c.destination, &s, &c);
        assert_eq!(t, "--- 10.0.2.100 ping statistics ---");
        assert_eq!(
            totals,
            "3 packets transmitted, 3 received, 0% packet loss, time 2003ms"
        );
        assert_eq!(rtt, "rtt min/avg/max/mdev = 0.040/0.050/0.060/0.008 ms");
        assert_eq!(exit_code(&s, &c), 0);
        let lost = Statistics {
            received: 0,
            duplicates: 0,
            errors: 2,
            rtt: None,
            ..s
        };
        let [_, totals, rtt] = statistics_lines(c.destination, &lost, &c);
        assert_eq!(
            totals,
            "3 packets transmitted, 0 received, +2 errors, 100% packet loss, time 2003ms"
        );
        assert_eq!(rtt, "");
        assert_eq!(exit_code(&lost, &c), 1);
        let dups = Statistics {
            duplicates: 1,
            pipe: 2,
            ..s
        };
        let [_, totals, rtt] = statistics_lines(c.destination, &dups, &c);
        assert_eq!(
            totals,
            "3 packets transmitted, 3 received, +1 duplicates, 0% packet loss, time 2003ms"
        );
        assert!(rtt.ends_with(" ms, pipe 2"), "{rtt}");
        let flood = PingConfig {
            flood: true,
            interval: Duration::ZERO,
            ..c.clone()
        };
        let [_, _, rtt] = statistics_lines(flood.destination, &s, &flood);
        assert!(rtt.ends_with(", ipg/ewma 1001.700/0.045 ms"), "{rtt}");
        let deadline = PingConfig {
            deadline: Some(Duration::from_secs(1)),
            count: Some(5),
            ..c
        };
        assert_eq!(exit_code(&s, &deadline), 1);
    }
}
