//! The echo socket: a raw ICMP(v6) socket with a BPF filter, or an ICMP datagram
//! ("ping") socket where raw ones are not permitted. (I/O)
//!
//! Invariants: every socket is `SOCK_CLOEXEC`; a raw IPv4 socket hands out only
//! the ICMP part of what it reads (the IP header is parsed and its TTL kept);
//! a datagram socket has its identifier chosen by the kernel at `bind` and read
//! back with `getsockname`. A socket keeps the network namespace it was created
//! in, so [`EchoSocket::open`] may run on a thread that entered another
//! namespace and the socket be used anywhere afterwards (`EchoSocket: Send`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV6};
use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::Duration;

use crate::error::{Error, Invalid, Result};
use crate::icmp::echo::{Family, IcmpError, Ipv4Header};
use crate::icmp::filter;
use crate::sys::icmp as sys;

/// Which kind of socket carries the echoes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketKind {
    /// `SOCK_RAW`: needs `CAP_NET_RAW` in the socket's namespace; we pick the identifier.
    Raw,
    /// `SOCK_DGRAM, IPPROTO_ICMP[V6]`: needs the group in `net.ipv4.ping_group_range`;
    /// the kernel picks the identifier and fills the checksum.
    Datagram,
}

/// Which kind to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KindChoice {
    /// Raw when permitted, otherwise datagram (as iputils does).
    #[default]
    Auto,
    Raw,
    Datagram,
}

/// `-M`: path MTU discovery for our requests (`IP_MTU_DISCOVER` /
/// `IPV6_MTU_DISCOVER`; the kernel's `IP_PMTUDISC_*` values, the same for both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PmtuDiscovery {
    /// `dont` (`IP_PMTUDISC_DONT`): no DF bit; IPv4 fragments on the way.
    Dont = 0,
    /// `want` (`IP_PMTUDISC_WANT`): DF unless the path MTU is known to be
    /// smaller; then fragment locally.
    Want = 1,
    /// `do` (`IP_PMTUDISC_DO`): DF always; a request over the path MTU
    /// fails locally (`EMSGSIZE`, a local error with that MTU queued).
    Do = 2,
}

/// How to open an echo socket.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EchoOptions {
    pub kind: KindChoice,
    /// `-M`: `IP_MTU_DISCOVER` / `IPV6_MTU_DISCOVER`; `None` leaves the kernel's default.
    pub pmtu_discovery: Option<PmtuDiscovery>,
    /// `-Q`: `IP_TOS` / `IPV6_TCLASS` (an `int`: -1 asks the kernel's default).
    pub tos: Option<i32>,
    /// `IP_TTL` / `IPV6_UNICAST_HOPS`.
    pub ttl: Option<u8>,
    /// `SO_BINDTODEVICE`: send and receive only through this interface.
    pub device: Option<String>,
    /// Bind to this source address. An unspecified one (`0.0.0.0`, `::`)
    /// with `route_to`: bind the source the route probe found.
    pub source: Option<IpAddr>,
    /// Check there is a route to this address before anything is sent, as
    /// iputils does by connecting a UDP probe: no route fails with
    /// `Error::Io { op: "connect", .. }` (ENETUNREACH). The source the kernel
    /// picked is then [`EchoSocket::source`].
    pub route_to: Option<IpAddr>,
    /// The zone (`sin6_scope_id`) of `route_to`, 0 for none.
    pub route_scope: u32,
}

/// What [`EchoSocket::wait`] saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    Timeout,
    /// A signal interrupted the wait (check your stop flag).
    Interrupted,
    /// Something to read; `error_queued`: (also) in the error queue
    /// (`POLLERR`), which [`EchoSocket::receive_error`] reads.
    Ready {
        error_queued: bool,
    },
}

/// One ICMP message read from the socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Datagram<'b> {
    /// Sender: the replying host, or the router reporting an error.
    pub from: IpAddr,
    /// The sender's zone: the interface index the kernel gives a link-local
    /// IPv6 sender (`sin6_scope_id`); 0 otherwise.
    pub scope_id: u32,
    /// TTL / hop limit the packet arrived with, when known.
    pub ttl: Option<u8>,
    /// The ICMP message (header first). For a [`queued_error`](Self::queued_error)
    /// it is our own request the error is about.
    pub icmp: &'b [u8],
    /// An ICMP error the kernel queued on a datagram socket (`IP_RECVERR`).
    pub queued_error: Option<IcmpError>,
    /// The message was longer than the buffer.
    pub truncated: bool,
}

