//! The netlink socket: opened close-on-exec, bound, with extended ack, capped
//! acks and strict checking switched on; sends requests and receives whole
//! datagrams into 8-byte-aligned storage, sized with `MSG_PEEK | MSG_TRUNC`;
//! joins multicast groups for notifications. Every datagram sent and
//! received is shown to the [`trace_hook`] observer, when one is installed.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use zerocopy::IntoBytes;

use super::header::{
    NETLINK_ADD_MEMBERSHIP, NETLINK_CAP_ACK, NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK, SOL_NETLINK,
};
use super::trace_hook::{self, Direction};
use crate::error::Result;
use crate::sys::netlink as sys;

/// Receive buffer size asked of the kernel, as iproute2 does (the kernel
/// doubles what is asked).
const RCVBUF: i32 = 1 << 20;
/// Send buffer: a datagram may be at most this (doubled) less 32 bytes, and a
/// pipeline sends up to 128 KiB at once. Memory is charged only when used.
const SNDBUF: i32 = 128 << 10;
/// Initial size of our own receive storage; it grows to fit larger datagrams.
const INITIAL_BUFFER: usize = 32 << 10;

/// A bound netlink socket.
#[derive(Debug)]
pub struct NetlinkSocket {
    fd: OwnedFd,
    port: u32,
    protocol: i32,
}

impl NetlinkSocket {
    /// Open and bind a socket of `protocol` (`NETLINK_ROUTE`, ...).
    pub fn open(protocol: i32) -> Result<Self> {
        let fd = sys::netlink_socket(protocol)?;
        let b = fd.as_fd();
        sys::set_int_option(
            b,
            libc::SOL_SOCKET,
            libc::SO_SNDBUF,
            SNDBUF,
            "setsockopt(SO_SNDBUF)",
        )?;
        sys::set_int_option(
            b,
            libc::SOL_SOCKET,
            libc::SO_RCVBUF,
            RCVBUF,
            "setsockopt(SO_RCVBUF)",
        )?;
        // Older kernels lack these; the socket still works without them.
        let _ = sys::set_int_option(b, SOL_NETLINK, NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
        let _ = sys::set_int_option(b, SOL_NETLINK, NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK");
        let _ = sys::set_int_option(
            b,
            SOL_NETLINK,
            NETLINK_GET_STRICT_CHK,
            1,
            "NETLINK_GET_STRICT_CHK",
        );
        let port = sys::bind_autoport(b, 0)?;
        Ok(NetlinkSocket { fd, port, protocol })
    }

    /// The port id the kernel gave this socket (`nl_pid`).
    pub fn port_id(&self) -> u32 {
        self.port
    }

    /// The netlink protocol the socket was opened for (`NETLINK_ROUTE`, ...).
    pub fn protocol(&self) -> i32 {
        self.protocol
    }

    /// Send one datagram (one request, or a batch of them) to the kernel.
    pub fn send(&self, bytes: &[u8]) -> Result<()> {
        trace_hook::observe(Direction::Sent, self.protocol, bytes);
        sys::send_to_kernel(self.fd.as_fd(), bytes)?;
        Ok(())
    }

    /// Join multicast group `group` (a group number such as
    /// `RTNLGRP_LINK`, not a bit mask): the kernel then sends this socket
    /// every notification of that group.
    #[doc(alias = "NETLINK_ADD_MEMBERSHIP")]
    pub fn join_group(&self, group: u32) -> Result<()> {
        let group = i32::try_from(group).map_err(|_| {
            crate::Error::Invalid(crate::error::Invalid::OutOfRange {
                what: "netlink multicast group",
                value: u64::from(group),
                max: i32::MAX as u64,
            })
        })?;
        sys::set_int_option(
            self.fd.as_fd(),
            SOL_NETLINK,
            NETLINK_ADD_MEMBERSHIP,
            group,
            "setsockopt(NETLINK_ADD_MEMBERSHIP)",
        )
    }

    /// Ask for a receive buffer of `bytes` (the kernel doubles it and
    /// clamps it to `net.core.rmem_max`). Notifications that do not fit are
    /// dropped and the next receive fails with `ENOBUFS`.
    #[doc(alias = "SO_RCVBUF")]
    pub fn set_receive_buffer(&self, bytes: u32) -> Result<()> {
        let bytes = i32::try_from(bytes).unwrap_or(i32::MAX);
        sys::set_int_option(
            self.fd.as_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVBUF,
            bytes,
            "setsockopt(SO_RCVBUF)",
        )
    }

    /// Make room for sending one datagram of `bytes` and for `answers`
    /// answers (acks, about 1 KiB of buffer each) queued before they are
    /// read: nfnetlink takes a batch in one `sendmsg` only, and drops acks
    /// that do not fit. The buffers only grow; the `FORCE` options (root in
    /// the socket's user namespace) pass `net.core.[rw]mem_max`, as nft does.
    /// Best effort: without privilege the plain options are tried.
    pub fn reserve(&self, bytes: usize, answers: usize) {
        let b = self.fd.as_fd();
        let send = i32::try_from(bytes.saturating_add(4096)).unwrap_or(i32::MAX);
        if send > SNDBUF
            && sys::set_int_option(b, libc::SOL_SOCKET, libc::SO_SNDBUFFORCE, send, "").is_err()
        {
            let _ = sys::set_int_option(b, libc::SOL_SOCKET, libc::SO_SNDBUF, send, "");
        }
        let receive = i32::try_from(answers.saturating_mul(1024)).unwrap_or(i32::MAX);
        if receive > RCVBUF
            && sys::set_int_option(b, libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, receive, "").is_err()
        {
            let _ = sys::set_int_option(b, libc::SOL_SOCKET, libc::SO_RCVBUF, receive, "");
        }
    }

    /// Receive one whole datagram into `storage` (grown as needed) and return
    /// its length and the sender's port id (0 is the kernel).
    pub fn recv(&self, storage: &mut Vec<u64>) -> Result<(usize, u32)> {
        self.recv_with(storage, 0)
    }

    /// As [`recv`](Self::recv), without waiting: `Ok(None)` when no
    /// datagram is queued.
    pub fn try_recv(&self, storage: &mut Vec<u64>) -> Result<Option<(usize, u32)>> {
        match self.recv_with(storage, libc::MSG_DONTWAIT) {
            Err(e) if e.errno() == Some(libc::EAGAIN) => Ok(None),
            other => other.map(Some),
        }
    }

    fn recv_with(&self, storage: &mut Vec<u64>, flags: i32) -> Result<(usize, u32)> {
        if storage.len() * 8 < INITIAL_BUFFER {
            storage.resize(INITIAL_BUFFER / 8, 0);
        }
        let (size, _) = sys::recv_from(
            self.fd.as_fd(),
            storage.as_mut_slice().as_mut_bytes(),
            flags | libc::MSG_PEEK | libc::MSG_TRUNC,
        )?;
        if size > storage.len() * 8 {
            storage.resize(size.div_ceil(8), 0);
        }
        let (len, sender) = sys::recv_from(
            self.fd.as_fd(),
            storage.as_mut_slice().as_mut_bytes(),
            flags,
        )?;
        let len = len.min(storage.len() * 8);
        trace_hook::observe(
            Direction::Received,
            self.protocol,
            &storage.as_bytes()[..len],
        );
        Ok((len, sender))
    }
}

impl AsFd for NetlinkSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}
