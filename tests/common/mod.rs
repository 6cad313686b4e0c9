//! Shared harness of the integration tests: namespaces with unique names that
//! are always removed (also when a test fails), and runners for the rawnet
//! binary and for iproute2 inside them.
//!
//! Every test creates its own namespaces; nothing here touches the host's.
#![allow(dead_code)]

use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A unique name: `rn-<tag>-<pid>-<n>`, at most 15 bytes where `tag` is short.
pub fn unique_name(tag: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("rn{}{}-{}", tag, std::process::id() % 100_000, n)
}

/// A named network namespace made with `ip netns add`, deleted on drop.
pub struct TestNs {
    pub name: String,
}

impl TestNs {
    pub fn new(tag: &str) -> TestNs {
        let name = unique_name(tag);
        let out = Command::new("ip")
            .args(["netns", "add", &name])
            .output()
            .expect("run ip netns add");
        assert!(
            out.status.success(),
            "ip netns add {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        TestNs { name }
    }

    /// Run `rawnet -n NS ARGS...`.
    pub fn rawnet(&self, args: &[&str]) -> Output {
        let mut all = vec!["-n", self.name.as_str()];
        all.extend_from_slice(args);
        rawnet(&all)
    }

    /// Run `rawnet -n NS ARGS...` and insist that it succeeds; returns stdout.
    pub fn rawnet_ok(&self, args: &[&str]) -> String {
        let out = self.rawnet(args);
        assert_success(&out, &format!("rawnet -n {} {}", self.name, args.join(" ")));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Run `ip -n NS ARGS...` and insist that it succeeds; returns stdout.
    pub fn ip_ok(&self, args: &[&str]) -> String {
        let mut all = vec!["-n", self.name.as_str()];
        all.extend_from_slice(args);
        ip_ok(&all)
    }

    /// `ip -n NS -j ARGS...`, parsed.
    pub fn ip_json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["-j"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ip_ok(&all)).expect("ip -j prints JSON")
    }

    /// Run `ip netns exec NS rawnet ARGS...`: rawnet inside the namespace
    /// without its own `-n`, whatever state its `ns` module is in.
    pub fn exec_rawnet(&self, args: &[&str]) -> Output {
        Command::new("ip")
            .args(["netns", "exec", &self.name, env!("CARGO_BIN_EXE_rawnet")])
            .args(args)
            .output()
            .expect("run rawnet in namespace")
    }

    /// [`exec_rawnet`](Self::exec_rawnet), insisting that it succeeds; returns stdout.
    pub fn exec_rawnet_ok(&self, args: &[&str]) -> String {
        let out = self.exec_rawnet(args);
        assert_success(&out, &format!("rawnet {}", args.join(" ")));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// [`exec_rawnet`](Self::exec_rawnet) with `-j`, parsed.
    pub fn exec_rawnet_json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["-j"];
        all.extend_from_slice(args);
        let s = self.exec_rawnet_ok(&all);
        serde_json::from_str(&s).unwrap_or_else(|e| panic!("rawnet -j prints JSON ({e}): {s}"))
    }

    /// `rawnet -n NS -j ARGS...`, parsed.
    pub fn rawnet_json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["-j"];
        all.extend_from_slice(args);
        let s = self.rawnet_ok(&all);
        serde_json::from_str(&s).unwrap_or_else(|e| panic!("rawnet -j prints JSON ({e}): {s}"))
    }
}

impl Drop for TestNs {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .output();
    }
}

/// Run the rawnet binary.
pub fn rawnet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rawnet"))
        .args(args)
        .output()
        .expect("run rawnet")
}

/// Run `ip ARGS...` and insist that it succeeds; returns stdout.
pub fn ip_ok(args: &[&str]) -> String {
    let out = Command::new("ip").args(args).output().expect("run ip");
    assert_success(&out, &format!("ip {}", args.join(" ")));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn assert_success(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed ({:?}):\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Assert a command failed with `code` and one stderr line containing `needle`.
pub fn assert_fails(out: &Output, code: i32, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "stderr: {stderr}");
    assert!(
        stderr.contains(needle),
        "want {needle:?} in stderr: {stderr}"
    );
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "one line of error, got: {stderr}"
    );
}

/// Say that (part of) a test could not run here, and why. Written straight to
/// the process's stderr, past the test harness's capture, so the reason shows
/// in the output of a passing run too.
pub fn skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED {why}");
}
