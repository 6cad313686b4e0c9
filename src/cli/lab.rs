//! `rawnet lab [NAME | list | help]`: run a lab scenario and print each step as
//! the command a user would type, followed by what came of it.
//!
//! Without root the lab runs in private user, mount and network namespaces
//! (where the kernel allows unprivileged user namespaces), so it needs no
//! privileges and cannot touch the host either way.

use rawnet::lab::{self, Expect, Lab, Observer, Outcome, LABS};

use super::ping::statistics_lines;
use super::{io_reason, matches, CliError, Context};

const USAGE: &str = "Usage: rawnet lab [ NAME | list | help ]   (rawnet lab list: the labs)\n";

/// Exit status of a lab the running kernel cannot run (it lacks a device kind).
pub const EXIT_UNSUPPORTED: i32 = 3;

pub fn run(_ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    match args.first().map(String::as_str) {
        None => run_lab(&LABS[0]),
        Some(w) if matches(w, "list") => {
            for lab in LABS {
                println!("{:<8} {}", lab.name, lab.about);
            }
            Ok(0)
        }
        Some(w) if matches(w, "help") => {
            print!("{USAGE}");
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
        println!("# Not root: the lab runs in a private user namespace with its own /run/netns.");
    }
    let stop = rawnet::icmp::interrupt::stop_on_interrupt()
        .map_err(|e| CliError::new(1, format!("Cannot catch Ctrl-C: {e}")))?;
    let mut printer = Printer;
    let report = (chosen.run)(&mut printer, stop);
    println!();
    if let Some(why) = &report.unsupported {
        println!(
            "The lab \"{}\" cannot run on this kernel: {why}",
            chosen.name
        );
        return Ok(EXIT_UNSUPPORTED);
    }
    if report.interrupted {
        println!("Interrupted; everything the lab created has been removed.");
        return Ok(130);
    }
    if report.succeeded() {
        println!(
            "All {} steps went as expected; everything the lab created has been removed.",
            report.steps
        );
        Ok(0)
    } else {
        println!("Unexpected outcome of: {}", report.unexpected.join("; "));
        println!("Everything the lab created has been removed.");
        Ok(1)
    }
}

/// Prints the lab as a terminal session: `$ command`, then indented results.
struct Printer;

impl Observer for Printer {
    fn note(&mut self, text: &str) {
        println!("\n# {text}");
    }

    fn command(&mut self, command: &str, expect: Expect) {
        match expect {
            Expect::Success => println!("$ {command}"),
            Expect::Failure(why) => println!("$ {command}    # expected to fail: {why}"),
        }
    }

    fn outcome(&mut self, outcome: &Outcome, as_expected: bool) {
        match outcome {
            Outcome::Done => {}
            Outcome::Seen(text) => println!("  {text}"),
            Outcome::Ping { config, stats } => {
                for line in statistics_lines(config.destination, stats, config) {
                    if !line.is_empty() {
                        println!("  {line}");
                    }
                }
            }
            Outcome::Failed(e) => println!("  {}", system_error_text(e)),
        }
        if !as_expected {
            println!("  !! not what the lab expected");
        }
    }
}

/// A failed step as the command itself would have said it.
fn system_error_text(e: &rawnet::Error) -> String {
    match e {
        rawnet::Error::Io { op, .. } if op == "connect" || op == "sendmsg" => {
            format!("ping: {op}: {}", io_reason(e))
        }
        other => other.to_string(),
    }
}
