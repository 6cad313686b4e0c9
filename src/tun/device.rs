//! Creating and deleting tun/tap devices through `/dev/net/tun`, as
//! `ip tuntap add|del` does. (I/O)
//!
//! A tun/tap device is created in the network namespace of the thread that
//! calls `TUNSETIFF`: to make one in another namespace, call these inside
//! [`crate::ns::run_in`]. Nothing here moves a thread.
//!
//! Invariant: [`add_tuntap`] either leaves a persistent device with the asked
//! owner and group, or nothing: every step runs on a descriptor that is closed
//! on the way out, and a device that is not yet persistent goes with it.

use std::fs::{File, OpenOptions};
use std::os::fd::AsFd;

use super::flags::{Mode, TunFlags};
use crate::error::{Error, Result};
use crate::route::link::{validate_ifname, IFNAMSIZ};
use crate::sys::tun::{self as systun, IntRequest};

/// The clone device.
pub const TUN_DEVICE: &str = "/dev/net/tun";

/// What `ip tuntap add|del` is told: a name (or none: the kernel picks
/// `tunN`/`tapN`), a mode, and the options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TunTapSpec {
    /// The name's bytes (need not be UTF-8).
    pub name: Option<Vec<u8>>,
    pub mode: Mode,
    /// `pi`: keep the 4-byte `struct tun_pi` in front of each packet
    /// (iproute2's default is off: `IFF_NO_PI`).
    pub packet_info: bool,
    /// `one_queue` (`IFF_ONE_QUEUE`, obsolete but recorded by the kernel).
    pub one_queue: bool,
    /// `vnet_hdr` (`IFF_VNET_HDR`).
    pub vnet_hdr: bool,
    /// `multi_queue` (`IFF_MULTI_QUEUE`).
    pub multi_queue: bool,
    /// `user`: the uid allowed to attach (`TUNSETOWNER`), in the caller's user namespace.
    pub owner: Option<u32>,
    /// `group`: the gid allowed to attach (`TUNSETGROUP`).
    pub group: Option<u32>,
}

impl TunTapSpec {
    /// A device of `mode` with iproute2's defaults (no packet info, one queue).
    pub fn new(name: Option<&[u8]>, mode: Mode) -> Self {
        TunTapSpec {
            name: name.map(<[u8]>::to_vec),
            mode,
            packet_info: false,
            one_queue: false,
            vnet_hdr: false,
            multi_queue: false,
            owner: None,
            group: None,
        }
    }

    /// The `ifr_flags` for `TUNSETIFF`.
    pub fn flags(&self) -> TunFlags {
        let mut f = self.mode.flag();
        f.set(TunFlags::IFF_NO_PI, !self.packet_info);
        f.set(TunFlags::IFF_ONE_QUEUE, self.one_queue);
        f.set(TunFlags::IFF_VNET_HDR, self.vnet_hdr);
        f.set(TunFlags::IFF_MULTI_QUEUE, self.multi_queue);
        f
    }

    /// `ifr_name`: the name NUL-padded, all zero without one.
    fn ifr_name(&self) -> Result<[u8; IFNAMSIZ]> {
        let mut raw = [0u8; IFNAMSIZ];
        if let Some(name) = &self.name {
            validate_ifname(name)?;
            raw[..name.len()].copy_from_slice(name);
        }
        Ok(raw)
    }
}

/// The name in a kernel `ifr_name` (up to the first NUL).
pub(super) fn name_of(raw: &[u8; IFNAMSIZ]) -> String {
    let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
    String::from_utf8_lossy(&raw[..end]).into_owned()
}

/// Open `/dev/net/tun` read-write (close-on-exec). Fails with op `open`, as
/// iproute2's `perror("open")`.
pub(super) fn open_clone_device() -> Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .open(TUN_DEVICE)
        .map_err(|e| Error::io("open", e))
}

/// Open the clone device and `TUNSETIFF` with `flags`; the file and the name
/// the kernel gave the device.
pub(super) fn attach(spec: &TunTapSpec, flags: TunFlags) -> Result<(File, String)> {
    let raw = spec.ifr_name()?;
    let file = open_clone_device()?;
    let name = systun::set_iff(file.as_fd(), raw, flags.bits())?;
    Ok((file, name_of(&name)))
}

/// `ip tuntap add`: create a persistent device in the calling thread's
/// network namespace and close the descriptor. Steps (iproute2's
/// `tap_add_ioctl`): `TUNSETIFF` with `IFF_TUN_EXCL` (an existing name fails
/// with `EBUSY`), `TUNSETOWNER`, `TUNSETGROUP`, `TUNSETPERSIST 1`.
///
/// Returns the device's name (the kernel's choice when `spec.name` is `None`).
/// Errors: `Invalid` for a bad name; `Io` naming the failed step, e.g.
/// `ioctl(TUNSETIFF): Device or resource busy`.
#[doc(alias = "TUNSETIFF")]
#[doc(alias = "TUNSETPERSIST")]
pub fn add_tuntap(spec: &TunTapSpec) -> Result<String> {
    let (file, name) = attach(spec, spec.flags() | TunFlags::IFF_TUN_EXCL)?;
    let fd = file.as_fd();
    if let Some(uid) = spec.owner {
        systun::set_int(fd, IntRequest::Owner, uid)?;
    }
    if let Some(gid) = spec.group {
        systun::set_int(fd, IntRequest::Group, gid)?;
    }
    systun::set_int(fd, IntRequest::Persist, 1)?;
    Ok(name)
}

/// `ip tuntap del`: attach to the device with `spec`'s mode and flags and
/// clear its persist flag; it goes when the descriptor closes (at once, unless
/// some other program still holds it open).
///
/// As in iproute2, the mode and `multi_queue` must match the device's
/// (`ioctl(TUNSETIFF): Invalid argument` otherwise), and a name that does not
/// exist is not an error: `TUNSETIFF` makes a device that vanishes again on
/// close. To delete by name whatever the flags, use
/// [`crate::route::link::delete_link`] (`RTM_DELLINK`).
pub fn delete_tuntap(spec: &TunTapSpec) -> Result<()> {
    let (file, _) = attach(spec, spec.flags())?;
    systun::set_int(file.as_fd(), IntRequest::Persist, 0)
}
