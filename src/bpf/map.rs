//! Maps: creating one (`BPF_MAP_CREATE`), reading and writing its entries
//! (`BPF_MAP_LOOKUP_ELEM`, `_UPDATE_ELEM`, `_DELETE_ELEM`, `_GET_NEXT_KEY`)
//! and what the kernel reports about it (`struct bpf_map_info`).
//!
//! Keys and values are bytes in the layout the programs use (host byte
//! order for numbers). Their lengths are checked against the map's sizes
//! before any call: a key of the wrong length is a `Decode` error naming
//! `map key`. A per-CPU map's value is one `round_up(value_size, 8)`-byte
//! slot per possible CPU, concatenated.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

use super::kinds::MapType;
use super::object::{self, Kind};
use crate::error::{Error, Result};
use crate::sys::bpf as sys;

/// Update flag: create the entry or replace it.
pub const BPF_ANY: u64 = 0;
/// Update flag: create the entry only if it does not exist (`EEXIST` otherwise).
pub const BPF_NOEXIST: u64 = 1;
/// Update flag: replace the entry only if it exists (`ENOENT` otherwise).
pub const BPF_EXIST: u64 = 2;

/// Map flag: hash maps allocate entries on update instead of up front.
pub const BPF_F_NO_PREALLOC: u32 = 1 << 0;
/// Map flag: user space may only read.
pub const BPF_F_RDONLY: u32 = 1 << 3;
/// Map flag: user space may only write.
pub const BPF_F_WRONLY: u32 = 1 << 4;

/// How an update treats an existing entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Update {
    /// `BPF_ANY`: create or replace.
    #[default]
    Any,
    /// `BPF_NOEXIST`: create only.
    Create,
    /// `BPF_EXIST`: replace only.
    Replace,
}

impl Update {
    const fn flags(self) -> u64 {
        match self {
            Update::Any => BPF_ANY,
            Update::Create => BPF_NOEXIST,
            Update::Replace => BPF_EXIST,
        }
    }
}

/// What to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapSpec {
    pub map_type: MapType,
    /// At most 15 bytes of `[A-Za-z0-9_.]`.
    pub name: String,
    /// Bytes per key (4 for arrays).
    pub key_size: u32,
    /// Bytes per value (per CPU, for per-CPU maps).
    pub value_size: u32,
    pub max_entries: u32,
    /// `BPF_F_*` map flags.
    pub flags: u32,
}

impl MapSpec {
    pub fn new(
        map_type: MapType,
        name: &str,
        key_size: u32,
        value_size: u32,
        max_entries: u32,
    ) -> MapSpec {
        MapSpec {
            map_type,
            name: name.to_string(),
            key_size,
            value_size,
            max_entries,
            flags: 0,
        }
    }
}

/// What the kernel reports about a map (`struct bpf_map_info`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapInfo {
    pub map_type: MapType,
    pub id: u32,
    pub name: String,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub flags: u32,
    /// The device the map was offloaded to, 0 if none.
    pub ifindex: u32,
    pub btf_id: u32,
    pub map_extra: u64,
}

impl MapInfo {
    fn from_raw(i: &sys::BpfMapInfo) -> MapInfo {
        MapInfo {
            map_type: MapType::from_number(i.type_),
            id: i.id,
            name: object::name_text(&i.name),
            key_size: i.key_size,
            value_size: i.value_size,
            max_entries: i.max_entries,
            flags: i.map_flags,
            ifindex: i.ifindex,
            btf_id: i.btf_id,
            map_extra: i.map_extra,
        }
    }
}

/// A map: its descriptor and sizes.
#[derive(Debug)]
pub struct Map {
    fd: sys::MapFd,
}

fn io(op: &'static str) -> impl FnOnce(std::io::Error) -> Error {
    move |e| Error::io(format!("bpf({op})"), e)
}

impl Map {
    /// Create a map.
    #[doc(alias = "BPF_MAP_CREATE")]
    pub fn create(spec: &MapSpec) -> Result<Map> {
        let fd = sys::map_create(&sys::MapCreate {
            map_type: spec.map_type.number(),
            key_size: spec.key_size,
            value_size: spec.value_size,
            max_entries: spec.max_entries,
            map_flags: spec.flags,
            name: object::name_bytes(&spec.name)?,
        })?;
        Ok(Map { fd })
    }

    /// Take a descriptor as a map (refused unless it is one).
    pub fn from_fd(fd: OwnedFd) -> Result<Map> {
        Ok(Map {
            fd: sys::MapFd::new(fd)?,
        })
    }

