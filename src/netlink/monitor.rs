//! [`Monitor`]: a netlink socket that has joined multicast groups and hands
//! each notification to the caller as a [`Message`] borrowed from one
//! reused receive buffer (I/O).
//!
//! Notifications are not answers: they carry the port and sequence number
//! of whoever made the change, so nothing is filtered by port or sequence
//! (this socket never sends requests). Only datagrams the kernel sent
//! (sender port 0) are read; netlink control messages (`NLMSG_NOOP`,
//! `NLMSG_ERROR`, `NLMSG_DONE`) are passed over, as iproute2's
//! `rtnl_listen` does.
//!
//! When notifications come faster than they are read, the socket's receive
//! buffer fills, the kernel drops what does not fit and the next receive
//! fails with `ENOBUFS`. That is [`Received::Lost`], not an error: the
//! caller's picture of the kernel's tables is out of date, and the way back
//! is [`Monitor::discard_queued`] (the queue holds notifications from
//! before the loss) and a fresh dump on another connection.

use zerocopy::IntoBytes;

use super::header::{NETLINK_ROUTE, NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN};
use super::message::{Message, Messages};
use super::socket::NetlinkSocket;
use crate::error::{Error, Result};

/// What one wait for notifications brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Received {
    /// A datagram arrived; its notifications were handed over (a datagram
    /// from someone other than the kernel is ignored: none).
    Events,
    /// The receive buffer overflowed (`ENOBUFS`): notifications were lost.
    Lost,
}

/// A socket listening to multicast groups, with its receive buffer.
#[derive(Debug)]
pub struct Monitor {
    socket: NetlinkSocket,
    storage: Vec<u64>,
}

impl Monitor {
    /// A new socket of netlink `protocol` that has joined `groups` (group
    /// numbers such as [`RTNLGRP_LINK`](crate::route::groups::RTNLGRP_LINK)),
    /// in the caller's network namespace. Notifications are queued from the
    /// moment each group is joined.
    pub fn new(protocol: i32, groups: &[u32]) -> Result<Monitor> {
        let socket = NetlinkSocket::open(protocol)?;
        for &group in groups {
            socket.join_group(group)?;
        }
        Ok(Monitor {
            socket,
            storage: Vec::new(),
        })
    }

    /// An rtnetlink (`NETLINK_ROUTE`) monitor of `groups`.
    pub fn route(groups: &[u32]) -> Result<Monitor> {
        Monitor::new(NETLINK_ROUTE, groups)
    }

    pub fn socket(&self) -> &NetlinkSocket {
        &self.socket
    }

    /// Wait for the next datagram and hand each notification in it to
    /// `on_event`, in order. An error of `on_event` ends the datagram there.
    #[doc(alias = "rtnl_listen")]
    pub fn next_events<E, F>(&mut self, mut on_event: F) -> std::result::Result<Received, E>
    where
        E: From<Error>,
        F: FnMut(Message<'_>) -> std::result::Result<(), E>,
    {
        let (len, sender) = match self.socket.recv(&mut self.storage) {
            Err(e) if e.errno() == Some(libc::ENOBUFS) => return Ok(Received::Lost),
            other => other?,
        };
        if sender != 0 {
            return Ok(Received::Events);
        }
        for msg in Messages::new(&self.storage.as_bytes()[..len]) {
            let msg = msg.map_err(Error::from)?;
            match msg.message_type() {
                NLMSG_NOOP | NLMSG_ERROR | NLMSG_DONE | NLMSG_OVERRUN => {}
                _ => on_event(msg)?,
            }
        }
        Ok(Received::Events)
    }

    /// Throw away every datagram already queued, without waiting; returns
    /// how many there were. A further overflow while doing so is not
    /// reported: what is thrown away is lost anyway.
    pub fn discard_queued(&mut self) -> Result<usize> {
        // Bounded: the queue holds at most the receive buffer's worth, and
        // notifications arriving meanwhile cannot keep us here forever.
        const MAX_DISCARDED: usize = 1 << 20;
        let mut discarded = 0;
        while discarded < MAX_DISCARDED {
            match self.socket.try_recv(&mut self.storage) {
                Ok(Some(_)) => discarded += 1,
                Ok(None) => break,
                Err(e) if e.errno() == Some(libc::ENOBUFS) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(discarded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::Connection;
    use crate::route::groups::{RTNLGRP_IPV4_ROUTE, RTNLGRP_LINK};
    use crate::route::link::{self as rlink, LinkChanges, LinkFlags};
    use crate::route::{RTM_NEWLINK, RTM_NEWROUTE};

    fn in_fresh_netns<T: Send>(f: impl FnOnce() -> T + Send) -> T {
        let ns = crate::ns::NetNs::new_anonymous().expect("new network namespace");
        crate::ns::run_in(&ns, f).expect("enter the namespace")
    }

    fn set_lo_up(conn: &mut Connection, up: bool) {
        let lo = rlink::link_index(conn, "lo").unwrap();
        let changes = LinkChanges {
            up: Some(up),
            ..Default::default()
        };
        rlink::set_link(conn, lo.into(), &changes).unwrap();
    }

    #[test]
    fn hears_the_groups_it_joined() {
        in_fresh_netns(|| {
            let mut monitor = Monitor::route(&[RTNLGRP_LINK]).unwrap();
            let mut conn = Connection::route().unwrap();
            set_lo_up(&mut conn, true);
            let mut seen = Vec::new();
            // Bringing lo up sends at least one RTM_NEWLINK, and routes
            // (not joined here) that must not show. Notifications are queued
            // before the change is acknowledged, so none of these waits block.
            for _ in 0..100 {
                if !seen.is_empty() {
                    break;
                }
                let r = monitor
                    .next_events(|m| {
                        assert_eq!(m.message_type(), RTM_NEWLINK);
                        let l = rlink::Link::parse(&m)?;
                        seen.push((l.index, l.flags.contains(LinkFlags::UP)));
                        Ok::<(), Error>(())
                    })
                    .unwrap();
                assert_eq!(r, Received::Events);
            }
            assert_eq!(seen[0], (1, true));
            monitor.discard_queued().unwrap();
            assert_eq!(monitor.discard_queued().unwrap(), 0, "nothing left queued");
        });
    }

    #[test]
    fn an_overflowing_buffer_is_reported_as_lost_then_reading_goes_on() {
        in_fresh_netns(|| {
            let mut monitor = Monitor::route(&[RTNLGRP_LINK, RTNLGRP_IPV4_ROUTE]).unwrap();
            // The smallest buffer the kernel allows holds a few notifications.
            monitor.socket().set_receive_buffer(0).unwrap();
            let mut conn = Connection::route().unwrap();
            for _ in 0..20 {
                set_lo_up(&mut conn, true);
                set_lo_up(&mut conn, false);
            }
            let mut lost = false;
            for _ in 0..1000 {
                if monitor.next_events(|_| Ok::<(), Error>(())).unwrap() == Received::Lost {
                    lost = true;
                    break;
                }
            }
            assert!(lost, "ENOBUFS reported");
            monitor.discard_queued().unwrap();
            monitor.socket().set_receive_buffer(1 << 20).unwrap();
            set_lo_up(&mut conn, true);
            let mut types = Vec::new();
            for _ in 0..100 {
                if types.contains(&RTM_NEWROUTE) {
                    break;
                }
                let r = monitor
                    .next_events(|m| {
                        types.push(m.message_type());
                        Ok::<(), Error>(())
                    })
                    .unwrap();
                assert_eq!(r, Received::Events);
            }
            assert_eq!(types[0], RTM_NEWLINK);
        });
    }
}
