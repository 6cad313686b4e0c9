//! What programs, maps and links share: their 15-byte names, pinning on a bpffs
//! (`BPF_OBJ_PIN`, `BPF_OBJ_GET`), telling one from the other by its
//! descriptor, and walking every loaded object by id (`BPF_*_GET_NEXT_ID`,
//! `BPF_*_GET_FD_BY_ID`).
//!
//! bpf objects are global, not per network namespace: the walks see every
//! program and map of the machine. An object freed between learning its id
//! and opening it is skipped, not an error.

use std::ffi::CString;
use std::io;
use std::os::fd::{BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::map::Map;
use super::program::Program;
use crate::error::{Error, Invalid, PinProblem, Result};
use crate::sys::bpf as sys;

/// The kinds of bpf object rawnet handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Program,
    Map,
    /// A BPF link: a program's attachment as an object of its own.
    Link,
}

impl Kind {
    fn space(self) -> sys::IdSpace {
        match self {
            Kind::Program => sys::IdSpace::Program,
            Kind::Map => sys::IdSpace::Map,
            Kind::Link => sys::IdSpace::Link,
        }
    }

    /// What `/proc/self/fd/N` links to for this kind.
    fn inode_name(self) -> &'static str {
        match self {
            Kind::Program => "anon_inode:bpf-prog",
            Kind::Map => "anon_inode:bpf-map",
            Kind::Link => "anon_inode:bpf_link",
        }
    }

    /// Whether `/proc/self/fd/N` linking to `name` is this kind. A link has
    /// two names: `bpf_link` from `BPF_LINK_CREATE` (the kernel's
    /// `bpf_link_prime`), `bpf-link` from `BPF_OBJ_GET` and
    /// `BPF_LINK_GET_FD_BY_ID` (`bpf_link_new_fd`).
    fn is_named(self, name: &str) -> bool {
        name == self.inode_name() || (self == Kind::Link && name == "anon_inode:bpf-link")
    }
}

/// `name` as the kernel's NUL-padded 16-byte field: at most 15 bytes, no NUL.
pub(crate) fn name_bytes(name: &str) -> Result<[u8; sys::BPF_OBJ_NAME_LEN]> {
    if name.len() >= sys::BPF_OBJ_NAME_LEN {
        return Err(Invalid::OutOfRange {
            what: "bpf object name length",
            value: name.len() as u64,
            max: sys::BPF_OBJ_NAME_LEN as u64 - 1,
        }
        .into());
    }
    if name.as_bytes().contains(&0) {
        return Err(Invalid::NulByte {
            text: name.to_string(),
        }
        .into());
    }
    let mut out = [0u8; sys::BPF_OBJ_NAME_LEN];
    out[..name.len()].copy_from_slice(name.as_bytes());
    Ok(out)
}

