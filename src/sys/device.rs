//! Network-device ioctls by name (`SIOCGIF*`), on any socket of the
//! namespace the device lives in (a netlink socket will do: the kernel
//! answers device ioctls for every socket family).

use std::mem::size_of;
use std::os::fd::{AsRawFd, BorrowedFd};

use super::cvt;
use crate::error::Result;

/// `struct ifreq` as `SIOCGIFTXQLEN` uses it: the name and `ifr_qlen` (an `int`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
struct IfReqInt {
    name: [u8; 16],
    value: libc::c_int,
    _pad: [u8; 20],
}
const _: () = assert!(size_of::<IfReqInt>() == size_of::<libc::ifreq>());

/// `ioctl(fd, SIOCGIFTXQLEN, &ifr)`: the transmit queue length of device
/// `name` (at most 15 bytes; longer names fail with `ENODEV`).
pub(crate) fn tx_queue_len(fd: BorrowedFd<'_>, name: &[u8]) -> Result<u32> {
    let mut ifr = IfReqInt {
        name: [0; 16],
        value: 0,
        _pad: [0; 20],
    };
    if name.len() >= ifr.name.len() {
        return Err(crate::error::Error::io(
            "ioctl(SIOCGIFTXQLEN)",
            std::io::Error::from_raw_os_error(libc::ENODEV),
        ));
    }
    ifr.name[..name.len()].copy_from_slice(name);
    // SAFETY: `ifr` is a live, writable struct of the size of `struct ifreq`;
    // SIOCGIFTXQLEN reads the name and writes `ifr_qlen` into it.
    cvt(
        unsafe {
            libc::ioctl(
                fd.as_raw_fd(),
                // The request's type differs between glibc and musl.
                libc::SIOCGIFTXQLEN as _,
                &mut ifr as *mut IfReqInt,
            )
        },
        "ioctl(SIOCGIFTXQLEN)",
    )?;
    Ok(ifr.value.max(0) as u32)
}

/// `struct ifreq` as `SIOCGIFNAME` uses it: `ifr_ifindex` in, the name out.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
struct IfReqName {
    name: [u8; 16],
    index: libc::c_int,
    _pad: [u8; 20],
}
const _: () = assert!(size_of::<IfReqName>() == size_of::<libc::ifreq>());

/// `ioctl(fd, SIOCGIFNAME, &ifr)`: the name of device `index` (the bytes
/// before the NUL); `None` when there is no such device (`ENODEV`).
pub(crate) fn name_by_index(fd: BorrowedFd<'_>, index: u32) -> Result<Option<Vec<u8>>> {
    let mut ifr = IfReqName {
        name: [0; 16],
        index: index as libc::c_int,
        _pad: [0; 20],
    };
    // SAFETY: `ifr` is a live, writable struct of the size of `struct ifreq`;
    // SIOCGIFNAME reads `ifr_ifindex` and writes at most 16 name bytes.
    let ret = unsafe {
        libc::ioctl(
            fd.as_raw_fd(),
            libc::SIOCGIFNAME as _,
            &mut ifr as *mut IfReqName,
        )
    };
    if ret < 0 {
        let e = crate::error::Error::last_os("ioctl(SIOCGIFNAME)");
        return match e.errno() {
            Some(libc::ENODEV) => Ok(None),
            _ => Err(e),
        };
    }
    let len = ifr.name.iter().position(|&b| b == 0).unwrap_or(16);
    Ok(Some(ifr.name[..len].to_vec()))
}

/// `struct ifreq` with the name and `ifr_flags` (a `short`), padded to the
/// size of the kernel's union: what `SIOCGIFFLAGS`, `TUNSETIFF` and
/// `TUNGETIFF` use.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct IfReqFlags {
    pub(crate) name: [u8; 16],
    pub(crate) flags: libc::c_short,
    pub(crate) _pad: [u8; 22],
}
const _: () = assert!(size_of::<IfReqFlags>() == size_of::<libc::ifreq>());

/// `ioctl(fd, SIOCGIFFLAGS, &ifr)`: the low 16 `IFF_*` flags of device
/// `name`; `None` when there is no such device.
pub(crate) fn flags_by_name(fd: BorrowedFd<'_>, name: &[u8]) -> Result<Option<u16>> {
    let mut ifr = IfReqFlags {
        name: [0; 16],
        flags: 0,
        _pad: [0; 22],
    };
    if name.len() >= ifr.name.len() {
        return Ok(None);
    }
    ifr.name[..name.len()].copy_from_slice(name);
    // SAFETY: `ifr` is a live, writable struct of the size of `struct ifreq`;
    // SIOCGIFFLAGS reads the name and writes `ifr_flags`.
    let ret = unsafe {
        libc::ioctl(
            fd.as_raw_fd(),
            libc::SIOCGIFFLAGS as _,
            &mut ifr as *mut IfReqFlags,
        )
    };
    if ret < 0 {
        let e = crate::error::Error::last_os("ioctl(SIOCGIFFLAGS)");
        return match e.errno() {
            Some(libc::ENODEV) => Ok(None),
            _ => Err(e),
        };
    }
    Ok(Some(ifr.flags as u16))
}
