//! BPF links and tcx: a program attached to a device's ingress or egress
//! (tcx, kernel 6.6) either through a link (`BPF_LINK_CREATE`), which owns
//! the attachment, or directly (`BPF_PROG_ATTACH`, as `bpftool net attach`
//! does), which stays until detached; what a link says about itself
//! (`struct bpf_link_info`); the walk over every link by id; and what is
//! attached at a tcx hook (`BPF_PROG_QUERY`).
//!
//! A [`Link`] owns its descriptor: when the last descriptor closes and no
//! pin holds it, the kernel detaches the program. Interface indexes are
//! those of the calling thread's network namespace: attach from a thread
//! inside the device's namespace (see `crate::ns::run_in`).

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

use super::kinds::{AttachType, LinkType};
use super::object::{self, Kind};
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

fn mprog(ifindex: u32, direction: TcxDirection, position: TcxPosition) -> sys::MprogAttach {
    let (flags, relative) = position.flags_and_relative();
    sys::MprogAttach {
        ifindex,
        attach_type: direction.attach_type().number(),
        flags,
        relative,
        expected_revision: 0,
    }
}

/// A BPF link, owned: dropping the last descriptor of an unpinned link
/// detaches its program.
#[derive(Debug)]
pub struct Link {
    fd: OwnedFd,
}

/// What the kernel reports about a link (`struct bpf_link_info`), the
/// fields bpftool shows for the link types rawnet reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkInfo {
    pub id: u32,
    pub link_type: LinkType,
    pub prog_id: u32,
    /// The device of an xdp, tcx or netkit link; `Some(0)` once the device
    /// is gone (bpftool's `(detached)`).
    pub ifindex: Option<u32>,
    /// For tcx, netkit, netns, cgroup, tracing and sockmap links.
    pub attach_type: Option<AttachType>,
    /// For netns links: the namespace's inode number.
    pub netns_ino: Option<u32>,
    /// For cgroup links.
    pub cgroup_id: Option<u64>,
    /// For struct_ops and sockmap links.
    pub map_id: Option<u32>,
}

impl LinkInfo {
    /// Read the union of `bpf_link_info` as its type says.
    fn from_raw(raw: &sys::BpfLinkInfo) -> LinkInfo {
        let link_type = LinkType::from_number(raw.type_);
        let first = raw.word(sys::LINK_INFO_FIRST);
        let second = raw.word(sys::LINK_INFO_SECOND);
        let mut info = LinkInfo {
            id: raw.id,
            link_type,
            prog_id: raw.prog_id,
            ifindex: None,
            attach_type: None,
            netns_ino: None,
            cgroup_id: None,
            map_id: None,
        };
        match link_type {
            LinkType::Xdp => info.ifindex = Some(first),
            LinkType::Tcx | LinkType::Netkit => {
                info.ifindex = Some(first);
                info.attach_type = Some(AttachType::from_number(second));
            }
            LinkType::Netns => {
                info.netns_ino = Some(first);
                info.attach_type = Some(AttachType::from_number(second));
            }
            LinkType::Cgroup => {
                info.cgroup_id = Some(raw.first_u64());
                info.attach_type = Some(AttachType::from_number(
                    raw.word(sys::LINK_INFO_CGROUP_ATTACH_TYPE),
                ));
            }
            LinkType::Tracing => info.attach_type = Some(AttachType::from_number(first)),
            LinkType::StructOps => info.map_id = Some(first),
            LinkType::Sockmap => {
                info.map_id = Some(first);
                info.attach_type = Some(AttachType::from_number(second));
            }
            _ => {}
        }
        info
    }
}

impl Link {
    /// Attach `program` (a `sched_cls` program) to the tcx hook of the
    /// device `ifindex` (in the calling thread's namespace), after the
    /// programs already there. The kernel's refusal comes back as
    /// `Error::Io` with its errno (`EINVAL` for a program of another type,
    /// `ENODEV` for no such device).
    #[doc(alias = "BPF_LINK_CREATE")]
    pub fn attach_tcx(
        program: BorrowedFd<'_>,
        ifindex: u32,
        direction: TcxDirection,
    ) -> Result<Link> {
        Link::attach_tcx_at(program, ifindex, direction, TcxPosition::Last)
    }

