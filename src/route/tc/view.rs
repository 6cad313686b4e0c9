//! The wire side of tc objects: `struct tcmsg`, and the borrowed views
//! [`Qdisc`] and [`Filter`] (with the bpf classifier's options,
//! [`BpfOptions`], and the statistics, [`TcStats`]).
//!
//! Invariants: [`Qdisc::parse`] and [`Filter::parse`] read one message in
//! one pass and never panic; an attribute they read that is malformed fails
//! with its kernel name, unknown attributes are skipped. A filter's options
//! are decoded only for kind `bpf`; other kinds keep them as bytes.

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use super::consts::*;
use crate::error::{DecodeError, Problem};
use crate::netlink::{Attr, Message};

/// `struct tcmsg` (linux/rtnetlink.h; not in libc).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable,
)]
#[repr(C)]
pub struct TcMsg {
    pub tcm_family: u8,
    pub tcm_pad1: u8,
    pub tcm_pad2: u16,
    pub tcm_ifindex: i32,
    /// The object's handle (`major:minor`).
    pub tcm_handle: u32,
    /// Where it hangs: `TC_H_ROOT`, `TC_H_INGRESS`, a clsact hook, a class.
    pub tcm_parent: u32,
    /// A qdisc: its reference count. A filter: `TC_H_MAKE(pref << 16,
    /// protocol)`, the protocol in network byte order.
    pub tcm_info: u32,
}
const _: () = assert!(core::mem::size_of::<TcMsg>() == 20);

fn named<T>(r: Result<T, DecodeError>, what: &'static str) -> Result<T, DecodeError> {
    r.map_err(|e| e.named(what))
}

/// What `TCA_STATS2` says (its basic and queue parts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TcStats {
    /// `TCA_STATS_BASIC`: bytes and packets; `TCA_STATS_PKT64` when sent.
    pub bytes: u64,
    pub packets: u64,
    /// `TCA_STATS_QUEUE` (`struct gnet_stats_queue`), when sent.
    pub queue: Option<QueueStats>,
}

/// `struct gnet_stats_queue`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueStats {
    pub qlen: u32,
    pub backlog: u32,
    pub drops: u32,
    pub requeues: u32,
    pub overlimits: u32,
}

/// The `n`th native-endian u32 of `p`, 0 when `p` is shorter (iproute2
/// copies what there is into a zeroed struct).
fn u32_at(p: &[u8], n: usize) -> u32 {
    p.get(n * 4..n * 4 + 4)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_ne_bytes)
}

impl TcStats {
    /// Read a `TCA_STATS2` nest.
    pub fn parse(a: &Attr<'_>) -> Result<TcStats, DecodeError> {
        let mut s = TcStats::default();
        let mut pkt64 = None;
        for inner in a.nested() {
            let inner = named(inner, "TCA_STATS2")?;
            let p = inner.payload();
            match inner.kind() {
                TCA_STATS_BASIC => {
                    s.bytes = p
                        .get(..8)
                        .and_then(|b| b.try_into().ok())
                        .map_or(0, u64::from_ne_bytes);
                    s.packets = u64::from(u32_at(p, 2));
                }
                TCA_STATS_PKT64 => pkt64 = Some(named(inner.u64(), "TCA_STATS_PKT64")?),
                TCA_STATS_QUEUE => {
                    s.queue = Some(QueueStats {
                        qlen: u32_at(p, 0),
                        backlog: u32_at(p, 1),
                        drops: u32_at(p, 2),
                        requeues: u32_at(p, 3),
                        overlimits: u32_at(p, 4),
                    })
                }
                _ => {}
            }
        }
        if let Some(p) = pkt64.filter(|&p| p != 0) {
            s.packets = p;
        }
        Ok(s)
    }
}

/// A qdisc as the kernel reported it (`RTM_NEWQDISC` / `RTM_DELQDISC`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Qdisc<'a> {
    /// The message type: `RTM_NEWQDISC` or `RTM_DELQDISC` (a notification).
    pub message_type: u16,
    pub index: u32,
    pub handle: u32,
    pub parent: u32,
    /// `tcm_info`: the reference count.
    pub refcnt: u32,
    /// `TCA_KIND`: `noqueue`, `clsact`, `ingress`, ...
    pub kind: &'a str,
    /// `TCA_OPTIONS`, undecoded.
    pub options: Option<&'a [u8]>,
    /// `TCA_HW_OFFLOAD`.
    pub offloaded: bool,
    /// `TCA_INGRESS_BLOCK`, `TCA_EGRESS_BLOCK`.
    pub ingress_block: Option<u32>,
    pub egress_block: Option<u32>,
    /// `TCA_STATS2`, undecoded: read it with [`Qdisc::stats`].
    pub stats_attr: Option<Attr<'a>>,
}

