//! Fuzz the tc views and printers: any bytes, read as a netlink stream of
//! tc dump messages, must give `Qdisc` / `Filter` values (with their
//! `BpfOptions` and `TcStats`) or typed errors, never a panic. Each message
//! is also tried with its type forced to `RTM_NEWQDISC`, `RTM_NEWTFILTER`
//! and `RTM_DELTFILTER`, its payload after `tcmsg` is read as a bpf
//! filter's options, and every view that decodes is printed by the CLI's
//! own printer (compiled in, as command_line does) in text and JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rawnet::netlink::Messages;
use rawnet::route::tc::{
    BpfOptions, Filter, Qdisc, RTM_DELTFILTER, RTM_NEWQDISC, RTM_NEWTFILTER,
};
use rawnet_fuzz::{messages, walk_message};

#[path = "../../src/cli/mod.rs"]
#[allow(dead_code, unused_imports)]
mod cli;

/// `struct tcmsg`'s size: the options start after it.
const TCMSG: usize = 20;

fn decode(msg: &rawnet::netlink::Message<'_>) {
    walk_message(msg, TCMSG);
    if let Ok(q) = Qdisc::parse(msg) {
        let _ = (q.kind.len(), q.stats().map(|s| s.map(|s| s.queue)));
    }
    if let Ok(f) = Filter::parse(msg) {
        let _ = (f.priority(), f.protocol(), f.bpf.map(|b| b.direct_action()));
        if let Some(o) = f.options {
            let _ = BpfOptions::parse(o);
        }
    }
    if let Some(rest) = msg.payload().get(TCMSG..) {
        let _ = BpfOptions::parse(rest);
    }
    cli::tc::print_for_fuzzing(msg);
}

fuzz_target!(|data: &[u8]| {
    for (msg, bytes) in messages(data) {
        decode(&msg);
        for kind in [RTM_NEWQDISC, RTM_NEWTFILTER, RTM_DELTFILTER] {
            let mut copy = bytes.to_vec();
            copy[4..6].copy_from_slice(&kind.to_ne_bytes());
            if let Some(Ok(m)) = Messages::new(&copy).next() {
                decode(&m);
            }
        }
    }
});
