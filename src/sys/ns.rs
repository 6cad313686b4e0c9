//! System calls behind network namespaces: `unshare`, `setns`, `mount`, `umount2`,
//! `fstat`, `statvfs`, and the ids of the calling process.
//!
//! Each wrapper takes safe types (paths, `BorrowedFd`, flag integers) and names the
//! failed operation with the `op` its caller passes, so errors read the way
//! iproute2's do. Paths with an interior NUL byte are refused as `Error::Invalid`
//! before any call is made. Test builds add `fork_and_wait`, used to run code that
//! needs a single-threaded process (user namespaces) from the multi-threaded
//! test harness.

use std::ffi::{CString, OsStr};
use std::os::fd::{AsRawFd, BorrowedFd};
use std::os::unix::ffi::OsStrExt;

use super::cvt;
use crate::error::{Error, Invalid, Result};

/// A C string of `s`; an interior NUL is `Invalid::NulByte`.
fn c_string(s: &OsStr) -> Result<CString> {
    CString::new(s.as_bytes()).map_err(|_| {
        Error::Invalid(Invalid::NulByte {
            text: s.to_string_lossy().into_owned(),
        })
    })
}

/// `unshare(2)`: move the calling thread (or process, for `CLONE_NEWUSER` and
/// `CLONE_NEWNS`) into new namespaces of the kinds in `flags`.
pub(crate) fn unshare(flags: libc::c_int, op: &str) -> Result<()> {
    // SAFETY: unshare takes only an integer and touches no memory of ours.
    cvt(unsafe { libc::unshare(flags) }, op).map(drop)
}

/// `setns(2)`: move the calling thread into the namespace `fd` refers to.
/// `nstype` is `CLONE_NEWNET` (or another `CLONE_NEW*`) and must match the file.
pub(crate) fn setns(fd: BorrowedFd<'_>, nstype: libc::c_int, op: &str) -> Result<()> {
    // SAFETY: `fd` is a valid open descriptor for the borrow's lifetime; setns only
    // reads the integer arguments.
    cvt(unsafe { libc::setns(fd.as_raw_fd(), nstype) }, op).map(drop)
}

/// `mount(2)` without a data argument. `source` may be empty (iproute2 passes `""`
/// for propagation changes); `fstype` may be empty for bind and propagation mounts.
pub(crate) fn mount(
    source: &OsStr,
    target: &OsStr,
    fstype: &str,
    flags: libc::c_ulong,
    op: &str,
) -> Result<()> {
    let source = c_string(source)?;
    let target = c_string(target)?;
    let fstype = c_string(OsStr::new(fstype))?;
    // SAFETY: the three pointers come from live CStrings (NUL-terminated, valid for
    // the call); the data pointer is NULL, which mount accepts.
    let ret = unsafe {
        libc::mount(
            source.as_ptr(),
            target.as_ptr(),
            fstype.as_ptr(),
            flags,
            std::ptr::null(),
        )
    };
    cvt(ret, op).map(drop)
}

/// `umount2(2)`: unmount `target`; `flags` such as `MNT_DETACH`.
pub(crate) fn umount2(target: &OsStr, flags: libc::c_int, op: &str) -> Result<()> {
    let target = c_string(target)?;
    // SAFETY: `target` is a live NUL-terminated string for the duration of the call.
    cvt(unsafe { libc::umount2(target.as_ptr(), flags) }, op).map(drop)
}

/// `fstat(2)` reduced to the identity of a namespace file: `(st_dev, st_ino)`.
#[doc(alias = "fstat")]
pub(crate) fn dev_ino(fd: BorrowedFd<'_>, op: &str) -> Result<(u64, u64)> {
    let mut st = std::mem::MaybeUninit::<libc::stat>::zeroed();
    // SAFETY: `fd` is open for the borrow; `st` points to writable storage of the
    // size fstat fills.
    cvt(unsafe { libc::fstat(fd.as_raw_fd(), st.as_mut_ptr()) }, op)?;
    // SAFETY: fstat succeeded, so it initialised the whole struct (and it was
    // zeroed before, so every byte is initialised either way).
    let st = unsafe { st.assume_init() };
    Ok((st.st_dev, st.st_ino))
}

