//! Fuzz the trace decoder: any bytes, described as a datagram sent or
//! received on an rtnetlink or another netlink socket, must become text,
//! never a panic, an out-of-bounds read or unbounded recursion.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rawnet::netlink::header::{NETLINK_NETFILTER, NETLINK_ROUTE};
use rawnet::trace::{describe, Direction};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the direction and the protocol; the rest is the datagram.
    let Some((&choice, datagram)) = data.split_first() else {
        return;
    };
    let direction = if choice & 1 == 0 {
        Direction::Sent
    } else {
        Direction::Received
    };
    let protocol = if choice & 2 == 0 {
        NETLINK_ROUTE
    } else {
        NETLINK_NETFILTER
    };
    let mut out = String::new();
    describe(&mut out, direction, protocol, datagram);
    assert!(!out.is_empty());
});
