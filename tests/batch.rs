//! `rawnet -batch`: iproute2's batch format (comments, continuations,
//! quotes, standard input), the same state as `ip -batch` for the same file,
//! names created by earlier lines, each failure reported as ip reports it,
//! `-force`, and `-n NS` per line. Every test runs in namespaces of its own.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::TestNs;
use serde_json::Value;

/// Write `text` to a file of its own and return its path.
fn batch_file(tag: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "rawnet-batch-{tag}-{}-{}",
        std::process::id(),
        common::unique_name("f")
    ));
    std::fs::write(&path, text).expect("write the batch file");
    path
}

/// `rawnet -n NS [EXTRA] -batch FILE`.
fn rawnet_batch(ns: &TestNs, extra: &[&str], text: &str) -> Output {
    let path = batch_file("r", text);
    let mut args = vec!["-n", ns.name.as_str()];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["-batch", path.to_str().expect("utf-8 path")]);
    let out = common::rawnet(&args);
    let _ = std::fs::remove_file(&path);
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The state a batch leaves, without what differs between two runs
/// (link-layer addresses, IPv6 link-local addresses).
fn state(ns: &TestNs) -> (Value, Value, Value) {
    let mut links = ns.ip_json(&["link", "show"]);
    for l in links.as_array_mut().expect("array") {
        let o = l.as_object_mut().expect("object");
        o.remove("address");
        o.remove("broadcast");
        o.remove("operstate"); // carrier comes and goes
        o.remove("flags");
    }
    let addrs = ns.ip_json(&["-4", "address", "show"]);
    // IPv6 kernel routes come as links go up: their order is timing.
    let routes = ns.ip_json(&["-4", "route", "show", "table", "all"]);
    (links, addrs, routes)
}

const BUILD: &str = "\
# Two pods on a bridge, as a CNI plugin wires them.
link add cni0 type bridge
link set cni0 up
address add 10.244.1.1/24 dev cni0
link add veth-a type veth peer name eth-a
link add veth-b type veth peer name eth-b
link set veth-a master cni0
link set veth-b master cni0
link set veth-a up
link set veth-b up
address add 10.244.1.2/24 dev eth-a
address add 10.244.1.3/24 dev eth-b
link set eth-a up
link set eth-b up
route add 10.96.0.0/12 via 10.244.1.2 \\
    metric 7   # a continued line
route add 10.10.0.0/16 dev eth-b proto static
neighbour add 10.244.1.9 lladdr 02:00:00:00:00:09 dev cni0 nud permanent
link set veth-b mtu 1400
";

