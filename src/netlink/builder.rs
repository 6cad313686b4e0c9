//! Building requests: [`MessageBuilder`] writes a header, a family header and
//! attributes; nests are closures, so an unbalanced nest cannot be written.
//!
//! Errors (an attribute over the 64 KiB `nla_len` limit) are remembered and come
//! out once, from [`MessageBuilder::finish`]. The sequence number is left 0: the
//! connection stamps it when it sends.

use zerocopy::{Immutable, IntoBytes};

use super::header::{align, NlMsgHdr, NLA_HDRLEN, NLMSG_HDRLEN, NLM_F_REQUEST};
use crate::error::{Error, Result};

/// A finished request: one netlink message, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    bytes: Vec<u8>,
}

impl Request {
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn message_type(&self) -> u16 {
        u16::from_ne_bytes([self.bytes[4], self.bytes[5]])
    }

    pub fn flags(&self) -> u16 {
        u16::from_ne_bytes([self.bytes[6], self.bytes[7]])
    }

    /// Add `NLM_F_*` flags.
    pub fn add_flags(&mut self, flags: u16) {
        let f = self.flags() | flags;
        self.bytes[6..8].copy_from_slice(&f.to_ne_bytes());
    }

    /// Remove `NLM_F_*` flags.
    pub fn clear_flags(&mut self, flags: u16) {
        let f = self.flags() & !flags;
        self.bytes[6..8].copy_from_slice(&f.to_ne_bytes());
    }

    /// Stamp the sequence number.
    pub fn set_seq(&mut self, seq: u32) {
        self.bytes[8..12].copy_from_slice(&seq.to_ne_bytes());
    }
}

/// Writes one netlink message.
#[derive(Debug)]
pub struct MessageBuilder {
    buf: Vec<u8>,
    error: Option<&'static str>,
}

impl MessageBuilder {
    /// A message of `message_type`; `NLM_F_REQUEST` is always set.
    pub fn new(message_type: u16, flags: u16) -> Self {
        let header = NlMsgHdr {
            nlmsg_len: NLMSG_HDRLEN as u32,
            nlmsg_type: message_type,
            nlmsg_flags: flags | NLM_F_REQUEST,
            nlmsg_seq: 0,
            nlmsg_pid: 0,
        };
        let mut buf = Vec::with_capacity(256);
        buf.extend_from_slice(header.as_bytes());
        MessageBuilder { buf, error: None }
    }

    fn pad(&mut self) {
        let padded = align(self.buf.len());
        self.buf.resize(padded, 0);
    }

    /// Append a family header (`IfInfoMsg`, `RtMsg`, ...), padded to 4 bytes.
    pub fn header<T: IntoBytes + Immutable>(&mut self, fixed: &T) -> &mut Self {
        self.buf.extend_from_slice(fixed.as_bytes());
        self.pad();
        self
    }

    fn attr_header(&mut self, kind: u16, payload_len: usize) -> Option<usize> {
        let len = NLA_HDRLEN + payload_len;
        let Ok(len16) = u16::try_from(len) else {
            self.error
                .get_or_insert("netlink attribute (over 65535 bytes)");
            return None;
        };
        let start = self.buf.len();
        self.buf.extend_from_slice(&len16.to_ne_bytes());
        self.buf.extend_from_slice(&kind.to_ne_bytes());
        Some(start)
    }

    /// Append an attribute with a raw payload.
    pub fn put(&mut self, kind: u16, payload: &[u8]) -> &mut Self {
        if self.attr_header(kind, payload.len()).is_some() {
            self.buf.extend_from_slice(payload);
            self.pad();
        }
        self
    }

    pub fn put_u8(&mut self, kind: u16, v: u8) -> &mut Self {
        self.put(kind, &[v])
    }
    /// A host-byte-order u16.
    pub fn put_u16(&mut self, kind: u16, v: u16) -> &mut Self {
        self.put(kind, &v.to_ne_bytes())
    }
    /// A big-endian u16 (ports).
    pub fn put_u16_be(&mut self, kind: u16, v: u16) -> &mut Self {
        self.put(kind, &v.to_be_bytes())
    }
    /// A host-byte-order u32.
    pub fn put_u32(&mut self, kind: u16, v: u32) -> &mut Self {
        self.put(kind, &v.to_ne_bytes())
    }
    /// A big-endian u32.
    pub fn put_u32_be(&mut self, kind: u16, v: u32) -> &mut Self {
        self.put(kind, &v.to_be_bytes())
    }
    pub fn put_i32(&mut self, kind: u16, v: i32) -> &mut Self {
        self.put(kind, &v.to_ne_bytes())
    }
    pub fn put_u64(&mut self, kind: u16, v: u64) -> &mut Self {
        self.put(kind, &v.to_ne_bytes())
    }

