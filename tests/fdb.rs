//! `rawnet fdb` against iproute2's `bridge fdb`, inside namespaces made by
//! `TestNs`: vxlan (`self`) entries of an overlay, bridge-port (`master`)
//! entries, entries `bridge` made printed identically by rawnet, and bad
//! input failing with one line, `bridge`'s exit status, and nothing created.
//!
//! veth1, the peer of the underlay and bridge port veth0, stays down: no
//! frames arrive, so the bridge learns nothing while a test compares.

mod common;

use common::{argv, assert_fails, assert_fails_as_iproute2, assert_same_output, TestNs};
use serde_json::Value;

/// A namespace with veth0 (up, no carrier), vx0 (vxlan 42 over veth0) and br0.
fn fdb_ns(tag: &str) -> TestNs {
    let ns = TestNs::with_idle_veth(tag);
    ns.ip_ok(&argv(
        "link add vx0 type vxlan id 42 dstport 4789 dev veth0 nolearning",
    ));
    ns.ip_ok(&["link", "set", "vx0", "up"]);
    ns.ip_ok(&["link", "add", "br0", "type", "bridge"]);
    ns
}

/// `bridge -n NS -j ARGS...`, parsed.
fn bridge_json(ns: &TestNs, args: &[&str]) -> Value {
    ns.iproute2_json("bridge", args)
}

/// The entries of `mac`, in order.
fn entries<'a>(all: &'a Value, mac: &str) -> Vec<&'a Value> {
    all.as_array()
        .map(|a| a.iter().filter(|e| e["mac"] == mac).collect())
        .unwrap_or_default()
}

#[test]
fn vxlan_overlay_entries_show_in_bridge() {
    let ns = fdb_ns("fv");
    for line in [
        // What a flannel-style overlay installs: a flood entry per remote, and
        // per-MAC entries pointing at their host.
        "fdb append 00:00:00:00:00:00 dev vx0 dst 192.168.50.3 self permanent",
        "fdb append 00:00:00:00:00:00 dev vx0 dst 192.168.50.4 self permanent",
        "fdb add 02:00:00:00:00:09 dev vx0 dst 192.168.50.2 self permanent",
        // Defaults (self, permanent), a VNI and a port of its own.
        "fdb add 02:00:00:00:00:0a dev vx0 dst 192.168.50.2 vni 43 port 4790",
    ] {
        ns.rawnet_ok(&argv(line));
    }

    let shown = bridge_json(&ns, &["fdb", "show", "dev", "vx0"]);
    let flood = entries(&shown, "00:00:00:00:00:00");
    let remotes: Vec<&str> = flood.iter().filter_map(|e| e["dst"].as_str()).collect();
    let mut sorted = remotes.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["192.168.50.3", "192.168.50.4"]);
    for e in &flood {
        assert_eq!(e["flags"], serde_json::json!(["self"]));
        assert_eq!(e["state"], "permanent");
    }
    let one = entries(&shown, "02:00:00:00:00:09");
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["dst"], "192.168.50.2");
    assert_eq!(one[0]["state"], "permanent");
    let own = entries(&shown, "02:00:00:00:00:0a");
    assert_eq!(own[0]["vni"], 43);
    assert_eq!(own[0]["port"], 4790);
    assert_eq!(own[0]["flags"], serde_json::json!(["self"]));

    // add refuses a second entry; append takes another remote.
    assert_fails(
        &ns.rawnet(&argv(
            "fdb add 02:00:00:00:00:09 dev vx0 dst 192.168.50.2 self",
        )),
        255,
        "RTNETLINK answers: File exists",
    );

    // del with dst removes that remote only; without, the whole entry.
    ns.rawnet_ok(&argv(
        "fdb del 00:00:00:00:00:00 dev vx0 dst 192.168.50.3 self",
    ));
    ns.rawnet_ok(&["fdb", "d", "02:00:00:00:00:09", "dev", "vx0"]);
    let shown = bridge_json(&ns, &["fdb", "show", "dev", "vx0"]);
    let flood = entries(&shown, "00:00:00:00:00:00");
    assert_eq!(flood.len(), 1);
    assert_eq!(flood[0]["dst"], "192.168.50.4");
    assert!(entries(&shown, "02:00:00:00:00:09").is_empty());

    // replace moves a MAC to another remote.
    ns.rawnet_ok(&argv(
        "fdb replace 02:00:00:00:00:0a dev vx0 dst 192.168.50.7 self",
    ));
    let shown = bridge_json(&ns, &["fdb", "show", "dev", "vx0"]);
    assert_eq!(
        entries(&shown, "02:00:00:00:00:0a")[0]["dst"],
        "192.168.50.7"
    );
}

