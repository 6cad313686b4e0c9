//! Parsing addresses and prefixes as iproute2 6.1 reads them (`get_addr_1`,
//! `get_prefix_1` in lib/utils.c): `10.0.0.1`, `10.0.0.0/24`, `fd00::1/64`,
//! the short IPv4 forms (`10/8` is 10.0.0.0/8, `192.168.7` is 192.168.7.0;
//! each part is read by `strtoul` with base 0, so `0x0a` and `012` are 10),
//! dotted netmasks after the slash (`10.0.0.0/255.0.0.0`), and the words
//! `default`, `any` and `all`. Anything else is an error with iproute2's
//! text. Also addresses to and from their wire bytes, and an address
//! attribute read with its name in the error.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::error::{DecodeError, Error, Invalid, Problem, Result};
use crate::netlink::Attr;

/// What iproute2's `get_addr_1` / `get_prefix_1` read from one word.
///
/// `default` with a family known (given, or learnt from an earlier word) is
/// the zero address of that family with length 0 (iproute2 then sends the
/// 4 or 16 zero bytes); without a family it is no address at all. `any` and
/// `all` are never an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InetPrefix {
    /// `AF_INET`, `AF_INET6`, or for `default`/`any`/`all` the family asked
    /// for (0 when none was).
    pub family: u8,
    /// `None` for `any`/`all`, and for `default` without a family.
    pub addr: Option<IpAddr>,
    /// The prefix length: as given, the full width for a bare address, 0 for
    /// `default`/`any`/`all`.
    pub len: u8,
    /// A `/LEN` was given, or the word was `default` (iproute2's
    /// `PREFIXLEN_SPECIFIED`).
    pub len_given: bool,
}

impl InetPrefix {
    /// The address with a length, when there is an address.
    pub fn prefix(&self) -> Option<Prefix> {
        self.addr.map(|addr| Prefix {
            addr,
            len: self.len,
        })
    }
}

/// `strtoul(s, &end, 0)` on a word: the value (`None` when it overflows) and
/// how many bytes were read (0 when there was no number).
fn strtoul(s: &str) -> (Option<u64>, usize) {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        i += 1;
    }
    let mut negative = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        negative = b[i] == b'-';
        i += 1;
    }
    let mut radix = 10;
    if b.get(i) == Some(&b'0') {
        if matches!(b.get(i + 1), Some(b'x' | b'X'))
            && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
        {
            radix = 16;
            i += 2;
        } else {
            radix = 8;
        }
    }
    let start = i;
    let mut value: Option<u64> = Some(0);
    while let Some(d) = b.get(i).and_then(|&c| (c as char).to_digit(radix)) {
        value = value
            .and_then(|v| v.checked_mul(u64::from(radix)))
            .and_then(|v| v.checked_add(u64::from(d)));
        i += 1;
    }
    if i == start {
        return (Some(0), 0);
    }
    (
        value.map(|v| if negative { v.wrapping_neg() } else { v }),
        i,
    )
}

/// `get_unsigned(&v, word, 0)`: a whole word read by `strtoul` with base 0
/// (decimal, `0x` hex, `0` octal; leading blanks and a sign are taken, as C
/// takes them), that fits in 32 bits.
pub fn parse_c_unsigned(word: &str) -> Option<u32> {
    let (v, end) = strtoul(word);
    if end == 0 || end != word.len() {
        return None;
    }
    v.and_then(|v| u32::try_from(v).ok())
}

/// iproute2's `get_addr_ipv4`: up to four parts separated by dots, each
/// 0..=255 read by `strtoul` base 0; missing trailing parts are 0.
fn short_ipv4(word: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut rest = word;
    for (i, octet) in octets.iter_mut().enumerate() {
        let (v, end) = strtoul(rest);
        if end == 0 {
            return None;
        }
        *octet = u8::try_from(v?).ok()?;
        match rest[end..].strip_prefix('.') {
            None if end == rest.len() => return Some(Ipv4Addr::from(octets)),
            Some(next) if i < 3 => rest = next,
            _ => return None,
        }
    }
    None
}

