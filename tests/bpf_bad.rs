//! Bad input to `rawnet bpf prog load` and `rawnet link set DEV xdp ...`:
//! each gives one clear line (after the verifier's log, for a refusal), a
//! nonzero exit, and leaves no program, map or pin behind.
//!
//! "Nothing left" is proved by name: every program and map a case could
//! create has a name unique to this run (`bb<tag><pid>`), and the walk over
//! every loaded object (`rawnet::bpf::programs()` / `maps()`) must not find
//! one. The kernel frees an unreferenced object a little after its last
//! descriptor closes, so the walk is asked up to 100 times before failing.
//!
//! Needs root (bpf(2) and namespaces); without it each test says why it did
//! not run. Pins go to a bpffs mounted for the test on a temp dir; XDP is
//! attached only in namespaces the test creates.

mod common;

use common::is_root;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::bpffs::Bpffs;
use common::{rawnet, skipped, TestNs};
use rawnet::bpf::{Map, MapSpec, MapType};

macro_rules! need_root {
    ($what:expr) => {
        if !is_root() {
            return skipped(&format!(
                "{}: bpf(2) needs root here (kernel.unprivileged_bpf_disabled = 2)",
                $what
            ));
        }
    };
}

/// A bpf object name unique to this run: `bb` + tag + pid, at most 15 bytes.
fn unique(tag: &str) -> String {
    let mut n = format!("bb{tag}{}", std::process::id());
    n.truncate(15);
    n
}

/// A directory of source files for one test, removed on drop.
struct Sources(PathBuf);