/// Result of one read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received<'b> {
    /// Nothing (left) to read, the receive timeout passed, or a signal came.
    Nothing,
    /// Something was read and dropped (malformed, not inet, an error the
    /// raw socket also receives as an ICMP packet).
    Ignored,
    Message(Datagram<'b>),
    /// A local error the kernel queued (`SO_EE_ORIGIN_LOCAL`), about a
    /// request that never left this host: `errno` (`EMSGSIZE`: bigger than
    /// the path MTU `info` allows).
    LocalError {
        errno: i32,
        info: u32,
    },
}

/// A socket that sends ICMP echo requests and receives replies and errors.
#[derive(Debug)]
pub struct EchoSocket {
    fd: OwnedFd,
    family: Family,
    kind: SocketKind,
    ident: u16,
    /// Whether `ident` is known (a datagram socket whose port we could not read is not).
    ident_known: bool,
    source: Option<IpAddr>,
}

static NEXT_IDENT: AtomicU16 = AtomicU16::new(0);

/// An identifier for a raw socket: the pid, as iputils uses, mixed with a
/// per-process counter so two sockets of one process differ.
fn raw_ident() -> u16 {
    let n = NEXT_IDENT.fetch_add(1, Ordering::Relaxed);
    (std::process::id() as u16) ^ n.wrapping_mul(0x9e37)
}

fn unspecified(family: Family) -> IpAddr {
    match family {
        Family::V4 => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        Family::V6 => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    }
}

fn domain(family: Family) -> (libc::c_int, libc::c_int) {
    match family {
        Family::V4 => (libc::AF_INET, libc::IPPROTO_ICMP),
        Family::V6 => (libc::AF_INET6, libc::IPPROTO_ICMPV6),
    }
}

fn bind_device(fd: &OwnedFd, device: &str) -> Result<()> {
    sys::set_option_bytes(
        fd.as_fd(),
        libc::SOL_SOCKET,
        libc::SO_BINDTODEVICE,
        device.as_bytes(),
        &format!("SO_BINDTODEVICE {device}"),
    )
}

/// Whether an IPv6 address is only meaningful with a zone (link-local
/// unicast or multicast), where iputils' probe leaves its family unset.
pub fn needs_zone(addr: &IpAddr) -> bool {
    match addr {
        IpAddr::V6(a) => {
            let s = a.segments()[0];
            s & 0xffc0 == 0xfe80 || s & 0xff0f == 0xff02
        }
        IpAddr::V4(_) => false,
    }
}

/// Connect a UDP probe to `dest` the way iputils does; the source the kernel chose.
/// Toward a link-local IPv6 address iputils' probe connects to an address of no
/// family (which only disconnects), so its source is `::`: so here, unprobed.
fn probe_route(family: Family, dest: IpAddr, options: &EchoOptions) -> Result<IpAddr> {
    if needs_zone(&dest) {
        return Ok(IpAddr::V6(Ipv6Addr::UNSPECIFIED));
    }
    let (af, _) = domain(family);
    let probe = sys::socket(af, libc::SOCK_DGRAM, 0)?;
    if let Some(dev) = &options.device {
        bind_device(&probe, dev)?;
    }
    if let Some(src) = options.source {
        sys::bind(probe.as_fd(), &SocketAddr::new(src, 0))?;
    }
    let to = match dest {
        IpAddr::V6(a) => SocketAddr::V6(SocketAddrV6::new(a, 1025, 0, options.route_scope)),
        v4 => SocketAddr::new(v4, 1025),
    };
    sys::connect(probe.as_fd(), &to)?;
    Ok(sys::local_address(probe.as_fd())?.ip())
}

