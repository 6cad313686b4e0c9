//! How the process ends: on a closed pipe, and on a signal that asks it to
//! stop after it has cleaned up (`SIGINT`, `SIGTERM`, `SIGHUP`).

use std::sync::atomic::AtomicBool;

use crate::error::Result;

/// End the process the way a C program with default signal handling ends on
/// a write to a closed pipe: killed by `SIGPIPE` (a shell shows status 141).
/// `ip route show | head -1` ends so; Rust ignores `SIGPIPE` and sees
/// `EPIPE` instead, after which the CLI calls this.
pub fn die_of_broken_pipe() -> ! {
    crate::sys::process::raise_with_default_action(libc::SIGPIPE)
}

/// End the process as if `signal` had killed it (its default action), after
/// a clean-up it was caught for: a shell sees 128 + `signal`.
pub fn die_of_signal(signal: libc::c_int) -> ! {
    crate::sys::process::raise_with_default_action(signal)
}

/// The signals a long-running command (a lab) catches so that it can remove
/// what it made before it ends: Ctrl-C, `kill`, a closed terminal.
pub const STOP_SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// Catch [`STOP_SIGNALS`] for the whole process: each only sets the returned
/// flag (and [`stop_signal`] says which came first). The handlers are
/// installed without `SA_RESTART`, so a blocked `poll` returns at once.
#[doc(alias = "sigaction")]
pub fn stop_on_signals() -> Result<&'static AtomicBool> {
    crate::sys::process::catch_stop_signals(&STOP_SIGNALS)
}

/// The first of [`STOP_SIGNALS`] that arrived since [`stop_on_signals`].
pub fn stop_signal() -> Option<libc::c_int> {
    crate::sys::process::first_stop_signal()
}
