//! ping's standard output, written when iputils writes it and failing as it fails.
//!
//! Each line (the header, a reply, an ICMP error, the statistics block) is
//! one `write`. In flood mode (`-f`) a dot is written when a request goes
//! out, so a terminal shows the requests in flight; the backspace that rubs
//! it out when the answer comes is written with the next request's dot (a
//! zero interval sends that at once, and 10 ms later at the latest), so a
//! packet costs one `write` where iputils makes two; with `-i` the rub-out
//! is written when the answer comes. The bytes are iputils' either way.
//! `-q` prints only the header and the statistics.
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

use super::report::{named_statistics_lines, reply_line};
use super::zones::Zones;
use crate::cli::output::{print, to_stderr};
use crate::cli::CliError;
use rawnet::icmp::{Family, PingConfig, PingEvent, Statistics};

/// Flood mode: a request went out.
const SENT_MARK: &str = ".";
/// Flood mode: the request was answered; rub its dot out.
const ANSWERED_MARK: &str = "\x08 \x08";
/// Flood mode: an ICMP error answered the request.
const ERROR_MARK: &str = "\x08E";
/// Flood mode: the request could not be sent.
const SEND_FAILED_MARK: &str = "E";

/// Writes one ping's events to standard output.
pub(super) struct Printer {
    quiet: bool,
    flood: bool,
    family: Family,
    size: usize,
    line: String,
    /// Flood marks not yet written (rub-outs waiting for the next dot).
    pending: String,
    /// Whether a rub-out may wait for the next dot (flood at a zero interval).
    defer_answers: bool,
    /// How senders' zones are shown.
    zones: Zones,
    /// `-D`: wall-clock time before reply and error lines.
    pub(super) timestamps: bool,
    /// `-O`: report a request still unanswered when the next one goes out.
    pub(super) outstanding: bool,
    /// The newest request sent, and whether a reply to it came.
    newest: Option<(u16, bool)>,
}

impl Printer {
    pub(super) fn new(config: &PingConfig, zones: Zones) -> Printer {
        Printer {
            quiet: config.quiet,
            flood: config.flood,
            family: config.family(),
            size: config.size,
            line: String::with_capacity(128),
            pending: String::with_capacity(16),
            defer_answers: config.flood && config.interval.is_zero(),
            zones,
            timestamps: false,
            outstanding: false,
            newest: None,
        }
    }

    /// The `PING ...` line.
    pub(super) fn header(&mut self, header: &str) -> Result<(), CliError> {
        self.line.clear();
        self.line.push_str(header);
        self.line.push('\n');
        emit(&self.line)
    }

    /// What one event prints, if anything ([`PingEvent::Statistics`] prints
    /// nothing here: see [`Printer::statistics`]).
    pub(super) fn event(&mut self, event: &PingEvent) -> Result<(), CliError> {
        // iputils reports outstanding requests even with -q.
        match event {
            PingEvent::Sent { seq }
            | PingEvent::SendFailed { seq, .. }
            | PingEvent::LocalError { seq, .. } => {
                let previous = self.newest.replace((*seq, false));
                if let (true, Some((old, false))) = (self.outstanding, previous) {
                    self.line.clear();
                    self.stamp();
                    self.line
                        .push_str(&format!("no answer yet for icmp_seq={old}\n"));
                    emit(&self.line)?;
                }
            }
            PingEvent::Reply(r) => {
                if let Some((seq, answered)) = &mut self.newest {
                    *answered |= *seq == r.seq;
                }
            }
            _ => {}
        }
        if self.quiet {
            return Ok(());
        }
        match event {
            PingEvent::Sent { .. } if self.flood => self.mark(SENT_MARK, false),
            // iputils says nothing about a send the kernel refused without
            // queueing a local error (`-s 70000` over IPv4): it only counts.
            PingEvent::SendFailed { error, .. } if error.errno() == Some(libc::EMSGSIZE) => Ok(()),
            PingEvent::SendFailed { .. } if self.flood => self.mark(SEND_FAILED_MARK, false),
            PingEvent::LocalError { .. } if self.flood => self.mark(SEND_FAILED_MARK, false),
            PingEvent::LocalError { errno, mtu, .. } => {
                to_stderr(&format!(
                    "{}\n",
                    local_error_line(self.family, *errno, *mtu)
                ));
                Ok(())
            }
            PingEvent::SendFailed { error, .. } => {
                let message =
                    super::system_error(rawnet::Error::io("sendmsg", super::io_of(error)));
                // A lost complaint must not end the ping (nor panic, as eprintln! would).
                to_stderr(&format!("{}\n", message.message));
                Ok(())
            }
            PingEvent::Reply(r) if self.flood => {
                if r.duplicate {
                    Ok(())
                } else {
                    self.mark(ANSWERED_MARK, self.defer_answers)
                }
            }
            PingEvent::Reply(r) => {
                let from = self.zones.show(r.from, r.scope_id);
                self.line.clear();
                self.stamp();
                self.line.push_str(&reply_line(r, &from, self.size));
                self.line.push('\n');
                emit(&self.line)
            }
            PingEvent::Error(_) if self.flood => self.mark(ERROR_MARK, self.defer_answers),
            PingEvent::Error(e) => {
                let from = self.zones.show(e.from, e.scope_id);
                self.line.clear();
                self.stamp();
                self.line
                    .push_str(&format!("From {from} icmp_seq={} {}\n", e.seq, e.kind));
                emit(&self.line)
            }
            PingEvent::Sent { .. } | PingEvent::Statistics(_) => Ok(()),
        }
    }

