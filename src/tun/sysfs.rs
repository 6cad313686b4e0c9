//! `/sys/class/net/NAME/tun_flags` for the right namespace. (I/O)
//!
//! sysfs shows the network devices of the namespace that *mounted* it, not
//! of the reader, so the host's `/sys` says nothing reliable about a device
//! in another namespace. `ip -n NS tuntap show` works because `ip -n`
//! remounts `/sys` after switching. This does the same without moving any
//! thread of the caller: a short-lived thread joins the namespace, unshares
//! its mount namespace (a thread may: it takes `CLONE_FS` only), makes `/`
//! a recursive slave so nothing propagates back, detaches the `/sys` there
//! was and mounts a fresh read-only sysfs there, reads the files, and ends; its mount namespace goes
//! with it.
//!
//! The flags are an extra: netlink ([`super::info`]) has everything else. When
//! the private mount is refused (no privilege over the namespace), the result
//! is `Err` and callers fall back to netlink's view.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use super::flags::{parse_sysfs_flags, TunFlags};
use crate::error::Result;
use crate::ns::{run_in, NetNs};
use crate::sys;

/// The `tun_flags` of each of `names` (`None` for a name without the file),
/// read from a sysfs mounted for `ns` (the caller's namespace when `None`).
pub fn read_tun_flags(ns: Option<&NetNs>, names: &[Vec<u8>]) -> Result<Vec<Option<TunFlags>>> {
    let here;
    let ns = match ns {
        Some(ns) => ns,
        None => {
            here = NetNs::current()?;
            &here
        }
    };
    run_in(ns, || {
        mount_private_sysfs()?;
        Ok(names
            .iter()
            .map(|name| {
                let mut path = b"/sys/class/net/".to_vec();
                path.extend_from_slice(name);
                path.extend_from_slice(b"/tun_flags");
                std::fs::read_to_string(OsStr::from_bytes(&path))
                    .ok()
                    .and_then(|t| parse_sysfs_flags(&t))
            })
            .collect())
    })?
}

/// On the calling (short-lived) thread only: a private mount namespace with
/// a sysfs of the thread's network namespace on `/sys`.
fn mount_private_sysfs() -> Result<()> {
    sys::ns::unshare(libc::CLONE_NEWNS, "unshare(CLONE_NEWNS)")?;
    // Without this, the sysfs mount below could propagate to the host's /sys.
    sys::ns::mount(
        OsStr::new(""),
        OsStr::new("/"),
        "none",
        libc::MS_SLAVE | libc::MS_REC,
        "mount --make-rslave /",
    )?;
    // As `ip netns exec` does: let go of the /sys there is first. Mounting
    // a sysfs over one of the same network namespace (the case under
    // `ip netns exec`) fails with EBUSY otherwise.
    let _ = sys::ns::umount2(OsStr::new("/sys"), libc::MNT_DETACH, "umount2 /sys");
    sys::ns::mount(
        OsStr::new("sysfs"),
        OsStr::new("/sys"),
        "sysfs",
        libc::MS_RDONLY | libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
        "mount sysfs on /sys",
    )
}