/// The number of leading one bits of an IPv4 netmask; `None` when the
/// mask is not contiguous (iproute2's `mask2bits`).
fn mask_bits(mask: Ipv4Addr) -> Option<u8> {
    let m = u32::from(mask);
    let host = !m;
    if host & host.wrapping_add(1) != 0 {
        return None;
    }
    u8::try_from(m.leading_ones()).ok()
}

/// iproute2's `get_netmask`: a number (base 0), or a dotted IPv4 netmask.
fn netmask(word: &str) -> Option<u32> {
    parse_c_unsigned(word).or_else(|| {
        if word.contains(':') {
            return None;
        }
        short_ipv4(word).and_then(mask_bits).map(u32::from)
    })
}

const INET: u8 = libc::AF_INET as u8;
const INET6: u8 = libc::AF_INET6 as u8;

/// iproute2's `get_addr_1` for `family` (0: any): `None` when the word is
/// not an address of that family.
fn read_address(word: &str, family: u8) -> Option<InetPrefix> {
    let any = |len_given, addr| InetPrefix {
        family,
        addr,
        len: 0,
        len_given,
    };
    match word {
        "default" => {
            let zero = match family {
                INET => Some(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
                INET6 => Some(IpAddr::V6(Ipv6Addr::UNSPECIFIED)),
                _ => None,
            };
            return Some(any(true, zero));
        }
        "any" | "all" => return Some(any(false, None)),
        _ => {}
    }
    let addr = if word.contains(':') {
        if family != 0 && family != INET6 {
            return None;
        }
        IpAddr::V6(word.parse::<Ipv6Addr>().ok()?)
    } else {
        if family != 0 && family != INET {
            return None;
        }
        IpAddr::V4(short_ipv4(word)?)
    };
    Some(InetPrefix {
        family: family_of(&addr),
        addr: Some(addr),
        len: max_len(&addr),
        len_given: false,
    })
}

/// iproute2's `get_prefix_1` for `family` (0: any).
fn read_prefix(word: &str, family: u8) -> Option<InetPrefix> {
    let (a, slash) = match word.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (word, None),
    };
    let mut p = read_address(a, family)?;
    if let Some(l) = slash {
        if p.addr.is_none() || a == "default" {
            return None;
        }
        let len = netmask(l)?;
        let max = u32::from(p.addr.map_or(0, |a| max_len(&a)));
        if len > max {
            return None;
        }
        p.len = u8::try_from(len).ok()?;
        p.len_given = true;
    }
    Some(p)
}

/// An address as iproute2's `get_addr` reads it for `family` (0: any),
/// `default`/`any`/`all` included; fails with `Invalid::Address`.
pub fn parse_inet_addr(word: &str, family: u8) -> Result<InetPrefix> {
    read_address(word, family).ok_or_else(|| {
        Error::Invalid(Invalid::Address {
            text: word.to_string(),
            family,
        })
    })
}

/// A prefix as iproute2's `get_prefix` reads it for `family` (0: any),
/// `default`/`any`/`all` included; fails with `Invalid::Prefix`. For
/// `AF_PACKET` (`ip -0`) no word is a prefix.
pub fn parse_inet_prefix(word: &str, family: u8) -> Result<InetPrefix> {
    if i32::from(family) == libc::AF_PACKET {
        return Err(Error::Invalid(Invalid::Prefix {
            text: word.to_string(),
            family,
        }));
    }
    read_prefix(word, family).ok_or_else(|| {
        Error::Invalid(Invalid::Prefix {
            text: word.to_string(),
            family,
        })
    })
}

/// An address with a prefix length (`10.0.1.100/24`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefix {
    pub addr: IpAddr,
    pub len: u8,
}

