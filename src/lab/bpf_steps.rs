//! The eBPF steps of `rawnet lab ebpf`: whether this process may use
//! `bpf(2)`, a shipped program assembled and loaded (its maps with it),
//! attaching it with generic XDP or as a tc ingress filter, reading an
//! array map of packet counters, and the proof that everything the lab
//! loaded is gone once nothing holds it.

use std::os::fd::AsFd;
use std::thread::sleep;
use std::time::Duration;

use super::steps::{check, in_ns};
use super::{Expect, Outcome, Workspace};
use crate::bpf::insn::{Insn, Reg, INSN_SIZE};
use crate::bpf::loader::{load_assembled, Loaded};
use crate::bpf::shipped::Shipped;
use crate::bpf::{asm, LogLevel, Map, Program, ProgramSpec, ProgramType};
use crate::error::{Error, Result};
use crate::features::Support;
use crate::route::link::{self, LinkChanges, LinkRef, XdpAttach, XdpMode};
use crate::route::tc::{self, BpfFilter, Direction};

/// Whether this process may load the lab's kinds of program: a
/// two-instruction XDP program (`r0 = 2; exit`, XDP_PASS) is loaded and
/// freed at once. XDP and tc programs need CAP_BPF and CAP_NET_ADMIN in
/// the first user namespace, so a user namespace of one's own is not enough.
pub(super) fn probe_bpf() -> Support {
    let mut bytes = Vec::with_capacity(2 * INSN_SIZE);
    for insn in [Insn::mov64_imm(Reg::R0, 2), Insn::exit()] {
        bytes.extend_from_slice(&insn.to_bytes());
    }
    let spec = ProgramSpec::new(ProgramType::Xdp, "rawnet_probe", &bytes);
    match Program::load(&spec) {
        Ok(_) => Support::Supported,
        Err(e) => Support::Unknown(e.to_string()),
    }
}

/// A shipped program loaded with the maps it declares, and their ids.
pub(super) struct LabProgram {
    pub(super) loaded: Loaded,
    pub(super) id: u32,
    /// Each declared map's name and id, in declaration order.
    pub(super) maps: Vec<(String, u32)>,
}

impl LabProgram {
    /// The map the program declared first (the one each shipped program counts in).
    pub(super) fn first_map(&self) -> Option<(&Map, u32)> {
        let (_, map) = self.loaded.maps.first()?;
        Some((map, self.maps.first()?.1))
    }
}

/// `rawnet bpf prog load src/bpf/programs/FILE type T name N`.
pub(super) fn load_shipped(ws: &mut Workspace<'_>, program: &Shipped) -> Option<LabProgram> {
    let command = format!(
        "rawnet bpf prog load src/bpf/programs/{} type {} name {}",
        program.file, program.type_word, program.name
    );
    let mut made = None;
    check(ws.step(&command, Expect::Success, |_| match load(program) {
        Ok(p) => {
            let maps: Vec<String> = p
                .maps
                .iter()
                .map(|(name, id)| format!("map {name} id {id}"))
                .collect();
            let seen = format!("program id {}; {}", p.id, maps.join(", "));
            made = Some(p);
            Outcome::Seen(seen)
        }
        Err(e) => Outcome::Failed(e),
    }))?;
    made
}

fn load(program: &Shipped) -> Result<LabProgram> {
    let source = asm::assemble(program.source)
        .map_err(|e| Error::Unexpected(format!("{}: {e}", program.file)))?;
    let loaded = load_assembled(&source, program.program_type, program.name, LogLevel::Off)?;
    let id = loaded.program.info()?.id;
    let mut maps = Vec::with_capacity(loaded.maps.len());
    for (name, map) in &loaded.maps {
        maps.push((name.clone(), map.info()?.id));
    }
    Ok(LabProgram { loaded, id, maps })
}

