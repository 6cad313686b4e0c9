//! The control messages every netlink protocol shares, for the trace:
//! `NLMSG_ERROR` (the ack or refusal, the echoed request header, the
//! extended-ack attributes) and `NLMSG_DONE` (the end of a dump and its error
//! code), and the tables of `NLMSGERR_ATTR_*` and `NL_POLICY_TYPE_ATTR_*`
//! (linux/netlink.h).

use std::fmt::Write;

use zerocopy::FromBytes;

use super::errno::ERRNO;
use super::message::{body, header_text};
use super::render::{attributes, hex_lines, start, Ctx, MAX_DEPTH};
use super::spec::Int::*;
use super::spec::Value::*;
use super::spec::{names, table, Names, Protocol, Table};
use crate::error::errno_text;
use crate::netlink::header::*;

// enum netlink_policy_type_attr and enum netlink_attribute_type.
const NL_POLICY_TYPE_ATTR_TYPE: u16 = 1;
const NL_POLICY_TYPE_ATTR_MIN_VALUE_S: u16 = 2;
const NL_POLICY_TYPE_ATTR_MAX_VALUE_S: u16 = 3;
const NL_POLICY_TYPE_ATTR_MIN_VALUE_U: u16 = 4;
const NL_POLICY_TYPE_ATTR_MAX_VALUE_U: u16 = 5;
const NL_POLICY_TYPE_ATTR_MIN_LENGTH: u16 = 6;
const NL_POLICY_TYPE_ATTR_MAX_LENGTH: u16 = 7;
const NL_POLICY_TYPE_ATTR_POLICY_IDX: u16 = 8;
const NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE: u16 = 9;
const NL_POLICY_TYPE_ATTR_BITFIELD32_MASK: u16 = 10;
const NL_POLICY_TYPE_ATTR_PAD: u16 = 11;
const NL_POLICY_TYPE_ATTR_MASK: u16 = 12;
const NL_ATTR_TYPE_INVALID: u32 = 0;
const NL_ATTR_TYPE_FLAG: u32 = 1;
const NL_ATTR_TYPE_U8: u32 = 2;
const NL_ATTR_TYPE_U16: u32 = 3;
const NL_ATTR_TYPE_U32: u32 = 4;
const NL_ATTR_TYPE_U64: u32 = 5;
const NL_ATTR_TYPE_S8: u32 = 6;
const NL_ATTR_TYPE_S16: u32 = 7;
const NL_ATTR_TYPE_S32: u32 = 8;
const NL_ATTR_TYPE_S64: u32 = 9;
const NL_ATTR_TYPE_BINARY: u32 = 10;
const NL_ATTR_TYPE_STRING: u32 = 11;
const NL_ATTR_TYPE_NUL_STRING: u32 = 12;
const NL_ATTR_TYPE_NESTED: u32 = 13;
const NL_ATTR_TYPE_NESTED_ARRAY: u32 = 14;
const NL_ATTR_TYPE_BITFIELD32: u32 = 15;

static NL_ATTR_TYPE: Names = Names {
    strip: &[],
    list: names![
        NL_ATTR_TYPE_INVALID,
        NL_ATTR_TYPE_FLAG,
        NL_ATTR_TYPE_U8,
        NL_ATTR_TYPE_U16,
        NL_ATTR_TYPE_U32,
        NL_ATTR_TYPE_U64,
        NL_ATTR_TYPE_S8,
        NL_ATTR_TYPE_S16,
        NL_ATTR_TYPE_S32,
        NL_ATTR_TYPE_S64,
        NL_ATTR_TYPE_BINARY,
        NL_ATTR_TYPE_STRING,
        NL_ATTR_TYPE_NUL_STRING,
        NL_ATTR_TYPE_NESTED,
        NL_ATTR_TYPE_NESTED_ARRAY,
        NL_ATTR_TYPE_BITFIELD32,
    ],
};

/// The extended-ack attributes after an `NLMSG_ERROR` or `NLMSG_DONE`.
/// `NLMSGERR_ATTR_OFFS` and `NLMSGERR_ATTR_MISS_NEST` are byte offsets into
/// the request.
pub(crate) static NLMSGERR: Table = table![
    NLMSGERR_ATTR_MSG => Str,
    NLMSGERR_ATTR_OFFS => Num(U32),
    NLMSGERR_ATTR_COOKIE => Binary,
    NLMSGERR_ATTR_POLICY => Nest(&POLICY),
    NLMSGERR_ATTR_MISS_TYPE => Num(U32),
    NLMSGERR_ATTR_MISS_NEST => Num(U32),
];

