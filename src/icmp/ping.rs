//! The ping loop: send a request every interval, collect replies and errors,
//! stop on count, deadline or a stop flag, and tally. (I/O; never prints.)
//!
//! Timing follows iputils: sequence numbers from 1; with a count and no
//! deadline, after the last request wait `max(2 × slowest reply, interval)`
//! when something came back, otherwise the `timeout` (-W); with a deadline,
//! stop at the deadline or when `count` replies (or errors) arrived. Every
//! wait is bounded; a set stop flag ends the run at the next wake-up (at most
//! [`MAX_POLL`] later; sooner when a signal interrupts `poll`).

use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result};
use crate::icmp::echo::{emit_request, payload_timestamp, Family, IcmpError, TIMESTAMP_LEN};
use crate::icmp::replies::{ReplyCheck, Verdict};
use crate::icmp::socket::{EchoOptions, EchoSocket, KindChoice, Received, SocketKind, Wait};
use crate::icmp::stats::{RttAccumulator, Statistics};

/// Longest single `poll`, so a stop flag set without a signal is seen.
pub const MAX_POLL: Duration = Duration::from_millis(250);
/// Largest payload: 65535 - 20 (IPv4 header) - 8 (ICMP header).
pub const MAX_SIZE: usize = 65507;
/// Flood mode sends at least this often even without replies (iputils: 100/s).
pub const FLOOD_INTERVAL: Duration = Duration::from_millis(10);

/// `-I`: an interface name or a source address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interface {
    Name(String),
    Address(IpAddr),
}

/// What to ping and how; defaults are iputils'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PingConfig {
    pub destination: IpAddr,
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
    /// `-I`.
    pub interface: Option<Interface>,
    /// `-q`: the library reports the same events; the caller prints less.
    pub quiet: bool,
    /// `-f`: send as soon as a reply came back, at least every [`FLOOD_INTERVAL`].
    pub flood: bool,
    /// Raw or datagram socket.
    pub socket: KindChoice,
}

