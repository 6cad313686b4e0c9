//! `rawnet lab [NAME | list | help]`: run a lab scenario and print each step as
//! the command a user would type, followed by what came of it.
//!
//! Without root the lab runs in private user, mount and network namespaces
//! (where the kernel allows unprivileged user namespaces), so it needs no
//! privileges and cannot touch the host either way.

use rawnet::lab::{self, Expect, Lab, Observer, Outcome, LABS};

use std::sync::atomic::{AtomicBool, Ordering};

use super::output::print;
use super::ping::statistics_lines;
use super::{io_reason, matches, CliError, Context};

const USAGE: &str = "Usage: rawnet lab [ NAME | list | help ]   (rawnet lab list: the labs)\n";

/// Exit status of a lab that cannot run here (the kernel lacks a device kind or
/// a feature, or the process lacks a privilege the lab needs).
pub const EXIT_UNSUPPORTED: i32 = 3;

pub fn run(_ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    match args.first().map(String::as_str) {
        None => run_lab(&LABS[0]),
        Some(w) if matches(w, "list") => {
            for lab in LABS {
                print(&format!("{:<8} {}\n", lab.name, lab.about))?;
            }
            Ok(0)
        }
        Some(w) if matches(w, "help") => {
            print(USAGE)?;
            Ok(0)
        }
        Some(name) => match lab::find(name) {
            Some(chosen) => run_lab(chosen),
            None => Err(CliError::usage(format!(
                "Lab \"{name}\" is unknown, try \"rawnet lab list\"."
            ))),
        },
    }
}

fn run_lab(chosen: &Lab) -> Result<i32, CliError> {
    if !rawnet::ns::is_privileged() {
        rawnet::ns::enter_private_user_netns().map_err(|e| {
            CliError::new(
                1,
                format!("Cannot make a private user namespace for the lab: {e}"),
            )
        })?;
        print("# Not root: the lab runs in a private user namespace with its own /run/netns.\n")?;
    }
    // Ctrl-C, `kill` and a closed terminal stop the lab between steps; it
    // removes what it made, then ends as the signal asked.
    let stop = rawnet::process::stop_on_signals()
        .map_err(|e| CliError::new(1, format!("Cannot catch signals: {e}")))?;
    reclaim(stop)?;
    let mut printer = Printer { stop, failed: None };
    let report = (chosen.run)(&mut printer, stop);
    match rawnet::process::stop_signal() {
        // Ctrl-C is the lab's own "interrupted" ending (below).
        Some(signal) if signal != libc::SIGINT => rawnet::process::die_of_signal(signal),
        _ => {}
    }
    // A reader that went away stopped the lab as Ctrl-C would: it has
    // removed what it made; now end as the closed pipe asks.
    if let Some(e) = printer.failed {
        return Err(e);
    }
    print("\n")?;
    if let Some(why) = &report.unsupported {
        print(&format!(
            "The lab \"{}\" cannot run here: {why}\n",
            chosen.name
        ))?;
        return Ok(EXIT_UNSUPPORTED);
    }
    if report.interrupted {
        print("Interrupted; everything the lab created has been removed.\n")?;
        return Ok(130);
    }
    if report.succeeded() {
        print(&format!(
            "All {} steps went as expected; everything the lab created has been removed.\n",
            report.steps
        ))?;
        Ok(0)
    } else {
        print(&format!(
            "Unexpected outcome of: {}\nEverything the lab created has been removed.\n",
            report.unexpected.join("; ")
        ))?;
        Ok(1)
    }
}

/// Remove what earlier lab runs left when they were killed (`kill -9`)
/// before they could clean up, and say so in one line.
fn reclaim(stop: &AtomicBool) -> Result<(), CliError> {
    if stop.load(Ordering::SeqCst) {
        return Ok(());
    }
    match lab::reclaim_abandoned() {
        Ok(names) if names.is_empty() => Ok(()),
        Ok(names) => print(&format!(
            "# Removed namespaces left by lab runs that were killed: {}\n",
            names.join(" ")
        )),
        // Not being able to look is no reason not to run the lab.
        Err(_) => Ok(()),
    }
}

/// Prints the lab as a terminal session: `$ command`, then indented results.
/// A write that fails (a closed pipe, a full disk) stops the lab as Ctrl-C
/// does, so that it removes what it made before the process ends.
struct Printer {
    stop: &'static AtomicBool,
    failed: Option<CliError>,
}

impl Printer {
    fn line(&mut self, text: &str) {
        if self.failed.is_some() {
            return;
        }
        if let Err(e) = print(&format!("{text}\n")) {
            self.failed = Some(e);
            self.stop.store(true, Ordering::SeqCst);
        }
    }
}

impl Observer for Printer {
    fn note(&mut self, text: &str) {
        self.line(&format!("\n# {text}"));
    }

    fn command(&mut self, command: &str, expect: Expect) {
        match expect {
            Expect::Success => self.line(&format!("$ {command}")),
            Expect::Failure(why) => self.line(&format!("$ {command}    # expected to fail: {why}")),
        }
    }

    fn outcome(&mut self, outcome: &Outcome, as_expected: bool) {
        match outcome {
            Outcome::Done => {}
            Outcome::Seen(text) => self.line(&format!("  {text}")),
            Outcome::Ping { config, stats } => {
                for line in statistics_lines(config.destination, stats, config) {
                    if !line.is_empty() {
                        self.line(&format!("  {line}"));
                    }
                }
            }
            Outcome::Failed(e) => self.line(&format!("  {}", system_error_text(e))),
        }
        if !as_expected {
            self.line("  !! not what the lab expected");
        }
    }
}

/// A failed step as the command itself would have said it.
fn system_error_text(e: &rawnet::Error) -> String {
    match e {
        rawnet::Error::Io { op, .. } if op == "connect" || op == "sendmsg" => {
            format!("ping: {op}: {}", io_reason(e))
        }
        other => super::error_words::text(other),
    }
}
