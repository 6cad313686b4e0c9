//! tcx without a link: a program attached at a device's ingress or egress
//! directly (`BPF_PROG_ATTACH`, as `bpftool net attach` does), which stays
//! until detached, where it goes among the programs there
//! ([`TcxPosition`]), and what a tcx hook holds (`BPF_PROG_QUERY`). The
//! same direction and position serve a link's attach (`link.rs`).
//!
//! Interface indexes are those of the calling thread's network namespace:
//! call from a thread inside the device's namespace (see
//! `crate::ns::run_in`).

use std::os::fd::BorrowedFd;

use super::kinds::AttachType;
use crate::error::{Error, Result};
use crate::sys::bpf as sys;

/// Which side of a device a tcx program sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TcxDirection {
    /// Packets the device receives (`BPF_TCX_INGRESS`).
    Ingress,
    /// Packets the device sends (`BPF_TCX_EGRESS`).
    Egress,
}

impl TcxDirection {
    pub const fn attach_type(self) -> AttachType {
        match self {
            TcxDirection::Ingress => AttachType::TcxIngress,
            TcxDirection::Egress => AttachType::TcxEgress,
        }
    }

    /// `tcx_ingress` / `tcx_egress`, as bpftool and libbpf spell it.
    pub const fn name(self) -> &'static str {
        match self {
            TcxDirection::Ingress => "tcx_ingress",
            TcxDirection::Egress => "tcx_egress",
        }
    }

    /// `tcx/ingress` / `tcx/egress`: the hook as `bpftool net show` names it.
    pub const fn hook(self) -> &'static str {
        match self {
            TcxDirection::Ingress => "tcx/ingress",
            TcxDirection::Egress => "tcx/egress",
        }
    }

    pub fn from_name(name: &str) -> Option<TcxDirection> {
        [TcxDirection::Ingress, TcxDirection::Egress]
            .into_iter()
            .find(|d| d.name() == name)
    }
}

/// Where a new program goes among those already at a tcx hook (which run
/// in order until one returns something other than `TCX_NEXT`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TcxPosition {
    /// After every program there (no flags).
    #[default]
    Last,
    /// Before every program there (`BPF_F_BEFORE`, nothing relative; `bpftool
    /// net attach ... prepend`).
    First,
    /// Right before the program with this id (`BPF_F_BEFORE | BPF_F_ID`).
    BeforeProgram(u32),
    /// Right after the program with this id (`BPF_F_AFTER | BPF_F_ID`).
    AfterProgram(u32),
}

impl TcxPosition {
    /// The `flags` and `relative_id` of the request.
    const fn flags_and_relative(self) -> (u32, u32) {
        match self {
            TcxPosition::Last => (0, 0),
            TcxPosition::First => (sys::BPF_F_BEFORE, 0),
            TcxPosition::BeforeProgram(id) => (sys::BPF_F_BEFORE | sys::BPF_F_ID, id),
            TcxPosition::AfterProgram(id) => (sys::BPF_F_AFTER | sys::BPF_F_ID, id),
        }
    }
}

/// The attach request of the hook of `ifindex` at `position`, with a link
/// or without.
pub(super) fn mprog(
    ifindex: u32,
    direction: TcxDirection,
    position: TcxPosition,
) -> sys::MprogAttach {
    let (flags, relative) = position.flags_and_relative();
    sys::MprogAttach {
        ifindex,
        attach_type: direction.attach_type().number(),
        flags,
        relative,
        expected_revision: 0,
    }
}

/// Attach `program` at the tcx hook of `ifindex` without a link (as
/// `bpftool net attach tcx_*`): it stays until [`tcx_detach`], whatever
/// happens to this process.
#[doc(alias = "BPF_PROG_ATTACH")]
pub fn tcx_attach(program: BorrowedFd<'_>, ifindex: u32, direction: TcxDirection) -> Result<()> {
    tcx_attach_at(program, ifindex, direction, TcxPosition::Last)
}

/// [`tcx_attach`] at `position` among the programs there.
pub fn tcx_attach_at(
    program: BorrowedFd<'_>,
    ifindex: u32,
    direction: TcxDirection,
    position: TcxPosition,
) -> Result<()> {
    sys::prog_attach(program, &mprog(ifindex, direction, position))
        .map_err(|e| Error::io("bpf(BPF_PROG_ATTACH)", e))
}

/// Detach from the tcx hook of `ifindex` the program `program`, or with
/// `None` the last one attached without a link (as `bpftool net detach`).
/// `ENOENT`: nothing to detach.
#[doc(alias = "BPF_PROG_DETACH")]
pub fn tcx_detach(
    program: Option<BorrowedFd<'_>>,
    ifindex: u32,
    direction: TcxDirection,
) -> Result<()> {
    sys::prog_detach(program, &mprog(ifindex, direction, TcxPosition::Last))
        .map_err(|e| Error::io("bpf(BPF_PROG_DETACH)", e))
}

/// What is attached at one tcx hook, in the order the programs run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TcxAttachments {
    /// The hook's revision: it changes with every attach and detach.
    pub revision: u64,
    pub programs: Vec<TcxAttachment>,
}