/// Whether the file system holding `path` is mounted read-only (`statvfs(3)`,
/// `ST_RDONLY`). `None` when `statvfs` fails.
#[doc(alias = "statvfs")]
pub(crate) fn is_read_only(path: &OsStr) -> Option<bool> {
    let path = c_string(path).ok()?;
    let mut st = std::mem::MaybeUninit::<libc::statvfs>::zeroed();
    // SAFETY: `path` is a live NUL-terminated string; `st` is writable storage of
    // the size statvfs fills.
    let ret = unsafe { libc::statvfs(path.as_ptr(), st.as_mut_ptr()) };
    if ret != 0 {
        return None;
    }
    // SAFETY: statvfs succeeded and the struct was zeroed before the call.
    let st = unsafe { st.assume_init() };
    Some(st.f_flag & libc::ST_RDONLY != 0)
}

/// The effective user and group ids of the calling process.
#[doc(alias = "geteuid")]
#[doc(alias = "getegid")]
pub(crate) fn effective_ids() -> (u32, u32) {
    // SAFETY: geteuid and getegid cannot fail and take no arguments.
    unsafe { (libc::geteuid(), libc::getegid()) }
}

/// Test support: run `f` in a forked child process and return its exit status.
///
/// The child is single-threaded, which is what `unshare(CLONE_NEWUSER)` needs; the
/// test harness is not. After `fork` in a multi-threaded process the child may only
/// rely on what the fork left consistent: glibc's malloc is (it takes its locks
/// around fork), locks held by other threads are not, so `f` must not print or
/// touch the environment. `f`'s panics are caught and become status 101; the child
/// always leaves with `_exit`, so it never returns into the harness. The parent
/// polls `waitpid(WNOHANG)` for at most `timeout`, then kills the child it forked
/// with `SIGKILL`, reaps it and fails.
#[cfg(test)]
pub(crate) fn fork_and_wait(timeout: std::time::Duration, f: impl FnOnce() -> i32) -> Result<i32> {
    // SAFETY: fork has no memory preconditions; the child below only runs `f` and
    // then `_exit`s (see the function docs for what `f` may do).
    let pid = cvt(unsafe { libc::fork() }, "fork")?;
    if pid == 0 {
        let code = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or(101);
        // SAFETY: _exit ends the child immediately without running the parent's
        // atexit handlers or destructors, which belong to the harness.
        unsafe { libc::_exit(code) };
    }
    let step = std::time::Duration::from_millis(10);
    let mut waited = std::time::Duration::ZERO;
    loop {
        let mut status: libc::c_int = 0;
        // SAFETY: `pid` is our own child; `status` is a valid int to write to.
        let ret = cvt(
            unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) },
            "waitpid",
        )?;
        if ret == pid {
            if libc::WIFEXITED(status) {
                return Ok(libc::WEXITSTATUS(status));
            }
            return Ok(128 + libc::WTERMSIG(status));
        }
        if waited >= timeout {
            // SAFETY: `pid` is the child forked above and not yet reaped, so the
            // id still names that process.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            // SAFETY: as above; a blocking wait reaps the killed child.
            unsafe { libc::waitpid(pid, &mut status, 0) };
            return Err(Error::io(
                format!("child {pid} ran over {timeout:?}"),
                std::io::Error::from(std::io::ErrorKind::TimedOut),
            ));
        }
        std::thread::sleep(step);
        waited += step;
    }
}

/// Test support: in a forked child running as root, become user and group
/// `id` (e.g. 65534, nobody) and stay dumpable, so that `/proc/self/uid_map` is
/// still ours to write, as it is for a process that was never root.
#[cfg(test)]
pub(crate) fn become_unprivileged(id: u32) -> Result<()> {
    // SAFETY: setgroups with a zero-length list reads no memory.
    cvt(unsafe { libc::setgroups(0, std::ptr::null()) }, "setgroups")?;
    // SAFETY: setgid/setuid take integers only.
    cvt(unsafe { libc::setgid(id) }, "setgid")?;
    // SAFETY: as above.
    cvt(unsafe { libc::setuid(id) }, "setuid")?;
    // SAFETY: PR_SET_DUMPABLE takes an integer argument; the unused ones are 0.
    cvt(
        unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 1, 0, 0, 0) },
        "prctl(PR_SET_DUMPABLE)",
    )?;
    Ok(())
}
