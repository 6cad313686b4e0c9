//! Netlink messages in one received datagram: [`Messages`] walks them,
//! [`Message`] is one header plus its payload.
//!
//! Invariant: nothing here reads outside the datagram. A header whose
//! `nlmsg_len` is below 16 or beyond the datagram yields one [`DecodeError`]
//! and ends the walk. Family headers (`ifinfomsg`, `rtmsg`, ...) are copied out
//! with [`Message::fixed`], so alignment of the buffer never matters.

use zerocopy::FromBytes;

use super::attr::Attrs;
use super::header::{align, NlMsgHdr, NLMSG_HDRLEN};
use crate::error::{DecodeError, Problem};

/// One netlink message: the header and the bytes after it.
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    pub header: NlMsgHdr,
    payload: &'a [u8],
}

impl<'a> Message<'a> {
    /// Bytes after the 16-byte header, up to `nlmsg_len`.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    pub fn message_type(&self) -> u16 {
        self.header.nlmsg_type
    }

    pub fn flags(&self) -> u16 {
        self.header.nlmsg_flags
    }

    /// The family header `T` at the start of the payload and the attributes after it.
    /// `what` names `T` in errors ("ifinfomsg").
    pub fn fixed<T: FromBytes>(&self, what: &'static str) -> Result<(T, Attrs<'a>), DecodeError> {
        let size = core::mem::size_of::<T>();
        let (value, _) = T::read_from_prefix(self.payload).map_err(|_| {
            DecodeError::new(
                what,
                Problem::Short {
                    want: size,
                    got: self.payload.len(),
                },
            )
        })?;
        let rest = self.payload.get(align(size)..).unwrap_or(&[]);
        Ok((value, Attrs::new(rest)))
    }
}

/// Iterator over the messages of one datagram.
#[derive(Debug, Clone)]
pub struct Messages<'a> {
    rest: &'a [u8],
}

impl<'a> Messages<'a> {
    pub fn new(datagram: &'a [u8]) -> Self {
        Messages { rest: datagram }
    }
}

impl<'a> Iterator for Messages<'a> {
    type Item = Result<Message<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let remaining = self.rest.len();
        let Ok((header, _)) = NlMsgHdr::read_from_prefix(self.rest) else {
            self.rest = &[];
            return Some(Err(DecodeError::new(
                "nlmsghdr",
                Problem::Short {
                    want: NLMSG_HDRLEN,
                    got: remaining,
                },
            )));
        };
        let len = header.nlmsg_len as usize;
        if len < NLMSG_HDRLEN || len > remaining {
            self.rest = &[];
            return Some(Err(DecodeError::new(
                "nlmsghdr",
                Problem::BadLength {
                    claimed: len,
                    remaining,
                },
            )));
        }
        let payload = &self.rest[NLMSG_HDRLEN..len];
        self.rest = &self.rest[align(len).min(remaining)..];
        Some(Ok(Message { header, payload }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::header::NLMSG_DONE;

    /// Two messages: an NLMSG_DONE with a zero error, then a NOOP with no payload.
    fn golden() -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&20u32.to_ne_bytes());
        v.extend_from_slice(&NLMSG_DONE.to_ne_bytes());
        v.extend_from_slice(&2u16.to_ne_bytes());
        v.extend_from_slice(&7u32.to_ne_bytes());
        v.extend_from_slice(&0u32.to_ne_bytes());
        v.extend_from_slice(&0i32.to_ne_bytes());
        v.extend_from_slice(&16u32.to_ne_bytes());
        v.extend_from_slice(&1u16.to_ne_bytes());
        v.extend_from_slice(&0u16.to_ne_bytes());
        v.extend_from_slice(&8u32.to_ne_bytes());
        v.extend_from_slice(&0u32.to_ne_bytes());
        v
    }

    #[test]
    fn walks_messages() {
        let bytes = golden();
        let msgs: Vec<_> = Messages::new(&bytes).collect::<Result<_, _>>().unwrap();
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0].message_type(), NLMSG_DONE);
        assert_eq!(msgs[0].header.nlmsg_seq, 7);
        assert_eq!(msgs[0].payload(), &[0, 0, 0, 0]);
        assert_eq!(msgs[1].payload().len(), 0);
    }

    #[test]
    fn every_truncation_fails_cleanly() {
        let bytes = golden();
        for cut in 1..bytes.len() {
            let items: Vec<_> = Messages::new(&bytes[..cut]).collect();
            let errs = items.iter().filter(|m| m.is_err()).count();
            if cut == 20 {
                assert_eq!(errs, 0);
            } else {
                assert_eq!(errs, 1, "cut {cut}");
                assert!(items.last().unwrap().is_err());
            }
        }
    }

    #[test]
    fn fixed_header_too_short() {
        let bytes = golden();
        let m = Messages::new(&bytes).next().unwrap().unwrap();
        assert!(m.fixed::<u32>("int").is_ok());
        assert!(m.fixed::<u64>("u64").is_err());
    }
}
