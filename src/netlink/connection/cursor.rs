//! [`DumpCursor`]: a dump read one object message at a time, at the
//! caller's pace, so that several dumps (links, IPv4 and IPv6 addresses, each
//! on its own connection) can be walked in step and merged without keeping
//! any of them.
//!
//! The same rules as [`Connection::dump`]: only kernel messages for our port
//! and sequence count, `NLMSG_DONE` ends the dump (and may carry an error),
//! `NLMSG_ERROR` is the kernel's refusal, `NLM_F_DUMP_INTR` is remembered.
//! Dropping a cursor before the end leaves the rest of the answer in the
//! socket; the connection's next request skips it by sequence number.

use zerocopy::IntoBytes;

use super::{ack, Connection, DumpStatus, Transport, MAX_DATAGRAMS};
use crate::error::{Error, Result};
use crate::netlink::builder::Request;
use crate::netlink::header::{
    NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN, NLM_F_DUMP, NLM_F_DUMP_INTR,
};
use crate::netlink::message::{Message, Messages};

/// A dump in progress on a connection, positioned on one object message.
pub struct DumpCursor<'c, T: Transport> {
    conn: &'c mut Connection<T>,
    request: Request,
    seq: u32,
    /// Bytes of the datagram in the connection's storage.
    len: usize,
    /// Offset of the current message in it (`None` at the end).
    at: Option<usize>,
    /// Offset just past the current message.
    next: usize,
    interrupted: bool,
    datagrams: usize,
}

impl<T: Transport> Connection<T> {
    /// Send a dump request and position a cursor on the first object of the
    /// answer (or at the end, for an empty dump).
    pub fn dump_cursor(&mut self, mut request: Request) -> Result<DumpCursor<'_, T>> {
        request.add_flags(NLM_F_DUMP);
        let seq = self.next_seq();
        request.set_seq(seq);
        self.socket.send(request.as_bytes())?;
        let mut cursor = DumpCursor {
            conn: self,
            request,
            seq,
            len: 0,
            at: Some(0),
            next: 0,
            interrupted: false,
            datagrams: 0,
        };
        cursor.advance()?;
        Ok(cursor)
    }
}

impl<T: Transport> DumpCursor<'_, T> {
    /// The object message the cursor is on; `None` once the dump has ended.
    pub fn current(&self) -> Option<Message<'_>> {
        let at = self.at?;
        let bytes = self.conn.storage.as_bytes().get(at..self.len)?;
        Messages::new(bytes).next()?.ok()
    }

    /// Whether the kernel flagged the dump inconsistent (so far).
    pub fn status(&self) -> DumpStatus {
        if self.interrupted {
            DumpStatus::Interrupted
        } else {
            DumpStatus::Complete
        }
    }

    /// Leave the dump where it is and start `request` on the same
    /// connection, positioned on its first object. What is left of the old
    /// answer is skipped by its sequence number.
    pub fn restart(&mut self, mut request: Request) -> Result<()> {
        request.add_flags(NLM_F_DUMP);
        let seq = self.conn.next_seq();
        request.set_seq(seq);
        self.conn.socket.send(request.as_bytes())?;
        self.request = request;
        self.seq = seq;
        self.at = Some(self.next.min(self.len));
        self.interrupted = false;
        self.datagrams = 0;
        // The current message was consumed: look past it.
        self.advance()
    }

    /// Move to the next object message, reading datagrams as needed.
    pub fn advance(&mut self) -> Result<()> {
        if self.at.is_none() {
            return Ok(());
        }
        let port = self.conn.socket.port_id();
        loop {
            if self.next >= self.len {
                self.read_datagram()?;
                continue;
            }
            let bytes = &self.conn.storage.as_bytes()[self.next..self.len];
            let msg = match Messages::new(bytes).next() {
                Some(m) => m?,
                None => {
                    self.next = self.len;
                    continue;
                }
            };
            let here = self.next;
            self.next =
                (here + crate::netlink::header::align(msg.header.nlmsg_len as usize)).min(self.len);
            if msg.header.nlmsg_pid != port || msg.header.nlmsg_seq != self.seq {
                continue;
            }
            self.interrupted |= msg.flags() & NLM_F_DUMP_INTR != 0;
            match msg.message_type() {
                NLMSG_NOOP => continue,
                NLMSG_OVERRUN => {
                    self.at = None;
                    return Err(Error::Truncated {
                        what: "netlink answer (overrun)",
                    });
                }
                NLMSG_DONE => {
                    self.at = None;
                    let protocol = self.conn.socket.protocol();
                    ack::parse_done(&msg, Some(self.request.as_bytes()))
                        .map_err(|k| k.over(protocol))?;
                    return Ok(());
                }
                NLMSG_ERROR => {
                    self.at = None;
                    let protocol = self.conn.socket.protocol();
                    ack::parse_error(&msg, Some(self.request.as_bytes()))?
                        .map_err(|k| k.over(protocol))?;
                    return Ok(());
                }
                _ => {
                    self.at = Some(here);
                    return Ok(());
                }
            }
        }
    }

    /// The next datagram from the kernel into the connection's storage.
    fn read_datagram(&mut self) -> Result<()> {
        loop {
            self.datagrams += 1;
            if self.datagrams > MAX_DATAGRAMS {
                self.at = None;
                return Err(Error::Truncated {
                    what: "netlink answer (too many datagrams)",
                });
            }
            let (len, sender) = self.conn.socket.recv(&mut self.conn.storage)?;
            if sender == 0 {
                self.len = len;
                self.next = 0;
                return Ok(());
            }
        }
    }
}
