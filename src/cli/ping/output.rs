//! ping's standard output, written when iputils writes it and failing as it fails.
//!
//! Each line (the header, a reply, an ICMP error, the statistics block) is
//! one `write`; in flood mode (`-f`) each dot (a request sent) and each
//! backspace (its answer) is one, so a terminal shows the requests in flight
//! as they are. `-q` prints only the header and the statistics.
//!
//! A failed write ends ping at once: a reader that went away (`EPIPE`) as
//! [`CliError::broken_pipe`] (killed by `SIGPIPE`, as iputils dies), any
//! other failure as `ping: write error`, exit 1. (iputils notices the latter
//! only at exit and keeps pinging meanwhile; a flood into a full disk never
//! ends there. Here it ends at the first failed write.)
//!
//! One difference remains: a closed standard output (`ping >&-`) is written
//! without error, as Rust's runtime opens `/dev/null` in its place before
//! `main`; iputils reports `write error` there.

use std::io::Write;
use std::net::IpAddr;

use super::report::{reply_line, statistics_lines};
use crate::cli::output::write_stdout;
use crate::cli::CliError;
use rawnet::icmp::{PingConfig, PingEvent, Statistics};

/// Flood mode: a request went out.
const SENT_MARK: &[u8] = b".";
/// Flood mode: the request was answered; rub its dot out.
const ANSWERED_MARK: &[u8] = b"\x08 \x08";
/// Flood mode: an ICMP error answered the request.
const ERROR_MARK: &[u8] = b"\x08E";
/// Flood mode: the request could not be sent.
const SEND_FAILED_MARK: &[u8] = b"E";

/// Writes one ping's events to standard output.
pub(super) struct Printer {
    quiet: bool,
    flood: bool,
    size: usize,
    line: String,
}

impl Printer {
    pub(super) fn new(config: &PingConfig) -> Printer {
        Printer {
            quiet: config.quiet,
            flood: config.flood,
            size: config.size,
            line: String::with_capacity(128),
        }
    }

    /// The `PING ...` line.
    pub(super) fn header(&mut self, header: &str) -> Result<(), CliError> {
        self.line.clear();
        self.line.push_str(header);
        self.line.push('\n');
        emit(self.line.as_bytes())
    }

    /// What one event prints, if anything ([`PingEvent::Statistics`] prints
    /// nothing here: see [`Printer::statistics`]).
    pub(super) fn event(&mut self, event: &PingEvent) -> Result<(), CliError> {
        if self.quiet {
            return Ok(());
        }
        match event {
            PingEvent::Sent { .. } if self.flood => emit(SENT_MARK),
            PingEvent::SendFailed { .. } if self.flood => emit(SEND_FAILED_MARK),
            PingEvent::SendFailed { error, .. } => {
                let message =
                    super::system_error(rawnet::Error::io("sendmsg", super::io_of(error)));
                // A lost complaint must not end the ping (nor panic, as eprintln! would).
                let _ = writeln!(std::io::stderr().lock(), "{}", message.message);
                Ok(())
            }
            PingEvent::Reply(r) if self.flood => {
                if r.duplicate {
                    Ok(())
                } else {
                    emit(ANSWERED_MARK)
                }
            }
            PingEvent::Reply(r) => {
                self.line.clear();
                self.line.push_str(&reply_line(r, self.size));
                self.line.push('\n');
                emit(self.line.as_bytes())
            }
            PingEvent::Error(_) if self.flood => emit(ERROR_MARK),
            PingEvent::Error(e) => {
                self.line.clear();
                self.line
                    .push_str(&format!("From {} icmp_seq={} {}\n", e.from, e.seq, e.kind));
                emit(self.line.as_bytes())
            }
            PingEvent::Sent { .. } | PingEvent::Statistics(_) => Ok(()),
        }
    }

    /// The blank line and the statistics block, in one write.
    pub(super) fn statistics(
        &mut self,
        dest: IpAddr,
        stats: &Statistics,
        config: &PingConfig,
    ) -> Result<(), CliError> {
        let [title, totals, rtt] = statistics_lines(dest, stats, config);
        self.line.clear();
        self.line.push_str(&format!("\n{title}\n{totals}\n{rtt}\n"));
        emit(self.line.as_bytes())
    }
}

/// One write to standard output, failing as iputils' ping fails.
fn emit(bytes: &[u8]) -> Result<(), CliError> {
    write_stdout(bytes).map_err(|e| {
        if e.broken_pipe {
            e
        } else {
            CliError::new(1, "ping: write error")
        }
    })
}
