//! The ping loop: send a request every interval, collect replies and errors,
//! stop on count, deadline or a stop flag, and tally. (I/O; never prints.)
//!
//! Timing follows iputils: sequence numbers from 1; a request every
//! interval, or with a zero interval (flood's default) as soon as the newest
//! one is answered and [`FLOOD_INTERVAL`] after it at the latest; with a
//! count and no deadline, after the last request wait `max(2 × slowest
//! reply, interval)` when something came back, otherwise the `timeout` (-W);
//! with a deadline, stop at the deadline or when `count` replies (or errors)
//! arrived. Every wait is bounded; a set stop flag ends the run at the next
//! wake-up (at most [`MAX_POLL`] later; sooner when a signal interrupts the
//! wait).
//!
//! System calls per packet: at a zero interval the answer is awaited inside
//! `recvmsg` (`SO_RCVTIMEO` = [`FLOOD_INTERVAL`]), so a flood costs one
//! `sendto` and one `recvmsg` a packet, as iputils' does; other intervals
//! `poll` until the next send, then read one message per wake-up.

use std::net::{IpAddr, SocketAddr, SocketAddrV6};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::error::{Error, Invalid, Result};
use crate::icmp::echo::{emit_request, payload_timestamp, Family, IcmpError, TIMESTAMP_LEN};
use crate::icmp::replies::{ReplyCheck, Verdict};
use crate::icmp::socket::{
    EchoOptions, EchoSocket, KindChoice, PmtuDiscovery, Received, SocketKind, Wait,
};
use crate::icmp::stats::{RttAccumulator, Statistics};

/// Longest single wait, so a stop flag set without a signal is seen.
pub const MAX_POLL: Duration = Duration::from_millis(250);
/// Largest payload an IPv4 packet carries: 65535 - 20 (IPv4 header) - 8
/// (ICMP header). Larger sizes are accepted, as iputils accepts them from
/// root: the kernel refuses each such request (`EMSGSIZE`, with a local
/// error when it queues one), which counts as sent and unanswered.
pub const MAX_SIZE: usize = 65507;
/// Payload bytes actually built for a request: any ICMP message over 65535
/// bytes fails in the kernel as every longer one does, so a bigger `-s`
/// costs no more memory than this.
const MAX_BUILT_SIZE: usize = 65536;
/// At a zero interval a request goes out at least this often, answered or
/// not (iputils: 100/s), and a receive sleeps at most this long.
pub const FLOOD_INTERVAL: Duration = Duration::from_millis(10);

/// `-I`: an interface name, a source address, or (`-I fe80::1%eth0`) both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interface {
    Name(String),
    Address(IpAddr),
    AddressOn(IpAddr, String),
}

/// What to ping and how; defaults are iputils'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PingConfig {
    pub destination: IpAddr,
    /// The destination's IPv6 zone (`fe80::1%eth0`: that interface's index;
    /// 0 for none): requests go out through it, as `sin6_scope_id`.
    pub scope_id: u32,
    /// `-c`: stop after this many requests (and their replies).
    pub count: Option<u64>,
    /// `-i`: between requests (default 1 s).
    pub interval: Duration,
    /// `-W`: how long to wait for replies after the last request when none came (default 10 s).
    pub timeout: Duration,
    /// `-w`: stop after this long, whatever happens.
    pub deadline: Option<Duration>,
    /// `-s`: payload bytes (default 56).
    pub size: usize,
    /// `-t`: TTL / hop limit.
    pub ttl: Option<u8>,
    /// `-M`: path MTU discovery; `None` leaves the kernel's default.
    pub pmtu_discovery: Option<PmtuDiscovery>,
    /// `-Q`: type of service (IPv4) / traffic class (IPv6).
    pub tos: Option<i32>,
    /// `-I`.
    pub interface: Option<Interface>,
    /// `-q`: the library reports the same events; the caller prints less.
    pub quiet: bool,
    /// `-f`: the caller prints dots. Pacing is the interval's: iputils' `-f`
    /// sets it to zero (send on each answer) unless `-i` is given.
    pub flood: bool,
    /// Raw or datagram socket.
    pub socket: KindChoice,
}

