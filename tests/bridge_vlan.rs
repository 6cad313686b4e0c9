//! `rawnet bridge vlan` against iproute2's `bridge vlan`, inside namespaces
//! made by `TestNs`: a bridge with two veth ports.
//!
//! - Changes (`add`/`del`: single, range, `pvid untagged`, `self` on the
//!   bridge) made by both tools end the same way, and where the kernel has
//!   VLAN filtering both tools then show the same table. This machine's kernel
//!   has no CONFIG_BRIDGE_VLAN_FILTERING: every change is refused with
//!   EOPNOTSUPP, and the test says so and compares the refusals.
//! - Tables with VLANs in them: `tests/bridge_vlan/fake_vlan_dump.c`, built
//!   with `cc` and preloaded into both tools, answers the AF_BRIDGE link dump
//!   with the same canned messages, so `bridge` 6.1 itself is the oracle for
//!   text, `-j`, `-j -p`, `-o` and the `dev`/`vid` filters.
//! - Bad input fails with `bridge`'s message and exit code, changing nothing.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::{argv, skipped, TestNs};
use rawnet::netlink::MessageBuilder;
use rawnet::route::bridge_vlan::*;
use rawnet::route::link::{IfInfoMsg, IFLA_AF_SPEC, IFLA_IFNAME, IFLA_MASTER};
use rawnet::route::RTM_NEWLINK;

const AF_BRIDGE: u8 = 7;

/// br0 (`vlan_filtering 1` where the kernel can) with ports veth0 and veth2.
/// True when the bridge filters VLANs.
fn bridge_ns(tag: &str) -> (TestNs, bool) {
    let ns = TestNs::new(tag);
    ns.ip_ok(&["link", "set", "lo", "up"]);
    let filtering = ns
        .iproute2("ip", &argv("link add br0 type bridge vlan_filtering 1"))
        .status
        .success();
    if !filtering {
        ns.ip_ok(&argv("link add br0 type bridge"));
    }
    for (a, b) in [("veth0", "veth1"), ("veth2", "veth3")] {
        ns.ip_ok(&argv(&format!("link add {a} type veth peer name {b}")));
        ns.ip_ok(&["link", "set", a, "master", "br0"]);
    }
    (ns, filtering)
}

/// `rawnet -n NS OPTS bridge ARGS` and `bridge -n NS OPTS ARGS`.
fn both(ns: &TestNs, env: &[(&str, &str)], opts: &[&str], args: &[&str]) -> (Output, Output) {
    let run = |program: &str, words: Vec<&str>| {
        let mut c = Command::new(program);
        c.args(["-n", ns.name.as_str()]).args(words);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap_or_else(|e| panic!("run {program}: {e}"))
    };
    let mut ours = opts.to_vec();
    ours.push("bridge");
    ours.extend_from_slice(args);
    let mut theirs = opts.to_vec();
    theirs.extend_from_slice(args);
    (
        run(env!("CARGO_BIN_EXE_rawnet"), ours),
        run("bridge", theirs),
    )
}

/// stderr with `bridge`'s self-references turned into rawnet's.
fn their_stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).replace("\"bridge ", "\"rawnet bridge ")
}

/// rawnet's stderr without its `(after "WORD")` hint on incomplete lines.
fn our_stderr(o: &Output) -> String {
    let s = String::from_utf8_lossy(&o.stderr).into_owned();
    match s.find(" (after \"") {
        Some(at) => format!("{}\n", &s[..at]),
        None => s,
    }
}

/// Same exit code, stdout and stderr.
fn assert_same(ns: &TestNs, env: &[(&str, &str)], opts: &[&str], args: &[&str]) -> String {
    let (ours, theirs) = both(ns, env, opts, args);
    let what = format!("{} {}", opts.join(" "), args.join(" "));
    assert_eq!(
        String::from_utf8_lossy(&ours.stdout),
        String::from_utf8_lossy(&theirs.stdout),
        "stdout of {what}"
    );
    assert_eq!(our_stderr(&ours), their_stderr(&theirs), "stderr of {what}");
    assert_eq!(ours.status.code(), theirs.status.code(), "exit of {what}");
    String::from_utf8_lossy(&ours.stdout).into_owned()
}

fn assert_same_show(ns: &TestNs, env: &[(&str, &str)], args: &[&str]) {
    for opts in [&[][..], &["-j"], &["-j", "-p"], &["-o"], &["-com"]] {
        assert_same(ns, env, opts, args);
    }
}

