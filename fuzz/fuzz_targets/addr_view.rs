//! Fuzz the address view: any bytes, read as a datagram of `RTM_NEWADDR`s, must
//! give `Address` values or typed errors, with the message's own family and
//! with `AF_INET`, `AF_INET6` and an unknown family in its place.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rawnet::netlink::Messages;
use rawnet::route::addr::Address;
use rawnet_fuzz::{messages, walk_message, with_family};

fn parse(msg: &rawnet::netlink::Message<'_>) {
    if let Ok(a) = Address::parse(msg) {
        let owned = a.to_owned();
        let _ = (a.local_or_address(), owned.local_or_address());
    }
}

fuzz_target!(|data: &[u8]| {
    for (msg, bytes) in messages(data) {
        walk_message(&msg, 8);
        parse(&msg);
        for family in [libc::AF_INET as u8, libc::AF_INET6 as u8, 0] {
            let copy = with_family(bytes, family);
            if let Some(Ok(msg)) = Messages::new(&copy).next() {
                parse(&msg);
            }
        }
    }
});