impl Prefix {
    /// Parse `ADDR[/LEN]` as iproute2 reads a prefix of any family (short
    /// IPv4 forms and netmasks included); without `/LEN` the length is the
    /// full width (32 or 128). `default`/`any`/`all` are not an address here.
    pub fn parse(s: &str) -> Result<Prefix> {
        read_prefix(s, 0).and_then(|p| p.prefix()).ok_or_else(|| {
            Error::Invalid(Invalid::Prefix {
                text: s.to_string(),
                family: 0,
            })
        })
    }

    /// Address family (`AF_INET` or `AF_INET6`).
    pub fn family(&self) -> u8 {
        family_of(&self.addr)
    }

    /// The address with host bits cleared (`10.0.1.100/24` -> `10.0.1.0`).
    pub fn network(&self) -> IpAddr {
        match self.addr {
            IpAddr::V4(a) => {
                let mask = if self.len == 0 {
                    0
                } else {
                    u32::MAX << (32 - u32::from(self.len))
                };
                IpAddr::V4((u32::from(a) & mask).into())
            }
            IpAddr::V6(a) => {
                let mask = if self.len == 0 {
                    0
                } else {
                    u128::MAX << (128 - u32::from(self.len))
                };
                IpAddr::V6((u128::from(a) & mask).into())
            }
        }
    }
}

impl std::fmt::Display for Prefix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.len)
    }
}

/// Parse a single address (no prefix length); fails with `Invalid::Address`.
pub fn parse_addr(s: &str) -> Result<IpAddr> {
    read_address(s, 0).and_then(|p| p.addr).ok_or_else(|| {
        Error::Invalid(Invalid::Address {
            text: s.to_string(),
            family: 0,
        })
    })
}

/// 32 for IPv4, 128 for IPv6.
pub fn max_len(addr: &IpAddr) -> u8 {
    if addr.is_ipv4() {
        32
    } else {
        128
    }
}

/// `AF_INET` or `AF_INET6` for an address.
pub fn family_of(addr: &IpAddr) -> u8 {
    if addr.is_ipv4() {
        libc::AF_INET as u8
    } else {
        libc::AF_INET6 as u8
    }
}

/// The address bytes as they go on the wire (4 or 16 bytes, network order).
pub fn addr_bytes(addr: &IpAddr) -> Vec<u8> {
    match addr {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    }
}

/// An address from wire bytes of `family`; `None` when the length does not fit.
pub fn addr_from_bytes(family: u8, bytes: &[u8]) -> Option<IpAddr> {
    match (i32::from(family), bytes.len()) {
        (libc::AF_INET, 4) => Some(IpAddr::from(<[u8; 4]>::try_from(bytes).ok()?)),
        (libc::AF_INET6, 16) => Some(IpAddr::from(<[u8; 16]>::try_from(bytes).ok()?)),
        _ => None,
    }
}

