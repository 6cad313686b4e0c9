//! What the fuzz targets share: splitting a datagram into its messages' bytes,
//! rewriting a message's family byte, and a bounded walk over every payload
//! that could hold attributes. Library code under test lives in `rawnet`; this
//! only drives it.

use rawnet::netlink::{Attrs, Message, Messages};

/// Each message of `datagram` that frames, with its own bytes (header included).
pub fn messages(datagram: &[u8]) -> impl Iterator<Item = (Message<'_>, &[u8])> {
    let mut rest = datagram;
    std::iter::from_fn(move || {
        let msg = Messages::new(rest).next()?.ok()?;
        let len = msg.header.nlmsg_len as usize;
        let bytes = rest.get(..len)?;
        rest = rest.get((len + 3) & !3..).unwrap_or(&[]);
        Some((msg, bytes))
    })
}

/// A copy of one message's bytes with the family byte of its family header
/// (the first payload byte of ifaddrmsg, rtmsg, ndmsg) set to `family`.
pub fn with_family(message: &[u8], family: u8) -> Vec<u8> {
    let mut copy = message.to_vec();
    if let Some(b) = copy.get_mut(16) {
        *b = family;
    }
    copy
}

/// Read every attribute with every typed getter, and walk each payload as a
/// nest, to depth 8.
pub fn walk(attrs: Attrs<'_>, depth: u32) {
    for attr in attrs {
        let Ok(attr) = attr else { return };
        let _ = (
            attr.u8(),
            attr.u16(),
            attr.u16_be(),
            attr.u32(),
            attr.u32_be(),
        );
        let _ = (attr.i32(), attr.u64(), attr.c_str(), attr.c_str_lossy());
        if depth < 8 {
            walk(attr.nested(), depth + 1);
        }
    }
}

/// The attributes of `msg` after a family header of `fixed_len` bytes, walked.
pub fn walk_message(msg: &Message<'_>, fixed_len: usize) {
    walk(Attrs::new(msg.payload().get(fixed_len..).unwrap_or(&[])), 0);
}