#[test]
fn bridge_port_entries_show_in_bridge() {
    let ns = fdb_ns("fm");
    ns.ip_ok(&["link", "set", "veth0", "master", "br0"]);
    ns.rawnet_ok(&argv("fdb add 02:00:00:00:00:0b dev veth0 master"));
    ns.rawnet_ok(&argv("fdb add 02:00:00:00:00:0c dev veth0 master static"));
    let shown = bridge_json(&ns, &["fdb", "show", "br", "br0"]);
    let b = entries(&shown, "02:00:00:00:00:0b");
    assert_eq!(b.len(), 1);
    assert_eq!(b[0]["ifname"], "veth0");
    assert_eq!(b[0]["master"], "br0");
    assert_eq!(b[0]["state"], "permanent");
    let c = entries(&shown, "02:00:00:00:00:0c");
    assert_eq!(c[0]["state"], "static");

    ns.rawnet_ok(&argv(
        "fdb replace 02:00:00:00:00:0b dev veth0 master static",
    ));
    let shown = bridge_json(&ns, &["fdb", "show", "brport", "veth0"]);
    assert_eq!(entries(&shown, "02:00:00:00:00:0b")[0]["state"], "static");

    ns.rawnet_ok(&argv("fdb del 02:00:00:00:00:0b dev veth0 master"));
    ns.rawnet_ok(&argv("fdb del 02:00:00:00:00:0c dev veth0 master"));
    let shown = bridge_json(&ns, &["fdb", "show", "br", "br0"]);
    assert!(entries(&shown, "02:00:00:00:00:0b").is_empty());
    assert!(entries(&shown, "02:00:00:00:00:0c").is_empty());
}

#[test]
fn bridge_made_entries_show_identically() {
    let ns = fdb_ns("fs");
    ns.ip_ok(&["link", "set", "veth0", "master", "br0"]);
    for line in [
        "fdb add 02:00:00:00:00:09 dev vx0 dst 192.168.50.2",
        "fdb append 00:00:00:00:00:00 dev vx0 dst 192.168.50.3",
        "fdb append 00:00:00:00:00:00 dev vx0 dst 192.168.50.4",
        "fdb add 02:00:00:00:00:0a dev vx0 dst 192.168.50.2 vni 43 port 4790 via veth0",
        "fdb add 02:00:00:00:00:0b dev veth0 master",
        "fdb add 02:00:00:00:00:0c dev veth0 master static",
        "fdb add 02:00:00:00:00:0d dev veth0 self",
    ] {
        ns.iproute2_ok("bridge", &argv(line));
    }
    for line in [
        "fdb show",
        "fdb",
        "fdb show dev vx0",
        "fdb show br br0",
        "fdb show brport veth0",
        "fdb show state static",
        "fdb list dynamic",
    ] {
        let args = argv(line);
        let ours = assert_same_output(&ns, "bridge", &args);
        assert!(ours.as_array().is_some_and(|a| !a.is_empty()) || args.contains(&"dynamic"));
    }
}

#[test]
fn bad_input_is_one_line_and_creates_nothing() {
    let ns = fdb_ns("fb");
    ns.iproute2_ok(
        "bridge",
        &argv("fdb add 02:00:00:00:00:09 dev vx0 dst 192.168.50.2"),
    );
    let before = bridge_json(&ns, &["fdb", "show"]);
    let cases: &[(&str, i32, &str)] = &[
        (
            "fdb add zz:00:00:00:00:01 dev vx0 dst 192.168.50.2",
            255,
            "Invalid mac address zz:00:00:00:00:01",
        ),
        (
            "fdb add 02:00:00:00:00:01 dev x dst 192.168.50.2",
            255,
            "Cannot find device \"x\"",
        ),
        (
            "fdb add 02:00:00:00:00:01",
            255,
            "Device and address are required arguments.",
        ),
        (
            "fdb del 02:00:00:00:00:77 dev vx0",
            255,
            "RTNETLINK answers: No such file or directory",
        ),
        (
            "fdb add 02:00:00:00:00:01 dev vx0 dst bogus",
            1,
            "Error: any valid address is expected rather than \"bogus\".",
        ),
        (
            "fdb add 02:00:00:00:00:01 dev vx0 dst 192.168.50.2 vni 99999999",
            255,
            "Error: argument \"99999999\" is wrong: invalid VNI",
        ),
        (
            // No remote for a vxlan entry: the kernel refuses.
            "fdb add 02:00:00:00:00:01 dev vx0",
            255,
            "RTNETLINK answers: Invalid argument",
        ),
        ("fdb show dev x", 255, "Cannot find device \"x\""),
    ];
    for (line, code, error) in cases {
        assert_fails_as_iproute2(&ns, "bridge", &argv(line), *code, error);
    }
    assert_eq!(
        before,
        bridge_json(&ns, &["fdb", "show"]),
        "bad input changed the fdb"
    );
}

