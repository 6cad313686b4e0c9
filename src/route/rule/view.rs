//! The wire side of a rule: `struct fib_rule_hdr`, `struct
//! fib_rule_uid_range`, `struct fib_rule_port_range`, and the borrowed view
//! [`Rule`].
//!
//! Invariants: [`Rule::parse`] reads one message in one pass and never
//! panics; an attribute it reads that is malformed fails with its name,
//! others are skipped. Address attributes are read only for `AF_INET` /
//! `AF_INET6`. The view keeps the raw attributes, so that a dumped rule can
//! be sent back as it is (`ip rule flush` deletes that way).

use std::net::IpAddr;

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use super::consts::*;
use crate::error::{DecodeError, Problem};
use crate::netlink::{Attr, Message};
use crate::route::prefix::ip_addr_attr;

/// `struct fib_rule_hdr` (linux/fib_rules.h).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct FibRuleHdr {
    pub family: u8,
    /// Prefix lengths of `FRA_DST` and `FRA_SRC`, in bits.
    pub dst_len: u8,
    pub src_len: u8,
    /// The TOS (DSCP and ECN bits) to match; 0 matches any.
    pub tos: u8,
    /// `RT_TABLE_*`; tables above 255 are in `FRA_TABLE`.
    pub table: u8,
    pub res1: u8,
    pub res2: u8,
    /// `FR_ACT_*`.
    pub action: u8,
    /// `FIB_RULE_*` flags.
    pub flags: u32,
}
const _: () = assert!(core::mem::size_of::<FibRuleHdr>() == 12);

/// `struct fib_rule_uid_range`: inclusive.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct FibRuleUidRange {
    pub start: u32,
    pub end: u32,
}
const _: () = assert!(core::mem::size_of::<FibRuleUidRange>() == 8);

/// `struct fib_rule_port_range`: inclusive, host byte order.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct FibRulePortRange {
    pub start: u16,
    pub end: u16,
}
const _: () = assert!(core::mem::size_of::<FibRulePortRange>() == 4);

/// One rule as the kernel reported it, borrowed from its message. `None`
/// means the kernel did not send the attribute.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rule<'a> {
    /// The message type: `RTM_NEWRULE`, or `RTM_DELRULE` in a notification.
    pub message_type: u16,
    /// The fixed header as received.
    pub header: FibRuleHdr,
    /// The table: `FRA_TABLE` when present, else the header's.
    pub table: u32,
    /// `FRA_PRIORITY`; the kernel leaves it out for priority 0.
    pub priority: Option<u32>,
    pub src: Option<IpAddr>,
    pub dst: Option<IpAddr>,
    /// `FRA_IIFNAME` / `FRA_OIFNAME`: interface names, any bytes.
    pub iif: Option<&'a [u8]>,
    pub oif: Option<&'a [u8]>,
    pub goto: Option<u32>,
    pub fwmark: Option<u32>,
    pub fwmask: Option<u32>,
    /// `FRA_FLOW`: realms.
    pub flow: Option<u32>,
    /// `FRA_TUN_ID`, converted to host order.
    pub tun_id: Option<u64>,
    /// `FRA_SUPPRESS_IFGROUP`; `u32::MAX` (-1) is unset.
    pub suppress_ifgroup: Option<u32>,
    /// `FRA_SUPPRESS_PREFIXLEN`; `u32::MAX` (-1) is unset.
    pub suppress_prefixlen: Option<u32>,
    pub l3mdev: Option<u8>,
    pub uid_range: Option<FibRuleUidRange>,
    pub protocol: Option<u8>,
    pub ip_proto: Option<u8>,
    pub sport: Option<FibRulePortRange>,
    pub dport: Option<FibRulePortRange>,
    /// The attributes as received, for sending the rule back.
    pub attrs: &'a [u8],
}

fn u32_attr(a: &Attr<'_>, name: &'static str) -> Result<u32, DecodeError> {
    a.u32().map_err(|e| e.named(name))
}

fn u8_attr(a: &Attr<'_>, name: &'static str) -> Result<u8, DecodeError> {
    a.u8().map_err(|e| e.named(name))
}

