//! Family-agnostic netlink, the size of libmnl: wire headers, attribute
//! iteration, message building, acks, the socket, and request/dump handling.
//!
//! `header`, `attr`, `message`, `builder` and `ack` take bytes and return
//! values (the fuzz surface); `socket`, `connection` and `monitor` (multicast
//! notifications) do I/O; `trace_hook` lets an observer see every datagram
//! the sockets send and receive.

pub mod ack;
pub mod attr;
pub mod builder;
pub mod connection;
#[cfg(test)]
pub(crate) mod golden;
pub mod header;
pub mod message;
pub mod monitor;
pub mod socket;
pub mod trace_hook;

pub use attr::{Attr, Attrs};
pub use builder::{MessageBuilder, Request};
pub use connection::{Connection, DumpCursor, DumpStatus, Failure, MessageView, Pipeline};
pub use message::{Message, Messages};
pub use monitor::{Monitor, Received};
pub use socket::NetlinkSocket;