impl<'a> Qdisc<'a> {
    /// Decode a qdisc message; one without `TCA_KIND` fails (iproute2:
    /// "print_qdisc: NULL kind").
    pub fn parse(msg: &Message<'a>) -> Result<Qdisc<'a>, DecodeError> {
        let (h, attrs) = msg.fixed::<TcMsg>("tcmsg")?;
        let mut q = Qdisc {
            message_type: msg.message_type(),
            index: h.tcm_ifindex as u32,
            handle: h.tcm_handle,
            parent: h.tcm_parent,
            refcnt: h.tcm_info,
            ..Qdisc::default()
        };
        let mut kind = None;
        for attr in attrs {
            let attr = attr?;
            match attr.kind() {
                TCA_KIND => kind = Some(named(attr.c_str(), "TCA_KIND")?),
                TCA_OPTIONS => q.options = Some(attr.payload()),
                TCA_HW_OFFLOAD => q.offloaded = named(attr.u8(), "TCA_HW_OFFLOAD")? != 0,
                TCA_INGRESS_BLOCK => {
                    q.ingress_block = Some(named(attr.u32(), "TCA_INGRESS_BLOCK")?)
                }
                TCA_EGRESS_BLOCK => q.egress_block = Some(named(attr.u32(), "TCA_EGRESS_BLOCK")?),
                TCA_STATS2 => q.stats_attr = Some(attr),
                _ => {}
            }
        }
        q.kind = kind.ok_or(DecodeError::new(
            "TCA_KIND",
            Problem::Short { want: 1, got: 0 },
        ))?;
        Ok(q)
    }

    /// `TCA_STATS2` decoded; only a caller that reads the counters meets a
    /// malformed nest.
    pub fn stats(&self) -> Result<Option<TcStats>, DecodeError> {
        self.stats_attr.as_ref().map(TcStats::parse).transpose()
    }
}

/// The bpf classifier's options (`TCA_OPTIONS` of kind `bpf`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BpfOptions<'a> {
    /// `TCA_BPF_NAME`: what the program was attached as (tc: `FILE:[SECTION]`).
    pub name: Option<&'a str>,
    /// `TCA_BPF_FLAGS`: `TCA_BPF_FLAG_ACT_DIRECT` is `direct-action`.
    pub flags: Option<u32>,
    /// `TCA_BPF_FLAGS_GEN`: `TCA_CLS_FLAGS_*` (`skip_hw`, `in_hw`, `not_in_hw`...).
    pub flags_gen: Option<u32>,
    /// `TCA_BPF_ID`: the program's id.
    pub id: Option<u32>,
    /// `TCA_BPF_TAG`: the program's tag (8 bytes).
    pub tag: Option<&'a [u8]>,
    /// `TCA_BPF_CLASSID` (`flowid`).
    pub classid: Option<u32>,
    /// A classic BPF program: `TCA_BPF_OPS_LEN` instructions in `TCA_BPF_OPS`.
    pub ops_len: Option<u16>,
    pub ops: Option<&'a [u8]>,
}

