//! rtnetlink: one file per kernel object.
//!
//! - [`link`] — network interfaces (`RTM_*LINK`, `struct ifinfomsg`, `IFLA_*`)
//! - [`addr`] — addresses (`RTM_*ADDR`, `struct ifaddrmsg`, `IFA_*`)
//! - [`route`](mod@route) — routes (`RTM_*ROUTE`, `struct rtmsg`, `RTA_*`)
//! - [`prefix`] — parsing `ADDR[/LEN]` the way iproute2 does
//! - [`groups`] — the multicast groups notifications arrive on (`RTNLGRP_*`)
//!
//! Message types of rtnetlink (linux/rtnetlink.h) live here; each object's
//! structs and attribute numbers live in its own file.

pub mod addr;
pub mod fdb;
pub mod groups;
pub mod kind;
pub mod link;
pub mod neigh;
pub mod prefix;
#[allow(clippy::module_inception)]
pub mod route;

pub const RTM_NEWLINK: u16 = 16;
pub const RTM_DELLINK: u16 = 17;
pub const RTM_GETLINK: u16 = 18;
pub const RTM_SETLINK: u16 = 19;
pub const RTM_NEWADDR: u16 = 20;
pub const RTM_DELADDR: u16 = 21;
pub const RTM_GETADDR: u16 = 22;
pub const RTM_NEWROUTE: u16 = 24;
pub const RTM_DELROUTE: u16 = 25;
pub const RTM_GETROUTE: u16 = 26;

use crate::error::DecodeError;
use crate::netlink::Message;

/// An rtnetlink message decoded into its typed view.
#[derive(Debug, Clone)]
pub enum Object<'a> {
    Link(link::Link<'a>),
    Address(addr::Address<'a>),
    Route(route::Route<'a>),
    /// A neighbour or, with family `AF_BRIDGE`, a forwarding-database entry.
    Neighbour(neigh::Neighbour<'a>),
    /// A message type this module does not decode.
    Other(u16),
}

/// Decode any rtnetlink object message (`RTM_NEWLINK`, `RTM_DELADDR`, ...)
/// into its typed view. Unknown attributes are skipped; a malformed one that
/// the view reads fails with its name.
pub fn decode<'a>(msg: &Message<'a>) -> Result<Object<'a>, DecodeError> {
    Ok(match msg.message_type() {
        RTM_NEWLINK | RTM_DELLINK => Object::Link(link::Link::parse(msg)?),
        RTM_NEWADDR | RTM_DELADDR => Object::Address(addr::Address::parse(msg)?),
        RTM_NEWROUTE | RTM_DELROUTE => Object::Route(route::Route::parse(msg)?),
        neigh::RTM_NEWNEIGH | neigh::RTM_DELNEIGH => {
            Object::Neighbour(neigh::Neighbour::parse(msg)?)
        }
        other => Object::Other(other),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::Messages;

    /// Every message of the captured dumps (tests/golden/dumps) decodes, and
    /// every truncation of one fails cleanly instead of panicking.
    #[test]
    fn captured_dumps_decode() {
        for (bytes, want) in [
            (
                &include_bytes!("../../tests/golden/dumps/link-dump.bin")[..],
                101,
            ),
            (
                &include_bytes!("../../tests/golden/dumps/route-dump.bin")[..],
                100,
            ),
        ] {
            let mut objects = 0;
            for msg in Messages::new(bytes) {
                let msg = msg.expect("captured message frames");
                match decode(&msg).expect("captured message decodes") {
                    Object::Link(l) => {
                        assert!(l.name.is_some());
                        objects += 1;
                    }
                    Object::Route(r) => {
                        assert!(r.dst.is_some());
                        objects += 1;
                    }
                    Object::Address(_) | Object::Neighbour(_) => objects += 1,
                    Object::Other(t) => assert_eq!(t, crate::netlink::header::NLMSG_DONE),
                }
            }
            assert_eq!(objects, want);
        }
    }

    #[test]
    fn truncated_link_message_never_panics() {
        let bytes = include_bytes!("../../tests/golden/dumps/link-dump.bin");
        let first = Messages::new(bytes).next().unwrap().unwrap();
        let len = first.header.nlmsg_len as usize;
        for cut in 16..len {
            let mut b = bytes[..cut].to_vec();
            b[0..4].copy_from_slice(&(cut as u32).to_ne_bytes());
            let msg = Messages::new(&b).next().unwrap().unwrap();
            let _ = decode(&msg);
        }
    }
}
