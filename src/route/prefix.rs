//! Parsing addresses and prefixes as iproute2 accepts them: `10.0.0.1`,
//! `10.0.0.0/24`, `fd00::1/64`. Anything else is an error with iproute2's text.
//! Also addresses to and from their wire bytes, and an address attribute read
//! with its name in the error.

use std::net::IpAddr;

use crate::error::{DecodeError, Error, Problem, Result};
use crate::netlink::Attr;

/// An address with a prefix length (`10.0.1.100/24`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefix {
    pub addr: IpAddr,
    pub len: u8,
}

impl Prefix {
    /// Parse `ADDR[/LEN]`; without `/LEN` the length is the full width (32 or 128).
    pub fn parse(s: &str) -> Result<Prefix> {
        let bad = || {
            Error::Invalid(format!(
                "Error: any valid prefix is expected rather than \"{s}\"."
            ))
        };
        let (a, l) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l)),
            None => (s, None),
        };
        let addr: IpAddr = a.parse().map_err(|_| bad())?;
        let max = max_len(&addr);
        let len = match l {
            None => max,
            Some(l) if !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()) && l.len() <= 3 => {
                l.parse::<u8>().map_err(|_| bad())?
            }
            Some(_) => return Err(bad()),
        };
        if len > max {
            return Err(bad());
        }
        Ok(Prefix { addr, len })
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

/// Parse a single address (no prefix length), with iproute2's error text.
pub fn parse_addr(s: &str) -> Result<IpAddr> {
    s.parse().map_err(|_| {
        Error::Invalid(format!(
            "Error: any valid address is expected rather than \"{s}\"."
        ))
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
            "10.0.0.1/+1",
        ] {
            let e = Prefix::parse(s).unwrap_err().to_string();
            assert!(e.contains("any valid prefix is expected"), "{s}: {e}");
        }
    }

    #[test]
    fn wire_bytes_round_trip() {
        let a: IpAddr = "fd00::2".parse().unwrap();
        assert_eq!(addr_from_bytes(family_of(&a), &addr_bytes(&a)), Some(a));
        assert_eq!(addr_from_bytes(libc::AF_INET as u8, &[1, 2, 3]), None);
    }
}
