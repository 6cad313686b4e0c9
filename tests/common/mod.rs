//! Shared harness of the integration tests: namespaces with unique names that
//! are always removed (also when a test fails), runners for the rawnet binary
//! and for iproute2 (`ip`, `bridge`) inside them, and the comparisons of the
//! two: same output, same failure.
//!
//! Every test creates its own namespaces; nothing here touches the host's.
#![allow(dead_code)]

pub mod bpffs;
#[path = "../../src/test_support/cprobe.rs"]
pub mod cprobe;
pub mod pair;
pub mod programs;

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

/// A command line written as one string, split at white space into its words.
pub fn argv(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
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

    /// A namespace with lo up and a veth pair: veth0 up, its peer veth1 down.
    /// veth0 has no carrier, so no traffic makes the kernel add, learn or age
    /// anything by itself while a test compares.
    pub fn with_idle_veth(tag: &str) -> TestNs {
        let ns = TestNs::new(tag);
        ns.ip_ok(&["link", "set", "lo", "up"]);
        ns.ip_ok(&argv("link add veth0 type veth peer name veth1"));
        ns.ip_ok(&["link", "set", "veth0", "up"]);
        ns
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

    /// Run the iproute2 `program` (`ip`, `bridge`) as `PROGRAM -n NS ARGS...`.
    pub fn iproute2(&self, program: &str, args: &[&str]) -> Output {
        Command::new(program)
            .args(["-n", self.name.as_str()])
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("run {program}: {e}"))
    }

    /// [`iproute2`](Self::iproute2), insisting that it succeeds; returns stdout.
    pub fn iproute2_ok(&self, program: &str, args: &[&str]) -> String {
        let out = self.iproute2(program, args);
        assert_success(&out, &format!("{program} {}", args.join(" ")));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `PROGRAM -n NS -j ARGS...`, parsed.
    pub fn iproute2_json(&self, program: &str, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["-j"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.iproute2_ok(program, &all))
            .unwrap_or_else(|e| panic!("{program} -j prints JSON ({e})"))
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

/// rawnet and iproute2's `program` print the same for `args` in namespace
/// `ns`: parsed JSON, pretty JSON (`-j -p`) and text. Returns rawnet's JSON.
pub fn assert_same_output(ns: &TestNs, program: &str, args: &[&str]) -> serde_json::Value {
    let ours = ns.rawnet_json(args);
    assert_eq!(
        ours,
        ns.iproute2_json(program, args),
        "rawnet -j {}",
        args.join(" ")
    );
    let mut pretty = vec!["-j", "-p"];
    pretty.extend_from_slice(args);
    assert_eq!(
        ns.rawnet_ok(&pretty),
        ns.iproute2_ok(program, &pretty),
        "rawnet -j -p {}",
        args.join(" ")
    );
    assert_eq!(
        ns.rawnet_ok(args),
        ns.iproute2_ok(program, args),
        "rawnet {}",
        args.join(" ")
    );
    ours
}

/// rawnet fails on `args` in `ns` with exit `code`, one stderr line containing
/// `line` and nothing on stdout; iproute2's `program` fails with the same code
/// and says the same (where its usage hint names itself, `"ip neigh help"`,
/// rawnet's names rawnet).
pub fn assert_fails_as_iproute2(ns: &TestNs, program: &str, args: &[&str], code: i32, line: &str) {
    let out = ns.rawnet(args);
    assert_fails(&out, code, line);
    assert!(out.stdout.is_empty(), "rawnet {}: stdout", args.join(" "));
    let theirs = ns.iproute2(program, args);
    assert_eq!(
        theirs.status.code(),
        Some(code),
        "{program} {}",
        args.join(" ")
    );
    let their_line =
        String::from_utf8_lossy(&theirs.stderr).replace(&format!("\"{program} "), "\"rawnet ");
    assert!(
        their_line.contains(line),
        "{program} {}: {their_line}",
        args.join(" ")
    );
}

/// Say that (part of) a test could not run here, and why. Written straight to
/// the process's stderr, past the test harness's capture, so the reason shows
/// in the output of a passing run too.
pub fn skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED {why}");
}

/// Exit code, stdout and stderr of a run, stderr with iproute2's
/// self-references (`"ip ...`) turned into rawnet's.
fn outcome(out: &Output) -> (Option<i32>, String, String) {
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).replace("\"ip ", "\"rawnet "),
    )
}

/// `rawnet -n NS ARGS` and `ip -n NS ARGS` in the same namespace exit alike
/// and print the same stdout and stderr (for failures too).
pub fn assert_same_as_ip(ns: &TestNs, args: &[&str]) {
    assert_eq!(
        outcome(&ns.rawnet(args)),
        outcome(&ns.iproute2("ip", args)),
        "rawnet vs ip: {}",
        args.join(" ")
    );
}

/// `rawnet ARGS` in `ours` and `ip ARGS` in `theirs` (two namespaces built
/// alike) exit alike, print the same, and leave the same state behind, as
/// `ip -j` shows it with each of `state` (in any order: the kernel's hash
/// tables list entries in an order of their own).
pub fn assert_same_change_as_ip(ours: &TestNs, theirs: &TestNs, args: &[&str], state: &[&str]) {
    assert_eq!(
        outcome(&ours.rawnet(args)),
        outcome(&theirs.iproute2("ip", args)),
        "rawnet vs ip: {}",
        args.join(" ")
    );
    for show in state {
        let sorted = |v: serde_json::Value| {
            let mut items: Vec<String> = match v {
                serde_json::Value::Array(a) => a.iter().map(|e| e.to_string()).collect(),
                v => vec![v.to_string()],
            };
            items.sort();
            items
        };
        assert_eq!(
            sorted(ours.ip_json(&argv(show))),
            sorted(theirs.ip_json(&argv(show))),
            "ip -j {show} after {}",
            args.join(" ")
        );
    }
}

/// Whether nft (the nftables package) is installed; says why when not.
pub fn have_nft() -> bool {
    if Command::new("nft").arg("--version").output().is_err() {
        skipped("nft is not installed: no cross-check with nft");
        return false;
    }
    true
}

/// `ip netns exec NS nft ARGS...`.
pub fn nft(ns: &TestNs, args: &[&str]) -> Output {
    Command::new("ip")
        .args(["netns", "exec", &ns.name, "nft"])
        .args(args)
        .output()
        .expect("run nft")
}

/// [`nft`], which must succeed; its standard output.
pub fn nft_ok(ns: &TestNs, args: &[&str]) -> String {
    let out = nft(ns, args);
    assert!(
        out.status.success(),
        "nft {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `rawnet -n NS nft ARGS...`.
pub fn rawnet_nft(ns: &TestNs, args: &[&str]) -> Output {
    let mut all = vec!["nft"];
    all.extend_from_slice(args);
    ns.rawnet(&all)
}

/// [`rawnet_nft`], which must succeed; its standard output.
pub fn rawnet_nft_ok(ns: &TestNs, args: &[&str]) -> String {
    let mut all = vec!["nft"];
    all.extend_from_slice(args);
    ns.rawnet_ok(&all)
}

/// Whether the tests run as root (bpf(2), mounts and namespaces need it here).
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}