#[test]
fn a_batch_leaves_the_state_ip_batch_leaves() {
    let ours = TestNs::new("bo");
    let theirs = TestNs::new("bt");
    let out = rawnet_batch(&ours, &[], BUILD);
    assert!(out.status.success(), "rawnet -batch: {}", stderr(&out));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let path = batch_file("ip", BUILD);
    theirs.ip_ok(&["-batch", path.to_str().unwrap()]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(state(&ours), state(&theirs));
    assert_eq!(
        ours.ip_ok(&["neighbour", "show"]),
        theirs.ip_ok(&["neighbour", "show"])
    );
}

#[test]
fn lines_use_links_that_earlier_lines_create_rename_and_replace() {
    let ns = TestNs::new("bn");
    let out = rawnet_batch(
        &ns,
        &[],
        "link add a0 type veth peer name b0\n\
         address add 10.0.0.1/24 dev a0\n\
         link set a0 name c0\n\
         address add 10.0.1.1/24 dev c0\n\
         link set c0 up\n\
         link del c0\n\
         link add c0 type veth peer name d0\n\
         address add 10.0.2.1/24 dev c0\n\
         link set dev d0 up\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let addrs = ns.ip_json(&["-4", "address", "show", "dev", "c0"]);
    let locals: Vec<&str> = addrs[0]["addr_info"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["local"].as_str().unwrap())
        .collect();
    assert_eq!(locals, ["10.0.2.1"], "the new c0 has only its own address");
    let d0 = ns.ip_json(&["link", "show", "d0"]);
    assert!(d0[0]["flags"].as_array().unwrap().contains(&"UP".into()));
    assert!(ns.ip_json(&["link", "show"]).as_array().unwrap().len() == 3);
}

/// The same batch file run by `rawnet` and by `ip`, each in a namespace
/// of its own (`-n NS [EXTRA] -batch FILE`): both outputs, and the file's path.
fn both_batches(tag: &str, extra: &[&str], text: &str) -> (Output, Output, String) {
    let path = batch_file(tag, text);
    let file = path.to_str().expect("utf-8 path").to_string();
    let run = |program: &str| {
        let ns = TestNs::new(tag);
        let mut args = vec!["-n", ns.name.as_str()];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["-batch", file.as_str()]);
        Command::new(program).args(&args).output().unwrap()
    };
    let ours = run(env!("CARGO_BIN_EXE_rawnet"));
    let theirs = run("ip");
    let _ = std::fs::remove_file(&path);
    (ours, theirs, file)
}

#[test]
fn each_failure_is_reported_with_its_line() {
    let ns = TestNs::new("bf");
    let text = "\
link add v0 type veth peer name v1
link set v0 up
address add 10.0.0.1/24 dev v0
route add 10.1.0.0/16 via 10.0.0.2
route add 10.1.0.0/16 via 10.0.0.2
route add 10.2.0.0/16 via 10.9.9.9
link set nosuch up
address add 10.0.9.1/24 dev nosuch
route add 10.4.0.0/16 via 10.0.0.3
";
    let path = batch_file("bf", text);
    let file = path.to_str().unwrap().to_string();
    let out = common::rawnet(&["-n", &ns.name, "-force", "-batch", &file]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(1));
    // As ip 6.1 says it: the error, then `Command failed FILE:LINE`.
    assert_eq!(
        stderr(&out),
        format!(
            "RTNETLINK answers: File exists\n\
             Command failed {file}:5\n\
             Error: Nexthop has invalid gateway.\n\
             Command failed {file}:6\n\
             Cannot find device \"nosuch\"\n\
             Command failed {file}:7\n\
             Cannot find device \"nosuch\"\n\
             Command failed {file}:8\n"
        )
    );
    // With -force the line after the failures was applied.
    let routes = ns.ip_ok(&["route", "show"]);
    assert!(routes.contains("10.4.0.0/16 via 10.0.0.3"), "{routes}");
    // And ip prints the same for the same file.
    let (ours, theirs, _) = both_batches("bg", &["-force"], text);
    assert_eq!(stderr(&ours), stderr(&theirs));
    assert_eq!(ours.status.code(), theirs.status.code());
}

#[test]
fn a_bad_command_line_ends_the_batch_as_ip_exits() {
    // iproute2 exit(-1)s on a bad argument, -force or not: no "Command
    // failed", status 255, nothing after it runs. A line for an unknown
    // object or one that fails in the kernel is only a failed line.
    let text = "\
link add v0 type veth peer name v1
bogus object
route add 10.3.0.0/24 dev v0 metric x
link set v0 up
";
    for extra in [&[][..], &["-force"][..]] {
        let (ours, theirs, file) = both_batches("bb", extra, text);
        assert_eq!(ours.status.code(), theirs.status.code(), "{extra:?}");
        // (ip 6.1 follows this invarg message with an empty line; so do we.)
        assert_eq!(
            stderr(&ours),
            stderr(&theirs).replace("\"ip help\"", "\"rawnet help\"")
        );
        let want = if extra.is_empty() {
            format!("Object \"bogus\" is unknown, try \"rawnet help\".\nCommand failed {file}:2\n")
        } else {
            format!(
                "Object \"bogus\" is unknown, try \"rawnet help\".\nCommand failed {file}:2\n\
                 Error: argument \"x\" is wrong: \"metric\" value is invalid\n\n"
            )
        };
        assert_eq!(stderr(&ours), want);
    }
    // A namespace that cannot be opened: ip fails before the batch.
    let path = batch_file("bn", text);
    let file = path.to_str().unwrap();
    let ours = common::rawnet(&["-n", "rawnet-no-such-ns", "-batch", file]);
    let theirs = Command::new("ip")
        .args(["-n", "rawnet-no-such-ns", "-batch", file])
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(stderr(&ours), stderr(&theirs));
    assert_eq!(ours.status.code(), Some(255));
    assert_eq!(theirs.status.code(), Some(255));
}

#[test]
fn without_force_the_batch_stops_at_the_first_failure() {
    let ns = TestNs::new("bs");
    // Line 3 fails; line 4 is a command, so what was queued is applied (and
    // the failure found) before it would run: nothing after line 3 runs.
    let text = "\
link add v0 type veth peer name v1
address add 10.0.0.1/24 dev v0
address add 10.0.0.1/24 dev v0
link show
link set v0 up
address add 10.0.0.2/24 dev v0
";
    let path = batch_file("bs", text);
    let file = path.to_str().unwrap().to_string();
    let out = common::rawnet(&["-n", &ns.name, "-batch", &file]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!("Error: ipv4: Address already assigned.\nCommand failed {file}:3\n")
    );
    assert!(out.stdout.is_empty(), "link show did not run");
    let v0 = ns.ip_json(&["-4", "address", "show", "v0"]);
    assert_eq!(v0[0]["addr_info"].as_array().unwrap().len(), 1);
    assert!(!v0[0]["flags"].as_array().unwrap().contains(&"UP".into()));
    // iproute2 stops there too, with the same words and status.
    let (ours, theirs, _) = both_batches("bt", &[], text);
    assert_eq!(stderr(&ours), stderr(&theirs));
    assert_eq!(theirs.status.code(), Some(1));
}

#[test]
fn commands_run_in_order_between_changes() {
    let ns = TestNs::new("bc");
    let out = rawnet_batch(
        &ns,
        &["-j"],
        "link add v0 type veth peer name v1\n\
         address add 10.0.0.1/24 dev v0\n\
         address show dev v0\n\
         address del 10.0.0.1/24 dev v0\n\
         address show dev v0\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let docs: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON document a line"))
        .collect();
    assert_eq!(docs.len(), 2);
    let count = |d: &Value| d[0]["addr_info"].as_array().unwrap().len();
    assert_eq!((count(&docs[0]), count(&docs[1])), (1, 0));
}

