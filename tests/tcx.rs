//! tcx (kernel 6.6): a tc program attached to a veth's ingress through a BPF
//! link and directly (`BPF_PROG_ATTACH`), in namespaces of the test's own.
//! Two namespaces joined by a veth pair (`a` 10.77.0.1 on veth0, `b`
//! 10.77.0.2 on veth1); the program is src/bpf/programs/drop_icmp_echo.s on
//! veth1's ingress: while attached, `rawnet -n a ping 10.77.0.2` gets no
//! answer and the program's counter rises; once the link is dropped or
//! detached, the ping is answered again. The CLI half (`bpf link show`,
//! `bpf net attach|detach|show`) is in the same file.

mod common;

use common::is_root;

use common::pair::Pair;
use common::{argv, skipped, TestNs};
use rawnet::bpf::loader::{load_assembled, Loaded};
use rawnet::bpf::tcx::{tcx_attach, tcx_detach, tcx_query};
use rawnet::bpf::{asm, Link, LinkType, LogLevel, ProgramType, TcxDirection};
use rawnet::ns::NetNs;

fn drop_echo() -> Loaded {
    let source = include_str!("../src/bpf/programs/drop_icmp_echo.s");
    let program = asm::assemble(source).expect("assemble drop_icmp_echo.s");
    load_assembled(&program, ProgramType::SchedCls, "drop_echo", LogLevel::Off)
        .expect("load drop_icmp_echo.s")
}

/// A tcx link of `prog` on the ingress of device `ifindex` of `ns`, made
/// on a thread inside it.
fn ingress_link(ns: &NetNs, prog: &rawnet::bpf::Program, ifindex: u32) -> Link {
    rawnet::ns::run_in(ns, || {
        Link::attach_tcx(
            std::os::fd::AsFd::as_fd(prog),
            ifindex,
            TcxDirection::Ingress,
        )
    })
    .expect("run in b")
    .expect("attach tcx link")
}

fn drops(loaded: &Loaded) -> u64 {
    let value = loaded.maps[0]
        .1
        .lookup(&0u32.to_ne_bytes())
        .expect("lookup")
        .expect("key 0");
    u64::from_ne_bytes(value[..8].try_into().expect("8 bytes"))
}

/// Whether the walk over every link of the machine (links are global:
/// other tests' show too) finds the link `id`.
fn walk_finds(id: u32) -> bool {
    rawnet::bpf::link::links()
        .filter_map(|l| l.ok()?.info().ok())
        .any(|i| i.link_type == LinkType::Tcx && i.id == id)
}

#[test]
fn tcx_link_drops_ping_until_dropped_or_detached() {
    if !is_root() {
        return skipped("tcx: needs root (bpf and netns)");
    }
    let pair = Pair::new("tcx");
    assert!(pair.answers(), "ping works before anything is attached");
    let loaded = drop_echo();
    let prog_id = loaded.program.info().expect("info").id;
    let ifindex = pair.veth1();
    let ns = pair.b_ns();

    // Attached through a link, made on a thread inside b.
    let prog = &loaded.program;
    let link = ingress_link(&ns, prog, ifindex);
    assert_eq!(
        rawnet::bpf::object::kind_of(std::os::fd::AsFd::as_fd(&link)).expect("kind"),
        Some(rawnet::bpf::Kind::Link)
    );
    let info = link.info().expect("link info");
    assert_eq!(info.link_type, LinkType::Tcx);
    assert_eq!(info.prog_id, prog_id);
    assert_eq!(info.ifindex, Some(ifindex));
    assert_eq!(info.attach_type.and_then(|t| t.name()), Some("tcx_ingress"));
    assert!(walk_finds(info.id), "the walk over links finds it");
    let by_id = Link::from_id(info.id)
        .expect("from_id")
        .expect("link exists");
    assert_eq!(by_id.info().expect("info").id, info.id);
    drop(by_id);
    let query = rawnet::ns::run_in(&ns, || tcx_query(ifindex, TcxDirection::Ingress))
        .expect("run in b")
        .expect("query");
    assert_eq!(query, vec![prog_id]);

    let before = drops(&loaded);
    assert!(
        pair.dropped(),
        "the echo request is dropped at veth1's ingress"
    );
    assert!(drops(&loaded) > before, "the counter rises");
    drop(link);
    assert!(pair.answers(), "answered again once the link is gone");
    assert!(!walk_finds(info.id), "gone from the walk");

    // Again, then BPF_LINK_DETACH with the link still open.
    let link = ingress_link(&ns, prog, ifindex);
    assert!(pair.dropped(), "dropped again");
    link.detach().expect("detach link");
    assert!(pair.answers(), "answered after BPF_LINK_DETACH");
    let info = link.info().expect("info of a detached link");
    assert_eq!(info.ifindex, Some(0), "a detached tcx link has no device");

    // Without a link: stays after the program's descriptor is gone.
    let ok = rawnet::ns::run_in(&ns, || {
        tcx_attach(
            std::os::fd::AsFd::as_fd(prog),
            ifindex,
            TcxDirection::Ingress,
        )
    })
    .expect("run in b");
    ok.expect("tcx attach");
    let query = rawnet::ns::run_in(&ns, || tcx_query(ifindex, TcxDirection::Ingress))
        .expect("run in b")
        .expect("query");
    assert_eq!(query, vec![prog_id]);
    drop(loaded);
    assert!(pair.dropped(), "still dropped without a link or descriptor");
    rawnet::ns::run_in(&ns, || tcx_detach(None, ifindex, TcxDirection::Ingress))
        .expect("run in b")
        .expect("tcx detach");
    assert!(pair.answers(), "answered after the detach");
}

