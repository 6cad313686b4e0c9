//! ICMP and ICMPv6 echo on the wire: views, parse, emit, checksum. Bytes in, values out.
//!
//! Contract (as in smoltcp's `wire`): [`EchoPacket::new_checked`] checks the length
//! once; after that no accessor can panic. [`parse_message`] and
//! [`Ipv4Header::parse`] never index past what they checked, and a short buffer
//! is a [`DecodeError`], never a panic. Multi-byte fields are big-endian on the
//! wire; the timestamp in a request's payload is a host-order `struct timeval`,
//! as iputils writes it.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use crate::error::{DecodeError, Problem};

/// IP version of an echo socket and its packets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    V4,
    V6,
}

impl Family {
    /// The family of an address.
    pub fn of(addr: &IpAddr) -> Family {
        match addr {
            IpAddr::V4(_) => Family::V4,
            IpAddr::V6(_) => Family::V6,
        }
    }

    /// `ICMP_ECHO` (8) or `ICMP6_ECHO_REQUEST` (128).
    pub const fn echo_request(self) -> u8 {
        match self {
            Family::V4 => ICMP_ECHO,
            Family::V6 => ICMP6_ECHO_REQUEST,
        }
    }

    /// `ICMP_ECHOREPLY` (0) or `ICMP6_ECHO_REPLY` (129).
    pub const fn echo_reply(self) -> u8 {
        match self {
            Family::V4 => ICMP_ECHOREPLY,
            Family::V6 => ICMP6_ECHO_REPLY,
        }
    }

    /// Bytes of IP header in front of an echo of this family (without options).
    pub const fn ip_header_len(self) -> usize {
        match self {
            Family::V4 => IPV4_HEADER_LEN,
            Family::V6 => IPV6_HEADER_LEN,
        }
    }
}

pub const ICMP_ECHOREPLY: u8 = 0;
pub const ICMP_DEST_UNREACH: u8 = 3;
pub const ICMP_ECHO: u8 = 8;
pub const ICMP_TIME_EXCEEDED: u8 = 11;
pub const ICMP_PARAMETERPROB: u8 = 12;
pub const ICMP6_DST_UNREACH: u8 = 1;
pub const ICMP6_PACKET_TOO_BIG: u8 = 2;
pub const ICMP6_TIME_EXCEEDED: u8 = 3;
pub const ICMP6_PARAM_PROB: u8 = 4;
pub const ICMP6_ECHO_REQUEST: u8 = 128;
pub const ICMP6_ECHO_REPLY: u8 = 129;

/// Type, code, checksum, identifier, sequence.
pub const ECHO_HEADER_LEN: usize = 8;
/// A `struct timeval` (two 64-bit fields) at the start of the payload.
pub const TIMESTAMP_LEN: usize = 16;
pub const IPV4_HEADER_LEN: usize = 20;
pub const IPV6_HEADER_LEN: usize = 40;
const IPPROTO_ICMP: u8 = 1;
const IPPROTO_ICMPV6: u8 = 58;

fn short(what: &'static str, want: usize, got: usize) -> DecodeError {
    DecodeError::new(what, Problem::Short { want, got })
}

fn be16(b: &[u8], at: usize) -> u16 {
    match b.get(at..at + 2) {
        Some(&[hi, lo]) => u16::from_be_bytes([hi, lo]),
        _ => 0,
    }
}

fn be32(b: &[u8], at: usize) -> u32 {
    match b.get(at..at + 4) {
        Some(&[a, c, d, e]) => u32::from_be_bytes([a, c, d, e]),
        _ => 0,
    }
}

