//! `address add|change|replace|del`: iproute2 6.1's `ipaddr_modify` grammar,
//! made into one request (the command line's and `-batch`'s parse).
//!
//! ```text
//! IFADDR dev IFNAME [ local ] PREFIX [ peer PREFIX ] [ broadcast ADDR|+|- ]
//!        [ anycast ADDR ] [ label IFNAME ] [ scope SCOPE ] [ metric N ]
//!        [ valid_lft SECS|forever ] [ preferred_lft SECS|forever ]
//!        [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]
//! ```
//!
//! Words come in any order. The attributes named go into the request in the
//! order given ([`AddressOptions::order`]), so the bytes are iproute2's. The
//! address family is `-4`/`-6`, else that of the first address word; a flag
//! word that is IPv6-only is dropped with iproute2's warning when the family
//! is not (yet) IPv6, as iproute2 does.

use std::net::IpAddr;

use rawnet::route::addr::*;
use rawnet::route::prefix::{family_of, Prefix};

use super::USAGE;
use crate::cli::arg_errors::{
    address_expected, duplicate, garbage, invalid_arg, prefix_expected, usage_error,
};
use crate::cli::change::{Change, Devices};
use crate::cli::numbers::strtoul;
use crate::cli::output::to_stderr;
use crate::cli::route::names;
use crate::cli::{matches, Args, CliError, Context};

/// `IFA_F_*` words as iproute2's `ifa_flag_data`: (word, bit, read-only, IPv6 only).
const FLAG_WORDS: &[(&str, u32, bool, bool)] = &[
    ("secondary", IFA_F_SECONDARY, true, false),
    ("temporary", IFA_F_SECONDARY, true, false),
    ("nodad", IFA_F_NODAD, false, true),
    ("optimistic", IFA_F_OPTIMISTIC, false, true),
    ("dadfailed", IFA_F_DADFAILED, true, true),
    ("home", IFA_F_HOMEADDRESS, false, true),
    ("deprecated", IFA_F_DEPRECATED, true, true),
    ("tentative", IFA_F_TENTATIVE, true, true),
    ("permanent", IFA_F_PERMANENT, true, true),
    ("mngtmpaddr", IFA_F_MANAGETEMPADDR, false, true),
    ("noprefixroute", IFA_F_NOPREFIXROUTE, false, false),
    ("autojoin", IFA_F_MCAUTOJOIN, false, false),
    ("stable-privacy", IFA_F_STABLE_PRIVACY, true, true),
];

/// The bit a flag word names (exact word, as iproute2's lookup).
pub(super) fn flag_word(w: &str) -> Option<(u32, bool, bool)> {
    FLAG_WORDS
        .iter()
        .find(|f| f.0 == w)
        .map(|&(_, bit, ro, v6)| (bit, ro, v6))
}

/// `broadcast` argument: an address, or `+`/`-` (all host bits set/clear).
enum Broadcast {
    Addr(IpAddr),
    Plus,
    Minus,
}

/// The broadcast address of `p` with host bits set (`+`) or cleared (`-`),
/// only for prefixes of at most 30 bits, as iproute2 computes it.
fn computed_broadcast(p: &Prefix, set: bool) -> Option<IpAddr> {
    let IpAddr::V4(a) = p.addr else { return None };
    if p.len > 30 {
        return None;
    }
    let host = u32::MAX >> p.len;
    let v = if set {
        u32::from(a) | host
    } else {
        u32::from(a) & !host
    };
    Some(IpAddr::V4(v.into()))
}

/// iproute2's `get_u32(.., 0)`: decimal, `0x` hex or `0` octal, at most 32 bits.
fn u32_word(w: &str) -> Option<u32> {
    strtoul(w).and_then(|v| u32::try_from(v).ok())
}

/// `SECS | forever`.
fn lifetime(w: &str) -> Option<u32> {
    if w == "forever" {
        Some(INFINITY_LIFE_TIME)
    } else {
        u32_word(w)
    }
}

