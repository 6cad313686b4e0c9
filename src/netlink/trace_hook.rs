//! A process-wide observer of netlink traffic: when one is installed, every
//! [`NetlinkSocket`](super::NetlinkSocket) hands it each datagram it sends and
//! each it receives, with the socket's protocol. `rawnet --trace` installs one
//! that decodes them to standard error; the library itself never prints.
//!
//! The observer is global, not per thread, so it also sees sockets opened on
//! the short-lived threads that enter a namespace. Without one, the cost per
//! send or receive is one atomic load.

use std::sync::OnceLock;

/// Which way a datagram went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From us to the kernel.
    Sent,
    /// From the kernel (or another socket) to us.
    Received,
}

/// Called with the direction, the socket's netlink protocol (`NETLINK_ROUTE`,
/// ...) and the whole datagram (a batch is one datagram of several messages).
pub type Observer = dyn Fn(Direction, i32, &[u8]) + Sync;

static OBSERVER: OnceLock<&'static Observer> = OnceLock::new();

/// Install the process's observer. Returns false, and changes nothing, when
/// one is installed already.
pub fn install(observer: &'static Observer) -> bool {
    OBSERVER.set(observer).is_ok()
}

/// Hand a datagram to the observer, if there is one.
#[inline]
pub(crate) fn observe(direction: Direction, protocol: i32, datagram: &[u8]) {
    if let Some(observer) = OBSERVER.get() {
        observer(direction, protocol, datagram);
    }
}
