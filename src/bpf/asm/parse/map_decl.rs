//! A map declaration: `map NAME type { hash | array | percpu_array } key N
//! value N entries N [ flags N ]`: the three sizes each once and required,
//! in any order; a name declared twice is an error.

use crate::bpf::asm::cursor::Cur;
use crate::bpf::asm::{AsmError, AsmErrorKind as K, MapDecl, MapKind};

use super::State;

impl State {
    pub(super) fn map_decl(&mut self, c: &mut Cur) -> Result<(), AsmError> {
        let Some((name_at, name)) = c.word() else {
            return Err(c.expected("a map name"));
        };
        if self.prog.maps.iter().any(|m| m.name == name) {
            return Err(c.err(name_at, K::DuplicateMap(name.to_string())));
        }
        c.expect("type", "`type`")?;
        let Some((kind_at, kind)) = c.word() else {
            return Err(c.expected("a map type"));
        };
        let kind = MapKind::from_word(kind)
            .ok_or_else(|| c.err(kind_at, K::UnknownMapType(kind.to_string())))?;
        let (mut key, mut value, mut entries, mut flags) = (None, None, None, 0);
        while let Some((at, w)) = c.word() {
            match w {
                "key" if key.is_none() => key = Some(c.u32("a key size")?),
                "value" if value.is_none() => value = Some(c.u32("a value size")?),
                "entries" if entries.is_none() => entries = Some(c.u32("a number of entries")?),
                "flags" => flags = c.u32("flags")?,
                _ => {
                    let found = w.to_string();
                    return Err(c.err(
                        at,
                        K::Expected {
                            what: "key, value, entries or flags",
                            found,
                        },
                    ));
                }
            }
        }
        c.end()?;
        let missing = |field| {
            c.err(
                c.pos,
                K::MissingMapField {
                    map: name.to_string(),
                    field,
                },
            )
        };
        self.prog.maps.push(MapDecl {
            name: name.to_string(),
            kind,
            key_size: key.ok_or_else(|| missing("key"))?,
            value_size: value.ok_or_else(|| missing("value"))?,
            max_entries: entries.ok_or_else(|| missing("entries"))?,
            flags,
        });
        Ok(())
    }
}
