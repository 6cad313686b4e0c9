//! `rawnet bench`: the whole run in text and JSON, its counts and rates,
//! its complaints, and that it leaves nothing behind: the root namespace's
//! links are what they were, and no named namespace appears (each run
//! happens in a private mount namespace with an empty `/run/netns` of its
//! own, which must still be empty at the end). No timing is asserted.

mod common;

use std::process::{Command, Output};

use common::{assert_fails, assert_success, rawnet};

/// Names of the root namespace's links, in order.
fn root_links() -> String {
    common::ip_ok(&["-o", "link", "show"])
        .lines()
        .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs the rest in a private mount namespace with a fresh `/run/netns`;
/// its last line on stderr lists what is left there.
const ISOLATED: &str = r#"mount -t tmpfs rawnet-bench-test /run/netns || exit 99
"$@"; rc=$?
echo "left in /run/netns: [$(ls -A /run/netns | tr '\n' ' ')]" >&2
exit $rc"#;

/// Run `rawnet ARGS` in a private `/run/netns`: its output (stderr without
/// the last line) and what it left in `/run/netns`. The root namespace's
/// links must be unchanged afterwards.
fn bench(args: &[&str]) -> (Output, String) {
    let links = root_links();
    std::fs::create_dir_all("/run/netns").expect("mkdir /run/netns");
    let mut out = Command::new("unshare")
        .args(["--mount", "--propagation", "private", "--", "sh", "-c"])
        .args([ISOLATED, "sh", env!("CARGO_BIN_EXE_rawnet")])
        .args(args)
        .output()
        .expect("run unshare");
    assert_ne!(out.status.code(), Some(99), "mount a tmpfs on /run/netns");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let (rest, last) = stderr
        .trim_end()
        .rsplit_once('\n')
        .unwrap_or(("", stderr.trim_end()));
    let left = last
        .strip_prefix("left in /run/netns: ")
        .unwrap_or_else(|| panic!("no listing of /run/netns in {stderr:?}"))
        .to_string();
    out.stderr = rest.as_bytes().to_vec();
    assert_eq!(root_links(), links, "the root namespace's links changed");
    (out, left)
}

#[test]
fn every_suite_runs_in_text_and_leaves_nothing_behind() {
    let (out, left) = bench(&["bench", "all", "--count", "200"]);
    assert_success(&out, "rawnet bench all --count 200");
    assert_eq!(left, "[]");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("# kernel "), "{stdout}");
    assert!(lines[1].starts_with("operation"), "{stdout}");
    let rows: Vec<Vec<&str>> = lines[2..]
        .iter()
        .map(|l| {
            l.split("  ")
                .filter(|c| !c.is_empty())
                .map(str::trim)
                .collect()
        })
        .collect();
    let want = [
        ("route add", "200", "1024"),
        ("route dump", "200", "-"),
        ("route dump (headers only)", "200", "-"),
        ("route delete", "200", "1024"),
        ("address add", "200", "1024"),
        ("address dump", "200", "-"),
        ("address dump (headers only)", "200", "-"),
        ("veth add", "200", "1024"),
        ("link dump", "401", "-"),
        ("link dump (headers only)", "401", "-"),
        ("veth delete (group)", "200", "-"),
        ("veth delete", "200", "1024"),
    ];
    assert_eq!(rows.len(), want.len(), "{stdout}");
    for (row, (label, count, batch)) in rows.iter().zip(want) {
        assert_eq!(&row[..3], [label, count, batch], "{stdout}");
        // wall, user, system (ms), per s, MB/s
        assert_eq!(row.len(), 8, "{row:?}");
        let per_s: f64 = row[6].parse().expect("per s is a number");
        assert!(per_s > 0.0, "{row:?}");
        let dump = label.contains("dump");
        assert_eq!(row[7] != "-", dump, "{row:?}");
    }
}