    /// The blank line and the statistics block, in one write.
    pub(super) fn statistics(
        &mut self,
        target: &str,
        stats: &Statistics,
        config: &PingConfig,
    ) -> Result<(), CliError> {
        let [title, totals, rtt] = named_statistics_lines(target, stats, config);
        self.line.clear();
        self.line.push_str(&self.pending);
        self.pending.clear();
        self.line.push_str(&format!("\n{title}\n{totals}\n{rtt}\n"));
        emit(&self.line)
    }

    /// Write what is pending (before a complaint on standard error).
    pub(super) fn flush(&mut self) -> Result<(), CliError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let result = emit(&self.pending);
        self.pending.clear();
        result
    }

    /// `-D`: `[1700000000.123456] ` (iputils' `gettimeofday` stamp) into the line.
    fn stamp(&mut self) {
        if !self.timestamps {
            return;
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        self.line
            .push_str(&format!("[{}.{:06}] ", now.as_secs(), now.subsec_micros()));
    }

    /// A flood mark: kept for the next write when `defer`, else written
    /// now with whatever waited.
    fn mark(&mut self, mark: &str, defer: bool) -> Result<(), CliError> {
        self.pending.push_str(mark);
        if defer {
            return Ok(());
        }
        self.flush()
    }
}

/// iputils' complaint about a local error: `message too long` with the path
/// MTU (`mtu=N` for IPv4, `mtu: N` for IPv6), else the errno's text.
fn local_error_line(family: Family, errno: i32, mtu: u32) -> String {
    match (errno, family) {
        (libc::EMSGSIZE, Family::V4) => format!("ping: local error: message too long, mtu={mtu}"),
        (libc::EMSGSIZE, Family::V6) => format!("ping: local error: message too long, mtu: {mtu}"),
        _ => format!("ping: local error: {}", rawnet::error::errno_text(errno)),
    }
}

/// One write to standard output, failing as iputils' ping fails.
fn emit(text: &str) -> Result<(), CliError> {
    print(text).map_err(|e| {
        if e.broken_pipe {
            e
        } else {
            CliError::new(1, "ping: write error")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_errors_in_iputils_words() {
        assert_eq!(
            local_error_line(Family::V4, libc::EMSGSIZE, 1500),
            "ping: local error: message too long, mtu=1500"
        );
        assert_eq!(
            local_error_line(Family::V6, libc::EMSGSIZE, 1280),
            "ping: local error: message too long, mtu: 1280"
        );
        assert_eq!(
            local_error_line(Family::V4, libc::ENOBUFS, 0),
            "ping: local error: No buffer space available"
        );
    }
}
