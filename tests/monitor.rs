//! `rawnet monitor` against `ip monitor`, both running in the background on
//! the same namespace while a fixed sequence of changes is made in it: both
//! hear the same notifications in the same order, so their outputs are
//! compared line for line, unmasked (iproute2's `[NETCONF]` lines, which
//! rawnet does not print, are left out of its side).
//!
//! Every monitor is killed by its PID, also when a test fails; every wait
//! is bounded; a change sequence ends with a sentinel route, and the
//! outputs are compared up to it once both have printed it.

mod common;

use std::fs::File;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// The last change of every sequence; seeing it means everything before it was printed.
const SENTINEL: &str = "198.51.100.0/24 dev lo scope link ";
const SENTINEL_ROUTE: &str = "route add 198.51.100.0/24 dev lo";
/// Bound on every wait for output.
const PATIENCE: Duration = Duration::from_secs(90);

/// A monitor running in the background, its stdout and stderr in files;
/// killed by PID when dropped.
struct Watcher {
    what: String,
    child: Child,
    stdout: PathBuf,
    stderr: PathBuf,
}

impl Watcher {
    /// `ip -n NS ARGS...` or `rawnet -n NS ARGS...`.
    fn start(program: &str, ns: &TestNs, args: &[&str]) -> Watcher {
        let exe = if program == "rawnet" {
            env!("CARGO_BIN_EXE_rawnet")
        } else {
            program
        };
        let base = std::env::temp_dir().join(unique_name("mon"));
        let stdout = base.with_extension("out");
        let stderr = base.with_extension("err");
        let child = Command::new(exe)
            .args(["-n", &ns.name])
            .args(args)
            .stdin(Stdio::null())
            .stdout(File::create(&stdout).expect("create stdout file"))
            .stderr(File::create(&stderr).expect("create stderr file"))
            .spawn()
            .unwrap_or_else(|e| panic!("start {program}: {e}"));
        Watcher {
            what: format!("{program} {}", args.join(" ")),
            child,
            stdout,
            stderr,
        }
    }

    fn output(&self) -> String {
        std::fs::read_to_string(&self.stdout).unwrap_or_default()
    }

    fn errors(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// Send `signal` (`-TERM`, `-STOP`, ...) to this process, by its PID.
    fn signal(&self, signal: &str) {
        let ok = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "kill {signal} {}", self.what);
    }