/// A kernel name field up to its first NUL, as text.
pub(crate) fn name_text(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

/// Which kind of bpf object `fd` is; `None` for anything else (BTF, a
/// file that is no bpf object).
pub fn kind_of(fd: BorrowedFd<'_>) -> Result<Option<Kind>> {
    let name = sys::fd_kind(fd)?;
    Ok([Kind::Program, Kind::Map, Kind::Link]
        .into_iter()
        .find(|k| k.is_named(&name)))
}

/// Refuse `fd` unless it is a `kind` (`EINVAL`, as the kernel would).
pub(crate) fn expect_kind(fd: BorrowedFd<'_>, kind: Kind) -> Result<()> {
    if kind_of(fd)? == Some(kind) {
        Ok(())
    } else {
        Err(Error::io(
            format!("expected a {} descriptor", kind.inode_name()),
            io::Error::from_raw_os_error(libc::EINVAL),
        ))
    }
}

fn c_path(path: &Path) -> Result<CString> {
    CString::new(path.as_os_str().as_bytes()).map_err(|_| {
        Invalid::NulByte {
            text: path.display().to_string(),
        }
        .into()
    })
}

/// Pin `fd` at `path`. The path must be on a bpffs and not exist yet.
pub(crate) fn pin(fd: BorrowedFd<'_>, path: &Path) -> Result<()> {
    sys::obj_pin(fd, &c_path(path)?).map_err(|e| rename(e, "pin", path))
}

/// Whether an object could be pinned at `path`: nothing there yet, its
/// directory exists and is on a bpffs. Check before creating what is to be
/// pinned, so a bad path leaves nothing behind (`BPF_OBJ_PIN` itself says
/// only `EPERM` off a bpffs, `ENOENT` without the directory).
pub fn check_pin_path(path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    let refuse = |problem| {
        Err(Invalid::PinPath {
            path: path.display().to_string(),
            problem,
        }
        .into())
    };
    if path.symlink_metadata().is_ok() {
        return refuse(PinProblem::Exists);
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return refuse(PinProblem::NoDirectory);
    }
    match sys::fs_type(&c_path(dir)?) {
        Ok(t) if t == u64::from(sys::BPF_FS_MAGIC) => Ok(()),
        Ok(_) => refuse(PinProblem::NotBpffs),
        Err(e) => Err(Error::io(format!("statfs {}", dir.display()), e)),
    }
}

/// Open what is pinned at `path`, refusing it unless it is a `kind`.
pub(crate) fn open_pinned(path: &Path, kind: Kind) -> Result<OwnedFd> {
    let fd = sys::obj_get(&c_path(path)?, 0).map_err(|e| rename(e, "open pinned", path))?;
    expect_kind(std::os::fd::AsFd::as_fd(&fd), kind)?;
    Ok(fd)
}

/// Open whatever bpf object is pinned at `path`, program or map, without
/// asking which (as iproute2's `bpf_obj_get`): for a caller that hands the
/// descriptor to the kernel and lets it refuse the wrong kind in its words.
#[doc(alias = "BPF_OBJ_GET")]
pub fn open_pinned_any(path: impl AsRef<Path>) -> Result<OwnedFd> {
    let path = path.as_ref();
    sys::obj_get(&c_path(path)?, 0).map_err(|e| rename(e, "open pinned", path))
}

/// An `Io` error that names the path as well as the command.
fn rename(e: Error, what: &str, path: &Path) -> Error {
    match e {
        Error::Io { op, source } => Error::Io {
            op: format!("{op} {what} {}", path.display()),
            source,
        },
        e => e,
    }
}

/// Remove a pin (the object lives on while descriptors or links hold it).
pub fn unpin(path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    std::fs::remove_file(path).map_err(|e| Error::io(format!("unpin {}", path.display()), e))
}

/// A descriptor for the object with `id`; `None` when no such object exists.
pub(crate) fn fd_by_id(kind: Kind, id: u32) -> Result<Option<OwnedFd>> {
    match sys::fd_by_id(kind.space(), id) {
        Ok(fd) => Ok(Some(fd)),
        Err(e) if e.raw_os_error() == Some(libc::ENOENT) => Ok(None),
        Err(e) => Err(Error::io(
            match kind {
                Kind::Program => "bpf(BPF_PROG_GET_FD_BY_ID)",
                Kind::Map => "bpf(BPF_MAP_GET_FD_BY_ID)",
                Kind::Link => "bpf(BPF_LINK_GET_FD_BY_ID)",
            },
            e,
        )),
    }
}

/// The ids of every loaded object of `kind`, in increasing order.
#[derive(Debug)]
pub struct Ids {
    kind: Kind,
    last: u32,
    done: bool,
}

impl Iterator for Ids {
    type Item = Result<u32>;

    fn next(&mut self) -> Option<Result<u32>> {
        if self.done {
            return None;
        }
        match sys::next_id(self.kind.space(), self.last) {
            Ok(Some(id)) if id > self.last => {
                self.last = id;
                Some(Ok(id))
            }
            // The end, or an id that does not advance (which would loop).
            Ok(_) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// The ids of every loaded program.
#[doc(alias = "BPF_PROG_GET_NEXT_ID")]
pub fn program_ids() -> Ids {
    Ids {
        kind: Kind::Program,
        last: 0,
        done: false,
    }
}

/// The ids of every map.
#[doc(alias = "BPF_MAP_GET_NEXT_ID")]
pub fn map_ids() -> Ids {
    Ids {
        kind: Kind::Map,
        last: 0,
        done: false,
    }
}

/// The ids of every BPF link.
#[doc(alias = "BPF_LINK_GET_NEXT_ID")]
pub fn link_ids() -> Ids {
    Ids {
        kind: Kind::Link,
        last: 0,
        done: false,
    }
}

/// Every loaded program, opened by id (those freed meanwhile are skipped).
pub fn programs() -> impl Iterator<Item = Result<Program>> {
    program_ids().filter_map(|id| match id.and_then(Program::from_id) {
        Ok(Some(p)) => Some(Ok(p)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    })
}

/// Every map, opened by id (those freed meanwhile are skipped).
pub fn maps() -> impl Iterator<Item = Result<Map>> {
    map_ids().filter_map(|id| match id.and_then(Map::from_id) {
        Ok(Some(m)) => Some(Ok(m)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_fifteen_bytes_without_nul() {
        assert_eq!(&name_bytes("xdp_pass").unwrap()[..9], b"xdp_pass\0");
        assert!(name_bytes("fifteen_bytes__").is_ok());
        assert!(name_bytes("sixteen_bytes___").is_err());
        assert!(name_bytes("a\0b").is_err());
        assert_eq!(name_text(b"abc\0\0\0"), "abc");
        assert_eq!(name_text(b"abcdefghijklmnop"), "abcdefghijklmnop");
    }
}
