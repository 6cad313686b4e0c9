//! `rawnet tc qdisc|filter` against tc (iproute2 6.1), in a namespace of the
//! test's own with a veth pair: the shipped drop_icmp_echo.s is loaded with
//! `rawnet bpf prog load` and pinned on a bpffs mounted on a temp dir (never
//! the host's /sys/fs/bpf), unmounted after. Each side adds, the other
//! shows, byte for byte (text and -j); deletes and errors as tc's. The
//! traffic test joins two namespaces with a veth pair (tests/common/pair.rs)
//! and puts the program on the receiving veth's ingress: the ping is
//! dropped and counted while the filter is there, answered once it is gone.

mod common;

use common::is_root;

use std::process::Command;

use common::bpffs::Bpffs;
use common::pair::Pair;
use common::{argv, rawnet, skipped, TestNs};
use rawnet::bpf::{Map, Program};

fn have_tc() -> bool {
    Command::new("tc").arg("-V").output().is_ok()
}

/// `tc ARGS` and `rawnet tc ARGS` print the same; returns tc's output.
fn same(ns: &TestNs, args: &[&str]) -> String {
    let theirs = ns.iproute2_ok("tc", args);
    let mut ours_args = vec!["tc"];
    ours_args.extend_from_slice(args);
    let ours = ns.rawnet_ok(&ours_args);
    assert_eq!(ours, theirs, "tc {}", args.join(" "));
    theirs
}

fn rawnet_tc_fails(ns: &TestNs, args: &[&str], code: i32, line: &str) {
    let theirs = ns.iproute2("tc", args);
    let mut ours_args = vec!["tc"];
    ours_args.extend_from_slice(args);
    let ours = ns.rawnet(&ours_args);
    let (t, o) = (
        String::from_utf8_lossy(&theirs.stderr).into_owned(),
        String::from_utf8_lossy(&ours.stderr).into_owned(),
    );
    assert_eq!(theirs.status.code(), Some(code), "tc {args:?}: {t}");
    assert_eq!(ours.status.code(), Some(code), "rawnet tc {args:?}: {o}");
    assert!(t.contains(line), "tc: {t}");
    assert_eq!(o, t, "stderr of {args:?}");
}

/// A bpffs of the test's own with the shipped drop_icmp_echo.s loaded by
/// `rawnet bpf prog load ... pin` as `drop_echo`; `None` (said why) where
/// no bpffs can be mounted.
fn pinned_drop_echo(tag: &str) -> Option<Bpffs> {
    let fs = match Bpffs::try_mount(tag) {
        Ok(fs) => fs,
        Err(why) => {
            skipped(&format!("tc: cannot mount a bpffs: {why}"));
            return None;
        }
    };
    let src = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/bpf/programs/drop_icmp_echo.s"
    );
    let path = fs.path("drop_echo");
    let out = rawnet(&["bpf", "prog", "load", src, "type", "tc", "pin", &path]);
    assert!(out.status.success(), "{out:?}");
    Some(fs)
}