impl EchoSocket {
    /// Open and configure an echo socket in the current thread's network namespace.
    #[doc(alias = "socket")]
    pub fn open(family: Family, options: &EchoOptions) -> Result<EchoSocket> {
        if let Some(src) = options.source {
            if Family::of(&src) != family {
                return Err(Error::Invalid(Invalid::FamilyMismatch {
                    what: "source address",
                    address: Some(src),
                }));
            }
        }
        let source = match options.route_to {
            Some(dest) => Some(probe_route(family, dest, options)?),
            None => options.source,
        };
        // An unspecified source asks for the probed one, bound (iputils'
        // `-I` with an address of the other family).
        let bound;
        let options = match (options.source, source) {
            (Some(s), Some(probed)) if s.is_unspecified() => {
                bound = EchoOptions {
                    source: Some(probed),
                    ..options.clone()
                };
                &bound
            }
            _ => options,
        };
        let (af, proto) = domain(family);
        let (fd, kind) = match options.kind {
            KindChoice::Raw => (sys::socket(af, libc::SOCK_RAW, proto)?, SocketKind::Raw),
            KindChoice::Datagram => (
                sys::socket(af, libc::SOCK_DGRAM, proto)?,
                SocketKind::Datagram,
            ),
            KindChoice::Auto => match sys::socket(af, libc::SOCK_RAW, proto) {
                Ok(fd) => (fd, SocketKind::Raw),
                Err(e) if matches!(e.errno(), Some(libc::EPERM) | Some(libc::EACCES)) => (
                    sys::socket(af, libc::SOCK_DGRAM, proto)?,
                    SocketKind::Datagram,
                ),
                Err(e) => return Err(e),
            },
        };
        let mut socket = EchoSocket::from_fd(fd, family, kind, options)?;
        if socket.source.is_none() {
            socket.source = source;
        }
        Ok(socket)
    }

    /// Configure a socket the caller created (`socket(AF_INET[6], SOCK_RAW or
    /// SOCK_DGRAM, IPPROTO_ICMP[V6])`), e.g. in another namespace. `route_to`
    /// is not probed here.
    pub fn from_fd(
        fd: OwnedFd,
        family: Family,
        kind: SocketKind,
        options: &EchoOptions,
    ) -> Result<EchoSocket> {
        let b = fd.as_fd();
        let (level, ttl_opt, recv_ttl, recv_err) = match family {
            Family::V4 => (
                libc::IPPROTO_IP,
                libc::IP_TTL,
                libc::IP_RECVTTL,
                libc::IP_RECVERR,
            ),
            Family::V6 => (
                libc::IPPROTO_IPV6,
                libc::IPV6_UNICAST_HOPS,
                libc::IPV6_RECVHOPLIMIT,
                libc::IPV6_RECVERR,
            ),
        };
        if let Some(ttl) = options.ttl {
            sys::set_option_int(
                b,
                level,
                ttl_opt,
                libc::c_int::from(ttl),
                match family {
                    Family::V4 => "setsockopt IP_TTL",
                    Family::V6 => "setsockopt IPV6_UNICAST_HOPS",
                },
            )?;
        }
        if let Some(dev) = &options.device {
            bind_device(&fd, dev)?;
        }
        if let Some(pmtu) = options.pmtu_discovery {
            let (opt, what) = match family {
                Family::V4 => (libc::IP_MTU_DISCOVER, "setsockopt IP_MTU_DISCOVER"),
                Family::V6 => (libc::IPV6_MTU_DISCOVER, "setsockopt IPV6_MTU_DISCOVER"),
            };
            sys::set_option_int(b, level, opt, pmtu as libc::c_int, what)?;
        }
        if let Some(tos) = options.tos {
            let (opt, what) = match family {
                Family::V4 => (libc::IP_TOS, "setsockopt(IP_TOS)"),
                Family::V6 => (libc::IPV6_TCLASS, "setsockopt(IPV6_TCLASS)"),
            };
            sys::set_option_int(b, level, opt, tos, what)?;
        }
        // Errors about our requests come through the error queue: ICMP ones
        // (a raw socket also reads those as packets) and local ones, such as
        // a request over the path MTU.
        sys::set_option_int(b, level, recv_err, 1, "setsockopt IP_RECVERR")?;
        // Raw IPv4 reads the TTL from the IP header in front of each packet.
        if !(family == Family::V4 && kind == SocketKind::Raw) {
            sys::set_option_int(b, level, recv_ttl, 1, "setsockopt IP_RECVTTL")?;
        }
        let (ident, ident_known) = match kind {
            SocketKind::Raw => {
                let ident = raw_ident();
                if family == Family::V6 {
                    sys::set_option_bytes(
                        b,
                        libc::IPPROTO_ICMPV6,
                        sys::ICMP6_FILTER,
                        &filter::icmp6_type_filter(),
                        "setsockopt ICMP6_FILTER",
                    )?;
                }
                sys::attach_filter(b, &filter::echo_program(family, ident))?;
                if let Some(src) = options.source {
                    sys::bind(b, &SocketAddr::new(src, 0))?;
                }
                (ident, true)
            }
            SocketKind::Datagram => {
                let src = options.source.unwrap_or_else(|| unspecified(family));
                sys::bind(b, &SocketAddr::new(src, 0))?;
                let ident = sys::local_address(b)?.port();
                (ident, ident != 0)
            }
        };
        Ok(EchoSocket {
            fd,
            family,
            kind,
            ident,
            ident_known,
            source: options.source,
        })
    }

