//! Route output as iproute2 6.1 prints it (`print_route`,
//! `print_rta_multipath`, `print_rta_metrics` in ip/iproute.c): text lines
//! with their trailing spaces, and the `-j` objects with the same keys in the
//! same order (`flags` always present, `table` only when not main and not
//! selected, `type` only when not unicast or under `-d`). Next hops of a
//! multipath route go on lines of their own (`Out::line_break`, so `-o`
//! keeps them on one line), `"nexthops"` in JSON.

use std::net::IpAddr;

use rawnet::route::route::*;

use super::names;
use crate::cli::link_names::LinkNames;
use crate::cli::output::{Out, Render};
use crate::cli::CliError;

/// The columns a listing prints: those its selection fixed are left out, as
/// iproute2 leaves them out; `details` is `-d`.
#[derive(Debug, Clone, Copy)]
pub struct Shown {
    pub table: bool,
    pub oif: bool,
    pub iif: bool,
    pub protocol: bool,
    pub scope: bool,
    pub tos: bool,
    pub metric: bool,
    pub gateway: bool,
    pub prefsrc: bool,
    pub details: bool,
}

impl Shown {
    /// Every column, no details.
    pub fn all() -> Shown {
        Shown {
            table: true,
            oif: true,
            iif: true,
            protocol: true,
            scope: true,
            tos: true,
            metric: true,
            gateway: true,
            prefsrc: true,
            details: false,
        }
    }
}

/// What the selection makes redundant to print.
#[derive(Debug, Clone, Copy)]
pub struct View {
    /// Print `table` for routes not in main (only when no table was selected).
    pub table_shown: bool,
    /// Print `dev` (not when the output interface was selected).
    pub oif_shown: bool,
}

const RT_FLAGS: &[(u32, &str)] = &[
    (RTNH_F_DEAD, "dead"),
    (RTNH_F_ONLINK, "onlink"),
    (RTNH_F_PERVASIVE, "pervasive"),
    (RTNH_F_OFFLOAD, "offload"),
    (RTNH_F_TRAP, "trap"),
    (RTM_F_NOTIFY, "notify"),
    (RTNH_F_LINKDOWN, "linkdown"),
    (RTNH_F_UNRESOLVED, "unresolved"),
    (RTM_F_OFFLOAD, "rt_offload"),
    (RTM_F_TRAP, "rt_trap"),
    (RTM_F_OFFLOAD_FAILED, "rt_offload_failed"),
];

const CACHE_FLAGS: &[(u32, &str)] = &[
    (RTCF_LOCAL, "local"),
    (RTCF_REJECT, "reject"),
    (RTCF_MULTICAST, "mc"),
    (RTCF_BROADCAST, "brd"),
    (RTCF_DNAT, "dst-nat"),
    (RTCF_SNAT, "src-nat"),
    (RTCF_MASQ, "masq"),
    (RTCF_DIRECTDST, "dst-direct"),
    (RTCF_DIRECTSRC, "src-direct"),
    (RTCF_REDIRECTED, "redirected"),
    (RTCF_DOREDIRECT, "redirect"),
    (RTCF_FAST, "fastroute"),
    (RTCF_NOTIFY, "notify"),
    (RTCF_TPROXY, "proxy"),
];

fn host_len(family: u8) -> u8 {
    if family == libc::AF_INET6 as u8 {
        128
    } else {
        32
    }
}

/// A prefix as iproute2 prints a route's destination or source: the bare
/// address for a host route, `ADDR/LEN` otherwise, `0/LEN` without an address.
struct PrefixText {
    addr: Option<IpAddr>,
    len: u8,
    family: u8,
}

impl Render for PrefixText {
    const PLAIN: bool = true;

    fn render(&self, out: &mut String) {
        match self.addr {
            Some(a) if self.len == host_len(self.family) => a.render(out),
            Some(a) => {
                a.render(out);
                out.push('/');
                self.len.render(out);
            }
            None => {
                out.push_str("0/");
                self.len.render(out);
            }
        }
    }
}

fn flag_words(
    flags: u32,
    table: &'static [(u32, &'static str)],
) -> impl Iterator<Item = &'static str> {
    table
        .iter()
        .filter(move |(b, _)| flags & b != 0)
        .map(|(_, n)| *n)
}

