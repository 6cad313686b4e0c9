//! tc operations: the clsact qdisc, bpf filters on its two hooks, and the
//! qdisc and filter dumps. The request builders are pure and encode as tc
//! (iproute2 6.1) does, checked against captured bytes in `tests.rs`; the
//! operations send them (I/O).

use std::os::fd::{AsRawFd, BorrowedFd};

use super::consts::*;
use super::view::{Filter, Qdisc, TcMsg};
use crate::error::{Error, Result};
use crate::netlink::header::{NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};
use crate::netlink::{Connection, DumpStatus, MessageBuilder, Request};

/// A clsact qdisc's two hooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Packets the device receives: parent `ffff:fff2`.
    Ingress,
    /// Packets the device sends: parent `ffff:fff3`.
    Egress,
}

impl Direction {
    /// The filter parent (`tcm_parent`) of this hook.
    pub fn parent(self) -> u32 {
        match self {
            Direction::Ingress => tc_h_make(TC_H_CLSACT, TC_H_MIN_INGRESS),
            Direction::Egress => tc_h_make(TC_H_CLSACT, TC_H_MIN_EGRESS),
        }
    }
}

/// The root-less qdiscs tc adds by name: `clsact` and `ingress`, both at
/// parent `ffff:fff1` with handle `ffff:0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookQdisc {
    Clsact,
    Ingress,
}

impl HookQdisc {
    /// `TCA_KIND`.
    pub fn kind(self) -> &'static str {
        match self {
            HookQdisc::Clsact => "clsact",
            HookQdisc::Ingress => "ingress",
        }
    }
}

/// How a new object meets an existing one: tc's `add` (`NLM_F_CREATE |
/// NLM_F_EXCL`), `replace` (`NLM_F_CREATE | NLM_F_REPLACE` for a qdisc,
/// `NLM_F_CREATE` for a filter) or `change` (no flag: it must exist).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Add,
    Replace,
    Change,
}

/// `RTM_NEWQDISC` / `RTM_DELQDISC` of a clsact or ingress qdisc on link
/// `ifindex` (`tc qdisc add|replace|change|del dev D clsact`).
pub fn hook_qdisc_request(
    message_type: u16,
    mode: Mode,
    ifindex: u32,
    qdisc: HookQdisc,
) -> Result<Request> {
    let flags = match (message_type, mode) {
        (RTM_DELQDISC, _) => 0,
        (_, Mode::Add) => NLM_F_CREATE | NLM_F_EXCL,
        (_, Mode::Replace) => NLM_F_CREATE | NLM_F_REPLACE,
        (_, Mode::Change) => 0,
    };
    let mut m = MessageBuilder::new(message_type, flags);
    m.header(&TcMsg {
        tcm_ifindex: ifindex as i32,
        tcm_handle: tc_h_make(TC_H_CLSACT, 0),
        tcm_parent: TC_H_CLSACT,
        ..Default::default()
    });
    m.put_str(TCA_KIND, qdisc.kind());
    m.finish()
}

/// `tc qdisc add dev D clsact`: fails with `EEXIST` when the device has one.
#[doc(alias = "RTM_NEWQDISC")]
pub fn add_clsact(conn: &mut Connection, ifindex: u32) -> Result<()> {
    conn.execute(hook_qdisc_request(
        RTM_NEWQDISC,
        Mode::Add,
        ifindex,
        HookQdisc::Clsact,
    )?)
}

/// `tc qdisc del dev D clsact`: the filters on both hooks go with it.
#[doc(alias = "RTM_DELQDISC")]
pub fn delete_clsact(conn: &mut Connection, ifindex: u32) -> Result<()> {
    conn.execute(hook_qdisc_request(
        RTM_DELQDISC,
        Mode::Add,
        ifindex,
        HookQdisc::Clsact,
    )?)
}

/// A bpf classifier to attach (`tc filter add ... bpf ...`).
#[derive(Debug, Clone)]
pub struct BpfFilter<'fd> {
    /// The program (type `sched_cls`); the kernel takes its own reference.
    pub program: BorrowedFd<'fd>,
    /// `TCA_BPF_NAME`: shown by `tc filter show` (tc sends `FILE:[SECTION]`).
    pub name: Option<String>,
    /// `da`: `TCA_BPF_FLAG_ACT_DIRECT`, the program's return value is the action.
    pub direct_action: bool,
    /// `pref`; 0 = the kernel picks (49152 for the first filter of a hook).
    pub priority: u16,
    /// 0 = the kernel picks (1 for the first).
    pub handle: u32,
    /// Host order `ETH_P_*`; `ETH_P_ALL` is tc's default `all`.
    pub protocol: u16,
}

impl<'fd> BpfFilter<'fd> {
    /// tc's defaults: no name, no `da`, the kernel's pref and handle, all
    /// protocols.
    pub fn new(program: BorrowedFd<'fd>) -> Self {
        BpfFilter {
            program,
            name: None,
            direct_action: false,
            priority: 0,
            handle: 0,
            protocol: ETH_P_ALL,
        }
    }
}

/// `tcm_info` of a filter: `TC_H_MAKE(pref << 16, htons(protocol))`.
fn filter_info(priority: u16, protocol: u16) -> u32 {
    (u32::from(priority) << 16) | u32::from(protocol.to_be())
}

