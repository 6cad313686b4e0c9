//! `rawnet bpf net attach|detach { xdp | xdpgeneric | xdpdrv | xdpoffload }
//! PROG dev DEV [ overwrite ]` as bpftool's net.c does it (`IFLA_XDP`,
//! `XDP_FLAGS_UPDATE_IF_NOEXIST` unless `overwrite`), on a veth in a
//! namespace of the test's own; `ip -d link show` is the oracle for what
//! the kernel holds, `rawnet bpf net show` must agree with it. Programs are
//! pinned on a bpffs mounted for the test (never the host's /sys/fs/bpf).
//!
//! Needs root (bpf(2) and namespaces); without it the test says why it did
//! not run.

mod common;

use common::bpffs::Bpffs;
use common::{is_root, skipped, TestNs};

/// `ip -d link show veth0`'s `prog/xdp id N` (or nothing attached).
fn xdp_of_ip(ns: &TestNs) -> Option<(String, String)> {
    let j = ns.ip_json(&["-d", "link", "show", "veth0"]);
    let xdp = &j[0]["xdp"];
    if xdp.is_null() {
        return None;
    }
    let mode = match xdp["mode"].as_u64() {
        Some(1) => "driver",
        Some(2) => "generic",
        Some(3) => "offload",
        other => panic!("xdp mode {other:?}"),
    };
    Some((mode.to_string(), xdp["prog"]["id"].to_string()))
}

/// `rawnet ARGS` fails with bpftool's `-errno` status and these words.
fn fails(ns: &TestNs, args: &[&str], stderr: &str, status: i32) {
    let o = ns.rawnet(args);
    assert_eq!(o.status.code(), Some(status), "{args:?}");
    assert_eq!(String::from_utf8_lossy(&o.stderr), stderr, "{args:?}");
    assert!(o.stdout.is_empty(), "{args:?}");
}

#[test]
fn xdp_attach_overwrite_detach_as_bpftool() {
    if !is_root() {
        return skipped("bpf net xdp: needs root (bpf and netns)");
    }
    let fs = Bpffs::mount("netxdp");
    let program = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/bpf/programs/count_proto.s"
    );
    let mut ids = Vec::new();
    for pin in ["a", "b"] {
        let o = common::rawnet(&[
            "bpf",
            "prog",
            "load",
            program,
            "type",
            "xdp",
            "pin",
            &fs.path(pin),
        ]);
        assert!(o.status.success(), "load: {:?}", o);
        ids.push(String::from_utf8_lossy(&o.stdout).trim().to_string());
    }
    let (a, b) = (fs.path("a"), fs.path("b"));
    let ns = TestNs::with_idle_veth("bnx");
    let ifindex = ns.ip_json(&["link", "show", "veth0"])[0]["ifindex"].to_string();

    // Attached in generic mode, by pin: ip sees it, net show says so.
    assert_eq!(
        ns.rawnet_ok(&[
            "bpf",
            "net",
            "attach",
            "xdpgeneric",
            "pinned",
            &a,
            "dev",
            "veth0"
        ]),
        ""
    );
    assert_eq!(xdp_of_ip(&ns), Some(("generic".into(), ids[0].clone())));
    assert_eq!(
        ns.rawnet_ok(&["bpf", "net", "show", "dev", "veth0"]),
        format!(
            "xdp:\nveth0({ifindex}) generic id {}\n\ntc:\n\nflow_dissector:\n\nnetfilter:\n\n",
            ids[0]
        )
    );
    let j = ns.rawnet_json(&["bpf", "net", "show"]);
    assert_eq!(
        j[0]["xdp"],
        serde_json::json!([{"devname": "veth0", "ifindex": ifindex.parse::<u32>().unwrap(),
            "mode": "generic", "id": ids[0].parse::<u32>().unwrap()}])
    );

    // A second program without `overwrite`: refused as bpftool (libbpf
    // prints the kernel's words first); nothing changes.
    let busy = "libbpf: Kernel error message: XDP program already attached\n\
                Error: interface xdpgeneric attach failed: Device or resource busy\n";
    fails(
        &ns,
        &[
            "bpf",
            "net",
            "attach",
            "xdpgeneric",
            "pinned",
            &b,
            "dev",
            "veth0",
        ],
        busy,
        240,
    );
    let o = ns.rawnet(&[
        "-j",
        "bpf",
        "net",
        "attach",
        "xdpgeneric",
        "id",
        &ids[1],
        "dev",
        "veth0",
    ]);
    assert_eq!(o.status.code(), Some(240), "-EBUSY");
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "{\"error\":\"interface xdpgeneric attach failed: Device or resource busy\"}\n"
    );
    assert_eq!(xdp_of_ip(&ns), Some(("generic".into(), ids[0].clone())));
    // Another mode beside it: the kernel's refusal.
    fails(
        &ns,
        &[
            "bpf", "net", "attach", "xdpdrv", "pinned", &b, "dev", "veth0",
        ],
        "libbpf: Kernel error message: Native and generic XDP can't be active at the same time\n\
         Error: interface xdpdrv attach failed: File exists\n",
        239,
    );

    // With `overwrite` (by prefix, as bpftool's is_prefix) it replaces.
    assert_eq!(
        ns.rawnet_ok(&[
            "-j", "bpf", "net", "attach", "xdpg", "id", &ids[1], "dev", "veth0", "over"
        ]),
        "null\n"
    );
    assert_eq!(xdp_of_ip(&ns), Some(("generic".into(), ids[1].clone())));

    // Words bpftool refuses.
    fails(
        &ns,
        &[
            "bpf", "net", "attach", "xdp", "pinned", &b, "dev", "veth0", "prepend",
        ],
        "Error: 'prepend' is only supported for tcx_ingress/tcx_egress\n",
        234,
    );
    fails(
        &ns,
        &[
            "bpf",
            "net",
            "attach",
            "tcx_ingress",
            "pinned",
            &b,
            "dev",
            "veth0",
            "overwrite",
        ],
        "Error: 'overwrite' is only supported for xdp types\n",
        234,
    );
    fails(
        &ns,
        &[
            "bpf", "net", "attach", "xdp", "pinned", &b, "dev", "veth0", "bogus",
        ],
        "Error: expected 'overwrite' or 'prepend', got: 'bogus'?\n",
        234,
    );
    fails(
        &ns,
        &["bpf", "net", "attach", "xdp", "pinned", &b, "dev", "nosuch"],
        "Error: invalid devname nosuch\n",
        234,
    );

    // Detached; a second detach is no error (the kernel has nothing to do).
    ns.rawnet_ok(&["bpf", "net", "detach", "xdpgeneric", "dev", "veth0"]);
    assert_eq!(xdp_of_ip(&ns), None);
    ns.rawnet_ok(&["bpf", "net", "detach", "xdpgeneric", "dev", "veth0"]);

    // `xdp` (no mode flag): veth has a driver hook, so driver mode.
    ns.rawnet_ok(&["bpf", "net", "attach", "xdp", "pinned", &a, "dev", "veth0"]);
    assert_eq!(xdp_of_ip(&ns), Some(("driver".into(), ids[0].clone())));
    assert!(ns
        .rawnet_ok(&["bpf", "net", "show"])
        .starts_with(&format!("xdp:\nveth0({ifindex}) driver id {}\n", ids[0])));
    ns.rawnet_ok(&["bpf", "net", "detach", "xdp", "dev", "veth0"]);
    assert_eq!(xdp_of_ip(&ns), None);
}