#[test]
fn clsact_and_bpf_filters_as_tc() {
    if !is_root() || !have_tc() {
        return skipped("tc: needs root and tc (iproute2)");
    }
    let Some(fs) = pinned_drop_echo("tc") else {
        return;
    };
    let path = &fs.path("drop_echo");

    let ns = TestNs::with_idle_veth("tc");
    // No clsact yet: the kernel refuses, as tc reports it.
    rawnet_tc_fails(
        &ns,
        &[
            "filter", "add", "dev", "veth0", "ingress", "bpf", "da", "pinned", path,
        ],
        2,
        "We have an error talking to the kernel",
    );
    ns.rawnet_ok(&["tc", "qdisc", "add", "dev", "veth0", "clsact"]);
    for opts in [&[][..], &["-j"], &["-s"], &["-s", "-j"], &["-j", "-p"]] {
        let mut a = opts.to_vec();
        a.extend(["qdisc", "show"]);
        same(&ns, &a);
        a.extend(["dev", "veth0"]);
        assert!(same(&ns, &a).contains("clsact"));
    }
    // rawnet adds, both show.
    ns.rawnet_ok(&[
        "tc", "filter", "add", "dev", "veth0", "ingress", "bpf", "da", "pinned", path,
    ]);
    // tc adds, both show.
    ns.iproute2_ok(
        "tc",
        &[
            "filter", "add", "dev", "veth0", "egress", "pref", "7", "protocol", "ip", "handle",
            "3", "bpf", "pinned", path, "da",
        ],
    );
    for dir in ["ingress", "egress"] {
        for opts in [&[][..], &["-j"], &["-d"], &["-j", "-p"]] {
            let mut a = opts.to_vec();
            a.extend(["filter", "show", "dev", "veth0", dir]);
            let text = same(&ns, &a);
            assert!(text.contains("drop_echo:[*fsobj]"), "{text}");
        }
    }
    // pref and protocol go to the kernel in tcm_info, as tc sends them.
    for (args, found) in [
        ("-j filter show dev veth0 ingress pref 49152", true),
        (
            "filter show dev veth0 ingress pref 49152 protocol all",
            true,
        ),
        ("filter show dev veth0 ingress protocol all", true),
        ("filter show dev veth0 ingress pref 7", false),
        ("filter show dev veth0 egress pref 7 protocol ip", true),
        ("-j filter show dev veth0 egress protocol ip", true),
        ("filter show dev veth0 egress protocol ipv6", false),
        // No hook: the kernel lists the root qdisc's filters (none).
        ("filter show dev veth0 pref 7", false),
    ] {
        let text = same(&ns, &common::argv(args));
        assert_eq!(text.contains("drop_echo"), found, "{args}: {text}");
    }
    let text = same(&ns, &["filter", "show", "dev", "veth0", "ingress"]);
    assert!(text.contains("direct-action not_in_hw id "), "{text}");
    assert!(text.contains("name drop_icmp_echo tag "), "{text}");

    // Errors as tc words them.
    rawnet_tc_fails(
        &ns,
        &[
            "filter", "add", "dev", "nope", "ingress", "bpf", "da", "pinned", path,
        ],
        1,
        "Cannot find device \"nope\"",
    );
    let missing = format!("{path}-missing");
    rawnet_tc_fails(
        &ns,
        &[
            "filter", "add", "dev", "veth0", "ingress", "bpf", "da", "pinned", &missing,
        ],
        1,
        "Couldn't retrieve pinned program",
    );
    rawnet_tc_fails(
        &ns,
        &["qdisc", "add", "dev", "veth0", "clsact"],
        2,
        "Error: Exclusivity flag on, cannot modify.",
    );
    rawnet_tc_fails(
        &ns,
        &["filter", "del", "dev", "veth0", "ingress", "pref", "5"],
        2,
        "Error: Filter with specified priority/protocol not found.",
    );
    rawnet_tc_fails(
        &ns,
        &["qdisc", "add", "dev", "nope", "clsact"],
        1,
        "Cannot find device \"nope\"",
    );

    // Delete by pref, then the qdisc with the rest.
    ns.rawnet_ok(&["tc", "filter", "del", "dev", "veth0", "egress", "pref", "7"]);
    assert_eq!(same(&ns, &["filter", "show", "dev", "veth0", "egress"]), "");
    ns.rawnet_ok(&["tc", "qdisc", "del", "dev", "veth0", "clsact"]);
    assert!(!same(&ns, &["qdisc", "show", "dev", "veth0"]).contains("clsact"));
}

