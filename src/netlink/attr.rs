//! Zero-copy attribute iteration (`struct nlattr` TLVs) and typed getters.
//!
//! Invariant: [`Attrs`] never reads past the slice it was given. Each step checks
//! `NLA_HDRLEN <= nla_len <= remaining`; a malformed attribute yields one
//! [`DecodeError`] and ends the walk. Unknown attribute types are the caller's
//! to skip. Getters check exact payload sizes.

use std::borrow::Cow;

use super::header::{align, NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK};
use crate::error::{DecodeError, Problem};

/// One attribute: its type (flags masked off) and its payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attr<'a> {
    raw_type: u16,
    payload: &'a [u8],
}

impl<'a> Attr<'a> {
    /// The attribute type without the `NLA_F_*` bits.
    pub fn kind(&self) -> u16 {
        self.raw_type & NLA_TYPE_MASK
    }

    /// True when the sender set `NLA_F_NESTED`.
    pub fn is_nested_flagged(&self) -> bool {
        self.raw_type & NLA_F_NESTED != 0
    }

    /// True when the sender set `NLA_F_NET_BYTEORDER`.
    pub fn is_net_byteorder(&self) -> bool {
        self.raw_type & NLA_F_NET_BYTEORDER != 0
    }

    /// The payload, without header or padding.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    fn exact<const N: usize>(&self) -> Result<[u8; N], DecodeError> {
        self.payload.try_into().map_err(|_| {
            DecodeError::new(
                "nlattr",
                Problem::Length {
                    want: N,
                    got: self.payload.len(),
                },
            )
        })
    }

    pub fn u8(&self) -> Result<u8, DecodeError> {
        Ok(self.exact::<1>()?[0])
    }
    /// A host-byte-order u16.
    pub fn u16(&self) -> Result<u16, DecodeError> {
        Ok(u16::from_ne_bytes(self.exact()?))
    }
    /// A big-endian (network byte order) u16, such as a port.
    pub fn u16_be(&self) -> Result<u16, DecodeError> {
        Ok(u16::from_be_bytes(self.exact()?))
    }
    /// A host-byte-order u32.
    pub fn u32(&self) -> Result<u32, DecodeError> {
        Ok(u32::from_ne_bytes(self.exact()?))
    }
    /// A big-endian (network byte order) u32.
    pub fn u32_be(&self) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.exact()?))
    }
    pub fn i32(&self) -> Result<i32, DecodeError> {
        Ok(i32::from_ne_bytes(self.exact()?))
    }
    /// A host-byte-order u64.
    pub fn u64(&self) -> Result<u64, DecodeError> {
        Ok(u64::from_ne_bytes(self.exact()?))
    }

    /// A NUL-terminated UTF-8 string (`NLA_NUL_STRING`); the NUL is not returned.
    /// Bytes after the first NUL are ignored, as the kernel does.
    pub fn c_str(&self) -> Result<&'a str, DecodeError> {
        let bad = DecodeError::new("nlattr", Problem::BadString);
        let end = self.payload.iter().position(|&b| b == 0).ok_or(bad)?;
        std::str::from_utf8(&self.payload[..end]).map_err(|_| bad)
    }

    /// A NUL-terminated string whose bytes need not be UTF-8 (interface names,
    /// aliases and labels can be any bytes): invalid sequences become U+FFFD,
    /// and valid UTF-8 is borrowed, not copied.
    pub fn c_str_lossy(&self) -> Result<Cow<'a, str>, DecodeError> {
        let end = self
            .payload
            .iter()
            .position(|&b| b == 0)
            .ok_or(DecodeError::new("nlattr", Problem::BadString))?;
        Ok(String::from_utf8_lossy(&self.payload[..end]))
    }

    /// A NUL-terminated string as the kernel's bytes (interface names,
    /// aliases, labels: any bytes but NUL); the NUL is not returned.
    pub fn c_bytes(&self) -> Result<&'a [u8], DecodeError> {
        let end = self
            .payload
            .iter()
            .position(|&b| b == 0)
            .ok_or(DecodeError::new("nlattr", Problem::BadString))?;
        Ok(&self.payload[..end])
    }

    /// The payload as attributes (a nest).
    pub fn nested(&self) -> Attrs<'a> {
        Attrs::new(self.payload)
    }
}

/// Iterator over the attributes in a byte slice.
#[derive(Debug, Clone)]
pub struct Attrs<'a> {
    rest: &'a [u8],
}

