//! The issue's lab, command by command, through the rawnet binary as a user
//! types it. A `TestNs` "host" namespace stands in for the root namespace (so
//! the first commands carry `-n HOST`); NS0 and NS1 are made by `rawnet netns
//! add` under unique names, each behind a guard that deletes it on drop, so a
//! failing test leaves nothing behind and the tests run in parallel with the
//! rest of the suite.
//!
//! After each stage the result is read back with iproute2 (`ip -n NS -j ...`:
//! which links are where, flags, addresses with prefix lengths, routes with
//! dst/dev/scope), and the other way round: `rawnet -n NS -j addr/route/link
//! show` must equal `ip -n NS -j ...` for the same namespace. Pings are bounded
//! by `-c`/`-W` and, in case of a hang, by a watchdog that kills the child.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{assert_fails, unique_name, TestNs};
use serde_json::Value;

const RAWNET: &str = env!("CARGO_BIN_EXE_rawnet");

/// No command here may take longer than this (the slowest, a lost ping with
/// `-W 1`, takes about a second).
const WATCHDOG: Duration = Duration::from_secs(30);

/// A namespace made by `rawnet netns add NAME` (not by `ip`). The guard exists
/// before the command runs, so `ip netns del` happens on drop whatever fails.
fn rawnet_netns(tag: &str) -> TestNs {
    let ns = TestNs {
        name: unique_name(tag),
    };
    let out = common::rawnet(&["netns", "add", &ns.name]);
    common::assert_success(&out, &format!("rawnet netns add {}", ns.name));
    assert!(
        Path::new("/run/netns").join(&ns.name).exists(),
        "rawnet netns add {}: no /run/netns entry",
        ns.name
    );
    ns
}

/// Run `cmd` to completion, killing it (and failing) after [`WATCHDOG`].
fn bounded(mut cmd: Command) -> Output {
    let what = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    // Drain the pipes on threads so a chatty child cannot block on a full pipe.
    let mut out_pipe = child.stdout.take().expect("stdout piped");
    let mut err_pipe = child.stderr.take().expect("stderr piped");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out_pipe.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err_pipe.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for child") {
            break status;
        }
        if start.elapsed() > WATCHDOG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {WATCHDOG:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: out_reader.join().expect("stdout reader"),
        stderr: err_reader.join().expect("stderr reader"),
    }
}

/// `rawnet -n NS ping ARGS...`, under the watchdog.
fn rawnet_ping(ns: &TestNs, args: &[&str]) -> Output {
    let mut cmd = Command::new(RAWNET);
    cmd.args(["-n", &ns.name, "ping"]).args(args);
    bounded(cmd)
}

/// iputils' `ping ARGS...` inside NS (`ip netns exec`), under the watchdog.
fn iputils_ping(ns: &TestNs, args: &[&str]) -> Output {
    let mut cmd = Command::new("ip");
    cmd.args(["netns", "exec", &ns.name, "ping"]).args(args);
    let out = bounded(cmd);
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("exec of \"ping\" failed"),
        "these tests compare with iputils' ping, which is not installed"
    );
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The `N packets transmitted, ...` line of ping's summary.
fn summary(out: &Output) -> String {
    text(&out.stdout)
        .lines()
        .find(|l| l.contains("packets transmitted"))
        .unwrap_or_default()
        .to_string()
}

// ---- iproute2's view ----

