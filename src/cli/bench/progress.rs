//! The progress line of `rawnet bench` on a terminal: what is running and
//! how far it is, on one line of standard error rewritten in place (`\r`) at
//! most ten times a second, and wiped when the run is over. Nothing is drawn
//! when standard error is not a terminal.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use rawnet::bench::{Measurement, Operation, Progress};

use crate::cli::output::to_stderr;

/// Redraws at most this often.
const INTERVAL: Duration = Duration::from_millis(100);

/// Draws the progress line; [`Line::clear`] wipes it.
pub struct Line {
    /// Standard error is a terminal.
    enabled: bool,
    operation: Option<Operation>,
    total: u64,
    /// Width of what is on the line now, to blank it out.
    drawn: usize,
    last: Option<Instant>,
}

impl Line {
    /// A progress line, drawn only when standard error is a terminal.
    pub fn new() -> Line {
        Line {
            enabled: std::io::stderr().is_terminal(),
            operation: None,
            total: 0,
            drawn: 0,
            last: None,
        }
    }

    fn draw(&mut self, text: &str, force: bool) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if !force && self.last.is_some_and(|t| now.duration_since(t) < INTERVAL) {
            return;
        }
        self.last = Some(now);
        let width = text.chars().count();
        let pad = self.drawn.saturating_sub(width);
        to_stderr(&format!("\r{text}{:pad$}", ""));
        self.drawn = width;
    }

    /// Wipe the line and put the cursor back at its start.
    pub fn clear(&mut self) {
        if self.drawn > 0 {
            to_stderr(&format!("\r{:w$}\r", "", w = self.drawn));
            self.drawn = 0;
        }
    }
}

/// `route add: 52224 of 100000 (52%)`.
pub fn progress_text(operation: Operation, done: u64, total: u64) -> String {
    let percent = (done.min(total) * 100).checked_div(total).unwrap_or(100);
    format!("{}: {done} of {total} ({percent}%)", operation.label())
}

impl Progress for Line {
    fn begin(&mut self, operation: Operation, total: u64) {
        self.operation = Some(operation);
        self.total = total;
        self.draw(&progress_text(operation, 0, total), true);
    }

    fn setup(&mut self, what: &str) {
        self.draw(&format!("setting up: {what}"), true);
    }

    fn advance(&mut self, done: u64) {
        if let Some(op) = self.operation {
            self.draw(&progress_text(op, done, self.total), false);
        }
    }

    fn end(&mut self, result: &Measurement) {
        self.draw(
            &progress_text(result.operation, result.count, result.count),
            false,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_text_says_how_far() {
        assert_eq!(
            progress_text(Operation::RouteAdd, 52_224, 100_000),
            "route add: 52224 of 100000 (52%)"
        );
        assert_eq!(
            progress_text(Operation::VethDelete, 0, 0),
            "veth delete: 0 of 0 (100%)"
        );
    }
}
