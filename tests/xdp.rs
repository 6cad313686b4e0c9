//! `link set DEV xdp* { pinned PATH | id N | off }` and the XDP part of
//! `link show` against iproute2 6.1, in a namespace of the test's own with a
//! veth pair; the program (`r0 = 2; exit`) is loaded here and pinned on a
//! bpffs mounted on a temp dir (never the host's /sys/fs/bpf), unmounted after.

mod common;

use common::is_root;

use common::bpffs::Bpffs;
use common::{argv, assert_fails_as_iproute2, skipped, TestNs};
use rawnet::bpf::ProgramType;

fn show(ns: &TestNs, opts: &str) -> (String, String) {
    let mut args = argv(opts);
    args.extend(["link", "show", "veth0"]);
    (ns.ip_ok(&args), ns.rawnet_ok(&args))
}

#[test]
fn xdpgeneric_attach_show_detach_as_ip() {
    if !is_root() {
        return skipped("xdp: needs root (bpf and netns)");
    }
    let fs = match Bpffs::try_mount("xdp") {
        Ok(fs) => fs,
        Err(why) => return skipped(&format!("xdp: cannot mount a bpffs: {why}")),
    };
    let program = common::programs::returns_2(ProgramType::Xdp, "xdp_pass");
    let pin = fs.dir.join("pass");
    program.pin(&pin).expect("pin");
    let id = program.info().expect("info").id;
    let path = pin.to_str().expect("utf-8 path");

    let ns = TestNs::with_idle_veth("xdp");
    ns.rawnet_ok(&["link", "set", "veth0", "xdpgeneric", "pinned", path]);
    for opts in ["", "-d", "-j", "-j -d", "-o"] {
        let (theirs, ours) = show(&ns, opts);
        assert_eq!(ours, theirs, "link show {opts}");
    }
    let (theirs, _) = show(&ns, "");
    assert!(theirs.contains(" xdpgeneric qdisc "), "{theirs}");
    assert!(
        theirs.contains(&format!("prog/xdp id {id} name xdp_pass")),
        "{theirs}"
    );
    let addr = (
        ns.ip_ok(&["addr", "show", "veth0"]),
        ns.rawnet_ok(&["addr", "show", "veth0"]),
    );
    assert_eq!(addr.1, addr.0, "addr show");
    assert!(
        addr.0.contains(&format!("xdpgeneric/id:{id}")),
        "{}",
        addr.0
    );

    // A second attach without -force: the kernel's EBUSY, as ip reports it.
    assert_fails_as_iproute2(
        &ns,
        "ip",
        &["link", "set", "dev", "veth0", "xdpgeneric", "pinned", path],
        2,
        "Error: XDP program already attached.",
    );
    // With -force it replaces; by id (rawnet's addition).
    ns.rawnet_ok(&[
        "-force",
        "link",
        "set",
        "veth0",
        "xdpgeneric",
        "id",
        &id.to_string(),
    ]);

    ns.rawnet_ok(&["link", "set", "veth0", "xdpgeneric", "off"]);
    let (theirs, ours) = show(&ns, "-j");
    assert_eq!(ours, theirs);
    assert!(!theirs.contains("\"xdp\""), "{theirs}");
    let (theirs, _) = show(&ns, "");
    assert!(!theirs.contains("prog/xdp"), "{theirs}");

    // Words ip refuses, refused the same way.
    assert_fails_as_iproute2(
        &ns,
        "ip",
        &["link", "set", "veth0", "xdpgeneric", "bogus", "x"],
        255,
        "What mode is \"bogus\"?",
    );
    let missing = fs.dir.join("missing");
    let missing = missing.to_str().expect("utf-8");
    assert_fails_as_iproute2(
        &ns,
        "ip",
        &["link", "set", "veth0", "xdpgeneric", "pinned", missing],
        255,
        &format!("Couldn't retrieve pinned program '{missing}': No such file or directory"),
    );
    drop(ns);
    drop(program);
    let _ = rawnet::bpf::unpin(&pin);
}