fn links(ns: &TestNs) -> Vec<Value> {
    ns.ip_json(&["link", "show"])
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn link_names(ns: &TestNs) -> Vec<String> {
    links(ns)
        .iter()
        .map(|l| l["ifname"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn link(ns: &TestNs, dev: &str) -> Value {
    links(ns)
        .into_iter()
        .find(|l| l["ifname"] == dev)
        .unwrap_or_else(|| panic!("no {dev} in {}", ns.name))
}

fn flags(v: &Value) -> Vec<String> {
    v["flags"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn is_up(v: &Value) -> bool {
    flags(v).iter().any(|f| f == "UP")
}

/// `(local, prefixlen)` of DEV's addresses of `family` ("inet" / "inet6"),
/// link-local ones left out.
fn addrs(ns: &TestNs, dev: &str, family: &str) -> Vec<(String, u64)> {
    let shown = ns.ip_json(&["addr", "show", "dev", dev]);
    shown[0]["addr_info"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|i| i["family"] == family && i["scope"] != "link")
                .map(|i| {
                    (
                        i["local"].as_str().unwrap_or_default().to_string(),
                        i["prefixlen"].as_u64().unwrap_or(999),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn routes(ns: &TestNs, args: &[&str]) -> Vec<Value> {
    let mut all = args.to_vec();
    all.extend(["route", "show"]);
    ns.ip_json(&all).as_array().cloned().unwrap_or_default()
}

fn route_dsts(ns: &TestNs) -> Vec<String> {
    routes(ns, &[])
        .iter()
        .map(|r| r["dst"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The main-table IPv4 route to `dst`: it exists, through `dev`, with `scope`.
fn assert_route(ns: &TestNs, dst: &str, dev: &str, scope: &str) -> Value {
    let all = routes(ns, &[]);
    let r = all
        .iter()
        .find(|r| r["dst"] == dst)
        .unwrap_or_else(|| panic!("no route to {dst} in {}: {all:?}", ns.name))
        .clone();
    assert_eq!(r["dev"], dev, "{r}");
    assert_eq!(r["scope"], scope, "{r}");
    r
}

/// Wait (bounded) until DEV's carrier is up, as `ip` sees it.
fn wait_running(ns: &TestNs, dev: &str) {
    for _ in 0..250 {
        let l = link(ns, dev);
        if l["operstate"] == "UP" && flags(&l).iter().any(|f| f == "LOWER_UP") {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{dev} in {} did not come up: {}", ns.name, link(ns, dev));
}

// ---- rawnet vs iproute2 ----

/// `rawnet -n NS ARGS` prints what `ip -n NS ARGS` prints (JSON compared as
/// parsed values when `json`). The kernel may change something between the two
/// reads (an IPv6 link-local address finishing DAD, a carrier coming up), so
/// `ip` is asked before and after and only a stable answer is compared.
fn assert_agree(ns: &TestNs, args: &[&str], json: bool) {
    let ip = |ns: &TestNs| -> Value {
        if json {
            ns.ip_json(args)
        } else {
            Value::String(ns.ip_ok(args))
        }
    };
    let ours = |ns: &TestNs| -> Value {
        if json {
            ns.rawnet_json(args)
        } else {
            Value::String(ns.rawnet_ok(args))
        }
    };
    for _ in 0..50 {
        let before = ip(ns);
        let got = ours(ns);
        let after = ip(ns);
        if before == after {
            assert_eq!(
                got,
                before,
                "rawnet -n {} {}{} differs from ip",
                ns.name,
                if json { "-j " } else { "" },
                args.join(" ")
            );
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{} kept changing: cannot compare {args:?}", ns.name);
}

/// `rawnet -j` and `ip -j` agree on links, addresses and routes of NS.
fn cross_check(ns: &TestNs) {
    for args in [
        &["link", "show"][..],
        &["addr", "show"],
        &["-6", "addr", "show"],
        &["route", "show"],
        &["-6", "route", "show"],
    ] {
        assert_agree(ns, args, true);
    }
}

/// Names listed by `ip netns list` (which may append ` (id: N)`).
fn ip_netns_names() -> Vec<String> {
    common::ip_ok(&["netns", "list"])
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect()
}

fn rawnet_netns_names() -> Vec<String> {
    let out = common::rawnet(&["netns", "list"]);
    common::assert_success(&out, "rawnet netns list");
    text(&out.stdout).lines().map(String::from).collect()
}

/// The lab of the issue: two subnets, one veth pair, a route on each side.
#[test]
fn issue_lab_two_subnets() {
    let host = TestNs::new("wh");

    // Both ends in the "host", addressed and up.
    host.rawnet_ok(&[
        "link", "add", "veth0", "type", "veth", "peer", "name", "veth1",
    ]);
    assert_eq!(link_names(&host), ["lo", "veth1", "veth0"]);
    assert_eq!(link(&host, "veth0")["link"], "veth1");
    assert_eq!(link(&host, "veth1")["link"], "veth0");
    assert!(!is_up(&link(&host, "veth0")));
    host.rawnet_ok(&["addr", "add", "10.0.1.100/24", "dev", "veth0"]);
    host.rawnet_ok(&["addr", "add", "10.0.2.100/24", "dev", "veth1"]);
    assert_eq!(
        addrs(&host, "veth0", "inet"),
        [("10.0.1.100".to_string(), 24)]
    );
    assert_eq!(
        addrs(&host, "veth1", "inet"),
        [("10.0.2.100".to_string(), 24)]
    );
    host.rawnet_ok(&["link", "set", "veth0", "up"]);
    host.rawnet_ok(&["link", "set", "veth1", "up"]);
    assert!(is_up(&link(&host, "veth0")));
    assert!(is_up(&link(&host, "veth1")));
    let r = assert_route(&host, "10.0.1.0/24", "veth0", "link");
    assert_eq!(r["prefsrc"], "10.0.1.100");
    assert_eq!(r["protocol"], "kernel");
    assert_route(&host, "10.0.2.0/24", "veth1", "link");
    cross_check(&host);

    // Two namespaces, made by rawnet and seen by both tools.
    let ns0 = rawnet_netns("w0");
    let ns1 = rawnet_netns("w1");
    for listing in [rawnet_netns_names(), ip_netns_names()] {
        assert!(listing.contains(&ns0.name), "{listing:?}");
        assert!(listing.contains(&ns1.name), "{listing:?}");
    }
    assert_eq!(link_names(&ns0), ["lo"]);
    assert_eq!(link_names(&ns1), ["lo"]);
    // A fresh namespace: no main table yet, and still an empty answer.
    assert_eq!(ns0.rawnet_ok(&["route", "show"]), "");
    cross_check(&ns0);

    // Each end into its namespace: it arrives down and without its addresses.
    host.rawnet_ok(&["link", "set", "veth0", "netns", &ns0.name]);
    assert_eq!(link_names(&host), ["lo", "veth1"]);
    assert_eq!(link_names(&ns0), ["lo", "veth0"]);
    let moved = ns0.ip_json(&["addr", "show", "dev", "veth0"]);
    assert!(!is_up(&moved[0]), "arrives down: {moved}");
    assert_eq!(moved[0]["addr_info"], Value::Array(vec![]), "{moved}");
    assert!(
        !route_dsts(&host).contains(&"10.0.1.0/24".to_string()),
        "the route left with the address"
    );
    host.rawnet_ok(&["link", "set", "veth1", "netns", &ns1.name]);
    assert_eq!(link_names(&host), ["lo"]);
    assert_eq!(link_names(&ns1), ["lo", "veth1"]);
    let moved = ns1.ip_json(&["addr", "show", "dev", "veth1"]);
    assert!(!is_up(&moved[0]), "arrives down: {moved}");
    assert_eq!(moved[0]["addr_info"], Value::Array(vec![]), "{moved}");
    assert_eq!(routes(&host, &[]), Vec::<Value>::new());
    for ns in [&host, &ns0, &ns1] {
        cross_check(ns);
    }

    // Addresses again, links up: each side knows its own subnet only.
    ns0.rawnet_ok(&["addr", "add", "10.0.1.100/24", "dev", "veth0"]);
    ns1.rawnet_ok(&["addr", "add", "10.0.2.100/24", "dev", "veth1"]);
    ns0.rawnet_ok(&["link", "set", "veth0", "up"]);
    ns1.rawnet_ok(&["link", "set", "veth1", "up"]);
    assert_eq!(
        addrs(&ns0, "veth0", "inet"),
        [("10.0.1.100".to_string(), 24)]
    );
    assert_eq!(
        addrs(&ns1, "veth1", "inet"),
        [("10.0.2.100".to_string(), 24)]
    );
    wait_running(&ns0, "veth0");
    wait_running(&ns1, "veth1");
    assert_route(&ns0, "10.0.1.0/24", "veth0", "link");
    assert_route(&ns1, "10.0.2.0/24", "veth1", "link");
    assert_eq!(route_dsts(&ns0), ["10.0.1.0/24"]);
    assert_eq!(route_dsts(&ns1), ["10.0.2.0/24"]);
    cross_check(&ns0);
    cross_check(&ns1);

    // No route to the other subnet: refused at connect, as iputils does.
    let out = rawnet_ping(&ns0, &["-c", "1", "10.0.2.100"]);
    assert_fails(&out, 2, "ping: connect: Network is unreachable");
    assert_eq!(text(&out.stderr), "ping: connect: Network is unreachable\n");
    let theirs = iputils_ping(&ns0, &["-c", "1", "10.0.2.100"]);
    assert_eq!(out.status.code(), theirs.status.code());
    assert_eq!(text(&out.stderr), text(&theirs.stderr));
    assert_eq!(text(&out.stdout), text(&theirs.stdout));

    // A route out, but none back: the request leaves, no reply comes.
    ns0.rawnet_ok(&["route", "add", "10.0.2.0/24", "dev", "veth0"]);
    assert_route(&ns0, "10.0.2.0/24", "veth0", "link");
    cross_check(&ns0);
    let out = rawnet_ping(&ns0, &["-c", "1", "-W", "1", "10.0.2.100"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        summary(&out).starts_with("1 packets transmitted, 0 received, 100% packet loss"),
        "{}",
        text(&out.stdout)
    );
    let theirs = iputils_ping(&ns0, &["-c", "1", "-W", "1", "10.0.2.100"]);
    assert_eq!(out.status.code(), theirs.status.code());
    assert!(summary(&theirs).starts_with("1 packets transmitted, 0 received, 100% packet loss"));

    // The route back: three requests, three replies.
    ns1.rawnet_ok(&["route", "add", "10.0.1.0/24", "dev", "veth1"]);
    assert_route(&ns1, "10.0.1.0/24", "veth1", "link");
    cross_check(&ns1);
    let out = rawnet_ping(&ns0, &["-c", "3", "-i", "0.2", "10.0.2.100"]);
    common::assert_success(&out, "rawnet ping -c 3 -i 0.2 10.0.2.100");
    assert!(
        summary(&out).starts_with("3 packets transmitted, 3 received, 0% packet loss"),
        "{}",
        text(&out.stdout)
    );
    assert!(text(&out.stdout).starts_with("PING 10.0.2.100 (10.0.2.100) 56(84) bytes of data.\n"));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));

    // The finished lab, as both tools print it (text too).
    for ns in [&ns0, &ns1] {
        cross_check(ns);
        assert_agree(ns, &["addr", "show"], false);
        assert_agree(ns, &["route", "show"], false);
        assert_agree(ns, &["link", "show"], false);
    }
    assert_eq!(link_names(&host), ["lo"]);

    // Cleaning up with rawnet.
    for ns in [&ns0, &ns1] {
        let out = common::rawnet(&["netns", "del", &ns.name]);
        common::assert_success(&out, &format!("rawnet netns del {}", ns.name));
        assert!(!Path::new("/run/netns").join(&ns.name).exists());
    }
    for listing in [rawnet_netns_names(), ip_netns_names()] {
        assert!(!listing.contains(&ns0.name), "{listing:?}");
        assert!(!listing.contains(&ns1.name), "{listing:?}");
    }
    assert!(rawnet_netns_names().contains(&host.name));
}

/// Both ends in one subnet: no route needed. Also the short forms
/// (`l s veth0 up`, `a`, `r`) and a pair made with its peer in place.
#[test]
fn one_subnet_needs_no_route() {
    let ns0 = rawnet_netns("w2");
    let ns1 = rawnet_netns("w3");
    ns0.rawnet_ok(&[
        "link", "add", "veth0", "type", "veth", "peer", "name", "veth1", "netns", &ns1.name,
    ]);
    assert_eq!(link_names(&ns0), ["lo", "veth0"]);
    assert_eq!(link_names(&ns1), ["lo", "veth1"]);
    ns0.rawnet_ok(&["addr", "add", "10.0.0.1/24", "dev", "veth0"]);
    ns1.rawnet_ok(&["a", "a", "10.0.0.2/24", "dev", "veth1"]);
    ns0.rawnet_ok(&["l", "s", "veth0", "up"]);
    ns1.rawnet_ok(&["l", "s", "veth1", "up"]);
    assert!(is_up(&link(&ns0, "veth0")));
    assert!(is_up(&link(&ns1, "veth1")));
    assert_eq!(addrs(&ns0, "veth0", "inet"), [("10.0.0.1".to_string(), 24)]);
    assert_eq!(addrs(&ns1, "veth1", "inet"), [("10.0.0.2".to_string(), 24)]);
    wait_running(&ns0, "veth0");
    wait_running(&ns1, "veth1");
    assert_eq!(route_dsts(&ns0), ["10.0.0.0/24"]);
    assert_eq!(route_dsts(&ns1), ["10.0.0.0/24"]);
    assert_route(&ns0, "10.0.0.0/24", "veth0", "link");

    let out = rawnet_ping(&ns0, &["-c", "3", "-i", "0.2", "-W", "1", "10.0.0.2"]);
    common::assert_success(&out, "rawnet ping 10.0.0.2");
    assert!(
        summary(&out).starts_with("3 packets transmitted, 3 received, 0% packet loss"),
        "{}",
        text(&out.stdout)
    );
    let out = rawnet_ping(&ns1, &["-c", "1", "-W", "1", "10.0.0.1"]);
    common::assert_success(&out, "rawnet ping 10.0.0.1");

    // `a` is `address show`, `r` is `route show`; both as iproute2 prints them.
    for ns in [&ns0, &ns1] {
        assert_eq!(ns.rawnet_ok(&["r"]), ns.rawnet_ok(&["route", "show"]));
        assert_agree(ns, &["r"], false);
        assert_agree(ns, &["a"], false);
        assert_agree(ns, &["address", "show"], false);
        assert_agree(ns, &["a"], true);
        cross_check(ns);
    }
}

/// The lab in IPv6: `nodad` addresses in one /64, no route needed.
#[test]
fn ipv6_variant() {
    let ns0 = rawnet_netns("w4");
    let ns1 = rawnet_netns("w5");
    ns0.rawnet_ok(&[
        "link", "add", "veth0", "type", "veth", "peer", "name", "veth1",
    ]);
    ns0.rawnet_ok(&["link", "set", "veth1", "netns", &ns1.name]);
    ns0.rawnet_ok(&["addr", "add", "fd00::1/64", "dev", "veth0", "nodad"]);
    ns1.rawnet_ok(&["addr", "add", "fd00::2/64", "dev", "veth1", "nodad"]);
    ns0.rawnet_ok(&["link", "set", "veth0", "up"]);
    ns1.rawnet_ok(&["link", "set", "veth1", "up"]);
    wait_running(&ns0, "veth0");
    wait_running(&ns1, "veth1");
    assert_eq!(addrs(&ns0, "veth0", "inet6"), [("fd00::1".to_string(), 64)]);
    assert_eq!(addrs(&ns1, "veth1", "inet6"), [("fd00::2".to_string(), 64)]);
    let shown = ns0.ip_json(&["-6", "addr", "show", "dev", "veth0"]);
    let fd00 = shown[0]["addr_info"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["local"] == "fd00::1"))
        .unwrap_or_else(|| panic!("no fd00::1: {shown}"))
        .clone();
    assert_eq!(fd00["nodad"], true, "{fd00}");
    assert!(fd00.get("tentative").is_none(), "nodad: {fd00}");
    let r = routes(&ns0, &["-6"]);
    assert!(
        r.iter()
            .any(|r| r["dst"] == "fd00::/64" && r["dev"] == "veth0"),
        "{r:?}"
    );

    let out = rawnet_ping(&ns0, &["-c", "3", "-i", "0.2", "-W", "1", "fd00::2"]);
    common::assert_success(&out, "rawnet ping fd00::2");
    assert!(
        summary(&out).starts_with("3 packets transmitted, 3 received, 0% packet loss"),
        "{}",
        text(&out.stdout)
    );

    for ns in [&ns0, &ns1] {
        assert_agree(ns, &["-6", "addr", "show"], true);
        assert_agree(ns, &["-6", "addr", "show"], false);
        assert_agree(ns, &["-6", "route", "show"], true);
        cross_check(ns);
    }
    // No IPv4 anywhere: the main table was never made, `route show` is still empty.
    assert_eq!(ns0.rawnet_ok(&["route", "show"]), "");
    assert_eq!(ns0.rawnet_json(&["route", "show"]), Value::Array(vec![]));
}