impl PingConfig {
    pub fn new(destination: IpAddr) -> PingConfig {
        PingConfig {
            destination,
            scope_id: 0,
            count: None,
            interval: Duration::from_secs(1),
            timeout: Duration::from_secs(10),
            deadline: None,
            size: 56,
            ttl: None,
            pmtu_discovery: None,
            tos: None,
            interface: None,
            quiet: false,
            flood: false,
            socket: KindChoice::Auto,
        }
    }

    pub fn family(&self) -> Family {
        Family::of(&self.destination)
    }

    /// Whether replies can carry a timestamp (payload of at least 16 bytes).
    pub fn timing(&self) -> bool {
        self.size >= TIMESTAMP_LEN
    }

    /// The options to open this ping's socket with (including the route check).
    pub fn socket_options(&self) -> EchoOptions {
        let (device, source) = match &self.interface {
            None => (None, None),
            Some(Interface::Name(n)) => (Some(n.clone()), None),
            Some(Interface::Address(a)) => (None, Some(*a)),
            Some(Interface::AddressOn(a, n)) => (Some(n.clone()), Some(*a)),
        };
        EchoOptions {
            kind: self.socket,
            pmtu_discovery: self.pmtu_discovery,
            tos: self.tos,
            route_scope: self.scope_id,
            ttl: self.ttl,
            device,
            source,
            route_to: Some(self.destination),
        }
    }
}

/// An echo reply to one of our requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply {
    pub from: IpAddr,
    /// The interface index the kernel gave a link-local sender; 0 otherwise.
    pub scope_id: u32,
    pub seq: u16,
    pub ttl: Option<u8>,
    /// ICMP bytes (header + payload), what iputils prints as "N bytes from".
    pub bytes: usize,
    /// `None` when the payload is too small for a timestamp.
    pub rtt: Option<Duration>,
    pub duplicate: bool,
}

/// An ICMP error about one of our requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorReport {
    /// The router or host that reported it.
    pub from: IpAddr,
    /// The interface index the kernel gave a link-local sender; 0 otherwise.
    pub scope_id: u32,
    pub seq: u16,
    pub kind: IcmpError,
}

/// What happened, in order.
#[derive(Debug)]
pub enum PingEvent {
    Sent {
        seq: u16,
    },
    /// A request after the first could not be sent (it still counts as transmitted).
    SendFailed {
        seq: u16,
        error: Error,
    },
    /// A request the kernel refused and reported as a local error (it
    /// counts as transmitted, and as an error): `errno` `EMSGSIZE` when it
    /// was over the path MTU `mtu` (`-M do`, or over 65535 bytes).
    LocalError {
        seq: u16,
        errno: i32,
        mtu: u32,
    },
    Reply(Reply),
    Error(ErrorReport),
    /// The last event of a run.
    Statistics(Statistics),
}

/// Runs one ping over an open [`EchoSocket`].
#[derive(Debug)]
pub struct Pinger {
    socket: EchoSocket,
    config: PingConfig,
    check: ReplyCheck,
    rtt: RttAccumulator,
    stats: Statistics,
    packet: Vec<u8>,
    buf: Vec<u8>,
    /// Where requests go: the destination with its zone.
    target: SocketAddr,
    /// The last request sent was answered (a reply or an ICMP error about it).
    newest_answered: bool,
    /// Read the socket's error queue before anything else.
    error_queued: bool,
    clock: Clock,
}

/// When requests go out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pace {
    /// Interval zero (`-f` without `-i`, or `-i 0`): as soon as the newest
    /// request is answered, and [`FLOOD_INTERVAL`] after it at the latest.
    OnAnswer,
    /// One request every interval, answered or not (`-f -i 0.2` too).
    Every(Duration),
}

impl Pinger {
    /// Check the configuration against the socket.
    pub fn new(socket: EchoSocket, config: PingConfig) -> Result<Pinger> {
        if socket.family() != config.family() {
            return Err(Error::Invalid(Invalid::FamilyMismatch {
                what: "socket",
                address: None,
            }));
        }
        let verify = socket.kind() == SocketKind::Raw && socket.family() == Family::V4;
        let check = ReplyCheck::new(config.destination, socket.ident(), verify);
        let target = match config.destination {
            IpAddr::V6(a) => SocketAddr::V6(SocketAddrV6::new(a, 0, 0, config.scope_id)),
            v4 => SocketAddr::new(v4, 0),
        };
        // Room for an IPv4 header with options in front of the largest reply.
        let buf = vec![0; config.size.min(MAX_BUILT_SIZE) + 60 + 8 + 64];
        Ok(Pinger {
            socket,
            config,
            check,
            rtt: RttAccumulator::default(),
            stats: Statistics::default(),
            packet: Vec::new(),
            buf,
            target,
            newest_answered: false,
            error_queued: false,
            clock: Clock::new(),
        })
    }

