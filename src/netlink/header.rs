//! Netlink wire headers (`struct nlmsghdr`, `struct nlmsgerr`, `struct nlattr`)
//! and their constants, with the kernel's names (linux/netlink.h).
//!
//! The structs are `#[repr(C)]` zerocopy types in host byte order; their sizes
//! are pinned here and checked against the uapi headers in a test.

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// `struct nlmsghdr`: the 16-byte header in front of every netlink message.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct NlMsgHdr {
    /// Length of the message including this header, in bytes.
    pub nlmsg_len: u32,
    /// `NLMSG_*` control type or a family's message type (`RTM_NEWLINK`, ...).
    pub nlmsg_type: u16,
    /// `NLM_F_*` flags.
    pub nlmsg_flags: u16,
    pub nlmsg_seq: u32,
    /// Port id of the sender; 0 for the kernel.
    pub nlmsg_pid: u32,
}

/// `struct nlmsgerr`: payload of `NLMSG_ERROR`; `error` is 0 for an ack or a negative errno.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct NlMsgErr {
    pub error: i32,
    /// The header of the request this answers.
    pub msg: NlMsgHdr,
}

/// `struct nlattr`: the 4-byte header of an attribute.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct NlAttr {
    /// Length including this header, excluding padding.
    pub nla_len: u16,
    /// Type, with `NLA_F_NESTED` / `NLA_F_NET_BYTEORDER` in the top bits.
    pub nla_type: u16,
}

const _: () = assert!(core::mem::size_of::<NlMsgHdr>() == 16);
const _: () = assert!(core::mem::size_of::<NlMsgErr>() == 20);
const _: () = assert!(core::mem::size_of::<NlAttr>() == 4);

pub const NLMSG_HDRLEN: usize = core::mem::size_of::<NlMsgHdr>();
pub const NLA_HDRLEN: usize = core::mem::size_of::<NlAttr>();
/// Netlink messages and attributes are padded to 4 bytes.
pub const NLMSG_ALIGNTO: usize = 4;

/// Round `len` up to the netlink alignment (`NLMSG_ALIGN`, `NLA_ALIGN`).
pub const fn align(len: usize) -> usize {
    (len + NLMSG_ALIGNTO - 1) & !(NLMSG_ALIGNTO - 1)
}

// Control message types.
pub const NLMSG_NOOP: u16 = 0x1;
pub const NLMSG_ERROR: u16 = 0x2;
pub const NLMSG_DONE: u16 = 0x3;
pub const NLMSG_OVERRUN: u16 = 0x4;
/// Types below this are reserved for control messages.
pub const NLMSG_MIN_TYPE: u16 = 0x10;

// Flags of every message.
pub const NLM_F_REQUEST: u16 = 0x01;
pub const NLM_F_MULTI: u16 = 0x02;
pub const NLM_F_ACK: u16 = 0x04;
pub const NLM_F_ECHO: u16 = 0x08;
pub const NLM_F_DUMP_INTR: u16 = 0x10;
pub const NLM_F_DUMP_FILTERED: u16 = 0x20;
// Flags of GET requests.
pub const NLM_F_ROOT: u16 = 0x100;
pub const NLM_F_MATCH: u16 = 0x200;
pub const NLM_F_ATOMIC: u16 = 0x400;
pub const NLM_F_DUMP: u16 = NLM_F_ROOT | NLM_F_MATCH;
// Flags of NEW requests.
pub const NLM_F_REPLACE: u16 = 0x100;
pub const NLM_F_EXCL: u16 = 0x200;
pub const NLM_F_CREATE: u16 = 0x400;
pub const NLM_F_APPEND: u16 = 0x800;
// Flags of DELETE requests.
pub const NLM_F_NONREC: u16 = 0x100;
pub const NLM_F_BULK: u16 = 0x200;
// Flags of NLMSG_ERROR messages.
pub const NLM_F_CAPPED: u16 = 0x100;
pub const NLM_F_ACK_TLVS: u16 = 0x200;

// Attribute type bits.
pub const NLA_F_NESTED: u16 = 1 << 15;
pub const NLA_F_NET_BYTEORDER: u16 = 1 << 14;
pub const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

// Extended-ack attributes inside NLMSG_ERROR / NLMSG_DONE (enum nlmsgerr_attrs).
pub const NLMSGERR_ATTR_MSG: u16 = 1;
pub const NLMSGERR_ATTR_OFFS: u16 = 2;
pub const NLMSGERR_ATTR_COOKIE: u16 = 3;
pub const NLMSGERR_ATTR_POLICY: u16 = 4;
pub const NLMSGERR_ATTR_MISS_TYPE: u16 = 5;
pub const NLMSGERR_ATTR_MISS_NEST: u16 = 6;

// Socket protocols and options (SOL_NETLINK).
pub const NETLINK_ROUTE: i32 = 0;
pub const NETLINK_NETFILTER: i32 = 12;
pub const SOL_NETLINK: i32 = 270;
/// Join a multicast group (the group number, not a bit mask, as the value).
pub const NETLINK_ADD_MEMBERSHIP: i32 = 1;
pub const NETLINK_CAP_ACK: i32 = 10;
pub const NETLINK_EXT_ACK: i32 = 11;
pub const NETLINK_GET_STRICT_CHK: i32 = 12;
