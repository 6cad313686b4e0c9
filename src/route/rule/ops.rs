//! Rule operations: [`RuleSpec`], the request builders (pure: they return a
//! [`Request`] whose bytes the unit tests compare with what iproute2 6.1
//! sends) and the operations that send them (I/O).
//!
//! The builders apply iproute2's defaults: adding, the action is
//! `FR_ACT_TO_TBL` and the table main unless a table, an action or
//! `l3mdev` was given; the family is `AF_INET` unless set. Attributes go in
//! the order of iproute2's parser: `FRA_SRC`, `FRA_DST`, `FRA_PRIORITY`,
//! `FRA_FWMARK`, `FRA_FWMASK`, `FRA_FLOW`, `FRA_PROTOCOL`, `FRA_TUN_ID`,
//! `FRA_TABLE`, `FRA_SUPPRESS_PREFIXLEN`, `FRA_SUPPRESS_IFGROUP`,
//! `FRA_IIFNAME`, `FRA_OIFNAME`, `FRA_L3MDEV`, `FRA_UID_RANGE`,
//! `FRA_IP_PROTO`, `FRA_SPORT_RANGE`, `FRA_DPORT_RANGE`, `FRA_GOTO`
//! (iproute2 follows the command line; a command written in this order gets
//! the same bytes).

use std::net::IpAddr;

use zerocopy::IntoBytes;

use super::consts::*;
use super::view::{FibRuleHdr, FibRulePortRange, FibRuleUidRange, Rule};
use crate::error::{Error, Result};
use crate::netlink::header::{NLM_F_CREATE, NLM_F_EXCL};
use crate::netlink::{Attrs, Connection, DumpStatus, MessageBuilder, Request};
use crate::route::prefix::addr_bytes;
use crate::route::route::RT_TABLE_MAIN;

/// A `from` / `to` selector as iproute2 sends it: `addr` `None` is `all`
/// (an attribute with no bytes), otherwise the address as typed (host bits
/// are not cleared) and its prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleAddr {
    pub addr: Option<IpAddr>,
    pub len: u8,
}

/// A rule to add or delete. `Default` is an IPv4 rule that matches
/// everything; unset fields are not sent (and, deleting, match any rule).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSpec {
    /// `AF_INET` or `AF_INET6`; 0 is sent as `AF_INET`, as iproute2 does.
    pub family: u8,
    /// `not`: invert the selector (`FIB_RULE_INVERT`).
    pub invert: bool,
    pub src: Option<RuleAddr>,
    pub dst: Option<RuleAddr>,
    /// `FRA_PRIORITY`; unset, the kernel picks one below the first rule
    /// after priority 0.
    pub priority: Option<u32>,
    /// The header's `tos`.
    pub tos: u8,
    pub fwmark: Option<u32>,
    pub fwmask: Option<u32>,
    /// `FRA_FLOW`: realms (source << 16 | destination).
    pub flow: Option<u32>,
    /// `FRA_PROTOCOL` (`RTPROT_*`).
    pub protocol: Option<u8>,
    /// `FRA_TUN_ID`, host order (sent big-endian).
    pub tun_id: Option<u64>,
    /// Tables below 256 go in the header, others in `FRA_TABLE`. `None`
    /// when adding a rule without action or `l3mdev`: main.
    pub table: Option<u32>,
    pub suppress_prefixlen: Option<u32>,
    pub suppress_ifgroup: Option<u32>,
    /// Interface names (`FRA_IIFNAME`, `FRA_OIFNAME`): the kernel matches
    /// names (bytes), so the device need not exist.
    pub iif: Option<Vec<u8>>,
    pub oif: Option<Vec<u8>>,
    /// `FRA_L3MDEV`: use the table of the l3mdev (VRF) device.
    pub l3mdev: bool,
    pub uid_range: Option<FibRuleUidRange>,
    pub ip_proto: Option<u8>,
    pub sport: Option<FibRulePortRange>,
    pub dport: Option<FibRulePortRange>,
    /// `FRA_GOTO`: the priority to jump to (with action `FR_ACT_GOTO`).
    pub goto: Option<u32>,
    /// `FR_ACT_*`; `None`: to-table when adding, unspecified when deleting.
    pub action: Option<u8>,
}

fn put_addr(m: &mut MessageBuilder, kind: u16, a: &RuleAddr) {
    match &a.addr {
        Some(addr) => m.put(kind, &addr_bytes(addr)),
        None => m.put(kind, &[]),
    };
}

