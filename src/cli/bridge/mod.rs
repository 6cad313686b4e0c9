//! `rawnet bridge`: the objects of iproute2's `bridge` tool that rawnet has,
//! `vlan` (here) and `fdb` (the same code as `rawnet fdb`).
//!
//! ```text
//! bridge { vlan | fdb } ...
//! ```
//!
//! Under the name `bridge`, rawnet is that tool (`tool.rs`).
//!
//! Objects are matched by unique prefix in `bridge`'s order (link, fdb, mdb,
//! vlan, vni, monitor, help); `bridge` exits 255 on every failure.

pub mod tool;
mod vlan;
mod vlan_print;

use super::arg_errors::usage_error;
use super::{matches, CliError, Context};

const USAGE: &str = "\
Usage: rawnet bridge [ OPTIONS ] OBJECT { COMMAND | help }
where  OBJECT := { fdb | vlan }
       OPTIONS := { -j[son] | -p[retty] | -com[pressvlans] | -c[olor] }
";

pub fn run(ctx: &Context, mut args: &[String]) -> Result<i32, CliError> {
    // `bridge`'s own options may follow the object word too, so that
    // `rawnet bridge -j vlan show` reads as `bridge -j vlan show`.
    let mut ctx = ctx.clone();
    while let Some((word, rest)) = args.split_first() {
        let Some(opt) = word.strip_prefix('-') else {
            break;
        };
        let opt = opt.strip_prefix('-').unwrap_or(opt);
        if matches(opt, "json") {
            ctx.json = true;
        } else if matches(opt, "pretty") {
            ctx.pretty = true;
        } else if matches(opt, "color") || opt.starts_with("color=") {
            // Accepted; rawnet writes no colour (`-c` is `-color` in `bridge` too).
        } else if opt.len() >= 3 && matches(opt, "compressvlans") {
            ctx.compress_vlans = true;
        } else {
            return Err(CliError::usage(format!(
                "Option \"{word}\" is unknown, try \"rawnet bridge help\"."
            )));
        }
        args = rest;
    }
    let ctx = &ctx;
    let Some((object, rest)) = args.split_first() else {
        return Err(usage_error(USAGE));
    };
    let o = object.as_str();
    if matches(o, "fdb") {
        super::fdb::run(ctx, rest)
    } else if matches(o, "vlan") {
        vlan::run(ctx, rest)
    } else if matches(o, "help") {
        Err(usage_error(USAGE))
    } else {
        Err(CliError::usage(format!(
            "Object \"{object}\" is unknown, try \"rawnet bridge help\"."
        )))
    }
}