    /// [`Link::attach_tcx`] at `position` among the programs there.
    pub fn attach_tcx_at(
        program: BorrowedFd<'_>,
        ifindex: u32,
        direction: TcxDirection,
        position: TcxPosition,
    ) -> Result<Link> {
        let fd = sys::link_create(program, &mprog(ifindex, direction, position))
            .map_err(|e| Error::io("bpf(BPF_LINK_CREATE)", e))?;
        Ok(Link { fd })
    }

    /// What the kernel reports about this link.
    #[doc(alias = "BPF_OBJ_GET_INFO_BY_FD")]
    pub fn info(&self) -> Result<LinkInfo> {
        Ok(LinkInfo::from_raw(&sys::link_info(self.fd.as_fd())?))
    }

    /// Detach the program now; the link object lives on, attached to
    /// nothing, while descriptors or pins hold it.
    #[doc(alias = "BPF_LINK_DETACH")]
    pub fn detach(&self) -> Result<()> {
        sys::link_detach(self.fd.as_fd()).map_err(|e| Error::io("bpf(BPF_LINK_DETACH)", e))
    }

    /// Pin the link at `path` on a bpffs: the attachment outlives this process.
    #[doc(alias = "BPF_OBJ_PIN")]
    pub fn pin(&self, path: impl AsRef<Path>) -> Result<()> {
        object::pin(self.fd.as_fd(), path.as_ref())
    }

    /// Open the link pinned at `path`.
    #[doc(alias = "BPF_OBJ_GET")]
    pub fn open_pinned(path: impl AsRef<Path>) -> Result<Link> {
        let fd = object::open_pinned(path.as_ref(), Kind::Link)?;
        Ok(Link { fd })
    }

    /// Open the link with this id; `Ok(None)` if it is gone.
    #[doc(alias = "BPF_LINK_GET_FD_BY_ID")]
    pub fn from_id(id: u32) -> Result<Option<Link>> {
        Ok(object::fd_by_id(Kind::Link, id)?.map(|fd| Link { fd }))
    }

    /// The descriptor (closing it releases this reference to the link).
    pub fn into_fd(self) -> OwnedFd {
        self.fd
    }
}

impl AsFd for Link {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

/// Every BPF link of the machine, opened by id (those freed meanwhile are
/// skipped).
pub fn links() -> impl Iterator<Item = Result<Link>> {
    object::link_ids().filter_map(|id| match id.and_then(Link::from_id) {
        Ok(Some(l)) => Some(Ok(l)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    })
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

/// The programs attached as the flow dissector of the calling thread's
/// network namespace (`BPF_PROG_QUERY` of `BPF_FLOW_DISSECTOR` on
/// `/proc/thread-self/ns/net`); empty where the kernel has no such hook.
pub fn flow_dissector_programs() -> Result<Vec<u32>> {
    use std::os::fd::AsRawFd;
    const PATH: &str = "/proc/thread-self/ns/net";
    let ns = std::fs::File::open(PATH).map_err(|e| Error::io(format!("open {PATH}"), e))?;
    match sys::prog_query(ns.as_raw_fd() as u32, AttachType::FlowDissector.number()) {
        Ok(q) => Ok(q.prog_ids),
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => Ok(Vec::new()),
        Err(e) => Err(Error::io("bpf(BPF_PROG_QUERY)", e)),
    }
}

/// `true` when `e` is the kernel's `errno`.
pub fn is_errno(e: &Error, errno: i32) -> bool {
    matches!(e, Error::Io { source, .. } if source.raw_os_error() == Some(errno))
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerocopy::IntoBytes;

    use std::os::fd::AsRawFd;

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
    fn link_info_union_read_by_type() {
        let mut raw = sys::BpfLinkInfo {
            type_: 11,
            id: 4,
            prog_id: 12,
            ..Default::default()
        };
        raw.union[0] = u64::from(5u32) | (u64::from(47u32) << 32);
        let i = LinkInfo::from_raw(&raw);
        assert_eq!(i.link_type, LinkType::Tcx);
        assert_eq!(i.ifindex, Some(5));
        assert_eq!(i.attach_type, Some(AttachType::TcxEgress));
        raw.type_ = 6;
        let i = LinkInfo::from_raw(&raw);
        assert_eq!((i.ifindex, i.attach_type), (Some(5), None));
        raw.type_ = 99;
        let i = LinkInfo::from_raw(&raw);
        assert_eq!(i.link_type, LinkType::Other(99));
        assert_eq!(i.ifindex, None);
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
