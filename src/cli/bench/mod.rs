//! `rawnet bench [route|address|link|all] [count N] [batch N]`: this kernel's
//! netlink throughput, measured by the library (`rawnet::bench`) in private
//! network namespaces it creates and removes. Text table or `-j` JSON on
//! standard output (text rows come as each suite ends); a progress line on
//! standard error when it is a terminal.
//!
//! Exit status: 0 when every suite ran; 255 for bad words (one line);
//! 2 when no network namespace can be made (not root, and no user
//! namespaces); the library's error otherwise.

mod progress;
mod report;
mod words;

use rawnet::bench::{self, Measurement, Settings};
use rawnet::ns::NetNs;

use super::output::{print, to_stderr};
use super::{io_reason, CliError, Context};
use progress::Line;
use words::{Command, Plan};

const USAGE: &str = "\
Usage: rawnet bench [ route | address | link | all ] [ count N ] [ batch N ]
       count N   routes (default 10000), addresses or veth pairs (default 1000)
       batch N   requests per sendmsg, 1 to 1024 (default 1024); 1 sends one
                 request at a time and waits for its ack, as ip does
Measures this kernel's netlink throughput in private network namespaces that
it creates and removes: adds, dumps (parsed, and walked by header only; the
fastest of 5 readings), deletes. Also --count N, --batch N. Needs root or
user namespaces.
";

/// Exit status when no network namespace can be made.
const EXIT_NO_NAMESPACE: i32 = 2;

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let plan = match words::parse(args)? {
        Command::Help => {
            print(USAGE)?;
            return Ok(0);
        }
        Command::Run(plan) => plan,
    };
    if ctx.netns.is_some() {
        return Err(CliError::usage(
            "rawnet bench runs in network namespaces of its own: -n does not apply.",
        ));
    }
    ensure_namespaces()?;
    run_plan(ctx, &plan)
}

/// Make sure a network namespace can be made: as root it can; otherwise
/// the process moves into private user and network namespaces first (it is
/// single-threaded here). Fails with one line and exit 2 when it cannot.
fn ensure_namespaces() -> Result<(), CliError> {
    if !rawnet::ns::is_privileged() {
        rawnet::ns::enter_private_user_netns().map_err(|e| no_namespace(&e))?;
    }
    match NetNs::new_anonymous() {
        Ok(_) => Ok(()),
        Err(e) if matches!(e.errno(), Some(libc::EPERM | libc::EACCES | libc::ENOSPC)) => {
            Err(no_namespace(&e))
        }
        Err(e) => Err(e.into()),
    }
}

/// The one line (exit 2) for a network namespace that cannot be made.
fn no_namespace(e: &rawnet::Error) -> CliError {
    let hint = match e.errno() {
        Some(libc::ENOSPC) => "the limit user.max_net_namespaces is reached",
        _ => "run it as root, or allow unprivileged user namespaces",
    };
    CliError::new(
        EXIT_NO_NAMESPACE,
        format!(
            "rawnet bench: cannot create a network namespace: {} ({hint})",
            io_reason(e)
        ),
    )
}

fn run_plan(ctx: &Context, plan: &Plan) -> Result<i32, CliError> {
    let mut line = Line::new();
    let mut all: Vec<Measurement> = Vec::new();
    if !ctx.json {
        print(&format!(
            "# kernel {}; each suite in a fresh network namespace; dumps: fastest of {} readings\n{}",
            kernel_release(),
            bench::DUMP_READINGS,
            report::text_header()
        ))?;
    }
    for &suite in &plan.suites {
        let settings = Settings {
            count: plan.count_for(suite),
            batch: plan.batch,
        };
        let outcome = bench::run(suite, &settings, &mut line);
        line.clear();
        let results = outcome.map_err(|e| {
            let mut err = CliError::from(e);
            err.message = format!("rawnet bench {}: {}", suite.name(), err.message);
            err
        })?;
        if !ctx.json {
            let rows: String = results.iter().map(report::text_row).collect();
            print(&rows)?;
        }
        all.extend(results);
    }
    if ctx.json {
        print(&report::json(&all, ctx.pretty))?;
    }
    Ok(0)
}

/// The running kernel's release (`6.18.0`), or `unknown`.
fn kernel_release() -> String {
    match std::fs::read_to_string("/proc/sys/kernel/osrelease") {
        Ok(s) => s.trim().to_string(),
        Err(e) => {
            to_stderr(&format!("rawnet bench: /proc/sys/kernel/osrelease: {e}\n"));
            "unknown".to_string()
        }
    }
}