impl PingConfig {
    pub fn new(destination: IpAddr) -> PingConfig {
        PingConfig {
            destination,
            count: None,
            interval: Duration::from_secs(1),
            timeout: Duration::from_secs(10),
            deadline: None,
            size: 56,
            ttl: None,
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
        };
        EchoOptions {
            kind: self.socket,
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
}

impl Pinger {
    /// Check the configuration against the socket.
    pub fn new(socket: EchoSocket, config: PingConfig) -> Result<Pinger> {
        if socket.family() != config.family() {
            return Err(Error::Invalid(
                "socket and destination are of different families".into(),
            ));
        }
        if config.size > MAX_SIZE {
            return Err(Error::Invalid(format!(
                "invalid -s value: '{}': out of range: 0 <= value <= {MAX_SIZE}",
                config.size
            )));
        }
        let verify = socket.kind() == SocketKind::Raw && socket.family() == Family::V4;
        let check = ReplyCheck::new(config.destination, socket.ident(), verify);
        // Room for an IPv4 header with options in front of the largest reply.
        let buf = vec![0; config.size + 60 + 8 + 64];
        Ok(Pinger {
            socket,
            config,
            check,
            rtt: RttAccumulator::default(),
            stats: Statistics::default(),
            packet: Vec::new(),
            buf,
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
        let start = Instant::now();
        let deadline = self.config.deadline.map(|d| start + d);
        let interval = if self.config.flood {
            self.config.interval.max(FLOOD_INTERVAL)
        } else {
            self.config.interval
        };
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
            if let Some(count) = self.config.count {
                if self.stats.received + self.stats.errors >= count {
                    break;
                }
            }
            if deadline.is_some() && self.stats.errors > 0 {
                break;
            }
            let all_sent = self
                .config
                .count
                .is_some_and(|c| self.stats.transmitted >= c);
            if !all_sent && now >= next_send {
                self.send_one(&mut on_event)?;
                next_send = now + interval;
                if deadline.is_none()
                    && self
                        .config
                        .count
                        .is_some_and(|c| self.stats.transmitted >= c)
                {
                    linger_until = Some(now + self.linger(interval));
                }
                continue;
            }
            let mut wake = now + MAX_POLL;
            if !all_sent {
                wake = wake.min(next_send);
            }
            for t in [deadline, linger_until].into_iter().flatten() {
                wake = wake.min(t);
            }
            match self.socket.wait(wake.saturating_duration_since(now))? {
                Wait::Timeout | Wait::Interrupted => continue,
                Wait::Ready => {
                    if self.drain(&mut on_event)? && self.config.flood {
                        next_send = Instant::now();
                    }
                }
            }
        }
        self.stats.elapsed = start.elapsed();
        self.stats.rtt = if self.config.timing() {
            self.rtt.summary()
        } else {
            None
        };
        on_event(&PingEvent::Statistics(self.stats));
        Ok(self.stats)
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

    fn send_one(&mut self, on_event: &mut impl FnMut(&PingEvent)) -> Result<()> {
        let seq = self.check.next_seq();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let ident = self.socket.ident().unwrap_or(0);
        emit_request(
            self.config.family(),
            ident,
            seq,
            self.config.size,
            now,
            &mut self.packet,
        );
        let result = self.socket.send(&self.packet, self.config.destination);
        match result {
            Err(e) if self.stats.transmitted == 0 => Err(e),
            Err(error) => {
                self.check.sent();
                self.stats.transmitted += 1;
                on_event(&PingEvent::SendFailed { seq, error });
                Ok(())
            }
            Ok(_) => {
                self.check.sent();
                self.stats.transmitted += 1;
                on_event(&PingEvent::Sent { seq });
                Ok(())
            }
        }
    }

    /// Read everything queued; true when at least one new reply came.
    fn drain(&mut self, on_event: &mut impl FnMut(&PingEvent)) -> Result<bool> {
        let mut got_reply = false;
        // Bounded: a busy socket cannot keep us here forever.
        for _ in 0..1024 {
            let event = match self.socket.receive(&mut self.buf)? {
                Received::Nothing => break,
                Received::Ignored => continue,
                Received::Message(d) => match self.check.judge(d.from, d.icmp, d.queued_error) {
                    Verdict::Ignore(_) => continue,
                    Verdict::Error { seq, error } => {
                        self.stats.errors += 1;
                        PingEvent::Error(ErrorReport {
                            from: d.from,
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
                            round_trip(payload)
                        } else {
                            None
                        };
                        if let Some(rtt) = rtt {
                            self.rtt.add(rtt);
                        }
                        let in_flight =
                            u64::from((self.stats.transmitted as u16).wrapping_sub(seq));
                        if in_flight <= 0x7fff {
                            self.stats.pipe = self.stats.pipe.max(in_flight + 1);
                        }
                        if duplicate {
                            self.stats.duplicates += 1;
                        } else {
                            self.stats.received += 1;
                            got_reply = true;
                        }
                        PingEvent::Reply(Reply {
                            from: d.from,
                            seq,
                            ttl: d.ttl,
                            bytes: d.icmp.len(),
                            rtt,
                            duplicate,
                        })
                    }
                },
            };
            on_event(&event);
        }
        Ok(got_reply)
    }
}

/// Now minus the timestamp in the payload; 0 if the clock went backwards.
fn round_trip(payload: &[u8]) -> Option<Duration> {
    let sent = payload_timestamp(payload)?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?;
    Some(now.saturating_sub(sent))
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
    fn round_trip_is_never_negative() {
        let mut future = Vec::new();
        let later = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("after 1970")
            + Duration::from_secs(60);
        emit_request(Family::V4, 1, 1, 56, later, &mut future);
        assert_eq!(round_trip(&future[8..]), Some(Duration::ZERO));
        assert_eq!(round_trip(&future[8..12]), None);
    }
}