fn rule_request(message_type: u16, flags: u16, spec: &RuleSpec) -> Result<Request> {
    let adding = message_type == RTM_NEWRULE;
    let action = spec
        .action
        .unwrap_or(if adding { FR_ACT_TO_TBL } else { FR_ACT_UNSPEC });
    let table = match spec.table {
        Some(t) => t,
        None if adding && spec.action.is_none() && !spec.l3mdev => RT_TABLE_MAIN,
        None => 0,
    };
    let mut m = MessageBuilder::new(message_type, flags);
    m.header(&FibRuleHdr {
        family: if spec.family == 0 {
            libc::AF_INET as u8
        } else {
            spec.family
        },
        dst_len: spec.dst.map_or(0, |a| a.len),
        src_len: spec.src.map_or(0, |a| a.len),
        tos: spec.tos,
        table: u8::try_from(table).unwrap_or(0),
        action,
        flags: if spec.invert { FIB_RULE_INVERT } else { 0 },
        ..Default::default()
    });
    if let Some(a) = &spec.src {
        put_addr(&mut m, FRA_SRC, a);
    }
    if let Some(a) = &spec.dst {
        put_addr(&mut m, FRA_DST, a);
    }
    if let Some(p) = spec.priority {
        m.put_u32(FRA_PRIORITY, p);
    }
    if let Some(v) = spec.fwmark {
        m.put_u32(FRA_FWMARK, v);
    }
    if let Some(v) = spec.fwmask {
        m.put_u32(FRA_FWMASK, v);
    }
    if let Some(v) = spec.flow {
        m.put_u32(FRA_FLOW, v);
    }
    if let Some(v) = spec.protocol {
        m.put_u8(FRA_PROTOCOL, v);
    }
    if let Some(v) = spec.tun_id {
        m.put(FRA_TUN_ID, &v.to_be_bytes());
    }
    if table > 255 {
        m.put_u32(FRA_TABLE, table);
    }
    if let Some(v) = spec.suppress_prefixlen {
        m.put_u32(FRA_SUPPRESS_PREFIXLEN, v);
    }
    if let Some(v) = spec.suppress_ifgroup {
        m.put_u32(FRA_SUPPRESS_IFGROUP, v);
    }
    if let Some(v) = &spec.iif {
        m.put_c_bytes(FRA_IIFNAME, v);
    }
    if let Some(v) = &spec.oif {
        m.put_c_bytes(FRA_OIFNAME, v);
    }
    if spec.l3mdev {
        m.put_u8(FRA_L3MDEV, 1);
    }
    if let Some(r) = &spec.uid_range {
        m.put(FRA_UID_RANGE, r.as_bytes());
    }
    if let Some(v) = spec.ip_proto {
        m.put_u8(FRA_IP_PROTO, v);
    }
    if let Some(r) = &spec.sport {
        m.put(FRA_SPORT_RANGE, r.as_bytes());
    }
    if let Some(r) = &spec.dport {
        m.put(FRA_DPORT_RANGE, r.as_bytes());
    }
    if let Some(v) = spec.goto {
        m.put_u32(FRA_GOTO, v);
    }
    m.finish()
}

/// `RTM_NEWRULE` with `NLM_F_CREATE | NLM_F_EXCL` (`ip rule add`).
pub fn add_rule_request(spec: &RuleSpec) -> Result<Request> {
    rule_request(RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, spec)
}

/// `RTM_DELRULE` (`ip rule del`): the kernel deletes the first rule that
/// matches every field given.
pub fn delete_rule_request(spec: &RuleSpec) -> Result<Request> {
    rule_request(RTM_DELRULE, 0, spec)
}

/// `RTM_DELRULE` for a dumped rule: its header and attributes sent back as
/// they came, as `ip rule flush` does.
pub fn delete_dumped_rule_request(rule: &Rule<'_>) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_DELRULE, 0);
    m.header(&rule.header);
    for attr in Attrs::new(rule.attrs) {
        let attr = attr?;
        m.put(attr.kind(), attr.payload());
    }
    m.finish()
}

/// `RTM_GETRULE` dump request of `family` (0: every family).
pub fn dump_rules_request(family: u8) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETRULE, 0);
    m.header(&FibRuleHdr {
        family,
        ..Default::default()
    });
    m.finish()
}

/// Add a rule; fails with `EEXIST` when an identical one exists.
#[doc(alias = "RTM_NEWRULE")]
pub fn add_rule(conn: &mut Connection, spec: &RuleSpec) -> Result<()> {
    conn.execute(add_rule_request(spec)?)
}

/// Delete the first rule matching `spec`; `ENOENT` when none does.
#[doc(alias = "RTM_DELRULE")]
pub fn delete_rule(conn: &mut Connection, spec: &RuleSpec) -> Result<()> {
    conn.execute(delete_rule_request(spec)?)
}

/// Each rule of `family` (0: all), handed to `f` as a view borrowed from
/// the receive buffer, in the kernel's order (by priority): nothing is kept.
/// An error of `f` (or a rule the view cannot read) ends the dump. Says
/// whether the rules changed while they were read.
#[doc(alias = "RTM_GETRULE")]
pub fn for_each_rule<E, F>(
    conn: &mut Connection,
    family: u8,
    mut f: F,
) -> std::result::Result<DumpStatus, E>
where
    E: From<Error>,
    F: FnMut(&Rule<'_>) -> std::result::Result<(), E>,
{
    conn.dump(dump_rules_request(family)?, |msg| {
        if msg.message_type() != RTM_NEWRULE {
            return Ok(());
        }
        let r = Rule::parse(&msg).map_err(Error::from)?;
        if family == 0 || r.family() == family {
            f(&r)?;
        }
        Ok(())
    })
}
