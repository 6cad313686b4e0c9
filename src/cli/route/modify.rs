//! `route add|change|replace|prepend|append|test|del ROUTE`: iproute2 6.1's
//! `iproute_modify` grammar, words in any order, made into one request whose
//! bytes are iproute2's (attributes in command-line order; `dev`, the
//! metrics and the next hops last).
//!
//! ```text
//! ROUTE := [TYPE] PREFIX|default [from PREFIX] [via [inet|inet6] ADDR] [dev D]
//!          [src ADDR] [tos T] [metric N] [table T] [proto P] [scope S]
//!          [onlink] [nhid N] [pref P] [expires N] [METRIC...]
//!          [nexthop NH]...
//! METRIC := mtu|advmss|window|cwnd|initcwnd|initrwnd|hoplimit|reordering|
//!           ssthresh [lock] N | rtt|rttvar [lock] TIME | rto_min TIME |
//!           quickack 0|1 | congctl [lock] NAME | features ecn
//! NH := via [inet|inet6] ADDR [dev D] [weight W] [onlink]
//! ```

use rawnet::netlink::header::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use rawnet::route::prefix::{parse_c_unsigned, parse_inet_addr, parse_inet_prefix};
use rawnet::route::route::*;

use super::{names, USAGE};
use crate::cli::arg_errors::{garbage, invalid_arg, usage_error};
use crate::cli::change::{Change, Devices};
use crate::cli::output::print;
use crate::cli::{matches, Args, CliError, Context};

use rawnet::netlink::header::NLM_F_APPEND;

/// The change a `route` command word asks for, by unique prefix in
/// iproute2's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteVerb {
    Add,
    Change,
    Replace,
    Prepend,
    Append,
    Test,
    Delete,
}

pub fn verb(cmd: &str) -> Option<RouteVerb> {
    Some(if matches(cmd, "add") {
        RouteVerb::Add
    } else if matches(cmd, "change") || cmd == "chg" {
        RouteVerb::Change
    } else if matches(cmd, "replace") {
        RouteVerb::Replace
    } else if matches(cmd, "prepend") {
        RouteVerb::Prepend
    } else if matches(cmd, "append") {
        RouteVerb::Append
    } else if matches(cmd, "test") {
        RouteVerb::Test
    } else if matches(cmd, "delete") {
        RouteVerb::Delete
    } else {
        return None;
    })
}

/// A request's `NLM_F_*` flags for `verb` (besides `NLM_F_REQUEST`/`ACK`).
fn verb_flags(verb: RouteVerb) -> u16 {
    match verb {
        RouteVerb::Add => NLM_F_CREATE | NLM_F_EXCL,
        RouteVerb::Change => NLM_F_REPLACE,
        RouteVerb::Replace => NLM_F_CREATE | NLM_F_REPLACE,
        RouteVerb::Prepend => NLM_F_CREATE,
        RouteVerb::Append => NLM_F_CREATE | NLM_F_APPEND,
        RouteVerb::Test => NLM_F_EXCL,
        RouteVerb::Delete => 0,
    }
}

/// `inet`/`inet6` before an address (iproute2's `read_family`, the families
/// rawnet has).
fn family_word(w: &str) -> Option<u8> {
    match w {
        "inet" => Some(libc::AF_INET as u8),
        "inet6" => Some(libc::AF_INET6 as u8),
        _ => None,
    }
}

/// `via [inet|inet6] ADDR`: the gateway; the route's family is learnt from
/// it when not known yet.
fn gateway(a: &mut Args<'_>, family: &mut u8) -> Result<std::net::IpAddr, CliError> {
    let mut v = a.value("via")?;
    let mut f = *family;
    if let Some(given) = family_word(v) {
        f = given;
        v = a.value("via")?;
    }
    let p = parse_inet_addr(v, f)?;
    if *family == 0 {
        *family = p.family;
    }
    p.addr
        .ok_or_else(|| crate::cli::arg_errors::address_expected(Some(f).filter(|&f| f != 0), v))
}

/// iproute2's `rtnl_dsfield_a2n` for numbers: hex (base 16), 0..=255.
pub fn dsfield(word: &str) -> Option<u8> {
    let w = word
        .strip_prefix("0x")
        .or_else(|| word.strip_prefix("0X"))
        .unwrap_or(word);
    if w.is_empty() {
        return None;
    }
    u8::from_str_radix(w, 16).ok()
}

