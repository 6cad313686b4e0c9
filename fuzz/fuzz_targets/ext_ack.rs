//! Fuzz the ack decoder: any bytes, read as a datagram of `NLMSG_ERROR` /
//! `NLMSG_DONE` answers, must give an outcome or a typed error, and a
//! `KernelError` must print (as iproute2 would word it, which takes strerror). The request the extended-ack offset points into is
//! tried as the one the error quotes (uncapped acks), the whole input, and none.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rawnet::netlink::ack;
use rawnet_fuzz::{messages, walk_message};

fn show(outcome: ack::Outcome) {
    if let Err(e) = outcome {
        let _ = (e.to_string(), e.errno_text());
        let _ = rawnet::Error::Kernel(e).to_string();
    }
}

fuzz_target!(|data: &[u8]| {
    for (msg, _) in messages(data) {
        walk_message(&msg, 20);
        let quoted = msg.payload().get(4..);
        if let Ok(outcome) = ack::parse_error(&msg, quoted) {
            show(outcome);
        }
        show(ack::parse_done(&msg, quoted));
        // The other requests change only which attribute the offset names.
        for request in [Some(data), None] {
            let _ = ack::parse_error(&msg, request);
            let _ = ack::parse_done(&msg, request);
        }
    }
});
