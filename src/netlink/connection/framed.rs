//! Framed batches: requests between a begin and an end message, sent in one
//! datagram and applied by the kernel as one (nfnetlink's
//! `NFNL_MSG_BATCH_BEGIN` / `NFNL_MSG_BATCH_END`: all or nothing).
//!
//! The requests ask for an ack each (`NLM_F_ACK`); the frame does not (the
//! kernel answers it only to refuse it). Sequence numbers run on from the
//! begin message: begin `s`, requests `s+1 ..= s+n`, end `s+n+1`, as nft
//! numbers them from 0. The kernel handles the whole datagram inside
//! `sendmsg`, so every answer is queued when the send returns: they are read
//! without waiting, and an answer that is missing then is an error, never a
//! hang. The socket's buffers are grown first to fit the datagram and its
//! acks ([`Transport::reserve`]).

use zerocopy::IntoBytes;

use super::{ack, Connection, Transport, MAX_DATAGRAMS};
use crate::error::{Error, KernelError, Result};
use crate::netlink::builder::Request;
use crate::netlink::header::{NLMSG_ERROR, NLM_F_ACK};
use crate::netlink::message::Messages;

/// The datagram of a framed batch whose begin message has sequence number
/// `first_seq`: `begin`, each request with `NLM_F_ACK`, `end`.
pub fn frame_datagram(
    begin: &Request,
    requests: &[Request],
    end: &Request,
    first_seq: u32,
) -> Vec<u8> {
    let size = begin.as_bytes().len()
        + end.as_bytes().len()
        + requests.iter().map(|r| r.as_bytes().len()).sum::<usize>();
    let mut datagram = Vec::with_capacity(size);
    let mut seq = first_seq;
    let mut put = |r: &Request, ack: bool| {
        let mut r = r.clone();
        if ack {
            r.add_flags(NLM_F_ACK);
        }
        r.set_seq(seq);
        seq = seq.wrapping_add(1);
        datagram.extend_from_slice(r.as_bytes());
    };
    put(begin, false);
    for r in requests {
        put(r, true);
    }
    put(end, false);
    datagram
}

impl<T: Transport> Connection<T> {
    /// Send `requests` framed by `begin` and `end` in one datagram and read
    /// every answer: one outcome per request, in order. A refusal of the
    /// frame itself (a kernel without the subsystem) is the `Err`.
    pub fn execute_framed(
        &mut self,
        begin: &Request,
        requests: &[Request],
        end: &Request,
    ) -> Result<Vec<Result<(), KernelError>>> {
        let first = self.next_seq();
        // Reserve the rest of the numbers.
        for _ in 0..=requests.len() {
            self.next_seq();
        }
        let datagram = frame_datagram(begin, requests, end, first);
        self.socket.reserve(datagram.len(), requests.len());
        self.socket.send(&datagram)?;
        let protocol = self.socket.protocol();
        let port = self.socket.port_id();
        let mut results: Vec<Option<Result<(), KernelError>>> = vec![None; requests.len()];
        let mut pending = requests.len();
        let end_seq = first.wrapping_add(requests.len() as u32 + 1);
        for _ in 0..MAX_DATAGRAMS {
            if pending == 0 {
                break;
            }
            let Some((len, sender)) = self.socket.recv_nowait(&mut self.storage)? else {
                return Err(Error::Truncated {
                    what: "batch answer (acks missing)",
                });
            };
            if sender != 0 {
                continue;
            }
            let bytes = &self.storage.as_bytes()[..len];
            for msg in Messages::new(bytes) {
                let msg = msg?;
                if msg.header.nlmsg_pid != port || msg.message_type() != NLMSG_ERROR {
                    continue;
                }
                let seq = msg.header.nlmsg_seq;
                if seq == first || seq == end_seq {
                    let frame = if seq == first { begin } else { end };
                    if let Err(k) = ack::parse_error(&msg, Some(frame.as_bytes()))? {
                        return Err(Error::Kernel(k.over(protocol)));
                    }
                    continue;
                }
                let index = seq.wrapping_sub(first).wrapping_sub(1) as usize;
                let (Some(slot), Some(request)) = (results.get_mut(index), requests.get(index))
                else {
                    continue; // an answer to something older
                };
                if slot.is_none() {
                    let outcome = ack::parse_error(&msg, Some(request.as_bytes()))?;
                    *slot = Some(outcome.map_err(|k| k.over(protocol)));
                    pending -= 1;
                }
            }
        }
        results
            .into_iter()
            .map(|r| {
                r.ok_or(Error::Truncated {
                    what: "batch answer (acks missing)",
                })
            })
            .collect()
    }
}