fn fixed_attr<T: FromBytes>(a: &Attr<'_>, name: &'static str) -> Result<T, DecodeError> {
    let want = core::mem::size_of::<T>();
    T::read_from_bytes(a.payload()).map_err(|_| {
        DecodeError::new(
            name,
            Problem::Length {
                want,
                got: a.payload().len(),
            },
        )
    })
}

impl<'a> Rule<'a> {
    /// Read an `RTM_NEWRULE` / `RTM_DELRULE` message.
    pub fn parse(msg: &Message<'a>) -> Result<Rule<'a>, DecodeError> {
        let (header, attrs) = msg.fixed::<FibRuleHdr>("fib_rule_hdr")?;
        let fam = header.family;
        let ip = fam == libc::AF_INET as u8 || fam == libc::AF_INET6 as u8;
        let raw = msg
            .payload()
            .get(crate::netlink::header::align(core::mem::size_of::<FibRuleHdr>())..)
            .unwrap_or(&[]);
        let mut r = Rule {
            message_type: msg.message_type(),
            header,
            table: u32::from(header.table),
            attrs: raw,
            ..Rule::default()
        };
        for attr in attrs {
            let attr = attr?;
            match attr.kind() {
                FRA_SRC if ip => r.src = Some(ip_addr_attr(fam, &attr, "FRA_SRC")?),
                FRA_DST if ip => r.dst = Some(ip_addr_attr(fam, &attr, "FRA_DST")?),
                FRA_IIFNAME => r.iif = Some(attr.c_bytes().map_err(|e| e.named("FRA_IIFNAME"))?),
                FRA_OIFNAME => r.oif = Some(attr.c_bytes().map_err(|e| e.named("FRA_OIFNAME"))?),
                FRA_GOTO => r.goto = Some(u32_attr(&attr, "FRA_GOTO")?),
                FRA_PRIORITY => r.priority = Some(u32_attr(&attr, "FRA_PRIORITY")?),
                FRA_FWMARK => r.fwmark = Some(u32_attr(&attr, "FRA_FWMARK")?),
                FRA_FWMASK => r.fwmask = Some(u32_attr(&attr, "FRA_FWMASK")?),
                FRA_FLOW => r.flow = Some(u32_attr(&attr, "FRA_FLOW")?),
                FRA_TUN_ID => {
                    r.tun_id = Some(u64::from_be(attr.u64().map_err(|e| e.named("FRA_TUN_ID"))?))
                }
                FRA_SUPPRESS_IFGROUP => {
                    r.suppress_ifgroup = Some(u32_attr(&attr, "FRA_SUPPRESS_IFGROUP")?)
                }
                FRA_SUPPRESS_PREFIXLEN => {
                    r.suppress_prefixlen = Some(u32_attr(&attr, "FRA_SUPPRESS_PREFIXLEN")?)
                }
                FRA_TABLE => r.table = u32_attr(&attr, "FRA_TABLE")?,
                FRA_L3MDEV => r.l3mdev = Some(u8_attr(&attr, "FRA_L3MDEV")?),
                FRA_UID_RANGE => r.uid_range = Some(fixed_attr(&attr, "FRA_UID_RANGE")?),
                FRA_PROTOCOL => r.protocol = Some(u8_attr(&attr, "FRA_PROTOCOL")?),
                FRA_IP_PROTO => r.ip_proto = Some(u8_attr(&attr, "FRA_IP_PROTO")?),
                FRA_SPORT_RANGE => r.sport = Some(fixed_attr(&attr, "FRA_SPORT_RANGE")?),
                FRA_DPORT_RANGE => r.dport = Some(fixed_attr(&attr, "FRA_DPORT_RANGE")?),
                _ => {}
            }
        }
        Ok(r)
    }

    pub fn family(&self) -> u8 {
        self.header.family
    }

    /// The rule's priority: 0 when the kernel sent none.
    pub fn preference(&self) -> u32 {
        self.priority.unwrap_or(0)
    }

    /// Whether the selector is inverted (`not`).
    pub fn inverted(&self) -> bool {
        self.header.flags & FIB_RULE_INVERT != 0
    }
}