    pub fn socket(&self) -> &EchoSocket {
        &self.socket
    }

    pub fn config(&self) -> &PingConfig {
        &self.config
    }

    /// Run until count, deadline or `stop`; report every event to `on_event`
    /// (the last one is [`PingEvent::Statistics`]) and return the statistics.
    /// A failure to send the first request is returned as the error
    /// (`Error::Io { op: "sendmsg", .. }`), as iputils exits on it.
    pub fn run(
        &mut self,
        stop: &AtomicBool,
        mut on_event: impl FnMut(&PingEvent),
    ) -> Result<Statistics> {
        self.run_until(stop, |event| {
            on_event(event);
            ControlFlow::Continue(())
        })
    }

    /// [`run`](Self::run), where `on_event` may end the run at once by
    /// returning `Break` (e.g. its output went away): nothing more is sent or
    /// reported, not even [`PingEvent::Statistics`]; the statistics so far
    /// are returned.
    pub fn run_until(
        &mut self,
        stop: &AtomicBool,
        mut on_event: impl FnMut(&PingEvent) -> ControlFlow<()>,
    ) -> Result<Statistics> {
        let start = self.clock.restart();
        let deadline = self.config.deadline.map(|d| start + d);
        let pace = self.pace();
        let resend_after = match pace {
            Pace::OnAnswer => FLOOD_INTERVAL,
            Pace::Every(interval) => interval,
        };
        // Waiting for an answer in `recvmsg` itself (SO_RCVTIMEO) instead of
        // `poll` then `recvmsg` saves a system call per packet; when the
        // option cannot be set, poll as iputils then does.
        let sleep_in_receive =
            pace == Pace::OnAnswer && self.socket.set_receive_timeout(FLOOD_INTERVAL).is_ok();
        let mut next_send = start;
        let mut linger_until: Option<Instant> = None;
        loop {
            let now = Instant::now();
            if stop.load(Ordering::SeqCst)
                || deadline.is_some_and(|d| now >= d)
                || linger_until.is_some_and(|l| now >= l)
            {
                break;
            }
            if self.answered_all() {
                break;
            }
            if deadline.is_some() && self.stats.errors > 0 {
                break;
            }
            let due = now >= next_send || (pace == Pace::OnAnswer && self.newest_answered);
            if due && !self.all_sent() {
                if self.send_one(now, &mut on_event)?.is_break() {
                    return Ok(self.finish(start));
                }
                next_send = now + resend_after;
                if deadline.is_none() && self.all_sent() {
                    linger_until = Some(now + self.linger(resend_after));
                }
                // A local error answered the last request at once: done.
                if self.answered_all() {
                    continue;
                }
                // Straight on to the wait for its answer, with the same
                // `now` (a few microseconds old): a packet costs one turn of
                // this loop and one clock read besides its round trip.
            }
            let all_sent = self.all_sent();
            let mut wake = now + MAX_POLL;
            if !all_sent {
                wake = wake.min(next_send);
            }
            for t in [deadline, linger_until].into_iter().flatten() {
                wake = wake.min(t);
            }
            let timeout = wake.saturating_duration_since(now);
            // Sleeping in recvmsg may overshoot `wake` by up to the receive
            // timeout's rounding: fine for a flood's 10 ms resend, so only
            // short waits (a deadline or the linger about to end) poll.
            let block = sleep_in_receive && timeout >= FLOOD_INTERVAL / 2;
            if let Some(event) = self.receive_one(timeout, block)? {
                if on_event(&event).is_break() {
                    return Ok(self.finish(start));
                }
            }
        }
        let stats = self.finish(start);
        // The run is over either way.
        let _ = on_event(&PingEvent::Statistics(stats));
        Ok(stats)
    }

    /// Whether `count` replies and errors came.
    fn answered_all(&self) -> bool {
        self.config
            .count
            .is_some_and(|c| self.stats.received + self.stats.errors >= c)
    }

    /// Whether `count` requests went out.
    fn all_sent(&self) -> bool {
        self.config
            .count
            .is_some_and(|c| self.stats.transmitted >= c)
    }

