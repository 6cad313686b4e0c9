//! Which received messages answer our requests: identifier, sequence, source,
//! checksum, duplicates. Bytes and addresses in, a [`Verdict`] out.
//!
//! Sequence numbers are 16 bits and start at 1, as in iputils; a number is
//! "ours" when it is among those sent so far (all of them once 65 536 requests
//! went out). A second reply to one sequence number is a duplicate, counted
//! apart; the bit is cleared when the number is sent again after wrapping.

use std::net::IpAddr;

use crate::icmp::echo::{parse_message, EchoPacket, Family, IcmpError, Message};

/// Why a message was not taken as an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ignored {
    Malformed,
    NotEcho,
    WrongIdent,
    WrongSequence,
    WrongSource,
    BadChecksum,
}

/// What one received message means to the pinger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict<'a> {
    Reply {
        seq: u16,
        duplicate: bool,
        payload: &'a [u8],
    },
    Error {
        seq: u16,
        error: IcmpError,
    },
    Ignore(Ignored),
}

/// The state needed to judge replies: what we sent, and what was answered.
#[derive(Debug, Clone)]
pub struct ReplyCheck {
    family: Family,
    destination: IpAddr,
    /// `None`: the kernel owns the identifier and we do not know it.
    ident: Option<u16>,
    verify_checksum: bool,
    transmitted: u64,
    answered: Vec<u64>,
}

impl ReplyCheck {
    /// `verify_checksum` for raw IPv4 sockets (the kernel checks the others).
    pub fn new(destination: IpAddr, ident: Option<u16>, verify_checksum: bool) -> ReplyCheck {
        ReplyCheck {
            family: Family::of(&destination),
            destination,
            ident,
            verify_checksum,
            transmitted: 0,
            answered: vec![0; 65536 / 64],
        }
    }

    /// Record that the next request was sent; its sequence number.
    pub fn sent(&mut self) -> u16 {
        self.transmitted += 1;
        let seq = self.transmitted as u16;
        self.set_answered(seq, false);
        seq
    }

    /// The sequence number the next [`sent`](Self::sent) will return.
    pub fn next_seq(&self) -> u16 {
        self.transmitted.wrapping_add(1) as u16
    }

    fn is_sent(&self, seq: u16) -> bool {
        self.transmitted >= 65536 || (seq != 0 && u64::from(seq) <= self.transmitted)
    }

    fn answered(&self, seq: u16) -> bool {
        self.answered
            .get(usize::from(seq / 64))
            .is_some_and(|w| w & (1 << (seq % 64)) != 0)
    }

    fn set_answered(&mut self, seq: u16, on: bool) {
        if let Some(w) = self.answered.get_mut(usize::from(seq / 64)) {
            if on {
                *w |= 1 << (seq % 64);
            } else {
                *w &= !(1 << (seq % 64));
            }
        }
    }

    fn ident_ok(&self, ident: u16) -> bool {
        self.ident.map_or(true, |ours| ours == ident)
    }

