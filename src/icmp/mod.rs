//! ICMP echo (ping) for IPv4 and IPv6.
//!
//! - [`echo`]: the wire: echo views, requests, checksum, IPv4 header, ICMP errors.
//! - [`filter`]: the BPF program and ICMPv6 type filter of raw sockets.
//! - [`socket`]: [`EchoSocket`], raw with a filter or datagram ("ping") socket. (I/O)
//! - [`replies`]: which messages answer our requests, duplicates.
//! - [`stats`]: counters and round-trip statistics as iputils computes them.
//! - [`ping`]: [`Pinger`], the loop, reporting [`PingEvent`]s. (I/O)
//! - [`interrupt`]: Ctrl-C as a stop flag.
//!
//! To ping from inside a network namespace, open the socket on a thread that
//! entered it (`ns::run_in(&ns, || EchoSocket::open(..))`) and run the
//! [`Pinger`] anywhere: the socket stays in its namespace.

pub mod echo;
pub mod filter;
pub mod interrupt;
pub mod ping;
pub mod replies;
pub mod socket;
pub mod stats;

pub use echo::{
    checksum, emit_request, parse_message, EchoPacket, Family, IcmpError, Ipv4Header, Message,
    Quoted,
};
pub use interrupt::stop_on_interrupt;
pub use ping::{open_pinger, ErrorReport, Interface, PingConfig, PingEvent, Pinger, Reply};
pub use socket::{
    Datagram, EchoOptions, EchoSocket, KindChoice, PmtuDiscovery, Received, SocketKind, Wait,
};
pub use stats::{RttSummary, Statistics};
