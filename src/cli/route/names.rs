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

/// A name or a number (`strtoul` base 0: decimal, `0x` hex, `0` octal), as
/// iproute2's `*_a2n`.
fn number_of<T: Copy + TryFrom<u64>>(table: &[(T, &str)], word: &str) -> Option<T> {
    if let Some((v, _)) = table.iter().find(|(_, s)| *s == word) {
        return Some(*v);
    }
    T::try_from(crate::cli::numbers::strtoul(word)?).ok()
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

/// A device group word as iproute2's `rtnl_group_a2n` reads it (`link set
/// group`, `link show group`, `address show group`, `rule suppress_ifgroup`):
/// a name from /etc/iproute2/group (`NUMBER NAME` lines, `#` comments),
/// `default` (0) without that file, else `strtol(word, &end, 0)` over the
/// whole word cut to an `int`, refused when that `int` is negative (so
/// `010` is 8, `0xffffffff` and `2147483648` are refused, `4294967301` is 5).
pub fn group_number(word: &str) -> Option<u32> {
    if let Ok(table) = std::fs::read_to_string("/etc/iproute2/group") {
        let named = table.lines().find_map(|line| {
            let mut it = line.split('#').next()?.split_whitespace();
            let n = crate::cli::numbers::strtoul(it.next()?)?;
            (it.next()? == word).then_some(n)
        });
        if let Some(n) = named {
            return u32::try_from(n).ok();
        }
    }
    if word == "default" {
        return Some(0);
    }
    let t = word.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    // strtol saturates at LONG_MAX / LONG_MIN, which cut to -1 / 0.
    let long = match crate::cli::numbers::strtoul(digits) {
        Some(n) if n <= i64::MAX as u64 => {
            let n = n as i64;
            if negative {
                -n
            } else {
                n
            }
        }
        Some(_) => {
            if negative {
                i64::MIN
            } else {
                i64::MAX
            }
        }
        None => return None,
    };
    u32::try_from(long as i32).ok()
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
        assert_eq!(table_number("010"), Some(8));
        assert_eq!(table_number("08"), None);
        assert_eq!(scope_number("0376"), Some(254));
        assert_eq!(table_name(100).to_string(), "100");
        assert_eq!(type_number("local"), Some(RTN_LOCAL));
        assert_eq!(type_number("10"), None);
        assert_eq!(scope_number("300"), None);
    }

    #[test]
    fn groups_as_rtnl_group_a2n_reads_them() {
        assert_eq!(group_number("default"), Some(0));
        assert_eq!(group_number("010"), Some(8));
        assert_eq!(group_number("0x10"), Some(16));
        assert_eq!(group_number(" 7"), Some(7));
        // strtol's long cut to an int, then refused when negative.
        assert_eq!(group_number("4294967301"), Some(5));
        assert_eq!(group_number("-4294967291"), Some(5));
        assert_eq!(group_number("0xffffffff"), None);
        assert_eq!(group_number("2147483648"), None);
        assert_eq!(group_number("-1"), None);
        assert_eq!(group_number("99999999999999999999"), None);
        assert_eq!(group_number("1x"), None);
        assert_eq!(group_number(""), None);
    }
}
