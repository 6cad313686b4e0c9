//! tc lines in a batch: `rawnet tc -batch FILE` (tc's grammar), rawnet
//! invoked as `tc -batch FILE`, and `rawnet -batch FILE` with `tc ...`
//! lines, each against `tc -batch` (iproute2 6.1) with the same lines: the
//! same filters and qdiscs afterwards (`tc -j ... show`), the same words and
//! status for failing lines, with and without `-force`, and the requests
//! many to a `sendmsg` (strace). Each test runs in namespaces of its own
//! with a veth pair, the shipped drop_icmp_echo.s loaded and pinned on a
//! bpffs of the test's own (never the host's /sys/fs/bpf).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::bpffs::Bpffs;
use common::{is_root, rawnet, skipped, TestNs};

fn have_tools() -> bool {
    Command::new("tc").arg("-V").output().is_ok()
}

/// A bpffs with the shipped program pinned twice (`p1`, `p2`: two
/// programs, so that a replace changes something).
fn pinned(tag: &str) -> Option<(Bpffs, String, String)> {
    if !is_root() || !have_tools() {
        skipped("tc batch: needs root and tc (iproute2)");
        return None;
    }
    let fs = match Bpffs::try_mount(tag) {
        Ok(fs) => fs,
        Err(why) => {
            skipped(&format!("tc batch: cannot mount a bpffs: {why}"));
            return None;
        }
    };
    let src = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/bpf/programs/drop_icmp_echo.s"
    );
    let (p1, p2) = (fs.path("p1"), fs.path("p2"));
    for p in [&p1, &p2] {
        let out = rawnet(&["bpf", "prog", "load", src, "type", "tc", "pin", p]);
        assert!(out.status.success(), "{out:?}");
    }
    Some((fs, p1, p2))
}

/// A batch file of the test's own, removed on drop.
struct BatchFile(PathBuf);

impl BatchFile {
    fn new(tag: &str, text: &str) -> BatchFile {
        let path =
            std::env::temp_dir().join(format!("rawnet-tcbatch-{tag}-{}", common::unique_name("f")));
        std::fs::write(&path, text).expect("write the batch file");
        BatchFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("utf-8 path")
    }
}

impl Drop for BatchFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A directory with `tc`, a symlink to the rawnet binary; removed on drop.
struct InstalledTc(PathBuf);

impl InstalledTc {
    fn new() -> InstalledTc {
        let dir = std::env::temp_dir().join(common::unique_name("rawnet-tc"));
        std::fs::create_dir_all(&dir).unwrap();
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_rawnet"), dir.join("tc")).unwrap();
        InstalledTc(dir)
    }

    fn tc(&self) -> PathBuf {
        self.0.join("tc")
    }
}

impl Drop for InstalledTc {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(self.0.join("tc"));
        let _ = std::fs::remove_dir(&self.0);
    }
}

/// The ways to run a batch of tc lines.
#[derive(Debug, Clone, Copy)]
enum Runner {
    /// iproute2's `tc -n NS [EXTRA] -batch FILE`: the oracle.
    Tc,
    /// `rawnet tc -n NS [EXTRA] -batch FILE`.
    RawnetTc,
    /// rawnet invoked as `tc` (a symlink).
    Symlink,
    /// `rawnet -n NS [EXTRA] -batch FILE'`, each line with `tc ` before it.
    RawnetIp,
}

const ALL: [Runner; 4] = [
    Runner::Tc,
    Runner::RawnetTc,
    Runner::Symlink,
    Runner::RawnetIp,
];

