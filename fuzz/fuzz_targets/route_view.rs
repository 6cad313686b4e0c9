//! Fuzz the route view: any bytes, read as a datagram of `RTM_NEWROUTE`s, must
//! give `Route` values or typed errors, with the message's own family and with
//! `AF_INET`, `AF_INET6` and an unknown family in its place. The raw
//! `RTA_METRICS` nest the view keeps is walked as attributes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rawnet::netlink::{Attrs, Messages};
use rawnet::route::route::Route;
use rawnet_fuzz::{messages, walk, walk_message, with_family};

fn parse(msg: &rawnet::netlink::Message<'_>) {
    if let Ok(r) = Route::parse(msg) {
        let _ = r.to_owned();
        if let Some(metrics) = r.metrics {
            walk(Attrs::new(metrics), 0);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    for (msg, bytes) in messages(data) {
        walk_message(&msg, 12);
        parse(&msg);
        for family in [libc::AF_INET as u8, libc::AF_INET6 as u8, 0] {
            let copy = with_family(bytes, family);
            if let Some(Ok(msg)) = Messages::new(&copy).next() {
                parse(&msg);
            }
        }
    }
});