/// One program at a tcx hook.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TcxAttachment {
    pub prog_id: u32,
    pub prog_flags: u32,
    /// 0 when attached without a link.
    pub link_id: u32,
    pub link_flags: u32,
}

/// The ids of the programs at the tcx hook of `ifindex`, in the order
/// they run (empty when none).
#[doc(alias = "BPF_PROG_QUERY")]
pub fn tcx_query(ifindex: u32, direction: TcxDirection) -> Result<Vec<u32>> {
    Ok(tcx_attachments(ifindex, direction)?
        .programs
        .iter()
        .map(|a| a.prog_id)
        .collect())
}

/// Everything `BPF_PROG_QUERY` says about the tcx hook of `ifindex`.
/// `ENODEV` (no such device) is an error.
pub fn tcx_attachments(ifindex: u32, direction: TcxDirection) -> Result<TcxAttachments> {
    let q = sys::prog_query(ifindex, direction.attach_type().number())
        .map_err(|e| Error::io("bpf(BPF_PROG_QUERY)", e))?;
    let programs = q
        .prog_ids
        .iter()
        .enumerate()
        .map(|(i, &prog_id)| TcxAttachment {
            prog_id,
            prog_flags: q.prog_attach_flags.get(i).copied().unwrap_or(0),
            link_id: q.link_ids.get(i).copied().unwrap_or(0),
            link_flags: q.link_attach_flags.get(i).copied().unwrap_or(0),
        })
        .collect();
    Ok(TcxAttachments {
        revision: q.revision,
        programs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::{AsFd, AsRawFd, OwnedFd};
    use zerocopy::IntoBytes;

    /// A descriptor whose number goes into an attr; nothing is done with it.
    fn some_fd() -> OwnedFd {
        std::fs::File::open("/dev/null").expect("/dev/null").into()
    }

    fn le(n: i32) -> [u8; 4] {
        (n as u32).to_le_bytes()
    }

    #[test]
    fn link_create_attr_bytes() {
        // What libbpf's bpf_link_create(prog_fd, ifindex 7, BPF_TCX_INGRESS,
        // opts.tcx.relative_id = 9, flags BPF_F_BEFORE|BPF_F_ID) puts in the
        // first 32 bytes of union bpf_attr.
        let a = mprog(7, TcxDirection::Ingress, TcxPosition::BeforeProgram(9));
        let prog = some_fd();
        let attr = sys::link_create_attr(prog.as_fd(), &a);
        let mut want: [u8; 32] = [
            2, 0, 0, 0, // prog_fd
            7, 0, 0, 0, // target_ifindex
            46, 0, 0, 0, // attach_type BPF_TCX_INGRESS
            0x28, 0, 0, 0, // flags BPF_F_BEFORE | BPF_F_ID
            9, 0, 0, 0, // tcx.relative_id
            0, 0, 0, 0, // padding
            0, 0, 0, 0, 0, 0, 0, 0, // tcx.expected_revision
        ];
        want[..4].copy_from_slice(&le(prog.as_raw_fd()));
        assert_eq!(attr.as_bytes(), &want);
    }

    #[test]
    fn prog_attach_and_detach_attr_bytes() {
        // bpftool net attach tcx_egress ... dev (ifindex 3) prepend:
        // bpf_prog_attach_opts(prog, 3, BPF_TCX_EGRESS, flags BPF_F_BEFORE).
        let a = mprog(3, TcxDirection::Egress, TcxPosition::First);
        let prog = some_fd();
        let attr = sys::prog_attach_attr(Some(prog.as_fd()), &a);
        let mut want: [u8; 32] = [
            3, 0, 0, 0, // target_ifindex
            1, 0, 0, 0, // attach_bpf_fd
            47, 0, 0, 0, // attach_type BPF_TCX_EGRESS
            8, 0, 0, 0, // attach_flags BPF_F_BEFORE
            0, 0, 0, 0, // replace_bpf_fd
            0, 0, 0, 0, // relative_fd
            0, 0, 0, 0, 0, 0, 0, 0, // expected_revision
        ];
        want[4..8].copy_from_slice(&le(prog.as_raw_fd()));
        assert_eq!(attr.as_bytes(), &want);
        // bpftool net detach tcx_ingress dev (ifindex 3): no program.
        let a = mprog(3, TcxDirection::Ingress, TcxPosition::Last);
        let attr = sys::prog_attach_attr(None, &a);
        let mut want = [0u8; 32];
        want[0] = 3;
        want[8] = 46;
        assert_eq!(attr.as_bytes(), &want);
    }

    #[test]
    fn positions_are_the_kernels_flags() {
        assert_eq!(TcxPosition::Last.flags_and_relative(), (0, 0));
        assert_eq!(TcxPosition::First.flags_and_relative(), (0x8, 0));
        assert_eq!(TcxPosition::AfterProgram(5).flags_and_relative(), (0x30, 5));
    }

    #[test]
    fn direction_names() {
        assert_eq!(
            TcxDirection::from_name("tcx_egress"),
            Some(TcxDirection::Egress)
        );
        assert_eq!(TcxDirection::from_name("tcx"), None);
        assert_eq!(TcxDirection::Ingress.hook(), "tcx/ingress");
    }
}
