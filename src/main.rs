//! The `rawnet` binary: a client of the library's public API.
mod cli;

fn main() {
    std::process::exit(cli::main());
}