    /// A NUL-terminated string.
    pub fn put_str(&mut self, kind: u16, s: &str) -> &mut Self {
        self.put_c_bytes(kind, s.as_bytes())
    }

    /// A NUL-terminated byte string (an interface name need not be UTF-8).
    pub fn put_c_bytes(&mut self, kind: u16, s: &[u8]) -> &mut Self {
        if self.attr_header(kind, s.len() + 1).is_some() {
            self.buf.extend_from_slice(s);
            self.buf.push(0);
            self.pad();
        }
        self
    }

    /// A nested attribute whose contents `f` writes. The type is written as
    /// given: pass `kind | NLA_F_NESTED` where the family wants the flag
    /// (rtnetlink does not; iproute2 leaves it off).
    pub fn nest(&mut self, kind: u16, f: impl FnOnce(&mut Self)) -> &mut Self {
        let Some(start) = self.attr_header(kind, 0) else {
            return self;
        };
        f(self);
        let len = self.buf.len() - start;
        match u16::try_from(len) {
            Ok(len16) => self.buf[start..start + 2].copy_from_slice(&len16.to_ne_bytes()),
            Err(_) => {
                self.error
                    .get_or_insert("nested netlink attribute (over 65535 bytes)");
            }
        }
        self
    }

    /// The finished request, or the first error met while building it.
    pub fn finish(mut self) -> Result<Request> {
        if let Some(what) = self.error {
            return Err(Error::Truncated { what });
        }
        let len = u32::try_from(self.buf.len()).map_err(|_| Error::Truncated {
            what: "netlink message",
        })?;
        self.buf[0..4].copy_from_slice(&len.to_ne_bytes());
        Ok(Request { bytes: self.buf })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::attr::Attrs;
    use crate::netlink::message::Messages;

    #[test]
    fn builds_nested_request() {
        let mut m = MessageBuilder::new(16, 0x0600);
        m.header(&[0u8; 16]);
        m.put_str(3, "veth0");
        m.nest(18, |m| {
            m.put_str(1, "veth");
        });
        let req = m.finish().unwrap();
        let bytes = req.as_bytes();
        assert_eq!(
            bytes.len() as u32,
            u32::from_ne_bytes(bytes[0..4].try_into().unwrap())
        );
        assert_eq!(req.flags(), 0x0601);
        let msg = Messages::new(bytes).next().unwrap().unwrap();
        let (_fixed, attrs) = msg.fixed::<[u8; 16]>("ifinfomsg").unwrap();
        let attrs: Vec<_> = attrs.collect::<std::result::Result<_, _>>().unwrap();
        assert_eq!(attrs[0].c_str().unwrap(), "veth0");
        assert_eq!(attrs[1].kind(), 18);
        let inner: Vec<_> = attrs[1]
            .nested()
            .collect::<std::result::Result<_, _>>()
            .unwrap();
        assert_eq!(inner[0].c_str().unwrap(), "veth");
        // Golden: "veth0\0" padded to 8 after its 4-byte header; nest len covers its child.
        assert_eq!(
            &bytes[32..44],
            &[10, 0, 3, 0, b'v', b'e', b't', b'h', b'0', 0, 0, 0]
        );
        assert_eq!(&bytes[44..48], &[16, 0, 18, 0]);
    }

    #[test]
    fn oversized_attribute_fails_once_at_finish() {
        let mut m = MessageBuilder::new(16, 0);
        m.put(1, &vec![0u8; 70_000]);
        m.put_u32(2, 1);
        assert!(matches!(m.finish(), Err(Error::Truncated { .. })));
    }

    #[test]
    fn oversized_nest_fails() {
        let mut m = MessageBuilder::new(16, 0);
        m.nest(1, |m| {
            m.put(2, &vec![0u8; 40_000]);
            m.put(3, &vec![0u8; 40_000]);
        });
        assert!(m.finish().is_err());
        let _ = Attrs::new(&[]);
    }
}
