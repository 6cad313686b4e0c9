//! System calls behind ICMP echo: sockets, options, BPF, send/receive, poll, SIGINT.
//!
//! Everything here takes safe types (`BorrowedFd`, slices, `SocketAddr`) and
//! returns plain values; control messages are copied out of the kernel's buffer
//! into owned fields before returning, so no caller ever sees a raw pointer.
//! Every `unsafe` block carries a `// SAFETY:` line.

use std::mem::{size_of, zeroed};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::{cvt, cvt_size};
use crate::error::{DecodeError, Error, Problem, Result};

/// `ICMP6_FILTER` (`<netinet/icmp6.h>`), an option of level `IPPROTO_ICMPV6`.
pub(crate) const ICMP6_FILTER: libc::c_int = 1;

/// `socket(2)` with `SOCK_CLOEXEC` added.
pub(crate) fn socket(
    domain: libc::c_int,
    ty: libc::c_int,
    protocol: libc::c_int,
) -> Result<OwnedFd> {
    // SAFETY: socket(2) takes no pointers.
    let fd = cvt(
        unsafe { libc::socket(domain, ty | libc::SOCK_CLOEXEC, protocol) },
        "socket",
    )?;
    // SAFETY: `fd` was just returned by socket(2) and nobody else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// `setsockopt(2)` with an `int` value.
pub(crate) fn set_option_int(
    fd: BorrowedFd<'_>,
    level: libc::c_int,
    name: libc::c_int,
    value: libc::c_int,
    op: &str,
) -> Result<()> {
    set_option_bytes(fd, level, name, &value.to_ne_bytes(), op)
}

/// `setsockopt(2)` with the option value given as bytes.
pub(crate) fn set_option_bytes(
    fd: BorrowedFd<'_>,
    level: libc::c_int,
    name: libc::c_int,
    value: &[u8],
    op: &str,
) -> Result<()> {
    let len = libc::socklen_t::try_from(value.len()).map_err(|_| Error::Truncated {
        what: "socket option value",
    })?;
    // SAFETY: `value` is valid for `len` bytes for the duration of the call.
    cvt(
        unsafe { libc::setsockopt(fd.as_raw_fd(), level, name, value.as_ptr().cast(), len) },
        op,
    )?;
    Ok(())
}

/// Attach a classic BPF program (`SO_ATTACH_FILTER`).
pub(crate) fn attach_filter(fd: BorrowedFd<'_>, program: &[libc::sock_filter]) -> Result<()> {
    let len = u16::try_from(program.len()).map_err(|_| Error::Truncated {
        what: "BPF program",
    })?;
    let prog = libc::sock_fprog {
        len,
        filter: program.as_ptr().cast_mut(),
    };
    // SAFETY: `prog` points at `program`, alive for the call; the kernel copies it.
    cvt(
        unsafe {
            libc::setsockopt(
                fd.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_ATTACH_FILTER,
                (&prog as *const libc::sock_fprog).cast(),
                size_of::<libc::sock_fprog>() as libc::socklen_t,
            )
        },
        "setsockopt SO_ATTACH_FILTER",
    )?;
    Ok(())
}

/// `SO_RCVTIMEO`: the longest a [`ReceiveMode::Wait`] read sleeps. The kernel
/// counts it in scheduler ticks (rounded up), so a read may wake a few
/// milliseconds late; zero would mean "never", so it is at least 1 µs.
pub(crate) fn set_receive_timeout(fd: BorrowedFd<'_>, timeout: Duration) -> Result<()> {
    let timeout = timeout.max(Duration::from_micros(1));
    // The field types are left to libc (musl marks `time_t` deprecated ahead
    // of its 64-bit change): seconds capped where they would not fit.
    let secs = timeout.as_secs().min(i32::MAX as u64);
    let tv = libc::timeval {
        tv_sec: secs as _,
        tv_usec: timeout.subsec_micros() as _,
    };
    // SAFETY: `tv` is a valid timeval for the duration of the call; the kernel copies it.
    cvt(
        unsafe {
            libc::setsockopt(
                fd.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVTIMEO,
                (&tv as *const libc::timeval).cast(),
                size_of::<libc::timeval>() as libc::socklen_t,
            )
        },
        "setsockopt SO_RCVTIMEO",
    )?;
    Ok(())
}

/// A socket address in the kernel's layout.
struct RawAddr {
    storage: libc::sockaddr_storage,
    len: libc::socklen_t,
}

impl RawAddr {
    fn new(addr: &SocketAddr) -> RawAddr {
        // SAFETY: sockaddr_storage is plain old data; all-zero is a valid value.
        let mut storage: libc::sockaddr_storage = unsafe { zeroed() };
        let len = match addr {
            SocketAddr::V4(a) => {
                let sin = libc::sockaddr_in {
                    sin_family: libc::AF_INET as libc::sa_family_t,
                    sin_port: a.port().to_be(),
                    sin_addr: libc::in_addr {
                        s_addr: u32::from_ne_bytes(a.ip().octets()),
                    },
                    sin_zero: [0; 8],
                };
                // SAFETY: sockaddr_storage is larger than and aligned for sockaddr_in.
                unsafe {
                    std::ptr::write((&mut storage as *mut libc::sockaddr_storage).cast(), sin)
                };
                size_of::<libc::sockaddr_in>()
            }
            SocketAddr::V6(a) => {
                let sin6 = libc::sockaddr_in6 {
                    sin6_family: libc::AF_INET6 as libc::sa_family_t,
                    sin6_port: a.port().to_be(),
                    sin6_flowinfo: a.flowinfo().to_be(),
                    sin6_addr: libc::in6_addr {
                        s6_addr: a.ip().octets(),
                    },
                    sin6_scope_id: a.scope_id(),
                };
                // SAFETY: sockaddr_storage is larger than and aligned for sockaddr_in6.
                unsafe {
                    std::ptr::write((&mut storage as *mut libc::sockaddr_storage).cast(), sin6)
                };
                size_of::<libc::sockaddr_in6>()
            }
        };
        RawAddr {
            storage,
            len: len as libc::socklen_t,
        }
    }

    fn ptr(&self) -> *const libc::sockaddr {
        (&self.storage as *const libc::sockaddr_storage).cast()
    }
}

/// Decode a kernel socket address; `None` for families other than inet/inet6.
fn decode_addr(storage: &libc::sockaddr_storage, len: libc::socklen_t) -> Option<SocketAddr> {
    let len = len as usize;
    match libc::c_int::from(storage.ss_family) {
        libc::AF_INET if len >= size_of::<libc::sockaddr_in>() => {
            // SAFETY: the family says sockaddr_in, the length covers it, storage is aligned.
            let sin: libc::sockaddr_in =
                unsafe { std::ptr::read((storage as *const libc::sockaddr_storage).cast()) };
            let ip = Ipv4Addr::from(sin.sin_addr.s_addr.to_ne_bytes());
            Some(SocketAddr::V4(SocketAddrV4::new(
                ip,
                u16::from_be(sin.sin_port),
            )))
        }
        libc::AF_INET6 if len >= size_of::<libc::sockaddr_in6>() => {
            // SAFETY: the family says sockaddr_in6, the length covers it, storage is aligned.
            let sin6: libc::sockaddr_in6 =
                unsafe { std::ptr::read((storage as *const libc::sockaddr_storage).cast()) };
            let ip = Ipv6Addr::from(sin6.sin6_addr.s6_addr);
            Some(SocketAddr::V6(SocketAddrV6::new(
                ip,
                u16::from_be(sin6.sin6_port),
                u32::from_be(sin6.sin6_flowinfo),
                sin6.sin6_scope_id,
            )))
        }
        _ => None,
    }
}

/// `bind(2)`.
pub(crate) fn bind(fd: BorrowedFd<'_>, addr: &SocketAddr) -> Result<()> {
    let raw = RawAddr::new(addr);
    // SAFETY: `raw` holds a valid sockaddr of `raw.len` bytes.
    cvt(
        unsafe { libc::bind(fd.as_raw_fd(), raw.ptr(), raw.len) },
        "bind",
    )?;
    Ok(())
}

/// `connect(2)`.
pub(crate) fn connect(fd: BorrowedFd<'_>, addr: &SocketAddr) -> Result<()> {
    let raw = RawAddr::new(addr);
    // SAFETY: `raw` holds a valid sockaddr of `raw.len` bytes.
    cvt(
        unsafe { libc::connect(fd.as_raw_fd(), raw.ptr(), raw.len) },
        "connect",
    )?;
    Ok(())
}

/// `getsockname(2)`.
pub(crate) fn local_address(fd: BorrowedFd<'_>) -> Result<SocketAddr> {
    // SAFETY: sockaddr_storage is plain old data; all-zero is a valid value.
    let mut storage: libc::sockaddr_storage = unsafe { zeroed() };
    let mut len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    // SAFETY: `storage` and `len` are valid for writes; `len` is the storage size.
    cvt(
        unsafe {
            libc::getsockname(
                fd.as_raw_fd(),
                (&mut storage as *mut libc::sockaddr_storage).cast(),
                &mut len,
            )
        },
        "getsockname",
    )?;
    decode_addr(&storage, len).ok_or(Error::Decode(DecodeError::new(
        "getsockname",
        Problem::BadValue,
    )))
}

/// `sendto(2)` of one datagram; reported as "sendmsg" like iputils.
///
/// Like [`receive`], made with `syscall(2)` rather than glibc's wrapper: the
/// wrapper is a cancellation point, and once a process has started a second
/// thread (`-n` opens its socket on one) every call also pays for
/// `__pthread_enable/disable_asynccancel`, about 3% of a flood ping's time.
pub(crate) fn send_to(fd: BorrowedFd<'_>, data: &[u8], to: &SocketAddr) -> Result<usize> {
    let raw = RawAddr::new(to);
    // SAFETY: sendto(fd, buf, len, flags, addr, addrlen): `data` is valid for
    // `data.len()` bytes, `raw` for `raw.len` bytes, for the whole call.
    let n = unsafe {
        libc::syscall(
            libc::SYS_sendto,
            libc::c_long::from(fd.as_raw_fd()),
            data.as_ptr(),
            data.len(),
            0 as libc::c_long,
            raw.ptr(),
            libc::c_long::from(raw.len),
        )
    };
    cvt_size(n as libc::ssize_t, "sendmsg")
}

/// What `poll(2)` saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Readiness {
    /// Nothing within the timeout.
    Timeout,
    /// A signal arrived (EINTR).
    Interrupted,
    /// Data to read (`POLLIN`) and/or a queued error (`POLLERR`).
    Ready { data: bool, error: bool },
}