#[test]
fn json_of_one_at_a_time_routes() {
    let (out, left) = bench(&["-j", "bench", "route", "--count", "500", "--batch", "1"]);
    assert_success(&out, "rawnet -j bench route --count 500 --batch 1");
    assert_eq!(left, "[]");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let records = v.as_array().expect("an array");
    let ops: Vec<&str> = records
        .iter()
        .map(|r| r["operation"].as_str().expect("operation"))
        .collect();
    assert_eq!(
        ops,
        ["route_add", "route_dump", "route_walk", "route_delete"]
    );
    for r in records {
        let op = r["operation"].as_str().unwrap();
        let dump = op.ends_with("dump") || op.ends_with("walk");
        assert_eq!(r["count"].as_u64(), Some(500), "{r}");
        for key in ["wall_s", "user_s", "system_s", "per_s"] {
            let x = r[key].as_f64().unwrap_or_else(|| panic!("{key} in {r}"));
            assert!(x >= 0.0, "{r}");
        }
        assert!(r["wall_s"].as_f64().unwrap() > 0.0, "{r}");
        assert!(r["per_s"].as_f64().unwrap() > 0.0, "{r}");
        if dump {
            assert!(r.get("batch").is_none(), "{r}");
            // At least the 28-byte header and the 16-byte message header a route.
            assert!(r["bytes"].as_u64().unwrap() >= 500 * 44, "{r}");
            assert!(r["mb_per_s"].as_f64().unwrap() > 0.0, "{r}");
        } else {
            assert_eq!(r["batch"].as_u64(), Some(1), "{r}");
            assert!(
                r.get("bytes").is_none() && r.get("mb_per_s").is_none(),
                "{r}"
            );
        }
        let keys = r.as_object().unwrap().keys();
        for k in keys {
            assert!(
                k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{k}"
            );
        }
    }
}

#[test]
fn bad_words_are_refused_in_one_line() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["bench", "count", "x"],
            "Error: argument \"x\" is wrong: \"count\" value is invalid",
        ),
        (
            &["bench", "--batch", "0"],
            "Error: argument \"0\" is wrong: \"batch\" value is invalid",
        ),
        (
            &["bench", "--batch", "5000"],
            "\"batch\" value is invalid (want 1 to 1024)",
        ),
        (
            &["bench", "routes"],
            "Command \"routes\" is unknown, try \"rawnet bench help\".",
        ),
        (&["-n", "x", "bench"], "-n does not apply"),
    ];
    for (args, line) in cases {
        let out = rawnet(args);
        assert_fails(&out, 255, line);
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let help = rawnet(&["bench", "help"]);
    assert_success(&help, "rawnet bench help");
    assert!(String::from_utf8_lossy(&help.stdout).starts_with("Usage: rawnet bench "));
}

/// Without a network namespace to be had (a user namespace whose limit of
/// network namespaces is 0), one line and exit 2.
#[test]
fn no_namespace_no_bench() {
    let out = Command::new("unshare")
        .args(["--user", "--map-root-user", "--", "sh", "-c"])
        .arg(r#"echo 0 > /proc/sys/user/max_net_namespaces || exit 99; exec "$@""#)
        .args(["sh", env!("CARGO_BIN_EXE_rawnet"), "bench", "route"])
        .output()
        .expect("run unshare");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(99) || stderr.starts_with("unshare") {
        common::skipped(&format!(
            "no_namespace_no_bench: cannot limit network namespaces in a user namespace: {stderr}"
        ));
        return;
    }
    assert_fails(&out, 2, "rawnet bench: cannot create a network namespace: ");
    assert!(out.stdout.is_empty());
}

/// As nobody, the bench runs in private user and network namespaces.
#[test]
fn runs_unprivileged_in_a_user_namespace() {
    let max = std::fs::read_to_string("/proc/sys/user/max_user_namespaces").unwrap_or_default();
    if max.trim() == "0" || Command::new("setpriv").arg("--version").output().is_err() {
        common::skipped("runs_unprivileged_in_a_user_namespace: no user namespaces or no setpriv");
        return;
    }
    let links = root_links();
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .args([
            env!("CARGO_BIN_EXE_rawnet"),
            "-j",
            "bench",
            "route",
            "count",
            "50",
        ])
        .output()
        .expect("run setpriv");
    assert_success(&out, "rawnet -j bench route count 50 as uid 65534");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v.as_array().map(Vec::len), Some(4));
    assert_eq!(v[0]["count"].as_u64(), Some(50));
    assert_eq!(root_links(), links, "the root namespace's links changed");
}