#[test]
fn show_matches_bridge_on_the_live_kernel() {
    let (ns, _) = bridge_ns("bv");
    assert_same_show(&ns, &[], &["vlan", "show"]);
    assert_same_show(&ns, &[], &["vlan"]);
    assert_same_show(&ns, &[], &["vlan", "show", "dev", "veth0"]);
    assert_same_show(&ns, &[], &["vlan", "show", "vid", "10"]);
    // `bridge -j vlan show` after the object word, as bridge takes it.
    let (ours, theirs) = both(&ns, &[], &[], &["vlan", "show"]);
    let j = Command::new(env!("CARGO_BIN_EXE_rawnet"))
        .args(["-n", &ns.name, "bridge", "-j", "vlan", "show"])
        .output()
        .unwrap();
    assert!(ours.status.success() && theirs.status.success());
    let theirs_j = ns.iproute2("bridge", &["-j", "vlan", "show"]);
    assert_eq!(j.stdout, theirs_j.stdout);
}

#[test]
fn changes_end_as_bridge_ends_them() {
    let (ns, filtering) = bridge_ns("bc");
    if !filtering {
        skipped(
            "bridge_vlan: this kernel has no VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING); \
             changes are compared as the kernel's refusals",
        );
    }
    let changes = [
        "vlan add dev veth0 vid 10 pvid untagged",
        "vlan add dev veth0 vid 20-30",
        "vlan add dev veth2 vid 100-102 untagged",
        "vlan add dev br0 vid 40 self",
        "vlan add dev veth2 vid 7 master",
    ];
    let undo = [
        "vlan del dev veth0 vid 10",
        "vlan del dev veth0 vid 20-30",
        "vlan del dev veth2 vid 100-102",
        "vlan del dev br0 vid 40 self",
        "vlan del dev veth2 vid 7 master",
    ];
    if filtering {
        // rawnet changes, both show the same.
        for c in changes {
            ns.rawnet_ok(&[&["bridge"][..], &argv(c)].concat());
            assert_same_show(&ns, &[], &["vlan", "show"]);
        }
        assert_same_show(&ns, &[], &["vlan", "show", "dev", "veth0"]);
        assert_same_show(&ns, &[], &["vlan", "show", "vid", "25"]);
        for c in undo {
            ns.rawnet_ok(&[&["bridge"][..], &argv(c)].concat());
            assert_same_show(&ns, &[], &["vlan", "show"]);
        }
    } else {
        for c in changes.iter().chain(undo.iter()) {
            assert_same(&ns, &[], &[], &argv(c));
        }
        assert_same_show(&ns, &[], &["vlan", "show"]);
    }
}

#[test]
fn bad_input_fails_as_bridge_fails_and_changes_nothing() {
    let (ns, _) = bridge_ns("bb");
    let before = ns.iproute2_ok("bridge", &["-j", "vlan", "show"]);
    let links = ns.ip_ok(&["-j", "link", "show"]);
    for line in [
        "vlan add vid 10",
        "vlan add dev veth0",
        "vlan del vid 10-20",
        "vlan add dev nosuch0 vid 10",
        "vlan add dev veth0 vid 4096",
        "vlan add dev veth0 vid 99999",
        "vlan add dev veth0 vid 65535",
        "vlan add dev veth0 vid 0",
        "vlan add dev veth0 vid 4095",
        "vlan add dev veth0 vid 30-20",
        "vlan add dev veth0 vid 10-4096",
        "vlan add dev veth0 vid 10-20 pvid",
        "vlan add dev veth0 vid 5 tunnel_info id 16777216",
        "vlan add dev veth0 vid 5 tunnel_info key 5",
        "vlan add dev veth0 vid",
        "vlan show dev nosuch0",
        "vlan show vid 1 vid 2",
        "vlan show dev veth0 dev veth2",
        "vlan frob",
        "frob",
    ] {
        let (ours, _) = both(&ns, &[], &[], &argv(line));
        assert_same(&ns, &[], &[], &argv(line));
        assert_ne!(ours.status.code(), Some(0), "{line}");
        assert_eq!(
            String::from_utf8_lossy(&ours.stderr).lines().count(),
            1,
            "{line}: one line"
        );
    }
    assert_eq!(ns.iproute2_ok("bridge", &["-j", "vlan", "show"]), before);
    assert_eq!(ns.ip_ok(&["-j", "link", "show"]), links);
}

/// The preload library, built from tests/bridge_vlan/fake_vlan_dump.c.
fn fake_dump_library() -> Option<PathBuf> {
    let src = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/bridge_vlan/fake_vlan_dump.c"
    );
    let out = std::env::temp_dir().join(format!("rawnet-fake-vlan-{}.so", std::process::id()));
    let built = Command::new("cc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&out)
        .arg(src)
        .arg("-ldl")
        .output();
    match built {
        Ok(o) if o.status.success() => Some(out),
        Ok(o) => {
            skipped(&format!(
                "bridge_vlan: cc failed: {}",
                String::from_utf8_lossy(&o.stderr)
            ));
            None
        }
        Err(e) => {
            skipped(&format!("bridge_vlan: no C compiler ({e})"));
            None
        }
    }
}

