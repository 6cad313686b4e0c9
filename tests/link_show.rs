//! `rawnet link show` against `ip link show` (iproute2 6.1), byte for byte:
//! text, `-j`, `-j -p`, `-o`, `-br`, `-s`, `-s -s` and `-d`, with the
//! selectors (`dev`, `up`, `type`, `master`, `nomaster`, `group`), for a
//! namespace holding veth pairs (one with its peer in another namespace),
//! a bridge with ports, vxlan, macvlan, tun and tap devices, alternative
//! names, an alias and links that are down.

mod common;

use std::process::{Command, Output};

use common::{argv, TestNs};

/// The namespaces of the comparisons: the links above, and the one that
/// holds the far end of `vo0`.
struct Setup {
    ns: TestNs,
    _peer_ns: TestNs,
}

fn setup(tag: &str) -> Setup {
    let ns = TestNs::new(tag);
    let peer_ns = TestNs::new(&format!("{tag}p"));
    for line in [
        "link set lo up",
        "link add veth0 type veth peer name veth1",
        "link set veth0 up",
        "link property add dev veth0 altname veth0-alternative-name-long",
        "link property add dev veth0 altname v0alt",
        "link add br0 type bridge",
        "link add veth2 type veth peer name veth3",
        "link set veth2 master br0",
        "link set veth3 master br0",
        "link set br0 up",
        "link set veth2 up",
        "link add vx0 type vxlan id 42 dstport 4789 dev veth0 remote 10.0.0.2",
        "link add mv0 link veth0 type macvlan mode bridge",
        "tuntap add dev tap0 mode tap",
        "tuntap add dev tap1 mode tap user 0 group 0 vnet_hdr",
        "tuntap add dev tun0 mode tun multi_queue",
    ] {
        ns.ip_ok(&argv(line));
    }
    ns.ip_ok(&["link", "set", "veth1", "alias", "peer of veth0"]);
    ns.ip_ok(&argv(&format!(
        "link add vo0 group 7 type veth peer name vo1 netns {}",
        peer_ns.name
    )));
    ns.ip_ok(&argv("link set vo0 up"));
    Setup {
        ns,
        _peer_ns: peer_ns,
    }
}

fn run(program: &str, ns: &TestNs, args: &[&str]) -> Output {
    let bin = if program == "ip" {
        "ip"
    } else {
        env!("CARGO_BIN_EXE_rawnet")
    };
    Command::new(bin)
        .args(["-n", &ns.name])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run {program}: {e}"))
}

/// The bridge's garbage collection timer runs: its value is the one thing
/// that differs between two shows a moment apart.
fn mask_timers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("gc_timer") {
        let after = at + "gc_timer".len();
        out.push_str(&rest[..after]);
        let tail = &rest[after..];
        let skip = tail
            .find(|c: char| !(c == ' ' || c == '"' || c == ':' || c == '.' || c.is_ascii_digit()))
            .unwrap_or(tail.len());
        out.push_str(" T");
        rest = &tail[skip..];
    }
    out.push_str(rest);
    out
}

/// rawnet prints what ip prints for `args`, exits as it does, and (when
/// both fail) says the same on stderr.
///
/// Up to three tries: other tests add and remove namespaces at the same
/// time, and `ip` then may not find a name for a namespace id (`link-netns
/// NAME`) or complain on stderr about one that went away while it looked.
fn same(ns: &TestNs, args: &[&str]) {
    let mut last = String::new();
    for _ in 0..3 {
        match differences(ns, args) {
            None => return,
            Some(d) => last = d,
        }
    }
    panic!("{last}");
}

fn differences(ns: &TestNs, args: &[&str]) -> Option<String> {
    let theirs = run("ip", ns, args);
    let ours = run("rawnet", ns, args);
    let line = args.join(" ");
    if ours.status.code() != theirs.status.code() {
        return Some(format!(
            "{line}: exit status {:?}, ip {:?}; stderr: {}",
            ours.status.code(),
            theirs.status.code(),
            String::from_utf8_lossy(&ours.stderr)
        ));
    }
    let (o, t) = (
        mask_timers(&String::from_utf8_lossy(&ours.stdout)),
        mask_timers(&String::from_utf8_lossy(&theirs.stdout)),
    );
    if o != t {
        return Some(format!("rawnet {line}:\n{o}\nip:\n{t}"));
    }
    let (oe, te) = (
        String::from_utf8_lossy(&ours.stderr),
        String::from_utf8_lossy(&theirs.stderr),
    );
    if !theirs.status.success() && !args.contains(&"help") && oe.trim_end() != te.trim_end() {
        return Some(format!("{line}: stderr {oe:?}, ip {te:?}"));
    }
    None
}