/// iproute2's `get_time_rtt`: milliseconds; a bare number is raw (sent as
/// is), with `s`/`ms` it is converted (the caller scales it).
fn time_rtt(word: &str) -> Option<(u32, bool)> {
    let lower = word.to_ascii_lowercase();
    for (suffix, scale) in [
        ("msecs", 1),
        ("msec", 1),
        ("ms", 1),
        ("secs", 1000),
        ("sec", 1000),
        ("s", 1000),
    ] {
        if let Some(num) = lower.strip_suffix(suffix) {
            if let Some(n) = parse_c_unsigned(num) {
                return Some((n.checked_mul(scale)?, false));
            }
        }
    }
    parse_c_unsigned(word).map(|n| (n, true))
}

/// A metric value after an optional `lock`.
fn metric_value<'a>(
    a: &mut Args<'a>,
    key: &str,
    kind: u16,
    m: &mut RouteMetrics,
) -> Result<&'a str, CliError> {
    let mut v = a.value(key)?;
    if v == "lock" {
        m.lock |= 1 << kind;
        v = a.value(key)?;
    }
    Ok(v)
}

fn put_metric(m: &mut RouteMetrics, kind: u16, v: u32) {
    m.values.push((kind, Metric::Number(v)));
}

/// `route VERB ROUTE` as one request (the command line and `-batch`).
pub fn prepare(
    ctx: &Context,
    mut a: Args<'_>,
    op: RouteVerb,
    devices: &mut dyn Devices,
) -> Result<Change, CliError> {
    let mut family = ctx.family.unwrap_or(0);
    let mut spec = RouteSpec::default();
    let mut dst_seen = false;
    let mut gw_seen = false;
    let mut dev = None;
    let mut nexthops = None;
    while let Some(w) = a.next() {
        let m = &mut spec.metrics;
        match w {
            "src" => {
                let v = a.value(w)?;
                let p = parse_inet_addr(v, family)?;
                if family == 0 {
                    family = p.family;
                }
                spec.prefsrc = p.addr;
                spec.order.push(RTA_PREFSRC);
            }
            "via" => {
                if gw_seen {
                    return Err(invalid_arg(
                        "via",
                        "use nexthop syntax to specify multiple via",
                    ));
                }
                gw_seen = true;
                spec.gateway = Some(gateway(&mut a, &mut family)?);
                spec.order.push(RTA_GATEWAY);
            }
            "from" => {
                let v = a.value(w)?;
                let p = parse_inet_prefix(v, family)?;
                if family == 0 {
                    family = p.family;
                }
                spec.src = p
                    .addr
                    .map(|addr| rawnet::route::prefix::Prefix { addr, len: p.len });
                spec.order.push(RTA_SRC);
            }
            w if w == "tos" || matches(w, "dsfield") => {
                let v = a.value(w)?;
                spec.tos =
                    dsfield(v).ok_or_else(|| invalid_arg(v, "\"tos\" value is invalid\n"))?;
            }
            "expires" => {
                let v = a.value(w)?;
                spec.expires = Some(
                    parse_c_unsigned(v)
                        .ok_or_else(|| invalid_arg(v, "\"expires\" value is invalid\n"))?,
                );
                spec.order.push(RTA_EXPIRES);
            }
            w if matches(w, "metric") || matches(w, "priority") || w == "preference" => {
                let v = a.value(w)?;
                spec.metric = Some(
                    parse_c_unsigned(v)
                        .ok_or_else(|| invalid_arg(v, "\"metric\" value is invalid\n"))?,
                );
                spec.order.push(RTA_PRIORITY);
            }
            "scope" => {
                let v = a.value(w)?;
                spec.scope = Some(
                    names::scope_number(v)
                        .ok_or_else(|| invalid_arg(v, "invalid \"scope\" value"))?,
                );
            }
            "mtu" | "hoplimit" | "advmss" => {
                let (kind, what) = match w {
                    "mtu" => (RTAX_MTU, "mtu"),
                    "hoplimit" => (RTAX_HOPLIMIT, "hoplimit"),
                    _ => (RTAX_ADVMSS, "mss"),
                };
                let v = metric_value(&mut a, w, kind, m)?;
                let n = parse_c_unsigned(v)
                    .filter(|&n| kind != RTAX_HOPLIMIT || n <= 255)
                    .ok_or_else(|| invalid_arg(v, &format!("\"{what}\" value is invalid\n")))?;
                put_metric(m, kind, n);
            }
            w if matches(w, "reordering") => {
                let v = metric_value(&mut a, w, RTAX_REORDERING, m)?;
                let n = parse_c_unsigned(v)
                    .ok_or_else(|| invalid_arg(v, "\"reordering\" value is invalid\n"))?;
                put_metric(m, RTAX_REORDERING, n);
            }
            "rtt" => {
                let v = metric_value(&mut a, w, RTAX_RTT, m)?;
                let (n, raw) =
                    time_rtt(v).ok_or_else(|| invalid_arg(v, "\"rtt\" value is invalid\n"))?;
                put_metric(m, RTAX_RTT, if raw { n } else { n.wrapping_mul(8) });
            }
            "rto_min" => {
                let v = a.value(w)?;
                m.lock |= 1 << RTAX_RTO_MIN;
                let (n, _) =
                    time_rtt(v).ok_or_else(|| invalid_arg(v, "\"rto_min\" value is invalid\n"))?;
                put_metric(m, RTAX_RTO_MIN, n);
            }
            w if matches(w, "window")
                || matches(w, "cwnd")
                || matches(w, "initcwnd")
                || matches(w, "initrwnd") =>
            {
                let (kind, what) = if matches(w, "window") {
                    (RTAX_WINDOW, "window")
                } else if matches(w, "cwnd") {
                    (RTAX_CWND, "cwnd")
                } else if matches(w, "initcwnd") {
                    (RTAX_INITCWND, "initcwnd")
                } else {
                    (RTAX_INITRWND, "initrwnd")
                };
                let v = metric_value(&mut a, w, kind, m)?;
                let n = parse_c_unsigned(v)
                    .ok_or_else(|| invalid_arg(v, &format!("\"{what}\" value is invalid\n")))?;
                put_metric(m, kind, n);
            }
            w if matches(w, "features") => {
                let v = a.value(w)?;
                if v != "ecn" {
                    return Err(invalid_arg(v, "\"features\" value not valid"));
                }
                put_metric(m, RTAX_FEATURES, RTAX_FEATURE_ECN);
            }
            w if matches(w, "quickack") => {
                let v = a.value(w)?;
                let n = parse_c_unsigned(v)
                    .ok_or_else(|| invalid_arg(v, "\"quickack\" value is invalid\n"))?;
                if n > 1 {
                    return Err(invalid_arg(v, "\"quickack\" value should be 0 or 1"));
                }
                put_metric(m, RTAX_QUICKACK, n);
            }
            w if matches(w, "congctl") => {
                let v = metric_value(&mut a, w, RTAX_CC_ALGO, m)?;
                m.values.push((RTAX_CC_ALGO, Metric::Name(v.to_string())));
            }
            w if matches(w, "rttvar") => {
                let v = metric_value(&mut a, w, RTAX_RTTVAR, m)?;
                let (n, raw) =
                    time_rtt(v).ok_or_else(|| invalid_arg(v, "\"rttvar\" value is invalid\n"))?;
                put_metric(m, RTAX_RTTVAR, if raw { n } else { n.wrapping_mul(4) });
            }
            w if matches(w, "ssthresh") => {
                let v = metric_value(&mut a, w, RTAX_SSTHRESH, m)?;
                let n = parse_c_unsigned(v)
                    .ok_or_else(|| invalid_arg(v, "\"ssthresh\" value is invalid\n"))?;
                put_metric(m, RTAX_SSTHRESH, n);
            }
            "onlink" => spec.onlink = true,
            "nexthop" => {
                nexthops = Some(a);
                break;
            }
            "nhid" => {
                let v = a.value(w)?;
                spec.nh_id = Some(
                    parse_c_unsigned(v)
                        .ok_or_else(|| invalid_arg(v, "\"id\" value is invalid\n"))?,
                );
                spec.order.push(RTA_NH_ID);
            }
            w if matches(w, "protocol") => {
                let v = a.value(w)?;
                spec.protocol = Some(
                    names::protocol_number(v)
                        .ok_or_else(|| invalid_arg(v, "\"protocol\" value is invalid\n"))?,
                );
            }
            w if matches(w, "table") => {
                let v = a.value(w)?;
                spec.table = Some(
                    names::table_number(v)
                        .ok_or_else(|| invalid_arg(v, "\"table\" value is invalid\n"))?,
                );
                spec.order.push(RTA_TABLE);
            }
            "dev" | "oif" => dev = Some(a.value(w)?),
            w if matches(w, "pref") => {
                let v = a.value(w)?;
                spec.pref = Some(match v {
                    "low" => 3,
                    "medium" => 0,
                    "high" => 1,
                    v => parse_c_unsigned(v)
                        .and_then(|n| u8::try_from(n).ok())
                        .ok_or_else(|| invalid_arg(v, "\"pref\" value is invalid\n"))?,
                });
                spec.order.push(RTA_PREF);
            }
            w => {
                let mut w = if w == "to" { a.value(w)? } else { w };
                if !w.starts_with(|c: char| c.is_ascii_digit()) {
                    if let Some(t) = names::type_number(w) {
                        spec.kind = Some(t);
                        w = a.value(w)?;
                    }
                }
                if matches(w, "help") {
                    print(USAGE)?;
                    return Err(CliError::done());
                }
                if dst_seen {
                    return Err(garbage("to", w));
                }
                let p = parse_inet_prefix(w, family)?;
                if family == 0 {
                    family = p.family;
                }
                spec.dst = p.prefix();
                dst_seen = true;
                spec.order.push(RTA_DST);
            }
        }
    }
    if !dst_seen {
        return Err(usage_error(USAGE));
    }
    if let Some(d) = dev {
        spec.oif = Some(devices.index(d)?);
    }
    if let Some(rest) = nexthops {
        spec.nexthops = next_hops(rest, &mut family, devices)?;
    }
    spec.family = if family == 0 {
        libc::AF_INET as u8
    } else {
        family
    };
    let request = if op == RouteVerb::Delete {
        delete_route_request(&spec)
    } else {
        add_route_request(&spec).map(|mut r| {
            r.clear_flags(NLM_F_CREATE | NLM_F_EXCL);
            r.add_flags(verb_flags(op));
            r
        })
    };
    Ok(Change::new(request.map_err(CliError::from)?))
}

