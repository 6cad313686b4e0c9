//! `rawnet ping` end to end, in network namespaces each test creates (and
//! deletes, also on failure) and cross-checked against iputils' `ping` run in
//! the same namespace. Needs root and iproute2; a test that cannot run says why.
//!
//! Topology (per test, names `rn-ping-<pid>-<n>-{a,b,c}`):
//!
//! ```text
//!  A a0 10.0.1.1/24 fd00:1::1/64 -- b0 10.0.1.100/24 fd00:1::100/64 B (forwarding)
//!                                   b1 10.0.2.1/24 -- c0 10.0.2.100/24 C
//! ```

mod common;

use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_rawnet");
/// No test command may run longer than this; it is killed (our own child) after.
const WATCHDOG: Duration = Duration::from_secs(30);

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// Why this machine cannot run the tests, if it cannot.
fn cannot_run() -> Option<String> {
    // Root is needed for `ip netns add`.
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some("not root".into());
    }
    if Command::new("ip").arg("-V").output().is_err() {
        return Some("iproute2 `ip` not installed".into());
    }
    None
}

macro_rules! require_env {
    () => {
        if let Some(why) = cannot_run() {
            common::skipped(&format!("{why}"));
            return;
        }
    };
}

fn have_iputils() -> bool {
    Command::new("ping")
        .arg("-V")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("iputils"))
}

/// Run a command with the watchdog; panics if it cannot start.
fn run(cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {cmd:?}: {e}"));
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() > WATCHDOG => {
                let _ = child.kill();
                break;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => panic!("wait {cmd:?}: {e}"),
        }
    }
    let out = child.wait_with_output().expect("collect output");
    assert!(
        start.elapsed() <= WATCHDOG + Duration::from_secs(1),
        "{cmd:?} hung and was killed"
    );
    out
}