#[test]
fn standard_input_quotes_and_a_namespace_per_line() {
    let a = TestNs::new("ba");
    let b = TestNs::new("bb");
    let text = format!(
        "link add v0 type veth peer name v1\n\
         -n {b} link add w0 type veth peer name w1\n\
         address add 10.0.0.1/24 dev v0 label 'v0:the pod'\n\
         -n {b} link set w0 up\n\
         link set v0 up\n",
        b = b.name
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_rawnet"))
        .args(["-n", &a.name, "-b", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v0 = a.ip_json(&["address", "show", "v0"]);
    assert_eq!(v0[0]["addr_info"][0]["label"], "v0:the pod");
    assert!(v0[0]["flags"].as_array().unwrap().contains(&"UP".into()));
    let w0 = b.ip_json(&["link", "show", "w0"]);
    assert!(w0[0]["flags"].as_array().unwrap().contains(&"UP".into()));
    assert!(a.ip_json(&["link", "show"]).as_array().unwrap().len() == 3);
}

#[test]
fn a_missing_file_is_iproute2s_message() {
    let out = common::rawnet(&["-batch", "/nonexistent/rawnet-batch"]);
    assert_eq!(out.status.code(), Some(1));
    let theirs = Command::new("ip")
        .args(["-batch", "/nonexistent/rawnet-batch"])
        .output()
        .unwrap();
    assert_eq!(stderr(&out), stderr(&theirs));
    assert_eq!(
        stderr(&out),
        "Cannot open file \"/nonexistent/rawnet-batch\" for reading: No such file or directory\n"
    );
}
