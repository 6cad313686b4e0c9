//! What ping prints and returns, as iputils words it: the `PING` header, a
//! reply line, the statistics block and the exit status. Values in, text out.

use std::net::IpAddr;
use std::time::Duration;

use rawnet::icmp::{Family, Interface, PingConfig, Reply, Statistics};

/// `PING 10.0.2.100 (10.0.2.100) 56(84) bytes of data.` /
/// `PING fd00::2(fd00::2) 56 data bytes`, with `from SRC DEV: ` after `-I`.
/// `target` is the destination as typed, `shown` as iputils shows the
/// address (with its zone), `source` the source as shown.
pub(super) fn header_line(
    config: &PingConfig,
    target: &str,
    shown: &str,
    source: Option<&str>,
) -> String {
    let from = match (&config.interface, source) {
        (Some(iface), Some(src)) => {
            let dev = match iface {
                Interface::Name(n) | Interface::AddressOn(_, n) => n.as_str(),
                Interface::Address(_) => "",
            };
            format!("from {src} {dev}: ")
        }
        _ => String::new(),
    };
    match config.family() {
        Family::V4 => format!(
            "PING {target} ({shown}) {from}{}({}) bytes of data.",
            config.size,
            config.size + 28
        ),
        Family::V6 => format!("PING {target}({shown}) {from}{} data bytes", config.size),
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

/// `64 bytes from 10.0.2.100: icmp_seq=1 ttl=64 time=0.045 ms (DUP!)`;
/// `from`: the sender as shown (with its zone).
pub(super) fn reply_line(r: &Reply, from: &str, size: usize) -> String {
    let mut s = format!("{} bytes from {from}: icmp_seq={}", r.bytes, r.seq);
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
pub(crate) fn statistics_lines(dest: IpAddr, s: &Statistics, config: &PingConfig) -> [String; 3] {
    named_statistics_lines(&dest.to_string(), s, config)
}

/// [`statistics_lines`] naming the destination `target`, as typed.
pub(super) fn named_statistics_lines(
    target: &str,
    s: &Statistics,
    config: &PingConfig,
) -> [String; 3] {
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
        format!("--- {target} ping statistics ---"),
        totals,
        parts.join(", "),
    ]
}

/// iputils' exit status: 1 without replies, or when a deadline cut the count short.
pub(super) fn exit_code(s: &Statistics, config: &PingConfig) -> i32 {
    let short = config.deadline.is_some() && config.count.is_some_and(|c| s.received < c);
    if s.received == 0 || short {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rawnet::icmp::RttSummary;

    #[test]
    fn headers() {
        let c = PingConfig::new(IpAddr::from([10, 0, 2, 100]));
        assert_eq!(
            header_line(&c, "10.0.2.100", "10.0.2.100", None),
            "PING 10.0.2.100 (10.0.2.100) 56(84) bytes of data."
        );
        let c6 = PingConfig::new("fd00::2".parse().expect("literal"));
        assert_eq!(
            header_line(&c6, "fd00::2", "fd00::2", None),
            "PING fd00::2(fd00::2) 56 data bytes"
        );
        let src = Some("10.0.1.1");
        let c = PingConfig {
            interface: Some(Interface::Name("veth0".into())),
            ..c
        };
        assert_eq!(
            header_line(&c, "10.0.2.100", "10.0.2.100", src),
            "PING 10.0.2.100 (10.0.2.100) from 10.0.1.1 veth0: 56(84) bytes of data."
        );
        let c = PingConfig {
            interface: Some(Interface::Address(IpAddr::from([10, 0, 1, 1]))),
            ..c
        };
        assert_eq!(
            header_line(&c, "10.0.2.100", "10.0.2.100", src),
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
            scope_id: 0,
            seq: 1,
            ttl: Some(64),
            bytes: 64,
            rtt: Some(Duration::from_micros(45)),
            duplicate: false,
        };
        assert_eq!(
            reply_line(&r, "10.0.2.100", 56),
            "64 bytes from 10.0.2.100: icmp_seq=1 ttl=64 time=0.045 ms"
        );
        let dup = Reply {
            duplicate: true,
            ..r
        };
        assert_eq!(
            reply_line(&dup, "10.0.2.100", 56),
            "64 bytes from 10.0.2.100: icmp_seq=1 ttl=64 time=0.045 ms (DUP!)"
        );
        let small = Reply {
            bytes: 16,
            rtt: None,
            ..r
        };
        assert_eq!(
            reply_line(&small, "10.0.2.100", 8),
            "16 bytes from 10.0.2.100: icmp_seq=1 ttl=64"
        );
        assert_eq!(
            reply_line(&small, "10.0.2.100", 56),
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
