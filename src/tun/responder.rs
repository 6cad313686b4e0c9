//! A user-space ICMP echo responder on a tun device: the program on the other
//! end of a `tun` answers pings itself.
//!
//! [`echo_reply`] is pure (an IPv4 packet in, the reply packet out, using the
//! wire code of [`crate::icmp::echo`]); [`EchoResponder`] runs it on a thread
//! over a [`Tun`] opened with `IFF_TUN | IFF_NO_PI` (packets are bare IPv4).
//!
//! Invariants: the thread never blocks for longer than its poll interval, so
//! it stops within that interval of [`EchoResponder::stop`] (or drop); it owns
//! the `Tun`, so the device (when not persistent) goes when the thread ends.

use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::queue::Tun;
use crate::error::{Error, Result};
use crate::icmp::echo::{
    checksum, EchoPacket, Ipv4Header, ECHO_HEADER_LEN, ICMP_ECHO, ICMP_ECHOREPLY, IPV4_HEADER_LEN,
};

/// `IPPROTO_ICMP`.
const IPPROTO_ICMP: u8 = 1;
/// TTL of the replies (Linux's default).
const REPLY_TTL: u8 = 64;
/// How long the responder waits for a packet before looking at its stop flag.
pub const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// Write into `out` the IPv4 echo reply to `packet` when it is a whole,
/// unfragmented IPv4 ICMP echo request with a correct checksum; return who
/// asked. Anything else is `None` and leaves `out` unspecified.
///
/// The reply swaps the addresses, has TTL 64, no IP options, identification
/// 0 with DF set, and the request's identifier, sequence and payload; both
/// checksums are computed.
pub fn echo_reply(packet: &[u8], out: &mut Vec<u8>) -> Option<Ipv4Addr> {
    let (ip, icmp) = Ipv4Header::parse(packet).ok()?;
    let fragment = packet.get(6..8).map(|b| u16::from_be_bytes([b[0], b[1]]))?;
    // MF set or a non-zero offset: a fragment, which the kernel would reassemble first.
    if fragment & 0x3fff != 0 || ip.protocol != IPPROTO_ICMP {
        return None;
    }
    if usize::from(ip.total_len) != ip.header_len + icmp.len() {
        return None; // cut short
    }
    if checksum(packet.get(..ip.header_len)?) != 0 {
        return None;
    }
    let request = EchoPacket::new_checked(icmp).ok()?;
    if request.msg_type() != ICMP_ECHO || request.code() != 0 || !request.verify_checksum() {
        return None;
    }
    let total = IPV4_HEADER_LEN + icmp.len();
    let total16 = u16::try_from(total).ok()?;
    out.clear();
    out.resize(IPV4_HEADER_LEN, 0);
    out[0] = 0x45; // version 4, IHL 5
    out[2..4].copy_from_slice(&total16.to_be_bytes());
    out[6..8].copy_from_slice(&0x4000u16.to_be_bytes()); // DF
    out[8] = REPLY_TTL;
    out[9] = IPPROTO_ICMP;
    out[12..16].copy_from_slice(&ip.destination.octets());
    out[16..20].copy_from_slice(&ip.source.octets());
    let sum = checksum(&out[..IPV4_HEADER_LEN]);
    out[10..12].copy_from_slice(&sum.to_be_bytes());
    out.extend_from_slice(icmp);
    let reply = &mut out[IPV4_HEADER_LEN..];
    reply[0] = ICMP_ECHOREPLY;
    reply[2..4].copy_from_slice(&[0, 0]);
    let sum = checksum(reply);
    reply[2..4].copy_from_slice(&sum.to_be_bytes());
    debug_assert!(reply.len() >= ECHO_HEADER_LEN);
    Some(ip.source)
}

/// What the responder has done so far.
#[derive(Debug, Default)]
struct Counters {
    answered: AtomicU64,
    /// Echo requests read while not answering.
    dropped: AtomicU64,
    /// Packets that were not IPv4 echo requests (IPv6 router solicitations, ...).
    ignored: AtomicU64,
}

/// A snapshot of the responder's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResponderCounts {
    pub answered: u64,
    pub dropped: u64,
    pub ignored: u64,
}

/// A thread answering ICMP echo requests that arrive on a tun device.
#[derive(Debug)]
pub struct EchoResponder {
    name: String,
    stop: Arc<AtomicBool>,
    answering: Arc<AtomicBool>,
    counters: Arc<Counters>,
    thread: Option<JoinHandle<Result<()>>>,
}

impl EchoResponder {
    /// Start answering on `tun` (which must be `IFF_TUN | IFF_NO_PI`). With
    /// `answering` false, echo requests are read and dropped (and counted)
    /// until [`EchoResponder::set_answering`] turns answering on.
    pub fn start(tun: Tun, answering: bool) -> Result<EchoResponder> {
        let name = tun.name().to_string();
        let stop = Arc::new(AtomicBool::new(false));
        let answer = Arc::new(AtomicBool::new(answering));
        let counters = Arc::new(Counters::default());
        let (s, a, c) = (stop.clone(), answer.clone(), counters.clone());
        let thread = std::thread::Builder::new()
            .name(format!("rawnet-{name}"))
            .spawn(move || serve(&tun, &s, &a, &c))
            .map_err(|e| Error::io("spawn thread", e))?;
        Ok(EchoResponder {
            name,
            stop,
            answering: answer,
            counters,
            thread: Some(thread),
        })
    }

