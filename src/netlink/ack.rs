//! Reading the kernel's answer to a request: `NLMSG_ERROR` (0 is the ack, a
//! negative errno a refusal) and the error code inside `NLMSG_DONE`, with the
//! extended-ack attributes (`NLMSGERR_ATTR_MSG`, `NLMSGERR_ATTR_OFFS`) turned
//! into a [`KernelError`]. The bytes do not say which netlink protocol they
//! came over: the error says `NETLINK_ROUTE` until the connection that read
//! it says otherwise ([`KernelError::over`]).

use zerocopy::FromBytes;

use super::attr::Attrs;
use super::header::{
    align, NlMsgHdr, NETLINK_ROUTE, NLA_TYPE_MASK, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS,
    NLMSG_HDRLEN, NLM_F_ACK_TLVS, NLM_F_CAPPED,
};
use super::message::Message;
use crate::error::{DecodeError, KernelError, Problem};

/// The outcome carried by an `NLMSG_ERROR` or `NLMSG_DONE` message.
pub type Outcome = Result<(), KernelError>;

/// Decode an `NLMSG_ERROR` message. `request` is the request we sent, used to
/// name the attribute the kernel points at.
pub fn parse_error(msg: &Message<'_>, request: Option<&[u8]>) -> Result<Outcome, DecodeError> {
    let p = msg.payload();
    let (error, rest) = i32::read_from_prefix(p).map_err(|_| {
        DecodeError::new(
            "nlmsgerr",
            Problem::Short {
                want: 4,
                got: p.len(),
            },
        )
    })?;
    let (orig, _) = NlMsgHdr::read_from_prefix(rest).map_err(|_| {
        DecodeError::new(
            "nlmsgerr",
            Problem::Short {
                want: 4 + NLMSG_HDRLEN,
                got: p.len(),
            },
        )
    })?;
    if error == 0 {
        return Ok(Ok(()));
    }
    let mut tlv_start = 4 + NLMSG_HDRLEN;
    if msg.flags() & NLM_F_CAPPED == 0 {
        tlv_start = 4 + align(orig.nlmsg_len as usize);
    }
    let tlvs = if msg.flags() & NLM_F_ACK_TLVS != 0 {
        p.get(tlv_start..).unwrap_or(&[])
    } else {
        &[]
    };
    Ok(Err(kernel_error(error, orig.nlmsg_type, tlvs, request)))
}

/// Decode the error code of an `NLMSG_DONE` that ends a dump (absent on old kernels: success).
pub fn parse_done(msg: &Message<'_>, request: Option<&[u8]>) -> Outcome {
    let p = msg.payload();
    let Ok((error, rest)) = i32::read_from_prefix(p) else {
        return Ok(());
    };
    if error == 0 {
        return Ok(());
    }
    let tlvs = if msg.flags() & NLM_F_ACK_TLVS != 0 {
        rest
    } else {
        &[]
    };
    let request_type = request
        .and_then(|r| NlMsgHdr::read_from_prefix(r).ok())
        .map_or(0, |(h, _)| h.nlmsg_type);
    Err(kernel_error(error, request_type, tlvs, request))
}

