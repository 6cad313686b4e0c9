//! rawnet::bpf against the running kernel: programs loaded (type, name, tag,
//! translated length, the id walk), refusals carrying the verifier's words,
//! maps of three types through every element command, and pins on a bpffs
//! mounted for the test in a temporary directory.
//!
//! Needs root (`kernel.unprivileged_bpf_disabled = 2`); without it each test
//! prints why it did not run. Nothing is attached anywhere; every object is
//! freed when its descriptor closes.

mod common;

use common::is_root;

use common::bpffs::Bpffs;

use rawnet::bpf::{
    self, LogLevel, Map, MapSpec, MapType, Program, ProgramSpec, ProgramType, Update,
};
use rawnet::Error;

macro_rules! need_root {
    () => {
        if !is_root() {
            common::skipped("bpf(2) needs root here (kernel.unprivileged_bpf_disabled = 2)");
            return;
        }
    };
}

/// One `struct bpf_insn`, written by hand: opcode, dst and src registers,
/// offset, immediate (little-endian host assumed, as on this machine).
fn insn(code: u8, dst: u8, src: u8, off: i16, imm: i32) -> [u8; 8] {
    let mut b = [0u8; 8];
    b[0] = code;
    b[1] = (src << 4) | (dst & 0x0f);
    b[2..4].copy_from_slice(&off.to_le_bytes());
    b[4..8].copy_from_slice(&imm.to_le_bytes());
    b
}

/// `r0 = 2 (XDP_PASS); exit`.
fn pass_program() -> Vec<u8> {
    [insn(0xb7, 0, 0, 0, 2), insn(0x95, 0, 0, 0, 0)].concat()
}

#[test]
fn minimal_programs_load_and_report_themselves() {
    need_root!();
    let code = pass_program();
    for (ty, name) in [
        (ProgramType::Xdp, "rn_xdp_pass"),
        (ProgramType::SocketFilter, "rn_sock_pass"),
    ] {
        let p = Program::load(&ProgramSpec::new(ty, name, &code)).unwrap();
        assert_eq!(p.log(), "");
        let info = p.info().unwrap();
        assert_eq!(info.program_type, ty);
        assert_eq!(info.name, name);
        assert_ne!(info.tag, [0; 8]);
        assert_eq!(info.tag_hex().len(), 16);
        assert_eq!(info.xlated_len, 16);
        assert_eq!(info.xlated.len(), 16);
        // The verifier leaves these two instructions as they were.
        assert_eq!(info.xlated, code);
        assert!(info.gpl_compatible);
        assert!(info.map_ids.is_empty());
        assert!(info.id > 0);
        assert_eq!(info.created_by_uid, 0);
        assert!(info.load_time_ns > 0);

        let ids: Vec<u32> = bpf::program_ids().map(|r| r.unwrap()).collect();
        assert!(ids.contains(&info.id), "{} not among {ids:?}", info.id);
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        let again = Program::from_id(info.id).unwrap().expect("opened by id");
        assert_eq!(again.info().unwrap().tag, info.tag);
        let found = bpf::programs()
            .filter_map(|p| p.ok()?.info().ok())
            .any(|i| i.id == info.id && i.name == name);
        assert!(found, "the walk over programs() missed {name}");
    }
}

#[test]
fn a_log_level_returns_the_log_of_a_success() {
    need_root!();
    let code = pass_program();
    let spec = ProgramSpec::new(ProgramType::Xdp, "rn_logged", &code).log_level(LogLevel::Basic);
    let p = Program::load(&spec).unwrap();
    assert!(p.log().contains("processed 2 insns"), "log: {:?}", p.log());
}

