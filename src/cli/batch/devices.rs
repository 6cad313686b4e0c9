//! Device names in a batch: [`Names`] remembers the index of each link a
//! line named, and [`BatchDevices`] answers a line's lookups from it.
//!
//! A name not remembered, or unsettled by an earlier line (one that creates,
//! renames, moves or deletes a link by that name), is asked of the kernel,
//! after the queue has been applied, so that the answer includes what the
//! earlier lines did. A request that can name its link by name (`link set`
//! without a rename, `link delete`) does so for a link not remembered,
//! without waiting.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::cli::ifname::link_index;
use rawnet::netlink::{Connection, Pipeline};
use rawnet::route::link::LinkRef;

use crate::cli::change::Devices;
use crate::cli::CliError;

/// FNV-1a for interface names (at most 15 bytes): SipHash would cost more
/// than the rest of a line's lookup. Names come from the batch file, whose
/// author can only slow their own batch down.
#[derive(Default)]
struct NameHasher(u64);

impl Hasher for NameHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Link names and their indexes, as far as the batch knows them.
#[derive(Default)]
pub struct Names {
    known: HashMap<String, u32, BuildHasherDefault<NameHasher>>,
}

impl Names {
    /// `name` may now be another link, or none.
    pub fn unsettle(&mut self, name: &str) {
        self.known.remove(name);
    }

    /// Anything may have changed (a command that is not a single change ran).
    pub fn forget_all(&mut self) {
        self.known.clear();
    }
}

/// A batch line's view of the devices: remembered names, else the kernel.
pub struct BatchDevices<'a> {
    conn: &'a mut Connection,
    pipeline: &'a mut Pipeline,
    names: &'a mut Names,
}

impl<'a> BatchDevices<'a> {
    pub fn new(
        conn: &'a mut Connection,
        pipeline: &'a mut Pipeline,
        names: &'a mut Names,
    ) -> BatchDevices<'a> {
        BatchDevices {
            conn,
            pipeline,
            names,
        }
    }
}

impl Devices for BatchDevices<'_> {
    fn index(&mut self, name: &str) -> Result<u32, CliError> {
        if let Some(&index) = self.names.known.get(name) {
            return Ok(index);
        }
        // What is queued may create the link: apply it first (its failures
        // are reported by the caller).
        self.pipeline.flush(self.conn).map_err(CliError::from)?;
        let index = link_index(self.conn, name).map_err(CliError::from)?;
        self.names.known.insert(name.to_string(), index);
        Ok(index)
    }

    fn link_ref<'n>(&mut self, name: &str, raw: &'n [u8]) -> Result<LinkRef<'n>, CliError> {
        Ok(match self.names.known.get(name) {
            Some(&index) => LinkRef::Index(index),
            None => LinkRef::Name(raw),
        })
    }

    /// Asked (only for `link set ... address`) after what is queued is applied.
    fn address_length(&mut self, name: &str) -> Result<Option<usize>, CliError> {
        self.pipeline.flush(self.conn).map_err(CliError::from)?;
        match crate::cli::ifname::get_link(self.conn, name) {
            Ok(link) => Ok(link.address.map(|a| a.len())),
            Err(rawnet::Error::NotFound(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}
