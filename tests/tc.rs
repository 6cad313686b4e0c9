//! `rawnet tc qdisc|filter` against tc (iproute2 6.1), in a namespace of the
//! test's own with a veth pair: the shipped drop_icmp_echo.s is loaded with
//! `rawnet bpf prog load` and pinned on a bpffs mounted on a temp dir (never
//! the host's /sys/fs/bpf), unmounted after. Each side adds, the other
//! shows, byte for byte (text and -j); deletes and errors as tc's.

mod common;

use common::is_root;

use std::process::Command;

use common::bpffs::Bpffs;
use common::{rawnet, skipped, TestNs};

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

#[test]
fn clsact_and_bpf_filters_as_tc() {
    if !is_root() || !have_tc() {
        return skipped("tc: needs root and tc (iproute2)");
    }
    let fs = match Bpffs::try_mount("tc") {
        Ok(fs) => fs,
        Err(why) => return skipped(&format!("tc: cannot mount a bpffs: {why}")),
    };
    let path = &fs.path("drop_echo");
    let src = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/bpf/programs/drop_icmp_echo.s"
    );
    let out = rawnet(&["bpf", "prog", "load", src, "type", "tc", "pin", path]);
    assert!(out.status.success(), "{out:?}");

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
