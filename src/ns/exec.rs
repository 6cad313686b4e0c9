//! Moving the calling thread into a network namespace: for a whole short-lived
//! program ([`move_calling_thread_into`], what `ip -n NAME` does before it
//! looks at the command) and for running a program inside a named namespace,
//! as `ip netns exec` does ([`enter_named_for_exec`], [`exec_in`]).
//!
//! Unlike the rest of the crate these move the calling thread, and
//! [`enter_named_for_exec`] also unshares the mount namespace, which works only
//! in a single-threaded process. They are for a program's own main thread
//! (the `rawnet` command line), never for a thread a library does not own.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::os::fd::AsFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use super::handle::NetNs;
use super::name::{named_path, validate_name, NETNS_ETC_DIR};
use crate::error::{Error, Invalid, Missing, Result};
use crate::sys;

/// Move the calling thread into `ns` for good (`setns(CLONE_NEWNET)`).
///
/// Sockets opened afterwards on this thread, and threads started from it, are
/// in `ns`; sockets already open keep their namespace. Nothing else changes:
/// unlike [`enter_named_for_exec`] the mount namespace and `/sys` stay as they
/// are (sysfs keeps showing the devices of the namespace that mounted it).
/// Meant for a program's own main thread when everything it does happens in
/// one namespace; a library thread must use [`run_in`](super::run_in) instead.
/// A file that is not a network namespace fails with `EINVAL` (op
/// `setns(CLONE_NEWNET)`).
#[doc(alias = "setns")]
pub fn move_calling_thread_into(ns: &NetNs) -> Result<()> {
    sys::ns::setns(ns.as_fd(), libc::CLONE_NEWNET, "setns(CLONE_NEWNET)")
}

/// Longest name `bind_etc` handles (iproute2 skips `/etc/netns` for longer ones).
const ETC_NAME_MAX: usize = 254;

/// Move the calling process into the named namespace the way `ip netns exec` does
/// before it execs (iproute2's `netns_switch`):
///
/// 1. open `/run/netns/NAME` and `setns(CLONE_NEWNET)` on the calling thread;
/// 2. `unshare(CLONE_NEWNS)` and make `/` a recursive slave, so no mount made
///    from here on propagates back;
/// 3. detach `/sys` and mount a fresh sysfs (source NAME) that shows this
///    namespace's devices (read-only if the old `/sys` could not be unmounted and
///    was read-only);
/// 4. bind-mount every `/etc/netns/NAME/FILE` over `/etc/FILE`.
///
/// Only for a single-threaded process about to exec: step 2 fails with `EINVAL`
/// in a multi-threaded one, and the process is left in the namespace.
///
/// Returns the failed `/etc` bind mounts, which iproute2 reports but does not treat
/// as fatal. Errors carry iproute2's wording in their op, e.g.
/// `Cannot open network namespace "NAME"` or `mount of /sys failed`.
pub fn enter_named_for_exec(name: impl AsRef<[u8]>) -> Result<Vec<Error>> {
    let raw = name.as_ref();
    let path = named_path(raw)?;
    let name = super::name::shown(raw);
    let ns = NetNs::open_path(&path).map_err(|e| match e {
        Error::Io { source, .. } => {
            Error::io(format!("Cannot open network namespace \"{name}\""), source)
        }
        other => other,
    })?;
    sys::ns::setns(
        ns.as_fd(),
        libc::CLONE_NEWNET,
        &format!("setting the network namespace \"{name}\" failed"),
    )?;
    drop(ns);
    sys::ns::unshare(libc::CLONE_NEWNS, "unshare failed")?;
    sys::ns::mount(
        OsStr::new(""),
        OsStr::new("/"),
        "none",
        libc::MS_SLAVE | libc::MS_REC,
        "\"mount --make-rslave /\" failed",
    )?;
    let sys_dir = OsStr::new("/sys");
    let mut flags = 0;
    if sys::ns::umount2(sys_dir, libc::MNT_DETACH, "umount2 /sys").is_err() {
        // No sysfs there, or one we cannot detach: overlay it. A read-only
        // instance cannot be shadowed with a read-write one.
        if sys::ns::is_read_only(sys_dir) == Some(true) {
            flags = libc::MS_RDONLY;
        }
    }
    sys::ns::mount(
        OsStr::from_bytes(raw),
        sys_dir,
        "sysfs",
        flags,
        "mount of /sys failed",
    )?;
    Ok(bind_etc(raw))
}

/// Bind `/etc/netns/NAME/*` over `/etc/*`; the failures, one per file.
fn bind_etc(name: &[u8]) -> Vec<Error> {
    let mut failed = Vec::new();
    if name.len() > ETC_NAME_MAX {
        return failed;
    }
    let dir = Path::new(NETNS_ETC_DIR).join(OsStr::from_bytes(name));
    let Ok(entries) = fs::read_dir(&dir) else {
        return failed;
    };
    for entry in entries.flatten() {
        let from = dir.join(entry.file_name());
        let onto = Path::new("/etc").join(entry.file_name());
        let op = format!("Bind {} -> {} failed", from.display(), onto.display());
        if let Err(e) = sys::ns::mount(
            from.as_os_str(),
            onto.as_os_str(),
            "none",
            libc::MS_BIND,
            &op,
        ) {
            failed.push(e);
        }
    }
    failed
}

/// Replace the process image with `argv[0]` (searched in `PATH`) and arguments
/// `argv[1..]`. Returns only on failure: `Io` with op `exec of "CMD" failed`, or
/// `Invalid::Missing(Missing::Command)` for an empty `argv`. Signal dispositions the
/// Rust runtime changed (`SIGPIPE`) are reset for the new program.
pub fn exec(argv: &[OsString]) -> Error {
    let Some((cmd, args)) = argv.split_first() else {
        return Error::Invalid(Invalid::Missing(Missing::Command));
    };
    let e = Command::new(cmd).args(args).exec();
    Error::io(format!("exec of \"{}\" failed", cmd.to_string_lossy()), e)
}

/// `ip netns exec NAME CMD...`: [`enter_named_for_exec`], then [`exec`]. Failed
/// `/etc` bind mounts are ignored here; call the two steps to report them.
/// Returns only on failure. Single-threaded processes only.
pub fn exec_in(name: impl AsRef<[u8]>, argv: &[OsString]) -> Error {
    let name = name.as_ref();
    if let Err(e) = validate_name(name) {
        return e;
    }
    if argv.is_empty() {
        return Error::Invalid(Invalid::Missing(Missing::Command));
    }
    match enter_named_for_exec(name) {
        Ok(_) => exec(argv),
        Err(e) => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_the_calling_thread_only() {
        let here = NetNs::current().unwrap().identity().unwrap();
        let ns = NetNs::new_anonymous().unwrap();
        let there = ns.identity().unwrap();
        // A thread of our own moves; the harness's thread stays.
        let seen = std::thread::scope(|s| {
            s.spawn(|| {
                move_calling_thread_into(&ns).unwrap();
                NetNs::current().unwrap().identity().unwrap()
            })
            .join()
            .unwrap()
        });
        assert_eq!(seen, there);
        assert_eq!(NetNs::current().unwrap().identity().unwrap(), here);
    }

    #[test]
    fn a_file_that_is_not_a_namespace_is_einval() {
        let not_ns = NetNs::open_path("/proc/self/stat").unwrap();
        let e = std::thread::scope(|s| {
            s.spawn(|| move_calling_thread_into(&not_ns).unwrap_err())
                .join()
                .unwrap()
        });
        assert_eq!(e.errno(), Some(libc::EINVAL));
    }
}
