//! Netlink socket system calls: socket, bind, getsockname, setsockopt,
//! sendto and recvfrom with `struct sockaddr_nl`.

use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use super::{cvt, cvt_size};
use crate::error::Result;

/// `socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol)`.
pub(crate) fn netlink_socket(protocol: i32) -> Result<OwnedFd> {
    // SAFETY: socket() takes no pointers; a non-negative return is a new fd we own.
    let fd = cvt(
        unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                protocol,
            )
        },
        "socket(AF_NETLINK)",
    )?;
    // SAFETY: fd was just returned by socket() and is owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

fn sockaddr_nl(pid: u32, groups: u32) -> libc::sockaddr_nl {
    // SAFETY: sockaddr_nl is plain old data; all-zero is a valid value.
    let mut sa: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
    sa.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    sa.nl_pid = pid;
    sa.nl_groups = groups;
    sa
}

/// Bind with port id 0 (the kernel picks one) and return the port id it chose.
pub(crate) fn bind_autoport(fd: BorrowedFd<'_>, groups: u32) -> Result<u32> {
    let sa = sockaddr_nl(0, groups);
    let len = std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
    // SAFETY: sa is a valid sockaddr_nl of the given length for the duration of the call.
    cvt(
        unsafe {
            libc::bind(
                fd.as_raw_fd(),
                (&sa as *const libc::sockaddr_nl).cast(),
                len,
            )
        },
        "bind(AF_NETLINK)",
    )?;
    let mut out = sockaddr_nl(0, 0);
    let mut out_len = len;
    // SAFETY: out and out_len are valid for writes of the sizes given.
    cvt(
        unsafe {
            libc::getsockname(
                fd.as_raw_fd(),
                (&mut out as *mut libc::sockaddr_nl).cast(),
                &mut out_len,
            )
        },
        "getsockname(AF_NETLINK)",
    )?;
    Ok(out.nl_pid)
}

/// `setsockopt(fd, level, name, &value, sizeof(int))`.
pub(crate) fn set_int_option(
    fd: BorrowedFd<'_>,
    level: i32,
    name: i32,
    value: i32,
    op: &str,
) -> Result<()> {
    // SAFETY: value lives across the call and its size is passed exactly.
    cvt(
        unsafe {
            libc::setsockopt(
                fd.as_raw_fd(),
                level,
                name,
                (&value as *const i32).cast(),
                std::mem::size_of::<i32>() as libc::socklen_t,
            )
        },
        op,
    )?;
    Ok(())
}

/// Send one datagram to the kernel (port id 0).
pub(crate) fn send_to_kernel(fd: BorrowedFd<'_>, bytes: &[u8]) -> Result<usize> {
    let sa = sockaddr_nl(0, 0);
    // SAFETY: bytes and sa are valid for reads of the lengths passed.
    cvt_size(
        unsafe {
            libc::sendto(
                fd.as_raw_fd(),
                bytes.as_ptr().cast(),
                bytes.len(),
                0,
                (&sa as *const libc::sockaddr_nl).cast(),
                std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        },
        "sendto(AF_NETLINK)",
    )
}

/// Receive one datagram into `buf`; returns its full length (which, with
/// `MSG_TRUNC`, can exceed `buf.len()`) and the sender's port id. EINTR is retried.
pub(crate) fn recv_from(fd: BorrowedFd<'_>, buf: &mut [u8], flags: i32) -> Result<(usize, u32)> {
    loop {
        let mut sa = sockaddr_nl(0, 0);
        let mut sa_len = std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        // SAFETY: buf is valid for writes of buf.len() bytes; sa/sa_len for their sizes.
        let ret = unsafe {
            libc::recvfrom(
                fd.as_raw_fd(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                flags,
                (&mut sa as *mut libc::sockaddr_nl).cast(),
                &mut sa_len,
            )
        };
        match cvt_size(ret, "recvfrom(AF_NETLINK)") {
            Err(e) if e.errno() == Some(libc::EINTR) => continue,
            Err(e) => return Err(e),
            Ok(n) => return Ok((n, sa.nl_pid)),
        }
    }
}
