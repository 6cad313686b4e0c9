//! Golden bytes for the unit tests (compiled for tests only): the captures
//! under `tests/golden` are hex, two digits a byte, with or without white
//! space between bytes; requests are compared with their sequence number and
//! port id zeroed, as our builders leave them, and with the flags the
//! connection adds when it sends.

use super::header::NLM_F_ACK;
use super::Request;

/// The bytes of a hex capture.
pub(crate) fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    digits
        .chunks(2)
        .map(|pair| {
            let pair = std::str::from_utf8(pair).expect("hex digits");
            u8::from_str_radix(pair, 16).expect("hex byte")
        })
        .collect()
}

/// A captured request with its sequence number and port id zeroed.
pub(crate) fn request_bytes(text: &str) -> Vec<u8> {
    let mut v = hex(text);
    v[8..16].fill(0);
    v
}

/// Our request with `flags` added, as bytes.
pub(crate) fn with_flags(r: &Request, flags: u16) -> Vec<u8> {
    let mut r = r.clone();
    r.add_flags(flags);
    r.as_bytes().to_vec()
}

/// Our request as it goes out: the connection adds `NLM_F_ACK`.
pub(crate) fn sent(r: &Request) -> Vec<u8> {
    with_flags(r, NLM_F_ACK)
}
