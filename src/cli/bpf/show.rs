//! The shape of bpftool's `do_show` that `prog show` and `map show` share:
//! without a handle every object of the kind, streamed (a JSON array);
//! with one, each object it names — one object, not an array of one;
//! several (a tag or a name) an array in JSON, one after the other in
//! text (`do_show_subset`); none fails without a word.

use super::super::output::{self, Json, Out, Stream};
use super::{fail, lib_error, CliError, Context};

/// What `show` prints of one object, in bpftool's text and JSON.
pub(super) trait Shown {
    fn plain(&self, s: &mut String);
    fn json(&self, j: &mut Json);
}

/// `show [ HANDLE ]` for one kind: `all` walks every object, `select` reads
/// a handle, `facts` reads what is shown of one.
pub(super) fn show<T, S: Shown>(
    ctx: &Context,
    args: &[String],
    all: impl Iterator<Item = rawnet::Result<T>>,
    select: impl FnOnce(&[String]) -> Result<(Vec<T>, &[String]), CliError>,
    facts: impl Fn(&T) -> Result<S, CliError>,
) -> Result<i32, CliError> {
    if args.is_empty() {
        let mut stream = Stream::bpftool(ctx);
        for object in all {
            let shown = facts(&object.map_err(lib_error)?)?;
            match stream.begin_record() {
                Out::Text(s) => shown.plain(s),
                Out::Json(j) => shown.json(j),
            }
            stream.end_record()?;
        }
        stream.finish()?;
        return Ok(0);
    }
    // bpftool's do_show: a handle is two words.
    if args.len() != 2 {
        let w = args.get(2).unwrap_or(&args[0]);
        return Err(fail(format!("Error: what is '{w}'?")));
    }
    let (objects, _) = select(args)?;
    if objects.is_empty() {
        return Err(fail(""));
    }
    let mut text = String::new();
    let mut j = Json::bpftool(ctx.pretty);
    let array = objects.len() > 1;
    if array {
        j.begin_array();
    }
    for object in &objects {
        let shown = facts(object)?;
        if ctx.json {
            j.begin_object();
            shown.json(&mut j);
            j.end_object();
        } else {
            shown.plain(&mut text);
        }
    }
    if array {
        j.end_array();
    }
    if ctx.json {
        text = j.finish();
    }
    output::print(&text)?;
    Ok(0)
}
