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
                libc::SIOCGIFTXQLEN,
                &mut ifr as *mut IfReqInt,
            )
        },
        "ioctl(SIOCGIFTXQLEN)",
    )?;
    Ok(ifr.value.max(0) as u32)
}
