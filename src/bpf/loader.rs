//! An assembled program made real: its declared maps created, each map
//! reference patched with the new map's descriptor, the program loaded.
//!
//! The maps live as long as the returned [`Loaded`] or the program (which
//! holds a reference to every map it uses); a refusal drops them all, so a
//! failed load leaves nothing behind.

use std::os::fd::{AsFd, AsRawFd};

use super::asm;
use super::insn::INSN_SIZE;
use super::kinds::{MapType, ProgramType};
use super::map::{Map, MapSpec};
use super::program::{LogLevel, Program, ProgramSpec};
use crate::error::{Error, Result};

/// A loaded program and the maps created for it, in declaration order.
#[derive(Debug)]
pub struct Loaded {
    pub program: Program,
    pub maps: Vec<(String, Map)>,
}

/// Create `source`'s maps, patch its relocations and load it as
/// `program_type` named `name` with licence `GPL`.
pub fn load_assembled(
    source: &asm::Program,
    program_type: ProgramType,
    name: &str,
    log_level: LogLevel,
) -> Result<Loaded> {
    let mut maps = Vec::with_capacity(source.maps.len());
    for decl in &source.maps {
        let mut spec = MapSpec::new(
            MapType::from_number(decl.kind.map_type()),
            &decl.name,
            decl.key_size,
            decl.value_size,
            decl.max_entries,
        );
        spec.flags = decl.flags;
        maps.push((decl.name.clone(), Map::create(&spec)?));
    }
    let mut insns = source.insns.clone();
    for reloc in &source.relocations {
        let map = maps
            .iter()
            .find(|(n, _)| *n == reloc.map)
            .map(|(_, m)| m)
            .ok_or_else(|| Error::Unexpected(format!("undeclared map `{}`", reloc.map)))?;
        let slot = insns.get_mut(reloc.insn).ok_or_else(|| {
            Error::Unexpected(format!("relocation past the end at {}", reloc.insn))
        })?;
        slot.imm = map.as_fd().as_raw_fd();
    }
    let mut bytes = Vec::with_capacity(insns.len() * INSN_SIZE);
    for i in &insns {
        bytes.extend_from_slice(&i.to_bytes());
    }
    let spec = ProgramSpec::new(program_type, name, &bytes)
        .license("GPL")
        .log_level(log_level);
    let program = Program::load(&spec)?;
    Ok(Loaded { program, maps })
}
