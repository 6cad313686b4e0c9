//! `rawnet lab`: runs each lab end to end, as root and (the classic and tun
//! labs) as an unprivileged user; the classic lab survives Ctrl-C; none
//! leaves anything behind. The tun lab's other end is rawnet, answering
//! pings from user space.

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output, Stdio};

use common::{assert_success, rawnet};

/// Names in /run/netns that a lab run with process id `pid` would have made.
fn lab_namespaces(pid: u32) -> Vec<String> {
    let suffix = format!("-lab{pid}");
    std::fs::read_dir("/run/netns")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(&suffix))
                .collect()
        })
        .unwrap_or_default()
}

fn root_links() -> String {
    common::ip_ok(&["-o", "link", "show"])
        .lines()
        .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Run `rawnet ARGS` (through `wrapper` when given); the output and the
/// lab's process id when it is rawnet itself.
fn run_rawnet_lab(wrapper: &[&str], args: &[&str]) -> (Output, Option<u32>) {
    let mut cmd = match wrapper.split_first() {
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest).arg(env!("CARGO_BIN_EXE_rawnet"));
            c
        }
        None => Command::new(env!("CARGO_BIN_EXE_rawnet")),
    };
    let child = cmd
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start rawnet lab");
    let pid = wrapper.is_empty().then_some(child.id());
    (child.wait_with_output().expect("wait for the lab"), pid)
}

fn assert_classic_lab_output(stdout: &str) {
    for expected in [
        "link add veth0 type veth peer name veth1",
        "veth0 arrived DOWN and without addresses",
        "ping: connect: Network is unreachable",
        "1 packets transmitted, 0 received, 100% packet loss",
        "3 packets transmitted, 3 received, 0% packet loss",
        "All 20 steps went as expected",
    ] {
        assert!(
            stdout.contains(expected),
            "want {expected:?} in the lab's output:\n{stdout}"
        );
    }
    assert!(!stdout.contains("!! not what the lab expected"), "{stdout}");
}

#[test]
fn lab_runs_as_root_and_cleans_up() {
    let links_before = root_links();
    let (out, pid) = run_rawnet_lab(&[], &["lab"]);
    let pid = pid.expect("pid");
    assert_success(&out, "rawnet lab");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_classic_lab_output(&stdout);
    assert!(
        stdout.contains(&format!("rawnet netns add netns0-lab{pid}")),
        "{stdout}"
    );
    assert_eq!(
        lab_namespaces(pid),
        Vec::<String>::new(),
        "the lab left namespaces behind"
    );
    assert_eq!(
        root_links(),
        links_before,
        "the lab changed the root namespace's links"
    );
}

#[test]
fn lab_veth_is_the_default_lab() {
    let out = rawnet(&["lab", "list"]);
    assert_success(&out, "rawnet lab list");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("veth "));
    common::assert_fails(&rawnet(&["lab", "frob"]), 255, "Lab \"frob\" is unknown");
}

/// Whether the kernel lets an unprivileged user make a user namespace.
fn unprivileged_userns_allowed() -> Result<(), String> {
    let max = std::fs::read_to_string("/proc/sys/user/max_user_namespaces").unwrap_or_default();
    if max.trim() == "0" {
        return Err("user.max_user_namespaces is 0".into());
    }
    if let Ok(v) = std::fs::read_to_string("/proc/sys/kernel/unprivileged_userns_clone") {
        if v.trim() == "0" {
            return Err("kernel.unprivileged_userns_clone is 0".into());
        }
    }
    if Command::new("setpriv").arg("--version").output().is_err() {
        return Err("setpriv (util-linux) is not installed".into());
    }
    Ok(())
}

/// `setpriv` arguments that run the rest as nobody (uid and gid 65534).
const NOBODY: [&str; 4] = ["--reuid=65534", "--regid=65534", "--clear-groups", "--"];

#[test]
fn lab_runs_unprivileged_in_a_user_namespace() {
    if let Err(why) = unprivileged_userns_allowed() {
        common::skipped(&format!("lab_runs_unprivileged_in_a_user_namespace: {why}"));
        return;
    }
    let links_before = root_links();
    let out = Command::new("setpriv")
        .args(NOBODY)
        .arg(env!("CARGO_BIN_EXE_rawnet"))
        .arg("lab")
        .output()
        .expect("run setpriv");
    assert_success(&out, "rawnet lab as uid 65534");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Not root: the lab runs in a private user namespace"),
        "{stdout}"
    );
    assert_classic_lab_output(&stdout);
    assert_eq!(root_links(), links_before);
}