/// `rawnet -n NS link set DEV xdpgeneric { id N | off }`.
pub(super) fn set_xdp_generic(
    ws: &mut Workspace<'_>,
    ns: &str,
    dev: &str,
    program: Option<&LabProgram>,
) -> Option<()> {
    let what = program.map_or("off".to_string(), |p| format!("id {}", p.id));
    in_ns(ws, ns, &format!("link set {dev} xdpgeneric {what}"), |c| {
        let changes = LinkChanges {
            xdp: Some(XdpAttach {
                program: program.map(|p| p.loaded.program.as_fd()),
                mode: XdpMode::Generic,
                force: false,
            }),
            ..Default::default()
        };
        link::set_link(c, LinkRef::name(dev), &changes)
    })
}

/// `rawnet -n NS tc qdisc add dev DEV clsact` and the filter
/// `tc filter add dev DEV ingress bpf id N da`.
pub(super) fn add_ingress_filter(
    ws: &mut Workspace<'_>,
    ns: &str,
    dev: &str,
    program: &LabProgram,
) -> Option<()> {
    in_ns(ws, ns, &format!("tc qdisc add dev {dev} clsact"), |c| {
        let index = link::link_index(c, dev)?;
        tc::add_clsact(c, index)
    })?;
    let words = format!("tc filter add dev {dev} ingress bpf id {} da", program.id);
    in_ns(ws, ns, &words, |c| {
        let mut filter = BpfFilter::new(program.loaded.program.as_fd());
        filter.direct_action = true;
        let index = link::link_index(c, dev)?;
        tc::add_bpf_filter(c, index, Direction::Ingress, &filter)
    })
}

/// `rawnet -n NS tc filter show dev DEV ingress`: each bpf filter's
/// preference, handle, mode and program.
pub(super) fn show_ingress_filters(ws: &mut Workspace<'_>, ns: &str, dev: &str) -> Option<()> {
    let command = format!("rawnet -n {ns} tc filter show dev {dev} ingress");
    check(ws.step(&command, Expect::Success, |w| {
        let lines = w.connection(ns).and_then(|mut c| {
            let index = link::link_index(&mut c, dev)?;
            let request = tc::dump_filters_request(index, Direction::Ingress.parent())?;
            let mut lines = Vec::new();
            // A dump interrupted by a change still lists what it saw.
            let _status = tc::for_each_filter(&mut c, request, |f| {
                if let (Some(bpf), true) = (f.bpf, f.handle != 0) {
                    lines.push(filter_words(f, &bpf));
                }
                Ok::<(), Error>(())
            })?;
            Ok(lines)
        });
        match lines {
            Ok(lines) if !lines.is_empty() => Outcome::Seen(lines.join("\n")),
            Ok(_) => Outcome::Failed(Error::Unexpected(format!("no bpf filter on {dev}"))),
            Err(e) => Outcome::Failed(e),
        }
    }))
}

/// What the lab needs to see of a bpf filter: `bpf filter pref 49152
/// handle 0x1 direct-action, program id 12` (`tc filter show` prints more).
fn filter_words(f: &tc::Filter<'_>, bpf: &tc::BpfOptions<'_>) -> String {
    let mode = if bpf.direct_action() {
        " direct-action"
    } else {
        ""
    };
    let program = bpf
        .id
        .map_or(String::new(), |id| format!(", program id {id}"));
    format!(
        "bpf filter pref {} handle {:#x}{mode}{program}",
        f.priority(),
        f.handle
    )
}

/// `tc filter del dev DEV ingress`.
pub(super) fn remove_ingress_filter(ws: &mut Workspace<'_>, ns: &str, dev: &str) -> Option<()> {
    in_ns(ws, ns, &format!("tc filter del dev {dev} ingress"), |c| {
        let index = link::link_index(c, dev)?;
        tc::delete_filters(c, index, Direction::Ingress, None)
    })
}

/// `tc qdisc del dev DEV clsact`.
pub(super) fn remove_clsact(ws: &mut Workspace<'_>, ns: &str, dev: &str) -> Option<()> {
    in_ns(ws, ns, &format!("tc qdisc del dev {dev} clsact"), |c| {
        let index = link::link_index(c, dev)?;
        tc::delete_clsact(c, index)
    })
}

