//! `ping`'s command line, as iputils reads it: short options, bundled
//! (`-qc2`) or with their values attached (`-i0.2`), in any order around
//! the destination. Words in, a [`PingConfig`] or iputils' complaint out.

use std::net::IpAddr;
use std::time::Duration;

use crate::cli::CliError;
use rawnet::icmp::{Family, Interface, PingConfig};

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

/// `-W 0`: a timeout no ping outlives (about 136 years; `Instant`
/// arithmetic on it cannot overflow).
const WAIT_WITHOUT_LIMIT: Duration = Duration::from_secs(u32::MAX as u64);

fn seconds(value: &str) -> Result<Duration, CliError> {
    let v: f64 = value.parse().map_err(|_| invalid(value))?;
    if !v.is_finite() || !(0.0..=(i32::MAX as f64)).contains(&v) {
        return Err(invalid(value));
    }
    Ok(Duration::from_secs_f64(v))
}

/// Parse the words after `ping`. `family` is the global `-4`/`-6`.
/// Flood without `-i` has interval 0 (the pinger then sends every 10 ms or on each reply).
pub(super) fn parse(args: &[String], family: Option<u8>) -> Result<PingConfig, CliError> {
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
                // iputils: `-W 0` waits for a reply without limit.
                'W' => {
                    c.timeout = match seconds(value)? {
                        Duration::ZERO => WAIT_WITHOUT_LIMIT,
                        t => t,
                    }
                }
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
    // `fe80::1%DEV`: a zone id names the device (as `-I DEV` would, when
    // there is no `-I`).
    let (dest, zone) = match dest.split_once('%') {
        Some((addr, zone)) if addr.parse::<std::net::Ipv6Addr>().is_ok() && !zone.is_empty() => {
            (addr, Some(zone))
        }
        _ => (dest, None),
    };
    if let (Some(zone), None) = (zone, &c.interface) {
        c.interface = Some(Interface::Name(zone.to_string()));
    }
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
}
