//! Writes to standard output, and a failed write as a [`CliError`]: a reader
//! that went away (`EPIPE`) is [`CliError::broken_pipe`], which ends the
//! process the way it ends `ip` (killed by `SIGPIPE`, nothing printed); any
//! other failure is one line, `write error: REASON`, and exit 1 (iputils'
//! wording; `ip` itself loses the output silently).

use std::io::{self, Write};

use crate::cli::CliError;

/// The error a failed write to standard output becomes.
pub fn write_error(e: &io::Error) -> CliError {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return CliError::broken_pipe();
    }
    let reason = match e.raw_os_error() {
        Some(errno) => rawnet::error::errno_text(errno),
        None => e.to_string(),
    };
    CliError::new(1, format!("write error: {reason}"))
}

/// Write all of `bytes` to standard output now.
pub fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    if bytes.is_empty() {
        return Ok(());
    }
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| write_error(&e))
}

/// Write a whole text (a usage message, a one-off line) to standard output.
pub fn print(text: &str) -> Result<(), CliError> {
    write_stdout(text.as_bytes())
}

/// Write `text` to standard error in one write. A failure is ignored: there
/// is nowhere left to report it (and `eprint!` would panic on a closed pipe).
pub fn to_stderr(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// iproute2's warning after a dump the kernel flagged inconsistent (the
/// table changed while it was read); the output stands as printed.
pub fn warn_if_interrupted(status: rawnet::netlink::DumpStatus) {
    if status == rawnet::netlink::DumpStatus::Interrupted {
        to_stderr("Dump was interrupted and may be inconsistent.\n");
    }
}
