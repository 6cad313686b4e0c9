//! Which processes are in a network namespace (`ip netns pids NAME`): every
//! `/proc/PID` whose `ns/net` is the same namespace file (`st_dev`, `st_ino`).

use std::fs;
use std::os::unix::fs::MetadataExt;

use super::handle::NetNs;
use crate::error::{Error, Result};

/// At most this many `/proc` entries are looked at.
const MAX_PROC_ENTRIES: usize = 1 << 22;

/// The ids of the processes (thread-group leaders, as `/proc` lists them)
/// whose network namespace is `ns`, in `/proc`'s order. Processes that end
/// or cannot be looked at while the list is made are skipped.
///
/// Errors: `Io` with op `Open of /proc failed` when `/proc` cannot be read,
/// or from reading `ns`'s identity.
pub fn pids_in(ns: &NetNs) -> Result<Vec<u32>> {
    let target = ns.identity()?;
    let dir = fs::read_dir("/proc").map_err(|e| Error::io("Open of /proc failed", e))?;
    let mut pids = Vec::new();
    for entry in dir.take(MAX_PROC_ENTRIES).flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|s| {
            s.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| s.parse::<u32>().ok())
                .flatten()
        }) else {
            continue;
        };
        let Ok(meta) = fs::metadata(format!("/proc/{pid}/ns/net")) else {
            continue;
        };
        if meta.dev() == target.dev && meta.ino() == target.ino {
            pids.push(pid);
        }
    }
    Ok(pids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_in_its_namespace_and_not_in_a_new_one() {
        let here = NetNs::current().unwrap();
        assert!(pids_in(&here).unwrap().contains(&std::process::id()));
        let fresh = NetNs::new_anonymous().unwrap();
        assert!(!pids_in(&fresh).unwrap().contains(&std::process::id()));
    }
}
