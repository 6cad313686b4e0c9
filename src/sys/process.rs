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
