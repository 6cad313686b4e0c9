//! Any bytes as a `rawnet nft -f` file: each line split into nft's words,
//! parsed into its command and built into the transaction's messages by the
//! command line's own code, with no kernel; the same bytes are also read as
//! a rule's listed text turned into `-j` JSON. (`-batch` files take `ip`
//! commands only, so `command_line` never reaches these.)
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../src/cli/mod.rs"]
#[allow(dead_code, unused_imports)]
mod cli;

fuzz_target!(|data: &[u8]| {
    cli::nft::parse_for_fuzzing(data);
});
