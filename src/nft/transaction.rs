//! [`Transaction`]: nf_tables changes applied all or nothing.
//!
//! The messages (each a [`Request`] with an [`NfGenMsg`] header, from the
//! builders in `table`, `chain`, `rule`, ...) go in one datagram between
//! `NFNL_MSG_BATCH_BEGIN` and `NFNL_MSG_BATCH_END` (family `AF_UNSPEC`,
//! `res_id` = `NFNL_SUBSYS_NFTABLES` big-endian, as nft frames them), each
//! asking for an ack. The kernel applies the batch whole or not at all; a
//! refusal names the message it answers ([`Refusal::index`]) with the
//! kernel's extended-ack text. The datagram is sent in one `sendmsg` however
//! large (the socket's send buffer is grown to fit, as nft grows it).

use std::fmt;

use super::wire::{
    NfGenMsg, NFNETLINK_V0, NFNL_MSG_BATCH_BEGIN, NFNL_MSG_BATCH_END, NFNL_SUBSYS_NFTABLES,
};
use crate::error::{Error, KernelError};
use crate::netlink::connection::{frame_datagram, Transport};
use crate::netlink::{Connection, MessageBuilder, Request};

/// A message of the transaction the kernel refused, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Index of the message in the transaction (0 is the first pushed).
    pub index: usize,
    pub error: KernelError,
}

/// Why a transaction was not applied.
#[derive(Debug)]
pub enum TransactionError {
    /// The kernel refused these messages (at least one), in order; nothing
    /// of the transaction was applied.
    Refused(Vec<Refusal>),
    /// The exchange itself failed (socket, decoding, a refused frame).
    Failed(Error),
}

impl From<Error> for TransactionError {
    fn from(e: Error) -> Self {
        TransactionError::Failed(e)
    }
}

impl TransactionError {
    /// The first refusal (or the failure) as a plain [`Error`].
    pub fn into_error(self) -> Error {
        match self {
            TransactionError::Refused(r) => match r.into_iter().next() {
                Some(r) => Error::Kernel(r.error),
                None => Error::Unexpected("transaction refused without a reason".into()),
            },
            TransactionError::Failed(e) => e,
        }
    }
}

impl fmt::Display for TransactionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransactionError::Refused(r) => match r.first() {
                Some(r) => write!(f, "message {}: {}", r.index, r.error),
                None => f.write_str("refused"),
            },
            TransactionError::Failed(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for TransactionError {}

/// nf_tables messages to apply together.
#[derive(Debug, Clone, Default)]
pub struct Transaction {
    messages: Vec<Request>,
}

/// A batch frame message: `AF_UNSPEC`, the nf_tables subsystem in `res_id`.
fn frame(kind: u16) -> crate::Result<Request> {
    let mut m = MessageBuilder::new(kind, 0);
    m.header(&NfGenMsg {
        nfgen_family: 0,
        version: NFNETLINK_V0,
        res_id: NFNL_SUBSYS_NFTABLES.to_be_bytes(),
    });
    m.finish()
}

impl Transaction {
    pub fn new() -> Self {
        Transaction::default()
    }

    /// Add a message; returns its index (what a [`Refusal`] names).
    pub fn push(&mut self, message: Request) -> usize {
        self.messages.push(message);
        self.messages.len() - 1
    }

    pub fn len(&self) -> usize {
        self.messages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    pub fn messages(&self) -> &[Request] {
        &self.messages
    }

    /// The datagram as it is sent, with sequence numbers from `first_seq`
    /// (nft starts at 0): for golden tests and tracing.
    pub fn datagram(&self, first_seq: u32) -> crate::Result<Vec<u8>> {
        Ok(frame_datagram(
            &frame(NFNL_MSG_BATCH_BEGIN)?,
            &self.messages,
            &frame(NFNL_MSG_BATCH_END)?,
            first_seq,
        ))
    }

    /// Send the transaction and read every answer. An empty transaction
    /// sends nothing.
    pub fn commit<T: Transport>(&self, conn: &mut Connection<T>) -> Result<(), TransactionError> {
        if self.messages.is_empty() {
            return Ok(());
        }
        let outcomes = conn.execute_framed(
            &frame(NFNL_MSG_BATCH_BEGIN)?,
            &self.messages,
            &frame(NFNL_MSG_BATCH_END)?,
        )?;
        let refused: Vec<Refusal> = outcomes
            .into_iter()
            .enumerate()
            .filter_map(|(index, o)| o.err().map(|error| Refusal { index, error }))
            .collect();
        if refused.is_empty() {
            Ok(())
        } else {
            Err(TransactionError::Refused(refused))
        }
    }
}

#[cfg(test)]
mod tests;