/// Wait up to `timeout` for the socket to become readable or report an error.
pub(crate) fn poll(fd: BorrowedFd<'_>, timeout: Duration) -> Result<Readiness> {
    let mut pfd = libc::pollfd {
        fd: fd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // Round up so a sub-millisecond wait does not spin.
    let ms = timeout.as_micros().div_ceil(1000).min(i32::MAX as u128) as libc::c_int;
    // SAFETY: `pfd` is one valid pollfd.
    let n = unsafe { libc::poll(&mut pfd, 1, ms) };
    if n < 0 {
        let err = std::io::Error::last_os_error();
        if err.raw_os_error() == Some(libc::EINTR) {
            return Ok(Readiness::Interrupted);
        }
        return Err(Error::io("poll", err));
    }
    if n == 0 {
        return Ok(Readiness::Timeout);
    }
    Ok(Readiness::Ready {
        data: pfd.revents & libc::POLLIN != 0,
        error: pfd.revents & libc::POLLERR != 0,
    })
}

/// An error the kernel queued for the socket (`IP_RECVERR` / `IPV6_RECVERR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct QueuedError {
    pub errno: u32,
    /// `SO_EE_ORIGIN_*`.
    pub origin: u8,
    pub icmp_type: u8,
    pub icmp_code: u8,
    /// Type-specific: the MTU for "fragmentation needed" / "packet too big".
    pub info: u32,
    /// Who sent the ICMP error (`SO_EE_OFFENDER`).
    pub offender: Option<IpAddr>,
}