#[test]
fn ctrl_c_stops_the_lab_and_cleans_up() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rawnet"))
        .arg("lab")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start rawnet lab");
    let pid = child.id();
    let stdout = child.stdout.take().expect("stdout");
    let mut seen = Vec::new();
    let mut lines = BufReader::new(stdout).lines();
    // Wait (bounded by the lab's own length) for the ping that waits a second for a reply.
    for line in lines.by_ref() {
        let line = line.expect("read lab output");
        let waiting = line.contains("expected to fail: the reply has no way back");
        seen.push(line);
        if waiting {
            break;
        }
    }
    assert!(
        !lab_namespaces(pid).is_empty(),
        "the lab should be mid-way:\n{}",
        seen.join("\n")
    );
    let kill = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(kill.success());
    seen.extend(lines.map_while(Result::ok));
    let status = child.wait().expect("wait for the lab");
    let text = seen.join("\n");
    assert_eq!(status.code(), Some(130), "{text}");
    assert!(
        text.contains("Interrupted; everything the lab created has been removed."),
        "{text}"
    );
    assert!(
        !text.contains("3 packets transmitted"),
        "the lab went on after Ctrl-C:\n{text}"
    );
    assert_eq!(
        lab_namespaces(pid),
        Vec::<String>::new(),
        "Ctrl-C left namespaces behind"
    );
}

#[test]
fn a_closed_pipe_stops_the_lab_which_cleans_up_and_ends_as_ip_would() {
    use std::os::unix::process::ExitStatusExt;
    // `rawnet lab | head -3`: the reader goes away after three lines.
    let mut child = Command::new(env!("CARGO_BIN_EXE_rawnet"))
        .arg("lab")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start rawnet lab");
    let pid = child.id();
    let stdout = child.stdout.take().expect("stdout");
    let first: Vec<String> = BufReader::new(stdout)
        .lines()
        .take(3)
        .map_while(Result::ok)
        .collect();
    assert_eq!(first.len(), 3);
    // The pipe's read end is closed here, mid-lab.
    let out = child.wait_with_output().expect("wait for the lab");
    assert_eq!(
        out.status.signal(),
        Some(libc::SIGPIPE),
        "killed by SIGPIPE, as a C tool is: {:?}",
        out.status
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        lab_namespaces(pid),
        Vec::<String>::new(),
        "the closed pipe left namespaces behind"
    );
}

#[test]
fn a_full_disk_stops_the_lab_with_one_line() {
    let out = Command::new("sh")
        .args([
            "-c",
            "exec \"$0\" lab >/dev/full",
            env!("CARGO_BIN_EXE_rawnet"),
        ])
        .output()
        .expect("run rawnet lab");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "write error: No space left on device\n"
    );
}

/// Run `rawnet lab NAME`; returns (exit code, stdout, namespaces left behind).
fn run_lab(name: &str) -> (Option<i32>, String, Vec<String>) {
    let (out, pid) = run_rawnet_lab(&[], &["lab", name]);
    let pid = pid.expect("pid");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code(), stdout, lab_namespaces(pid))
}

fn assert_lab_succeeds(name: &str, pings: &[&str]) {
    let links_before = root_links();
    let (code, stdout, left) = run_lab(name);
    assert_eq!(code, Some(0), "rawnet lab {name}:\n{stdout}");
    assert!(stdout.contains("steps went as expected"), "{stdout}");
    assert!(!stdout.contains("!! not what the lab expected"), "{stdout}");
    for p in pings {
        assert!(
            stdout.contains(p),
            "want {p:?} in rawnet lab {name}:\n{stdout}"
        );
    }
    assert_eq!(
        left,
        Vec::<String>::new(),
        "rawnet lab {name} left namespaces behind"
    );
    assert_eq!(
        root_links(),
        links_before,
        "rawnet lab {name} changed the root namespace"
    );
}

#[test]
fn bridge_lab_pings_pods_and_gateway() {
    assert_lab_succeeds(
        "bridge",
        &[
            "ports of cni0: veth1, veth2, veth3",
            "ping -c 3 -i 0.2 10.244.1.3",
            "ping -c 3 -i 0.2 10.244.1.1",
            "3 packets transmitted, 3 received, 0% packet loss",
        ],
    );
}

