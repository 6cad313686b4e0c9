//! Writes to standard output, and a failed write as a [`CliError`]: a reader
//! that went away (`EPIPE`) is [`CliError::broken_pipe`], which ends the
//! process the way it ends `ip` (killed by `SIGPIPE`, nothing printed); any
//! other failure is one line, `write error: REASON`, and exit 1 (iputils'
//! wording; `ip` itself loses the output silently).
//!
//! Every write un-escapes what the CLI holds escaped (see
//! [`crate::cli::os_args`]): an argument that was not UTF-8 is printed back
//! as its raw bytes, as `ip` prints it.

use std::fs::File;
use std::io::{self, Write};
use std::os::fd::AsFd;
use std::sync::OnceLock;

use crate::cli::os_args::for_output;
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
    CliError {
        write_failed: true,
        ..CliError::new(1, format!("write error: {reason}"))
    }
}

/// Standard output as a plain file (a duplicate of descriptor 1): large
/// writes go straight to it, without `std`'s line buffer scanning each for
/// newlines.
fn raw_stdout() -> io::Result<&'static File> {
    static RAW: OnceLock<io::Result<File>> = OnceLock::new();
    RAW.get_or_init(|| Ok(File::from(io::stdout().as_fd().try_clone_to_owned()?)))
        .as_ref()
        .map_err(|e| io::Error::new(e.kind(), e.to_string()))
}

/// Write all of `bytes` to standard output now.
pub fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    if bytes.is_empty() {
        return Ok(());
    }
    // Whatever went through `std`'s stdout goes first.
    io::stdout().flush().map_err(|e| write_error(&e))?;
    let mut file = raw_stdout().map_err(|e| write_error(&e))?;
    file.write_all(&for_output(bytes))
        .map_err(|e| write_error(&e))
}

/// Write a whole text (a usage message, a one-off line) to standard output.
pub fn print(text: &str) -> Result<(), CliError> {
    write_stdout(text.as_bytes())
}

/// Write `text` to standard error in one write, rawnet's name in it as
/// invoked ([`crate::cli::os_args::as_invoked`]). A failure is ignored: there
/// is nowhere left to report it (and `eprint!` would panic on a closed pipe).
pub fn to_stderr(text: &str) {
    // Under the name `ip` or `bridge`, messages say so.
    let text = crate::cli::os_args::as_invoked(text);
    let _ = io::stderr().lock().write_all(&for_output(text.as_bytes()));
}

/// iproute2's warning after a dump the kernel flagged inconsistent (the
/// table changed while it was read); the output stands as printed.
pub fn warn_if_interrupted(status: rawnet::netlink::DumpStatus) {
    if status == rawnet::netlink::DumpStatus::Interrupted {
        to_stderr("Dump was interrupted and may be inconsistent.\n");
    }
}