impl<'a> Attrs<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Attrs { rest: bytes }
    }

    /// The first attribute of type `kind`, if any (a malformed tail ends the search).
    pub fn find(self, kind: u16) -> Option<Attr<'a>> {
        self.filter_map(Result::ok).find(|a| a.kind() == kind)
    }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Result<Attr<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let remaining = self.rest.len();
        if remaining < NLA_HDRLEN {
            self.rest = &[];
            return Some(Err(DecodeError::new(
                "nlattr",
                Problem::Short {
                    want: NLA_HDRLEN,
                    got: remaining,
                },
            )));
        }
        let len = u16::from_ne_bytes([self.rest[0], self.rest[1]]) as usize;
        let raw_type = u16::from_ne_bytes([self.rest[2], self.rest[3]]);
        if len < NLA_HDRLEN || len > remaining {
            self.rest = &[];
            return Some(Err(DecodeError::new(
                "nlattr",
                Problem::BadLength {
                    claimed: len,
                    remaining,
                },
            )));
        }
        let payload = &self.rest[NLA_HDRLEN..len];
        self.rest = &self.rest[align(len).min(remaining)..];
        Some(Ok(Attr { raw_type, payload }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // IFLA_IFNAME "lo" followed by IFLA_MTU 65536, as the kernel sends them.
    const GOLDEN: [u8; 16] = [
        7, 0, 3, 0, b'l', b'o', 0, 0, // IFLA_IFNAME (3), len 7, padded to 8
        8, 0, 4, 0, 0, 0, 1, 0, // IFLA_MTU (4), 65536
    ];

    #[test]
    fn walks_golden_attributes() {
        let attrs: Vec<_> = Attrs::new(&GOLDEN).collect::<Result<_, _>>().unwrap();
        assert_eq!(attrs.len(), 2);
        assert_eq!(attrs[0].kind(), 3);
        assert_eq!(attrs[0].c_str().unwrap(), "lo");
        assert_eq!(attrs[1].kind(), 4);
        assert_eq!(attrs[1].u32().unwrap(), 65536);
        assert!(attrs[1].u16().is_err());
    }

    #[test]
    fn every_truncation_fails_cleanly() {
        for cut in 0..GOLDEN.len() {
            let items: Vec<_> = Attrs::new(&GOLDEN[..cut]).collect();
            // Either a clean prefix of whole attributes, or ending in exactly one error.
            let errors = items.iter().filter(|r| r.is_err()).count();
            assert!(errors <= 1);
            if errors == 1 {
                assert!(items.last().unwrap().is_err());
            }
            if cut == 0 || cut == 8 {
                assert_eq!(errors, 0, "cut {cut}");
            }
        }
    }

    #[test]
    fn lying_lengths_stop_the_walk() {
        let too_long = [200, 0, 1, 0, 1, 2, 3, 4];
        let r: Vec<_> = Attrs::new(&too_long).collect();
        assert_eq!(r.len(), 1);
        assert!(matches!(
            r[0],
            Err(DecodeError {
                problem: Problem::BadLength { claimed: 200, .. },
                ..
            })
        ));
        let too_short = [2, 0, 1, 0, 1, 2, 3, 4];
        assert_eq!(Attrs::new(&too_short).filter(Result::is_err).count(), 1);
    }

    #[test]
    fn unpadded_last_attribute_is_accepted() {
        let bytes = [5, 0, 1, 0, 9];
        let a = Attrs::new(&bytes).next().unwrap().unwrap();
        assert_eq!(a.u8().unwrap(), 9);
    }

    #[test]
    fn strings_need_their_nul() {
        let bytes = [6, 0, 1, 0, b'a', b'b'];
        let a = Attrs::new(&bytes).next().unwrap().unwrap();
        assert!(a.c_str().is_err());
    }

    #[test]
    fn lossy_strings_take_any_bytes() {
        let bytes = [8, 0, 1, 0, 0xff, b'q', 0, 0];
        let a = Attrs::new(&bytes).next().unwrap().unwrap();
        assert!(a.c_str().is_err());
        assert_eq!(a.c_str_lossy().unwrap(), "\u{fffd}q");
        let bytes = [7, 0, 1, 0, b'l', b'o', 0];
        let a = Attrs::new(&bytes).next().unwrap().unwrap();
        assert!(matches!(a.c_str_lossy().unwrap(), Cow::Borrowed("lo")));
    }

    #[test]
    fn flags_are_masked() {
        let bytes = [4, 0, 0x01, 0x80];
        let a = Attrs::new(&bytes).next().unwrap().unwrap();
        assert_eq!(a.kind(), 1);
        assert!(a.is_nested_flagged());
        assert_eq!(a.nested().count(), 0);
    }
}