/// The drops counted so far by the program pinned at `path`: key 0 of its
/// one map, read through the library and through `rawnet bpf map lookup`.
fn drops(path: &str) -> u64 {
    let info = Program::open_pinned(path)
        .expect("open the pinned program")
        .info()
        .expect("program info");
    let map_id = *info.map_ids.first().expect("the program has its map");
    let value = Map::from_id(map_id)
        .expect("map by id")
        .expect("the map exists")
        .lookup(&0u32.to_ne_bytes())
        .expect("lookup")
        .expect("key 0");
    let n = u64::from_ne_bytes(value[..8].try_into().expect("8 bytes"));
    let id = map_id.to_string();
    let out = rawnet(&[
        "-j", "bpf", "map", "lookup", "id", &id, "key", "0", "0", "0", "0",
    ]);
    assert!(out.status.success(), "{out:?}");
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let bytes: Vec<u8> = j["value"]
        .as_array()
        .expect("value bytes")
        .iter()
        .map(|b| {
            let s = b.as_str().expect("a hex string");
            u8::from_str_radix(s.trim_start_matches("0x"), 16).expect("hex")
        })
        .collect();
    assert_eq!(bytes, n.to_ne_bytes(), "CLI and library agree: {j}");
    n
}

#[test]
fn bpf_filter_drops_ping_until_deleted() {
    if !is_root() || !have_tc() {
        return skipped("tc traffic: needs root and tc (iproute2)");
    }
    let Some(fs) = pinned_drop_echo("tct") else {
        return;
    };
    let path = &fs.path("drop_echo");
    let prog_id = Program::open_pinned(path)
        .expect("pinned")
        .info()
        .expect("info")
        .id;

    let pair = Pair::new("tct");
    let b = &pair.b;
    assert!(pair.answers(), "answered before anything is attached");
    b.rawnet_ok(&argv("tc qdisc add dev veth1 clsact"));
    assert!(pair.answers(), "answered with an empty clsact");

    // rawnet attaches; tc and rawnet show the same filter.
    b.rawnet_ok(&[
        "tc", "filter", "add", "dev", "veth1", "ingress", "bpf", "da", "pinned", path,
    ]);
    let shown = same(b, &argv("filter show dev veth1 ingress"));
    assert!(
        shown.contains(&format!("direct-action not_in_hw id {prog_id} ")),
        "{shown}"
    );
    let before = drops(path);
    assert!(
        pair.dropped(),
        "the echo request is dropped at veth1's ingress"
    );
    assert!(drops(path) > before, "the counter rises");
    b.rawnet_ok(&argv("tc filter del dev veth1 ingress"));
    assert_eq!(same(b, &argv("filter show dev veth1 ingress")), "");
    assert!(pair.answers(), "answered once the filter is deleted");

    // tc attaches; rawnet shows what tc shows, and it drops the same way.
    b.iproute2_ok(
        "tc",
        &[
            "filter", "add", "dev", "veth1", "ingress", "bpf", "da", "pinned", path,
        ],
    );
    for opts in [&[][..], &["-j"], &["-s"], &["-d"]] {
        let mut a = opts.to_vec();
        a.extend(["filter", "show", "dev", "veth1", "ingress"]);
        assert!(same(b, &a).contains("drop_echo:[*fsobj]"));
    }
    let before = drops(path);
    assert!(pair.dropped(), "dropped by the filter tc added");
    assert!(drops(path) > before, "the counter rises again");

    // The qdisc takes its filters with it; the pin keeps the program.
    b.rawnet_ok(&argv("tc qdisc del dev veth1 clsact"));
    assert!(pair.answers(), "answered once the qdisc is gone");
    for dir in ["ingress", "egress"] {
        assert_eq!(same(b, &["filter", "show", "dev", "veth1", dir]), "");
    }
    assert!(!same(b, &argv("qdisc show dev veth1")).contains("clsact"));
    assert_eq!(
        b.rawnet_ok(&argv("bpf net show dev veth1")),
        "xdp:\n\ntc:\n\nflow_dissector:\n\nnetfilter:\n\n",
        "nothing attached to veth1"
    );
    let still = Program::open_pinned(path).expect("still pinned");
    assert_eq!(still.info().expect("info").id, prog_id, "the same program");
}