/// `nexthop NH [nexthop NH]...` (iproute2's `parse_nexthops`); `a` is just
/// after the first `nexthop`.
fn next_hops(
    mut a: Args<'_>,
    family: &mut u8,
    devices: &mut dyn Devices,
) -> Result<Vec<NextHopSpec>, CliError> {
    let mut hops = Vec::new();
    let mut first = true;
    loop {
        if !first {
            match a.next() {
                None => return Ok(hops),
                Some("nexthop") => {}
                Some(w) => {
                    return Err(CliError::usage(format!(
                        "Error: \"nexthop\" or end of line is expected instead of \"{w}\""
                    )))
                }
            }
        }
        first = false;
        if a.is_empty() {
            return Err(CliError::usage(
                "Error: unexpected end of line after \"nexthop\"",
            ));
        }
        let mut nh = NextHopSpec::default();
        while let Some(w) = a.peek() {
            match w {
                "via" => {
                    a.next();
                    nh.gateway = Some(gateway(&mut a, family)?);
                }
                "dev" => {
                    a.next();
                    let v = a.value(w)?;
                    nh.ifindex = Some(devices.index(v)?);
                }
                "weight" => {
                    a.next();
                    let v = a.value(w)?;
                    let n = parse_c_unsigned(v)
                        .filter(|&n| (1..=256).contains(&n))
                        .ok_or_else(|| invalid_arg(v, "\"weight\" is invalid\n"))?;
                    nh.weight = u16::try_from(n).ok();
                }
                "onlink" => {
                    a.next();
                    nh.flags |= RTNH_F_ONLINK as u8;
                }
                _ => break,
            }
        }
        hops.push(nh);
    }
}
