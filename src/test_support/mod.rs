//! Helpers shared by the library's unit tests; compiled only under
//! `#[cfg(test)]`. The integration tests include the same files by path
//! through `tests/common`.

pub(crate) mod cprobe;

#[cfg(test)]
#[path = "cprobe_tests.rs"]
mod cprobe_tests;
