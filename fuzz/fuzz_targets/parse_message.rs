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
                // Typed views, and what they decode on demand: a link's
                // kind-specific data, counters and altnames, a route's next
                // hops and metrics, a bridge port's vlans, a namespace id.
                match rawnet::route::decode(&msg) {
                    Ok(rawnet::route::Object::Link(link)) => {
                        let _ = (link.kind_data(), link.slave_data(), link.counters());
                        let _ = link.alt_names().count();
                    }
                    Ok(rawnet::route::Object::Route(r)) => {
                        if let Some(p) = r.multipath {
                            let _ = rawnet::route::route::next_hops(r.family, p).count();
                        }
                        if let Some(p) = r.metrics {
                            let _ = rawnet::route::route::metrics(p).count();
                        }
                    }
                    _ => {}
                }
                if let Ok(v) = rawnet::route::bridge_vlan::PortVlans::parse(&msg) {
                    let _ = (v.vlans().count(), v.tunnels().count());
                }
                let _ = rawnet::ns::nsid::NsId::parse(&msg);
                for skip in [0usize, 8, 12, 16] {
                    walk(Attrs::new(msg.payload().get(skip..).unwrap_or(&[])), 0);
                }
            }
        }
    }
});