    /// The device's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn set_answering(&self, on: bool) {
        self.answering.store(on, Ordering::SeqCst);
    }

    pub fn counts(&self) -> ResponderCounts {
        ResponderCounts {
            answered: self.counters.answered.load(Ordering::SeqCst),
            dropped: self.counters.dropped.load(Ordering::SeqCst),
            ignored: self.counters.ignored.load(Ordering::SeqCst),
        }
    }

    /// Stop the thread (within [`POLL_INTERVAL`]), close the tun, and return
    /// the final counts, or the error that ended the thread early.
    pub fn stop(mut self) -> Result<ResponderCounts> {
        self.halt()?;
        Ok(self.counts())
    }

    fn halt(&mut self) -> Result<()> {
        self.stop.store(true, Ordering::SeqCst);
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(r)) => r,
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => Ok(()),
        }
    }
}

impl Drop for EchoResponder {
    fn drop(&mut self) {
        let _ = self.halt();
    }
}

/// The responder's loop: wait (bounded), read one packet, answer or count it.
fn serve(tun: &Tun, stop: &AtomicBool, answering: &AtomicBool, c: &Counters) -> Result<()> {
    let mut packet = vec![0u8; 65536];
    let mut reply = Vec::with_capacity(1500);
    while !stop.load(Ordering::SeqCst) {
        if !tun.wait_readable(POLL_INTERVAL)? {
            continue;
        }
        let n = tun.recv(&mut packet)?;
        let Some(request) = packet.get(..n) else {
            continue;
        };
        if echo_reply(request, &mut reply).is_none() {
            c.ignored.fetch_add(1, Ordering::SeqCst);
        } else if answering.load(Ordering::SeqCst) {
            tun.send(&reply)?;
            c.answered.fetch_add(1, Ordering::SeqCst);
        } else {
            c.dropped.fetch_add(1, Ordering::SeqCst);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::icmp::echo::{emit_request, Family};

    /// An IPv4 packet 10.9.0.1 -> 10.9.0.2 carrying an echo request.
    fn request(seq: u16) -> Vec<u8> {
        let mut icmp = Vec::new();
        emit_request(
            Family::V4,
            0x1234,
            seq,
            56,
            Duration::from_secs(1),
            &mut icmp,
        );
        let mut p = vec![0x45, 0, 0, 0, 0xab, 0xcd, 0x40, 0, 64, 1, 0, 0];
        p.extend_from_slice(&[10, 9, 0, 1, 10, 9, 0, 2]);
        let total = (p.len() + icmp.len()) as u16;
        p[2..4].copy_from_slice(&total.to_be_bytes());
        let sum = checksum(&p);
        p[10..12].copy_from_slice(&sum.to_be_bytes());
        p.extend_from_slice(&icmp);
        p
    }

    #[test]
    fn answers_an_echo_request() {
        let req = request(7);
        let mut out = Vec::new();
        assert_eq!(echo_reply(&req, &mut out), Some(Ipv4Addr::new(10, 9, 0, 1)));
        let (ip, icmp) = Ipv4Header::parse(&out).unwrap();
        assert_eq!(ip.source, Ipv4Addr::new(10, 9, 0, 2));
        assert_eq!(ip.destination, Ipv4Addr::new(10, 9, 0, 1));
        assert_eq!(usize::from(ip.total_len), out.len());
        assert_eq!(checksum(&out[..20]), 0, "IPv4 header checksum");
        let reply = EchoPacket::new_checked(icmp).unwrap();
        assert_eq!(reply.msg_type(), ICMP_ECHOREPLY);
        assert!(reply.verify_checksum());
        assert_eq!((reply.ident(), reply.seq_no()), (0x1234, 7));
        assert_eq!(reply.payload(), &req[28..]);
    }

    #[test]
    fn ignores_what_is_not_a_good_request() {
        let mut out = Vec::new();
        let good = request(1);
        let mut bad_sum = good.clone();
        *bad_sum.last_mut().unwrap() ^= 1;
        let mut fragment = good.clone();
        fragment[6] = 0x20; // MF
        let mut reply = good.clone();
        reply[20] = ICMP_ECHOREPLY;
        let mut bad_ip_sum = good.clone();
        bad_ip_sum[8] = 1;
        for bad in [&bad_sum, &fragment, &reply, &bad_ip_sum] {
            assert_eq!(echo_reply(bad, &mut out), None);
        }
        for cut in 0..good.len() {
            assert_eq!(echo_reply(&good[..cut], &mut out), None, "cut {cut}");
        }
        let v6 = [0x60u8; 48];
        assert_eq!(echo_reply(&v6, &mut out), None);
    }
}
