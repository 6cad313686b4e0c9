//! `rawnet bpf ...` against the running kernel: the shipped programs
//! (src/bpf/programs/*.s) assembled, loaded through the verifier and pinned
//! on a bpffs mounted for the test; shown, disassembled, their maps dumped
//! and written; unpinned and gone. A program the verifier refuses shows its
//! log and leaves nothing; bad input is one line and exit 255 (bpftool's -1),
//! with `-j` bpftool's `{"error":...}` object on standard output instead.
//!
//! Needs root (`kernel.unprivileged_bpf_disabled = 2`); without it each test
//! says why it did not run. Nothing is attached anywhere.

mod common;

use common::is_root;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::bpffs::Bpffs;

macro_rules! need_root {
    () => {
        if !is_root() {
            common::skipped("bpf(2) needs root here (kernel.unprivileged_bpf_disabled = 2)");
            return;
        }
    };
}

fn rawnet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rawnet"))
        .args(args)
        .output()
        .expect("run rawnet")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs and insists on success; its standard output.
fn ok(args: &[&str]) -> String {
    let o = rawnet(args);
    assert!(
        o.status.success(),
        "rawnet {args:?}: {:?}\n{}",
        o.status,
        stderr(&o)
    );
    stdout(&o)
}

fn program(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/bpf/programs")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// The freeing of an unpinned object is deferred in the kernel: ask up to
/// 100 times (each a fresh process) until `rawnet bpf OBJ show id N` fails.
fn gone(obj: &str, id: &str) -> bool {
    (0..100).any(|_| {
        let o = rawnet(&["bpf", obj, "show", "id", id]);
        if o.status.success() {
            std::thread::sleep(std::time::Duration::from_millis(50));
            false
        } else {
            assert_eq!(o.status.code(), Some(255));
            true
        }
    })
}

/// `"map_ids":[7]` in `-j prog show id N`.
fn map_ids(json: &str) -> Vec<String> {
    let Some(start) = json.find("\"map_ids\":[") else {
        return vec![];
    };
    let rest = &json[start + 11..];
    rest[..rest.find(']').unwrap()]
        .split(',')
        .map(str::to_string)
        .collect()
}

#[test]
fn shipped_programs_load_show_dump_and_go_when_unpinned() {
    need_root!();
    let fs = Bpffs::mount("ship");
    for (file, ty, shown, maps) in [
        ("count_proto.s", "xdp", "xdp", 1),
        ("drop_icmp_echo.s", "tc", "sched_cls", 1),
        ("socket_filter.s", "socket", "socket_filter", 0),
    ] {
        let pin = fs.path(file.trim_end_matches(".s"));
        let id = ok(&[
            "bpf",
            "prog",
            "load",
            &program(file),
            "type",
            ty,
            "pin",
            &pin,
        ]);
        let id = id.trim().to_string();
        assert!(id.parse::<u32>().is_ok(), "{file}: id {id:?}");
        assert!(Path::new(&pin).exists());

        let show = ok(&["bpf", "prog", "show", "id", &id]);
        let name = &file[..file.len() - 2];
        let name = &name[..name.len().min(15)];
        assert!(
            show.starts_with(&format!("{id}: {shown}  name {name}  tag ")),
            "{show}"
        );
        let lines: Vec<&str> = show.lines().collect();
        assert_eq!(lines.len(), 3, "{show}");
        assert!(lines[0].ends_with("  gpl"), "{show}");
        assert!(lines[1].starts_with("\tloaded_at ") && lines[1].ends_with("  uid 0"));
        assert!(lines[2].starts_with("\txlated "), "{show}");
        // The whole list has it too.
        assert!(ok(&["bpf", "prog", "show"]).contains(&format!("{id}: {shown}  name {name}")));

        // One program by id is one object, not an array (bpftool's do_show_subset).
        let json = ok(&["-j", "bpf", "prog", "show", "id", &id]);
        assert!(
            json.starts_with(&format!(
                "{{\"id\":{id},\"type\":\"{shown}\",\"name\":\"{name}\",\"tag\":\""
            )),
            "{json}"
        );
        assert!(json.contains("\"gpl_compatible\":true"), "{json}");
        let ids = map_ids(&json);
        assert_eq!(ids.len(), maps, "{json}");

        // bpftool's dump_xlated_plain: `%4u: ` and the kernel's disassembly.
        let dump = ok(&["bpf", "prog", "dump", "xlated", "id", &id]);
        assert!(dump.starts_with("   0: ("), "{dump}");
        assert!(dump.trim_end().ends_with("exit"), "{dump}");
        let json: serde_json::Value =
            serde_json::from_str(&ok(&["-j", "bpf", "prog", "dump", "xlated", "id", &id]))
                .expect("prog dump -j is JSON");
        let insns = json.as_array().expect("an array of instructions");
        assert_eq!(insns.len(), dump.lines().count(), "{json}");
        assert_eq!(
            insns.last().and_then(|i| i["disasm"].as_str()),
            Some("(95) exit"),
            "{json}"
        );

        for mid in &ids {
            let show = ok(&["bpf", "map", "show", "id", mid]);
            assert!(show.starts_with(&format!("{mid}: array  name ")), "{show}");
            assert!(show.contains("\tkey 4B  value 8B  max_entries "), "{show}");
            let dump = ok(&["bpf", "map", "dump", "id", mid]);
            assert!(
                dump.starts_with("key: 00 00 00 00  value: 00 00 00 00 00 00 00 00\n"),
                "{dump}"
            );
            assert!(dump.ends_with(" elements\n") || dump.ends_with(" element\n"));
            ok(&[
                "bpf", "map", "update", "id", mid, "key", "0", "0", "0", "0", "value", "hex", "2a",
                "0", "0", "0", "0", "0", "0", "0",
            ]);
            assert_eq!(
                ok(&["bpf", "map", "lookup", "id", mid, "key", "0", "0", "0", "0"]),
                "key: 00 00 00 00  value: 2a 00 00 00 00 00 00 00\n"
            );
            assert_eq!(
                ok(&["-j", "bpf", "map", "lookup", "id", mid, "key", "0", "0", "0", "0"]),
                "{\"key\":[\"0x00\",\"0x00\",\"0x00\",\"0x00\"],\"value\":[\"0x2a\",\"0x00\",\"0x00\",\"0x00\",\"0x00\",\"0x00\",\"0x00\",\"0x00\"]}\n"
            );
            // Too few key bytes: one line, exit 255.
            let o = rawnet(&["bpf", "map", "lookup", "id", mid, "key", "0"]);
            assert_eq!(o.status.code(), Some(255));
            assert_eq!(stderr(&o), "Error: key expected 4 bytes got 1\n");
        }

        std::fs::remove_file(&pin).unwrap();
        assert!(gone("prog", &id), "{file}: program {id} still there");
        for mid in &ids {
            assert!(gone("map", mid), "{file}: map {mid} still there");
        }
    }
}

#[test]
fn load_with_log_prints_the_id_and_the_verifiers_log() {
    need_root!();
    let out = ok(&[
        "bpf",
        "prog",
        "load",
        &program("socket_filter.s"),
        "type",
        "socket",
        "log",
    ]);
    let mut lines = out.lines();
    assert!(lines.next().unwrap().parse::<u32>().is_ok(), "{out}");
    assert!(out.contains("processed "), "{out}");
}

#[test]
fn a_refused_program_shows_the_log_and_leaves_no_pin() {
    need_root!();
    let fs = Bpffs::mount("refused");
    let dir = tempdir("refused");
    let file = dir.join("oob.s");
    // Reads the first packet byte without comparing against data_end.
    std::fs::write(
        &file,
        "map counts type array key 4 value 8 entries 1\n\
         r2 = *(u32 *)(r1 +0)\n\
         r0 = *(u8 *)(r2 +0)\n\
         r1 = map counts\n\
         r0 = 2\n\
         exit\n",
    )
    .unwrap();
    let pin = fs.path("oob");
    let o = rawnet(&[
        "bpf",
        "prog",
        "load",
        file.to_str().unwrap(),
        "type",
        "xdp",
        "pin",
        &pin,
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(255), "{err}");
    assert!(err.contains("invalid access to packet"), "{err}");
    assert!(
        err.ends_with("Error: the verifier refused the program: Permission denied\n"),
        "{err}"
    );
    assert_eq!(stdout(&o), "");
    assert!(!Path::new(&pin).exists());
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempdir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rawnet-bpfcli-src-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn bad_input_is_one_line_and_exit_255() {
    let dir = tempdir("bad");
    let mnemonic = dir.join("mnemonic.s");
    std::fs::write(&mnemonic, "r0 = 0\n  frob r1\nexit\n").unwrap();
    let undeclared = dir.join("undeclared.s");
    std::fs::write(&undeclared, "r1 = map nosuch\nr0 = 0\nexit\n").unwrap();
    let m = mnemonic.to_str().unwrap();
    let u = undeclared.to_str().unwrap();
    let counting = program("count_proto.s");
    for (args, want) in [
        (
            vec!["bpf", "prog", "load", m, "type", "xdp"],
            format!("{m}:2:3: unknown mnemonic `frob`\n"),
        ),
        (
            vec!["bpf", "prog", "load", u, "type", "xdp"],
            format!("{u}:1:10: undeclared map `nosuch`\n"),
        ),
        (
            vec!["bpf", "prog", "load", &counting, "type", "nosuch"],
            "Error: unknown program type \"nosuch\" (xdp, tc, socket)\n".to_string(),
        ),
        (
            vec!["bpf", "prog", "load", &counting],
            "Error: expected type { xdp | tc | socket }\n".to_string(),
        ),
        (
            vec!["bpf", "map", "dump", "id", "x"],
            "Error: can't parse x as ID\n".to_string(),
        ),
    ] {
        let o = rawnet(&args);
        assert_eq!(o.status.code(), Some(255), "{args:?}");
        assert_eq!(stderr(&o), want, "{args:?}");
        assert_eq!(stdout(&o), "");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// With `-j`, a failure is bpftool's `p_err` object on standard output
/// (`{"error":"..."}`, the `Error: ` prefix dropped; `-p` lays it out as
/// bpftool's json_writer does), nothing on standard error, exit 255; a
/// usage error is `do_help`'s `null`.
#[test]
fn json_errors_are_bpftools_error_object() {
    let dir = tempdir("json");
    let mnemonic = dir.join("mnemonic.s");
    std::fs::write(&mnemonic, "r0 = 0\n  frob r1\nexit\n").unwrap();
    let m = mnemonic.to_str().unwrap();
    let counting = program("count_proto.s");
    let mut cases = vec![
        (
            vec!["-j", "bpf", "map", "dump", "id", "x"],
            "{\"error\":\"can't parse x as ID\"}\n".to_string(),
        ),
        (
            vec!["-j", "-p", "bpf", "prog", "load", &counting],
            "{\n    \"error\": \"expected type { xdp | tc | socket }\"\n}\n".to_string(),
        ),
        (
            vec!["-j", "bpf", "prog", "load", m, "type", "xdp"],
            format!("{{\"error\":\"{m}:2:3: unknown mnemonic `frob`\"}}\n"),
        ),
        (
            vec!["-j", "bpf", "nosuch"],
            "{\"error\":\"Object \\\"nosuch\\\" is unknown, try \\\"rawnet bpf help\\\".\"}\n"
                .to_string(),
        ),
        (
            vec!["-j", "bpf", "net", "show", "dev", "lo", "extra"],
            "null\n".to_string(),
        ),
    ];
    if is_root() {
        cases.push((
            vec!["-j", "bpf", "prog", "show", "id", "4000000000"],
            "{\"error\":\"get by id (4000000000): No such file or directory\"}\n".to_string(),
        ));
    }
    for (args, want) in cases {
        let o = rawnet(&args);
        assert_eq!(o.status.code(), Some(255), "{args:?}");
        assert_eq!(stdout(&o), want, "{args:?}");
        assert_eq!(stderr(&o), "", "{args:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A refusal with `-j`: the verifier's log still on standard error, the
/// error object on standard output.
#[test]
fn json_refusal_keeps_the_log_on_stderr() {
    need_root!();
    let dir = tempdir("jsonrefused");
    let file = dir.join("oob.s");
    std::fs::write(&file, "r2 = *(u32 *)(r1 +0)\nr0 = *(u8 *)(r2 +0)\nexit\n").unwrap();
    let o = rawnet(&[
        "-j",
        "bpf",
        "prog",
        "load",
        file.to_str().unwrap(),
        "type",
        "xdp",
    ]);
    assert_eq!(o.status.code(), Some(255));
    assert!(
        stderr(&o).contains("invalid access to packet"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        stdout(&o),
        "{\"error\":\"the verifier refused the program: Permission denied\"}\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// bpftool's handles: `tag`, `name` and `pinned` beside `id` for programs
/// (`prog show`, `prog dump xlated`), `name` and `pinned` for maps. Two
/// programs share a name and a tag: both are shown (an array in JSON),
/// both dumped, each after its header line.
#[test]
fn programs_and_maps_by_name_tag_and_pin() {
    need_root!();
    let fs = Bpffs::mount("select");
    let name = format!("sel{}", std::process::id());
    let mut ids = Vec::new();
    for pin in ["p1", "p2"] {
        let id = ok(&[
            "bpf",
            "prog",
            "load",
            &program("socket_filter.s"),
            "type",
            "socket",
            "name",
            &name,
            "pin",
            &fs.path(pin),
        ]);
        ids.push(id.trim().to_string());
    }
    let by_id: Vec<String> = ids
        .iter()
        .map(|id| ok(&["bpf", "prog", "show", "id", id]))
        .collect();
    assert_eq!(ok(&["bpf", "prog", "show", "name", &name]), by_id.concat());
    assert_eq!(
        ok(&["bpf", "prog", "show", "pinned", &fs.path("p2")]),
        by_id[1]
    );
    let json = ok(&["-j", "bpf", "prog", "show", "name", &name]);
    let objects: Vec<String> = ids
        .iter()
        .map(|id| {
            ok(&["-j", "bpf", "prog", "show", "id", id])
                .trim()
                .to_string()
        })
        .collect();
    assert_eq!(json, format!("[{}]\n", objects.join(",")));
    let tag = by_id[0].split("  tag ").nth(1).unwrap()[..16].to_string();
    let by_tag = ok(&["bpf", "prog", "show", "tag", &tag]);
    assert!(
        by_tag.contains(&by_id[0]) && by_tag.contains(&by_id[1]),
        "{by_tag}"
    );

    // dump: `xlated` as bpftool spells it, or without; several programs
    // each after their header line, a blank line between.
    let one = ok(&["bpf", "prog", "dump", "xlated", "id", &ids[0]]);
    assert_eq!(one, ok(&["bpf", "prog", "dump", "id", &ids[0]]));
    assert_eq!(
        one,
        ok(&["bpf", "prog", "dump", "xlated", "pinned", &fs.path("p1")])
    );
    let header = |i: usize| format!("{}\n", by_id[i].lines().next().unwrap());
    assert_eq!(
        ok(&["bpf", "prog", "dump", "xlated", "name", &name]),
        format!("{}{one}\n{}{one}", header(0), header(1))
    );

    // Maps: by name and by pin, the same as by id.
    let map_name = format!("selm{}", std::process::id());
    let m = rawnet::bpf::Map::create(&rawnet::bpf::MapSpec::new(
        rawnet::bpf::MapType::Array,
        &map_name,
        4,
        8,
        2,
    ))
    .expect("create map");
    m.pin(fs.path("m")).expect("pin map");
    let mid = m.info().expect("map info").id.to_string();
    drop(m);
    let shown = ok(&["bpf", "map", "show", "id", &mid]);
    assert_eq!(ok(&["bpf", "map", "show", "name", &map_name]), shown);
    assert_eq!(ok(&["bpf", "map", "show", "pinned", &fs.path("m")]), shown);
    ok(&[
        "bpf",
        "map",
        "update",
        "pinned",
        &fs.path("m"),
        "key",
        "1",
        "0",
        "0",
        "0",
        "value",
        "7",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
    ]);
    assert_eq!(
        ok(&["bpf", "map", "lookup", "name", &map_name, "key", "1", "0", "0", "0"]),
        "key: 01 00 00 00  value: 07 00 00 00 00 00 00 00\n"
    );
    assert_eq!(
        ok(&["bpf", "map", "dump", "pinned", &fs.path("m")]),
        ok(&["bpf", "map", "dump", "id", &mid])
    );

    // Refusals in bpftool's words; no match says nothing.
    for (args, err) in [
        (
            vec!["bpf", "map", "show", "pinned", &fs.path("p1")],
            "Error: incorrect object type: prog\n".to_string(),
        ),
        (
            vec!["bpf", "prog", "dump", "xlated", "pinned", &fs.path("m")],
            "Error: incorrect object type: map\n".to_string(),
        ),
        (
            vec!["bpf", "prog", "show", "tag", "xyz"],
            "Error: can't parse tag\n".to_string(),
        ),
        (
            vec!["bpf", "prog", "show", "name", "nosuch_at_all"],
            String::new(),
        ),
        (
            vec!["bpf", "map", "lookup", "name", "nosuch_at_all", "key", "0"],
            String::new(),
        ),
    ] {
        let o = rawnet(&args);
        assert_eq!(o.status.code(), Some(255), "{args:?}");
        assert_eq!(stderr(&o), err, "{args:?}");
        assert_eq!(stdout(&o), "", "{args:?}");
    }
}

#[test]
fn a_per_cpu_update_takes_one_value_and_sets_it_on_every_cpu() {
    need_root!();
    use rawnet::bpf::{Map, MapSpec, MapType};
    let spec = MapSpec::new(MapType::PercpuArray, "rn_percpu_cli", 4, 4, 1);
    let map = Map::create(&spec).expect("create a percpu_array");
    let id = map.info().expect("info").id.to_string();
    ok(&[
        "bpf", "map", "update", "id", &id, "key", "0", "0", "0", "0", "value", "1", "2", "3", "4",
    ]);
    let all = map.lookup(&[0, 0, 0, 0]).expect("lookup").expect("entry");
    assert!(all.len() >= 8, "{all:?}");
    for slot in all.chunks(8) {
        assert_eq!(slot, [1, 2, 3, 4, 0, 0, 0, 0], "{all:?}");
    }
    let shown = ok(&["bpf", "map", "lookup", "id", &id, "key", "0", "0", "0", "0"]);
    assert!(shown.contains("value (CPU 00): 01 02 03 04"), "{shown}");
    // A value the size of all the CPUs' slots is too long, as in bpftool.
    let long = rawnet(&[
        "bpf", "map", "update", "id", &id, "key", "0", "0", "0", "0", "value", "1", "2", "3", "4",
        "5",
    ]);
    assert_eq!(long.status.code(), Some(255), "{}", stderr(&long));
}

#[test]
fn a_lookup_miss_prints_not_found_and_exits_with_enoent_as_bpftool() {
    need_root!();
    use rawnet::bpf::{Map, MapSpec, MapType};
    let map = Map::create(&MapSpec::new(MapType::Hash, "rn_miss_cli", 4, 8, 4)).expect("hash");
    let id = map.info().expect("info").id.to_string();
    let key = ["0", "0", "0", "7"];
    let mut args = vec!["bpf", "map", "lookup", "id", &id, "key"];
    args.extend_from_slice(&key);
    let o = rawnet(&args);
    assert_eq!(o.status.code(), Some(254), "bpftool returns -ENOENT");
    assert_eq!(stdout(&o), "key:\n00 00 00 07\n\nNot found\n");
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    let mut json = vec!["-j"];
    json.extend_from_slice(&args);
    let o = rawnet(&json);
    assert_eq!(o.status.code(), Some(254));
    assert_eq!(stdout(&o), "null\n");
}
