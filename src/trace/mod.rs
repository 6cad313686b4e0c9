//! Netlink traffic as text for people: [`describe`] turns a datagram sent to
//! or received from the kernel into one block per message — the header with
//! its type and flags by name, the family header with named fields, and the
//! attributes as an indented tree with the kernel's names and decoded values.
//! `rawnet --trace` installs it as the [`crate::netlink::trace_hook`] observer.
//!
//! ```text
//! > RTM_NEWLINK len 92 flags REQUEST|ACK|CREATE|EXCL seq 1700000001 port 0
//!     ifinfomsg family AF_UNSPEC type 0 index 0 flags 0 change 0
//!     IFLA_IFNAME "veth0"
//!     IFLA_LINKINFO
//!       IFLA_INFO_KIND "veth"
//!       IFLA_INFO_DATA
//!         VETH_INFO_PEER
//!           ifinfomsg family AF_UNSPEC type 0 index 0 flags 0 change 0
//!           IFLA_IFNAME "veth1"
//! < NLMSG_ERROR len 36 flags CAPPED seq 1700000001 port 4242
//!     ack (error 0)
//!     request RTM_NEWLINK len 92 flags REQUEST|ACK|CREATE|EXCL seq 1700000001 port 0
//! ```
//!
//! Families are data (`spec.rs`): attribute tables with a value type per
//! attribute, in the spirit of the kernel's YNL specs; `render.rs` and
//! `message.rs` walk them. rtnetlink is in `rtnl/`; another protocol is a new
//! set of tables and one entry in `PROTOCOLS`. A protocol without tables is
//! shown as headers and hex.
//!
//! Invariants: pure (bytes in, text out), never panics on any input, never
//! reads out of bounds; what does not parse is said in the text and the walk
//! goes on at the level above. Every name is a constant from the kernel's uapi
//! headers (a test compiles them and compares).

mod control;
mod errno;
mod message;
mod render;
mod rtnl;
pub(crate) mod spec;

#[cfg(test)]
mod tests;

pub use crate::netlink::trace_hook::Direction;
pub use message::describe;

/// The protocols with tables.
static PROTOCOLS: &[&spec::Protocol] = &[&rtnl::ROUTE];
