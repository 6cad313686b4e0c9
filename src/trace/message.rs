//! One datagram as text: a block per netlink message, its header on the first
//! line (`> RTM_NEWLINK len 88 flags REQUEST|ACK|CREATE|EXCL seq 1 port 0`),
//! its family header and attributes indented below.
//!
//! Invariant: [`describe`] never panics and never reads outside the datagram;
//! a header whose length does not fit is said so and ends the datagram.

use std::fmt::Write;

use zerocopy::FromBytes;

use super::control;
use super::render::{flags, header_and_attributes, hex_lines, start, Ctx};
use super::spec::{names, Names, Op, Protocol};
use super::PROTOCOLS;
use crate::netlink::header::*;
use crate::netlink::trace_hook::Direction;

/// `NLMSG_*` control message types.
static NLMSG: Names = Names {
    strip: &[],
    list: names![NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN],
};

/// Flags of any message; the upper byte depends on the message.
static BASE_FLAGS: Names = Names {
    strip: &["NLM_F_"],
    list: names![
        NLM_F_REQUEST,
        NLM_F_MULTI,
        NLM_F_ACK,
        NLM_F_ECHO,
        NLM_F_DUMP_INTR,
        NLM_F_DUMP_FILTERED,
    ],
};

/// Flags of a GET request: `DUMP` is `ROOT|MATCH`.
static GET_FLAGS: Names = Names {
    strip: &["NLM_F_"],
    list: names![
        NLM_F_REQUEST,
        NLM_F_MULTI,
        NLM_F_ACK,
        NLM_F_ECHO,
        NLM_F_DUMP_INTR,
        NLM_F_DUMP_FILTERED,
        NLM_F_DUMP,
        NLM_F_ROOT,
        NLM_F_MATCH,
        NLM_F_ATOMIC,
    ],
};

/// Flags of a NEW request (and of the kernel's notifications of new objects).
static NEW_FLAGS: Names = Names {
    strip: &["NLM_F_"],
    list: names![
        NLM_F_REQUEST,
        NLM_F_MULTI,
        NLM_F_ACK,
        NLM_F_ECHO,
        NLM_F_DUMP_INTR,
        NLM_F_DUMP_FILTERED,
        NLM_F_CREATE,
        NLM_F_EXCL,
        NLM_F_REPLACE,
        NLM_F_APPEND,
    ],
};

/// Flags of a DEL request.
static DEL_FLAGS: Names = Names {
    strip: &["NLM_F_"],
    list: names![
        NLM_F_REQUEST,
        NLM_F_MULTI,
        NLM_F_ACK,
        NLM_F_ECHO,
        NLM_F_DUMP_INTR,
        NLM_F_DUMP_FILTERED,
        NLM_F_NONREC,
        NLM_F_BULK,
    ],
};

/// Flags of `NLMSG_ERROR` and `NLMSG_DONE`.
static ACK_FLAGS: Names = Names {
    strip: &["NLM_F_"],
    list: names![
        NLM_F_REQUEST,
        NLM_F_MULTI,
        NLM_F_ACK,
        NLM_F_ECHO,
        NLM_F_DUMP_INTR,
        NLM_F_DUMP_FILTERED,
        NLM_F_CAPPED,
        NLM_F_ACK_TLVS,
    ],
};

/// Every set of names of this file, for tests.
#[cfg(test)]
pub(crate) fn names() -> [&'static Names; 6] {
    [
        &NLMSG,
        &BASE_FLAGS,
        &GET_FLAGS,
        &NEW_FLAGS,
        &DEL_FLAGS,
        &ACK_FLAGS,
    ]
}

/// Append the description of `datagram`, sent to or received from the kernel
/// on a socket of `protocol` (`NETLINK_ROUTE`, ...), to `out`: one block per
/// message, lines starting `>` for sent and `<` for received messages.
pub fn describe(out: &mut String, direction: Direction, protocol: i32, datagram: &[u8]) {
    let arrow = match direction {
        Direction::Sent => '>',
        Direction::Received => '<',
    };
    let proto = PROTOCOLS.iter().copied().find(|p| p.number == protocol);
    let ctx = Ctx {
        family: 0,
        depth: 0,
        indent: 4,
    };
    if datagram.is_empty() {
        let _ = writeln!(out, "{arrow} empty datagram");
        return;
    }
    let mut rest = datagram;
    while !rest.is_empty() {
        let Ok((header, _)) = NlMsgHdr::read_from_prefix(rest) else {
            let _ = writeln!(
                out,
                "{arrow} malformed nlmsghdr: need {NLMSG_HDRLEN} bytes, got {}",
                rest.len()
            );
            hex_lines(out, rest, ctx.indent);
            return;
        };
        out.push(arrow);
        out.push(' ');
        header_text(out, &header, proto);
        if proto.is_none() {
            let _ = write!(out, " (netlink protocol {protocol})");
        }
        out.push('\n');
        let len = header.nlmsg_len as usize;
        if len < NLMSG_HDRLEN || len > rest.len() {
            start(out, ctx.indent);
            let _ = writeln!(
                out,
                "malformed nlmsghdr: length {len} does not fit the {} bytes left",
                rest.len()
            );
            hex_lines(out, &rest[NLMSG_HDRLEN..], ctx.indent);
            return;
        }
        body(out, &header, &rest[NLMSG_HDRLEN..len], proto, ctx);
        rest = rest.get(align(len)..).unwrap_or(&[]);
    }
}

/// `RTM_NEWLINK len 88 flags REQUEST|ACK|CREATE|EXCL seq 1700000001 port 0`.
pub(crate) fn header_text(out: &mut String, header: &NlMsgHdr, proto: Option<&Protocol>) {
    let t = header.nlmsg_type;
    let spec = proto.and_then(|p| p.message(t));
    match (NLMSG.name_of(u64::from(t)), spec) {
        (Some(name), _) => out.push_str(name),
        (None, Some(spec)) => out.push_str(spec.name),
        (None, None) => {
            let _ = write!(out, "type {t}");
        }
    }
    let names = match (t, spec.map(|s| s.op)) {
        (NLMSG_ERROR | NLMSG_DONE, _) => &ACK_FLAGS,
        (_, Some(Op::Get)) => &GET_FLAGS,
        (_, Some(Op::New)) => &NEW_FLAGS,
        (_, Some(Op::Del)) => &DEL_FLAGS,
        _ => &BASE_FLAGS,
    };
    let _ = write!(
        out,
        " len {} flags {} seq {} port {}",
        header.nlmsg_len,
        flags(u64::from(header.nlmsg_flags), names),
        header.nlmsg_seq,
        header.nlmsg_pid
    );
}

/// The lines below a message's header: the control message's fields, or the
/// family header and attributes of a known message type, or hex.
pub(crate) fn body(
    out: &mut String,
    header: &NlMsgHdr,
    payload: &[u8],
    proto: Option<&Protocol>,
    ctx: Ctx,
) {
    match header.nlmsg_type {
        NLMSG_ERROR => control::error(out, header.nlmsg_flags, payload, proto, ctx),
        NLMSG_DONE => control::done(out, header.nlmsg_flags, payload, ctx),
        t => match proto.and_then(|p| p.message(t)) {
            Some(spec) => header_and_attributes(out, spec.header, spec.attrs, payload, ctx),
            None => hex_lines(out, payload, ctx.indent),
        },
    }
}
