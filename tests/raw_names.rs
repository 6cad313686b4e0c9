//! Device and namespace names that are not UTF-8, end to end: given as raw
//! bytes on the command line, they reach the kernel as those bytes, and what
//! rawnet prints of them is byte for byte what `ip` prints (text and `-j`).
//! Each test runs in namespaces it creates; the `netns` test in a sandbox
//! (`unshare --mount --net`, a tmpfs on /run/netns).

mod common;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::process::{Command, Output};

use common::TestNs;

/// Names that are not UTF-8 (and one with a genuine U+10FF41, the range the
/// CLI's escape uses, which must round-trip too).
const VETH: &[u8] = b"\xff\xfe";
const PEER: &[u8] = b"p\xe9";
const BRIDGE: &[u8] = b"br-caf\xe9";
const PRIVATE: &str = "u\u{10FF41}";
const PRIVATE_PEER: &[u8] = b"q\xf4\x8f\xbf";

fn run(program: &str, ns: &TestNs, args: &[&[u8]]) -> Output {
    Command::new(program)
        .args(["-n", ns.name.as_str()])
        .args(args.iter().map(|a| OsStr::from_bytes(a)))
        .output()
        .expect("run")
}

fn rawnet(ns: &TestNs, args: &[&[u8]]) -> Output {
    run(env!("CARGO_BIN_EXE_rawnet"), ns, args)
}

