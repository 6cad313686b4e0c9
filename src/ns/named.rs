//! Named network namespaces under `/run/netns`, the iproute2 way, so that
//! `ip netns` sees ours and we see theirs.
//!
//! A named namespace is an empty file `/run/netns/NAME` with the namespace's
//! `/proc/.../ns/net` bind-mounted onto it; `/run/netns` itself is made a shared
//! mount so that unmounting in one mount namespace unmounts everywhere.
//! Invariant: `add_named` either leaves a mounted namespace file or nothing.

use std::ffi::OsStr;
use std::fs::{self, DirBuilder, OpenOptions};
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::handle::{on_thread, NetNs};
use super::name::{named_path, NETNS_RUN_DIR};
use crate::error::{Error, Result};
use crate::sys;

/// Create a new network namespace named `name`, as `ip netns add NAME` does.
///
/// Steps (iproute2's `netns_add`): create `/run/netns` (mode 0755, fine if it
/// exists); make it a shared mount, bind-mounting it onto itself first if it is not
/// a mount point yet; create `/run/netns/NAME` exclusively; on a short-lived thread
/// unshare the network namespace and bind-mount `/proc/thread-self/ns/net` onto the
/// file. Any failure after the file was created removes it again.
///
/// Errors: `Invalid` for a bad name; `Io` with op
/// `Cannot create namespace file "/run/netns/NAME"` (errno `EEXIST` when the name
/// is taken), or naming the failed step. Returns a handle to the new namespace.
pub fn add_named(name: impl AsRef<[u8]>) -> Result<NetNs> {
    let name = name.as_ref();
    let path = create_named_file(name)?;
    let shown = super::name::shown(name);
    let mounted = on_thread(|| -> Result<NetNs> {
        sys::ns::unshare(
            libc::CLONE_NEWNET,
            &format!("Failed to create a new network namespace \"{shown}\""),
        )?;
        let ns = NetNs::current()?;
        let proc_path = "/proc/thread-self/ns/net";
        sys::ns::mount(
            OsStr::new(proc_path),
            path.as_os_str(),
            "none",
            libc::MS_BIND,
            &format!("Bind {proc_path} -> {} failed", path.display()),
        )?;
        Ok(ns)
    })
    .and_then(|r| r);
    if mounted.is_err() {
        remove_file_and_mount(&path);
    }
    mounted
}

/// Give the network namespace of process `pid` the name `name`, as
/// `ip netns attach NAME PID` does: the steps of [`add_named`], with
/// `/proc/PID/ns/net` bind-mounted onto the new file instead of a fresh
/// namespace. The file is removed again when the bind mount fails.
///
/// Errors: as [`add_named`]; a process that does not exist is `Io` with op
/// `Bind /proc/PID/ns/net -> /run/netns/NAME failed` and `ENOENT`.
pub fn attach_named(name: impl AsRef<[u8]>, pid: i32) -> Result<()> {
    let path = create_named_file(name.as_ref())?;
    let proc_path = format!("/proc/{pid}/ns/net");
    let mounted = sys::ns::mount(
        OsStr::new(&proc_path),
        path.as_os_str(),
        "none",
        libc::MS_BIND,
        &format!("Bind {proc_path} -> {} failed", path.display()),
    );
    if mounted.is_err() {
        remove_file_and_mount(&path);
    }
    mounted
}

/// The first steps of [`add_named`] and [`attach_named`]: `/run/netns` exists
/// and is a shared mount, and `/run/netns/NAME` was created (exclusively).
fn create_named_file(name: &[u8]) -> Result<PathBuf> {
    let path = named_path(name)?;
    create_run_dir()?;
    make_run_dir_shared()?;
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_CREAT | libc::O_EXCL)
        .mode(0o000)
        .open(&path)
        .map_err(|e| {
            Error::io(
                format!("Cannot create namespace file \"{}\"", path.display()),
                e,
            )
        })?;
    Ok(path)
}

