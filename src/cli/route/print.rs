//! Route output as iproute2 6.1 prints it (`print_route` in ip/iproute.c):
//! text lines with their trailing spaces, and the `-j` objects with the same
//! keys in the same order (`flags` always present, `table` only when not main
//! and not selected, `type` only when not unicast).

use std::net::IpAddr;

use rawnet::route::route::*;

use super::names;
use crate::cli::link_names::LinkNames;
use crate::cli::output::{Out, Render};
use crate::cli::CliError;

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
    if r.kind != RTN_UNICAST {
        o.str("type", "", names::type_name(r.kind), " ");
    }
    if r.dst.is_none() && r.dst_len == 0 {
        o.str("dst", "", "default", " ");
    } else {
        let dst = PrefixText {
            addr: r.dst,
            len: r.dst_len,
            family: r.family,
        };
        o.str("dst", "", dst, " ");
    }
    if r.src.is_some() || r.src_len != 0 {
        let src = PrefixText {
            addr: r.src,
            len: r.src_len,
            family: r.family,
        };
        o.str("from", "from ", src, " ");
    }
    if let Some(g) = r.gateway {
        o.str("gateway", "via ", g, " ");
    }
    if let Some(index) = r.oif.filter(|_| view.oif_shown) {
        o.str("dev", "dev ", names.name(index)?, " ");
    }
    if view.table_shown && r.table != RT_TABLE_MAIN && r.table != 0 {
        o.str("table", "table ", names::table_name(r.table), " ");
    }
    if r.flags & RTM_F_CLONED == 0 {
        if r.protocol != RTPROT_BOOT {
            o.str("protocol", "proto ", names::protocol_name(r.protocol), " ");
        }
        if r.scope != RT_SCOPE_UNIVERSE {
            o.str("scope", "scope ", names::scope_name(r.scope), " ");
        }
    }
    if let Some(p) = r.prefsrc {
        o.str("prefsrc", "src ", p, " ");
    }
    if let Some(m) = r.priority {
        o.num("metric", "metric ", m, " ");
    }
    o.words("flags", flag_words(r.flags, RT_FLAGS));
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
    if let Some(p) = r.pref {
        pref(o, p);
    }
    o.text("\n");
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
