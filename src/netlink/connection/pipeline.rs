//! [`Pipeline`]: many change requests in flight, sent in large datagrams.
//!
//! Each request keeps its own sequence number but goes without `NLM_F_ACK`:
//! the kernel answers a request without it only when it fails, so success
//! costs no answer at all. Every datagram ends with an `NLMSG_NOOP` that does
//! ask for an ack: the kernel handles the messages of a datagram in order,
//! so once that ack is in, every request before it has been applied or has
//! said why not. Failures are mapped back to their request by sequence
//! number and kept, with the caller's tag, for [`Pipeline::take_failures`].
//!
//! Windowing: a datagram holds at most [`MAX_REQUESTS`] requests (fewer when
//! the pipeline was made with [`Pipeline::with_window`]) and [`MAX_BYTES`]
//! bytes, so that even if every request in it fails, the errors fit the
//! socket's receive buffer and none is lost; the next datagram goes out once
//! the previous one is answered (the kernel does the work inside `sendmsg`,
//! so waiting costs nothing).
//!
//! Only requests that change something belong here (`RTM_NEW*`, `RTM_DEL*`):
//! a request that is answered with data (a `GET`, `NLM_F_ECHO`) would be
//! taken for a failure.
//!
//! A pipeline holds no borrow of its connection: nothing is in flight
//! between its calls (a datagram is sent and answered within one call), so
//! the connection may serve other requests in between, such as a `GET` that
//! needs what the queued requests do: [`Pipeline::flush`] first.

use std::collections::VecDeque;

use zerocopy::IntoBytes;

use super::{ack, Connection, Transport, MAX_DATAGRAMS};
use crate::error::{Error, Result};
use crate::netlink::builder::{MessageBuilder, Request};
use crate::netlink::header::{NLMSG_ERROR, NLMSG_NOOP, NLM_F_ACK};
use crate::netlink::message::Messages;

/// Requests per datagram at most: each failure answer takes about 1 KiB of
/// the receive buffer (2 MiB), so even a datagram that fails whole fits.
pub const MAX_REQUESTS: usize = 1024;
/// Bytes per datagram at most (the socket's send buffer is raised to fit).
pub const MAX_BYTES: usize = 128 << 10;

/// A request that failed: the caller's tag for it and the kernel's reason.
#[derive(Debug)]
pub struct Failure {
    pub tag: usize,
    pub error: Error,
}

/// Change requests sent many to a datagram; failures kept with their tags.
#[derive(Debug)]
pub struct Pipeline {
    /// Requests per datagram at most, `1..=MAX_REQUESTS`.
    window: usize,
    /// The datagram being filled.
    datagram: Vec<u8>,
    /// Per request in it: sequence number, tag, and where its bytes are
    /// (for naming an offending attribute).
    entries: Vec<(u32, usize, usize, usize)>,
    failures: VecDeque<Failure>,
    sent: u64,
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline::new()
    }
}

impl Pipeline {
    /// The largest window, and the default: `MAX_REQUESTS` (1024) requests a datagram.
    pub const MAX_WINDOW: usize = MAX_REQUESTS;

    /// A pipeline of [`Pipeline::MAX_WINDOW`] requests a datagram.
    pub fn new() -> Pipeline {
        Pipeline::with_window(MAX_REQUESTS)
    }

    /// A pipeline that sends at most `requests` requests a datagram (taken
    /// into `1..=MAX_WINDOW`); each datagram still ends with its barrier, so
    /// a window of 1 is one request and one `NLMSG_NOOP` a `sendmsg`.
    pub fn with_window(requests: usize) -> Pipeline {
        let window = requests.clamp(1, MAX_REQUESTS);
        Pipeline {
            window,
            datagram: Vec::with_capacity(MAX_BYTES.min(window * 1024)),
            entries: Vec::with_capacity(window),
            failures: VecDeque::new(),
            sent: 0,
        }
    }

    /// Requests per datagram at most.
    pub fn window(&self) -> usize {
        self.window
    }

    /// Queue `request` for `conn`; `tag` comes back with it should it fail.
    /// A full datagram is sent, and answered, first. Every request queued
    /// until the next flush goes to the same connection.
    pub fn push<T: Transport>(
        &mut self,
        conn: &mut Connection<T>,
        mut request: Request,
        tag: usize,
    ) -> Result<()> {
        let len = request.as_bytes().len();
        if !self.entries.is_empty()
            && (self.entries.len() >= self.window || self.datagram.len() + len > MAX_BYTES)
        {
            self.flush(conn)?;
        }
        let seq = conn.next_seq();
        request.set_seq(seq);
        request.clear_flags(NLM_F_ACK);
        self.entries.push((seq, tag, self.datagram.len(), len));
        self.datagram.extend_from_slice(request.as_bytes());
        Ok(())
    }

    /// Forget the requests queued and not yet sent.
    pub fn discard(&mut self) {
        self.entries.clear();
        self.datagram.clear();
    }

    /// Requests queued and not yet sent.
    pub fn queued(&self) -> usize {
        self.entries.len()
    }

    /// Requests sent and answered so far.
    pub fn completed(&self) -> u64 {
        self.sent
    }

    /// The failures so far, oldest first; they are not reported again.
    pub fn take_failures(&mut self) -> Vec<Failure> {
        self.failures.drain(..).collect()
    }

    /// Send what is queued to `conn`, with the closing `NLMSG_NOOP`, and
    /// read the answers up to its ack.
    pub fn flush<T: Transport>(&mut self, conn: &mut Connection<T>) -> Result<()> {
        if self.entries.is_empty() {
            return Ok(());
        }
        let barrier_seq = conn.next_seq();
        let mut barrier = MessageBuilder::new(NLMSG_NOOP, NLM_F_ACK).finish()?;
        barrier.set_seq(barrier_seq);
        self.datagram.extend_from_slice(barrier.as_bytes());
        let result = self.exchange(conn, barrier_seq);
        self.sent += self.entries.len() as u64;
        self.entries.clear();
        self.datagram.clear();
        result
    }

    fn exchange<T: Transport>(&mut self, conn: &mut Connection<T>, barrier_seq: u32) -> Result<()> {
        conn.socket.send(&self.datagram)?;
        let first = self.entries[0].0;
        let port = conn.socket.port_id();
        for _ in 0..MAX_DATAGRAMS {
            let (len, sender) = conn.socket.recv(&mut conn.storage)?;
            if sender != 0 {
                continue;
            }
            let bytes = &conn.storage.as_bytes()[..len];
            for msg in Messages::new(bytes) {
                let msg = msg?;
                if msg.header.nlmsg_pid != port || msg.message_type() != NLMSG_ERROR {
                    continue;
                }
                let seq = msg.header.nlmsg_seq;
                if seq == barrier_seq {
                    return Ok(());
                }
                let Some(&(_, tag, at, n)) = self.entries.get(seq.wrapping_sub(first) as usize)
                else {
                    continue; // an answer to something older
                };
                let sent = self.datagram.get(at..at + n);
                if let Err(k) = ack::parse_error(&msg, sent)? {
                    self.failures.push_back(Failure {
                        tag,
                        error: Error::Kernel(k.over(conn.socket.protocol())),
                    });
                }
            }
        }
        Err(Error::Truncated {
            what: "netlink answer (no end of the pipelined datagram)",
        })
    }
}
