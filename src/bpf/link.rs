//! BPF links: a program attached through a link (`BPF_LINK_CREATE`; tcx
//! here, kernel 6.6), which owns the attachment; what a link says about
//! itself (`struct bpf_link_info`); and the walk over every link by id.
//! Attaching without a link, and what a tcx hook holds: `tcx.rs`.
//!
//! A [`Link`] owns its descriptor: when the last descriptor closes and no
//! pin holds it, the kernel detaches the program. Interface indexes are
//! those of the calling thread's network namespace: attach from a thread
//! inside the device's namespace (see `crate::ns::run_in`).

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

use super::kinds::{AttachType, LinkType};
use super::object::{self, Kind};
use super::tcx::{mprog, TcxDirection, TcxPosition};
use crate::error::{Error, Result};
use crate::sys::bpf as sys;

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

/// `true` when `e` is the kernel's `errno`.
pub fn is_errno(e: &Error, errno: i32) -> bool {
    matches!(e, Error::Io { source, .. } if source.raw_os_error() == Some(errno))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