fn ok(out: Output, what: &str) -> Vec<u8> {
    assert!(
        out.status.success(),
        "{what}: {:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Both tools' stdout, stderr and exit status for `args`, compared as bytes.
fn same(ns: &TestNs, args: &[&[u8]]) -> Vec<u8> {
    let ip = run("ip", ns, args);
    let ours = rawnet(ns, args);
    let shown: Vec<_> = args.iter().map(|a| String::from_utf8_lossy(a)).collect();
    assert_eq!(
        (ours.status.code(), &ours.stderr),
        (ip.status.code(), &ip.stderr),
        "status/stderr of {shown:?}"
    );
    assert_eq!(
        ours.stdout,
        ip.stdout,
        "stdout of {shown:?}:\nrawnet: {}\nip:     {}",
        String::from_utf8_lossy(&ours.stdout),
        String::from_utf8_lossy(&ip.stdout)
    );
    ours.stdout
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn raw_device_names_work_end_to_end() {
    let ns = TestNs::new("raw");
    let private = PRIVATE.as_bytes();
    ok(
        rawnet(
            &ns,
            &[
                b"link", b"add", VETH, b"type", b"veth", b"peer", b"name", PEER,
            ],
        ),
        "link add veth",
    );
    ok(
        rawnet(&ns, &[b"link", b"add", BRIDGE, b"type", b"bridge"]),
        "link add bridge",
    );
    ok(
        rawnet(
            &ns,
            &[
                b"link",
                b"add",
                b"name",
                private,
                b"type",
                b"veth",
                b"peer",
                PRIVATE_PEER,
            ],
        ),
        "link add U+10FF41",
    );
    // The kernel has exactly those bytes.
    let listed = ok(run("ip", &ns, &[b"link", b"show"]), "ip link show");
    for name in [VETH, PEER, BRIDGE, private, PRIVATE_PEER] {
        let mut want = b": ".to_vec();
        want.extend_from_slice(name);
        want.push(b'@');
        let mut bridge = b": ".to_vec();
        bridge.extend_from_slice(name);
        bridge.push(b':');
        assert!(
            contains(&listed, &want) || contains(&listed, &bridge),
            "{:?} not in {}",
            String::from_utf8_lossy(name),
            String::from_utf8_lossy(&listed)
        );
    }
    assert!(!contains(&listed, "\u{FFFD}".as_bytes()));
    assert!(!contains(&listed, b"\xf4\x8f\xbf\xbf"));

    ok(rawnet(&ns, &[b"link", b"set", VETH, b"up"]), "link set up");
    ok(
        rawnet(&ns, &[b"link", b"set", PEER, b"master", BRIDGE]),
        "link set master",
    );
    ok(
        rawnet(&ns, &[b"link", b"set", b"dev", private, b"up"]),
        "set U+10FF41 up",
    );
    ok(
        rawnet(&ns, &[b"addr", b"add", b"10.9.0.1/24", b"dev", VETH]),
        "addr add",
    );
    ok(
        rawnet(&ns, &[b"addr", b"add", b"10.8.0.1/24", b"dev", private]),
        "addr add U+10FF41",
    );
    ok(
        rawnet(&ns, &[b"route", b"add", b"10.10.0.0/16", b"dev", VETH]),
        "route add",
    );
    ok(
        rawnet(
            &ns,
            &[
                b"neigh",
                b"add",
                b"10.9.0.5",
                b"lladdr",
                b"02:00:00:00:00:05",
                b"dev",
                VETH,
            ],
        ),
        "neigh add",
    );

    for args in [
        &[&b"link"[..], b"show"][..],
        &[b"-j", b"link", b"show"],
        &[b"-d", b"link", b"show"],
        &[b"-br", b"link", b"show"],
        &[b"link", b"show", VETH],
        &[b"-j", b"link", b"show", VETH],
        &[b"link", b"show", b"dev", private],
        &[b"link", b"show", b"master", BRIDGE],
        &[b"addr", b"show"],
        &[b"-j", b"addr", b"show"],
        &[b"addr", b"show", b"dev", VETH],
        &[b"-j", b"addr", b"show", b"dev", private],
        &[b"-o", b"addr", b"show", b"dev", VETH],
        &[b"route", b"show"],
        &[b"-j", b"route", b"show"],
        &[b"route", b"show", b"dev", VETH],
        &[b"-br", b"addr", b"show"],
        &[b"neigh", b"show"],
        &[b"-j", b"neigh", b"show", b"dev", VETH],
        &[b"rule", b"show"],
        &[b"link", b"show", b"nosuch\xff"],
    ] {
        same(&ns, args);
    }
    assert!(contains(
        &same(&ns, &[b"link", b"show", b"dev", PEER]),
        b"master br-caf\xe9 "
    ));

    ok(rawnet(&ns, &[b"link", b"del", VETH]), "link del");
    ok(
        rawnet(&ns, &[b"link", b"del", b"dev", private]),
        "link del U+10FF41",
    );
    let listed = ok(run("ip", &ns, &[b"link", b"show"]), "ip link show");
    for gone in [VETH, PEER, private, PRIVATE_PEER] {
        let mut want = b": ".to_vec();
        want.extend_from_slice(gone);
        assert!(
            !contains(&listed, &want),
            "{:?} still there",
            String::from_utf8_lossy(gone)
        );
    }
    assert!(contains(&listed, b": br-caf\xe9:"));
}

/// `netns add/list/exec/del` with names that are not UTF-8, in a sandbox;
/// each step's output next to iproute2's.
#[test]
fn raw_netns_names_work_in_a_sandbox() {
    if Command::new("unshare").arg("--version").output().is_err() {
        common::skipped("raw_netns_names: no unshare here");
        return;
    }
    let script = r#"
set -u
R=$1
N=$(printf 'caf\351')
P=$(printf 'u\364\217\275\201')
mount -t tmpfs tmpfs /run/netns || exit 90
"$R" netns add "$N" || exit 91
ip netns add "$P" || exit 92
ip netns list; echo ---
"$R" netns list; echo ---
ip -j netns list; echo ---
"$R" -j netns list; echo ---
"$R" netns exec "$N" printf '%s' "$N"; echo ---
"$R" netns exec "$P" printf '%s' "$P"; echo ---
"$R" -n "$N" link show lo; echo ---
ip -n "$N" link show lo; echo ---
"$R" netns identify $$; echo ---
"$R" netns del "$N" || exit 93
"$R" netns del "$P" || exit 94
ip netns list; echo ---
"#;
    let out = Command::new("unshare")
        .args([
            "--mount",
            "--net",
            "--propagation",
            "private",
            "--",
            "sh",
            "-c",
        ])
        .arg(script)
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_rawnet"))
        .output()
        .expect("run unshare");
    assert!(
        out.status.success(),
        "sandbox: {:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let text = &out.stdout[..];
    let parts: Vec<Vec<u8>> = split(text, b"---\n");
    assert_eq!(parts.len(), 11, "{}", String::from_utf8_lossy(text));
    let (caf, priv_) = (&b"caf\xe9"[..], &b"u\xf4\x8f\xbd\x81"[..]);
    assert!(contains(&parts[0], caf) && contains(&parts[0], priv_));
    assert_eq!(parts[1], parts[0], "netns list");
    assert_eq!(parts[3], parts[2], "-j netns list");
    assert_eq!(parts[4], caf, "netns exec argv");
    assert_eq!(parts[5], priv_, "netns exec argv (U+10FF41)");
    assert_eq!(parts[6], parts[7], "-n NAME link show lo");
    assert!(
        parts[9].is_empty(),
        "left: {}",
        String::from_utf8_lossy(&parts[9])
    );
}

fn split(bytes: &[u8], sep: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + sep.len() <= bytes.len() {
        if &bytes[i..i + sep.len()] == sep {
            out.push(bytes[start..i].to_vec());
            i += sep.len();
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(bytes[start..].to_vec());
    out
}