    /// End it with `signal` (`-INT` as Ctrl-C sends, `-TERM`) and return how it ended.
    fn terminate(&mut self, signal: &str) -> ExitStatus {
        self.signal(signal);
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for monitor") {
                return status;
            }
            assert!(Instant::now() < deadline, "{} did not end", self.what);
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.stdout);
        let _ = std::fs::remove_file(&self.stderr);
    }
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !done() {
        assert!(Instant::now() < deadline, "gave up waiting: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The netlink route sockets in `ns` that have joined multicast groups, as
/// the namespace's `/proc/net/netlink` lists them (read from inside it):
/// for each, the bytes waiting in its receive queue.
fn listening_sockets(ns: &TestNs) -> Vec<u64> {
    let out = Command::new("ip")
        .args(["netns", "exec", &ns.name, "cat", "/proc/net/netlink"])
        .output()
        .expect("read /proc/net/netlink");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(1)
        .filter_map(|l| {
            // sk Eth Pid Groups Rmem ...: protocol 0 (NETLINK_ROUTE), some group.
            let cols: Vec<&str> = l.split_whitespace().collect();
            let listening = cols.len() > 4 && cols[1] == "0" && cols[3] != "00000000";
            listening.then(|| cols[4].parse().unwrap_or(u64::MAX))
        })
        .collect()
}

/// Start the monitors and wait until each has joined its groups.
fn start_all(ns: &TestNs, monitors: &[(&str, &[&str])]) -> Vec<Watcher> {
    let before = listening_sockets(ns).len();
    let watchers: Vec<Watcher> = monitors
        .iter()
        .map(|(program, args)| Watcher::start(program, ns, args))
        .collect();
    wait_until("every monitor listening", || {
        listening_sockets(ns).len() >= before + watchers.len()
    });
    watchers
}

/// Run `ip -n NS` for each line of `script`.
fn apply(ns: &TestNs, script: &str) {
    for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
        ns.ip_ok(&argv(line));
    }
}

/// The output up to and including the first line that contains `sentinel`.
fn up_to(output: &str, sentinel: &str) -> Option<String> {
    up_to_nth(output, sentinel, 1)
}

/// The output up to and including the `n`th line that contains `needle`.
fn up_to_nth(output: &str, needle: &str, n: usize) -> Option<String> {
    let mut kept = String::new();
    let mut seen = 0;
    for line in output.lines() {
        kept.push_str(line);
        kept.push('\n');
        seen += usize::from(line.contains(needle));
        if seen == n {
            return Some(kept);
        }
    }
    None
}

/// Wait until every watcher has printed the sentinel; their outputs up to it.
fn outputs_up_to(watchers: &[Watcher], sentinel: &str) -> Vec<String> {
    wait_until("every monitor printed the sentinel", || {
        watchers
            .iter()
            .all(|w| up_to(&w.output(), sentinel).is_some())
    });
    watchers
        .iter()
        .map(|w| up_to(&w.output(), sentinel).unwrap_or_default())
        .collect()
}

/// iproute2's lines less the kinds of events rawnet does not print: its
/// netconf events (`[NETCONF]inet v0 forwarding off ...`, unlabelled
/// `inet6 v0 forwarding off ...`, `Deleted inet v0 `). No other event's
/// line starts with a family name.
fn without_netconf(ip_output: &str) -> String {
    let netconf = |l: &str| {
        let l = l.strip_prefix("[NETCONF]").unwrap_or(l);
        let l = l.strip_prefix("Deleted ").unwrap_or(l);
        l.starts_with("inet ") || l.starts_with("inet6 ")
    };
    ip_output
        .lines()
        .filter(|l| !netconf(l))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn assert_same_lines(ours: &str, theirs: &str, what: &str) {
    let (o, t): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
    for (i, (a, b)) in o.iter().zip(&t).enumerate() {
        if a != b && same_but_a_gone_device(a, b) {
            continue;
        }
        assert_eq!(a, b, "{what}: line {} differs", i + 1);
    }
    assert_eq!(
        o.len(),
        t.len(),
        "{what}: line count\nrawnet:\n{ours}\nip:\n{theirs}"
    );
}

/// An event about a device that is gone by the time a monitor names it:
/// each tool asks the kernel for the name when it first needs it, so one may
/// still find the device (`dev v1`, `4: v1`) where the other, a moment
/// later, finds none and prints its index (`dev if4`, `4: if4`). Which one
/// wins is timing; the lines are otherwise the same.
fn same_but_a_gone_device(a: &str, b: &str) -> bool {
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    let by_index = |w: &str| {
        w.strip_prefix("if")
            .is_some_and(|n| n.parse::<u32>().is_ok())
    };
    wa.len() == wb.len()
        && wa.iter().zip(&wb).enumerate().all(|(i, (x, y))| {
            // The device's word: after `dev`, or after the index (`4: v1`
            // of an address or link event).
            let names_device = |w: &str| {
                w == "dev"
                    || w.strip_suffix(':')
                        .is_some_and(|n| n.parse::<u32>().is_ok())
            };
            x == y
                || (i > 0
                    && names_device(wa[i - 1])
                    && wa[i - 1] == wb[i - 1]
                    && (by_index(x) || by_index(y)))
        })
}

/// The changes every comparison makes: a veth pair, up, addresses, a
/// route, a neighbour, and all of it taken away again.
const ADD: &str = "
    link add v0 type veth peer name v1
    link set v0 up
    link set v1 up
    addr add 10.1.0.1/24 dev v0
    addr add fd00::1/64 dev v0 nodad
    route add 10.2.0.0/24 via 10.1.0.2
    route add 10.3.0.0/24 dev v0 table 100
    -6 route add fd01::/64 via fd00::2 metric 7
    neigh add 10.1.0.2 lladdr 02:00:00:00:00:02 dev v0
    neigh add fd00::2 lladdr 02:00:00:00:00:03 dev v0 router
";
const REMOVE: &str = "
    neigh del 10.1.0.2 dev v0
    neigh del fd00::2 dev v0
    route del 10.2.0.0/24
    -6 route del fd01::/64
    addr del 10.1.0.1/24 dev v0
    link del v0
";

fn namespace(tag: &str) -> TestNs {
    let ns = TestNs::new(tag);
    ns.ip_ok(&["link", "set", "lo", "up"]);
    ns
}

#[test]
fn monitor_all_prints_what_ip_monitor_all_prints() {
    let ns = namespace("ma");
    let mut w = start_all(
        &ns,
        &[("ip", &["monitor", "all"]), ("rawnet", &["monitor", "all"])],
    );
    apply(&ns, ADD);
    apply(&ns, REMOVE);
    apply(&ns, SENTINEL_ROUTE);
    let out = outputs_up_to(&w, SENTINEL);
    let theirs = without_netconf(&out[0]);
    assert_same_lines(&out[1], &theirs, "rawnet monitor all");
    for needle in [
        "[LINK]3: v0@v1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN group default \n",
        "[ADDR]3: v0    inet 10.1.0.1/24 scope global v0\n",
        "[ROUTE]10.3.0.0/24 dev v0 table 100 scope link \n",
        "[ROUTE]Deleted 10.2.0.0/24 via 10.1.0.2 dev v0 \n",
        "[NEIGH]fd00::2 dev v0 lladdr 02:00:00:00:00:03 router PERMANENT \n",
        "[NEIGH]Deleted 10.1.0.2 dev v0 ",
        "[LINK]Deleted 3: v0@NONE: ",
    ] {
        assert!(out[1].contains(needle), "want {needle:?} in\n{}", out[1]);
    }
    assert_eq!(w[1].errors(), "", "rawnet's stderr");
    // Both die of the signal that ends them (Ctrl-C here).
    let (ip_end, rawnet_end) = (w[0].terminate("-INT"), w[1].terminate("-INT"));
    assert_eq!(ip_end.signal(), Some(libc::SIGINT), "ip: {ip_end:?}");
    assert_eq!(
        rawnet_end.signal(),
        ip_end.signal(),
        "rawnet: {rawnet_end:?}"
    );
}

#[test]
fn filtered_monitors_print_what_ip_prints() {
    let ns = namespace("mf");
    // A link that exists from the start, for `dev`.
    ns.ip_ok(&argv("link add w0 type veth peer name w1"));
    // Each monitor with the last of the closing changes it hears: `S1` the
    // sentinel route, `S2` an IPv6 address on w0 (and its local route),
    // `S3` w0's MTU.
    const S2: &str = "fd09::9";
    const S3: &str = "mtu 1300";
    let monitors: &[(&[&str], &str)] = &[
        (&["monitor", "route"], S2),
        (&["monitor", "li", "a"], S3),
        (&["-4", "monitor"], S3),
        (&["-6", "monitor", "neigh", "address"], S2),
        (&["monitor", "label", "neigh", "route"], S2),
        (&["monitor", "dev", "w0"], S3),
        (&["-d", "monitor", "link"], S3),
    ];
    let mut both = Vec::new();
    for (args, _) in monitors {
        both.push(("ip", *args));
        both.push(("rawnet", *args));
    }
    let w = start_all(&ns, &both);
    apply(&ns, ADD);
    apply(
        &ns,
        "link set w0 up
         addr add 10.9.0.1/24 dev w0
         neigh add 10.9.0.2 lladdr 02:00:00:00:00:09 dev w0
         link add br0 type bridge
         link set w1 master br0
         link set w0 mtu 1400",
    );
    apply(&ns, REMOVE);
    apply(&ns, "link del br0");
    apply(&ns, SENTINEL_ROUTE);
    apply(&ns, "-6 addr add fd09::9/128 dev w0 nodad");
    apply(&ns, "link set w0 mtu 1300");
    for (i, (args, mark)) in monitors.iter().enumerate() {
        let pair = &w[2 * i..2 * i + 2];
        let out = outputs_up_to(pair, mark);
        assert_same_lines(&out[1], &without_netconf(&out[0]), &args.join(" "));
        assert!(out[1].lines().count() > 1, "{}: {}", args.join(" "), out[1]);
        assert_eq!(pair[1].errors(), "", "rawnet {} stderr", args.join(" "));
    }
}

/// `line` with its `-t` / `-ts` stamp made constant (`Timestamp: T`, `[T] `)
/// once its shape is checked: `Timestamp: Mon Dec  7 09:59:41 2026 133633
/// usec` or `[2026-12-07T09:59:42.735911] `.
fn masked_stamp(line: &str) -> String {
    if let Some(rest) = line.strip_prefix("Timestamp: ") {
        let usec = rest
            .strip_suffix(" usec")
            .expect("Timestamp line ends in usec");
        let words: Vec<&str> = usec.split_whitespace().collect();
        assert_eq!(words.len(), 6, "Timestamp line: {line:?}");
        assert!(
            words[3].len() == 8 && words[3].as_bytes()[2] == b':',
            "{line:?}"
        );
        return "Timestamp: T".to_string();
    }
    let b = line.as_bytes();
    if b.first() == Some(&b'[') && b.len() >= 29 && b[11] == b'T' && b[20] == b'.' {
        assert_eq!(&line[27..29], "] ", "short stamp: {line:?}");
        assert!(line[1..27]
            .bytes()
            .all(|c| c.is_ascii_digit() || b"-T:.".contains(&c)));
        return format!("[T] {}", &line[29..]);
    }
    line.to_string()
}

/// Stamped output with the stamps masked and, on iproute2's side, its
/// netconf events and their stamps left out.
fn masked(output: &str, ip: bool) -> String {
    let lines: Vec<String> = output.lines().map(masked_stamp).collect();
    let netconf = |l: &str| {
        let l = l.strip_prefix("[T] ").unwrap_or(l);
        without_netconf(l).is_empty()
    };
    let mut kept = String::new();
    let mut i = 0;
    while i < lines.len() {
        let l = &lines[i];
        if ip && l == "Timestamp: T" && lines.get(i + 1).is_some_and(|n| netconf(n)) {
            i += 2;
            continue;
        }
        if !(ip && netconf(l)) {
            kept.push_str(l);
            kept.push('\n');
        }
        i += 1;
    }
    kept
}

/// `-t` and `-ts` stamp each event as iproute2 does (before the label,
/// `-t` on a line of its own, also under `-o`).
#[test]
fn timestamps_as_ip_prints_them() {
    let ns = namespace("mt");
    let monitors: &[&[&str]] = &[
        &["-t", "monitor", "link", "address", "route"],
        &["-ts", "monitor", "label", "link", "address", "route"],
        &["-timestamp", "-o", "monitor", "address"],
        &["-tshort", "monitor", "route"],
    ];
    let mut both = Vec::new();
    for args in monitors {
        both.push(("ip", *args));
        both.push(("rawnet", *args));
    }
    let w = start_all(&ns, &both);
    apply(&ns, ADD);
    apply(&ns, REMOVE);
    apply(&ns, SENTINEL_ROUTE);
    apply(&ns, "addr add 10.8.0.1/32 dev lo");
    for (i, args) in monitors.iter().enumerate() {
        let pair = &w[2 * i..2 * i + 2];
        let last = if args.contains(&"route") {
            SENTINEL
        } else {
            "10.8.0.1"
        };
        let out = outputs_up_to(pair, last);
        let what = args.join(" ");
        assert_same_lines(&masked(&out[1], false), &masked(&out[0], true), &what);
        let short = args[0] == "-ts" || args[0] == "-tshort";
        let stamp = if short { "[T] " } else { "Timestamp: T\n" };
        assert!(masked(&out[1], false).contains(stamp), "{what}: {}", out[1]);
        assert_eq!(pair[1].errors(), "", "rawnet {what} stderr");
    }
}

/// Describe one text event: its banner word, whether it is a deletion, and
/// its first line.
fn text_events(output: &str) -> Vec<(String, bool, String)> {
    let mut events = Vec::new();
    for line in output.lines() {
        if line.starts_with(' ') {
            continue; // the second line of a link or an address
        }
        let (label, rest) = line.split_at(line.find(']').map_or(0, |i| i + 1));
        let object = match label {
            "[LINK]" => "link",
            "[ADDR]" => "address",
            "[ROUTE]" => "route",
            "[NEIGH]" => "neigh",
            "[RULE]" => "rule",
            "[NSID]" => "nsid",
            other => panic!("unexpected banner {other:?} in {line:?}"),
        };
        let deleted = rest.starts_with("Deleted ");
        events.push((object.to_string(), deleted, rest.to_string()));
    }
    events
}

/// `value` with the keys monitor events add (`object`, `deleted`) removed.
fn without_event_keys(value: &serde_json::Value) -> serde_json::Value {
    let mut v = value.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("object");
        o.remove("deleted");
    }
    v
}

#[test]
fn json_events_are_one_object_a_line_with_ips_show_keys() {
    let ns = namespace("mj");
    let w = start_all(
        &ns,
        &[
            ("ip", &["monitor", "all"]),
            ("rawnet", &["-j", "monitor", "all"]),
        ],
    );
    apply(&ns, ADD);
    apply(&ns, SENTINEL_ROUTE);
    let json_sentinel = "\"dst\":\"198.51.100.0/24\"";
    wait_until("both printed the first sentinel", || {
        up_to(&w[0].output(), SENTINEL).is_some() && up_to(&w[1].output(), json_sentinel).is_some()
    });
    // The state now, as `ip -j` shows it, and the last event of each object.
    let routes = ns.ip_json(&argv("route show table all"));
    let neighbours = ns.ip_json(&argv("neigh show"));
    let links = ns.ip_json(&argv("addr show"));
    let events: Vec<serde_json::Value> = up_to(&w[1].output(), json_sentinel)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let last = |object: &str, matches: &dyn Fn(&serde_json::Value) -> bool| {
        events
            .iter()
            .rev()
            .find(|e| e["object"] == object && matches(e))
            .map(without_event_keys)
    };
    for r in routes.as_array().expect("routes") {
        if r["dev"] == "lo" && r["dst"] != "198.51.100.0/24" {
            continue; // made when lo went up, before the monitors started
        }
        let same = |e: &serde_json::Value| {
            ["type", "dst", "dev", "table", "metric"]
                .iter()
                .all(|k| e[k] == r[k])
        };
        assert_eq!(last("route", &same).as_ref(), Some(r), "route {r}");
    }
    for n in neighbours.as_array().expect("neighbours") {
        let same = |e: &serde_json::Value| e["dst"] == n["dst"];
        assert_eq!(last("neigh", &same).as_ref(), Some(n), "neighbour {n}");
    }
    for l in links.as_array().expect("links") {
        if l["ifname"] == "lo" {
            continue; // up before the monitors started
        }
        // `ip addr show` adds the queue length and the addresses.
        let mut shown = l.clone();
        let object = shown.as_object_mut().expect("link object");
        object.remove("txqlen");
        let addresses = object.remove("addr_info").unwrap_or_default();
        let same = |e: &serde_json::Value| e["ifindex"] == l["ifindex"];
        assert_eq!(last("link", &same), Some(shown), "link {l}");
        for a in addresses.as_array().expect("addr_info") {
            if a["local"] != "10.1.0.1" && a["local"] != "fd00::1" {
                continue; // link-local addresses change as DAD runs
            }
            let same = |e: &serde_json::Value| e["local"] == a["local"];
            let mut event = last("address", &same).expect("address event");
            assert_eq!(event["index"], l["ifindex"]);
            assert_eq!(event["dev"], l["ifname"]);
            let fields = event.as_object_mut().expect("address object");
            fields.remove("index");
            fields.remove("dev");
            assert_eq!(&event, a, "address {a}");
        }
    }
    // Then the deletions: event for event, the JSON says what the text says.
    apply(&ns, REMOVE);
    ns.ip_ok(&argv("route del 198.51.100.0/24 dev lo"));
    apply(&ns, "route add 198.51.100.0/24 dev lo");
    // The sentinel route was added, deleted and added: three events.
    wait_until("both printed the last sentinel", || {
        up_to_nth(&w[0].output(), SENTINEL, 3).is_some()
            && up_to_nth(&w[1].output(), json_sentinel, 3).is_some()
    });
    let out = [
        up_to_nth(&w[0].output(), SENTINEL, 3).unwrap_or_default(),
        up_to_nth(&w[1].output(), json_sentinel, 3).unwrap_or_default(),
    ];
    let text = text_events(&without_netconf(&out[0]));
    let json: Vec<serde_json::Value> = out[1]
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(json.len(), text.len(), "one JSON line per event");
    for ((object, deleted, line), e) in text.iter().zip(&json) {
        assert_eq!(e["object"], object.as_str(), "{line} / {e}");
        assert_eq!(e["deleted"] == true, *deleted, "{line} / {e}");
        for key in ["dst", "dev", "ifname", "local", "gateway", "lladdr"] {
            if let Some(v) = e[key].as_str() {
                assert!(line.contains(v), "{key} {v} in {line}");
            }
        }
    }
    assert!(json
        .iter()
        .any(|e| e["deleted"] == true && e["object"] == "link"));
    for mut m in w {
        let end = m.terminate("-TERM");
        assert_eq!(end.signal(), Some(libc::SIGTERM), "{}: {end:?}", m.what);
    }
}

/// The rule changes of the rule and nsid comparisons, IPv4 and IPv6.
const RULES: &str = "
    rule add from 10.0.0.0/8 table 100 pref 100
    -6 rule add to fd00::/64 table 200
    rule add not fwmark 0x10/0xff iif lo lookup main pref 200
    rule add from 192.0.2.1 ipproto tcp dport 80-90 goto 32766 pref 300
    -6 rule add from fd00::1 sport 1000 table 7 pref 400
    rule del pref 100
    -6 rule del to fd00::/64 table 200
";
/// The last rule added: seen by every monitor of IPv4 rules.
const RULE_SENTINEL: &str = "9999:\tfrom all lookup 99";

/// Rule and namespace-id events as `ip monitor rule`, `nsid`, `all` and no
/// object print them: rules added and deleted, an id set (`netns set`), an
/// id the kernel picks (a veth peer in another namespace), and the ids
/// deleted as their namespaces go, one of them named before the monitors
/// started. Text, `-o`, `-d`, `-4`/`-6`; and `-j` event for event.
#[test]
fn rules_and_nsids_as_ip_monitor_prints_them() {
    let ns = namespace("mr");
    let before = TestNs::new("mrb"); // has an id before the monitors start
    let other = TestNs::new("mro"); // gets id 5
    let peer = TestNs::new("mrp"); // gets an id from a veth peer
    let last = TestNs::new("mrl"); // gets id 9, last of all
    ns.ip_ok(&["netns", "set", &before.name, "3"]);
    // Each monitor with the last line it hears.
    const NSID_9: &str = "nsid 9 ";
    let monitors: &[(&[&str], &str)] = &[
        (&["monitor", "rule"], RULE_SENTINEL),
        (&["monitor", "nsid"], NSID_9),
        (&["monitor", "all"], NSID_9),
        (&["monitor"], NSID_9),
        (&["-4", "monitor", "rule"], RULE_SENTINEL),
        (&["-6", "monitor", "label", "rule", "nsid"], NSID_9),
        (&["-o", "monitor", "label", "nsid", "ru"], NSID_9),
        (&["-d", "monitor", "rule"], RULE_SENTINEL),
        (&["monitor", "dev", "lo", "rule", "nsid"], NSID_9),
    ];
    let mut both = Vec::new();
    for (args, _) in monitors {
        both.push(("ip", *args));
        both.push(("rawnet", *args));
    }
    // And rawnet's JSON, checked against ip's text of `monitor all` above.
    both.push(("rawnet", &["-j", "monitor", "label", "rule", "nsid"]));
    let w = start_all(&ns, &both);
    apply(&ns, RULES);
    ns.ip_ok(&["netns", "set", &other.name, "5"]);
    ns.ip_ok(&[
        "link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", &peer.name,
    ]);
    ns.ip_ok(&argv("link del v0"));
    let gone = [before.name.clone(), other.name.clone(), peer.name.clone()];
    drop((before, other, peer));
    // The ids go when the namespaces are destroyed, after `netns del`
    // returns: wait for the three deletions before the last changes.
    let nsid_monitor = &w[2];
    wait_until("the three ids deleted", || {
        nsid_monitor.output().matches("Deleted nsid ").count() >= 3
    });
    ns.ip_ok(&argv("rule add table 99 pref 9999"));
    ns.ip_ok(&["netns", "set", &last.name, "9"]);
    for (i, (args, mark)) in monitors.iter().enumerate() {
        let pair = &w[2 * i..2 * i + 2];
        let out = outputs_up_to(pair, mark);
        let what = args.join(" ");
        assert_same_lines(&out[1], &without_netconf(&out[0]), &what);
        assert!(out[1].lines().count() > 1, "{what}: {}", out[1]);
        assert_eq!(pair[1].errors(), "", "rawnet {what} stderr");
    }
    // What `monitor all` printed: the rules, the ids with their names.
    let all = up_to(&w[5].output(), NSID_9).unwrap_or_default();
    let names = [gone[0].as_str(), gone[1].as_str(), gone[2].as_str()];
    for needle in [
        "[RULE]100:\tfrom 10.0.0.0/8 lookup 100\n".to_string(),
        "[RULE]32765:\tfrom all to fd00::/64 lookup 200\n".to_string(),
        "[RULE]200:\tnot from all fwmark 0x10/0xff iif lo lookup main\n".to_string(),
        "[RULE]Deleted 100:\tfrom 10.0.0.0/8 lookup 100\n".to_string(),
        format!("[NSID]nsid 5 (iproute2 netns name: {})\n", names[1]),
        format!("[NSID]Deleted nsid 3 (iproute2 netns name: {})\n", names[0]),
        format!("[NSID]Deleted nsid 5 (iproute2 netns name: {})\n", names[1]),
        format!("(iproute2 netns name: {})\n", names[2]),
        format!("[NSID]nsid 9 (iproute2 netns name: {})\n", last.name),
    ] {
        assert!(all.contains(&needle), "want {needle:?} in\n{all}");
    }
    // JSON: one object per event of ip's labelled rule and nsid text.
    let json_out = &w[2 * monitors.len()];
    let json_mark = "\"nsid\":9";
    wait_until("the JSON monitor printed id 9", || {
        up_to(&json_out.output(), json_mark).is_some()
    });
    // ip's side of `monitor all` (w[4]), its rule and id events.
    let text: Vec<_> = text_events(&without_netconf(
        &up_to(&w[4].output(), NSID_9).unwrap_or_default(),
    ))
    .into_iter()
    .filter(|e| e.0 == "rule" || e.0 == "nsid")
    .collect();
    let json: Vec<serde_json::Value> = up_to(&json_out.output(), json_mark)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(json.len(), text.len(), "one JSON line per event");
    for ((object, deleted, line), e) in text.iter().zip(&json) {
        assert_eq!(e["object"], object.as_str(), "{line} / {e}");
        assert_eq!(e["deleted"] == true, *deleted, "{line} / {e}");
        let rest = line.strip_prefix("Deleted ").unwrap_or(line);
        match object.as_str() {
            "rule" => assert!(
                rest.starts_with(&format!("{}:\t", e["priority"])),
                "{line} / {e}"
            ),
            _ => {
                assert!(
                    rest.starts_with(&format!("nsid {} ", e["nsid"])),
                    "{line} / {e}"
                );
                if let Some(name) = e["name"].as_str() {
                    assert!(line.ends_with(&format!("name: {name})")), "{line} / {e}");
                }
            }
        }
    }
    // The rules still there: their last event is what `ip -j rule show` shows.
    for family in ["-4", "-6"] {
        for r in ns
            .ip_json(&[family, "rule", "show"])
            .as_array()
            .expect("rules")
        {
            if [0, 32766, 32767].contains(&r["priority"].as_u64().unwrap_or(0)) {
                continue; // there from the start
            }
            let event = json
                .iter()
                .rev()
                .find(|e| e["object"] == "rule" && e["priority"] == r["priority"])
                .map(without_event_keys);
            assert_eq!(event.as_ref(), Some(r), "rule {r}");
        }
    }
    assert_eq!(json_out.errors(), "", "rawnet -j stderr");
}

#[test]
fn lost_events_are_said_and_the_state_dumped_again() {
    let ns = namespace("mb");
    let w = start_all(
        &ns,
        &[
            ("ip", &["monitor", "route"]),
            ("rawnet", &["monitor", "route"]),
        ],
    );
    // Stopped monitors read nothing while 10,000 routes are added: far more
    // notifications than a receive buffer holds.
    for m in &w {
        m.signal("-STOP");
    }
    let batch = std::env::temp_dir().join(format!("{}.batch", unique_name("mb")));
    let lines: String = (0..10_000u32)
        .map(|i| format!("route add 10.{}.{}.0/24 dev lo\n", i >> 8, i & 255))
        .collect();
    std::fs::write(&batch, lines).expect("write batch file");
    let added = ns.iproute2("ip", &["-batch", batch.to_str().unwrap_or_default()]);
    let _ = std::fs::remove_file(&batch);
    assert_success(&added, "ip -batch (10,000 routes)");
    let table = ns.ip_ok(&argv("route show table all"));
    assert!(table.lines().count() > 10_000, "routes in the namespace");
    for m in &w {
        m.signal("-CONT");
    }
    // rawnet says so, then prints the table as it is after the loss.
    let ip_says = "netlink receive error No buffer space available (105)";
    let rawnet_says = format!("{ip_says}; events were lost, dumping the current state again\n");
    wait_until("rawnet printed the table", || {
        w[1].output().lines().count() >= table.lines().count()
    });
    // ip reads on what was queued; the sentinel must find room.
    wait_until("both receive queues empty", || {
        listening_sockets(&ns).iter().all(|&queued| queued == 0)
    });
    assert_eq!(w[1].errors(), rawnet_says, "rawnet's stderr");
    apply(&ns, SENTINEL_ROUTE);
    let out = outputs_up_to(&w, SENTINEL);
    assert_eq!(w[0].errors(), format!("{ip_says}\n"), "ip's stderr");
    assert_eq!(w[1].errors(), rawnet_says, "rawnet's stderr");
    assert_same_lines(
        &out[1],
        &format!("{table}{SENTINEL}\n"),
        "rawnet after ENOBUFS",
    );
    // And it goes on.
    apply(&ns, "route del 10.0.0.0/24 dev lo");
    wait_until("the next event", || {
        w[1].output()
            .ends_with("Deleted 10.0.0.0/24 dev lo scope link \n")
    });
}

#[test]
fn a_closed_pipe_ends_it_as_sigpipe_ends_ip() {
    let ns = namespace("mp");
    let mut children = Vec::new();
    for program in ["ip", env!("CARGO_BIN_EXE_rawnet")] {
        let child = Command::new(program)
            .args(["-n", &ns.name, "monitor", "route"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start monitor");
        children.push(KilledOnDrop(child));
    }
    wait_until("both listening", || listening_sockets(&ns).len() >= 2);
    // Nobody reads: closing the pipe's only read end makes the next write
    // fail. Routes come and go until both have tried to write and ended.
    for c in &mut children {
        drop(c.0.stdout.take());
    }
    let mut ends: Vec<Option<ExitStatus>> = vec![None, None];
    let deadline = Instant::now() + PATIENCE;
    while ends.iter().any(Option::is_none) {
        assert!(Instant::now() < deadline, "still running: {ends:?}");
        apply(&ns, SENTINEL_ROUTE);
        apply(&ns, "route del 198.51.100.0/24 dev lo");
        for (c, end) in children.iter_mut().zip(&mut ends) {
            if end.is_none() {
                *end = c.0.try_wait().expect("wait for monitor");
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let signals: Vec<Option<i32>> = ends.iter().map(|e| e.and_then(|s| s.signal())).collect();
    assert_eq!(signals, vec![Some(libc::SIGPIPE), Some(libc::SIGPIPE)]);
}

/// A child killed (by its PID) when the test ends, however it ends.
struct KilledOnDrop(Child);

impl Drop for KilledOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn bad_words_fail_as_ip_fails() {
    let ns = TestNs::new("mx");
    assert_fails_as_iproute2(
        &ns,
        "ip",
        &["monitor", "neighbour"],
        255,
        "Argument \"neighbour\" is unknown, try \"rawnet monitor help\".",
    );
    let out = ns.rawnet(&argv("monitor dev nosuch0"));
    let theirs = ns.iproute2("ip", &argv("monitor dev nosuch0"));
    assert_eq!(out.status.code(), Some(255));
    assert_eq!(out.stderr, theirs.stderr);
    assert_eq!(out.status.code(), theirs.status.code());
    assert_fails(
        &ns.rawnet(&argv("monitor netconf")),
        255,
        "Error: monitor \"netconf\" is not supported by rawnet",
    );
}

#[test]
fn a_gone_device_may_be_named_or_numbered_on_either_side() {
    let named = "Deleted 4: v1    inet6 fe80::1/64 scope link tentative ";
    let numbered = "Deleted 4: if4    inet6 fe80::1/64 scope link tentative ";
    assert!(same_but_a_gone_device(named, numbered));
    assert!(same_but_a_gone_device(numbered, named));
    assert!(same_but_a_gone_device(
        "10.1.0.2 dev v0 lladdr 02:00:00:00:00:02 PERMANENT",
        "10.1.0.2 dev if3 lladdr 02:00:00:00:00:02 PERMANENT"
    ));
    // Only the device's word may differ, and only to an index.
    assert!(!same_but_a_gone_device(
        "Deleted 4: v1    inet6 fe80::1/64",
        "Deleted 4: v2    inet6 fe80::1/64"
    ));
    assert!(!same_but_a_gone_device(
        "Deleted 4: v1    inet6 fe80::1/64",
        "Deleted 5: if5    inet6 fe80::1/64"
    ));
}
