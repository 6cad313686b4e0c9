//! Any bytes as a `-batch` file: read as iproute2 reads one (comments,
//! continuations, quotes) and each command parsed into its request by the
//! command line's own code, with devices that always exist and no kernel.
//! The CLI lives in the binary, so its modules are compiled in here.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../src/cli/mod.rs"]
#[allow(dead_code, unused_imports)]
mod cli;

fuzz_target!(|data: &[u8]| {
    cli::batch::parse_for_fuzzing(data);
});