impl Sources {
    fn new(tag: &str) -> Sources {
        let dir = std::env::temp_dir().join(format!("rawnet-bpfbad-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create source dir");
        Sources(dir)
    }

    /// Write `text` to `name`; its path as text.
    fn file(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write source");
        path.to_string_lossy().into_owned()
    }
}

impl Drop for Sources {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Names among `names` that some loaded program or map still has.
fn present(names: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for p in rawnet::bpf::programs().flatten() {
        if let Ok(i) = p.info() {
            if names.contains(&i.name.as_str()) {
                found.push(format!("program {} ({})", i.name, i.id));
            }
        }
    }
    for m in rawnet::bpf::maps().flatten() {
        if let Ok(i) = m.info() {
            if names.contains(&i.name.as_str()) {
                found.push(format!("map {} ({})", i.name, i.id));
            }
        }
    }
    found
}

/// No program or map named any of `names` is left (asked up to 100 times,
/// 50 ms apart: freeing is deferred in the kernel).
fn assert_nothing_named(names: &[&str], what: &str) {
    let mut left = Vec::new();
    for _ in 0..100 {
        left = present(names);
        if left.is_empty() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("{what}: left behind: {left:?}");
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Exit `code`, nothing on stdout, and exactly `line` on stderr.
fn assert_one_line(o: &Output, code: i32, line: &str, what: &str) {
    assert_eq!(o.status.code(), Some(code), "{what}: {}", stderr(o));
    assert_eq!(stderr(o), format!("{line}\n"), "{what}");
    assert!(o.stdout.is_empty(), "{what}: stdout {:?}", o.stdout);
}

#[test]
fn assembler_errors_name_the_place_and_create_nothing() {
    let src = Sources::new("asm");
    let map = unique("am");
    let prog = unique("ap");
    let mnemonic = src.file(
        "mnemonic.s",
        &format!("map {map} type array key 4 value 8 entries 1\nr0 = 0\n  frob r1\nexit\n"),
    );
    // A label 40000 instructions away: past a 16-bit jump offset.
    let mut far = format!("map {map} type hash key 4 value 4 entries 1\ngoto far\n");
    far.push_str(&"r0 = 0\n".repeat(40_000));
    far.push_str("far: exit\n");
    let far = src.file("far.s", &far);
    let undeclared = src.file(
        "undeclared.s",
        &format!("map {map} type array key 4 value 8 entries 1\nr0 = 0\nr1 = map nosuch\nexit\n"),
    );
    for (file, line) in [
        (
            &mnemonic,
            format!("{mnemonic}:3:3: unknown mnemonic `frob`"),
        ),
        (
            &far,
            format!("{far}:2:6: jump to `far` out of range (offset 40000)"),
        ),
        (
            &undeclared,
            format!("{undeclared}:3:10: undeclared map `nosuch`"),
        ),
    ] {
        let o = rawnet(&["bpf", "prog", "load", file, "type", "xdp", "name", &prog]);
        assert_one_line(&o, 255, &line, file);
    }
    if !is_root() {
        return skipped("bpf_bad: the walk over loaded objects needs root");
    }
    assert_nothing_named(&[&map, &prog], "assembler errors");
}

#[test]
fn verifier_refusals_print_the_log_and_free_the_maps() {
    need_root!("bpf_bad refusals");
    let fs = Bpffs::mount("bad-refused");
    let src = Sources::new("refused");
    let (m1, m2, prog) = (unique("vm1"), unique("vm2"), unique("vp"));
    let maps = format!(
        "map {m1} type array key 4 value 8 entries 4\n\
         map {m2} type hash key 4 value 8 entries 4\n"
    );
    // XDP reading the packet without comparing against data_end.
    let oob = src.file(
        "oob.s",
        &format!(
            "{maps}r2 = *(u32 *)(r1 +0)\nr0 = *(u8 *)(r2 +0)\n\
             r1 = map {m1}\nr1 = map {m2}\nr0 = 2\nexit\n"
        ),
    );
    // Falls off its end.
    let no_exit = src.file(
        "noexit.s",
        &format!("{maps}r1 = map {m1}\nr1 = map {m2}\nr0 = 2\n"),
    );
    // A jump past the last instruction (the assembler keeps pc+N as written).
    let past_end = src.file(
        "pastend.s",
        &format!("{maps}r1 = map {m1}\nr1 = map {m2}\nr0 = 2\nif r0 == 0 goto pc+9\nexit\n"),
    );
    for (file, words, errno) in [
        (&oob, "invalid access to packet", "Permission denied"),
        (
            &no_exit,
            "last insn is not an exit or jmp",
            "Invalid argument",
        ),
        (&past_end, "jump out of range from insn", "Invalid argument"),
    ] {
        let pin = fs.path("refused");
        let o = rawnet(&[
            "bpf", "prog", "load", file, "type", "xdp", "name", &prog, "pin", &pin,
        ]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(255), "{file}: {err}");
        assert!(err.contains(words), "{file}: {err}");
        assert_eq!(
            err.lines().last(),
            Some(format!("Error: the verifier refused the program: {errno}").as_str()),
            "{file}: {err}"
        );
        assert!(o.stdout.is_empty(), "{file}: stdout");
        assert!(!Path::new(&pin).exists(), "{file}: pinned anyway");
        assert_nothing_named(&[&m1, &m2, &prog], file);
    }
}

#[test]
fn a_pin_path_off_a_bpffs_is_refused_before_anything_is_made() {
    need_root!("bpf_bad pin paths");
    let fs = Bpffs::mount("bad-pin");
    let src = Sources::new("pin");
    let (map, prog) = (unique("pm"), unique("pp"));
    let file = src.file(
        "pass.s",
        &format!("map {map} type array key 4 value 8 entries 1\nr1 = map {map}\nr0 = 2\nexit\n"),
    );
    // A tmpfs (or whatever /tmp is): a directory that is no bpffs.
    let plain = src.0.join("plain");
    std::fs::create_dir_all(&plain).expect("mkdir");
    let plain_pin = plain.join("p").to_string_lossy().into_owned();
    let missing_dir = fs
        .dir
        .join("nosuch")
        .join("p")
        .to_string_lossy()
        .into_owned();
    let taken = fs.path("taken");
    std::fs::create_dir(&taken).expect("mkdir on the bpffs");
    let cases = [
        (
            plain_pin.clone(),
            format!(
                "Error: can't pin BPF object: dir '{}' is not on a BPF file system",
                plain.display()
            ),
        ),
        (
            missing_dir.clone(),
            format!(
                "Error: can't pin BPF object: dir '{}' doesn't exist",
                fs.dir.join("nosuch").display()
            ),
        ),
        (
            taken.clone(),
            format!("Error: can't pin BPF object: path '{taken}' already exists"),
        ),
    ];
    for (pin, line) in &cases {
        let o = rawnet(&[
            "bpf", "prog", "load", &file, "type", "xdp", "name", &prog, "pin", pin,
        ]);
        assert_one_line(&o, 255, line, pin);
        assert_nothing_named(&[&map, &prog], pin);
    }
    assert!(!Path::new(&plain_pin).exists(), "a file was created");
    assert!(!Path::new(&missing_dir).exists(), "a file was created");
    assert!(
        Path::new(&taken).is_dir(),
        "the path in the way was touched"
    );
}

#[test]
fn xdp_attach_refusals_match_ip() {
    need_root!("bpf_bad xdp");
    let fs = Bpffs::mount("bad-xdp");
    let src = Sources::new("xdp");
    let (map, prog) = (unique("xm"), unique("xp"));
    let file = src.file(
        "pass.s",
        &format!("map {map} type array key 4 value 8 entries 1\nr1 = map {map}\nr0 = 2\nexit\n"),
    );
    let pin = fs.path("pass");
    let o = rawnet(&[
        "bpf", "prog", "load", &file, "type", "xdp", "name", &prog, "pin", &pin,
    ]);
    assert_eq!(o.status.code(), Some(0), "load: {}", stderr(&o));
    let id = String::from_utf8_lossy(&o.stdout).trim().to_string();
    // A map pinned beside it (no program).
    let map_pin = fs.path("map");
    let m = Map::create(&MapSpec::new(MapType::Array, &unique("xpin"), 4, 4, 1)).expect("map");
    m.pin(&map_pin).expect("pin map");
    drop(m);
    let missing = fs.path("missing");

    let ns = TestNs::with_idle_veth("bbx");
    // ip parses the program before it looks the device up: a good program
    // on a missing device is "Cannot find device", a bad one its own error.
    for args in [
        vec!["link", "set", "nosuch", "xdp", "pinned", &pin],
        vec!["link", "set", "dev", "nosuch", "xdpgeneric", "pinned", &pin],
        vec!["link", "set", "nosuch", "xdp", "pinned", &missing],
        vec!["link", "set", "veth0", "xdpgeneric", "pinned", &missing],
        vec!["link", "set", "veth0", "xdpgeneric", "pinned", &map_pin],
        vec!["link", "set", "nosuch", "xdpgeneric", "pinned", &map_pin],
    ] {
        common::assert_same_as_ip(&ns, &args);
        let o = ns.rawnet(&args);
        assert_ne!(o.status.code(), Some(0), "{args:?}");
        assert_eq!(stderr(&o).lines().count(), 1, "{args:?}: {}", stderr(&o));
    }
    // `id N` is rawnet's (ip 6.1 has no such word): the same words as pinned.
    let o = ns.rawnet(&["link", "set", "nosuch", "xdp", "id", &id]);
    assert_one_line(&o, 1, "Cannot find device \"nosuch\"", "id on nosuch");
    let o = ns.rawnet(&["link", "set", "veth0", "xdp", "id", "4294967295"]);
    assert_one_line(
        &o,
        255,
        "Couldn't retrieve program id 4294967295: No such file or directory",
        "id of nothing",
    );
    // Nothing was attached by any of them.
    let shown = ns.ip_ok(&["link", "show", "veth0"]);
    assert!(!shown.contains("prog/xdp"), "{shown}");
    drop(ns);
    std::fs::remove_file(&pin).expect("unpin");
    std::fs::remove_file(&map_pin).expect("unpin map");
    assert_nothing_named(&[&map, &prog, &unique("xpin")], "after unpinning");
}
