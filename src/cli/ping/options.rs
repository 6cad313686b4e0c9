//! `ping`'s command line, as iputils reads it: short options, bundled
//! (`-qc2`) or with their values attached (`-i0.2`), in any order around
//! the destination. Words in, a [`PingConfig`] or iputils' complaint out.

use std::net::IpAddr;
use std::time::Duration;

use crate::cli::CliError;
use rawnet::icmp::{Family, Interface, PingConfig, PmtuDiscovery};

fn invalid(value: &str) -> CliError {
    CliError::new(1, format!("ping: invalid argument: '{value}'"))
}

/// iputils' `strtol_or_err`: a whole decimal `long` (sign allowed) in `min..=max`.
fn integer(value: &str, min: i64, max: i64) -> Result<u64, CliError> {
    let v: i64 = value.parse().map_err(|_| invalid(value))?;
    if v < min || v > max {
        return Err(CliError::new(
            1,
            format!("ping: invalid argument: '{value}': out of range: {min} <= value <= {max}"),
        ));
    }
    Ok(v.max(0) as u64)
}

/// `-W 0`: a timeout no ping outlives (about 136 years; `Instant`
/// arithmetic on it cannot overflow).
const WAIT_WITHOUT_LIMIT: Duration = Duration::from_secs(u32::MAX as u64);

/// iputils' `ping_strtod`: the longest number at the start of `value`; any
/// rest is only warned about (`warnings`); not a finite number is `what`'s
/// error (exit 2).
fn strtod(value: &str, what: &str, warnings: &mut Vec<String>) -> Result<f64, CliError> {
    if value.is_empty() {
        return Err(CliError::new(2, format!("ping: {what}: {value}")));
    }
    let trimmed = value.trim_start();
    let (num, end) = (0..=trimmed.len())
        .rev()
        .filter(|&n| trimmed.is_char_boundary(n))
        .find_map(|n| {
            let head = &trimmed[..n];
            // Rust reads words C's strtod reads differently ("infinity" is
            // fine; "e5" alone is not a number in either).
            head.parse::<f64>().ok().map(|v| (v, &trimmed[n..]))
        })
        .unwrap_or((0.0, value));
    if !end.is_empty() {
        warnings.push(format!("ping: option argument contains garbage: {end}"));
        warnings.push("ping: this will become fatal error in the future".into());
    }
    if !num.is_finite() || (num != 0.0 && !num.is_normal()) {
        return Err(CliError::new(
            2,
            format!("ping: {what}: {value}: Numerical result out of range"),
        ));
    }
    Ok(num)
}

fn seconds(v: f64, value: &str, what: &str) -> Result<Duration, CliError> {
    if v < 0.0 || v > f64::from(i32::MAX) / 1000.0 {
        return Err(CliError::new(2, format!("ping: {what}: {value}")));
    }
    // iputils keeps whole milliseconds.
    Ok(Duration::from_millis((v * 1000.0) as u64))
}

/// iputils' `parse_tos`: `0xHH` or a decimal `int` (C's `strtol`: blanks
/// and a sign allowed, `0x` alone is 0), at most 255.
fn tos(value: &str) -> Result<i32, CliError> {
    let bad = || CliError::new(2, format!("ping: bad TOS value: {value}"));
    let n: i64 = match value.strip_prefix("0x") {
        Some("") => 0,
        Some(hex) if !hex.starts_with(['+', '-']) => {
            i64::from_str_radix(hex.trim_start(), 16).map_err(|_| bad())?
        }
        Some(_) => return Err(bad()),
        None if value.trim_start().is_empty() => 0,
        None => value.trim_start().parse().map_err(|_| bad())?,
    };
    // strtol's long, then iputils' cast to int.
    let n = n as i32;
    if n > 255 {
        return Err(CliError::new(
            2,
            format!("ping: the decimal value of TOS bits must be in range 0-255: {n}"),
        ));
    }
    Ok(n)
}

/// What the command line says: the configuration, the destination as typed
/// (iputils names it so in its header and statistics) and its IPv6 zone,
/// not yet resolved (that needs the ping's namespace).
#[derive(Debug, Clone)]
pub(super) struct Parsed {
    pub config: PingConfig,
    pub target: String,
    pub zone: Option<String>,
    /// `-D`: `[SECONDS.MICROS] ` before each reply or error line.
    pub timestamps: bool,
    /// `-O`: `no answer yet for icmp_seq=N` when the next request goes out.
    pub outstanding: bool,
    /// Complaints iputils prints and goes on (`option argument contains garbage`).
    pub warnings: Vec<String>,
}

