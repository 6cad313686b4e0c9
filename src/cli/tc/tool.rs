//! rawnet invoked under the name `tc` (a symlink): tc's global options
//! (`-n NS`, `-j`, `-p`, `-s`, `-d`, `-o`, `-V`, `-help`, `-force`, `-batch
//! FILE`), then its objects.
//! As tc, a usage error exits 255, a missing device 1, a kernel refusal 2.

use super::super::{matches, output, CliError, Context};

const USAGE: &str = "\
Usage:	tc [ OPTIONS ] OBJECT { COMMAND | help }
	tc [-force] -batch filename
where  OBJECT := { qdisc | filter }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |
                    -o[neline] | -j[son] | -p[retty] |
                    -b[atch] [filename] | -n[etns] name }
";

/// tc's usage, on standard error (tc prints it there).
pub fn print_usage() -> Result<(), CliError> {
    output::to_stderr(USAGE);
    Ok(())
}

/// Run `tc WORDS...` (the words after the program name).
pub fn run(words: &[String]) -> Result<i32, CliError> {
    let mut ctx = Context::default();
    let Some(Options { rest, batch, force }) = options(&mut ctx, words)? else {
        return Ok(0);
    };
    if let Some(file) = batch {
        // Not joined: a batch line may name its own namespace (`-n NS`).
        return super::super::batch::run_tc(&ctx, &file, force);
    }
    if rest.is_empty() {
        print_usage()?;
        return Ok(0);
    }
    ctx.join_netns = true;
    ctx.namespace()?;
    super::run(&ctx, rest)
}

/// What tc's global options leave to do.
pub struct Options<'a> {
    /// The words after the options.
    pub rest: &'a [String],
    /// `-batch FILE`: run the commands in FILE (`-`: standard input); the
    /// words after the options are then ignored, as tc ignores them.
    pub batch: Option<String>,
    /// `-force`: a batch goes on after a failing line.
    pub force: bool,
}

/// tc's global options at the front of `words` into `ctx`; what is left to
/// do, or `None` when an option did all there is to do (`-V`, `-help`).
pub fn options<'a>(
    ctx: &mut Context,
    words: &'a [String],
) -> Result<Option<Options<'a>>, CliError> {
    let mut rest = words;
    let mut batch = None;
    let mut force = false;
    while let Some((word, after)) = rest.split_first() {
        if !word.starts_with('-') {
            break;
        }
        rest = after;
        let w = word.as_str();
        if matches(w, "-stats") || matches(w, "-statistics") {
            ctx.stats = ctx.stats.saturating_add(1);
        } else if matches(w, "-details") {
            ctx.details = true;
        } else if matches(w, "-raw") {
        } else if matches(w, "-pretty") {
            ctx.pretty = true;
        } else if matches(w, "-Version") {
            output::print(&format!(
                "tc utility, rawnet {}\n",
                env!("CARGO_PKG_VERSION")
            ))?;
            return Ok(None);
        } else if matches(w, "-help") {
            print_usage()?;
            return Ok(None);
        } else if matches(w, "-force") {
            force = true;
            ctx.force = true;
        } else if matches(w, "-batch") {
            // tc without the file name: its usage, then (no command
            // left) its usage again, and status 0.
            let Some((name, after)) = rest.split_first() else {
                print_usage()?;
                print_usage()?;
                return Ok(None);
            };
            rest = after;
            batch = Some(name.clone());
        } else if matches(w, "-netns") {
            let Some((name, after)) = rest.split_first() else {
                return Err(CliError::usage(
                    "Command line is not complete. Try option \"help\"",
                ));
            };
            rest = after;
            ctx.netns = Some(name.clone());
        } else if matches(w, "-json") {
            ctx.json = true;
        } else if matches(w, "-oneline") {
            ctx.oneline = true;
            output::set_oneline(true);
        } else if matches(w, "-brief") {
            ctx.brief = true;
        } else {
            return Err(CliError::usage(format!(
                "Option \"{word}\" is unknown, try \"tc -help\"."
            )));
        }
    }
    Ok(Some(Options { rest, batch, force }))
}