/// A prefix of `family` (any when `None`), with `get_prefix`'s error.
fn prefix_of(w: &str, family: Option<u8>) -> Result<Prefix, CliError> {
    match Prefix::parse(w) {
        Ok(p) if family.map_or(true, |f| f == p.family()) => Ok(p),
        _ => Err(prefix_expected(family, w)),
    }
}

/// An address of `family`, with `get_addr`'s error.
fn addr_of(w: &str, family: Option<u8>) -> Result<IpAddr, CliError> {
    match w.parse::<IpAddr>() {
        Ok(a) if family.map_or(true, |f| f == family_of(&a)) => Ok(a),
        _ => Err(address_expected(family, w)),
    }
}

/// Whether a `/LEN` was written (iproute2's `PREFIXLEN_SPECIFIED`).
fn length_given(w: &str) -> bool {
    w.contains('/')
}

fn is_multicast(p: Option<&Prefix>) -> bool {
    p.is_some_and(|p| match p.addr {
        IpAddr::V4(a) => a.is_multicast(),
        IpAddr::V6(a) => a.is_multicast(),
    })
}

/// The words of `address add|change|replace|del` as one request.
pub(crate) fn prepare(
    ctx: &Context,
    mut a: Args<'_>,
    change: AddressChange,
    devices: &mut dyn Devices,
) -> Result<Change, CliError> {
    let mut family = ctx.family;
    let mut local: Option<Prefix> = None;
    let mut local_word = "";
    let mut dev = None;
    let mut brd = None;
    let mut valid: Option<u32> = None;
    let mut preferred: Option<u32> = None;
    let mut o = AddressOptions::default();
    while let Some(w) = a.next() {
        if w == "peer" || w == "remote" {
            let v = a.value(w)?;
            if o.peer.is_some() {
                return Err(duplicate("peer", v));
            }
            let p = prefix_of(v, family)?;
            family.get_or_insert(p.family());
            o.peer = Some(p);
            o.order.push(IFA_ADDRESS);
        } else if matches(w, "broadcast") || w == "brd" {
            let v = a.value(w)?;
            if brd.is_some() {
                return Err(duplicate("broadcast", v));
            }
            brd = Some(match v {
                "+" => Broadcast::Plus,
                "-" => Broadcast::Minus,
                v => {
                    let b = addr_of(v, family)?;
                    family.get_or_insert(family_of(&b));
                    o.order.push(IFA_BROADCAST);
                    Broadcast::Addr(b)
                }
            });
        } else if w == "anycast" {
            let v = a.value(w)?;
            if o.anycast.is_some() {
                return Err(duplicate("anycast", v));
            }
            let b = addr_of(v, family)?;
            family.get_or_insert(family_of(&b));
            o.anycast = Some(b);
            o.order.push(IFA_ANYCAST);
        } else if w == "scope" {
            let v = a.value(w)?;
            o.scope =
                Some(names::scope_number(v).ok_or_else(|| invalid_arg(v, "invalid scope value."))?);
        } else if w == "dev" {
            dev = Some(a.value(w)?);
        } else if w == "label" {
            o.label = Some(crate::cli::os_args::unescape(a.value(w)?).into_owned());
            o.order.push(IFA_LABEL);
        } else if matches(w, "metric") || matches(w, "priority") || matches(w, "preference") {
            let v = a.value(w)?;
            let m = u32_word(v).ok_or_else(|| invalid_arg(v, "\"metric\" value is invalid\n"))?;
            o.metric = Some(m);
            o.order.push(IFA_RT_PRIORITY);
        } else if matches(w, "valid_lft") {
            if valid.is_some() {
                return Err(duplicate("valid_lft", w));
            }
            let v = a.value(w)?;
            valid = Some(lifetime(v).ok_or_else(|| invalid_arg(v, "valid_lft value"))?);
        } else if matches(w, "preferred_lft") {
            if preferred.is_some() {
                return Err(duplicate("preferred_lft", w));
            }
            let v = a.value(w)?;
            preferred = Some(lifetime(v).ok_or_else(|| invalid_arg(v, "preferred_lft value"))?);
        } else if let Some((bit, read_only, v6_only)) = flag_word(w) {
            if read_only {
                to_stderr(&format!(
                    "Warning: {w} option is not mutable from userspace\n"
                ));
            } else if v6_only && family != Some(libc::AF_INET6 as u8) {
                to_stderr(&format!(
                    "Warning: {w} option can be set only for IPv6 addresses\n"
                ));
            } else {
                o.flags |= bit;
            }
        } else {
            let w = if w == "local" { a.value(w)? } else { w };
            if matches(w, "help") {
                return Err(usage_error(USAGE));
            }
            if local.is_some() {
                return Err(garbage("local", w));
            }
            let p = prefix_of(w, family)?;
            family.get_or_insert(p.family());
            local = Some(p);
            local_word = w;
            o.order.push(IFA_LOCAL);
        }
    }
    let Some(dev) = dev else {
        return Err(CliError::new(
            1,
            "Not enough information: \"dev\" argument is required.",
        ));
    };
    let delete = change == AddressChange::Delete;
    if let (None, Some(l)) = (&o.peer, &local) {
        if delete && l.addr.is_ipv4() && !length_given(local_word) {
            to_stderr(&format!(
                "Warning: Executing wildcard deletion to stay compatible with old scripts.\n         \
                 Explicitly specify the prefix length ({local_word}/{}) to avoid this warning.\n         \
                 This special behaviour is likely to disappear in further releases,\n         \
                 fix your scripts!\n",
                l.len
            ));
            o.any_prefix_len = true;
        }
    }
    match brd {
        Some(Broadcast::Addr(b)) => o.broadcast = Some(b),
        Some(Broadcast::Plus | Broadcast::Minus) if delete => {}
        Some(sign) => {
            if family != Some(libc::AF_INET as u8) {
                return Err(CliError::new(
                    1,
                    "Broadcast can be set only for IPv4 addresses",
                ));
            }
            // iproute2 computes it from the peer (the local prefix without one).
            if let Some(base) = o.peer.or(local) {
                o.broadcast = computed_broadcast(&base, matches!(sign, Broadcast::Plus));
            }
        }
        None => {}
    }
    let index = devices.index(dev)?;
    if valid.is_some() || preferred.is_some() {
        let valid = valid.unwrap_or(INFINITY_LIFE_TIME);
        let preferred = preferred.unwrap_or(INFINITY_LIFE_TIME);
        if valid == 0 {
            return Err(CliError::new(1, "valid_lft is zero"));
        }
        if valid < preferred {
            return Err(CliError::new(1, "preferred_lft is greater than valid_lft"));
        }
        o.lifetimes = Some(Lifetimes { valid, preferred });
    }
    if o.flags & IFA_F_MCAUTOJOIN != 0 && !is_multicast(local.as_ref()) {
        return Err(CliError::new(1, "autojoin needs multicast address"));
    }
    let request = address_request(change, index, local.as_ref(), &o).map_err(CliError::from)?;
    Ok(Change::new(request))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rawnet::netlink::header::NLM_F_ACK;

    /// veth0 is index 3, as in the captures; any other name is missing.
    struct Veth0;
    impl Devices for Veth0 {
        fn index(&mut self, name: &str) -> Result<u32, CliError> {
            if name == "veth0" {
                Ok(3)
            } else {
                Err(CliError::new(1, format!("Cannot find device \"{name}\"")))
            }
        }
    }

    fn parse(line: &str) -> Result<Vec<u8>, CliError> {
        let mut words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        let mut ctx = Context::default();
        if words[0] == "-6" {
            ctx.family = Some(libc::AF_INET6 as u8);
            words.remove(0);
        }
        assert!(matches(&words[0], "address"), "{line}");
        let cmd = words[1].clone();
        let change = super::super::change_of(&cmd).expect("a change verb");
        let mut c = prepare(&ctx, Args::new(&words[2..]), change, &mut Veth0)?;
        c.request.add_flags(NLM_F_ACK);
        Ok(c.request.as_bytes().to_vec())
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len() / 2)
            .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn requests_match_iproute2_captures() {
        let captures = include_str!("../../../tests/golden/addr-grammar/requests.txt");
        let mut n = 0;
        for line in captures.lines() {
            let (cmd, want) = line.split_once('\t').expect("ARGS<TAB>HEX");
            let got = parse(cmd).unwrap_or_else(|e| panic!("{cmd}: {e}"));
            assert_eq!(got, hex(want), "{cmd}");
            n += 1;
        }
        assert!(n >= 15);
    }

    #[test]
    fn bad_words_fail_as_iproute2() {
        let cases: &[(&str, i32, &str)] = &[
            (
                "a a 10.0.0.1/24 dev veth0 scope bogus",
                255,
                "Error: argument \"bogus\" is wrong: invalid scope value.",
            ),
            (
                "a a 10.0.0.1/24 dev veth0 valid_lft 1x",
                255,
                "Error: argument \"1x\" is wrong: valid_lft value",
            ),
            (
                "a a 10.0.0.1/24 dev veth0 preferred_lft -1",
                255,
                "Error: argument \"-1\" is wrong: preferred_lft value",
            ),
            (
                "a a 10.0.0.1/24 dev veth0 valid_lft 4294967296",
                255,
                "Error: argument \"4294967296\" is wrong: valid_lft value",
            ),
            (
                "a a 10.0.0.1/24 dev veth0 valid_lft 10 valid_lft 20",
                255,
                "Error: duplicate \"valid_lft\": \"valid_lft\" is the second value.",
            ),
            (
                "a a 10.0.0.1/24 dev veth0 valid_lft 0",
                1,
                "valid_lft is zero",
            ),
            (
                "a a 10.0.0.1/24 dev veth0 valid_lft 10 preferred_lft 20",
                1,
                "preferred_lft is greater than valid_lft",
            ),
            (
                "a a 10.0.0.1/24 valid_lft 10",
                1,
                "Not enough information: \"dev\" argument is required.",
            ),
            (
                "a a 10.0.0.1/24 dev veth0 metric x",
                255,
                "Error: argument \"x\" is wrong: \"metric\" value is invalid\n",
            ),
            (
                "a a 10.0.0.1/24 dev veth0 10.0.0.2/24",
                255,
                "Error: either \"local\" is duplicate, or \"10.0.0.2/24\" is a garbage.",
            ),
            (
                "a a 10.0.0.1/24 peer fd00::1 dev veth0",
                1,
                "Error: inet prefix is expected rather than \"fd00::1\".",
            ),
            (
                "a a fd00::1/64 dev veth0 brd +",
                1,
                "Broadcast can be set only for IPv4 addresses",
            ),
            (
                "a a 10.0.0.1/24 dev veth0 autojoin",
                1,
                "autojoin needs multicast address",
            ),
            ("a a 10.0.0.1/24 dev nope", 1, "Cannot find device \"nope\""),
        ];
        for (line, code, message) in cases {
            let e = parse(line).expect_err(line);
            assert_eq!((e.code, e.message.as_str()), (*code, *message), "{line}");
        }
    }

    #[test]
    fn broadcast_plus_and_minus() {
        let p = Prefix::parse("10.0.3.1/24").unwrap();
        assert_eq!(
            computed_broadcast(&p, true),
            Some("10.0.3.255".parse().unwrap())
        );
        assert_eq!(
            computed_broadcast(&p, false),
            Some("10.0.3.0".parse().unwrap())
        );
        assert_eq!(
            computed_broadcast(&Prefix::parse("10.0.3.1/31").unwrap(), true),
            None
        );
    }
}