#[test]
fn vxlan_lab_pings_across_the_overlay() {
    assert_lab_succeeds(
        "vxlan",
        &[
            "type vxlan id 1 local 192.168.50.1 dev eth0 dstport 8472 nolearning",
            "dev flannel.1 dst 192.168.50.2 self permanent",
            "route add 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink",
            "ping -c 3 -i 0.2 10.244.2.2",
            "3 packets transmitted, 3 received, 0% packet loss",
        ],
    );
}

#[test]
fn macvlan_lab_pings_between_pods() {
    assert_lab_succeeds(
        "macvlan",
        &[
            "type macvlan mode bridge",
            "3 packets transmitted, 3 received, 0% packet loss",
        ],
    );
}

/// Whether `ip` can make a device of `kind` here (in a namespace of the test's own).
fn kernel_has(kind: &str) -> bool {
    let ns = common::TestNs::new("k");
    ns.ip_ok(&["link", "add", "p0", "type", "veth", "peer", "name", "p1"]);
    let out = Command::new("ip")
        .args([
            "-n", &ns.name, "link", "add", "x0", "link", "p0", "type", kind,
        ])
        .output()
        .expect("run ip");
    out.status.success()
}

#[test]
fn ipvlan_and_ipip_labs_say_when_the_kernel_lacks_the_kind() {
    for (lab, kind) in [("ipvlan", "ipvlan"), ("ipip", "ipip")] {
        let (code, stdout, left) = run_lab(lab);
        assert_eq!(
            left,
            Vec::<String>::new(),
            "rawnet lab {lab} left namespaces behind"
        );
        if kernel_has(kind) {
            assert_eq!(
                code,
                Some(0),
                "rawnet lab {lab} on a kernel with {kind}:\n{stdout}"
            );
        } else {
            common::skipped(&format!(
                "live part of rawnet lab {lab}: the kernel lacks {kind}; checking it says so"
            ));
            assert_eq!(code, Some(3), "rawnet lab {lab}:\n{stdout}");
            assert!(
                stdout.contains(&format!("cannot run here: the kernel lacks {kind}")),
                "{stdout}"
            );
        }
    }
}

// The tun lab.

fn assert_tun_lab_output(stdout: &str) {
    for expected in [
        "ioctl(TUNSETIFF, \"tun0\", IFF_TUN|IFF_NO_PI)",
        "route add 10.9.0.0/24 dev tun0",
        "1 packets transmitted, 0 received, 100% packet loss",
        "read and dropped 1 echo request(s)",
        "3 packets transmitted, 3 received, 0% packet loss",
        "answered 3 echo requests from user space",
        "Cannot find device \"tun0\"",
        "All 12 steps went as expected",
    ] {
        assert!(
            stdout.contains(expected),
            "want {expected:?} in the lab's output:\n{stdout}"
        );
    }
    assert!(!stdout.contains("!! not what the lab expected"), "{stdout}");
}

/// Run `rawnet lab tun` (through `wrapper` when given).
fn run_tun_lab(wrapper: &[&str]) -> (Output, Option<u32>) {
    run_rawnet_lab(wrapper, &["lab", "tun"])
}

#[test]
fn tun_lab_runs_as_root_and_cleans_up() {
    let links_before = root_links();
    let (out, pid) = run_tun_lab(&[]);
    assert_success(&out, "rawnet lab tun");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_tun_lab_output(&stdout);
    let pid = pid.expect("pid");
    assert!(
        stdout.contains(&format!("rawnet netns add tun-lab{pid}")),
        "{stdout}"
    );
    assert_eq!(lab_namespaces(pid), Vec::<String>::new(), "left behind");
    assert_eq!(
        root_links(),
        links_before,
        "the lab changed the root namespace"
    );
}

#[test]
fn tun_lab_is_listed() {
    let out = rawnet(&["lab", "list"]);
    assert_success(&out, "rawnet lab list");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().any(|l| l.starts_with("tun ")), "{text}");
}