/// One datagram read with `recvmsg(2)`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Received {
    /// Bytes stored in the buffer (at most its length).
    pub len: usize,
    /// The datagram was longer than the buffer.
    pub truncated: bool,
    pub from: Option<SocketAddr>,
    /// `IP_TTL` / `IPV6_HOPLIMIT` control message.
    pub ttl: Option<u8>,
    /// The `IP_RECVERR` / `IPV6_RECVERR` control message (error-queue reads).
    pub error: Option<QueuedError>,
}

/// Which queue [`receive`] reads, and whether it may sleep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReceiveMode {
    /// The receive queue; sleep until a datagram arrives, a signal, or the
    /// socket's `SO_RCVTIMEO` passes (see [`set_receive_timeout`]).
    Wait,
    /// The receive queue, without sleeping (`MSG_DONTWAIT`).
    NoWait,
    /// The error queue (`MSG_ERRQUEUE`), without sleeping.
    ErrorQueue,
}

/// Read one datagram; `Ok(None)` when there is none (EAGAIN: nothing queued,
/// or the receive timeout passed) or a signal interrupted the wait (EINTR).
/// Any other failure is `Error::Io { op: "recvmsg", .. }`: on a socket with
/// `IP_RECVERR`, the errno of an ICMP error the kernel just queued.
pub(crate) fn receive(
    fd: BorrowedFd<'_>,
    buf: &mut [u8],
    mode: ReceiveMode,
) -> Result<Option<Received>> {
    // SAFETY: sockaddr_storage is plain old data; all-zero is a valid value.
    let mut from: libc::sockaddr_storage = unsafe { zeroed() };
    // Room for the control messages we ask for (a TTL, an extended error
    // with its offender); anything more is cut off (MSG_CTRUNC), never overrun.
    let mut control = [0u64; 32];
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    // SAFETY: msghdr is plain old data; all-zero is a valid value.
    let mut msg: libc::msghdr = unsafe { zeroed() };
    msg.msg_name = (&mut from as *mut libc::sockaddr_storage).cast();
    msg.msg_namelen = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.as_mut_ptr().cast();
    msg.msg_controllen = size_of::<[u64; 32]>() as _;
    let flags = match mode {
        ReceiveMode::Wait => 0,
        ReceiveMode::NoWait => libc::MSG_DONTWAIT,
        ReceiveMode::ErrorQueue => libc::MSG_ERRQUEUE | libc::MSG_DONTWAIT,
    };
    // SAFETY: recvmsg(fd, msg, flags), through syscall(2) as [`send_to`] says
    // why; every pointer in `msg` points at live local storage of the stated size.
    let n = unsafe {
        libc::syscall(
            libc::SYS_recvmsg,
            libc::c_long::from(fd.as_raw_fd()),
            &mut msg as *mut libc::msghdr,
            libc::c_long::from(flags),
        )
    };
    if n < 0 {
        let err = std::io::Error::last_os_error();
        return match err.raw_os_error() {
            Some(libc::EAGAIN) | Some(libc::EINTR) => Ok(None),
            _ => Err(Error::io("recvmsg", err)),
        };
    }
    let n = n as usize;
    let mut out = Received {
        len: n.min(buf.len()),
        truncated: msg.msg_flags & libc::MSG_TRUNC != 0,
        from: decode_addr(&from, msg.msg_namelen),
        ttl: None,
        error: None,
    };
    // SAFETY: `msg` was filled by recvmsg; CMSG_FIRSTHDR reads only its control fields.
    let mut cmsg = unsafe { libc::CMSG_FIRSTHDR(&msg) };
    while !cmsg.is_null() {
        // SAFETY: CMSG_FIRSTHDR/CMSG_NXTHDR return null or a header inside `control`.
        let hdr = unsafe { &*cmsg };
        // SAFETY: CMSG_LEN is pure arithmetic.
        let header_len = unsafe { libc::CMSG_LEN(0) } as usize;
        let data_len = (hdr.cmsg_len as usize).saturating_sub(header_len);
        // SAFETY: the kernel wrote `cmsg_len` bytes for this header inside `control`
        // (it sets MSG_CTRUNC rather than overrun); CMSG_DATA points just past the header.
        let data = unsafe { std::slice::from_raw_parts(libc::CMSG_DATA(cmsg), data_len) };
        parse_control(hdr.cmsg_level, hdr.cmsg_type, data, &mut out);
        // SAFETY: `cmsg` is a valid header of `msg`'s control buffer.
        cmsg = unsafe { libc::CMSG_NXTHDR(&msg, cmsg) };
    }
    Ok(Some(out))
}

