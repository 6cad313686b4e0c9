//! iproute2's names for route and address numbers: scopes (`rt_scopes`),
//! protocols (`rt_protos`), tables (`rt_tables`) and route types, both ways.
//! Unknown numbers print as numbers, as iproute2 prints them.

use rawnet::route::route::*;

const SCOPES: &[(u8, &str)] = &[
    (RT_SCOPE_UNIVERSE, "global"),
    (RT_SCOPE_SITE, "site"),
    (RT_SCOPE_LINK, "link"),
    (RT_SCOPE_HOST, "host"),
    (RT_SCOPE_NOWHERE, "nowhere"),
];

const PROTOCOLS: &[(u8, &str)] = &[
    (RTPROT_UNSPEC, "unspec"),
    (RTPROT_REDIRECT, "redirect"),
    (RTPROT_KERNEL, "kernel"),
    (RTPROT_BOOT, "boot"),
    (RTPROT_STATIC, "static"),
    (RTPROT_GATED, "gated"),
    (RTPROT_RA, "ra"),
    (RTPROT_MRT, "mrt"),
    (RTPROT_ZEBRA, "zebra"),
    (RTPROT_BIRD, "bird"),
    (RTPROT_DNROUTED, "dnrouted"),
    (RTPROT_XORP, "xorp"),
    (RTPROT_NTK, "ntk"),
    (RTPROT_DHCP, "dhcp"),
    (RTPROT_KEEPALIVED, "keepalived"),
    (RTPROT_BABEL, "babel"),
    (RTPROT_OPENR, "openr"),
    (RTPROT_BGP, "bgp"),
    (RTPROT_ISIS, "isis"),
    (RTPROT_OSPF, "ospf"),
    (RTPROT_RIP, "rip"),
    (RTPROT_EIGRP, "eigrp"),
];

const TABLES: &[(u32, &str)] = &[
    (RT_TABLE_UNSPEC, "unspec"),
    (RT_TABLE_DEFAULT, "default"),
    (RT_TABLE_MAIN, "main"),
    (RT_TABLE_LOCAL, "local"),
];

const TYPES: &[(u8, &str)] = &[
    (RTN_UNSPEC, "none"),
    (RTN_UNICAST, "unicast"),
    (RTN_LOCAL, "local"),
    (RTN_BROADCAST, "broadcast"),
    (RTN_ANYCAST, "anycast"),
    (RTN_MULTICAST, "multicast"),
    (RTN_BLACKHOLE, "blackhole"),
    (RTN_UNREACHABLE, "unreachable"),
    (RTN_PROHIBIT, "prohibit"),
    (RTN_THROW, "throw"),
    (RTN_NAT, "nat"),
    (RTN_XRESOLVE, "xresolve"),
];

/// A number as iproute2 prints it: its name from the table, else the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameOr<T> {
    Name(&'static str),
    Number(T),
}

impl<T: std::fmt::Display> std::fmt::Display for NameOr<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameOr::Name(name) => f.write_str(name),
            NameOr::Number(n) => n.fmt(f),
        }
    }
}

impl<T: crate::cli::output::Render> crate::cli::output::Render for NameOr<T> {
    fn render(&self, out: &mut String) {
        match self {
            NameOr::Name(name) => out.push_str(name),
            NameOr::Number(n) => n.render(out),
        }
    }
}

fn name_of<T: PartialEq + Copy>(table: &[(T, &'static str)], v: T) -> NameOr<T> {
    table
        .iter()
        .find(|(n, _)| *n == v)
        .map_or(NameOr::Number(v), |(_, s)| NameOr::Name(s))
}

/// A name or a number (decimal, or hex with `0x`), as iproute2's `*_a2n`.
fn number_of<T: Copy + TryFrom<u64>>(table: &[(T, &str)], word: &str) -> Option<T> {
    if let Some((v, _)) = table.iter().find(|(_, s)| *s == word) {
        return Some(*v);
    }
    let n = match word.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).ok()?,
        None if !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) => {
            word.parse().ok()?
        }
        None => return None,
    };
    T::try_from(n).ok()
}

pub fn scope_name(s: u8) -> NameOr<u8> {
    name_of(SCOPES, s)
}
pub fn scope_number(w: &str) -> Option<u8> {
    number_of(SCOPES, w)
}
pub fn protocol_name(p: u8) -> NameOr<u8> {
    name_of(PROTOCOLS, p)
}
pub fn protocol_number(w: &str) -> Option<u8> {
    number_of(PROTOCOLS, w)
}
pub fn table_name(t: u32) -> NameOr<u32> {
    name_of(TABLES, t)
}
pub fn table_number(w: &str) -> Option<u32> {
    number_of(TABLES, w)
}
pub fn type_name(t: u8) -> NameOr<u8> {
    name_of(TYPES, t)
}
/// A route type word; "none" (unspec) is not accepted on the command line.
pub fn type_number(w: &str) -> Option<u8> {
    number_of(&TYPES[1..], w).filter(|_| !w.bytes().next().is_some_and(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        assert_eq!(scope_name(253).to_string(), "link");
        assert_eq!(scope_number("host"), Some(254));
        assert_eq!(scope_number("17"), Some(17));
        assert_eq!(scope_number("foo"), None);
        assert_eq!(protocol_name(4).to_string(), "static");
        assert_eq!(protocol_name(77).to_string(), "77");
        assert_eq!(table_number("main"), Some(254));
        assert_eq!(table_number("100"), Some(100));
        assert_eq!(table_number("0x10"), Some(16));
        assert_eq!(table_name(100).to_string(), "100");
        assert_eq!(type_number("local"), Some(RTN_LOCAL));
        assert_eq!(type_number("10"), None);
        assert_eq!(scope_number("300"), None);
    }
}
