//! rawnet invoked under the name `bridge` (a symlink): iproute2's `bridge`
//! tool, its global options and then its objects (`bridge fdb show`,
//! `bridge -j vlan show`, `bridge -n NS fdb`).
//!
//! ```text
//! bridge [ OPTIONS ] OBJECT { COMMAND | help }
//! OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -o[neline] |
//!              -t[imestamp] | -n[etns] name | -c[ompressvlans] -color |
//!              -p[retty] | -j[son] | -4 | -6 | -f[amily] inet|inet6 }
//! ```
//!
//! As `bridge`, every failure exits 255; `-batch` is not supported here
//! (it is `rawnet -batch`'s, whose lines are `ip` commands).

use super::super::arg_errors::usage_error;
use super::super::{matches, output, CliError, Context};

/// `bridge`'s usage (`usage()` in bridge/bridge.c), on standard error.
const USAGE: &str = "\
Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }
where  OBJECT := { fdb | vlan }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |
                    -o[neline] | -t[imestamp] | -n[etns] name |
                    -c[ompressvlans] -color -p[retty] -j[son] }
";

/// Run `bridge WORDS...` (the words after the program name).
pub fn run(words: &[String]) -> Result<i32, CliError> {
    let mut ctx = Context::default();
    let mut rest = words;
    while let Some((word, after)) = rest.split_first() {
        if word == "--" {
            rest = after;
            break;
        }
        let Some(opt) = word.strip_prefix('-') else {
            break;
        };
        let opt = opt.strip_prefix('-').unwrap_or(opt);
        rest = after;
        if matches(opt, "help") {
            return Err(usage_error(USAGE));
        } else if matches(opt, "Version") {
            output::print(&format!(
                "bridge utility, rawnet {}\n",
                env!("CARGO_PKG_VERSION")
            ))?;
            return Ok(0);
        } else if matches(opt, "stats") || matches(opt, "statistics") {
            ctx.stats = ctx.stats.saturating_add(1);
        } else if matches(opt, "details") {
            ctx.details = true;
        } else if matches(opt, "oneline") {
            ctx.oneline = true;
            output::set_oneline(true);
        } else if matches(opt, "timestamp") {
            // Only `bridge monitor` prints time stamps; rawnet has none.
        } else if matches(opt, "family") {
            let Some((family, after)) = rest.split_first() else {
                return Err(usage_error(USAGE));
            };
            rest = after;
            ctx.family = Some(match family.as_str() {
                "inet" => libc::AF_INET as u8,
                "inet6" => libc::AF_INET6 as u8,
                "help" => return Err(usage_error(USAGE)),
                _ => {
                    return Err(CliError::usage(format!(
                        "Error: argument \"{family}\" is wrong: invalid protocol family"
                    )))
                }
            });
        } else if opt == "4" {
            ctx.family = Some(libc::AF_INET as u8);
        } else if opt == "6" {
            ctx.family = Some(libc::AF_INET6 as u8);
        } else if matches(opt, "netns") {
            let Some((name, after)) = rest.split_first() else {
                return Err(CliError::usage(
                    "Command line is not complete. Try option \"help\"",
                ));
            };
            rest = after;
            ctx.netns = Some(name.clone());
        } else if matches(opt, "color") || opt.starts_with("color=") {
            // Accepted; rawnet writes no colour.
        } else if matches(opt, "compressvlans") {
            ctx.compress_vlans = true;
        } else if matches(opt, "force") {
        } else if matches(opt, "json") {
            ctx.json = true;
        } else if matches(opt, "pretty") {
            ctx.pretty = true;
        } else if matches(opt, "batch") {
            return Err(CliError::usage(
                "rawnet as bridge: -batch is not supported (rawnet -batch reads ip commands)",
            ));
        } else {
            return Err(CliError::usage(format!(
                "Option \"-{opt}\" is unknown, try \"bridge help\"."
            )));
        }
    }
    if rest.is_empty() {
        return Err(usage_error(USAGE));
    }
    // `-n` is joined on this thread before anything runs, as `bridge -n` does.
    ctx.join_netns = true;
    ctx.namespace()?;
    super::run(&ctx, rest)
}