/// An address attribute of `family` (`IFA_LOCAL`, `RTA_GATEWAY`, ...); a length
/// that does not fit the family fails naming the attribute.
pub(crate) fn ip_addr_attr(
    family: u8,
    a: &Attr<'_>,
    name: &'static str,
) -> Result<IpAddr, DecodeError> {
    addr_from_bytes(family, a.payload()).ok_or(DecodeError::new(
        name,
        Problem::Length {
            want: if family == libc::AF_INET as u8 { 4 } else { 16 },
            got: a.payload().len(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_prefixes() {
        let p = Prefix::parse("10.0.1.100/24").unwrap();
        assert_eq!(p.len, 24);
        assert_eq!(p.network().to_string(), "10.0.1.0");
        assert_eq!(Prefix::parse("fd00::1/64").unwrap().len, 64);
        assert_eq!(Prefix::parse("10.0.0.1").unwrap().len, 32);
    }

    #[test]
    fn rejects_bad_prefixes() {
        for s in [
            "10.0.0.300/24",
            "10.0.0.3/33",
            "fd00::1/129",
            "10.0.0.1/",
            "10.0.0.1/a",
            "x",
            "",
            "10.0.0.1/-1",
            "1.2.3.4.5",
            "10.0.0.256",
            "10..1",
            "08",
            "10.0.0.0/255.0.255.0",
            "default/0",
            "any",
        ] {
            let e = Prefix::parse(s).unwrap_err();
            assert!(
                matches!(&e, Error::Invalid(Invalid::Prefix { text, family: 0 }) if text == s),
                "{s}: {e:?}"
            );
        }
    }

    #[test]
    fn short_ipv4_forms_as_iproute2() {
        for (word, addr, len) in [
            ("10/8", "10.0.0.0", 8),
            ("172.16/12", "172.16.0.0", 12),
            ("192.168.7", "192.168.7.0", 32),
            ("0/0", "0.0.0.0", 0),
            ("0", "0.0.0.0", 32),
            ("0x0a.012.1", "10.10.1.0", 32),
            ("10.0.0.0/255.255.0.0", "10.0.0.0", 16),
            ("10.0.0.0/0x18", "10.0.0.0", 24),
            ("10.0.0.1/+24", "10.0.0.1", 24),
            ("fd00::/0010", "fd00::", 8),
        ] {
            let p = Prefix::parse(word).unwrap();
            assert_eq!((p.addr.to_string().as_str(), p.len), (addr, len), "{word}");
        }
        assert_eq!(parse_addr("10.1").unwrap().to_string(), "10.1.0.0");
    }

    #[test]
    fn no_prefix_under_family_packet() {
        let e = parse_inet_prefix("10.0.0.0/8", libc::AF_PACKET as u8).unwrap_err();
        assert!(
            matches!(&e, Error::Invalid(Invalid::Prefix { text, family })
                if text == "10.0.0.0/8" && i32::from(*family) == libc::AF_PACKET),
            "{e:?}"
        );
    }

    #[test]
    fn default_any_all_as_iproute2() {
        let d = parse_inet_prefix("default", 0).unwrap();
        assert_eq!((d.family, d.addr, d.len, d.len_given), (0, None, 0, true));
        let d = parse_inet_prefix("default", INET).unwrap();
        assert_eq!(d.addr, Some("0.0.0.0".parse().unwrap()));
        let d = parse_inet_prefix("any", INET6).unwrap();
        assert_eq!(
            (d.family, d.addr, d.len, d.len_given),
            (INET6, None, 0, false)
        );
        assert!(parse_inet_prefix("all/8", 0).is_err());
        assert!(matches!(
            parse_inet_prefix("fd00::1", INET),
            Err(Error::Invalid(Invalid::Prefix { text, family: INET })) if text == "fd00::1"
        ));
        assert!(matches!(
            parse_inet_addr("10.0.0.1", INET6),
            Err(Error::Invalid(Invalid::Address { text, family: INET6 })) if text == "10.0.0.1"
        ));
        assert!(matches!(
            Prefix::parse("10.0.0.1/33"),
            Err(Error::Invalid(Invalid::Prefix { text, family: 0 })) if text == "10.0.0.1/33"
        ));
        assert_eq!(
            parse_addr("nope").unwrap_err().to_string(),
            "\"nope\" is not an address"
        );
        assert_eq!(parse_c_unsigned("0x10"), Some(16));
        assert_eq!(parse_c_unsigned("010"), Some(8));
        assert_eq!(parse_c_unsigned("4294967296"), None);
        assert_eq!(parse_c_unsigned("1x"), None);
        assert_eq!(parse_c_unsigned(""), None);
    }

    #[test]
    fn wire_bytes_round_trip() {
        let a: IpAddr = "fd00::2".parse().unwrap();
        assert_eq!(addr_from_bytes(family_of(&a), &addr_bytes(&a)), Some(a));
        assert_eq!(addr_from_bytes(libc::AF_INET as u8, &[1, 2, 3]), None);
    }
}