/// Run `text` as a batch in `ns` the way `runner` does.
fn run(runner: Runner, ns: &TestNs, extra: &[&str], text: &str) -> (Output, BatchFile) {
    let file = match runner {
        Runner::RawnetIp => BatchFile::new(
            "ip",
            &text
                .lines()
                .map(|l| {
                    // Not blank lines, comments, continuations.
                    if l.trim().is_empty() || l.starts_with(['#', ' ']) {
                        format!("{l}\n")
                    } else {
                        format!("tc {l}\n")
                    }
                })
                .collect::<String>(),
        ),
        _ => BatchFile::new("tc", text),
    };
    let installed;
    let mut cmd = match runner {
        Runner::Tc => Command::new("tc"),
        Runner::Symlink => {
            installed = InstalledTc::new();
            Command::new(installed.tc())
        }
        Runner::RawnetTc => {
            let mut c = Command::new(env!("CARGO_BIN_EXE_rawnet"));
            c.arg("tc");
            c
        }
        Runner::RawnetIp => Command::new(env!("CARGO_BIN_EXE_rawnet")),
    };
    cmd.args(["-n", ns.name.as_str()])
        .args(extra)
        .args(["-batch", file.path()]);
    let out = cmd.output().expect("run the batch");
    (out, file)
}

/// The qdiscs and filters of veth0 as `tc -j` shows them.
fn state(ns: &TestNs) -> Vec<serde_json::Value> {
    vec![
        ns.iproute2_json("tc", &["qdisc", "show", "dev", "veth0"]),
        ns.iproute2_json("tc", &["filter", "show", "dev", "veth0", "ingress"]),
        ns.iproute2_json("tc", &["filter", "show", "dev", "veth0", "egress"]),
    ]
}

/// The program ids masked: the same program has one id, but a test that
/// loads its own for each run would not.
fn masked(mut v: serde_json::Value) -> serde_json::Value {
    match &mut v {
        serde_json::Value::Object(o) => {
            if o.contains_key("id") && o.contains_key("tag") {
                o.insert("id".into(), 0.into());
            }
            for (_, x) in o.iter_mut() {
                *x = masked(x.take());
            }
        }
        serde_json::Value::Array(a) => {
            for x in a.iter_mut() {
                *x = masked(x.take());
            }
        }
        _ => {}
    }
    v
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `text` run by every runner in a fresh namespace each: the same stdout,
/// stderr (file names aside), status and state as `tc -batch`. Returns
/// tc's stderr, with the file name as `FILE`.
fn all_as_tc(extra: &[&str], text: &str) -> (Option<i32>, String) {
    let mut first: Option<(Option<i32>, String, String, Vec<serde_json::Value>)> = None;
    for runner in ALL {
        let ns = TestNs::with_idle_veth("tb");
        let (out, file) = run(runner, &ns, extra, text);
        let got = (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr(&out).replace(file.path(), "FILE"),
            state(&ns).into_iter().map(masked).collect::<Vec<_>>(),
        );
        match &first {
            None => first = Some(got),
            Some(want) => assert_eq!(&got, want, "{runner:?} {extra:?} against tc"),
        }
    }
    let (code, _, err, _) = first.expect("tc ran");
    (code, err)
}

#[test]
fn a_tc_batch_leaves_the_state_tc_batch_leaves() {
    let Some((_fs, p1, p2)) = pinned("tbs") else {
        return;
    };
    let text = format!(
        "\
# clsact, then filters on both hooks in tc's word orders
qdisc add dev veth0 clsact
filter add dev veth0 ingress pref 1 bpf da pinned {p1}
filter add dev veth0 ingress pref 2 protocol ip handle 7 bpf pinned {p1} da
filter add dev veth0 egress pref 3 bpf object-pinned {p2} da
filter add dev veth0 egress bpf da pinned {p1}
filter replace dev veth0 ingress pref 2 protocol ip handle 7 bpf da pinned {p2}
filter change dev veth0 ingress pref 2 protocol ip handle 7 bpf pinned {p1}
filter add dev veth0 ingress \\
    pref 4 bpf da pinned {p1}
filter del dev veth0 ingress pref 1
filter show dev veth0 ingress
qdisc show dev veth0
filter add dev veth0 ingress pref 5 bpf da pinned {p2}
"
    );
    let (code, err) = all_as_tc(&[], &text);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(err, "");
}

#[test]
fn failing_lines_are_reported_as_tc_reports_them() {
    let Some((_fs, p1, _)) = pinned("tbf") else {
        return;
    };
    let text = format!(
        "\
filter add dev veth0 ingress bpf da pinned {p1}
qdisc add dev veth0 clsact
qdisc add dev veth0 clsact
filter add dev veth0 ingress pref 1 handle 1 bpf da pinned {p1}
filter add dev veth0 ingress pref 1 handle 1 bpf da pinned {p1}
filter add dev nosuch ingress bpf da pinned {p1}
filter add dev veth0 ingress pref 2 bpf da pinned {p1}-missing
bogus
filter del dev veth0 egress pref 9 handle 3 bpf
filter add dev veth0 ingress pref 3 bpf da pinned {p1}
"
    );
    // With -force every line runs; each failure has its line number.
    let (code, err) = all_as_tc(&["-force"], &text);
    assert_eq!(code, Some(1));
    for n in [1, 3, 5, 6, 7, 8] {
        assert!(err.contains(&format!("Command failed FILE:{n}\n")), "{err}");
    }
    assert!(
        err.contains("We have an error talking to the kernel\n"),
        "{err}"
    );
    assert!(err.contains("Cannot find device \"nosuch\"\n"), "{err}");
}

#[test]
fn without_force_nothing_after_the_failing_line_runs() {
    let Some((_fs, p1, _)) = pinned("tbn") else {
        return;
    };
    // Line 3 fails; line 4 is a command, so what is queued is applied (and
    // the failure found) before it would run: nothing after line 3 runs.
    // (Lines after a failing one in the same datagram, with no command
    // between them, have been applied by then, as in rawnet's ip batch.)
    let text = format!(
        "\
qdisc add dev veth0 clsact
filter add dev veth0 ingress pref 1 handle 1 bpf da pinned {p1}
filter add dev veth0 ingress pref 1 handle 1 bpf da pinned {p1}
filter show dev veth0 ingress
filter add dev veth0 ingress pref 2 bpf da pinned {p1}
"
    );
    let (code, err) = all_as_tc(&[], &text);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "Error: Filter already exists.\nWe have an error talking to the kernel\n\
         Command failed FILE:3\n"
    );
    let ns = TestNs::with_idle_veth("tbn");
    let (out, _file) = run(Runner::RawnetTc, &ns, &[], &text);
    assert!(out.stdout.is_empty(), "filter show did not run");
    let filters = ns.iproute2_ok("tc", &["filter", "show", "dev", "veth0", "ingress"]);
    assert!(filters.contains("pref 1 "), "{filters}");
    assert!(!filters.contains("pref 2 "), "{filters}");
}