    /// Open the map with this id; `Ok(None)` if it is gone.
    #[doc(alias = "BPF_MAP_GET_FD_BY_ID")]
    pub fn from_id(id: u32) -> Result<Option<Map>> {
        object::fd_by_id(Kind::Map, id)?
            .map(Map::from_fd)
            .transpose()
    }

    /// Open the map pinned at `path`.
    #[doc(alias = "BPF_OBJ_GET")]
    pub fn open_pinned(path: impl AsRef<Path>) -> Result<Map> {
        Map::from_fd(object::open_pinned(path.as_ref(), Kind::Map)?)
    }

    /// Pin the map at `path` on a bpffs.
    #[doc(alias = "BPF_OBJ_PIN")]
    pub fn pin(&self, path: impl AsRef<Path>) -> Result<()> {
        object::pin(self.fd.as_fd(), path.as_ref())
    }

    /// What the kernel reports about this map now.
    #[doc(alias = "BPF_OBJ_GET_INFO_BY_FD")]
    pub fn info(&self) -> Result<MapInfo> {
        Ok(MapInfo::from_raw(&sys::map_info(self.fd.as_fd())?))
    }

    /// Bytes per key.
    pub fn key_size(&self) -> usize {
        self.fd.key_size()
    }

    /// Bytes of one lookup's value (every CPU's for per-CPU maps).
    pub fn value_len(&self) -> usize {
        self.fd.value_len()
    }

    pub fn map_type(&self) -> MapType {
        MapType::from_number(self.fd.info().type_)
    }

    /// The value under `key`; `None` when there is no such entry.
    #[doc(alias = "BPF_MAP_LOOKUP_ELEM")]
    pub fn lookup(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let mut value = vec![0u8; self.fd.value_len()];
        match self.fd.lookup(key, &mut value, 0)? {
            Ok(()) => Ok(Some(value)),
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => Ok(None),
            Err(e) => Err(io("BPF_MAP_LOOKUP_ELEM")(e)),
        }
    }

    /// Write `value` under `key`.
    #[doc(alias = "BPF_MAP_UPDATE_ELEM")]
    pub fn update(&self, key: &[u8], value: &[u8], how: Update) -> Result<()> {
        self.fd
            .update(key, value, how.flags())?
            .map_err(io("BPF_MAP_UPDATE_ELEM"))
    }

    /// Delete the entry under `key`: `false` when there was none. Arrays
    /// refuse deletion (`EINVAL`).
    #[doc(alias = "BPF_MAP_DELETE_ELEM")]
    pub fn delete(&self, key: &[u8]) -> Result<bool> {
        match self.fd.delete(key)? {
            Ok(()) => Ok(true),
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => Ok(false),
            Err(e) => Err(io("BPF_MAP_DELETE_ELEM")(e)),
        }
    }

    /// The key after `key` (`None`: the first key); `None` after the last.
    #[doc(alias = "BPF_MAP_GET_NEXT_KEY")]
    pub fn next_key(&self, key: Option<&[u8]>) -> Result<Option<Vec<u8>>> {
        let mut next = vec![0u8; self.fd.key_size()];
        match self.fd.next_key(key, &mut next)? {
            Ok(()) => Ok(Some(next)),
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => Ok(None),
            Err(e) => Err(io("BPF_MAP_GET_NEXT_KEY")(e)),
        }
    }

    /// Every key, in the map's order, at most `max_entries` of them (a hash
    /// map changed meanwhile may restart its walk; the bound ends it).
    pub fn keys(&self) -> Keys<'_> {
        Keys {
            map: self,
            last: None,
            left: u64::from(self.fd.info().max_entries),
        }
    }

    /// The descriptor, for a program's map references.
    pub fn into_fd(self) -> OwnedFd {
        self.fd.into_fd()
    }
}

impl AsFd for Map {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

/// The keys of a map, by `BPF_MAP_GET_NEXT_KEY`.
#[derive(Debug)]
pub struct Keys<'a> {
    map: &'a Map,
    last: Option<Vec<u8>>,
    left: u64,
}

impl Iterator for Keys<'_> {
    type Item = Result<Vec<u8>>;

    fn next(&mut self) -> Option<Result<Vec<u8>>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        match self.map.next_key(self.last.as_deref()) {
            Ok(Some(k)) => {
                self.last = Some(k.clone());
                Some(Ok(k))
            }
            Ok(None) => {
                self.left = 0;
                None
            }
            Err(e) => {
                self.left = 0;
                Some(Err(e))
            }
        }
    }
}