/// The internet checksum (RFC 1071) of `data`: the value to store in a checksum field.
/// Over a message that already holds its checksum, the result is 0 when it is right.
pub fn checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    let mut chunks = data.chunks_exact(2);
    for pair in &mut chunks {
        if let &[hi, lo] = pair {
            sum += u32::from(u16::from_be_bytes([hi, lo]));
        }
    }
    if let &[last] = chunks.remainder() {
        sum += u32::from(last) << 8;
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// A typed view over an ICMP(v6) echo message (or any ICMP message: the first
/// eight bytes of every type share this layout's type, code and checksum).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EchoPacket<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> EchoPacket<T> {
    /// Wrap `buffer` after checking it holds at least the 8-byte header.
    pub fn new_checked(buffer: T) -> Result<Self, DecodeError> {
        let got = buffer.as_ref().len();
        if got < ECHO_HEADER_LEN {
            return Err(short("icmp echo header", ECHO_HEADER_LEN, got));
        }
        Ok(EchoPacket { buffer })
    }

    pub fn msg_type(&self) -> u8 {
        self.buffer.as_ref().first().copied().unwrap_or(0)
    }

    pub fn code(&self) -> u8 {
        self.buffer.as_ref().get(1).copied().unwrap_or(0)
    }

    pub fn checksum_field(&self) -> u16 {
        be16(self.buffer.as_ref(), 2)
    }

    /// The identifier (big-endian on the wire).
    pub fn ident(&self) -> u16 {
        be16(self.buffer.as_ref(), 4)
    }

    pub fn seq_no(&self) -> u16 {
        be16(self.buffer.as_ref(), 6)
    }

    pub fn payload(&self) -> &[u8] {
        self.buffer.as_ref().get(ECHO_HEADER_LEN..).unwrap_or(&[])
    }

    /// Whole message length (header + payload).
    pub fn len(&self) -> usize {
        self.buffer.as_ref().len()
    }

    /// Never true after `new_checked`; here for clippy's `len_without_is_empty`.
    pub fn is_empty(&self) -> bool {
        self.buffer.as_ref().is_empty()
    }

    /// The ICMPv4 checksum over the whole message is right. (ICMPv6 checksums
    /// cover a pseudo-header; the kernel verifies those.)
    pub fn verify_checksum(&self) -> bool {
        checksum(self.buffer.as_ref()) == 0
    }
}

/// Length of a request with `size` payload bytes.
pub const fn request_len(size: usize) -> usize {
    ECHO_HEADER_LEN + size
}

/// Write an echo request into `out` (resized to `8 + size`): iputils' payload,
/// byte `i` = `i as u8`, with a `struct timeval` of `sent_at` (time since the
/// Unix epoch) over the first 16 bytes when `size >= 16`. ICMPv4 gets its
/// checksum; ICMPv6 leaves 0, the kernel fills it (it covers a pseudo-header).
pub fn emit_request(
    family: Family,
    ident: u16,
    seq: u16,
    size: usize,
    sent_at: Duration,
    out: &mut Vec<u8>,
) {
    out.clear();
    out.resize(request_len(size), 0);
    let (header, payload) = out.split_at_mut(ECHO_HEADER_LEN);
    header[0] = family.echo_request();
    header[1] = 0;
    header[2..4].copy_from_slice(&[0, 0]);
    header[4..6].copy_from_slice(&ident.to_be_bytes());
    header[6..8].copy_from_slice(&seq.to_be_bytes());
    for (i, b) in payload.iter_mut().enumerate() {
        *b = i as u8;
    }
    if let Some(stamp) = payload.get_mut(..TIMESTAMP_LEN) {
        let secs = i64::try_from(sent_at.as_secs()).unwrap_or(i64::MAX);
        let usecs = i64::from(sent_at.subsec_micros());
        stamp[..8].copy_from_slice(&secs.to_ne_bytes());
        stamp[8..].copy_from_slice(&usecs.to_ne_bytes());
    }
    if family == Family::V4 {
        let sum = checksum(out);
        if let Some(field) = out.get_mut(2..4) {
            field.copy_from_slice(&sum.to_be_bytes());
        }
    }
}

/// The `struct timeval` at the start of an echo payload, as time since the
/// Unix epoch; `None` when the payload is shorter or the value is not a time.
pub fn payload_timestamp(payload: &[u8]) -> Option<Duration> {
    let secs = i64::from_ne_bytes(payload.get(..8)?.try_into().ok()?);
    let usecs = i64::from_ne_bytes(payload.get(8..TIMESTAMP_LEN)?.try_into().ok()?);
    if secs < 0 || !(0..1_000_000).contains(&usecs) {
        return None;
    }
    Some(Duration::from_secs(secs as u64) + Duration::from_micros(usecs as u64))
}

/// The fields of an IPv4 header that ping reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Header {
    /// IHL * 4: where the payload starts.
    pub header_len: usize,
    pub total_len: u16,
    pub ttl: u8,
    pub protocol: u8,
    pub source: Ipv4Addr,
    pub destination: Ipv4Addr,
}