#[test]
fn tcx_refuses_a_missing_device_and_an_xdp_program() {
    if !is_root() {
        return skipped("tcx: needs root (bpf and netns)");
    }
    let ns = TestNs::with_idle_veth("tcxr");
    let handle = NetNs::open_named(&ns.name).expect("open namespace");
    let loaded = drop_echo();
    let prog = &loaded.program;
    let err = rawnet::ns::run_in(&handle, || {
        Link::attach_tcx(std::os::fd::AsFd::as_fd(prog), 999, TcxDirection::Egress)
    })
    .expect("run in ns")
    .expect_err("no device 999");
    assert!(
        rawnet::bpf::link::is_errno(&err, libc::ENODEV),
        "no such device: {err:?}"
    );
    let xdp = common::programs::returns_2(ProgramType::Xdp, "xdp_pass");
    let veth0: u32 = ns
        .ip_ok(&argv("-o link show veth0"))
        .split(':')
        .next()
        .and_then(|n| n.trim().parse().ok())
        .expect("ifindex");
    let err = rawnet::ns::run_in(&handle, || {
        Link::attach_tcx(std::os::fd::AsFd::as_fd(&xdp), veth0, TcxDirection::Ingress)
    })
    .expect("run in ns")
    .expect_err("an xdp program is refused at tcx");
    assert!(rawnet::bpf::link::is_errno(&err, libc::EINVAL), "{err:?}");
}

