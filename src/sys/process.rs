//! Process-wide signal dispositions.

/// Restore the default action of `signal` and raise it: the process ends as
/// if the signal had killed it (a shell sees 128 + `signal`). Falls back to
/// `exit(128 + signal)` should the signal not end the process.
pub(crate) fn raise_with_default_action(signal: libc::c_int) -> ! {
    // SAFETY: SIG_DFL is a valid disposition for any catchable signal; the
    // old handler is not needed.
    unsafe { libc::signal(signal, libc::SIG_DFL) };
    // SAFETY: raise has no memory-safety preconditions.
    unsafe { libc::raise(signal) };
    std::process::exit(128 + signal)
}

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use super::cvt;
use crate::error::Result;

/// Set by [`on_stop_signal`] when any of the caught signals arrives.
static STOP: AtomicBool = AtomicBool::new(false);
/// The first caught signal's number (0: none yet).
static FIRST_SIGNAL: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_stop_signal(signal: libc::c_int) {
    // Only atomic stores: async-signal-safe.
    let _ = FIRST_SIGNAL.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
    STOP.store(true, Ordering::SeqCst);
}

/// Install one handler for each of `signals` (without `SA_RESTART`, so a
/// blocked `poll` or `recv` returns `EINTR` at once); the flag it sets.
pub(crate) fn catch_stop_signals(signals: &[libc::c_int]) -> Result<&'static AtomicBool> {
    for &signal in signals {
        // SAFETY: sigaction is plain old data; all-zero is a valid value.
        let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
        action.sa_sigaction = on_stop_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        action.sa_flags = 0;
        // SAFETY: `action.sa_mask` is valid for writes.
        unsafe { libc::sigemptyset(&mut action.sa_mask) };
        // SAFETY: `action` is fully initialised; the handler only stores to
        // atomics; the old action is not asked for.
        cvt(
            unsafe { libc::sigaction(signal, &action, std::ptr::null_mut()) },
            "sigaction",
        )?;
    }
    Ok(&STOP)
}

/// The first signal [`catch_stop_signals`]' handler caught, if any.
pub(crate) fn first_stop_signal() -> Option<libc::c_int> {
    match FIRST_SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}