    pub fn family(&self) -> Family {
        self.family
    }

    pub fn kind(&self) -> SocketKind {
        self.kind
    }

    /// The echo identifier our requests carry (the kernel's for datagram sockets);
    /// `None` when a datagram socket's identifier could not be read.
    pub fn ident(&self) -> Option<u16> {
        self.ident_known.then_some(self.ident)
    }

    /// The source address: the bound one, or the one the route probe found.
    pub fn source(&self) -> Option<IpAddr> {
        self.source
    }

    /// Send one ICMP message (built with [`emit_request`](crate::icmp::emit_request))
    /// to `dest`. Errors are `Error::Io { op: "sendmsg", .. }`.
    #[doc(alias = "sendto")]
    pub fn send(&self, icmp: &[u8], dest: IpAddr) -> Result<usize> {
        self.send_to(icmp, SocketAddr::new(dest, 0))
    }

    /// [`send`](Self::send) to a socket address: an IPv6 one may carry a
    /// zone (`sin6_scope_id`); the port is ignored.
    #[doc(alias = "sendto")]
    pub fn send_to(&self, icmp: &[u8], dest: SocketAddr) -> Result<usize> {
        sys::send_to(self.fd.as_fd(), icmp, &dest)
    }

    /// Wait up to `timeout` for something to read (`poll`).
    pub fn wait(&self, timeout: Duration) -> Result<Wait> {
        Ok(match sys::poll(self.fd.as_fd(), timeout)? {
            sys::Readiness::Timeout => Wait::Timeout,
            sys::Readiness::Interrupted => Wait::Interrupted,
            sys::Readiness::Ready { error, .. } => Wait::Ready {
                error_queued: error,
            },
        })
    }

    /// How long [`receive_waiting`](Self::receive_waiting) may sleep
    /// (`SO_RCVTIMEO`; the kernel rounds it up to its scheduler tick).
    #[doc(alias = "SO_RCVTIMEO")]
    pub fn set_receive_timeout(&self, timeout: Duration) -> Result<()> {
        sys::set_receive_timeout(self.fd.as_fd(), timeout)
    }