/// Remove the named namespace `name`, as `ip netns delete NAME` does: detach the
/// bind mount, then unlink the file. The namespace itself lives on while any
/// process, handle or socket still uses it.
///
/// Errors: `Invalid` for a bad name; `Io` with op
/// `Cannot remove namespace file "/run/netns/NAME"` (errno `ENOENT` when missing).
pub fn delete_named(name: impl AsRef<[u8]>) -> Result<()> {
    let path = named_path(name)?;
    // Not mounted (or not there) is fine here; the unlink reports what matters.
    let _ = sys::ns::umount2(path.as_os_str(), libc::MNT_DETACH, "umount2");
    fs::remove_file(&path).map_err(|e| {
        Error::io(
            format!("Cannot remove namespace file \"{}\"", path.display()),
            e,
        )
    })
}

/// The names in `/run/netns`, in directory order (as `ip netns list` prints them).
/// A missing `/run/netns` is an empty list. Names are the file names' bytes.
pub fn list_named() -> Result<Vec<Vec<u8>>> {
    let dir = match fs::read_dir(NETNS_RUN_DIR) {
        Ok(dir) => dir,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(format!("open {NETNS_RUN_DIR}"), e)),
    };
    let mut names = Vec::new();
    for entry in dir {
        let entry = entry.map_err(|e| Error::io(format!("read {NETNS_RUN_DIR}"), e))?;
        names.push(entry.file_name().into_vec());
    }
    Ok(names)
}

/// The names under `/run/netns` of the network namespace of process `pid`
/// (`ip netns identify PID`). Empty when it has none.
pub fn identify(pid: u32) -> Result<Vec<Vec<u8>>> {
    names_of(&NetNs::of_process(pid)?)
}

/// The names under `/run/netns` that refer to `ns` (same `st_dev` and `st_ino`).
/// Entries that cannot be opened are skipped, as iproute2 does.
pub fn names_of(ns: &NetNs) -> Result<Vec<Vec<u8>>> {
    let target = ns.identity()?;
    let mut found = Vec::new();
    for name in list_named()? {
        let Ok(candidate) =
            NetNs::open_path(Path::new(NETNS_RUN_DIR).join(OsStr::from_bytes(&name)))
        else {
            continue;
        };
        if candidate.identity().ok() == Some(target) {
            found.push(name);
        }
    }
    Ok(found)
}

/// `mkdir /run/netns` with mode 0755; an existing directory is fine.
fn create_run_dir() -> Result<()> {
    match DirBuilder::new().mode(0o755).create(NETNS_RUN_DIR) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::io(format!("mkdir {NETNS_RUN_DIR} failed"), e)),
    }
}

/// `mount --make-rshared /run/netns`; if `/run/netns` is not a mount point yet
/// (`EINVAL`), bind-mount it onto itself once and try again.
fn make_run_dir_shared() -> Result<()> {
    let dir = OsStr::new(NETNS_RUN_DIR);
    let shared = libc::MS_SHARED | libc::MS_REC;
    let op = format!("mount --make-shared {NETNS_RUN_DIR} failed");
    match sys::ns::mount(OsStr::new(""), dir, "none", shared, &op) {
        Err(e) if e.errno() == Some(libc::EINVAL) => {
            sys::ns::mount(
                dir,
                dir,
                "none",
                libc::MS_BIND | libc::MS_REC,
                &format!("mount --bind {NETNS_RUN_DIR} {NETNS_RUN_DIR} failed"),
            )?;
            sys::ns::mount(OsStr::new(""), dir, "none", shared, &op)
        }
        other => other,
    }
}

/// Undo a half-made `add_named`: detach whatever is mounted on `path`, unlink it.
fn remove_file_and_mount(path: &Path) {
    let _ = sys::ns::umount2(path.as_os_str(), libc::MNT_DETACH, "umount2");
    let _ = fs::remove_file(path);
}
