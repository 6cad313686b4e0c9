//! The bpf programs tc lines name (`pinned PATH`, `id N`), opened once each:
//! a command opens the one program it names; a batch keeps every program
//! it opened, so that 10,000 lines naming one pin open it once. Each
//! descriptor stays open until the [`Programs`] is dropped or
//! [`Programs::forget_all`] is called, which a batch does only when nothing
//! that names it is still waiting for its answer.

use std::collections::hash_map::{Entry, HashMap};
use std::os::fd::{AsFd, BorrowedFd};

use rawnet::bpf::Program;

use super::super::{io_reason, CliError};
use super::parse_u32;

/// Where a filter's program comes from, as the line wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Source {
    /// `pinned PATH` (also `object-pinned`, `fd`): the path as typed.
    Pinned(String),
    /// `id N` (rawnet's): the loaded program with that id, as typed.
    Id(String),
}

/// Open programs by the words that named them.
#[derive(Default)]
pub struct Programs {
    open: HashMap<Source, Program>,
}

impl Programs {
    /// How many programs are held open.
    pub fn len(&self) -> usize {
        self.open.len()
    }

    /// Close every program held (only once no request that names one by
    /// descriptor number is still to be sent).
    pub fn forget_all(&mut self) {
        self.open.clear();
    }

    /// The program `source` names: opened now, or the one opened before.
    /// A failure (tc's words) is not remembered.
    pub fn get(&mut self, source: &Source) -> Result<BorrowedFd<'_>, CliError> {
        let program: &Program = match self.open.entry(source.clone()) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(open(source)?),
        };
        Ok(program.as_fd())
    }
}

/// Open the program `source` names, with tc's messages for a failure.
fn open(source: &Source) -> Result<Program, CliError> {
    match source {
        Source::Pinned(path) => {
            let raw = super::super::os_args::unescape(path);
            Program::open_pinned(std::ffi::OsStr::new(
                <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(&raw),
            ))
            .map_err(|e| {
                CliError::new(
                    1,
                    format!(
                        "Couldn't retrieve pinned program '{path}': {}\n{}",
                        io_reason(&e),
                        super::filter::unable().message
                    ),
                )
            })
        }
        Source::Id(id) => {
            let n = parse_u32(id).ok_or_else(|| {
                CliError::usage(format!(
                    "Error: argument \"{id}\" is wrong: invalid program id"
                ))
            })?;
            Program::from_id(n)
                .map_err(|e| {
                    CliError::new(1, format!("Couldn't open program {n}: {}", io_reason(&e)))
                })?
                .ok_or_else(|| {
                    CliError::new(1, format!("Couldn't open program {n}: no such program"))
                })
        }
    }
}