/// `ip ARGS`, which must succeed.
fn ip(args: &[&str]) {
    let out = run(Command::new("ip").args(args));
    assert!(
        out.status.success(),
        "ip {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Three namespaces, deleted on drop.
struct Lab {
    a: String,
    b: String,
    c: String,
}

impl Drop for Lab {
    fn drop(&mut self) {
        for ns in [&self.a, &self.b, &self.c] {
            let _ = Command::new("ip")
                .args(["netns", "del", ns])
                .stderr(Stdio::null())
                .status();
        }
    }
}

impl Lab {
    /// The topology above; `a_route`: A routes 10.0.2.0/24 via B; `c_route`: C
    /// has a default route back via B.
    fn new(a_route: bool, c_route: bool) -> Lab {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let base = format!("rn-ping-{}-{n}", std::process::id());
        let lab = Lab {
            a: format!("{base}-a"),
            b: format!("{base}-b"),
            c: format!("{base}-c"),
        };
        for ns in [&lab.a, &lab.b, &lab.c] {
            ip(&["netns", "add", ns]);
            ip(&["-n", ns, "link", "set", "lo", "up"]);
        }
        let (a, b, c) = (lab.a.as_str(), lab.b.as_str(), lab.c.as_str());
        ip(&[
            "-n", a, "link", "add", "a0", "type", "veth", "peer", "name", "b0", "netns", b,
        ]);
        ip(&[
            "-n", b, "link", "add", "b1", "type", "veth", "peer", "name", "c0", "netns", c,
        ]);
        ip(&["-n", a, "addr", "add", "10.0.1.1/24", "dev", "a0"]);
        ip(&["-n", a, "addr", "add", "fd00:1::1/64", "dev", "a0", "nodad"]);
        ip(&["-n", b, "addr", "add", "10.0.1.100/24", "dev", "b0"]);
        ip(&[
            "-n",
            b,
            "addr",
            "add",
            "fd00:1::100/64",
            "dev",
            "b0",
            "nodad",
        ]);
        ip(&["-n", b, "addr", "add", "10.0.2.1/24", "dev", "b1"]);
        ip(&["-n", c, "addr", "add", "10.0.2.100/24", "dev", "c0"]);
        for (ns, dev) in [(a, "a0"), (b, "b0"), (b, "b1"), (c, "c0")] {
            ip(&["-n", ns, "link", "set", dev, "up"]);
        }
        // Forwarding inside B only (its own namespace).
        let out = run(Command::new("ip").args([
            "netns",
            "exec",
            b,
            "sysctl",
            "-qw",
            "net.ipv4.ip_forward=1",
        ]));
        assert!(out.status.success(), "sysctl in {b}");
        if a_route {
            ip(&["-n", a, "route", "add", "10.0.2.0/24", "via", "10.0.1.100"]);
        }
        if c_route {
            ip(&["-n", c, "route", "add", "default", "via", "10.0.2.1"]);
        }
        lab
    }

    /// `rawnet -n A ping ARGS`, with extra environment.
    fn rawnet(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(BIN);
        cmd.args(["-n", &self.a, "ping"]).args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        run(&mut cmd)
    }

    /// iputils `ping ARGS` inside A.
    fn iputils(&self, args: &[&str]) -> Output {
        run(Command::new("ip")
            .args(["netns", "exec", &self.a, "ping"])
            .args(args))
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A line with the numbers that vary from run to run replaced.
fn normalize(line: &str) -> String {
    if let Some((head, _)) = line.split_once(" = ") {
        return format!("{head} = X");
    }
    let words: Vec<String> = line
        .split(' ')
        .map(|w| {
            if w.starts_with("time=") {
                "time=X".to_string()
            } else if w.ends_with("ms")
                && w.len() > 2
                && w[..w.len() - 2].bytes().all(|b| b.is_ascii_digit())
            {
                "Xms".to_string()
            } else {
                w.to_string()
            }
        })
        .collect();
    words.join(" ")
}

fn normalized(out: &Output) -> Vec<String> {
    text(&out.stdout).lines().map(normalize).collect()
}

/// Same exit status and the same lines (up to timings) as iputils.
fn assert_like_iputils(lab: &Lab, args: &[&str], ours: &Output) {
    if !have_iputils() {
        common::skipped(
            "cross-check with iputils: iputils ping not installed (apt-get install iputils-ping)",
        );
        return;
    }
    let theirs = lab.iputils(args);
    assert_eq!(
        normalized(ours),
        normalized(&theirs),
        "ping {args:?}\n--- rawnet:\n{}--- iputils:\n{}",
        text(&ours.stdout),
        text(&theirs.stdout)
    );
    assert_eq!(
        ours.status.code(),
        theirs.status.code(),
        "exit status of ping {args:?}"
    );
    assert_eq!(
        text(&ours.stderr).trim(),
        text(&theirs.stderr).trim(),
        "stderr of ping {args:?}"
    );
}

#[test]
fn routed_ping_succeeds_like_iputils() {
    require_env!();
    let lab = Lab::new(true, true);
    let args = ["-c", "3", "-i", "0.2", "10.0.2.100"];
    let out = lab.rawnet(&args, &[]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.starts_with("PING 10.0.2.100 (10.0.2.100) 56(84) bytes of data.\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("64 bytes from 10.0.2.100: icmp_seq=1 ttl=63 time="),
        "{stdout}"
    );
    assert!(
        stdout.contains("3 packets transmitted, 3 received, 0% packet loss"),
        "{stdout}"
    );
    assert!(stdout.contains("\nrtt min/avg/max/mdev = "), "{stdout}");
    assert_like_iputils(&lab, &args, &out);
}

#[test]
fn no_route_is_network_unreachable() {
    require_env!();
    let lab = Lab::new(false, true);
    let args = ["-c", "1", "10.0.2.100"];
    let out = lab.rawnet(&args, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr), "ping: connect: Network is unreachable\n");
    assert_eq!(text(&out.stdout), "");
    assert_like_iputils(&lab, &args, &out);
}

#[test]
fn no_return_route_loses_everything() {
    require_env!();
    let lab = Lab::new(true, false);
    let args = ["-c", "2", "-i", "0.2", "-W", "1", "10.0.2.100"];
    let out = lab.rawnet(&args, &[]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("2 packets transmitted, 0 received, 100% packet loss"),
        "{stdout}"
    );
    assert!(!stdout.contains("rtt "), "{stdout}");
    assert_like_iputils(&lab, &args, &out);
}

#[test]
fn ipv6_on_one_subnet() {
    require_env!();
    let lab = Lab::new(true, true);
    let args = ["-c", "2", "-i", "0.2", "fd00:1::100"];
    let out = lab.rawnet(&args, &[]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.starts_with("PING fd00:1::100(fd00:1::100) 56 data bytes\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("64 bytes from fd00:1::100: icmp_seq=2 ttl=64 time="),
        "{stdout}"
    );
    assert_like_iputils(&lab, &args, &out);
}

#[test]
fn quiet_big_payload_and_interface() {
    require_env!();
    let lab = Lab::new(true, true);
    let quiet = ["-q", "-c", "2", "-i", "0.2", "10.0.2.100"];
    let out = lab.rawnet(&quiet, &[]);
    assert!(
        !text(&out.stdout).contains("bytes from"),
        "{}",
        text(&out.stdout)
    );
    assert_like_iputils(&lab, &quiet, &out);

    let big = ["-c", "2", "-i", "0.2", "-s", "1000", "10.0.2.100"];
    let out = lab.rawnet(&big, &[]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("PING 10.0.2.100 (10.0.2.100) 1000(1028) bytes of data."),
        "{stdout}"
    );
    assert!(
        stdout.contains("1008 bytes from 10.0.2.100: icmp_seq=1"),
        "{stdout}"
    );
    assert_like_iputils(&lab, &big, &out);

    let small = ["-c", "1", "-s", "8", "10.0.2.100"];
    let out = lab.rawnet(&small, &[]);
    assert!(
        text(&out.stdout).contains("16 bytes from 10.0.2.100: icmp_seq=1 ttl=63\n"),
        "{}",
        text(&out.stdout)
    );
    assert_like_iputils(&lab, &small, &out);

    let dev = ["-c", "1", "-I", "a0", "10.0.2.100"];
    let out = lab.rawnet(&dev, &[]);
    assert!(
        text(&out.stdout).starts_with("PING 10.0.2.100 (10.0.2.100) from 10.0.1.1 a0: 56(84)"),
        "{}",
        text(&out.stdout)
    );
    assert_like_iputils(&lab, &dev, &out);

    let addr = ["-c", "1", "-I", "10.0.1.1", "10.0.2.100"];
    let out = lab.rawnet(&addr, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_like_iputils(&lab, &addr, &out);

    let nodev = ["-c", "1", "-I", "nosuch0", "10.0.2.100"];
    let out = lab.rawnet(&nodev, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_like_iputils(&lab, &nodev, &out);
}

#[test]
fn ttl_exceeded_is_reported() {
    require_env!();
    let lab = Lab::new(true, true);
    let args = ["-c", "1", "-t", "1", "10.0.2.100"];
    let out = lab.rawnet(&args, &[]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("From 10.0.1.100 icmp_seq=1 Time to live exceeded\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 packets transmitted, 0 received, +1 errors, 100% packet loss"),
        "{stdout}"
    );
    assert_like_iputils(&lab, &args, &out);
}

#[test]
fn host_unreachable_is_reported() {
    require_env!();
    let lab = Lab::new(true, true);
    // Nobody answers ARP for 10.0.1.5: A's kernel reports the host unreachable (about 3 s).
    let args = ["-c", "1", "-W", "5", "10.0.1.5"];
    let out = lab.rawnet(&args, &[]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("From 10.0.1.1 icmp_seq=1 Destination Host Unreachable\n"),
        "{stdout}"
    );
    assert_like_iputils(&lab, &args, &out);
}

#[test]
fn datagram_socket_fallback() {
    require_env!();
    let lab = Lab::new(true, true);
    let dgram = [("RAWNET_PING_SOCKET", "dgram")];
    // Not permitted until the range is widened in A (and only in A).
    let out = lab.rawnet(&["-c", "1", "10.0.2.100"], &dgram);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    let out = run(Command::new("ip").args([
        "netns",
        "exec",
        &lab.a,
        "sysctl",
        "-qw",
        "net.ipv4.ping_group_range=0 2147483647",
    ]));
    assert!(out.status.success());

    let args = ["-c", "2", "-i", "0.2", "10.0.2.100"];
    let out = lab.rawnet(&args, &dgram);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("64 bytes from 10.0.2.100: icmp_seq=2 ttl=63 time="),
        "{stdout}"
    );
    assert_like_iputils(&lab, &args, &out);

    let v6 = ["-c", "1", "fd00:1::100"];
    let out = lab.rawnet(&v6, &dgram);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_like_iputils(&lab, &v6, &out);

    // Errors come through the error queue on datagram sockets.
    let ttl = ["-c", "1", "-t", "1", "10.0.2.100"];
    let out = lab.rawnet(&ttl, &dgram);
    assert!(
        text(&out.stdout).contains("From 10.0.1.100 icmp_seq=1 Time to live exceeded\n"),
        "{}",
        text(&out.stdout)
    );
    assert_like_iputils(&lab, &ttl, &out);
}

#[test]
fn names_are_not_resolved() {
    let out = run(Command::new(BIN).args(["ping", "-c", "1", "host.invalid"]));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "ping: host.invalid: Name or service not known\n"
    );
}
