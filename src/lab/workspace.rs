//! [`Workspace`]: the named namespaces a lab run creates, with unique names,
//! removed (in reverse order) when the workspace is dropped (at the end, on
//! a stop signal, and while a panic unwinds).
//!
//! Each name ends in `-lab<PID>` of the run that made it, so the namespaces
//! of a run killed before it could clean up (`SIGKILL`) are recognisable:
//! [`reclaim_abandoned`] removes those whose process is gone.

use std::sync::atomic::{AtomicBool, Ordering};

use super::{Expect, Observer, Outcome, Report};
use crate::error::Result;
use crate::features::Support;
use crate::netlink::Connection;
use crate::ns::{self, NetNs};

/// What separates a lab namespace's short name from its run's process id.
const NAME_MARK: &str = "-lab";

/// The process id in a lab namespace's name (`netns0-lab4242` -> 4242).
fn owner_pid(name: &str) -> Option<u32> {
    let (short, pid) = name.rsplit_once(NAME_MARK)?;
    if short.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Remove the named namespaces that lab runs left behind when they were
/// killed before they could clean up: names `SHORT-lab<PID>` whose process
/// no longer runs (no `/proc/PID`). The names removed, in `/run/netns`
/// order. A running lab's namespaces (its process exists) are never touched.
pub fn reclaim_abandoned() -> Result<Vec<String>> {
    let me = std::process::id();
    let mut removed = Vec::new();
    for name in ns::list_named()? {
        let Ok(name) = String::from_utf8(name) else {
            continue;
        };
        let Some(pid) = owner_pid(&name) else {
            continue;
        };
        if pid == me || pid == 0 || std::path::Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        // Another run may reclaim it at the same moment: gone is fine.
        if ns::delete_named(&name).is_ok() {
            removed.push(name);
        }
    }
    Ok(removed)
}

/// The namespaces of one lab run, and the run's bookkeeping.
pub struct Workspace<'o> {
    suffix: String,
    created: Vec<String>,
    observer: &'o mut dyn Observer,
    stop: &'o AtomicBool,
    report: Report,
}

impl<'o> Workspace<'o> {
    /// A workspace whose names end in `-lab<PID>` (unique among running labs).
    pub fn new(observer: &'o mut dyn Observer, stop: &'o AtomicBool) -> Self {
        Workspace {
            suffix: format!("{NAME_MARK}{}", std::process::id()),
            created: Vec::new(),
            observer,
            stop,
            report: Report::default(),
        }
    }

    /// The unique name of the lab's namespace `short` (`netns0` -> `netns0-lab4242`).
    pub fn name(&self, short: &str) -> String {
        format!("{short}{}", self.suffix)
    }

    pub fn stop_flag(&self) -> &AtomicBool {
        self.stop
    }

    /// True once Ctrl-C was pressed (and recorded in the report).
    pub fn interrupted(&mut self) -> bool {
        if self.stop.load(Ordering::SeqCst) {
            self.report.interrupted = true;
        }
        self.report.interrupted
    }

    pub fn note(&mut self, text: &str) {
        self.observer.note(text);
    }

    /// Create the named namespace `name`; it is removed when the workspace drops.
    pub fn add_namespace(&mut self, name: &str) -> Result<()> {
        ns::add_named(name)?;
        self.created.push(name.to_string());
        Ok(())
    }

    /// An rtnetlink connection inside the named namespace.
    pub fn connection(&self, name: &str) -> Result<Connection> {
        ns::route_connection_in(&NetNs::open_named(name)?)
    }

    /// Run one step: announce `command`, run `action`, report the outcome and
    /// whether it matched `expect`. Returns whether it did.
    pub fn step(
        &mut self,
        command: &str,
        expect: Expect,
        action: impl FnOnce(&mut Self) -> Outcome,
    ) -> bool {
        if self.interrupted() {
            return false;
        }
        self.observer.command(command, expect);
        let outcome = action(self);
        self.record(command, expect, outcome)
    }