/// Copy what we understand out of one control message; ignore the rest.
fn parse_control(level: libc::c_int, ty: libc::c_int, data: &[u8], out: &mut Received) {
    let int = |d: &[u8]| {
        d.get(..4)
            .and_then(|b| b.try_into().ok())
            .map(i32::from_ne_bytes)
    };
    match (level, ty) {
        (libc::IPPROTO_IP, libc::IP_TTL) | (libc::IPPROTO_IPV6, libc::IPV6_HOPLIMIT) => {
            out.ttl = int(data).and_then(|v| u8::try_from(v).ok());
        }
        (libc::IPPROTO_IP, libc::IP_RECVERR) | (libc::IPPROTO_IPV6, libc::IPV6_RECVERR) => {
            out.error = parse_extended_error(data);
        }
        _ => {}
    }
}

/// `struct sock_extended_err` followed by the offender's sockaddr.
fn parse_extended_error(data: &[u8]) -> Option<QueuedError> {
    let ee_len = size_of::<libc::sock_extended_err>();
    let head = data.get(..ee_len)?;
    let u32_at = |i: usize| {
        head.get(i..i + 4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_ne_bytes)
    };
    let offender = data.get(ee_len..).and_then(decode_offender);
    Some(QueuedError {
        errno: u32_at(0)?,
        origin: *head.get(4)?,
        icmp_type: *head.get(5)?,
        icmp_code: *head.get(6)?,
        info: u32_at(8)?,
        offender,
    })
}