#[test]
fn tun_lab_runs_unprivileged() {
    if let Err(why) = unprivileged_userns_allowed() {
        common::skipped(&format!("tun_lab_runs_unprivileged: {why}"));
        return;
    }
    let links_before = root_links();
    let mode = std::fs::metadata("/dev/net/tun")
        .map(|m| m.permissions().mode())
        .unwrap_or(0);
    let mut setpriv = vec!["setpriv"];
    setpriv.extend_from_slice(&NOBODY);
    let (out, _) = run_tun_lab(&setpriv);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if mode & 0o006 == 0o006 {
        assert_success(&out, "rawnet lab tun as uid 65534");
        assert!(stdout.contains("Not root: the lab runs in a private user namespace"));
        assert_tun_lab_output(&stdout);
        assert_eq!(root_links(), links_before);
        return;
    }
    // Other users may not open /dev/net/tun here: the lab says so and runs nothing.
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("cannot open /dev/net/tun: Permission denied"),
        "{stdout}"
    );
    // Then try with a node others may open, in a private mount namespace of
    // this test only: a fresh tmpfs over /dev/net holds a new tun node (the
    // host's /dev/net/tun is not touched, and nothing else is hidden: the
    // binary under test may live anywhere, /tmp included).
    let script = format!(
        "set -e; mount -t tmpfs tmpfs /dev/net; mknod -m 666 /dev/net/tun c 10 200; \
         exec setpriv {} \"$0\" lab tun",
        NOBODY.join(" ")
    );
    let out = Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c", &script])
        .arg(env!("CARGO_BIN_EXE_rawnet"))
        .output()
        .expect("run unshare");
    assert_success(
        &out,
        "rawnet lab tun as uid 65534 with an open /dev/net/tun",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Not root: the lab runs in a private user namespace"));
    assert_tun_lab_output(&stdout);
    assert_eq!(root_links(), links_before);
}

/// The labs that run on this kernel (ipvlan and ipip stop before they make
/// anything where the kernel lacks the kind; nat and service need
/// nf_tables, which this kernel has; ebpf needs root, which the tests are).
const RUNNABLE_LABS: [&str; 8] = [
    "veth", "bridge", "vxlan", "macvlan", "tun", "nat", "service", "ebpf",
];

/// Lab namespaces of run `pid` that are still there, by /run/netns and by
/// `ip netns list` (only names with the lab's `-lab<PID>` suffix).
fn leftovers(pid: u32) -> Vec<String> {
    let suffix = format!("-lab{pid}");
    let mut left = lab_namespaces(pid);
    for line in common::ip_ok(&["netns", "list"]).lines() {
        let name = line.split_whitespace().next().unwrap_or("");
        if name.ends_with(&suffix) && !left.iter().any(|n| n == name) {
            left.push(name.to_string());
        }
    }
    left
}

/// Start `rawnet lab NAME` as root and read its output until the lab has
/// made a namespace (bounded by the lab's own output); the child, its pid,
/// the lines read so far and the rest of its output.
fn start_lab_until_it_made_a_namespace(
    name: &str,
) -> (
    std::process::Child,
    u32,
    Vec<String>,
    std::io::Lines<BufReader<std::process::ChildStdout>>,
) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rawnet"))
        .args(["lab", name])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start rawnet lab");
    let pid = child.id();
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.expect("read lab output");
        let made = line.starts_with("$ rawnet netns add");
        seen.push(line);
        if made {
            break;
        }
    }
    (child, pid, seen, lines)
}

fn send(signal: &str, pid: u32) {
    let kill = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(kill.success(), "kill {signal} {pid}");
}

#[test]
fn sigterm_and_sighup_stop_each_lab_which_cleans_up_and_dies_of_the_signal() {
    use std::os::unix::process::ExitStatusExt;
    for lab in RUNNABLE_LABS {
        for (signal, number) in [("-TERM", libc::SIGTERM), ("-HUP", libc::SIGHUP)] {
            // A lab that ends between its first namespace and the signal
            // (a short one on a fast machine) is tried again, a few times.
            let mut attempts = 0;
            loop {
                attempts += 1;
                let (mut child, pid, mut seen, lines) = start_lab_until_it_made_a_namespace(lab);
                send(signal, pid);
                seen.extend(lines.map_while(Result::ok));
                let status = child.wait().expect("wait for the lab");
                let text = seen.join("\n");
                assert_eq!(
                    leftovers(pid),
                    Vec::<String>::new(),
                    "lab {lab} {signal}:\n{text}"
                );
                if status.code() == Some(0) && attempts < 4 {
                    continue;
                }
                assert_eq!(
                    status.signal(),
                    Some(number),
                    "lab {lab} {signal}: dies of the signal after cleaning up: {status:?}\n{text}"
                );
                assert!(
                    text.contains("$ rawnet netns del "),
                    "lab {lab} {signal}: removal is shown:\n{text}"
                );
                break;
            }
        }
    }
}

