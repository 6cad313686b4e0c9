//! `rawnet tuntap`. (being written)
use super::{CliError, Context};

pub fn run(_ctx: &Context, _args: &[String]) -> Result<i32, CliError> {
    Err(CliError::new(1, "rawnet tuntap is not implemented yet"))
}
