//! A private, unprivileged lab: new user, mount and network namespaces for the
//! calling process, with its own `/run/netns`.
//!
//! Invariant: nothing done here is visible outside the new mount namespace
//! (`/` is made recursively private before anything is mounted).

use std::ffi::OsStr;
use std::fs::{self, DirBuilder};
use std::io;
use std::os::unix::fs::DirBuilderExt;

use super::name::NETNS_RUN_DIR;
use crate::error::{Error, Result};
use crate::sys;

/// Become "root" in new user, mount and network namespaces, so that the rest of
/// this crate (named namespaces, veth, addresses, routes) works without privileges
/// and without touching the host.
///
/// **Call it in a single-threaded child process**: `unshare(CLONE_NEWUSER)` fails
/// with `EINVAL` in a multi-threaded process (the `cargo test` harness is one), and
/// it moves the whole process for good. Typically: a `rawnet lab` child process,
/// or `fork` then this.
///
/// Steps: `unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET)`; write `deny` to
/// `/proc/self/setgroups`; map uid 0 to the effective uid and gid 0 to the
/// effective gid (`/proc/self/uid_map`, `gid_map`: `0 ID 1`); make `/` recursively
/// private; mount a tmpfs on `/run/netns`, creating the directory first, and if
/// `/run` is not writable, mounting a tmpfs on `/run` first.
pub fn enter_private_user_netns() -> Result<()> {
    let (uid, gid) = sys::ns::effective_ids();
    sys::ns::unshare(
        libc::CLONE_NEWUSER | libc::CLONE_NEWNS | libc::CLONE_NEWNET,
        "unshare(CLONE_NEWUSER|CLONE_NEWNS|CLONE_NEWNET)",
    )?;
    write_proc("/proc/self/setgroups", "deny")?;
    write_proc("/proc/self/uid_map", &format!("0 {uid} 1\n"))?;
    write_proc("/proc/self/gid_map", &format!("0 {gid} 1\n"))?;
    sys::ns::mount(
        OsStr::new(""),
        OsStr::new("/"),
        "none",
        libc::MS_REC | libc::MS_PRIVATE,
        "mount --make-rprivate /",
    )?;
    if create_run_dir().is_err() {
        mount_tmpfs("/run")?;
        create_run_dir().map_err(|e| Error::io(format!("mkdir {NETNS_RUN_DIR}"), e))?;
    }
    mount_tmpfs(NETNS_RUN_DIR)
}

fn write_proc(path: &str, text: &str) -> Result<()> {
    fs::write(path, text).map_err(|e| Error::io(format!("write {path}"), e))
}

/// `mkdir /run/netns` (mode 0755); an existing one is fine.
fn create_run_dir() -> io::Result<()> {
    match DirBuilder::new().mode(0o755).create(NETNS_RUN_DIR) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    }
}

fn mount_tmpfs(target: &str) -> Result<()> {
    sys::ns::mount(
        OsStr::new("tmpfs"),
        OsStr::new(target),
        "tmpfs",
        libc::MS_NOSUID | libc::MS_NODEV,
        &format!("mount tmpfs on {target}"),
    )
}

/// True when the process runs with effective uid 0, where the lab and the
/// named-namespace commands work in the host's namespaces as they are.
pub fn is_privileged() -> bool {
    sys::ns::effective_ids().0 == 0
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::ns::{add_named, delete_named, list_named, run_in, NetNs};

    /// Runs in a forked, single-threaded child (see `sys::ns::fork_and_wait`),
    /// as nobody when the tests run as root, so the unprivileged path is what is
    /// tested. Each step has its own exit status so a failure says which one.
    fn lab_child() -> i32 {
        if sys::ns::effective_ids().0 == 0 && sys::ns::become_unprivileged(65534).is_err() {
            return 10;
        }
        let host = match NetNs::current().and_then(|n| n.identity()) {
            Ok(id) => id,
            Err(_) => return 11,
        };
        if enter_private_user_netns().is_err() {
            return 12;
        }
        if sys::ns::effective_ids() != (0, 0) {
            return 13;
        }
        // Our /run/netns is a fresh tmpfs: empty, whatever the host has.
        if !list_named().is_ok_and(|v| v.is_empty()) {
            return 14;
        }
        let ns = match add_named("lab") {
            Ok(ns) => ns,
            Err(_) => return 15,
        };
        if list_named().ok() != Some(vec![b"lab".to_vec()]) {
            return 16;
        }
        let inside = run_in(&ns, || NetNs::current().and_then(|n| n.identity()));
        match inside {
            Ok(Ok(id)) if id != host => {}
            _ => return 17,
        }
        if delete_named("lab").is_err() || !list_named().is_ok_and(|v| v.is_empty()) {
            return 18;
        }
        0
    }

    #[test]
    fn private_user_netns_in_a_child_process() {
        let status = sys::ns::fork_and_wait(Duration::from_secs(30), lab_child).unwrap();
        assert_eq!(
            status, 0,
            "lab child failed at step {status} (see lab_child)"
        );
    }
}