#[test]
fn cli_link_show_and_net_attach_detach_show() {
    if !is_root() {
        return skipped("tcx: needs root (bpf and netns)");
    }
    let pair = Pair::new("tcx");
    let loaded = drop_echo();
    let prog_id = loaded.program.info().expect("info").id;
    let ifindex = pair.veth1();
    let ns = pair.b_ns();
    let prog = &loaded.program;

    // A link made here, shown by the CLI in b.
    let link = ingress_link(&ns, prog, ifindex);
    let link_id = link.info().expect("info").id;
    let id = link_id.to_string();
    assert_eq!(
        pair.b.rawnet_ok(&["bpf", "link", "show", "id", &id]),
        format!(
            "{link_id}: tcx  prog {prog_id}  \n\tifindex veth1({ifindex})  attach_type tcx_ingress  \n"
        )
    );
    let j = pair.b.rawnet_json(&["bpf", "link", "show", "id", &id]);
    assert_eq!(
        j,
        serde_json::json!({"id": link_id, "type": "tcx", "prog_id": prog_id,
            "devname": "veth1", "ifindex": ifindex, "attach_type": "tcx_ingress"})
    );
    let all = pair.b.rawnet_ok(&["bpf", "link", "list"]);
    assert!(
        all.contains(&format!("{link_id}: tcx  prog {prog_id}  \n")),
        "{all}"
    );
    let shown = pair.b.rawnet_ok(&argv("bpf net show dev veth1"));
    assert_eq!(
        shown,
        format!(
            "xdp:\n\ntc:\nveth1({ifindex}) tcx/ingress drop_echo prog_id {prog_id} link_id {link_id} \n\nflow_dissector:\n\nnetfilter:\n\n"
        )
    );
    assert!(pair.dropped(), "dropped through the link");
    pair.b.rawnet_ok(&["bpf", "link", "detach", "id", &id]);
    assert!(pair.answers(), "answered after bpf link detach");
    assert!(pair
        .b
        .rawnet_ok(&["bpf", "link", "show", "id", &id])
        .contains("ifindex (detached)  "));
    drop(link);

    // Without a link, through the CLI.
    let pid = prog_id.to_string();
    pair.b.rawnet_ok(&[
        "bpf",
        "net",
        "attach",
        "tcx_ingress",
        "id",
        &pid,
        "dev",
        "veth1",
    ]);
    let j = pair.b.rawnet_json(&argv("bpf net show dev veth1"));
    assert_eq!(
        j,
        serde_json::json!([{"xdp": [], "tc": [{"devname": "veth1", "ifindex": ifindex,
            "kind": "tcx/ingress", "name": "drop_echo", "prog_id": prog_id,
            "prog_flags": [], "link_id": 0, "link_flags": []}],
            "flow_dissector": [], "netfilter": []}])
    );
    let before = drops(&loaded);
    assert!(pair.dropped(), "dropped after bpf net attach");
    assert!(drops(&loaded) > before, "the counter rises");
    pair.b
        .rawnet_ok(&argv("bpf net detach tcx_ingress dev veth1"));
    assert!(pair.answers(), "answered after bpf net detach");

    // A classic tc filter is listed after the tcx programs, as bpftool's
    // show_dev_tc_bpf_classic does.
    pair.b.rawnet_ok(&argv("tc qdisc add dev veth1 clsact"));
    pair.b.rawnet_ok(&[
        "tc", "filter", "add", "dev", "veth1", "egress", "bpf", "id", &pid, "da",
    ]);
    assert_eq!(
        pair.b.rawnet_ok(&argv("bpf net show dev veth1")),
        format!(
            "xdp:\n\ntc:\nveth1({ifindex}) clsact/egress prog_id {prog_id}\n\nflow_dissector:\n\nnetfilter:\n\n"
        )
    );
    let j = pair.b.rawnet_json(&argv("bpf net show dev veth1"));
    assert_eq!(
        j[0]["tc"],
        serde_json::json!([{"devname": "veth1", "ifindex": ifindex,
            "kind": "clsact/egress", "prog_id": prog_id}])
    );
    pair.b.rawnet_ok(&argv("tc qdisc del dev veth1 clsact"));
    assert_eq!(
        pair.b.rawnet_ok(&argv("bpf net show")),
        "xdp:\n\ntc:\n\nflow_dissector:\n\nnetfilter:\n\n"
    );
}

/// `rawnet ARGS` fails with this status (bpftool's -1 is 255, its
/// `-errno` returns the rest) and this line.
fn fails(ns: &TestNs, args: &[&str], line: &str, status: i32) {
    let out = ns.rawnet(args);
    assert_eq!(out.status.code(), Some(status), "{args:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("{line}\n"),
        "{args:?}"
    );
}

#[test]
fn cli_bad_input() {
    if !is_root() {
        return skipped("tcx: needs root (bpf and netns)");
    }
    let ns = TestNs::with_idle_veth("tcxc");
    let loaded = drop_echo();
    let pid = loaded.program.info().expect("info").id.to_string();
    fails(
        &ns,
        &[
            "bpf",
            "net",
            "attach",
            "tcx_ingress",
            "id",
            &pid,
            "dev",
            "nosuch",
        ],
        "Error: invalid devname nosuch",
        234,
    );
    fails(
        &ns,
        &[
            "bpf",
            "net",
            "attach",
            "tcx_sideways",
            "id",
            &pid,
            "dev",
            "veth0",
        ],
        "Error: invalid net attach/detach type: tcx_sideways",
        234,
    );
    fails(
        &ns,
        &argv("bpf net detach tcx_egress dev veth0"),
        "Error: interface tcx_egress detach failed: No such file or directory",
        254,
    );
    let xdp = common::programs::returns_2(ProgramType::Xdp, "xdp_pass");
    let xid = xdp.info().expect("info").id.to_string();
    fails(
        &ns,
        &[
            "bpf",
            "net",
            "attach",
            "tcx_ingress",
            "id",
            &xid,
            "dev",
            "veth0",
        ],
        "Error: interface tcx_ingress attach failed: Invalid argument",
        234,
    );
    fails(
        &ns,
        &argv("bpf link show id 4000000000"),
        "Error: failed to get link with ID 4000000000: No such file or directory",
        255,
    );
}