/// A directory holding `ip` and `bridge`, symlinks to the rawnet binary, as
/// people install it; removed when dropped.
struct Installed(std::path::PathBuf);

impl Installed {
    fn new() -> Installed {
        let dir = std::env::temp_dir().join(common::unique_name("rawnet-bin"));
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["ip", "bridge"] {
            std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_rawnet"), dir.join(name)).unwrap();
        }
        Installed(dir)
    }

    /// Run the installed `program` with `args`.
    fn run(&self, program: &str, args: &[&str]) -> std::process::Output {
        std::process::Command::new(self.0.join(program))
            .args(args)
            .output()
            .unwrap()
    }
}

impl Drop for Installed {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn invoked_as_bridge_it_is_bridge() {
    let ns = fdb_ns("fb");
    ns.ip_ok(&argv("link set veth0 master br0"));
    for line in [
        "fdb add 02:00:00:00:00:01 dev veth0 master static",
        "fdb add 02:00:00:00:00:02 dev veth0 master",
        "fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.1",
        "fdb add 02:00:00:00:00:07 dev vx0 dst 10.0.0.3 port 4790 vni 101 self",
    ] {
        ns.iproute2_ok("bridge", &argv(line));
    }
    let bin = Installed::new();
    for line in [
        "fdb show",
        "fdb",
        "-j fdb show",
        "-j -p fdb show br br0",
        "fdb show brport veth0",
        "-s fdb show dev vx0",
        "-d fdb show dev vx0",
        "vlan show",
        "-j vlan show",
        "-c vlan show",
        "-com vlan show",
        "fdb show br nosuch",
        "fdb add 02:00:00:00:00:09 dev nosuch",
        "fdb foo",
        "-x fdb show",
    ] {
        let mut args = vec!["-n", ns.name.as_str()];
        args.extend(argv(line));
        let ours = bin.run("bridge", &args);
        let theirs = std::process::Command::new("bridge")
            .args(&args)
            .output()
            .unwrap();
        // Ages (`used N/M`, seconds) may tick between the two runs.
        let ageless = |t: &str| -> String {
            let mut out = String::new();
            let mut rest = t;
            while let Some(at) = rest.find("used ") {
                out.push_str(&rest[..at]);
                let tail = &rest[at + 5..];
                let end = tail
                    .find(|c: char| !(c.is_ascii_digit() || c == '/'))
                    .unwrap_or(tail.len());
                out.push_str("used AGE");
                rest = &tail[end..];
            }
            out.push_str(rest);
            out
        };
        let text = |o: &std::process::Output| {
            (
                ageless(&String::from_utf8_lossy(&o.stdout)),
                String::from_utf8_lossy(&o.stderr).into_owned(),
                o.status.code(),
            )
        };
        assert_eq!(text(&ours), text(&theirs), "bridge {line}");
    }
    // Under the name `ip`, the messages say `ip`.
    let ours = bin.run("ip", &["-n", &ns.name, "netns", "foo"]);
    let theirs = std::process::Command::new("ip")
        .args(["-n", &ns.name, "netns", "foo"])
        .output()
        .unwrap();
    assert_eq!(ours.stderr, theirs.stderr);
    assert_eq!(ours.status.code(), theirs.status.code());
    let ours = bin.run("bridge", &["-n", "rawnet-no-such-ns", "fdb"]);
    assert_eq!(
        String::from_utf8_lossy(&ours.stderr),
        "Cannot open network namespace \"rawnet-no-such-ns\": No such file or directory\n"
    );
    assert_eq!(ours.status.code(), Some(255));
}