/// A sockaddr_in / sockaddr_in6 as bytes (family in host order, address in network order).
fn decode_offender(b: &[u8]) -> Option<IpAddr> {
    let family = u16::from_ne_bytes(b.get(..2)?.try_into().ok()?);
    match libc::c_int::from(family) {
        libc::AF_INET => {
            let a: [u8; 4] = b.get(4..8)?.try_into().ok()?;
            Some(IpAddr::from(a))
        }
        libc::AF_INET6 => {
            let a: [u8; 16] = b.get(8..24)?.try_into().ok()?;
            Some(IpAddr::from(a))
        }
        _ => None,
    }
}

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_interrupt(_signal: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Install a `SIGINT` handler (without `SA_RESTART`, so `poll` returns EINTR)
/// that sets the returned flag.
pub(crate) fn catch_interrupt() -> Result<&'static AtomicBool> {
    // SAFETY: sigaction is plain old data; all-zero is a valid value.
    let mut action: libc::sigaction = unsafe { zeroed() };
    action.sa_sigaction = on_interrupt as extern "C" fn(libc::c_int) as libc::sighandler_t;
    action.sa_flags = 0;
    // SAFETY: `action.sa_mask` is valid for writes.
    unsafe { libc::sigemptyset(&mut action.sa_mask) };
    // SAFETY: `action` is fully initialised; the handler only stores to an atomic,
    // which is async-signal-safe; we do not ask for the old action.
    cvt(
        unsafe { libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut()) },
        "sigaction",
    )?;
    Ok(&INTERRUPTED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offender_decodes() {
        let mut v4 = vec![0u8; 16];
        v4[..2].copy_from_slice(&(libc::AF_INET as u16).to_ne_bytes());
        v4[4..8].copy_from_slice(&[10, 0, 1, 100]);
        assert_eq!(decode_offender(&v4), Some(IpAddr::from([10, 0, 1, 100])));
        assert_eq!(decode_offender(&v4[..6]), None);
        assert_eq!(decode_offender(&[]), None);
    }

    #[test]
    fn extended_error_short_is_none() {
        assert_eq!(parse_extended_error(&[0u8; 8]), None);
        let mut e = vec![0u8; 16];
        e[4] = libc::SO_EE_ORIGIN_ICMP;
        e[5] = 3;
        e[6] = 1;
        let q = parse_extended_error(&e).expect("full header");
        assert_eq!(
            (q.origin, q.icmp_type, q.icmp_code, q.offender),
            (2, 3, 1, None)
        );
    }

    #[test]
    fn address_round_trip() {
        for a in ["10.1.2.3:7", "[fd00::2]:9"] {
            let a: SocketAddr = a.parse().expect("literal");
            let raw = RawAddr::new(&a);
            assert_eq!(decode_addr(&raw.storage, raw.len), Some(a));
        }
    }
}
