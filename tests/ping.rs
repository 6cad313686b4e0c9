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

use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::argv;

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
    run_to(cmd, Stdio::piped())
}

/// [`run`] with standard output sent to `stdout`.
fn run_to(cmd: &mut Command, stdout: Stdio) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(stdout)
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
            } else if w.starts_with('[') && w.ends_with(']') {
                // -D: the wall-clock stamp.
                "[X]".to_string()
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

/// Wait for our own child up to `limit`; on timeout kill it (by its PID) and fail.
fn wait_bounded(child: &mut Child, limit: Duration, what: &str) -> ExitStatus {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status,
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{what} did not end within {limit:?}; killed");
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => panic!("wait {what}: {e}"),
        }
    }
}

/// The number of times `needle` occurs in `hay`.
fn occurrences(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

#[test]
fn flood_prints_dots_like_iputils() {
    require_env!();
    let lab = Lab::new(true, true);
    let args = ["-f", "-c", "100", "10.0.1.100"];
    let out = lab.rawnet(&args, &[]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    // A dot per request, rubbed out by its reply (in this order unless a reply
    // was slower than the 10 ms resend; the counts hold either way).
    let marks = stdout.lines().nth(1).unwrap_or("");
    assert_eq!(occurrences(marks, "."), 100, "{stdout:?}");
    assert_eq!(occurrences(marks, "\x08 \x08"), 100, "{stdout:?}");
    assert_eq!(marks.len(), 400, "nothing else on that line: {stdout:?}");
    assert!(
        stdout.contains("100 packets transmitted, 100 received, 0% packet loss"),
        "{stdout}"
    );
    if have_iputils() {
        let theirs = text(&lab.iputils(&args).stdout);
        assert_eq!(
            (
                occurrences(&theirs, "\x08 \x08"),
                stdout.lines().next(),
                stdout
                    .lines()
                    .last()
                    .is_some_and(|l| l.contains("ipg/ewma"))
            ),
            (
                100,
                theirs.lines().next(),
                theirs
                    .lines()
                    .last()
                    .is_some_and(|l| l.contains("ipg/ewma"))
            ),
            "{theirs:?}"
        );
    }

    let quiet = ["-f", "-q", "-c", "1000", "10.0.1.100"];
    let out = lab.rawnet(&quiet, &[]);
    assert!(
        text(&out.stdout).contains("1000 packets transmitted, 1000 received, 0% packet loss"),
        "{}",
        text(&out.stdout)
    );
    assert_like_iputils(&lab, &quiet, &out);

    // The datagram socket floods the same way.
    let out = run(Command::new("ip").args([
        "netns",
        "exec",
        &lab.a,
        "sysctl",
        "-qw",
        "net.ipv4.ping_group_range=0 2147483647",
    ]));
    assert!(out.status.success());
    let out = lab.rawnet(&quiet, &[("RAWNET_PING_SOCKET", "dgram")]);
    assert!(
        text(&out.stdout).contains("1000 packets transmitted, 1000 received, 0% packet loss"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn flood_reports_errors_like_iputils() {
    require_env!();
    let lab = Lab::new(true, true);
    // B answers each request with "time to live exceeded" (at most six in a
    // burst: the kernel rate-limits them, so two each for rawnet and iputils).
    let args = ["-f", "-c", "2", "-t", "1", "10.0.2.100"];
    let out = lab.rawnet(&args, &[]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("\n.\x08E.\x08E\n"), "{stdout:?}");
    assert_like_iputils(&lab, &args, &out);
}

#[test]
fn zero_interval_waits_for_each_reply() {
    require_env!();
    let lab = Lab::new(true, true);
    // Like a flood without the dots: the next request when the reply came.
    let args = ["-i", "0", "-q", "-c", "200", "10.0.1.100"];
    let out = lab.rawnet(&args, &[]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("200 packets transmitted, 200 received, 0% packet loss"),
        "{stdout}"
    );
    // Not all 200 in flight at once (a reply slower than 10 ms lets a second go).
    let pipe = stdout
        .split("pipe ")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .map_or(1, |n| n.trim().parse::<u32>().unwrap_or(u32::MAX));
    assert!(pipe <= 10, "{stdout}");
    assert_like_iputils(&lab, &args, &out);
}

#[test]
fn flood_honours_interval() {
    require_env!();
    let lab = Lab::new(true, true);
    // With -i, a flood sends every interval, answered or not (as iputils).
    let args = ["-f", "-i", "0.1", "-c", "3", "10.0.1.100"];
    let out = lab.rawnet(&args, &[]);
    let stdout = text(&out.stdout);
    let ms: u64 = stdout
        .split(", time ")
        .nth(1)
        .and_then(|r| r.split("ms").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no time in {stdout}"));
    assert!(ms >= 200, "two intervals at least: {stdout}");
    assert_like_iputils(&lab, &args, &out);
}

#[test]
fn interrupt_ends_flood_with_statistics() {
    require_env!();
    let lab = Lab::new(true, true);
    let mut child = Command::new(BIN)
        .args(["-n", &lab.a, "ping", "-f", "-q", "10.0.1.100"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn rawnet");
    std::thread::sleep(Duration::from_millis(300));
    // Ctrl-C, to our own child by its PID.
    let pid = child.id().to_string();
    let kill = run(Command::new("kill").args(["-INT", &pid]));
    assert!(kill.status.success(), "kill -INT {pid}");
    let status = wait_bounded(&mut child, Duration::from_secs(5), "rawnet ping -f");
    let out = child.wait_with_output().expect("collect output");
    let stdout = text(&out.stdout);
    assert_eq!(status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains(" packets transmitted, "), "{stdout}");
    assert!(stdout.contains("ipg/ewma "), "{stdout}");
}

#[test]
fn closed_pipe_ends_ping_like_sigpipe() {
    require_env!();
    let lab = Lab::new(true, true);
    let ping_args = ["ping", "-c", "100", "-i", "0.2", "10.0.2.100"];
    let mut cmds = vec![("rawnet", {
        let mut c = Command::new(BIN);
        c.args(["-n", &lab.a]).args(ping_args);
        c
    })];
    if have_iputils() {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &lab.a]).args(ping_args);
        cmds.push(("iputils", c));
    }
    for (who, mut cmd) in cmds {
        // `ping ... | head -1`: head leaves after the first line.
        let mut ping = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn ping");
        let pipe = ping.stdout.take().expect("piped stdout");
        let head = Command::new("head")
            .arg("-1")
            .stdin(Stdio::from(pipe))
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn head");
        let status = wait_bounded(&mut ping, Duration::from_secs(10), who);
        let first = head.wait_with_output().expect("head output");
        assert_eq!(
            text(&first.stdout),
            "PING 10.0.2.100 (10.0.2.100) 56(84) bytes of data.\n",
            "{who}"
        );
        assert_eq!(status.signal(), Some(libc::SIGPIPE), "{who}: {status:?}");
        let err = ping.wait_with_output().expect("stderr");
        assert_eq!(text(&err.stderr), "", "{who}");
    }
}

#[test]
fn full_output_is_a_write_error() {
    require_env!();
    let lab = Lab::new(true, true);
    for args in [
        &["-c", "2", "-i", "0.2", "10.0.2.100"][..],
        &["-f", "-c", "100", "10.0.2.100"][..],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("open /dev/full");
        let mut cmd = Command::new(BIN);
        cmd.args(["-n", &lab.a, "ping"]).args(args);
        let out = run_to(&mut cmd, Stdio::from(full));
        assert_eq!(text(&out.stderr), "ping: write error\n", "{args:?}");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
    }
    // iputils ends so too (only at exit; its flood into /dev/full never ends).
    if have_iputils() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("open /dev/full");
        let mut cmd = Command::new("ip");
        cmd.args([
            "netns",
            "exec",
            &lab.a,
            "ping",
            "-c",
            "2",
            "-i",
            "0.2",
            "10.0.2.100",
        ]);
        let out = run_to(&mut cmd, Stdio::from(full));
        assert_eq!(
            (text(&out.stderr).as_str(), out.status.code()),
            ("ping: write error\n", Some(1))
        );
    }
}

/// `strace -f -c` of `rawnet -n A ping ARGS`: calls per system call name.
fn syscall_counts(lab: &Lab, args: &[&str]) -> Option<std::collections::HashMap<String, u64>> {
    if Command::new("strace").arg("-V").output().is_err() {
        common::skipped("system call counts: strace not installed");
        return None;
    }
    let table = std::env::temp_dir().join(format!(
        "rawnet-ping-strace-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let out = run(Command::new("strace")
        .args(["-f", "-c", "-o"])
        .arg(&table)
        .args([BIN, "-n", &lab.a, "ping"])
        .args(args));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = std::fs::read_to_string(&table).expect("strace summary");
    let _ = std::fs::remove_file(&table);
    // "% time  seconds  usecs/call  calls  [errors]  syscall"
    Some(
        summary
            .lines()
            .filter_map(|l| {
                let w: Vec<&str> = l.split_whitespace().collect();
                let calls = w.get(3)?.parse().ok()?;
                Some((w.last()?.to_string(), calls))
            })
            .collect(),
    )
}

#[test]
fn flood_costs_two_system_calls_a_packet() {
    require_env!();
    let lab = Lab::new(true, true);
    let n = 500;
    let count =
        |c: &std::collections::HashMap<String, u64>, name: &str| c.get(name).copied().unwrap_or(0);
    let Some(quiet) = syscall_counts(&lab, &["-f", "-q", "-c", "500", "10.0.1.100"]) else {
        return;
    };
    // sendto, then recvmsg sleeping for the answer; a reply slower than the
    // 10 ms resend (a busy machine) may add a timed-out read now and then.
    assert_eq!(count(&quiet, "sendto"), n, "{quiet:?}");
    let waits = count(&quiet, "recvmsg") + count(&quiet, "poll");
    assert!((n..=n + n / 20).contains(&waits), "{quiet:?}");
    // With the dots: one write per packet (a rub-out goes with the next dot).
    let Some(dots) = syscall_counts(&lab, &["-f", "-c", "500", "10.0.1.100"]) else {
        return;
    };
    let writes = count(&dots, "write");
    assert!((n..=n + n / 20).contains(&writes), "{dots:?}");
}

/// Every case the same as iputils (exit status, stderr, stdout up to times).
fn all_like_iputils(lab: &Lab, cases: &[&[&str]]) {
    for args in cases {
        let out = lab.rawnet(args, &[]);
        assert_like_iputils(lab, args, &out);
    }
}

#[test]
fn destination_is_named_as_typed() {
    require_env!();
    let lab = Lab::new(true, true);
    let out = lab.rawnet(&["-c", "1", "0.0.0.0"], &[]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("PING 0.0.0.0 (127.0.0.1) 56(84) bytes of data.\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n--- 0.0.0.0 ping statistics ---\n"),
        "{stdout}"
    );
    all_like_iputils(
        &lab,
        &[
            &["-c", "1", "0.0.0.0"],
            &["-c", "1", "127.1"],
            &["-c", "1", "0x7f.0.0.1"],
        ],
    );
}

/// The index of `dev` in namespace `ns`.
fn ifindex(ns: &str, dev: &str) -> String {
    let out = run(Command::new("ip").args(["-n", ns, "-o", "link", "show", dev]));
    let line = text(&out.stdout);
    line.split(':').next().unwrap_or("").trim().to_string()
}

#[test]
fn zones_and_link_local_like_iputils() {
    require_env!();
    let lab = Lab::new(true, true);
    ip(&[
        "-n",
        &lab.a,
        "addr",
        "add",
        "fe80::1/64",
        "dev",
        "a0",
        "nodad",
    ]);
    ip(&[
        "-n",
        &lab.b,
        "addr",
        "add",
        "fe80::100/64",
        "dev",
        "b0",
        "nodad",
    ]);
    let out = lab.rawnet(&["-c", "1", "fe80::100%a0"], &[]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("PING fe80::100%a0(fe80::100%a0) 56 data bytes\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("bytes from fe80::100%a0: icmp_seq=1"),
        "{stdout}"
    );
    let index = ifindex(&lab.a, "a0");
    let numeric = format!("fe80::100%{index}");
    let global = format!("fd00:1::100%{index}");
    all_like_iputils(
        &lab,
        &[
            &["-c", "1", "fe80::100%a0"],
            &["-c", "1", &numeric],
            &["-c", "1", &global],
            &["-c", "1", "fd00:1::100%a0"],
            &["-c", "1", "fe80::100%nosuch0"],
            &["-c", "1", "-I", "a0", "fe80::100"],
            &["-c", "1", "-I", "a0", "fe80::100%a0"],
            &["-c", "1", "-I", "fe80::1%a0", "fe80::100"],
            &["-c", "1", "-I", "fe80::1", "fe80::100%a0"],
            &["-c", "1", "-I", "fd00:1::1%a0", "fd00:1::100"],
            &["-c", "1", "-I", "nosuch0", "fd00:1::100"],
            &["-c", "1", "-I", "10.0.1.1", "fd00:1::100"],
            &["-c", "1", "-I", "fd00:1::1", "10.0.1.100"],
        ],
    );
}

#[test]
fn option_values_like_iputils() {
    require_env!();
    let lab = Lab::new(true, false);
    all_like_iputils(
        &lab,
        &[
            &["-c", "1", "-i", "abc", "10.0.1.100"],
            &["-c", "2", "-i", "0.2x", "10.0.1.100"],
            &["-c", "1", "-W", "-1", "10.0.1.100"],
            &["-c", "1", "-i", "inf", "10.0.1.100"],
            &["-c", "1", "-s", "-1", "10.0.1.100"],
            &["-c", "1", "-w", "1.5", "10.0.1.100"],
            &["-c", "abc", "10.0.1.100"],
            &["-c", "0", "10.0.1.100"],
            &["-4", "-6", "-c", "1", "::1"],
            &["-6", "-c", "1", "10.0.1.100"],
            &["-c", "1", "-n", "-s", "0", "10.0.1.100"],
            &["-c", "2", "-i", "0.2", "-D", "10.0.1.100"],
            // No way back from C: every request is outstanding, also with -q.
            &["-c", "3", "-i", "0.2", "-O", "-W", "1", "10.0.2.100"],
            &["-c", "2", "-i", "0.2", "-O", "-q", "-W", "1", "10.0.2.100"],
        ],
    );
}

/// Forget the path MTUs A learnt (its route cache exceptions), so each
/// ping starts from the same knowledge.
fn forget_path_mtus(lab: &Lab) {
    ip(&["-n", &lab.a, "route", "flush", "cache"]);
    ip(&["-n", &lab.a, "-6", "route", "flush", "cache"]);
}

/// Each case the same as iputils, both starting with no path MTU learnt.
fn all_like_iputils_from_scratch(lab: &Lab, cases: &[&[&str]]) {
    for args in cases {
        forget_path_mtus(lab);
        let out = lab.rawnet(args, &[]);
        forget_path_mtus(lab);
        assert_like_iputils(lab, args, &out);
    }
}

/// The lab with a smaller MTU (1280) between B and C, and IPv6 routed too
/// (`fd00:2::/64` behind B).
fn narrow_lab() -> Lab {
    let lab = Lab::new(true, true);
    let (a, b, c) = (lab.a.as_str(), lab.b.as_str(), lab.c.as_str());
    ip(&["-n", b, "link", "set", "b1", "mtu", "1280"]);
    ip(&["-n", c, "link", "set", "c0", "mtu", "1280"]);
    ip(&["-n", b, "addr", "add", "fd00:2::1/64", "dev", "b1", "nodad"]);
    ip(&[
        "-n",
        c,
        "addr",
        "add",
        "fd00:2::100/64",
        "dev",
        "c0",
        "nodad",
    ]);
    ip(&["-n", a, "route", "add", "fd00:2::/64", "via", "fd00:1::100"]);
    ip(&["-n", c, "route", "add", "default", "via", "fd00:2::1"]);
    let out = run(Command::new("ip").args([
        "netns",
        "exec",
        b,
        "sysctl",
        "-qw",
        "net.ipv6.conf.all.forwarding=1",
    ]));
    assert!(out.status.success(), "sysctl in {b}");
    lab
}

#[test]
fn path_mtu_discovery_like_iputils() {
    require_env!();
    let lab = narrow_lab();
    forget_path_mtus(&lab);
    let args = [
        "-c",
        "2",
        "-i",
        "0.2",
        "-M",
        "do",
        "-s",
        "3000",
        "10.0.1.100",
    ];
    let out = lab.rawnet(&args, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert_eq!(
        text(&out.stderr),
        "ping: local error: message too long, mtu=1500\n".repeat(2)
    );
    assert!(
        text(&out.stdout)
            .contains("2 packets transmitted, 0 received, +2 errors, 100% packet loss"),
        "{}",
        text(&out.stdout)
    );
    all_like_iputils_from_scratch(
        &lab,
        &[
            &args,
            &argv("-c 2 -i 0.2 -M do -s 3000 fd00:1::100")[..],
            &argv("-c 2 -i 0.2 -M do -s 1472 10.0.1.100")[..],
            &argv("-c 2 -i 0.2 -M do -s 1473 10.0.1.100")[..],
            // Over the narrow link: the router's complaint first, then the
            // kernel knows the path MTU and refuses locally (do), fragments
            // (want; IPv6 always), or never set DF (dont).
            &argv("-c 3 -i 0.2 -M do -s 1400 10.0.2.100")[..],
            &argv("-c 3 -i 0.2 -M want -s 1400 10.0.2.100")[..],
            &argv("-c 3 -i 0.2 -M dont -s 1400 10.0.2.100")[..],
            &["-c", "3", "-i", "0.2", "-s", "1400", "10.0.2.100"],
            &argv("-c 3 -i 0.2 -M do -s 1400 fd00:2::100")[..],
            &argv("-c 3 -i 0.2 -M want -s 1400 fd00:2::100")[..],
            &argv("-c 3 -i 0.2 -M dont -s 1400 fd00:2::100")[..],
            // Flood marks them `E`; -q does not count them (iputils' quirk).
            &argv("-c 2 -i 0.2 -f -M do -s 3000 10.0.1.100")[..],
            &argv("-c 2 -i 0.2 -q -W 1 -M do -s 3000 10.0.1.100")[..],
            &["-c", "1", "-M", "probe", "10.0.1.100"],
            &["-c", "1", "-M", "x", "10.0.1.100"],
        ],
    );
}

#[test]
fn oversized_payloads_like_iputils() {
    require_env!();
    let lab = Lab::new(true, true);
    let args = [
        "-c",
        "2",
        "-i",
        "0.2",
        "-W",
        "1",
        "-s",
        "70000",
        "10.0.1.100",
    ];
    let out = lab.rawnet(&args, &[]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.starts_with("PING 10.0.1.100 (10.0.1.100) 70000(70028) bytes of data.\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2 packets transmitted, 0 received, 100% packet loss"),
        "{stdout}"
    );
    assert_eq!(text(&out.stderr), "");
    all_like_iputils(
        &lab,
        &[
            &args,
            &["-c", "2", "-i", "0.2", "-s", "65508", "10.0.1.100"],
            &["-c", "2", "-i", "0.2", "-s", "65507", "10.0.1.100"],
            &["-c", "2", "-i", "0.2", "-s", "70000", "fd00:1::100"],
            &["-c", "2", "-i", "0.2", "-s", "65528", "fd00:1::100"],
            &["-c", "2", "-i", "0.2", "-s", "65527", "fd00:1::100"],
            &argv("-c 2 -i 0.2 -f -W 1 -s 70000 10.0.1.100")[..],
            &["-c", "1", "-s", "2147483648", "10.0.1.100"],
            &["-c", "1", "-s", "-5", "10.0.1.100"],
            &["-c", "1", "-s", "big", "10.0.1.100"],
            &["-c", "1", "-Q", "0x10", "10.0.1.100"],
            &["-c", "1", "-Q", "46", "fd00:1::100"],
            &["-c", "1", "-Q", "256", "10.0.1.100"],
            &["-c", "1", "-Q", "0x1ff", "10.0.1.100"],
            &["-c", "1", "-Q", "5x", "10.0.1.100"],
        ],
    );
}