impl Ipv4Header {
    /// Parse the header at the start of `bytes`; return it and its payload
    /// (cut at `total_len` when that lies inside `bytes`).
    pub fn parse(bytes: &[u8]) -> Result<(Ipv4Header, &[u8]), DecodeError> {
        if bytes.len() < IPV4_HEADER_LEN {
            return Err(short("ipv4 header", IPV4_HEADER_LEN, bytes.len()));
        }
        let first = bytes.first().copied().unwrap_or(0);
        if first >> 4 != 4 {
            return Err(DecodeError::new("ipv4 version", Problem::BadValue));
        }
        let header_len = usize::from(first & 0x0f) * 4;
        if header_len < IPV4_HEADER_LEN {
            return Err(DecodeError::new("ipv4 ihl", Problem::BadValue));
        }
        let rest = bytes
            .get(header_len..)
            .ok_or_else(|| short("ipv4 header options", header_len, bytes.len()))?;
        let total_len = be16(bytes, 2);
        let payload = match usize::from(total_len).checked_sub(header_len) {
            Some(n) if n <= rest.len() => rest.get(..n).unwrap_or(rest),
            _ => rest,
        };
        let addr = |at: usize| Ipv4Addr::from(be32(bytes, at));
        let header = Ipv4Header {
            header_len,
            total_len,
            ttl: bytes.get(8).copied().unwrap_or(0),
            protocol: bytes.get(9).copied().unwrap_or(0),
            source: addr(12),
            destination: addr(16),
        };
        Ok((header, payload))
    }
}

/// An ICMP error message about a packet we sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IcmpError {
    pub family: Family,
    pub msg_type: u8,
    pub code: u8,
    /// The MTU of "fragmentation needed" / "packet too big", the pointer of
    /// "parameter problem"; 0 otherwise.
    pub info: u32,
}

impl IcmpError {
    /// Is `msg_type` an error type we report (v4: 3, 11, 12; v6: 1, 2, 3, 4)?
    pub fn is_error_type(family: Family, msg_type: u8) -> bool {
        match family {
            Family::V4 => matches!(
                msg_type,
                ICMP_DEST_UNREACH | ICMP_TIME_EXCEEDED | ICMP_PARAMETERPROB
            ),
            Family::V6 => {
                matches!(
                    msg_type,
                    ICMP6_DST_UNREACH
                        | ICMP6_PACKET_TOO_BIG
                        | ICMP6_TIME_EXCEEDED
                        | ICMP6_PARAM_PROB
                )
            }
        }
    }

    /// A time-exceeded error (TTL / hop limit ran out on the way).
    pub fn is_time_exceeded(&self) -> bool {
        match self.family {
            Family::V4 => self.msg_type == ICMP_TIME_EXCEEDED,
            Family::V6 => self.msg_type == ICMP6_TIME_EXCEEDED,
        }
    }

    /// A destination-unreachable error.
    pub fn is_unreachable(&self) -> bool {
        match self.family {
            Family::V4 => self.msg_type == ICMP_DEST_UNREACH,
            Family::V6 => self.msg_type == ICMP6_DST_UNREACH,
        }
    }
}