#[test]
fn refusals_carry_the_verifiers_words() {
    need_root!();
    // `r0 = 2` alone: the program falls off its end.
    let no_exit = insn(0xb7, 0, 0, 0, 2).to_vec();
    // `r0 = r2; exit`: r2 was never written.
    let uninit = [insn(0xbf, 0, 2, 0, 0), insn(0x95, 0, 0, 0, 0)].concat();
    for level in [LogLevel::Off, LogLevel::Basic, LogLevel::Verbose] {
        let cases: [(&[u8], i32, &str); 2] = [
            (&no_exit, libc::EINVAL, "last insn is not an exit or jmp"),
            (&uninit, libc::EACCES, "R2 !read_ok"),
        ];
        for (code, errno, words) in cases {
            let spec = ProgramSpec::new(ProgramType::Xdp, "rn_broken", code).log_level(level);
            match Program::load(&spec) {
                Err(Error::Verifier { errno: e, log }) => {
                    assert_eq!(e, errno, "{level:?}: {log}");
                    assert!(log.contains(words), "{level:?}: {log:?} lacks {words:?}");
                }
                other => panic!("{level:?}: expected a refusal, got {other:?}"),
            }
        }
    }
    let err = Program::load(&ProgramSpec::new(ProgramType::Xdp, "rn_broken", &uninit)).unwrap_err();
    assert_eq!(err.errno(), Some(libc::EACCES));
    let text = err.to_string();
    assert!(text.starts_with("kernel refused the bpf program: Permission denied"));
    assert!(text.contains("R2 !read_ok"), "{text}");
}

#[test]
fn array_maps_read_write_and_walk() {
    need_root!();
    let map = Map::create(&MapSpec::new(MapType::Array, "rn_array", 4, 8, 4)).unwrap();
    let info = map.info().unwrap();
    assert_eq!(info.map_type, MapType::Array);
    assert_eq!(info.name, "rn_array");
    assert_eq!(
        (info.key_size, info.value_size, info.max_entries),
        (4, 8, 4)
    );
    let ids: Vec<u32> = bpf::map_ids().map(|r| r.unwrap()).collect();
    assert!(ids.contains(&info.id));

    let key = 1u32.to_ne_bytes();
    assert_eq!(map.lookup(&key).unwrap(), Some(vec![0; 8]));
    map.update(&key, &0x1122_3344_5566_7788u64.to_ne_bytes(), Update::Any)
        .unwrap();
    assert_eq!(
        map.lookup(&key).unwrap(),
        Some(0x1122_3344_5566_7788u64.to_ne_bytes().to_vec())
    );
    // Out of range: no such entry.
    assert_eq!(map.lookup(&9u32.to_ne_bytes()).unwrap(), None);
    // An array has every index.
    let keys: Vec<u32> = map
        .keys()
        .map(|k| u32::from_ne_bytes(k.unwrap().try_into().unwrap()))
        .collect();
    assert_eq!(keys, [0, 1, 2, 3]);
    assert_eq!(map.next_key(Some(&3u32.to_ne_bytes())).unwrap(), None);
    // Arrays refuse deletion.
    let err = map.delete(&key).unwrap_err();
    assert_eq!(err.errno(), Some(libc::EINVAL), "{err}");
    // Wrong lengths are refused before the call.
    assert!(matches!(map.lookup(&[0; 3]), Err(Error::Decode(_))));
    assert!(matches!(
        map.update(&key, &[0; 4], Update::Any),
        Err(Error::Decode(_))
    ));

    let opened = Map::from_id(info.id).unwrap().expect("opened by id");
    assert_eq!(opened.info().unwrap().id, info.id);
    assert_eq!(opened.key_size(), 4);
}

#[test]
fn hash_maps_create_replace_and_delete() {
    need_root!();
    let map = Map::create(&MapSpec::new(MapType::Hash, "rn_hash", 4, 4, 8)).unwrap();
    assert_eq!(map.next_key(None).unwrap(), None);
    let (a, b) = (7u32.to_ne_bytes(), 9u32.to_ne_bytes());
    map.update(&a, &1u32.to_ne_bytes(), Update::Create).unwrap();
    map.update(&b, &2u32.to_ne_bytes(), Update::Any).unwrap();
    let err = map
        .update(&a, &3u32.to_ne_bytes(), Update::Create)
        .unwrap_err();
    assert_eq!(err.errno(), Some(libc::EEXIST));
    let err = map
        .update(&5u32.to_ne_bytes(), &3u32.to_ne_bytes(), Update::Replace)
        .unwrap_err();
    assert_eq!(err.errno(), Some(libc::ENOENT));
    map.update(&a, &4u32.to_ne_bytes(), Update::Replace)
        .unwrap();
    assert_eq!(map.lookup(&a).unwrap(), Some(4u32.to_ne_bytes().to_vec()));
    let mut keys: Vec<Vec<u8>> = map.keys().map(|k| k.unwrap()).collect();
    keys.sort();
    let mut want = vec![a.to_vec(), b.to_vec()];
    want.sort();
    assert_eq!(keys, want);
    assert!(map.delete(&a).unwrap());
    assert!(!map.delete(&a).unwrap());
    assert_eq!(map.lookup(&a).unwrap(), None);
    assert_eq!(map.keys().count(), 1);
}