    /// How requests go out: iputils sends on each answer when the interval is zero.
    fn pace(&self) -> Pace {
        if self.config.interval.is_zero() {
            Pace::OnAnswer
        } else {
            Pace::Every(self.config.interval)
        }
    }

    /// Close the books: elapsed time and round-trip summary.
    fn finish(&mut self, start: Instant) -> Statistics {
        self.stats.elapsed = start.elapsed();
        self.stats.rtt = if self.config.timing() {
            self.rtt.summary()
        } else {
            None
        };
        self.stats
    }

    /// After the last request: twice the slowest reply (at least one interval)
    /// when something came back, the -W timeout otherwise.
    fn linger(&self, interval: Duration) -> Duration {
        if self.stats.received > 0 {
            let two_max = self.rtt.max().map_or(Duration::ZERO, |m| m * 2);
            two_max.max(interval).min(self.config.timeout.max(interval))
        } else {
            self.config.timeout
        }
    }

    /// Send the next request, stamped with `now` as wall-clock time.
    fn send_one(
        &mut self,
        now: Instant,
        on_event: &mut impl FnMut(&PingEvent) -> ControlFlow<()>,
    ) -> Result<ControlFlow<()>> {
        let seq = self.check.next_seq();
        let now = self.clock.wall(now);
        let ident = self.socket.ident().unwrap_or(0);
        emit_request(
            self.config.family(),
            ident,
            seq,
            self.config.size.min(MAX_BUILT_SIZE),
            now,
            &mut self.packet,
        );
        let result = self.socket.send_to(&self.packet, self.target);
        self.newest_answered = false;
        match result {
            // iputils reads the error queue after a failed send: a local
            // error there is reported and counted; a request too big for
            // the kernel without one (IPv4 over 65535 bytes) only counts as
            // sent. Neither ends the run, not even on the first request.
            Err(e) if e.errno() == Some(libc::EMSGSIZE) => {
                self.check.sent();
                self.stats.transmitted += 1;
                if let Received::LocalError { errno, info } =
                    self.socket.receive_error(&mut self.buf)?
                {
                    // iputils' quirk: with `-q` a local error is not counted
                    // (nor does it end a run with a count).
                    if !self.config.quiet {
                        self.stats.errors += 1;
                    }
                    return Ok(on_event(&PingEvent::LocalError {
                        seq,
                        errno,
                        mtu: info,
                    }));
                }
                Ok(on_event(&PingEvent::SendFailed { seq, error: e }))
            }
            Err(e) if self.stats.transmitted == 0 => Err(e),
            Err(error) => {
                self.check.sent();
                self.stats.transmitted += 1;
                // The failure may be an ICMP error the kernel queued (a
                // datagram socket reports it on the next send): read it next.
                self.error_queued = true;
                Ok(on_event(&PingEvent::SendFailed { seq, error }))
            }
            Ok(_) => {
                self.check.sent();
                self.stats.transmitted += 1;
                Ok(on_event(&PingEvent::Sent { seq }))
            }
        }
    }

    /// Wait up to `timeout` (with `block`: up to the socket's receive
    /// timeout, inside `recvmsg`) for one message and judge it; the event it
    /// makes, if any. One system call when a reply is waiting.
    fn receive_one(&mut self, timeout: Duration, block: bool) -> Result<Option<PingEvent>> {
        let received = if self.error_queued {
            match self.socket.receive_error(&mut self.buf)? {
                Received::Nothing => {
                    self.error_queued = false;
                    return Ok(None);
                }
                r => r,
            }
        } else if block {
            self.socket.receive_waiting(&mut self.buf)?
        } else {
            match self.socket.wait(timeout)? {
                Wait::Timeout | Wait::Interrupted => return Ok(None),
                Wait::Ready { error_queued } => {
                    self.error_queued = error_queued;
                    if error_queued {
                        return Ok(None);
                    }
                    self.socket.receive_now(&mut self.buf)?
                }
            }
        };
        let Received::Message(d) = received else {
            return Ok(None);
        };
        let newest = self.stats.transmitted as u16;
        let event = match self.check.judge(d.from, d.icmp, d.queued_error) {
            Verdict::Ignore(_) => return Ok(None),
            Verdict::Error { seq, error } => {
                self.stats.errors += 1;
                if seq == newest {
                    self.newest_answered = true;
                }
                PingEvent::Error(ErrorReport {
                    from: d.from,
                    scope_id: d.scope_id,
                    seq,
                    kind: error,
                })
            }
            Verdict::Reply {
                seq,
                duplicate,
                payload,
            } => {
                let rtt = if self.config.timing() {
                    round_trip(payload, self.clock.wall(Instant::now()))
                } else {
                    None
                };
                if let Some(rtt) = rtt {
                    self.rtt.add(rtt);
                }
                let in_flight = u64::from(newest.wrapping_sub(seq));
                if in_flight <= 0x7fff {
                    self.stats.pipe = self.stats.pipe.max(in_flight + 1);
                }
                if duplicate {
                    self.stats.duplicates += 1;
                } else {
                    self.stats.received += 1;
                    if seq == newest {
                        self.newest_answered = true;
                    }
                }
                PingEvent::Reply(Reply {
                    from: d.from,
                    scope_id: d.scope_id,
                    seq,
                    ttl: d.ttl,
                    bytes: d.icmp.len(),
                    rtt,
                    duplicate,
                })
            }
        };
        Ok(Some(event))
    }
}