/// The non-zero `u64` counters of an array map keyed by `u32`.
pub(super) fn counters(map: &Map) -> Result<Vec<(u32, u64)>> {
    let mut found = Vec::new();
    for key in map.keys() {
        let key = key?;
        let Some(value) = map.lookup(&key)? else {
            continue;
        };
        let (Ok(k), Some(v)) = (<[u8; 4]>::try_from(key.as_slice()), value.get(..8)) else {
            return Err(Error::Unexpected(format!(
                "a counter map with {}-byte keys and {}-byte values",
                key.len(),
                value.len()
            )));
        };
        let count = u64::from_ne_bytes(v.try_into().unwrap_or_default());
        if count != 0 {
            found.push((u32::from_ne_bytes(k), count));
        }
    }
    Ok(found)
}

/// `rawnet bpf map dump id N`, shown as `describe` words the non-zero
/// counters; the step fails unless `expected` says they are right.
pub(super) fn read_counters(
    ws: &mut Workspace<'_>,
    program: &LabProgram,
    describe: impl Fn(&[(u32, u64)]) -> String,
    expected: impl Fn(&[(u32, u64)]) -> bool,
) -> Option<()> {
    let (map, id) = program.first_map()?;
    check(ws.step(
        &format!("rawnet bpf map dump id {id}"),
        Expect::Success,
        |_| match counters(map) {
            Ok(found) if expected(&found) => Outcome::Seen(describe(&found)),
            Ok(found) => Outcome::Failed(Error::Unexpected(format!(
                "not the counts the lab expected: {}",
                describe(&found)
            ))),
            Err(e) => Outcome::Failed(e),
        },
    ))
}

/// How long the kernel may take to free a program a tc filter held: the
/// classifier lets go of it after an RCU grace period.
const FREE_PATIENCE: Duration = Duration::from_secs(5);
const FREE_POLL: Duration = Duration::from_millis(50);

/// `rawnet bpf prog list`: none of `programs` is loaded any more, nor any
/// of their maps, once the lab has dropped its descriptors.
pub(super) fn prove_freed(ws: &mut Workspace<'_>, programs: Vec<LabProgram>) -> Option<()> {
    let prog_ids: Vec<u32> = programs.iter().map(|p| p.id).collect();
    let map_ids: Vec<u32> = programs
        .iter()
        .flat_map(|p| p.maps.iter().map(|(_, id)| *id))
        .collect();
    drop(programs);
    check(ws.step(
        "rawnet bpf prog list; rawnet bpf map list",
        Expect::Success,
        |_| match wait_until_freed(&prog_ids, &map_ids) {
            Ok(()) => Outcome::Seen(format!(
                "programs {} and maps {} are gone",
                ids(&prog_ids),
                ids(&map_ids)
            )),
            Err(e) => Outcome::Failed(e),
        },
    ))
}

fn ids(list: &[u32]) -> String {
    let words: Vec<String> = list.iter().map(u32::to_string).collect();
    words.join(", ")
}

fn wait_until_freed(prog_ids: &[u32], map_ids: &[u32]) -> Result<()> {
    let rounds = FREE_PATIENCE.as_millis() / FREE_POLL.as_millis();
    for _ in 0..rounds {
        if still_loaded(prog_ids, map_ids)?.is_none() {
            return Ok(());
        }
        sleep(FREE_POLL);
    }
    match still_loaded(prog_ids, map_ids)? {
        None => Ok(()),
        Some(what) => Err(Error::Unexpected(format!("{what} is still loaded"))),
    }
}

/// The first of the objects still there, as words.
fn still_loaded(prog_ids: &[u32], map_ids: &[u32]) -> Result<Option<String>> {
    for &id in prog_ids {
        if Program::from_id(id)?.is_some() {
            return Ok(Some(format!("program {id}")));
        }
    }
    for &id in map_ids {
        if Map::from_id(id)?.is_some() {
            return Ok(Some(format!("map {id}")));
        }
    }
    Ok(None)
}