#[test]
fn a_closed_pipe_stops_each_lab_without_leftovers() {
    use std::os::unix::process::ExitStatusExt;
    for lab in RUNNABLE_LABS {
        // `rawnet lab NAME | head -3`
        let mut child = Command::new(env!("CARGO_BIN_EXE_rawnet"))
            .args(["lab", lab])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start rawnet lab");
        let pid = child.id();
        let first: Vec<String> = BufReader::new(child.stdout.take().expect("stdout"))
            .lines()
            .take(3)
            .map_while(Result::ok)
            .collect();
        assert_eq!(first.len(), 3, "lab {lab}");
        let out = child.wait_with_output().expect("wait for the lab");
        assert_eq!(
            out.status.signal(),
            Some(libc::SIGPIPE),
            "lab {lab}: {:?}",
            out.status
        );
        assert!(
            out.stderr.is_empty(),
            "lab {lab}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(leftovers(pid), Vec::<String>::new(), "lab {lab} | head -3");
    }
}

#[test]
fn the_next_lab_run_reclaims_what_a_killed_lab_left() {
    use std::os::unix::process::ExitStatusExt;
    let (mut child, pid, seen, lines) = start_lab_until_it_made_a_namespace("veth");
    // The namespace announced is made right after its line (bounded wait).
    for _ in 0..200 {
        if !lab_namespaces(pid).is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(
        !lab_namespaces(pid).is_empty(),
        "the lab made a namespace:\n{}",
        seen.join("\n")
    );
    send("-KILL", pid);
    drop(lines);
    let status = child.wait().expect("wait for the lab");
    assert_eq!(status.signal(), Some(libc::SIGKILL));
    // SIGKILL leaves the namespaces (unless another test's lab run, in
    // parallel, has reclaimed them already).
    // Any lab run reclaims them; ipip stops early on this kernel, veth runs.
    let out = rawnet(&["lab", "ipip"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        leftovers(pid),
        Vec::<String>::new(),
        "not reclaimed:\n{stdout}"
    );
    // Another test's lab run may have reclaimed them first; when this run
    // did, it says so in one line naming them.
    if let Some(line) = stdout
        .lines()
        .find(|l| l.starts_with("# Removed namespaces left by lab runs that were killed:"))
    {
        let named: Vec<&str> = line
            .rsplit(':')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .collect();
        assert!(!named.is_empty(), "{line}");
    }
    // A running lab's namespaces are never reclaimed.
    let (mut running, pid2, _, rest) = start_lab_until_it_made_a_namespace("veth");
    let out = rawnet(&["lab", "ipip"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains(&format!("-lab{pid2}")), "{stdout}");
    assert!(
        !leftovers(pid2).is_empty(),
        "a running lab's namespaces were removed"
    );
    send("-TERM", pid2);
    drop(rest);
    let _ = running.wait();
    assert_eq!(leftovers(pid2), Vec::<String>::new());
}

// The nftables labs: nat and service.

/// Where `needle` first appears in `text` (the test fails when it does not).
fn position(text: &str, needle: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("want {needle:?} in the lab's output:\n{text}"))
}

/// The packet counts of the `counter packets N` lines, in order.
fn counter_packets(text: &str) -> Vec<u64> {
    text.lines()
        .filter_map(|l| l.split("counter packets ").nth(1))
        .filter_map(|rest| rest.split_whitespace().next()?.parse().ok())
        .collect()
}

/// The nat lab's proofs, in the order they must come.
fn assert_nat_lab_output(stdout: &str) {
    let failing = position(
        stdout,
        "ping -c 1 -W 1 192.168.60.2    # expected to fail: the outside has no route back",
    );
    let lost = position(
        stdout,
        "1 packets transmitted, 0 received, 100% packet loss",
    );
    let masquerade = position(
        stdout,
        "nft add rule ip rawnet-nat postrouting ip saddr 10.244.1.0/24 oifname \"uplink\" masquerade",
    );
    let working = position(stdout, "ping -c 3 -i 0.2 192.168.60.2");
    assert!(
        failing < lost && lost < masquerade && masquerade < working,
        "{stdout}"
    );
    assert!(
        stdout[working..].contains("3 packets transmitted, 3 received, 0% packet loss"),
        "{stdout}"
    );
    let dnat = position(
        stdout,
        "nft add rule ip rawnet-nat prerouting iifname \"uplink\" ip daddr 192.168.60.1 meta l4proto icmp dnat to 10.244.1.2",
    );
    position(
        stdout,
        "nft add chain ip rawnet-nat postrouting '{ type nat hook postrouting priority srcnat; }'",
    );
    position(stdout, "nft list chain ip rawnet-pod input");
    position(
        stdout,
        "type filter hook input priority filter; policy accept;",
    );
    // The pod's counter: nothing before the DNAT rule, the three pings after.
    assert_eq!(counter_packets(&stdout[..dnat]), [0], "{stdout}");
    assert_eq!(counter_packets(&stdout[dnat..]), [3], "{stdout}");
    position(
        stdout,
        "ip saddr 192.168.60.2 meta l4proto icmp counter packets 3 bytes 252",
    );
    assert_nft_tables_are_rawnets(stdout);
}

/// Tables the labs make carry rawnet's names, never `nat` or `filter`.
fn assert_nft_tables_are_rawnets(stdout: &str) {
    for line in stdout.lines().filter(|l| l.contains(" nft add ")) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let at = words.iter().position(|w| *w == "ip").expect("family");
        assert!(
            words[at + 1].starts_with("rawnet-"),
            "a table of the lab's own: {line}"
        );
    }
}

fn assert_service_lab_output(stdout: &str) {
    let failing = position(
        stdout,
        "ping -c 1 -W 1 10.96.0.10    # expected to fail: no interface holds 10.96.0.10",
    );
    let rule = position(
        stdout,
        "nft add rule ip rawnet-service prerouting ip daddr 10.96.0.10 dnat to numgen inc mod 2 map { 0 : 10.244.1.2, 1 : 10.244.1.3 }",
    );
    assert!(failing < rule, "{stdout}");
    position(stdout, "route add 10.96.0.0/12 via 192.168.60.1 dev eth0");
    let after = &stdout[rule..];
    assert_eq!(
        after
            .matches("1 packets transmitted, 1 received, 0% packet loss")
            .count(),
        4,
        "four connections to the service, each answered:\n{stdout}"
    );
    // Both pods answered: each pod's counter saw packets, together all four.
    let counts = counter_packets(after);
    assert_eq!(counts.len(), 2, "{stdout}");
    assert!(counts.iter().all(|&n| n > 0), "{counts:?}\n{stdout}");
    assert_eq!(counts.iter().sum::<u64>(), 4, "{stdout}");
    assert_nft_tables_are_rawnets(stdout);
}

#[test]
fn nat_lab_masquerades_out_and_dnats_in() {
    let (code, stdout, left) = run_lab("nat");
    assert_eq!(code, Some(0), "rawnet lab nat:\n{stdout}");
    assert!(!stdout.contains("!! not what the lab expected"), "{stdout}");
    assert!(stdout.contains("steps went as expected"), "{stdout}");
    assert_nat_lab_output(&stdout);
    assert_eq!(
        left,
        Vec::<String>::new(),
        "rawnet lab nat left namespaces behind"
    );
}

#[test]
fn service_lab_spreads_connections_over_both_pods() {
    let (code, stdout, left) = run_lab("service");
    assert_eq!(code, Some(0), "rawnet lab service:\n{stdout}");
    assert!(!stdout.contains("!! not what the lab expected"), "{stdout}");
    assert_service_lab_output(&stdout);
    assert_eq!(
        left,
        Vec::<String>::new(),
        "rawnet lab service left namespaces behind"
    );
}

#[test]
fn nft_labs_are_listed() {
    let out = rawnet(&["lab", "list"]);
    assert_success(&out, "rawnet lab list");
    let text = String::from_utf8_lossy(&out.stdout);
    for lab in ["nat", "service"] {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("{lab} "))),
            "{text}"
        );
    }
}