fn kernel_error(error: i32, request_type: u16, tlvs: &[u8], request: Option<&[u8]>) -> KernelError {
    let mut message = None;
    let mut offset = None;
    for attr in Attrs::new(tlvs).map_while(Result::ok) {
        match attr.kind() {
            NLMSGERR_ATTR_MSG => message = attr.c_str().ok().map(str::to_string),
            NLMSGERR_ATTR_OFFS => offset = attr.u32().ok(),
            _ => {}
        }
    }
    let attribute = offset.and_then(|off| {
        let off = off as usize;
        let bytes = request?.get(off + 2..off + 4)?;
        Some(u16::from_ne_bytes([bytes[0], bytes[1]]) & NLA_TYPE_MASK)
    });
    KernelError {
        errno: error.saturating_neg(),
        message,
        offset,
        attribute,
        request_type,
        // The connection that read the answer says otherwise for other protocols.
        protocol: NETLINK_ROUTE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::message::Messages;

    /// An NLMSG_ERROR for a 36-byte RTM_NEWLINK, capped, with the text
    /// "bad" and offset 32 (the request's first attribute).
    fn golden_error() -> Vec<u8> {
        let mut v = Vec::new();
        let push16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_ne_bytes());
        let push32 = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_ne_bytes());
        push32(&mut v, 0); // length, patched below
        push16(&mut v, 2);
        push16(&mut v, NLM_F_CAPPED | NLM_F_ACK_TLVS);
        push32(&mut v, 5);
        push32(&mut v, 0);
        v.extend_from_slice(&(-22i32).to_ne_bytes());
        push32(&mut v, 36);
        push16(&mut v, 16);
        push16(&mut v, 0x605);
        push32(&mut v, 5);
        push32(&mut v, 0);
        v.extend_from_slice(&[8, 0, 1, 0, b'b', b'a', b'd', 0]);
        v.extend_from_slice(&[8, 0, 2, 0]);
        push32(&mut v, 32);
        let len = v.len() as u32;
        v[0..4].copy_from_slice(&len.to_ne_bytes());
        v
    }

    #[test]
    fn decodes_extended_ack() {
        let bytes = golden_error();
        let msg = Messages::new(&bytes).next().unwrap().unwrap();
        let mut request = vec![0u8; 36];
        request[34..36].copy_from_slice(&3u16.to_ne_bytes());
        let err = parse_error(&msg, Some(&request)).unwrap().unwrap_err();
        assert_eq!(err.errno, 22);
        assert_eq!(err.message.as_deref(), Some("bad"));
        assert_eq!(err.offset, Some(32));
        assert_eq!(err.attribute, Some(3));
        assert_eq!(err.request_type, 16);
        assert_eq!(err.to_string(), "kernel: Invalid argument: bad");
    }

    #[test]
    fn truncations_never_panic() {
        let bytes = golden_error();
        for cut in 16..bytes.len() {
            let mut b = bytes[..cut].to_vec();
            let len = cut as u32;
            b[0..4].copy_from_slice(&len.to_ne_bytes());
            let msg = Messages::new(&b).next().unwrap().unwrap();
            let r = parse_error(&msg, Some(&[0u8; 8]));
            if cut < 16 + 20 {
                assert!(r.is_err(), "cut {cut}");
            }
        }
    }

    /// The kernel's answers to refused iproute2 requests
    /// (tests/golden/dumps/ext-ack.bin): each quotes the whole request (iproute2
    /// does not set `NETLINK_CAP_ACK`), so the request the offset points into is
    /// the quoted one.
    #[test]
    fn captured_refusals_decode() {
        let bytes = include_bytes!("../../tests/golden/dumps/ext-ack.bin");
        let mut outcomes = Vec::new();
        for msg in Messages::new(bytes) {
            let msg = msg.expect("captured message frames");
            let quoted_request = msg.payload().get(4..);
            outcomes.push(parse_error(&msg, quoted_request).expect("captured error decodes"));
        }
        assert_eq!(outcomes.len(), 16);
        assert_eq!(outcomes.last(), Some(&Ok(())));
        let errors: Vec<_> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
        // `ip link set lo gso_max_size 1`: the policy's range check, pointing at
        // IFLA_GSO_MAX_SIZE (41), the request's first attribute.
        let range = errors
            .iter()
            .find(|e| e.errno == libc::ERANGE)
            .expect("ERANGE");
        assert_eq!(range.message.as_deref(), Some("integer out of range"));
        assert_eq!((range.offset, range.attribute), (Some(32), Some(41)));
        assert_eq!(range.request_type, 16);
        let texts: Vec<_> = errors.iter().filter_map(|e| e.message.as_deref()).collect();
        assert!(texts.contains(&"Nexthop has invalid gateway"));
        assert!(texts.contains(&"VXLAN GPE does not support this combination of attributes"));
        // iproute2's RTM_NEWLINK probe (ENODEV) and the refusals without text.
        assert_eq!(errors.iter().filter(|e| e.errno == libc::ENODEV).count(), 6);
        assert!(errors
            .iter()
            .any(|e| e.errno == libc::ENOENT && e.message.is_none() && e.request_type == 29));
        // Without the request, the attribute cannot be named; the rest is the same.
        let first_range = Messages::new(bytes)
            .map_while(Result::ok)
            .find_map(|m| {
                parse_error(&m, None)
                    .ok()?
                    .err()
                    .filter(|e| e.errno == libc::ERANGE)
            })
            .expect("ERANGE");
        assert_eq!(
            (first_range.offset, first_range.attribute),
            (Some(32), None)
        );
    }

    #[test]
    fn zero_is_an_ack() {
        let mut bytes = golden_error();
        bytes[16..20].copy_from_slice(&0i32.to_ne_bytes());
        let msg = Messages::new(&bytes).next().unwrap().unwrap();
        assert_eq!(parse_error(&msg, None).unwrap(), Ok(()));
    }
}
