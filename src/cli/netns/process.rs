//! `netns identify [PID]` (the name of a process's namespace) and `netns pids
//! NAME` (the processes in a named namespace), worded as iproute2 6.1.

use rawnet::ns::{self, NetNs};

use super::super::{io_reason, CliError};
use super::name_arg;
use crate::cli::os_args::{escape, unescape};

/// iproute2's `is_pid`: only digits.
fn is_pid(word: &str) -> bool {
    word.bytes().all(|b| b.is_ascii_digit())
}

fn cannot_open(e: &rawnet::Error) -> CliError {
    CliError::new(
        1,
        format!("Cannot open network namespace: {}", io_reason(e)),
    )
}

/// `identify [PID]`: one line, the last `/run/netns` name (in directory order)
/// of the namespace of PID, or of the current one (`selected` under `-n` in a
/// batch, where the process itself does not move); empty when it has none.
pub fn identify(selected: Option<NetNs>, rest: &[String]) -> Result<i32, CliError> {
    if rest.len() > 1 {
        return Err(CliError::new(1, "extra arguments specified"));
    }
    let ns = match (rest.first(), selected) {
        (Some(pid), _) => {
            if !is_pid(pid) {
                return Err(CliError::new(
                    1,
                    format!("Specified string '{pid}' is not a pid"),
                ));
            }
            NetNs::open_path(format!("/proc/{pid}/ns/net"))
        }
        (None, Some(ns)) => Ok(ns),
        (None, None) => NetNs::current(),
    }
    .map_err(|e| cannot_open(&e))?;
    let names = ns::names_of(&ns).map_err(CliError::from)?;
    let name = names
        .last()
        .map_or(std::borrow::Cow::Borrowed(""), |n| escape(n));
    super::super::output::print(&format!("{name}\n"))?;
    Ok(0)
}

/// `pids NAME`: one process id a line.
pub fn pids(rest: &[String]) -> Result<i32, CliError> {
    let name = name_arg(rest)?;
    if rest.len() > 1 {
        return Err(CliError::new(1, "extra arguments specified"));
    }
    let ns = NetNs::open_named(unescape(name)).map_err(|e| cannot_open(&e))?;
    let pids = ns::pids_in(&ns).map_err(CliError::from)?;
    let text: String = pids.iter().map(|p| format!("{p}\n")).collect();
    super::super::output::print(&text)?;
    Ok(0)
}