#[test]
fn nft_labs_run_unprivileged() {
    if let Err(why) = unprivileged_userns_allowed() {
        common::skipped(&format!("nft_labs_run_unprivileged: {why}"));
        return;
    }
    let links_before = root_links();
    let mut setpriv = vec!["setpriv"];
    setpriv.extend_from_slice(&NOBODY);
    for (lab, check) in [
        ("nat", assert_nat_lab_output as fn(&str)),
        ("service", assert_service_lab_output),
    ] {
        let (out, _) = run_rawnet_lab(&setpriv, &["lab", lab]);
        assert_success(&out, &format!("rawnet lab {lab} as uid 65534"));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("Not root: the lab runs in a private user namespace"),
            "{stdout}"
        );
        check(&stdout);
    }
    assert_eq!(root_links(), links_before);
}

// The eBPF lab.

/// Where `needle` first appears in `haystack` at or after `from`.
fn position_after(haystack: &str, needle: &str, from: usize) -> usize {
    match haystack.get(from..).and_then(|rest| rest.find(needle)) {
        Some(at) => from + at,
        None => panic!("want {needle:?} after byte {from} of:\n{haystack}"),
    }
}

/// The ids in the lab's `program id N; map NAME id M` lines.
fn loaded_ids(stdout: &str) -> Vec<(&'static str, String)> {
    let mut ids = Vec::new();
    for line in stdout.lines() {
        let Some(rest) = line.trim().strip_prefix("program id ") else {
            continue;
        };
        let mut parts = rest.split("; ");
        ids.push(("prog", parts.next().unwrap_or("").to_string()));
        for map in parts {
            let id = map.rsplit(' ').next().unwrap_or("");
            ids.push(("map", id.to_string()));
        }
    }
    ids
}

