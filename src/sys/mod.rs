//! The only unsafe code of rawnet: thin wrappers over system calls.
//!
//! Every wrapper takes and returns safe Rust types (`OwnedFd`, slices, plain
//! integers) and turns `-1` into an `Error` naming the call.
//! Every `unsafe` block carries a `// SAFETY:` line.

pub(crate) mod bpf;
pub(crate) mod clock;
pub(crate) mod device;
pub(crate) mod icmp;
pub(crate) mod netlink;
pub(crate) mod ns;
pub(crate) mod process;
pub(crate) mod tun;
pub(crate) mod usage;

use crate::error::{Error, Result};

/// Map a `-1` return of a libc call to an `Error::Io` naming the call.
pub(crate) fn cvt(ret: libc::c_int, op: &str) -> Result<libc::c_int> {
    if ret < 0 {
        Err(Error::last_os(op))
    } else {
        Ok(ret)
    }
}

/// Map a `-1` return of a size-returning libc call to an `Error::Io`.
pub(crate) fn cvt_size(ret: libc::ssize_t, op: &str) -> Result<usize> {
    if ret < 0 {
        Err(Error::last_os(op))
    } else {
        Ok(ret as usize)
    }
}
