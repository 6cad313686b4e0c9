//! Everything the CLI writes to standard output goes through here.
//!
//! - [`Json`]: iproute2's JSON layout (`json.rs`);
//! - [`Out`]: one writer for both forms, with iproute2's `print_*` helpers
//!   as methods: a field is written once, the format decides how (`out.rs`);
//! - [`Render`]: values written into the buffer without `core::fmt`
//!   (`render.rs`);
//! - [`Stream`]: a `show` command's output, written record by record into
//!   one reused buffer that goes to standard output in large writes, so
//!   memory does not grow with the number of records (`stream.rs`);
//! - `sink.rs`: the writes themselves, and what a failed write means (a
//!   closed pipe ends the process quietly, as it ends `ip`).

mod json;
mod out;
mod render;
mod sink;
mod stream;

#[allow(unused_imports)]
pub use json::{push_string, Json};
#[allow(unused_imports)]
pub use out::{oneline, set_oneline, Out};
pub use render::Render;
pub use sink::{print, to_stderr, warn_if_interrupted};
pub use stream::Stream;