/// glibc's `inet_aton`: `a.b.c.d`, `a.b.c`, `a.b` or `a`, each part decimal,
/// octal (`0` first) or hex (`0x`), the last part filling the bytes left.
fn inet_aton(s: &str) -> Option<std::net::Ipv4Addr> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() > 4 {
        return None;
    }
    let mut values = Vec::with_capacity(4);
    for p in &parts {
        let (digits, radix) = if let Some(h) = p.strip_prefix("0x").or(p.strip_prefix("0X")) {
            (h, 16)
        } else if p.len() > 1 && p.starts_with('0') {
            (&p[1..], 8)
        } else {
            (*p, 10)
        };
        if p.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        let v = if digits.is_empty() {
            0
        } else {
            u64::from_str_radix(digits, radix).ok()?
        };
        values.push(v);
    }
    let (last, head) = values.split_last()?;
    if head.iter().any(|&v| v > 255) || *last >= 1u64 << (8 * (5 - values.len())) {
        return None;
    }
    let mut n: u64 = 0;
    for (i, v) in head.iter().enumerate() {
        n |= v << (24 - 8 * i);
    }
    Some(std::net::Ipv4Addr::from((n | last) as u32))
}

/// Parse the words after `ping`. `family` is the global `-4`/`-6`.
/// Flood without `-i` has interval 0 (the pinger then sends every 10 ms or on each reply).
pub(super) fn parse(args: &[String], family: Option<u8>) -> Result<Parsed, CliError> {
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
    let (mut timestamps, mut outstanding) = (false, false);
    let mut warnings = Vec::new();
    let mut i = 0;
    while let Some(word) = args.get(i) {
        i += 1;
        let Some(flags) = word.strip_prefix('-').filter(|f| !f.is_empty()) else {
            dest = Some(word);
            continue;
        };
        for (at, flag) in flags.char_indices() {
            let needs_value = "ciWwstIMQ".contains(flag);
            if !needs_value {
                match flag {
                    'q' => c.quiet = true,
                    'f' => c.flood = true,
                    '4' | '6' => {
                        let f = if flag == '4' { Family::V4 } else { Family::V6 };
                        if family.is_some_and(|g| g != f) {
                            return Err(CliError::new(
                                2,
                                "ping: only one -4 or -6 option may be specified",
                            ));
                        }
                        family = Some(f);
                    }
                    // Numeric output: names are never looked up here anyway.
                    'n' => {}
                    'D' => timestamps = true,
                    'O' => outstanding = true,
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
                'c' => c.count = Some(integer(value, 1, i64::MAX)?),
                'i' => {
                    let v = strtod(value, "bad timing interval", &mut warnings)?;
                    c.interval = seconds(v.max(0.0), value, "bad timing interval")?;
                    interval_set = true;
                }
                // iputils: `-W 0` waits for a reply without limit.
                'W' => {
                    let v = strtod(value, "bad linger time", &mut warnings)?;
                    c.timeout = match seconds(v, value, "bad linger time")? {
                        Duration::ZERO => WAIT_WITHOUT_LIMIT,
                        t => t,
                    }
                }
                'w' => c.deadline = Some(Duration::from_secs(integer(value, 0, i32::MAX.into())?)),
                // As iputils (run by root): any `int`; a request too big
                // for the kernel fails when sent, counted as a lost one.
                's' => c.size = integer(value, 0, i32::MAX.into())? as usize,
                // iputils leaves the socket alone for 0.
                'Q' => c.tos = Some(tos(value)?).filter(|&t| t != 0),
                'M' => {
                    c.pmtu_discovery = Some(match value {
                        "do" => PmtuDiscovery::Do,
                        "want" => PmtuDiscovery::Want,
                        "dont" => PmtuDiscovery::Dont,
                        _ => {
                            return Err(CliError::new(
                                2,
                                format!("ping: invalid -M argument: {value}"),
                            ))
                        }
                    })
                }
                't' => c.ttl = Some(integer(value, 0, 255)? as u8),
                // iputils: with a ':' an IPv6 source, `%DEV` after it the
                // device; else a dotted IPv4 source; else a device.
                _ if value.contains(':') => {
                    let (addr, dev) = match value.split_once('%') {
                        Some((a, d)) => (a, Some(d)),
                        None => (value, None),
                    };
                    let Ok(a) = addr.parse::<std::net::Ipv6Addr>() else {
                        return Err(CliError::new(
                            2,
                            format!("ping: invalid source address: {value}"),
                        ));
                    };
                    c.interface = Some(match dev {
                        Some(d) => Interface::AddressOn(IpAddr::V6(a), d.to_string()),
                        None => Interface::Address(IpAddr::V6(a)),
                    });
                }
                _ => {
                    c.interface = Some(match value.parse::<std::net::Ipv4Addr>() {
                        Ok(a) => Interface::Address(IpAddr::V4(a)),
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
    let unknown = || CliError::new(2, format!("ping: {dest}: Name or service not known"));
    // `fe80::1%ZONE`: the zone is resolved later, in the ping's namespace.
    let (destination, zone) = match inet_aton(dest) {
        Some(a) => (IpAddr::V4(a), None),
        None => {
            let (addr, zone) = match dest.split_once('%') {
                Some((a, z)) => (a, Some(z.to_string())),
                None => (dest, None),
            };
            let a = addr.parse::<std::net::Ipv6Addr>().map_err(|_| unknown())?;
            (IpAddr::V6(a), zone)
        }
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
    Ok(Parsed {
        config: c,
        target: dest.to_string(),
        zone,
        timestamps,
        outstanding,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_iputils_options() {
        let r = parse(
            &words("-c 3 -i0.2 -W 1 -w 5 -s 1000 -t 7 -I veth0 -q 10.0.2.100"),
            None,
        )
        .expect("valid")
        .config;
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
        let c = parse(&words("-Mdo -s 70000 10.0.2.100"), None)
            .expect("valid")
            .config;
        assert_eq!((c.pmtu_discovery, c.size), (Some(PmtuDiscovery::Do), 70000));
        let c = parse(&words("-M dont -M want 10.0.2.100"), None)
            .expect("valid")
            .config;
        assert_eq!(c.pmtu_discovery, Some(PmtuDiscovery::Want));
        let tos = |s: &str| parse(&words(s), None).map(|p| p.config.tos);
        assert_eq!(tos("-Q 0x10 1.2.3.4").ok(), Some(Some(16)));
        assert_eq!(tos("-Q16 1.2.3.4").ok(), Some(Some(16)));
        assert_eq!(tos("-Q -1 1.2.3.4").ok(), Some(Some(-1)));
        assert_eq!(tos("-Q 0x 1.2.3.4").ok(), Some(None));
        let e = tos("-Q 0x1ff 1.2.3.4").expect_err("too big");
        assert_eq!(
            (e.code, e.message.as_str()),
            (
                2,
                "ping: the decimal value of TOS bits must be in range 0-255: 511"
            )
        );
        let e = tos("-Q 5x 1.2.3.4").expect_err("not a number");
        assert_eq!((e.code, e.message.as_str()), (2, "ping: bad TOS value: 5x"));
        let c = parse(&words("-qc2 -I 10.0.1.1 10.0.2.100"), None)
            .expect("valid")
            .config;
        assert_eq!((c.count, c.quiet), (Some(2), true));
        assert_eq!(
            c.interface,
            Some(Interface::Address(IpAddr::from([10, 0, 1, 1])))
        );
    }

    #[test]
    fn inet_aton_forms() {
        let a = |s: &str| inet_aton(s).map(|a| a.to_string());
        assert_eq!(a("127.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(a("0").as_deref(), Some("0.0.0.0"));
        assert_eq!(a("0x7f.0.0.010").as_deref(), Some("127.0.0.8"));
        assert_eq!(a("10.65535").as_deref(), Some("10.0.255.255"));
        assert_eq!(a("1.2.3.256"), None);
        assert_eq!(a("1.2.3.4.5"), None);
        assert_eq!(a("fe80::1"), None);
        assert_eq!(a("09"), None);
        let p = parse(&words("-c1 fe80::1%eth0"), None).expect("valid");
        assert_eq!(
            (p.target.as_str(), p.zone.as_deref()),
            ("fe80::1%eth0", Some("eth0"))
        );
        let p = parse(&words("-I fe80::1%eth0 fe80::2"), None).expect("valid");
        assert_eq!(
            p.config.interface,
            Some(Interface::AddressOn(
                "fe80::1".parse().expect("literal"),
                "eth0".into()
            ))
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
        let e = err("-M probe 1.2.3.4");
        assert_eq!(
            (e.code, e.message.as_str()),
            (2, "ping: invalid -M argument: probe")
        );
    }
}
