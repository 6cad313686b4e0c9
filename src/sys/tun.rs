//! The ioctls of `/dev/net/tun`: `TUNSETIFF`, `TUNGETIFF`, and the integer
//! setters `TUNSETPERSIST`, `TUNSETOWNER`, `TUNSETGROUP`.
//!
//! Opening the device, reading and writing packets go through `std::fs::File`
//! and need no unsafe code; only the ioctls live here. Each wrapper takes a
//! `BorrowedFd` and plain values, and names the failed call the way iproute2's
//! `perror` does (`ioctl(TUNSETIFF)`). Every `unsafe` block carries a
//! `// SAFETY:` line.

use std::os::fd::{AsRawFd, BorrowedFd};

use super::cvt;
use super::device::IfReqFlags;
use crate::error::Result;

/// `ioctl(fd, TUNSETIFF, &ifr)`: create or attach to the device `name` (all
/// zero: the kernel picks `tunN`/`tapN`) with `IFF_*` `flags`. Returns the
/// name the kernel wrote back (NUL-padded).
pub(crate) fn set_iff(fd: BorrowedFd<'_>, name: [u8; 16], flags: u16) -> Result<[u8; 16]> {
    let mut ifr = IfReqFlags {
        name,
        flags: flags as libc::c_short,
        _pad: [0; 22],
    };
    // SAFETY: `ifr` is a live, writable struct of the size of `struct ifreq`;
    // TUNSETIFF reads it and writes the chosen name back into it.
    cvt(
        unsafe { libc::ioctl(fd.as_raw_fd(), libc::TUNSETIFF, &mut ifr as *mut IfReqFlags) },
        "ioctl(TUNSETIFF)",
    )?;
    Ok(ifr.name)
}

/// `ioctl(fd, TUNGETIFF, &ifr)`: the attached device's name and `IFF_*` flags
/// (as the kernel reports them, with `IFF_PERSIST` when set).
pub(crate) fn get_iff(fd: BorrowedFd<'_>) -> Result<([u8; 16], u16)> {
    let mut ifr = IfReqFlags {
        name: [0; 16],
        flags: 0,
        _pad: [0; 22],
    };
    // SAFETY: as for `set_iff`: TUNGETIFF writes at most `sizeof(struct ifreq)`
    // bytes into `ifr`, which is that large and ours for the call.
    cvt(
        unsafe { libc::ioctl(fd.as_raw_fd(), libc::TUNGETIFF, &mut ifr as *mut IfReqFlags) },
        "ioctl(TUNGETIFF)",
    )?;
    Ok((ifr.name, ifr.flags as u16))
}

/// The tun ioctls that take their value as the argument itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IntRequest {
    /// `TUNSETPERSIST`: 1 keeps the device when the last descriptor closes.
    Persist,
    /// `TUNSETOWNER`: the uid allowed to attach (in the caller's user namespace).
    Owner,
    /// `TUNSETGROUP`: the gid allowed to attach.
    Group,
}

/// `ioctl(fd, TUNSETPERSIST | TUNSETOWNER | TUNSETGROUP, value)`.
pub(crate) fn set_int(fd: BorrowedFd<'_>, request: IntRequest, value: u32) -> Result<()> {
    let (req, op) = match request {
        IntRequest::Persist => (libc::TUNSETPERSIST, "ioctl(TUNSETPERSIST)"),
        IntRequest::Owner => (libc::TUNSETOWNER, "ioctl(TUNSETOWNER)"),
        IntRequest::Group => (libc::TUNSETGROUP, "ioctl(TUNSETGROUP)"),
    };
    // SAFETY: these requests take an integer argument, not a pointer; the
    // kernel reads nothing of ours.
    cvt(
        unsafe { libc::ioctl(fd.as_raw_fd(), req, libc::c_ulong::from(value)) },
        op,
    )?;
    Ok(())
}