#[test]
fn percpu_values_have_a_slot_per_possible_cpu() {
    need_root!();
    let map = Map::create(&MapSpec::new(MapType::PercpuArray, "rn_percpu", 4, 4, 2)).unwrap();
    let possible = std::fs::read_to_string("/sys/devices/system/cpu/possible").unwrap();
    let cpus: usize = possible
        .trim()
        .split(',')
        .map(|r| match r.split_once('-') {
            Some((lo, hi)) => hi.parse::<usize>().unwrap() - lo.parse::<usize>().unwrap() + 1,
            None => 1,
        })
        .sum();
    // 4-byte values take 8-byte slots.
    assert_eq!(map.value_len(), 8 * cpus);
    let value: Vec<u8> = (0..map.value_len())
        .map(|i| (i % 8 < 4) as u8 * 5)
        .collect();
    let key = 1u32.to_ne_bytes();
    map.update(&key, &value, Update::Any).unwrap();
    assert_eq!(map.lookup(&key).unwrap(), Some(value));
}

#[test]
fn bad_names_are_refused_before_the_call() {
    need_root!();
    let code = pass_program();
    let long = ProgramSpec::new(ProgramType::Xdp, "a_name_too_long_x", &code);
    assert!(matches!(Program::load(&long), Err(Error::Invalid(_))));
    let spec = MapSpec::new(MapType::Array, "nul\0name", 4, 4, 1);
    assert!(matches!(Map::create(&spec), Err(Error::Invalid(_))));
}

#[test]
fn pins_on_a_bpffs_open_back_the_same_objects() {
    need_root!();
    let fs = Bpffs::mount("bpfsys");
    let map = Map::create(&MapSpec::new(MapType::Hash, "rn_pinned", 4, 4, 4)).unwrap();
    map.update(&1u32.to_ne_bytes(), &42u32.to_ne_bytes(), Update::Any)
        .unwrap();
    let map_path = fs.dir.join("map");
    map.pin(&map_path).unwrap();
    // Pinning twice at one path is refused.
    let err = map.pin(&map_path).unwrap_err();
    assert_eq!(err.errno(), Some(libc::EEXIST), "{err}");
    let id = map.info().unwrap().id;
    drop(map);
    let back = Map::open_pinned(&map_path).unwrap();
    assert_eq!(back.info().unwrap().id, id);
    assert_eq!(
        back.lookup(&1u32.to_ne_bytes()).unwrap(),
        Some(42u32.to_ne_bytes().to_vec())
    );
    // A map is no program.
    assert!(Program::open_pinned(&map_path).is_err());

    let code = pass_program();
    let prog = Program::load(&ProgramSpec::new(ProgramType::Xdp, "rn_pinned", &code)).unwrap();
    let prog_path = fs.dir.join("prog");
    prog.pin(&prog_path).unwrap();
    let tag = prog.info().unwrap().tag;
    drop(prog);
    let back_prog = Program::open_pinned(&prog_path).unwrap();
    assert_eq!(back_prog.info().unwrap().tag, tag);
    assert!(Map::open_pinned(&prog_path).is_err());

    bpf::unpin(&map_path).unwrap();
    bpf::unpin(&prog_path).unwrap();
    assert!(Map::open_pinned(&map_path).is_err());
    // Not on a bpffs: refused.
    let outside = std::env::temp_dir().join(format!("rawnet-bpfsys-out-{}", std::process::id()));
    assert!(back.pin(&outside).is_err());
    let _ = std::fs::remove_file(&outside);
}
