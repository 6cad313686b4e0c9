//! `rawnet bpf { prog | map | link } pin HANDLE FILE` as bpftool's
//! `do_pin_any`: an object that exists, named by any handle, pinned on a
//! bpffs mounted for the test (never the host's /sys/fs/bpf); the path
//! checked as `prog load ... pin` checks it. The link is a tcx link on a
//! veth in a namespace of the test's own.
//!
//! Needs root (bpf(2) and namespaces); without it each test says why it
//! did not run.

mod common;

use std::os::fd::AsFd;
use std::path::Path;
use std::process::Output;

use common::bpffs::Bpffs;
use common::programs::returns_2;
use common::{is_root, rawnet, skipped, TestNs};
use rawnet::bpf::{Link, Map, MapSpec, MapType, ProgramType, TcxDirection};

fn out(o: &Output) -> (Option<i32>, String, String) {
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn ok(args: &[&str]) -> String {
    let (code, stdout, stderr) = out(&rawnet(args));
    assert_eq!(code, Some(0), "{args:?}: {stderr}");
    stdout
}

fn refused(args: &[&str], line: &str) {
    assert_eq!(
        out(&rawnet(args)),
        (Some(255), String::new(), format!("{line}\n")),
        "{args:?}"
    );
}

#[test]
fn programs_and_maps_pinned_by_any_handle() {
    if !is_root() {
        return skipped("bpf pin: needs root (bpf)");
    }
    let fs = Bpffs::mount("pin");
    let name = format!("pin{}", std::process::id());
    let p = returns_2(ProgramType::Xdp, &name);
    let id = p.info().expect("info").id.to_string();

    let first = fs.path("first");
    assert_eq!(ok(&["bpf", "prog", "pin", "id", &id, &first]), "");
    assert!(Path::new(&first).exists());
    let second = fs.path("second");
    assert_eq!(
        ok(&["-j", "bpf", "prog", "pin", "pinned", &first, &second]),
        "null\n"
    );
    let third = fs.path("third");
    ok(&["bpf", "prog", "pin", "name", &name, &third]);
    let shown = ok(&["bpf", "prog", "show", "id", &id]);
    for pin in [&first, &second, &third] {
        assert_eq!(ok(&["bpf", "prog", "show", "pinned", pin]), shown);
    }

    // The checks of `prog load ... pin`, before anything is pinned.
    let plain = std::env::temp_dir().join(format!("rawnet-bpfpin-{}", std::process::id()));
    std::fs::create_dir_all(&plain).expect("mkdir");
    let off = plain.join("p").to_string_lossy().into_owned();
    refused(
        &["bpf", "prog", "pin", "id", &id, &off],
        &format!(
            "Error: can't pin BPF object: dir '{}' is not on a BPF file system",
            plain.display()
        ),
    );
    assert!(!Path::new(&off).exists());
    let _ = std::fs::remove_dir_all(&plain);
    refused(
        &["bpf", "prog", "pin", "id", &id, &first],
        &format!("Error: can't pin BPF object: path '{first}' already exists"),
    );
    refused(
        &["bpf", "prog", "pin", "id", &id],
        "Error: 'pin' needs at least 3 arguments, 2 found",
    );
    refused(
        &["bpf", "map", "pin", "pinned", &first, &fs.path("x")],
        "Error: incorrect object type: prog",
    );
    // A second program of that name: the handle is no longer one program.
    let twin = returns_2(ProgramType::Xdp, &name);
    refused(
        &["bpf", "prog", "pin", "name", &name, &fs.path("x")],
        "Error: several programs match this handle",
    );
    assert!(!Path::new(&fs.path("x")).exists());
    drop(twin);

    // Maps: by id, name and pin.
    let map_name = format!("pinm{}", std::process::id());
    let m = Map::create(&MapSpec::new(MapType::Hash, &map_name, 4, 4, 8)).expect("map");
    let mid = m.info().expect("map info").id.to_string();
    ok(&["bpf", "map", "pin", "id", &mid, &fs.path("m1")]);
    ok(&["bpf", "map", "pin", "name", &map_name, &fs.path("m2")]);
    ok(&[
        "bpf",
        "map",
        "pin",
        "pinned",
        &fs.path("m2"),
        &fs.path("m3"),
    ]);
    let shown = ok(&["bpf", "map", "show", "id", &mid]);
    for pin in ["m1", "m2", "m3"] {
        assert_eq!(ok(&["bpf", "map", "show", "pinned", &fs.path(pin)]), shown);
    }
    drop(m);
    drop(p);
}

#[test]
fn a_tcx_link_pinned_outlives_its_descriptor() {
    if !is_root() {
        return skipped("bpf link pin: needs root (bpf and netns)");
    }
    let fs = Bpffs::mount("linkpin");
    let ns = TestNs::with_idle_veth("bpin");
    let ifindex: u32 = ns.ip_json(&["link", "show", "veth0"])[0]["ifindex"]
        .as_u64()
        .expect("ifindex") as u32;
    let p = returns_2(ProgramType::SchedCls, "pin_tcx");
    let netns = rawnet::ns::NetNs::open_named(&ns.name).expect("open namespace");
    let link = rawnet::ns::run_in(&netns, || {
        Link::attach_tcx(p.as_fd(), ifindex, TcxDirection::Ingress)
    })
    .expect("run in namespace")
    .expect("attach tcx link");
    let lid = link.info().expect("link info").id.to_string();

    let pin = fs.path("link");
    assert_eq!(
        out(&ns.rawnet(&["-j", "bpf", "link", "pin", "id", &lid, &pin])),
        (Some(0), "null\n".to_string(), String::new())
    );
    let pin2 = fs.path("link2");
    assert_eq!(
        out(&ns.rawnet(&["bpf", "link", "pin", "pinned", &pin, &pin2])),
        (Some(0), String::new(), String::new())
    );
    refused(
        &[
            "bpf",
            "link",
            "pin",
            "pinned",
            &fs.path("nosuch"),
            &fs.path("x"),
        ],
        &format!(
            "Error: bpf obj get ({}): No such file or directory",
            fs.path("nosuch")
        ),
    );
    // The descriptors closed, the pins keep the link (and its program).
    drop(link);
    drop(p);
    let shown = ns.rawnet_ok(&["bpf", "link", "show", "id", &lid]);
    assert!(shown.starts_with(&format!("{lid}: tcx  prog ")), "{shown}");
    assert!(
        shown.contains(&format!("ifindex veth0({ifindex})")),
        "{shown}"
    );
    for p in [&pin, &pin2] {
        assert_eq!(ns.rawnet_ok(&["bpf", "link", "show", "pinned", p]), shown);
    }
    ns.rawnet_ok(&["bpf", "link", "detach", "pinned", &pin]);
}
