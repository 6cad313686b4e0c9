//! `rawnet features`. (being written)
use super::{CliError, Context};

pub fn run(_ctx: &Context, _args: &[String]) -> Result<i32, CliError> {
    Err(CliError::new(1, "rawnet features is not implemented yet"))
}
