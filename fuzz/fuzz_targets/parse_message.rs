//! Fuzz the message parser: any bytes, read as a datagram from the kernel, must
//! decode to values or typed errors, never a panic or an out-of-bounds read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rawnet::netlink::{ack, header, Attrs, Messages};

/// Walk attributes and every payload that could be a nest, to a bounded depth.
fn walk(attrs: Attrs<'_>, depth: u32) {
    for attr in attrs {
        let Ok(attr) = attr else { return };
        let _ = (attr.u8(), attr.u16(), attr.u32(), attr.u64(), attr.c_str());
        if depth < 8 {
            walk(attr.nested(), depth + 1);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    for msg in Messages::new(data) {
        let Ok(msg) = msg else { break };
        match msg.message_type() {
            header::NLMSG_ERROR => {
                let _ = ack::parse_error(&msg, Some(data));
            }
            header::NLMSG_DONE => {
                let _ = ack::parse_done(&msg, Some(data));
            }
            _ => {
                // Typed views, and a link's kind-specific data decoded on demand.
                if let Ok(rawnet::route::Object::Link(link)) = rawnet::route::decode(&msg) {
                    let _ = (link.kind_data(), link.slave_data());
                }
                for skip in [0usize, 8, 12, 16] {
                    walk(Attrs::new(msg.payload().get(skip..).unwrap_or(&[])), 0);
                }
            }
        }
    }
});