#[test]
fn a_bad_command_line_ends_the_batch_as_tc_exits() {
    let Some((_fs, p1, _)) = pinned("tbb") else {
        return;
    };
    // tc exit(-1)s on a bad argument, -force or not: no "Command failed",
    // status 255, nothing after it runs.
    let text = format!(
        "\
qdisc add dev veth0 clsact
filter add dev veth0 ingress pref x bpf da pinned {p1}
filter add dev veth0 ingress pref 2 bpf da pinned {p1}
"
    );
    for extra in [&[][..], &["-force"][..]] {
        let (code, err) = all_as_tc(extra, &text);
        assert_eq!(code, Some(255), "{extra:?}");
        assert!(!err.contains("Command failed"), "{err}");
    }
    // A file that cannot be opened.
    let ns = TestNs::with_idle_veth("tbm");
    let missing = Path::new("/nonexistent/rawnet-tc-batch");
    let ours = ns.rawnet(&["tc", "-batch", missing.to_str().unwrap()]);
    let theirs = ns.iproute2("tc", &["-batch", missing.to_str().unwrap()]);
    assert_eq!(stderr(&ours), stderr(&theirs));
    assert_eq!(ours.status.code(), theirs.status.code());
}

/// The `sendmsg` calls `strace` saw in `out`'s run (`-o` file `log`).
fn sendmsgs(log: &Path) -> usize {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("sendmsg(") || l.contains("sendto("))
        .count()
}

