//! Process hygiene of the `rawnet` binary: arguments that are not UTF-8,
//! every show command into a closed pipe and into a full disk, `ping`'s
//! iputils corner cases. Each test runs in a namespace it creates.

mod common;

use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::TestNs;

/// A namespace with something in each table: lo up, a bridge with a veth
/// port, IPv4 and IPv6 addresses, a route.
fn populated(tag: &str) -> TestNs {
    let ns = TestNs::new(tag);
    for line in [
        "link set lo up",
        "link add br0 type bridge",
        "link add v0 type veth peer name v1",
        "link set v0 master br0",
        "link set br0 up",
        "link set v0 up",
        "link set v1 up",
        "addr add 10.9.0.1/24 dev br0",
        "addr add fd00::1/64 dev br0 nodad",
        "route add 10.77.0.0/24 via 10.9.0.2",
        "neigh add 10.9.0.5 lladdr 02:00:00:00:00:05 dev br0",
        "link add z0 type veth peer name z1",
        "link set z0 up",
        "link set z1 up",
    ] {
        ns.ip_ok(&common::argv(line));
    }
    ns
}

/// `rawnet -n NS ARGS` with stdout `stdout`; bounded to 10 s.
fn run_into(ns: &TestNs, args: &[&str], stdout: Stdio) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rawnet"))
        .args(["-n", &ns.name])
        .args(args)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("start rawnet");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("rawnet {args:?} did not end");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("collect")
}

const SHOWS: &[&[&str]] = &[
    &["link", "show"],
    &["-j", "link", "show"],
    &["addr", "show"],
    &["-j", "addr", "show"],
    &["route", "show"],
    &["-6", "route", "show"],
    &["neigh", "show"],
    &["fdb", "show"],
    &["netns", "list"],
    &["tc", "qdisc", "show"],
    &["-j", "tc", "qdisc", "show"],
    &["bpf", "net", "show"],
    &["-j", "bpf", "net", "show"],
];

#[test]
fn every_show_into_a_closed_pipe_dies_quietly_of_sigpipe() {
    let ns = populated("hgp");
    for args in SHOWS {
        // `| head -c0`: the reader is gone before the first write.
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let out = run_into(&ns, args, Stdio::from(writer));
        assert_eq!(
            out.status.signal(),
            Some(libc::SIGPIPE),
            "{args:?}: {:?}",
            out.status
        );
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn every_show_into_a_full_disk_is_one_line_and_exit_1() {
    let ns = populated("hgf");
    for args in SHOWS {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let out = run_into(&ns, args, Stdio::from(full));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "write error: No space left on device\n",
            "{args:?}"
        );
    }
}

#[test]
fn monitor_and_ping_into_a_closed_pipe_end_quietly() {
    let ns = populated("hgm");
    // ping | head -1: the first line is read, then the reader goes away.
    let mut ping = Command::new(env!("CARGO_BIN_EXE_rawnet"))
        .args(["-n", &ns.name, "ping", "-c", "50", "-i", "0.2", "127.0.0.1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start ping");
    let mut stdout = ping.stdout.take().expect("stdout");
    let mut first = [0u8; 8];
    stdout.read_exact(&mut first).expect("the header");
    drop(stdout);
    let out = ping.wait_with_output().expect("wait for ping");
    assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "{:?}", out.status);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // monitor | head -c0: it dies at the first event it writes.
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let mut monitor = Command::new(env!("CARGO_BIN_EXE_rawnet"))
        .args(["-n", &ns.name, "monitor", "link"])
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .spawn()
        .expect("start monitor");
    let start = Instant::now();
    let status = loop {
        ns.ip_ok(&["link", "set", "v1", "down"]);
        ns.ip_ok(&["link", "set", "v1", "up"]);
        if let Some(status) = monitor.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = monitor.kill();
            panic!("monitor did not end on a closed pipe");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.signal(), Some(libc::SIGPIPE), "{status:?}");
}

#[test]
fn arguments_that_are_not_utf8_do_not_panic_and_print_back_raw() {
    let ns = populated("hgu");
    let ff = std::ffi::OsStr::from_bytes(b"\xff");
    let run = |args: &[&std::ffi::OsStr]| {
        Command::new(env!("CARGO_BIN_EXE_rawnet"))
            .args(["-n", &ns.name])
            .args(args)
            .output()
            .expect("run rawnet")
    };
    let os = |s: &'static str| std::ffi::OsStr::new(s);
    let out = run(&[os("link"), os("show"), ff]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(out.stderr, b"Device \"\xff\" does not exist.\n");
    for args in [
        vec![os("addr"), os("add"), os("10.1.0.1/24"), os("dev"), ff],
        vec![os("route"), os("show"), os("dev"), ff],
        vec![os("neigh"), os("show"), os("dev"), ff],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(out.stderr, b"Cannot find device \"\xff\"\n", "{args:?}");
    }
    let out = run(&[ff]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        out.stderr,
        b"Object \"\xff\" is unknown, try \"rawnet help\".\n"
    );
    // -n with a name that is not UTF-8: its own bytes under /run/netns, as ip.
    let out = Command::new(env!("CARGO_BIN_EXE_rawnet"))
        .args([std::ffi::OsStr::new("-n"), ff, os("link")])
        .output()
        .expect("run rawnet");
    assert_eq!(out.status.code(), Some(255));
    assert_eq!(
        out.stderr,
        b"Cannot open network namespace \"\xff\": No such file or directory\n"
    );
}

#[test]
fn ping_corner_cases_as_iputils() {
    let ns = populated("hgi");
    // -t 0: iputils' words, exit 2.
    let out = ns.rawnet(&["ping", "-c", "1", "-t", "0", "127.0.0.1"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "ping: cannot set unicast time-to-live: Invalid argument\n"
    );
    // 0.0.0.0: the kernel's source toward it answers (127.0.0.1).
    let out = ns.rawnet(&["ping", "-c", "1", "0.0.0.0"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("64 bytes from 127.0.0.1: icmp_seq=1"),
        "{text}"
    );
    // A zone id names the device of a link-local destination.
    ns.ip_ok(&["addr", "add", "fe80::a/64", "dev", "z0", "nodad"]);
    ns.ip_ok(&["addr", "add", "fe80::b/64", "dev", "z1", "nodad"]);
    for args in [
        &["ping", "-c", "1", "fe80::b%z0"][..],
        &["ping", "-c", "1", "-I", "z0", "fe80::b"],
    ] {
        let out = ns.rawnet(args);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("1 received"), "{args:?}: {text}");
    }
    // -W 0 waits without limit: still waiting after 2 s (-w 3 ends it).
    let start = Instant::now();
    let out = ns.rawnet(&["ping", "-c", "1", "-W", "0", "-w", "3", "10.9.0.7"]);
    assert!(start.elapsed() >= Duration::from_secs(2), "{:?}", out);
    assert_eq!(out.status.code(), Some(1));
}