    /// Judge one message from `from`. `queued` is an error the kernel queued on a
    /// datagram socket, in which case `icmp` is our own request.
    pub fn judge<'a>(
        &mut self,
        from: IpAddr,
        icmp: &'a [u8],
        queued: Option<IcmpError>,
    ) -> Verdict<'a> {
        if let Some(error) = queued {
            let Ok(request) = EchoPacket::new_checked(icmp) else {
                return Verdict::Ignore(Ignored::Malformed);
            };
            if !self.ident_ok(request.ident()) {
                return Verdict::Ignore(Ignored::WrongIdent);
            }
            if !self.is_sent(request.seq_no()) {
                return Verdict::Ignore(Ignored::WrongSequence);
            }
            return Verdict::Error {
                seq: request.seq_no(),
                error,
            };
        }
        let Ok(message) = parse_message(self.family, icmp) else {
            return Verdict::Ignore(Ignored::Malformed);
        };
        match message {
            Message::EchoReply {
                ident,
                seq,
                payload,
            } => {
                if !self.ident_ok(ident) {
                    return Verdict::Ignore(Ignored::WrongIdent);
                }
                if from != self.destination {
                    return Verdict::Ignore(Ignored::WrongSource);
                }
                if !self.is_sent(seq) {
                    return Verdict::Ignore(Ignored::WrongSequence);
                }
                if self.verify_checksum
                    && !EchoPacket::new_checked(icmp).is_ok_and(|p| p.verify_checksum())
                {
                    return Verdict::Ignore(Ignored::BadChecksum);
                }
                let duplicate = self.answered(seq);
                self.set_answered(seq, true);
                Verdict::Reply {
                    seq,
                    duplicate,
                    payload,
                }
            }
            Message::Error {
                error,
                original: Some(q),
            } => {
                if q.destination != self.destination {
                    return Verdict::Ignore(Ignored::WrongSource);
                }
                if !self.ident_ok(q.ident) {
                    return Verdict::Ignore(Ignored::WrongIdent);
                }
                if !self.is_sent(q.seq) {
                    return Verdict::Ignore(Ignored::WrongSequence);
                }
                Verdict::Error { seq: q.seq, error }
            }
            Message::Error { original: None, .. }
            | Message::EchoRequest { .. }
            | Message::Other { .. } => Verdict::Ignore(Ignored::NotEcho),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::icmp::echo::{checksum, emit_request};
    use std::time::Duration;

    const DEST: [u8; 4] = [10, 0, 2, 100];

    fn reply(ident: u16, seq: u16) -> Vec<u8> {
        let mut p = Vec::new();
        emit_request(Family::V4, ident, seq, 56, Duration::from_secs(1), &mut p);
        p[0] = 0;
        p[2..4].copy_from_slice(&[0, 0]);
        let sum = checksum(&p);
        p[2..4].copy_from_slice(&sum.to_be_bytes());
        p
    }

    fn check() -> ReplyCheck {
        let mut c = ReplyCheck::new(IpAddr::from(DEST), Some(0x4242), true);
        c.sent();
        c.sent();
        c
    }

    #[test]
    fn good_reply_then_duplicate() {
        let mut c = check();
        let r = reply(0x4242, 2);
        assert!(matches!(
            c.judge(DEST.into(), &r, None),
            Verdict::Reply {
                seq: 2,
                duplicate: false,
                ..
            }
        ));
        assert!(matches!(
            c.judge(DEST.into(), &r, None),
            Verdict::Reply {
                seq: 2,
                duplicate: true,
                ..
            }
        ));
    }

    #[test]
    fn rejects() {
        let mut c = check();
        let v = |c: &mut ReplyCheck, from: [u8; 4], p: &[u8]| match c.judge(from.into(), p, None) {
            Verdict::Ignore(why) => Some(why),
            _ => None,
        };
        assert_eq!(
            v(&mut c, DEST, &reply(0x4243, 1)),
            Some(Ignored::WrongIdent)
        );
        assert_eq!(
            v(&mut c, DEST, &reply(0x4242, 3)),
            Some(Ignored::WrongSequence)
        );
        assert_eq!(
            v(&mut c, DEST, &reply(0x4242, 0)),
            Some(Ignored::WrongSequence)
        );
        assert_eq!(
            v(&mut c, [10, 0, 2, 101], &reply(0x4242, 1)),
            Some(Ignored::WrongSource)
        );
        let mut bad = reply(0x4242, 1);
        bad[20] ^= 1;
        assert_eq!(v(&mut c, DEST, &bad), Some(Ignored::BadChecksum));
        assert_eq!(v(&mut c, DEST, &bad[..5]), Some(Ignored::Malformed));
        let mut request = reply(0x4242, 1);
        request[0] = 8;
        assert_eq!(v(&mut c, DEST, &request), Some(Ignored::NotEcho));
        // None of these marked seq 1 as answered.
        assert!(matches!(
            c.judge(DEST.into(), &reply(0x4242, 1), None),
            Verdict::Reply {
                duplicate: false,
                ..
            }
        ));
    }

    #[test]
    fn unknown_ident_accepts_any() {
        let mut c = ReplyCheck::new(IpAddr::from(DEST), None, false);
        c.sent();
        assert!(matches!(
            c.judge(DEST.into(), &reply(7, 1), None),
            Verdict::Reply { seq: 1, .. }
        ));
    }

    #[test]
    fn queued_error() {
        let mut c = check();
        let mut request = Vec::new();
        emit_request(
            Family::V4,
            0x4242,
            2,
            56,
            Duration::from_secs(1),
            &mut request,
        );
        let error = IcmpError {
            family: Family::V4,
            msg_type: 3,
            code: 1,
            info: 0,
        };
        assert_eq!(
            c.judge([10, 0, 1, 100].into(), &request, Some(error)),
            Verdict::Error { seq: 2, error }
        );
        assert_eq!(
            c.judge([10, 0, 1, 100].into(), &request[..4], Some(error)),
            Verdict::Ignore(Ignored::Malformed)
        );
    }

    #[test]
    fn wire_error() {
        let mut c = check();
        let mut inner = vec![0x45, 0, 0, 84, 0, 0, 0x40, 0, 1, 1, 0, 0, 10, 0, 1, 1];
        inner.extend_from_slice(&DEST);
        inner.extend_from_slice(&[8, 0, 0, 0, 0x42, 0x42, 0, 1]);
        let mut pkt = vec![11, 0, 0, 0, 0, 0, 0, 0];
        pkt.extend_from_slice(&inner);
        match c.judge([10, 0, 1, 100].into(), &pkt, None) {
            Verdict::Error { seq: 1, error } => assert!(error.is_time_exceeded()),
            other => panic!("{other:?}"),
        }
        // About a packet to someone else.
        pkt[8 + 19] = 99;
        assert_eq!(
            c.judge([10, 0, 1, 100].into(), &pkt, None),
            Verdict::Ignore(Ignored::WrongSource)
        );
    }

    #[test]
    fn sequence_wraps() {
        let mut c = ReplyCheck::new(IpAddr::from(DEST), Some(1), false);
        for _ in 0..65535 {
            c.sent();
        }
        assert!(!c.is_sent(0));
        assert_eq!(c.sent(), 0);
        assert!(c.is_sent(0) && c.is_sent(5));
        assert_eq!(c.next_seq(), 1);
    }
}