#[test]
fn many_tc_lines_go_out_in_few_datagrams() {
    let Some((_fs, p1, _)) = pinned("tbp") else {
        return;
    };
    if Command::new("strace").arg("-V").output().is_err() {
        return skipped("tc batch: strace is not installed");
    }
    const N: usize = 300;
    let mut text = String::from("qdisc add dev veth0 clsact\n");
    for i in 1..=N {
        text.push_str(&format!(
            "filter add dev veth0 ingress pref {i} bpf da pinned {p1}\n"
        ));
    }
    let file = BatchFile::new("strace", &text);
    let count = |program: &[&str], ns: &TestNs| {
        let log = std::env::temp_dir().join(common::unique_name("strace"));
        let out = Command::new("strace")
            .args(["-f", "-e", "trace=sendmsg,sendto", "-o"])
            .arg(&log)
            .args(program)
            .args(["-n", ns.name.as_str(), "-batch", file.path()])
            .output()
            .expect("run strace");
        assert!(out.status.success(), "{program:?}: {}", stderr(&out));
        let n = sendmsgs(&log);
        let _ = std::fs::remove_file(&log);
        n
    };
    let ns = TestNs::with_idle_veth("tbp");
    let theirs = count(&["tc"], &ns);
    let filters = |ns: &TestNs| {
        ns.iproute2_json("tc", &["filter", "show", "dev", "veth0", "ingress"])
            .as_array()
            .map_or(0, Vec::len)
    };
    assert_eq!(filters(&ns), 2 * N);
    let ns = TestNs::with_idle_veth("tbq");
    let ours = count(&[env!("CARGO_BIN_EXE_rawnet"), "tc"], &ns);
    assert_eq!(filters(&ns), 2 * N);
    // tc: a request and its answer per line (and the device lookups);
    // rawnet: the device's lookup, then a few large datagrams.
    assert!(theirs > N, "tc sent {theirs}");
    assert!(
        ours <= 5,
        "rawnet sent {ours} datagrams for {} lines",
        N + 1
    );
}

#[test]
fn xdp_programs_stay_open_until_their_lines_are_answered() {
    // `link set ... xdp pinned P` lines in a batch: each program descriptor
    // must still be open when its datagram goes out (it was closed as soon
    // as the line was queued, and the kernel said "Bad file descriptor").
    let Some((fs, _, _)) = pinned("tbx") else {
        return;
    };
    let src = std::env::temp_dir().join(common::unique_name("pass"));
    std::fs::write(&src, "r0 = 2 # XDP_PASS\nexit\n").unwrap();
    let xdp = fs.path("xdp");
    let out = rawnet(&[
        "bpf",
        "prog",
        "load",
        src.to_str().unwrap(),
        "type",
        "xdp",
        "pin",
        &xdp,
    ]);
    let _ = std::fs::remove_file(&src);
    assert!(out.status.success(), "{out:?}");
    let ns = TestNs::with_idle_veth("tbx");
    let text =
        format!("link set veth0 xdpgeneric pinned {xdp}\nlink set veth1 xdpgeneric pinned {xdp}\n");
    let file = BatchFile::new("xdp", &text);
    let out = ns.rawnet(&["-batch", file.path()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for dev in ["veth0", "veth1"] {
        let shown = ns.ip_ok(&["link", "show", dev]);
        assert!(shown.contains("prog/xdp id"), "{dev}: {shown}");
    }
}

#[test]
fn a_batch_naming_many_pins_closes_them_as_it_goes() {
    // More distinct pins than a batch keeps open (256): the programs are
    // closed once what names them is answered, and opened again if named.
    let Some((fs, p1, _)) = pinned("tbm") else {
        return;
    };
    let program = rawnet::bpf::Program::open_pinned(&p1).expect("open the pin");
    let mut text = String::from("qdisc add dev veth0 clsact\n");
    for i in 1..=300 {
        let pin = fs.path(&format!("q{i}"));
        program.pin(&pin).expect("pin again");
        text.push_str(&format!(
            "filter add dev veth0 ingress pref {i} bpf da pinned {pin}\n"
        ));
        if i % 100 == 0 {
            // A pin named before, after others were closed.
            text.push_str(&format!(
                "filter add dev veth0 egress pref {i} bpf da pinned {}\n",
                fs.path("q1")
            ));
        }
    }
    let (code, err) = all_as_tc(&[], &text);
    assert_eq!((code, err.as_str()), (Some(0), ""));
}