#[test]
fn ebpf_lab_counts_with_xdp_drops_with_tc_and_frees_everything() {
    let links_before = root_links();
    let (code, stdout, left) = run_lab("ebpf");
    assert_eq!(code, Some(0), "rawnet lab ebpf:\n{stdout}");
    assert!(!stdout.contains("!! not what the lab expected"), "{stdout}");
    let mut at = 0;
    for step in [
        "bpf prog load src/bpf/programs/count_proto.s type xdp name count_proto",
        "link set veth1 xdpgeneric id ",
        "veth1: xdpgeneric prog/xdp id ",
        "ping -c 3 -i 0.2 10.244.1.1",
        "icmp (1): 3 packets",
        "link set veth1 xdpgeneric off",
        "bpf prog load src/bpf/programs/drop_icmp_echo.s type tc name drop_icmp_echo",
        "tc qdisc add dev veth2 clsact",
        "tc filter add dev veth2 ingress bpf id ",
        "bpf filter pref 49152 handle 0x1 direct-action, program id ",
        "1 packets transmitted, 0 received, 100% packet loss",
        "dropped: 1",
        "tc filter del dev veth2 ingress",
        "3 packets transmitted, 3 received, 0% packet loss",
        "tc qdisc del dev veth2 clsact",
        "are gone",
    ] {
        at = position_after(&stdout, step, at) + step.len();
    }
    assert_eq!(
        left,
        Vec::<String>::new(),
        "rawnet lab ebpf left namespaces"
    );
    assert_eq!(
        root_links(),
        links_before,
        "rawnet lab ebpf changed the root namespace"
    );
    // Cross-check from outside: the ids the lab printed name nothing now.
    let ids = loaded_ids(&stdout);
    assert_eq!(ids.len(), 4, "two programs, one map each:\n{stdout}");
    for (object, id) in ids {
        let out = rawnet(&["bpf", object, "show", "id", &id]);
        assert!(
            !out.status.success(),
            "bpf {object} {id} is still loaded after the lab:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn ebpf_lab_as_nobody_says_it_may_not_load_programs_and_makes_nothing() {
    if Command::new("setpriv").arg("--version").output().is_err() {
        common::skipped("ebpf lab as nobody: setpriv (util-linux) is not installed");
        return;
    }
    let mut setpriv = vec!["setpriv"];
    setpriv.extend_from_slice(&NOBODY);
    let (out, _) = run_rawnet_lab(&setpriv, &["lab", "ebpf"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("bpf(2) for XDP and tc programs: no ("),
        "{stdout}"
    );
    assert!(!stdout.contains("netns add"), "{stdout}");
}