/// One route as `ip route` prints it, into `o` (text line with its newline,
/// or the keys of the JSON object).
pub fn route(
    o: &mut Out<'_>,
    names: &mut LinkNames,
    r: &Route<'_>,
    view: View,
) -> Result<(), CliError> {
    let shown = Shown {
        table: view.table_shown,
        oif: view.oif_shown,
        ..Shown::all()
    };
    route_shown(o, names, r, &shown)
}

fn family_name(f: u8) -> &'static str {
    match i32::from(f) {
        libc::AF_INET => "inet",
        libc::AF_INET6 => "inet6",
        _ => "unknown",
    }
}

/// `via FAMILY ADDR` of an `RTA_VIA` gateway; `{"family":..,"host":..}` in JSON.
fn via(o: &mut Out<'_>, v: &IpAddr) {
    let family = family_name(rawnet::route::prefix::family_of(v));
    match o {
        Out::Text(_) => {
            o.text("via ");
            o.text(family);
            o.str("", " ", *v, " ");
        }
        Out::Json(_) => o.object("via", |j| {
            j.str("family", family);
            j.str_render("host", *v);
        }),
    }
}

/// One route as `ip route` prints it, leaving out the columns `shown` says.
pub fn route_shown(
    o: &mut Out<'_>,
    names: &mut LinkNames,
    r: &Route<'_>,
    shown: &Shown,
) -> Result<(), CliError> {
    if r.kind != RTN_UNICAST || shown.details {
        o.str("type", "", names::type_name(r.kind), " ");
    }
    if r.dst.is_none() && r.dst_len == 0 {
        o.str("dst", "", "default", " ");
    } else if r.dst.is_none() {
        // iproute2 prints "0/LEN " and then its usual space.
        let dst = PrefixText {
            addr: None,
            len: r.dst_len,
            family: r.family,
        };
        o.str("dst", "", dst, "  ");
    } else {
        let dst = PrefixText {
            addr: r.dst,
            len: r.dst_len,
            family: r.family,
        };
        o.str("dst", "", dst, " ");
    }
    if r.src.is_some() {
        let src = PrefixText {
            addr: r.src,
            len: r.src_len,
            family: r.family,
        };
        o.str("from", "from ", src, " ");
    } else if r.src_len != 0 {
        let src = PrefixText {
            addr: None,
            len: r.src_len,
            family: r.family,
        };
        o.str("src", "from ", src, " ");
    }
    if let Some(id) = r.nh_id {
        o.num("nhid", "nhid ", id, " ");
    }
    if r.tos != 0 && shown.tos {
        let mut t = String::new();
        let _ = std::fmt::Write::write_fmt(&mut t, format_args!("0x{:x}", r.tos));
        o.str("tos", "tos ", t.as_str(), " ");
    }
    if let Some(g) = r.gateway.filter(|_| shown.gateway) {
        o.str("gateway", "via ", g, " ");
    }
    if let Some(v) = &r.via {
        via(o, v);
    }
    if let Some(index) = r.oif.filter(|_| shown.oif) {
        o.str("dev", "dev ", names.name(index)?, " ");
    }
    if shown.table && r.table != 0 && (r.table != RT_TABLE_MAIN || shown.details) {
        o.str("table", "table ", names::table_name(r.table), " ");
    }
    if r.flags & RTM_F_CLONED == 0 {
        if (r.protocol != RTPROT_BOOT || shown.details) && shown.protocol {
            o.str("protocol", "proto ", names::protocol_name(r.protocol), " ");
        }
        if (r.scope != RT_SCOPE_UNIVERSE || shown.details) && shown.scope {
            o.str("scope", "scope ", names::scope_name(r.scope), " ");
        }
    }
    if let Some(p) = r.prefsrc.filter(|_| shown.prefsrc) {
        o.str("prefsrc", "src ", p, " ");
    }
    if let Some(m) = r.priority.filter(|_| shown.metric) {
        o.num("metric", "metric ", m, " ");
    }
    o.words("flags", flag_words(r.flags, RT_FLAGS));
    if let Some(mark) = r.mark.filter(|&m| m != 0) {
        match o {
            Out::Json(_) => o.num("mark", "", mark, ""),
            Out::Text(_) if mark >= 16 => o.text(&format!("mark {mark:#x} ")),
            Out::Text(_) => o.num("mark", "mark ", mark, " "),
        }
    }
    if let Some(u) = r.uid {
        o.num("uid", "uid ", u, " ");
    }
    if r.family == libc::AF_INET as u8 && r.flags & RTM_F_CLONED != 0 {
        cache(o, r.flags);
    }
    if let Some(ci) = r.cacheinfo {
        if ci.rta_expires != 0 {
            // USER_HZ is 100 on Linux.
            let secs = ci.rta_expires / 100;
            match o {
                Out::Text(_) => o.num("expires", "expires ", secs, "sec "),
                Out::Json(_) => o.num("expires", "", secs.max(0), ""),
            }
        }
        if ci.rta_error != 0 {
            o.num("error", "error ", ci.rta_error, " ");
        }
    }
    if let Some(m) = r.metrics {
        metrics(o, m);
    }
    if let Some(index) = r.iif.filter(|_| shown.iif) {
        o.str("iif", "iif ", names.name(index)?, " ");
    }
    if let Some(p) = r.pref {
        pref(o, p);
    }
    if let Some(mp) = r.multipath {
        multipath(o, names, r, mp)?;
    }
    o.text("\n");
    Ok(())
}

