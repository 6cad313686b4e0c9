//! Ctrl-C as a stop flag for [`Pinger::run`](crate::icmp::Pinger::run).
//!
//! The handler only stores `true` into a static atomic (async-signal-safe). It
//! is installed without `SA_RESTART`, so a blocked `poll` returns at once.

use std::sync::atomic::AtomicBool;

use crate::error::Result;

/// Install a `SIGINT` handler for the whole process; the flag it sets.
#[doc(alias = "sigaction")]
pub fn stop_on_interrupt() -> Result<&'static AtomicBool> {
    crate::sys::icmp::catch_interrupt()
}