impl fmt::Display for IcmpError {
    /// The text iputils' ping prints after `From ADDR icmp_seq=N `.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.code;
        match (self.family, self.msg_type) {
            (Family::V4, ICMP_DEST_UNREACH) => match c {
                0 => f.write_str("Destination Net Unreachable"),
                1 => f.write_str("Destination Host Unreachable"),
                2 => f.write_str("Destination Protocol Unreachable"),
                3 => f.write_str("Destination Port Unreachable"),
                4 => write!(f, "Frag needed and DF set (mtu = {})", self.info),
                5 => f.write_str("Source Route Failed"),
                6 => f.write_str("Destination Net Unknown"),
                7 => f.write_str("Destination Host Unknown"),
                8 => f.write_str("Source Host Isolated"),
                9 => f.write_str("Destination Net Prohibited"),
                10 => f.write_str("Destination Host Prohibited"),
                11 => f.write_str("Destination Net Unreachable for Type of Service"),
                12 => f.write_str("Destination Host Unreachable for Type of Service"),
                13 => f.write_str("Packet filtered"),
                14 => f.write_str("Precedence Violation"),
                15 => f.write_str("Precedence Cutoff"),
                _ => write!(f, "Dest Unreachable, Bad Code: {c}"),
            },
            (Family::V4, ICMP_TIME_EXCEEDED) => match c {
                0 => f.write_str("Time to live exceeded"),
                1 => f.write_str("Frag reassembly time exceeded"),
                _ => write!(f, "Time exceeded, Bad Code: {c}"),
            },
            (Family::V4, ICMP_PARAMETERPROB) => {
                write!(f, "Parameter problem: pointer = {}", self.info)
            }
            (Family::V6, ICMP6_DST_UNREACH) => {
                f.write_str("Destination unreachable: ")?;
                match c {
                    0 => f.write_str("No route"),
                    1 => f.write_str("Administratively prohibited"),
                    2 => f.write_str("Beyond scope of source address"),
                    3 => f.write_str("Address unreachable"),
                    4 => f.write_str("Port unreachable"),
                    _ => write!(f, "Unknown code {c}"),
                }
            }
            (Family::V6, ICMP6_PACKET_TOO_BIG) => write!(f, "Packet too big: mtu={}", self.info),
            (Family::V6, ICMP6_TIME_EXCEEDED) => {
                f.write_str("Time exceeded: ")?;
                match c {
                    0 => f.write_str("Hop limit"),
                    1 => f.write_str("Defragmentation failure"),
                    _ => write!(f, "code {c}"),
                }
            }
            (Family::V6, ICMP6_PARAM_PROB) => {
                f.write_str("Parameter problem: ")?;
                match c {
                    0 => f.write_str("Wrong header field ")?,
                    1 => f.write_str("Unknown header ")?,
                    2 => f.write_str("Unknown option ")?,
                    _ => write!(f, "code {c} ")?,
                }
                write!(f, "at {}", self.info)
            }
            (_, t) => write!(f, "Bad ICMP type: {t}"),
        }
    }
}

/// The echo request quoted inside an ICMP error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quoted {
    /// Where the original packet was going.
    pub destination: IpAddr,
    pub ident: u16,
    pub seq: u16,
}

/// One received ICMP message, classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message<'a> {
    EchoReply {
        ident: u16,
        seq: u16,
        payload: &'a [u8],
    },
    /// Our own request, seen by a raw socket when pinging a local address.
    EchoRequest {
        ident: u16,
        seq: u16,
    },
    /// An error; `original` is the echo request it quotes, when it quotes one.
    Error {
        error: IcmpError,
        original: Option<Quoted>,
    },
    Other {
        msg_type: u8,
    },
}

/// Classify the ICMP message `icmp` (starting at the ICMP header).
pub fn parse_message(family: Family, icmp: &[u8]) -> Result<Message<'_>, DecodeError> {
    let packet = EchoPacket::new_checked(icmp)?;
    let t = packet.msg_type();
    if t == family.echo_reply() {
        let payload = icmp.get(ECHO_HEADER_LEN..).unwrap_or(&[]);
        return Ok(Message::EchoReply {
            ident: packet.ident(),
            seq: packet.seq_no(),
            payload,
        });
    }
    if t == family.echo_request() {
        return Ok(Message::EchoRequest {
            ident: packet.ident(),
            seq: packet.seq_no(),
        });
    }
    if !IcmpError::is_error_type(family, t) {
        return Ok(Message::Other { msg_type: t });
    }
    let info = match (family, t) {
        (Family::V4, ICMP_DEST_UNREACH) => u32::from(be16(icmp, 6)),
        (Family::V4, ICMP_PARAMETERPROB) => u32::from(icmp.get(4).copied().unwrap_or(0)),
        (Family::V6, ICMP6_PACKET_TOO_BIG | ICMP6_PARAM_PROB) => be32(icmp, 4),
        _ => 0,
    };
    let error = IcmpError {
        family,
        msg_type: t,
        code: packet.code(),
        info,
    };
    let inner = icmp.get(ECHO_HEADER_LEN..).unwrap_or(&[]);
    Ok(Message::Error {
        error,
        original: quoted_request(family, inner),
    })
}

