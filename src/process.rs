//! How the process ends when its reader went away.

/// End the process the way a C program with default signal handling ends on
/// a write to a closed pipe: killed by `SIGPIPE` (a shell shows status 141).
/// `ip route show | head -1` ends so; Rust ignores `SIGPIPE` and sees
/// `EPIPE` instead, after which the CLI calls this.
pub fn die_of_broken_pipe() -> ! {
    crate::sys::process::raise_with_default_action(libc::SIGPIPE)
}