/// `RTM_NEWTFILTER` attaching `filter` to a clsact hook of link `ifindex`,
/// as `tc filter add|replace|change dev D ingress|egress [pref N] [protocol
/// P] [handle H] bpf ... [da]` sends it: `TCA_KIND "bpf"`, `TCA_OPTIONS {
/// TCA_BPF_FD, [TCA_BPF_NAME], [TCA_BPF_FLAGS] }`.
pub fn bpf_filter_request(
    mode: Mode,
    ifindex: u32,
    direction: Direction,
    filter: &BpfFilter<'_>,
) -> Result<Request> {
    let flags = match mode {
        Mode::Add => NLM_F_CREATE | NLM_F_EXCL,
        Mode::Replace => NLM_F_CREATE,
        Mode::Change => 0,
    };
    let mut m = MessageBuilder::new(RTM_NEWTFILTER, flags);
    m.header(&TcMsg {
        tcm_ifindex: ifindex as i32,
        tcm_handle: filter.handle,
        tcm_parent: direction.parent(),
        tcm_info: filter_info(filter.priority, filter.protocol),
        ..Default::default()
    });
    m.put_str(TCA_KIND, "bpf");
    m.nest(TCA_OPTIONS, |m| {
        m.put_u32(TCA_BPF_FD, filter.program.as_raw_fd() as u32);
        if let Some(name) = &filter.name {
            m.put_str(TCA_BPF_NAME, name);
        }
        if filter.direct_action {
            m.put_u32(TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT);
        }
    });
    m.finish()
}

/// Attach a bpf classifier to a clsact hook of link `ifindex`. Without a
/// clsact qdisc the kernel refuses (`EINVAL`, "Parent Qdisc doesn't exists").
#[doc(alias = "RTM_NEWTFILTER")]
pub fn add_bpf_filter(
    conn: &mut Connection,
    ifindex: u32,
    direction: Direction,
    filter: &BpfFilter<'_>,
) -> Result<()> {
    conn.execute(bpf_filter_request(Mode::Add, ifindex, direction, filter)?)
}

/// What `tc filter del` names: a hook and optionally a preference,
/// protocol (host order; 0 = any), handle and kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterSelector {
    pub priority: u16,
    pub protocol: u16,
    pub handle: u32,
    pub kind: Option<String>,
}

/// `RTM_DELTFILTER` as `tc filter del dev D ingress|egress [pref N]
/// [protocol P] [handle H [KIND]]` sends it.
pub fn delete_filters_request(
    ifindex: u32,
    direction: Direction,
    selector: &FilterSelector,
) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_DELTFILTER, 0);
    m.header(&TcMsg {
        tcm_ifindex: ifindex as i32,
        tcm_handle: selector.handle,
        tcm_parent: direction.parent(),
        tcm_info: filter_info(selector.priority, selector.protocol),
        ..Default::default()
    });
    if let Some(kind) = &selector.kind {
        m.put_str(TCA_KIND, kind);
    }
    m.finish()
}

/// Delete the filters of one preference (`Some(pref)`) or all filters
/// (`None`) on a clsact hook of link `ifindex`.
#[doc(alias = "RTM_DELTFILTER")]
pub fn delete_filters(
    conn: &mut Connection,
    ifindex: u32,
    direction: Direction,
    priority: Option<u16>,
) -> Result<()> {
    let selector = FilterSelector {
        priority: priority.unwrap_or(0),
        ..FilterSelector::default()
    };
    conn.execute(delete_filters_request(ifindex, direction, &selector)?)
}

/// `RTM_GETQDISC` dump of link `ifindex` (0: every link), as `tc qdisc
/// show [dev D]` sends it (the kernel does not filter: compare the index).
pub fn dump_qdiscs_request(ifindex: u32) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETQDISC, 0);
    m.header(&TcMsg {
        tcm_ifindex: ifindex as i32,
        ..Default::default()
    });
    m.finish()
}

/// `RTM_GETTFILTER` dump of the filters under `parent` of link `ifindex`,
/// as `tc filter show dev D [ingress|egress]` sends it.
pub fn dump_filters_request(ifindex: u32, parent: u32) -> Result<Request> {
    dump_filters_matching_request(ifindex, parent, 0, 0)
}

/// `RTM_GETTFILTER` dump of the filters under `parent` of link `ifindex`
/// with preference `priority` and protocol `protocol` (host order; 0 =
/// any), as `tc filter show dev D [ingress|egress] [pref N] [protocol P]`
/// sends it: both in `tcm_info`, where the kernel filters the dump.
pub fn dump_filters_matching_request(
    ifindex: u32,
    parent: u32,
    priority: u16,
    protocol: u16,
) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETTFILTER, 0);
    m.header(&TcMsg {
        tcm_ifindex: ifindex as i32,
        tcm_parent: parent,
        tcm_info: filter_info(priority, protocol),
        ..Default::default()
    });
    m.finish()
}

/// Each qdisc of a dump ([`dump_qdiscs_request`]) handed to `f` as a view
/// borrowed from the receive buffer: nothing is kept. Says whether the
/// table changed while it was read.
pub fn for_each_qdisc<E, F>(
    conn: &mut Connection,
    request: Request,
    f: F,
) -> std::result::Result<DumpStatus, E>
where
    E: From<Error>,
    F: FnMut(&Qdisc<'_>) -> std::result::Result<(), E>,
{
    conn.for_each_view::<Qdisc<'_>, _, _>(request, f)
}

/// Each filter of a dump ([`dump_filters_request`]) handed to `f` as a view
/// borrowed from the receive buffer: nothing is kept.
pub fn for_each_filter<E, F>(
    conn: &mut Connection,
    request: Request,
    f: F,
) -> std::result::Result<DumpStatus, E>
where
    E: From<Error>,
    F: FnMut(&Filter<'_>) -> std::result::Result<(), E>,
{
    conn.for_each_view::<Filter<'_>, _, _>(request, f)
}