/// The echo request inside an error's payload (IP header + at least 8 bytes of ICMP).
fn quoted_request(family: Family, inner: &[u8]) -> Option<Quoted> {
    let (destination, icmp) = match family {
        Family::V4 => {
            let (ip, icmp) = Ipv4Header::parse(inner).ok()?;
            if ip.protocol != IPPROTO_ICMP {
                return None;
            }
            // The quoted packet is usually cut short of its total length.
            let icmp = if icmp.len() < ECHO_HEADER_LEN {
                inner.get(ip.header_len..)?
            } else {
                icmp
            };
            (IpAddr::V4(ip.destination), icmp)
        }
        Family::V6 => {
            let header = inner.get(..IPV6_HEADER_LEN)?;
            if header.first().copied().unwrap_or(0) >> 4 != 6
                || header.get(6).copied() != Some(IPPROTO_ICMPV6)
            {
                return None;
            }
            let dst: [u8; 16] = header.get(24..40)?.try_into().ok()?;
            (
                IpAddr::V6(Ipv6Addr::from(dst)),
                inner.get(IPV6_HEADER_LEN..)?,
            )
        }
    };
    let echo = EchoPacket::new_checked(icmp).ok()?;
    if echo.msg_type() != family.echo_request() {
        return None;
    }
    Some(Quoted {
        destination,
        ident: echo.ident(),
        seq: echo.seq_no(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request with 24 payload bytes (ident 0x1234, seq 1), stamped
    /// 1700000000.123456 s: iputils' layout (timeval, then bytes 0x10, 0x11, ...).
    fn request_v4() -> Vec<u8> {
        let mut out = Vec::new();
        emit_request(
            Family::V4,
            0x1234,
            1,
            24,
            Duration::new(1_700_000_000, 123_456_000),
            &mut out,
        );
        out
    }

    #[test]
    fn emit_golden_v4() {
        let p = request_v4();
        let mut want = vec![0x08, 0x00, 0x00, 0x00, 0x12, 0x34, 0x00, 0x01];
        want.extend_from_slice(&1_700_000_000i64.to_ne_bytes());
        want.extend_from_slice(&123_456i64.to_ne_bytes());
        want.extend_from_slice(&[0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17]);
        let sum = checksum(&want);
        want[2..4].copy_from_slice(&sum.to_be_bytes());
        assert_eq!(p, want);
        assert!(EchoPacket::new_checked(&p[..])
            .expect("long enough")
            .verify_checksum());
        assert_eq!(
            payload_timestamp(&p[8..]),
            Some(Duration::new(1_700_000_000, 123_456_000))
        );
    }

    #[test]
    fn emit_small_payload_is_pattern_only() {
        let mut out = Vec::new();
        emit_request(Family::V6, 7, 0xfffe, 4, Duration::from_secs(5), &mut out);
        assert_eq!(out, [128, 0, 0, 0, 0, 7, 0xff, 0xfe, 0, 1, 2, 3]);
        assert_eq!(payload_timestamp(&out[8..]), None);
    }

    #[test]
    fn checksum_vectors() {
        // RFC 1071 section 3 example: sum 0xddf2, checksum its complement.
        assert_eq!(
            checksum(&[0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]),
            !0xddf2
        );
        assert_eq!(checksum(&[]), 0xffff);
        // Odd length: last byte is the high half of a word.
        assert_eq!(checksum(&[0x01]), !0x0100);
        // An echo request (ident 0, seq 1, no payload) holding its right checksum sums to 0.
        assert_eq!(
            checksum(&[0x08, 0x00, 0xf7, 0xfe, 0x00, 0x01, 0x00, 0x00]),
            0
        );
        assert_eq!(
            checksum(&[0x08, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00]),
            0xf7fe
        );
    }

    #[test]
    fn reply_parses() {
        let mut p = request_v4();
        p[0] = ICMP_ECHOREPLY;
        match parse_message(Family::V4, &p) {
            Ok(Message::EchoReply {
                ident: 0x1234,
                seq: 1,
                payload,
            }) => assert_eq!(payload.len(), 24),
            other => panic!("unexpected {other:?}"),
        }
        let v6 = [129u8, 0, 0xab, 0xcd, 0, 9, 0, 3];
        assert_eq!(
            parse_message(Family::V6, &v6),
            Ok(Message::EchoReply {
                ident: 9,
                seq: 3,
                payload: &[]
            })
        );
        assert_eq!(
            parse_message(Family::V6, &[135, 0, 0, 0, 0, 0, 0, 0]),
            Ok(Message::Other { msg_type: 135 })
        );
    }

    /// IPv4 header from 10.0.1.100 to 10.0.1.1, ttl 64, proto ICMP, total `len`.
    fn ipv4(len: u16, src: [u8; 4], dst: [u8; 4]) -> Vec<u8> {
        let mut h = vec![0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 1, 0, 0];
        h[2..4].copy_from_slice(&len.to_be_bytes());
        h.extend_from_slice(&src);
        h.extend_from_slice(&dst);
        h
    }

    #[test]
    fn ipv4_header() {
        let mut pkt = ipv4(28, [10, 0, 2, 100], [10, 0, 1, 1]);
        pkt.extend_from_slice(&[0, 0, 0, 0, 0, 1, 0, 2, 0xee]); // one byte of trailing junk
        let (h, rest) = Ipv4Header::parse(&pkt).expect("valid");
        assert_eq!(h.header_len, 20);
        assert_eq!(h.ttl, 64);
        assert_eq!(h.source, Ipv4Addr::new(10, 0, 2, 100));
        assert_eq!(h.destination, Ipv4Addr::new(10, 0, 1, 1));
        assert_eq!(rest.len(), 8);
        let mut bad = pkt.clone();
        bad[0] = 0x65;
        assert!(Ipv4Header::parse(&bad).is_err());
        bad[0] = 0x44;
        assert!(Ipv4Header::parse(&bad).is_err());
        bad[0] = 0x4f; // 60-byte header, only 29 bytes here
        assert!(Ipv4Header::parse(&bad).is_err());
    }

    fn unreachable_v4() -> Vec<u8> {
        let mut inner = ipv4(84, [10, 0, 1, 1], [10, 0, 2, 100]);
        inner.extend_from_slice(&[8, 0, 0xaa, 0xbb, 0x12, 0x34, 0x00, 0x05]);
        let mut pkt = vec![3, 1, 0, 0, 0, 0, 0, 0];
        pkt.extend_from_slice(&inner);
        let sum = checksum(&pkt);
        pkt[2..4].copy_from_slice(&sum.to_be_bytes());
        pkt
    }

    #[test]
    fn error_v4_quotes_our_request() {
        let pkt = unreachable_v4();
        let Ok(Message::Error { error, original }) = parse_message(Family::V4, &pkt) else {
            panic!("not an error");
        };
        assert_eq!(error.to_string(), "Destination Host Unreachable");
        assert!(error.is_unreachable());
        assert_eq!(
            original,
            Some(Quoted {
                destination: IpAddr::from([10, 0, 2, 100]),
                ident: 0x1234,
                seq: 5
            })
        );
        // Truncated quotes are errors about someone else, not failures.
        for n in ECHO_HEADER_LEN..pkt.len() {
            match parse_message(Family::V4, &pkt[..n]) {
                Ok(Message::Error { original: None, .. }) => {}
                other => panic!("len {n}: {other:?}"),
            }
        }
    }

    #[test]
    fn error_v6_quotes_our_request() {
        let mut pkt = vec![3, 0, 0, 0, 0, 0, 0, 0];
        let mut ip6 = vec![0x60, 0, 0, 0, 0, 16, 58, 1];
        ip6.extend_from_slice(&[0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        ip6.extend_from_slice(&[0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
        pkt.extend_from_slice(&ip6);
        pkt.extend_from_slice(&[128, 0, 0, 0, 0, 42, 0, 7]);
        let Ok(Message::Error { error, original }) = parse_message(Family::V6, &pkt) else {
            panic!("not an error");
        };
        assert_eq!(error.to_string(), "Time exceeded: Hop limit");
        assert!(error.is_time_exceeded());
        let q = original.expect("quoted");
        assert_eq!((q.ident, q.seq), (42, 7));
        assert_eq!(q.destination, "fd00::2".parse::<IpAddr>().expect("literal"));
    }

    #[test]
    fn error_texts() {
        let e = |family, msg_type, code, info| {
            IcmpError {
                family,
                msg_type,
                code,
                info,
            }
            .to_string()
        };
        assert_eq!(e(Family::V4, 3, 0, 0), "Destination Net Unreachable");
        assert_eq!(
            e(Family::V4, 3, 4, 1400),
            "Frag needed and DF set (mtu = 1400)"
        );
        assert_eq!(e(Family::V4, 11, 0, 0), "Time to live exceeded");
        assert_eq!(e(Family::V4, 3, 99, 0), "Dest Unreachable, Bad Code: 99");
        assert_eq!(
            e(Family::V6, 1, 3, 0),
            "Destination unreachable: Address unreachable"
        );
        assert_eq!(e(Family::V6, 1, 0, 0), "Destination unreachable: No route");
        assert_eq!(e(Family::V6, 2, 0, 1280), "Packet too big: mtu=1280");
        assert_eq!(
            e(Family::V6, 4, 1, 40),
            "Parameter problem: Unknown header at 40"
        );
    }

    /// What a raw socket received while iputils ping ran (tests/golden/icmp):
    /// IPv4 captures hold the IP header, IPv6 ones start at the ICMPv6 header.
    #[test]
    fn captured_messages_classify() {
        let v4 = |bytes: &'static [u8]| {
            let (ip, icmp) = Ipv4Header::parse(bytes).expect("captured IPv4 header");
            assert!(EchoPacket::new_checked(icmp)
                .expect("echo")
                .verify_checksum());
            (ip, parse_message(Family::V4, icmp).expect("captured ICMP"))
        };
        let v6 = |bytes: &'static [u8]| parse_message(Family::V6, bytes).expect("captured ICMPv6");
        let error = |m: Message<'_>| match m {
            Message::Error {
                error,
                original: Some(q),
            } => (error.to_string(), q.destination.to_string(), q.seq),
            other => panic!("not an error quoting our request: {other:?}"),
        };

        let (ip, reply) = v4(include_bytes!("../../tests/golden/icmp/v4-echo-reply.bin"));
        assert_eq!((ip.source, ip.ttl), (Ipv4Addr::new(10, 10, 2, 1), 63));
        let Message::EchoReply {
            seq: 1, payload, ..
        } = reply
        else {
            panic!("{reply:?}");
        };
        assert_eq!(payload.len(), 56);
        assert!(payload_timestamp(payload).is_some());
        let reply = v6(include_bytes!("../../tests/golden/icmp/v6-echo-reply.bin"));
        assert!(matches!(reply, Message::EchoReply { seq: 1, payload, .. } if payload.len() == 56));

        let cases: [(Message<'_>, &str, &str); 6] = [
            (
                v4(include_bytes!(
                    "../../tests/golden/icmp/v4-time-exceeded.bin"
                ))
                .1,
                "Time to live exceeded",
                "10.10.2.1",
            ),
            (
                v4(include_bytes!(
                    "../../tests/golden/icmp/v4-host-unreachable.bin"
                ))
                .1,
                "Destination Host Unreachable",
                "10.10.9.1",
            ),
            (
                v4(include_bytes!("../../tests/golden/icmp/v4-frag-needed.bin")).1,
                "Frag needed and DF set (mtu = 1300)",
                "10.10.2.1",
            ),
            (
                v6(include_bytes!(
                    "../../tests/golden/icmp/v6-time-exceeded.bin"
                )),
                "Time exceeded: Hop limit",
                "fd10:2::1",
            ),
            (
                v6(include_bytes!("../../tests/golden/icmp/v6-no-route.bin")),
                "Destination unreachable: No route",
                "fd10:9::1",
            ),
            (
                v6(include_bytes!(
                    "../../tests/golden/icmp/v6-packet-too-big.bin"
                )),
                "Packet too big: mtu=1300",
                "fd10:2::1",
            ),
        ];
        for (message, text, destination) in cases {
            assert_eq!(
                error(message),
                (text.to_string(), destination.to_string(), 1)
            );
        }
    }

    #[test]
    fn every_truncation_fails_cleanly() {
        let p = request_v4();
        for n in 0..ECHO_HEADER_LEN {
            assert!(EchoPacket::new_checked(&p[..n]).is_err(), "len {n}");
            assert!(parse_message(Family::V4, &p[..n]).is_err(), "len {n}");
            assert!(parse_message(Family::V6, &p[..n]).is_err(), "len {n}");
        }
        let ip = ipv4(28, [1, 1, 1, 1], [2, 2, 2, 2]);
        for n in 0..IPV4_HEADER_LEN {
            assert!(Ipv4Header::parse(&ip[..n]).is_err(), "len {n}");
        }
        for n in 0..16 {
            assert_eq!(payload_timestamp(&p[8..8 + n]), None);
        }
    }
}
