//! Fuzz the neighbour view, which also reads bridge fdb entries: any bytes,
//! read as a datagram of `RTM_NEWNEIGH`s, must give `Neighbour` values or typed
//! errors, with the message's own family and with `AF_INET`, `AF_INET6` and
//! `AF_BRIDGE` (where `NDA_DST` is read by its length) in its place.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rawnet::netlink::Messages;
use rawnet::route::neigh::{Neighbour, AF_BRIDGE};
use rawnet_fuzz::{messages, walk_message, with_family};

fn parse(msg: &rawnet::netlink::Message<'_>) {
    if let Ok(n) = Neighbour::parse(msg) {
        let _ = n.to_owned();
    }
}

fuzz_target!(|data: &[u8]| {
    for (msg, bytes) in messages(data) {
        walk_message(&msg, 12);
        parse(&msg);
        for family in [libc::AF_INET as u8, libc::AF_INET6 as u8, AF_BRIDGE] {
            let copy = with_family(bytes, family);
            if let Some(Ok(msg)) = Messages::new(&copy).next() {
                parse(&msg);
            }
        }
    }
});