impl<'a> BpfOptions<'a> {
    /// Read the `TCA_OPTIONS` nest of a bpf filter.
    pub fn parse(options: &'a [u8]) -> Result<BpfOptions<'a>, DecodeError> {
        let mut o = BpfOptions::default();
        for attr in crate::netlink::Attrs::new(options) {
            let attr = named(attr, "TCA_OPTIONS")?;
            match attr.kind() {
                TCA_BPF_NAME => o.name = Some(named(attr.c_str(), "TCA_BPF_NAME")?),
                TCA_BPF_FLAGS => o.flags = Some(named(attr.u32(), "TCA_BPF_FLAGS")?),
                TCA_BPF_FLAGS_GEN => o.flags_gen = Some(named(attr.u32(), "TCA_BPF_FLAGS_GEN")?),
                TCA_BPF_ID => o.id = Some(named(attr.u32(), "TCA_BPF_ID")?),
                TCA_BPF_TAG => o.tag = Some(attr.payload()),
                TCA_BPF_CLASSID => o.classid = Some(named(attr.u32(), "TCA_BPF_CLASSID")?),
                TCA_BPF_OPS_LEN => o.ops_len = Some(named(attr.u16(), "TCA_BPF_OPS_LEN")?),
                TCA_BPF_OPS => o.ops = Some(attr.payload()),
                _ => {}
            }
        }
        Ok(o)
    }

    /// `da`: the program's return value is the action.
    pub fn direct_action(&self) -> bool {
        self.flags.unwrap_or(0) & TCA_BPF_FLAG_ACT_DIRECT != 0
    }
}

/// A filter (or a chain's placeholder) as the kernel reported it
/// (`RTM_NEWTFILTER` / `RTM_DELTFILTER`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter<'a> {
    pub message_type: u16,
    /// The message's flags (`NLM_F_CREATE`, ... in a notification).
    pub message_flags: u16,
    pub index: u32,
    pub handle: u32,
    pub parent: u32,
    /// `tcm_info` as sent: `TC_H_MAKE(pref << 16, protocol)`.
    pub info: u32,
    /// `TCA_KIND`: `bpf`, `u32`, `flower`, ...
    pub kind: Option<&'a str>,
    /// `TCA_CHAIN`.
    pub chain: Option<u32>,
    /// `TCA_OPTIONS`, undecoded.
    pub options: Option<&'a [u8]>,
    /// `TCA_OPTIONS` decoded, for kind `bpf`.
    pub bpf: Option<BpfOptions<'a>>,
    /// `TCA_STATS2`, undecoded: read it with [`Filter::stats`].
    pub stats_attr: Option<Attr<'a>>,
}

impl<'a> Filter<'a> {
    /// Decode a filter message.
    pub fn parse(msg: &Message<'a>) -> Result<Filter<'a>, DecodeError> {
        let (h, attrs) = msg.fixed::<TcMsg>("tcmsg")?;
        let mut f = Filter {
            message_type: msg.message_type(),
            message_flags: msg.flags(),
            index: h.tcm_ifindex as u32,
            handle: h.tcm_handle,
            parent: h.tcm_parent,
            info: h.tcm_info,
            ..Filter::default()
        };
        for attr in attrs {
            let attr = attr?;
            match attr.kind() {
                TCA_KIND => f.kind = Some(named(attr.c_str(), "TCA_KIND")?),
                TCA_CHAIN => f.chain = Some(named(attr.u32(), "TCA_CHAIN")?),
                TCA_OPTIONS => f.options = Some(attr.payload()),
                TCA_STATS2 => f.stats_attr = Some(attr),
                _ => {}
            }
        }
        if let (Some("bpf"), Some(o)) = (f.kind, f.options) {
            f.bpf = Some(BpfOptions::parse(o)?);
        }
        Ok(f)
    }

    /// `TCA_STATS2` decoded; only a caller that reads the counters meets a
    /// malformed nest.
    pub fn stats(&self) -> Result<Option<TcStats>, DecodeError> {
        self.stats_attr.as_ref().map(TcStats::parse).transpose()
    }

    /// The preference (priority): the upper half of `tcm_info`.
    pub fn priority(&self) -> u16 {
        (self.info >> 16) as u16
    }

    /// The protocol, host order (`ETH_P_ALL`, `ETH_P_IP`, ...).
    pub fn protocol(&self) -> u16 {
        u16::from_be(self.info as u16)
    }
}

/// What [`crate::netlink::Connection::for_each_view`] hands out of a qdisc
/// dump.
impl crate::netlink::MessageView for Qdisc<'_> {
    const MESSAGE_TYPE: u16 = RTM_NEWQDISC;
    type Of<'a> = Qdisc<'a>;
    fn parse<'a>(msg: &Message<'a>) -> Result<Qdisc<'a>, DecodeError> {
        Qdisc::parse(msg)
    }
}

/// What [`crate::netlink::Connection::for_each_view`] hands out of a filter
/// dump.
impl crate::netlink::MessageView for Filter<'_> {
    const MESSAGE_TYPE: u16 = RTM_NEWTFILTER;
    type Of<'a> = Filter<'a>;
    fn parse<'a>(msg: &Message<'a>) -> Result<Filter<'a>, DecodeError> {
        Filter::parse(msg)
    }
}
