//! `--trace`: every netlink datagram rawnet sends or receives, decoded by
//! [`rawnet::trace::describe`] and written to standard error, one write per
//! datagram. Write errors are ignored: tracing never changes what the command
//! does, also when standard error is closed.

use std::io::Write;

use rawnet::trace::Direction;

/// Install the observer on every netlink socket of the process.
pub fn install() {
    // Only the first install counts; a second `--trace` changes nothing.
    let _ = rawnet::netlink::trace_hook::install(&write_to_stderr);
}

fn write_to_stderr(direction: Direction, protocol: i32, datagram: &[u8]) {
    let mut text = String::new();
    rawnet::trace::describe(&mut text, direction, protocol, datagram);
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