/// What the kernel's policy wanted of the rejected attribute.
static POLICY: Table = table![
    NL_POLICY_TYPE_ATTR_TYPE => Enum(U32, &NL_ATTR_TYPE),
    NL_POLICY_TYPE_ATTR_MIN_VALUE_S => Num(S64),
    NL_POLICY_TYPE_ATTR_MAX_VALUE_S => Num(S64),
    NL_POLICY_TYPE_ATTR_MIN_VALUE_U => Num(U64),
    NL_POLICY_TYPE_ATTR_MAX_VALUE_U => Num(U64),
    NL_POLICY_TYPE_ATTR_MIN_LENGTH => Num(U32),
    NL_POLICY_TYPE_ATTR_MAX_LENGTH => Num(U32),
    NL_POLICY_TYPE_ATTR_POLICY_IDX => Num(U32),
    NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE => Num(U32),
    NL_POLICY_TYPE_ATTR_BITFIELD32_MASK => Hex(U32),
    NL_POLICY_TYPE_ATTR_PAD => Binary,
    NL_POLICY_TYPE_ATTR_MASK => Hex(U64),
];

/// `ack (error 0)`, `error -17 EEXIST (File exists)`.
fn outcome(out: &mut String, code: i32, ack: bool, indent: usize) {
    start(out, indent);
    if code == 0 {
        out.push_str(if ack { "ack (error 0)\n" } else { "error 0\n" });
        return;
    }
    let _ = write!(out, "error {code}");
    if code < 0 {
        let errno = code.unsigned_abs();
        if let Some(name) = ERRNO.name_of(u64::from(errno)) {
            let _ = write!(out, " {name}");
        }
        let _ = write!(out, " ({})", errno_text(errno as i32));
    }
    out.push('\n');
}

/// The payload of an `NLMSG_ERROR`: `struct nlmsgerr` (the error code and
/// the request's header), the rest of the request unless the answer is
/// `NLM_F_CAPPED`, then extended-ack attributes when `NLM_F_ACK_TLVS` says so.
pub(crate) fn error(
    out: &mut String,
    flags: u16,
    payload: &[u8],
    proto: Option<&Protocol>,
    ctx: Ctx,
) {
    let (Some(code), Some((request, _))) = (
        payload.get(..4).and_then(|b| i32::read_from_bytes(b).ok()),
        payload
            .get(4..)
            .and_then(|b| NlMsgHdr::read_from_prefix(b).ok()),
    ) else {
        start(out, ctx.indent);
        let _ = writeln!(
            out,
            "malformed nlmsgerr: need 20 bytes, got {}",
            payload.len()
        );
        hex_lines(out, payload, ctx.indent);
        return;
    };
    outcome(out, code, true, ctx.indent);
    start(out, ctx.indent);
    out.push_str("request ");
    header_text(out, &request, proto);
    out.push('\n');
    let mut tlv_start = 4 + NLMSG_HDRLEN;
    if flags & NLM_F_CAPPED == 0 {
        let len = request.nlmsg_len as usize;
        let end = (4 + len).min(payload.len());
        let echoed = payload.get(tlv_start..end).unwrap_or(&[]);
        if len < NLMSG_HDRLEN || 4 + len > payload.len() {
            start(out, ctx.indent + 2);
            let _ = writeln!(
                out,
                "malformed echo: length {len}, {} bytes echoed",
                NLMSG_HDRLEN + echoed.len()
            );
            hex_lines(out, echoed, ctx.indent + 2);
            return;
        }
        if ctx.depth < MAX_DEPTH {
            body(out, &request, echoed, proto, ctx.deeper());
        } else {
            hex_lines(out, echoed, ctx.indent + 2);
        }
        tlv_start = 4 + align(len);
    }
    extended_ack(out, flags, payload.get(tlv_start..).unwrap_or(&[]), ctx);
}

/// The payload of an `NLMSG_DONE`: the dump's error code (absent from very
/// old kernels), then extended-ack attributes when `NLM_F_ACK_TLVS` says so.
pub(crate) fn done(out: &mut String, flags: u16, payload: &[u8], ctx: Ctx) {
    let Some(code) = payload.get(..4).and_then(|b| i32::read_from_bytes(b).ok()) else {
        if !payload.is_empty() {
            hex_lines(out, payload, ctx.indent);
        }
        return;
    };
    outcome(out, code, false, ctx.indent);
    extended_ack(out, flags, &payload[4..], ctx);
}

fn extended_ack(out: &mut String, flags: u16, rest: &[u8], ctx: Ctx) {
    if flags & NLM_F_ACK_TLVS != 0 {
        attributes(out, rest, &NLMSGERR, ctx);
    } else if !rest.is_empty() {
        start(out, ctx.indent);
        let _ = writeln!(out, "{} more bytes", rest.len());
        hex_lines(out, rest, ctx.indent);
    }
}
