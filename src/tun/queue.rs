//! [`Tun`]: an open tun/tap descriptor for a program that reads and writes
//! packets. (I/O)
//!
//! Invariant: a `Tun` is attached to its device for its whole life; unless
//! made persistent, the device is removed when the last such descriptor is
//! closed (when the `Tun` drops). The descriptor keeps the device's network
//! namespace for life, so a `Tun` opened inside [`crate::ns::run_in`] can be
//! used from any thread.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsFd, BorrowedFd};
use std::time::Duration;

use super::device::{attach, name_of, TunTapSpec};
use super::flags::TunFlags;
use crate::error::{Error, Result};
use crate::sys::icmp::{poll, Readiness};
use crate::sys::tun::{self as systun, IntRequest};

/// One queue of a tun/tap device, open for packets.
#[derive(Debug)]
pub struct Tun {
    file: File,
    name: String,
}

impl Tun {
    /// Create (or attach to) the device of `spec` in the calling thread's
    /// network namespace and keep the descriptor. The device is not persistent:
    /// it lives as long as this `Tun` (and any other descriptor attached to it).
    /// `spec.owner` / `spec.group` are not applied: they matter only to
    /// persistent devices other programs attach to.
    pub fn open(spec: &TunTapSpec) -> Result<Tun> {
        let (file, name) = attach(spec, spec.flags())?;
        Ok(Tun { file, name })
    }

    /// The device's name (the kernel's choice when none was asked for).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The name and flags the kernel reports for the attached device
    /// (`TUNGETIFF`; `IFF_PERSIST` shows here).
    #[doc(alias = "TUNGETIFF")]
    pub fn kernel_flags(&self) -> Result<(String, TunFlags)> {
        let (raw, flags) = systun::get_iff(self.file.as_fd())?;
        Ok((name_of(&raw), TunFlags::from_bits_retain(flags)))
    }

    /// Keep (`true`) or drop the device when the last descriptor closes.
    #[doc(alias = "TUNSETPERSIST")]
    pub fn set_persistent(&self, persist: bool) -> Result<()> {
        systun::set_int(self.file.as_fd(), IntRequest::Persist, u32::from(persist))
    }

    /// Wait up to `timeout` for a packet; `true` when one can be read.
    /// An interrupting signal counts as "nothing yet".
    pub fn wait_readable(&self, timeout: Duration) -> Result<bool> {
        Ok(match poll(self.file.as_fd(), timeout)? {
            Readiness::Ready { data, .. } => data,
            Readiness::Timeout | Readiness::Interrupted => false,
        })
    }

    /// Read one packet (blocks until there is one; see [`Tun::wait_readable`]).
    /// A packet longer than `buf` is cut to its length, as `read(2)` does.
    pub fn recv(&self, buf: &mut [u8]) -> Result<usize> {
        (&self.file)
            .read(buf)
            .map_err(|e| Error::io(format!("read {}", self.name), e))
    }

    /// Write one packet (with the headers the flags ask for: none for
    /// `IFF_TUN | IFF_NO_PI`, just the IP packet). The kernel takes it as
    /// received on the device.
    pub fn send(&self, packet: &[u8]) -> Result<usize> {
        (&self.file)
            .write(packet)
            .map_err(|e| Error::io(format!("write {}", self.name), e))
    }
}

impl AsFd for Tun {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.file.as_fd()
    }
}