/// `now` minus the timestamp in the payload; 0 if that is in the future.
fn round_trip(payload: &[u8], now: Duration) -> Option<Duration> {
    let sent = payload_timestamp(payload)?;
    Some(now.saturating_sub(sent))
}

/// Wall-clock time told by the monotonic clock: the wall clock is read once
/// per run, and each send or receive reads only the monotonic clock, which
/// also schedules the run (one `clock_gettime` where two were needed). A
/// request's timestamp is then "wall-clock time at the start plus time since"
/// (as iputils' payload: seconds and microseconds since 1970), and a
/// round trip is right even when the wall clock is set during the run.
#[derive(Debug, Clone, Copy)]
struct Clock {
    start: Instant,
    wall_at_start: Duration,
}

impl Clock {
    fn new() -> Clock {
        Clock {
            start: Instant::now(),
            wall_at_start: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default(),
        }
    }

    /// Read both clocks again (a new run); the start instant.
    fn restart(&mut self) -> Instant {
        *self = Clock::new();
        self.start
    }

    /// Wall-clock time (since 1970) at `at`.
    fn wall(&self, at: Instant) -> Duration {
        self.wall_at_start + at.saturating_duration_since(self.start)
    }
}

/// Open the echo socket for `config` in the current namespace, then build the pinger.
pub fn open_pinger(config: PingConfig) -> Result<Pinger> {
    let socket = EchoSocket::open(config.family(), &config.socket_options())?;
    Pinger::new(socket, config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_iputils() {
        let c = PingConfig::new(IpAddr::from([10, 0, 2, 100]));
        assert_eq!(
            (c.size, c.interval, c.timeout),
            (56, Duration::from_secs(1), Duration::from_secs(10))
        );
        assert!(c.timing());
        let o = c.socket_options();
        assert_eq!(o.route_to, Some(c.destination));
        let c = PingConfig {
            interface: Some(Interface::Name("veth0".into())),
            ..c
        };
        assert_eq!(c.socket_options().device.as_deref(), Some("veth0"));
    }

    #[test]
    fn clock_tells_wall_time_by_the_monotonic_clock() {
        let clock = Clock::new();
        let later = clock.start + Duration::from_millis(1500);
        assert_eq!(
            clock.wall(later) - clock.wall_at_start,
            Duration::from_millis(1500)
        );
        // An instant before the start is the start.
        let earlier = clock.start.checked_sub(Duration::from_secs(1));
        if let Some(e) = earlier {
            assert_eq!(clock.wall(e), clock.wall_at_start);
        }
    }

    #[test]
    fn round_trip_is_never_negative() {
        let mut future = Vec::new();
        // Whole microseconds: the payload carries no finer time.
        let later = Duration::from_micros(2_000_000_000_123_456);
        emit_request(Family::V4, 1, 1, 56, later, &mut future);
        let now = later - Duration::from_secs(60);
        assert_eq!(round_trip(&future[8..], now), Some(Duration::ZERO));
        assert_eq!(round_trip(&future[8..12], now), None);
        let then = later + Duration::from_micros(45);
        assert_eq!(
            round_trip(&future[8..], then),
            Some(Duration::from_micros(45))
        );
    }
}