/// Metric names as iproute2's `mx_names`.
fn metric_name(kind: u16) -> Option<&'static str> {
    Some(match kind {
        RTAX_MTU => "mtu",
        RTAX_WINDOW => "window",
        RTAX_RTT => "rtt",
        RTAX_RTTVAR => "rttvar",
        RTAX_SSTHRESH => "ssthresh",
        RTAX_CWND => "cwnd",
        RTAX_ADVMSS => "advmss",
        RTAX_REORDERING => "reordering",
        RTAX_HOPLIMIT => "hoplimit",
        RTAX_INITCWND => "initcwnd",
        RTAX_FEATURES => "features",
        RTAX_RTO_MIN => "rto_min",
        RTAX_INITRWND => "initrwnd",
        RTAX_QUICKACK => "quickack",
        RTAX_CC_ALGO => "congctl",
        RTAX_FASTOPEN_NO_COOKIE => "fastopen_no_cookie",
        _ => return None,
    })
}

/// `RTA_METRICS` as `print_rta_metrics`: in `RTAX_*` order, `lock` after a
/// locked one's name; `"metrics":[{...}]` in JSON.
fn metrics(o: &mut Out<'_>, payload: &[u8]) {
    let mut values: [Option<MetricValue<'_>>; RTAX_MAX as usize + 1] =
        [None; RTAX_MAX as usize + 1];
    let mut lock = 0u32;
    for (kind, v) in metrics_of(payload) {
        if kind == RTAX_LOCK {
            if let MetricValue::Number(n) = v {
                lock = n;
            }
        } else if let Some(slot) = values.get_mut(usize::from(kind)) {
            *slot = Some(v);
        }
    }
    if let Out::Json(j) = o {
        j.key_array("metrics");
        j.begin_object();
    }
    for i in 2..=RTAX_MAX {
        let v = values[usize::from(i)];
        let locked = lock & (1 << i) != 0;
        if v.is_none() && !locked {
            continue;
        }
        let n = match v {
            Some(MetricValue::Number(n)) if i != RTAX_CC_ALGO => n,
            _ => 0,
        };
        if i == RTAX_HOPLIMIT && n == u32::MAX {
            continue;
        }
        if let Out::Text(s) = o {
            match metric_name(i) {
                Some(name) => {
                    s.push_str(name);
                    s.push(' ');
                }
                None => s.push_str(&format!("metric {i} ")),
            }
            if locked {
                s.push_str("lock ");
            }
        }
        let key = metric_name(i).unwrap_or("");
        match i {
            RTAX_FEATURES => {
                let mut rest = n;
                if n & RTAX_FEATURE_ECN != 0 {
                    o.null("ecn", "ecn ");
                    rest &= !RTAX_FEATURE_ECN;
                }
                if rest != 0 {
                    o.hex("features", "", u64::from(n));
                }
            }
            RTAX_RTT | RTAX_RTTVAR | RTAX_RTO_MIN => {
                let v = match i {
                    RTAX_RTT => n / 8,
                    RTAX_RTTVAR => n / 4,
                    _ => n,
                };
                match o {
                    Out::Json(j) => j.num(key, v),
                    Out::Text(s) if v >= 1000 => {
                        s.push_str(&format!("{}s ", c_g(f64::from(v) / 1e3)))
                    }
                    Out::Text(s) => s.push_str(&format!("{v}ms ")),
                }
            }
            RTAX_CC_ALGO => {
                let name = match v {
                    Some(MetricValue::Name(b)) => String::from_utf8_lossy(b).into_owned(),
                    _ => String::new(),
                };
                o.str("congestion", "", name.as_str(), " ");
            }
            _ => o.num(key, "", n, " "),
        }
    }
    if let Out::Json(j) = o {
        j.end_object();
        j.end_array();
    }
}

/// The metrics of a payload, malformed ones skipped (iproute2 reads what
/// it can).
fn metrics_of(payload: &[u8]) -> impl Iterator<Item = (u16, MetricValue<'_>)> {
    rawnet::route::route::metrics(payload).filter_map(Result::ok)
}

/// C's `%g` for the seconds of an RTT (six significant digits, no
/// trailing zeros).
fn c_g(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// The next hops of a multipath route as `print_rta_multipath`.
fn multipath(
    o: &mut Out<'_>,
    names: &mut LinkNames,
    r: &Route<'_>,
    payload: &[u8],
) -> Result<(), CliError> {
    if let Out::Json(j) = o {
        j.key_array("nexthops");
    }
    for nh in next_hops(r.family, payload) {
        let Ok(nh) = nh else { break };
        if let Out::Json(j) = o {
            j.begin_object();
        }
        o.line_break();
        o.text("\tnexthop ");
        if let Some(g) = nh.gateway {
            o.str("gateway", "via ", g, " ");
        }
        if let Some(v) = &nh.via {
            via(o, v);
        }
        o.str("dev", "dev ", names.name(nh.ifindex)?, " ");
        o.num("weight", "weight ", nh.weight, " ");
        o.words("flags", flag_words(u32::from(nh.flags), RT_FLAGS));
        if let Out::Json(j) = o {
            j.end_object();
        }
    }
    if let Out::Json(j) = o {
        j.end_array();
    }
    Ok(())
}

/// The `cache` block of a cloned IPv4 route: on a line of its own in text,
/// the flags in `<>` when there are any; an array of the words in JSON.
fn cache(o: &mut Out<'_>, flags: u32) {
    match o {
        Out::Text(s) => {
            s.push_str("\n    cache ");
            let mut words = flag_words(flags, CACHE_FLAGS).peekable();
            if words.peek().is_some() {
                s.push('<');
                for (i, w) in words.enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    s.push_str(w);
                }
                s.push_str("> ");
            }
        }
        Out::Json(_) => o.words("cache", flag_words(flags, CACHE_FLAGS)),
    }
}

/// The IPv6 router preference: `pref NAME` (no space after it), or for a
/// value without a name the bare number.
fn pref(o: &mut Out<'_>, p: u8) {
    let name = match p {
        0 => "medium",
        1 => "high",
        3 => "low",
        _ => return o.num("pref", "", p, ""),
    };
    o.str("pref", "pref ", name, "");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::output::Json;

    fn text(f: impl FnOnce(&mut Out<'_>)) -> String {
        let mut s = String::new();
        f(&mut Out::Text(&mut s));
        s
    }

    #[test]
    fn cache_and_pref_texts() {
        assert_eq!(text(|o| cache(o, 0)), "\n    cache ");
        assert_eq!(
            text(|o| cache(o, RTCF_LOCAL | RTCF_MULTICAST)),
            "\n    cache <local,mc> "
        );
        assert_eq!(text(|o| pref(o, 1)), "pref high");
        assert_eq!(text(|o| pref(o, 2)), "2");
        let mut j = Json::new(false);
        j.begin_object();
        cache(&mut Out::Json(&mut j), RTCF_LOCAL);
        pref(&mut Out::Json(&mut j), 3);
        j.end_object();
        assert_eq!(j.finish(), "{\"cache\":[\"local\"],\"pref\":\"low\"}\n");
    }

    #[test]
    fn prefixes() {
        let p = |addr: &str, len| PrefixText {
            addr: addr.parse().ok(),
            len,
            family: libc::AF_INET as u8,
        };
        let text = |p: PrefixText| {
            let mut s = String::new();
            p.render(&mut s);
            s
        };
        assert_eq!(text(p("10.0.0.1", 32)), "10.0.0.1");
        assert_eq!(text(p("10.0.0.0", 8)), "10.0.0.0/8");
        assert_eq!(text(p("", 8)), "0/8");
    }
}