/// Every output form of each command line.
fn same_in_every_form(ns: &TestNs, line: &str) {
    for form in ["", "-j", "-j -p", "-o", "-d", "-d -j", "-br", "-br -j"] {
        let full = format!("{form} {line}");
        same(ns, &argv(&full));
    }
}

#[test]
fn show_and_selectors_as_ip() {
    let s = setup("lsh");
    for line in [
        "link show",
        "link show veth0",
        "link show dev veth1",
        "link show v0alt",
        "link show veth0-alternative-name-long",
        "link show up",
        "link show veth0 up",
        "link show veth1 up",
        "link show type veth",
        "link show type veth up",
        "link show type bridge_slave",
        "link show type tun",
        "link show type nosuchkind",
        "link show master br0",
        "link show nomaster",
        "link show nomaster type veth",
        "link show veth2 nomaster",
        "link show group 7",
        "link show group default up",
        "link show group 7 vo0",
        "link show group 7 veth0",
        "l sh vo0",
        "link lst type macvlan",
    ] {
        same_in_every_form(&s.ns, line);
    }
}

#[test]
fn details_of_each_kind_as_ip() {
    let s = setup("lshd");
    for dev in [
        "veth0", "veth1", "br0", "veth2", "veth3", "vx0", "mv0", "tap0", "tap1", "tun0", "vo0",
    ] {
        for form in ["-d", "-d -j", "-d -j -p", "-d -o"] {
            same(&s.ns, &argv(&format!("{form} link show {dev}")));
        }
    }
}

#[test]
fn statistics_as_ip() {
    let s = setup("lshs");
    // Traffic on lo, so that some counters are not zero (and, for `-h`,
    // some in the thousands and some in the millions): nothing else in the
    // namespace has a carrier.
    let out = Command::new("ip")
        .args(["netns", "exec", &s.ns.name, "bash", "-c"])
        .arg(
            "for i in $(seq 200); do echo x > /dev/udp/127.0.0.1/9; done; \
             for i in $(seq 40); do head -c 60000 /dev/zero > /dev/udp/127.0.0.1/9; \
             done 2>/dev/null; true",
        )
        .output()
        .expect("bash");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lo = s.ns.ip_json(&argv("-s link show lo"));
    assert!(
        lo[0]["stats64"]["tx"]["packets"].as_u64() >= Some(200),
        "{lo}"
    );
    for line in [
        "-s link show",
        "-s -s link show",
        "-s -j link show",
        "-s -s -j link show",
        "-s -s -j -p link show",
        "-o -s -s link show",
        "-s -d link show",
        "-s -s link show lo",
        "-s link show type veth",
        "-br -s link show",
        "-h -s link show",
        "-h -s -s link show lo",
        "-h -iec -s link show",
        "-human-readable -iec -s -s -o link show",
        "-hu -s -j link show",
        "-iec -s link show lo",
        "-h link show",
        "--human --iec -s link show lo",
    ] {
        same(&s.ns, &argv(line));
    }
}

#[test]
fn bad_selectors_fail_as_ip() {
    let s = setup("lshe");
    for line in [
        "link show nosuch",
        "link show group foo",
        "link show vrf veth0",
        "link show vrf nosuch",
        "link show master nosuch",
        "link show master nosuch group foo",
        "link show type",
        "link show group",
        "link show dev",
        "link show veth0 veth1",
        "link show veth0 down",
        "link show help",
    ] {
        same(&s.ns, &argv(line));
    }
}

/// Hundreds of links: the dump spans many datagrams, and the links a row
/// names (peers, masters) are found wherever they are.
#[test]
fn many_links_as_ip() {
    let ns = TestNs::new("lshm");
    let mut batch = String::from("link add brm type bridge\n");
    for i in 0..150 {
        batch += &format!("link add m{i} type veth peer name n{i}\n");
        if i % 2 == 0 {
            batch += &format!("link set n{i} master brm\nlink set m{i} up\n");
        }
    }
    let mut child = Command::new("ip")
        .args(["-n", &ns.name, "-batch", "-"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("ip -batch");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(batch.as_bytes())
        .expect("write batch");
    assert!(child.wait().expect("ip -batch ends").success());
    for line in [
        "link show",
        "-s -s link show",
        "-j -s link show",
        "-br link show",
        "-br -j link show",
        "-o link show",
        "-j link show up",
        "-j link show type bridge_slave",
        "link show master brm",
    ] {
        same(&ns, &argv(line));
    }
}