    /// The second half of [`Workspace::step`], compiled once: report
    /// `outcome` and whether it matched `expect`.
    fn record(&mut self, command: &str, expect: Expect, outcome: Outcome) -> bool {
        let succeeded = match &outcome {
            Outcome::Failed(_) => false,
            Outcome::Ping { stats, .. } => stats.received > 0,
            Outcome::Done | Outcome::Seen(_) => true,
        };
        let interrupted = self.interrupted();
        let as_expected = succeeded == (expect == Expect::Success) && !interrupted;
        // An interrupted step is not a surprise: the report says it was interrupted.
        self.observer.outcome(&outcome, as_expected || interrupted);
        self.report.steps += 1;
        if !as_expected && !self.report.interrupted {
            self.report.unexpected.push(command.to_string());
        }
        as_expected
    }

    /// Record that the running kernel lacks `kind`, if it does: the lab then
    /// stops before doing anything. True when the kind is there.
    pub fn require_kind(&mut self, kind: &str) -> bool {
        self.require(kind, || {
            crate::features::probe_kind(kind).unwrap_or_else(|e| Support::Unknown(e.to_string()))
        })
    }

    /// [`Workspace::require_kind`] for any feature `what`, found by `probe`.
    pub(super) fn require(&mut self, what: &str, probe: impl FnOnce() -> Support) -> bool {
        let question = format!("does this kernel have {what}?");
        self.require_as(&question, what, probe, |why| {
            format!("the kernel lacks {what} ({why})")
        })
    }

    /// Whether this process may do `what` (`probe` tries it): a refusal
    /// for want of privilege stops the lab as a missing feature does.
    pub(super) fn require_permission(
        &mut self,
        what: &str,
        probe: impl FnOnce() -> Support,
    ) -> bool {
        let question = format!("may this process use {what}?");
        self.require_as(&question, what, probe, |why| {
            format!("this process may not use {what} ({why})")
        })
    }

    fn require_as(
        &mut self,
        question: &str,
        what: &str,
        probe: impl FnOnce() -> Support,
        missing: impl FnOnce(&str) -> String,
    ) -> bool {
        self.observer
            .command(&format!("rawnet features    # {question}"), Expect::Success);
        let support = probe();
        let outcome = match &support {
            Support::Supported => Outcome::Seen(format!("{what}: yes")),
            other => Outcome::Seen(format!(
                "{what}: no ({})",
                other.reason().unwrap_or("unknown")
            )),
        };
        self.observer.outcome(&outcome, true);
        match support {
            Support::Supported => true,
            other => {
                self.report.unsupported = Some(missing(other.reason().unwrap_or("unknown")));
                false
            }
        }
    }

    /// Remove everything and hand back the report.
    pub fn finish(mut self) -> Report {
        self.remove_all();
        std::mem::take(&mut self.report)
    }

    fn remove_all(&mut self) {
        while let Some(name) = self.created.pop() {
            let command = format!("rawnet netns del {name}");
            self.observer.command(&command, Expect::Success);
            let outcome = match ns::delete_named(&name) {
                Ok(()) => Outcome::Done,
                Err(e) => Outcome::Failed(e),
            };
            let ok = matches!(outcome, Outcome::Done);
            self.observer.outcome(&outcome, ok);
        }
    }
}

impl Drop for Workspace<'_> {
    fn drop(&mut self) {
        self.remove_all();
    }
}

#[cfg(test)]
mod tests {
    use super::owner_pid;

    #[test]
    fn owner_pid_reads_only_lab_names() {
        assert_eq!(owner_pid("netns0-lab4242"), Some(4242));
        assert_eq!(owner_pid("node-a-lab-lab17"), Some(17));
        for other in [
            "netns0",
            "-lab12",
            "x-lab",
            "x-lab12a",
            "x-lab+1",
            "lab12",
            "x-lab99999999999",
        ] {
            assert_eq!(owner_pid(other), None, "{other}");
        }
    }
}