    /// Read one message without blocking. Queued errors come first (two
    /// reads when there is none: prefer [`receive_error`](Self::receive_error)
    /// after [`Wait::Ready`] says so).
    #[doc(alias = "recvmsg")]
    pub fn receive<'b>(&self, buf: &'b mut [u8]) -> Result<Received<'b>> {
        if let Some(r) = sys::receive(self.fd.as_fd(), buf, sys::ReceiveMode::ErrorQueue)? {
            return Ok(self.queued(r, buf));
        }
        self.receive_data(buf, sys::ReceiveMode::NoWait)
    }

    /// Read one message, sleeping until one arrives, a signal comes, or the
    /// receive timeout passes (without one set, until something arrives): one
    /// `recvmsg` when a reply is waiting. On a datagram socket an ICMP error
    /// wakes the read too and is read from the error queue.
    #[doc(alias = "recvmsg")]
    pub fn receive_waiting<'b>(&self, buf: &'b mut [u8]) -> Result<Received<'b>> {
        self.receive_data(buf, sys::ReceiveMode::Wait)
    }

    /// Read one message from the receive queue without blocking (no look at
    /// the error queue unless the read reports a pending error).
    pub fn receive_now<'b>(&self, buf: &'b mut [u8]) -> Result<Received<'b>> {
        self.receive_data(buf, sys::ReceiveMode::NoWait)
    }

    /// Read one error the kernel queued for the socket, without blocking;
    /// [`Received::Nothing`] when there is none. A raw socket reads ICMP
    /// errors as packets too: their queued copies are [`Received::Ignored`].
    pub fn receive_error<'b>(&self, buf: &'b mut [u8]) -> Result<Received<'b>> {
        Ok(
            match sys::receive(self.fd.as_fd(), buf, sys::ReceiveMode::ErrorQueue)? {
                Some(r) => self.queued(r, buf),
                None => Received::Nothing,
            },
        )
    }

    /// One read of the receive queue. A read that fails with the errno of a
    /// queued error (`IP_RECVERR` reports it so) reads that error instead;
    /// other failures are returned.
    fn receive_data<'b>(&self, buf: &'b mut [u8], mode: sys::ReceiveMode) -> Result<Received<'b>> {
        let r = match sys::receive(self.fd.as_fd(), buf, mode) {
            Ok(Some(r)) => r,
            Ok(None) => return Ok(Received::Nothing),
            Err(e) => {
                return match sys::receive(self.fd.as_fd(), buf, sys::ReceiveMode::ErrorQueue)? {
                    Some(r) => Ok(self.queued(r, buf)),
                    None => Err(e),
                };
            }
        };
        let Some(from_addr) = r.from else {
            return Ok(Received::Ignored);
        };
        let from = from_addr.ip();
        let scope_id = match from_addr {
            SocketAddr::V6(a) => a.scope_id(),
            SocketAddr::V4(_) => 0,
        };
        let data = buf.get(..r.len).unwrap_or(&[]);
        if self.family == Family::V4 && self.kind == SocketKind::Raw {
            let Ok((ip, icmp)) = Ipv4Header::parse(data) else {
                return Ok(Received::Ignored);
            };
            return Ok(Received::Message(Datagram {
                from: IpAddr::V4(ip.source),
                scope_id: 0,
                ttl: Some(ip.ttl),
                icmp,
                queued_error: None,
                truncated: r.truncated,
            }));
        }
        Ok(Received::Message(Datagram {
            from,
            scope_id,
            ttl: r.ttl,
            icmp: data,
            queued_error: None,
            truncated: r.truncated,
        }))
    }

    /// A message from the error queue: our request plus what went wrong.
    fn queued<'b>(&self, r: sys::Received, buf: &'b [u8]) -> Received<'b> {
        let Some(e) = r.error else {
            return Received::Ignored;
        };
        if e.origin == libc::SO_EE_ORIGIN_LOCAL {
            return Received::LocalError {
                errno: i32::try_from(e.errno).unwrap_or(libc::EIO),
                info: e.info,
            };
        }
        // A raw socket reads the ICMP error itself as a packet.
        if self.kind == SocketKind::Raw {
            return Received::Ignored;
        }
        let icmp_origin = match self.family {
            Family::V4 => libc::SO_EE_ORIGIN_ICMP,
            Family::V6 => libc::SO_EE_ORIGIN_ICMP6,
        };
        if e.origin != icmp_origin {
            return Received::Ignored;
        }
        let Some(from) = e.offender.or(r.from.map(|a| a.ip())) else {
            return Received::Ignored;
        };
        let error = IcmpError {
            family: self.family,
            msg_type: e.icmp_type,
            code: e.icmp_code,
            info: e.info,
        };
        // The offender's zone is not kept (the error's sender is rarely link-local).
        Received::Message(Datagram {
            from,
            scope_id: 0,
            ttl: None,
            icmp: buf.get(..r.len).unwrap_or(&[]),
            queued_error: Some(error),
            truncated: r.truncated,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>() {}

    #[test]
    fn socket_is_send() {
        assert_send::<EchoSocket>();
    }

    #[test]
    fn raw_idents_differ() {
        assert_ne!(raw_ident(), raw_ident());
    }

    #[test]
    fn family_mismatch_is_invalid() {
        let opts = EchoOptions {
            source: Some("fd00::1".parse().expect("literal")),
            ..Default::default()
        };
        assert!(matches!(
            EchoSocket::open(Family::V4, &opts),
            Err(Error::Invalid(_))
        ));
    }
}
