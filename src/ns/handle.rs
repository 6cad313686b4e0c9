//! [`NetNs`], a handle to a network namespace, and [`run_in`], which runs code
//! inside one.
//!
//! Invariants: a `NetNs` owns an open, close-on-exec descriptor of a namespace
//! file; the namespace stays alive while the handle does. No function here moves
//! the calling thread: work inside a namespace happens on a short-lived thread
//! that calls `setns` and ends when the work is done.

use std::fs::File;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

use super::name::named_path;
use crate::error::{Error, Result};
use crate::sys;

/// The identity of a namespace: the `(st_dev, st_ino)` of its namespace file.
/// Two handles refer to the same namespace exactly when their identities are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NsIdentity {
    pub dev: u64,
    pub ino: u64,
}

/// An open network namespace.
#[derive(Debug)]
pub struct NetNs(OwnedFd);

impl NetNs {
    /// The network namespace of the calling thread (`/proc/thread-self/ns/net`).
    pub fn current() -> Result<NetNs> {
        NetNs::open_path("/proc/thread-self/ns/net")
    }

    /// The network namespace of process `pid` (`/proc/PID/ns/net`).
    pub fn of_process(pid: u32) -> Result<NetNs> {
        NetNs::open_path(format!("/proc/{pid}/ns/net"))
    }

    /// A namespace named by iproute2 or [`add_named`](super::add_named):
    /// `/run/netns/NAME`. A bad name is `Error::Invalid`; a failed open is
    /// `Error::Io` with op `open /run/netns/NAME` and the errno.
    pub fn open_named(name: impl AsRef<[u8]>) -> Result<NetNs> {
        NetNs::open_path(named_path(name)?)
    }

    /// Any namespace file (`/proc/PID/task/TID/ns/net`, a bind mount of one, ...).
    /// Whether it really is a network namespace shows when it is used (`setns`
    /// fails with `EINVAL`).
    pub fn open_path(path: impl AsRef<Path>) -> Result<NetNs> {
        let path = path.as_ref();
        File::open(path)
            .map(|f| NetNs(f.into()))
            .map_err(|e| Error::io(format!("open {}", path.display()), e))
    }

    /// A fresh network namespace with no name: a short-lived thread unshares its
    /// network namespace and hands back a descriptor of it. The new namespace has
    /// only a down `lo`; it goes away when the last handle (or socket in it) does.
    pub fn new_anonymous() -> Result<NetNs> {
        on_thread(|| {
            sys::ns::unshare(libc::CLONE_NEWNET, "unshare(CLONE_NEWNET)")?;
            NetNs::current()
        })?
    }

    /// The namespace's `(st_dev, st_ino)`, for comparisons.
    pub fn identity(&self) -> Result<NsIdentity> {
        let (dev, ino) = sys::ns::dev_ino(self.0.as_fd(), "fstat network namespace")?;
        Ok(NsIdentity { dev, ino })
    }
}

impl AsFd for NetNs {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.0.as_fd()
    }
}

impl From<NetNs> for OwnedFd {
    fn from(ns: NetNs) -> OwnedFd {
        ns.0
    }
}

/// Run `f` inside `ns` and return its result.
///
/// `f` runs on a new thread (scoped, so it may borrow) that first joins `ns` with
/// `setns(CLONE_NEWNET)`; the thread ends when `f` returns. The calling thread
/// never changes namespace. Sockets opened by `f` stay in `ns` for life, which is
/// how a netlink or ICMP socket is opened in another namespace. A panic in `f` is
/// resumed on the calling thread.
pub fn run_in<T: Send>(ns: &NetNs, f: impl FnOnce() -> T + Send) -> Result<T> {
    let fd = ns.as_fd();
    on_thread(move || {
        sys::ns::setns(fd, libc::CLONE_NEWNET, "setns(CLONE_NEWNET)")?;
        Ok(f())
    })?
}

/// Run `f` on a short-lived scoped thread; a panic in `f` is resumed here.
pub(super) fn on_thread<T: Send>(f: impl FnOnce() -> T + Send) -> Result<T> {
    let mut f = Some(f);
    let mut out = None;
    spawn_and_join(&mut || out = f.take().map(|f| f()))?;
    // `spawn_and_join` returns Ok only after the closure ran, once.
    out.ok_or_else(|| Error::io("run on a thread", std::io::Error::other("did not run")))
}

/// The one thread start behind every [`on_thread`]: not generic, so the
/// thread machinery is compiled once rather than once per closure type.
fn spawn_and_join(work: &mut (dyn FnMut() + Send)) -> Result<()> {
    std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .name("rawnet-netns".into())
            .spawn_scoped(s, work)
            .map_err(|e| Error::io("spawn thread", e))?;
        match handle.join() {
            Ok(()) => Ok(()),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_namespace_differs_from_current() {
        let here = NetNs::current().unwrap().identity().unwrap();
        let ns = NetNs::new_anonymous().unwrap();
        let there = ns.identity().unwrap();
        assert_ne!(here, there);
        let inside = run_in(&ns, || NetNs::current().and_then(|n| n.identity()))
            .unwrap()
            .unwrap();
        assert_eq!(inside, there);
        // The calling thread did not move.
        assert_eq!(NetNs::current().unwrap().identity().unwrap(), here);
    }

    #[test]
    fn run_in_may_borrow() {
        let ns = NetNs::new_anonymous().unwrap();
        let mut seen = Vec::new();
        run_in(&ns, || seen.push(1)).unwrap();
        assert_eq!(seen, [1]);
    }

    #[test]
    fn run_in_returns_the_value_and_resumes_a_panic_here() {
        let ns = NetNs::new_anonymous().unwrap();
        assert_eq!(
            run_in(&ns, || String::from("made inside")).unwrap(),
            "made inside"
        );
        let caught = std::panic::catch_unwind(|| run_in(&ns, || panic!("inside")));
        let payload = caught.unwrap_err();
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"inside"));
    }

    #[test]
    fn open_named_reports_path_and_errno() {
        let e = NetNs::open_named("rn-no-such-namespace-x").unwrap_err();
        assert_eq!(e.errno(), Some(libc::ENOENT));
        assert!(e
            .to_string()
            .starts_with("open /run/netns/rn-no-such-namespace-x: "));
        assert!(matches!(NetNs::open_named("../x"), Err(Error::Invalid(_))));
    }

    #[test]
    fn run_in_refuses_a_file_that_is_not_a_namespace() {
        let ns = NetNs::open_path("/proc/self/stat").unwrap();
        let e = run_in(&ns, || ()).unwrap_err();
        assert_eq!(e.errno(), Some(libc::EINVAL));
    }
}
