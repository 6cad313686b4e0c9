//! rtnetlink: one file per kernel object.
//!
//! - [`link`] — network interfaces (`RTM_*LINK`, `struct ifinfomsg`, `IFLA_*`)
//! - [`addr`] — addresses (`RTM_*ADDR`, `struct ifaddrmsg`, `IFA_*`)
//! - [`route`](mod@route) — routes (`RTM_*ROUTE`, `struct rtmsg`, `RTA_*`)
//! - [`rule`] — policy routing rules (`RTM_*RULE`, `struct fib_rule_hdr`, `FRA_*`)
//! - [`prefix`] — parsing `ADDR[/LEN]` the way iproute2 does
//! - [`tc`] — traffic control: clsact qdisc, bpf filters (`RTM_*QDISC`, `RTM_*TFILTER`, `struct tcmsg`, `TCA_*`)
//! - [`groups`] — the multicast groups notifications arrive on (`RTNLGRP_*`)
//!
//! Message types of rtnetlink (linux/rtnetlink.h) live here; each object's
//! structs and attribute numbers live in its own file.

pub mod addr;
pub mod bridge_vlan;
pub mod fdb;
pub mod groups;
pub mod kind;
pub mod link;
pub mod neigh;
pub mod prefix;
#[allow(clippy::module_inception)]
pub mod route;
pub mod rule;
pub mod tc;

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
    /// A policy routing rule.
    Rule(rule::Rule<'a>),
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
        rule::RTM_NEWRULE | rule::RTM_DELRULE => Object::Rule(rule::Rule::parse(msg)?),
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
            (
                &include_bytes!("../../tests/golden/dumps/addr-dump.bin")[..],
                88,
            ),
            (
                &include_bytes!("../../tests/golden/dumps/neigh-dump.bin")[..],
                41,
            ),
            (
                &include_bytes!("../../tests/golden/dumps/fdb-dump.bin")[..],
                66,
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
                    Object::Address(a) => {
                        assert!(a.local_or_address().is_some());
                        objects += 1;
                    }
                    Object::Neighbour(n) => {
                        assert!(n.dst.is_some() || n.lladdr.is_some());
                        objects += 1;
                    }
                    Object::Rule(_) => panic!("no rules in these dumps"),
                    Object::Other(t) => assert_eq!(t, crate::netlink::header::NLMSG_DONE),
                }
            }
            assert_eq!(objects, want);
        }
    }

    fn objects(bytes: &[u8]) -> impl Iterator<Item = Object<'_>> {
        Messages::new(bytes)
            .map_while(Result::ok)
            .filter_map(|m| decode(&m).ok())
    }

    /// What the captured address, neighbour and fdb dumps hold, read through the
    /// views (capture.sh says how they were made).
    #[test]
    fn captured_dumps_hold_what_was_set_up() {
        use std::net::IpAddr;
        let v6 = |s: &str| s.parse::<IpAddr>().expect("literal");

        let addrs: Vec<_> = objects(include_bytes!("../../tests/golden/dumps/addr-dump.bin"))
            .filter_map(|o| match o {
                Object::Address(a) => Some(a),
                _ => None,
            })
            .collect();
        let family = |f: i32| addrs.iter().filter(|a| i32::from(a.family) == f).count();
        assert_eq!((family(libc::AF_INET), family(libc::AF_INET6)), (43, 45));
        assert!(addrs
            .iter()
            .any(|a| a.label == Some(&b"e3:x"[..]) && a.broadcast.is_some()));
        assert!(addrs.iter().any(|a| a.rt_priority == Some(50)));
        assert!(addrs
            .iter()
            .any(|a| a.local != a.address && a.local.is_some()));
        assert!(addrs.iter().any(|a| a
            .cacheinfo
            .is_some_and(|c| c.ifa_valid <= 3600 && c.ifa_prefered <= 1800)));

        let neigh: Vec<_> = objects(include_bytes!("../../tests/golden/dumps/neigh-dump.bin"))
            .filter_map(|o| match o {
                Object::Neighbour(n) => Some(n),
                _ => None,
            })
            .collect();
        assert_eq!(
            neigh
                .iter()
                .filter(|n| n.flags & neigh::NTF_PROXY != 0)
                .count(),
            2
        );
        assert!(neigh.iter().any(|n| n.dst == Some(v6("10.1.0.2"))
            && n.state == neigh::NUD_REACHABLE
            && n.lladdr.is_some_and(|l| l.len() == 6)));
        assert!(neigh.iter().any(|n| n.flags & neigh::NTF_ROUTER != 0));
        assert!(neigh.iter().any(|n| n.protocol.is_some()));
        assert!(neigh.iter().all(|n| n.family != neigh::AF_BRIDGE));

        let fdb: Vec<_> = objects(include_bytes!("../../tests/golden/dumps/fdb-dump.bin"))
            .filter_map(|o| match o {
                Object::Neighbour(n) => Some(n),
                _ => None,
            })
            .collect();
        assert!(fdb.iter().all(|n| n.family == neigh::AF_BRIDGE));
        assert!(fdb
            .iter()
            .any(|n| n.dst == Some(v6("10.1.0.4")) && n.port == Some(4790) && n.vni == Some(43)));
        assert!(fdb
            .iter()
            .any(|n| n.dst == Some(v6("fd01::3")) && n.vni == Some(47)));
        assert!(fdb.iter().any(|n| n.via_index.is_some()));
        assert!(fdb.iter().filter(|n| n.master.is_some()).count() >= 5);
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