/// An `RTM_NEWLINK` of family `AF_BRIDGE` as `br_fill_ifinfo` writes it;
/// `entries` `None` leaves `IFLA_AF_SPEC` out.
fn port(index: u32, name: &str, master: u32, entries: Option<&[(u16, u16)]>) -> Vec<u8> {
    let mut m = MessageBuilder::new(RTM_NEWLINK, 0);
    m.header(&IfInfoMsg {
        ifi_family: AF_BRIDGE,
        ifi_type: 1,
        ifi_index: index as i32,
        ..IfInfoMsg::default()
    });
    m.put_str(IFLA_IFNAME, name);
    m.put_u32(IFLA_MASTER, master);
    if let Some(entries) = entries {
        m.nest(IFLA_AF_SPEC, |m| {
            for &(flags, vid) in entries {
                let mut b = [0u8; 4];
                b[..2].copy_from_slice(&flags.to_ne_bytes());
                b[2..].copy_from_slice(&vid.to_ne_bytes());
                m.put(IFLA_BRIDGE_VLAN_INFO, &b);
            }
        });
    }
    m.finish().unwrap().as_bytes().to_vec()
}

fn index_of(ns: &TestNs, name: &str) -> u32 {
    let j = ns.ip_json(&["link", "show", "dev", name]);
    j[0]["ifindex"].as_u64().expect("ifindex") as u32
}

#[test]
fn vlan_tables_print_as_bridge_prints_them() {
    let Some(lib) = fake_dump_library() else {
        return;
    };
    let (ns, _) = bridge_ns("bt");
    let (v0, v2, br) = (
        index_of(&ns, "veth0"),
        index_of(&ns, "veth2"),
        index_of(&ns, "br0"),
    );
    const PVID: u16 = BRIDGE_VLAN_INFO_PVID;
    const UNTAGGED: u16 = BRIDGE_VLAN_INFO_UNTAGGED;
    const BEGIN: u16 = BRIDGE_VLAN_INFO_RANGE_BEGIN;
    const END: u16 = BRIDGE_VLAN_INFO_RANGE_END;
    const BRENTRY: u16 = BRIDGE_VLAN_INFO_BRENTRY;
    let mut dump = Vec::new();
    // A compressed table: ranges as begin/end pairs.
    dump.extend(port(
        v0,
        "veth0",
        br,
        Some(&[
            (PVID | UNTAGGED, 1),
            (BEGIN, 20),
            (END, 30),
            (UNTAGGED, 40),
            (0, 4094),
        ]),
    ));
    // A port without IFLA_AF_SPEC is skipped, one with an empty one too.
    dump.extend(port(v2, "veth2", br, None));
    dump.extend(port(v2, "veth2", br, Some(&[])));
    // An uncompressed table: one entry per VLAN.
    dump.extend(port(v2, "veth2", br, Some(&[(PVID, 10), (0, 11), (0, 12)])));
    dump.extend(port(
        br,
        "br0",
        br,
        Some(&[
            (BRENTRY | PVID | UNTAGGED, 1),
            (BEGIN | UNTAGGED, 100),
            (END | UNTAGGED, 102),
        ]),
    ));
    let file = std::env::temp_dir().join(format!("rawnet-vlan-dump-{}.bin", std::process::id()));
    std::fs::write(&file, &dump).unwrap();
    let env = [
        ("LD_PRELOAD", lib.to_str().unwrap()),
        ("FAKE_VLAN_DUMP", file.to_str().unwrap()),
    ];
    let shown = assert_same(&ns, &env, &[], &["vlan", "show"]);
    assert!(
        shown.contains("veth0             1 PVID Egress Untagged\n"),
        "{shown}"
    );
    assert!(shown.contains("                  20-30\n"), "{shown}");
    for filter in [
        &["vlan", "show"][..],
        &["vlan", "show", "dev", "veth0"],
        &["vlan", "show", "dev", "veth2"],
        &["vlan", "show", "vid", "25"],
        &["vlan", "show", "vid", "11"],
        &["vlan", "show", "vid", "1"],
        &["vlan", "show", "vid", "101"],
        &["vlan", "show", "vid", "5000"],
        &["vlan", "show", "dev", "br0", "vid", "100"],
    ] {
        assert_same_show(&ns, &env, filter);
    }
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_file(&lib);
}
