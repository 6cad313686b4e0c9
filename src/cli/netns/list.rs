//! `netns list` (names, each with ` (id: N)` when it has an id in the current
//! namespace) and `netns list-id` (the ids the current namespace, or the one
//! it calls `target-nsid`, holds, each with its `/run/netns` name), printed as
//! iproute2 6.1 prints them in text and JSON.

use std::path::Path;

use rawnet::ns::{self, NetNs, NsId};

use super::super::arg_errors::{duplicate, usage_error};
use super::super::numbers::get_integer;
use super::super::os_args::escape;
use super::super::output::{Out, Stream};
use super::super::{CliError, Context};
use super::USAGE;

/// `netns list`: the names in directory order, with the id each has in the
/// current namespace. Nothing at all (not even `[]`) when `/run/netns` is
/// missing, as iproute2 prints nothing then.
pub fn list(ctx: &Context) -> Result<i32, CliError> {
    if !Path::new(ns::NETNS_RUN_DIR).is_dir() {
        return Ok(0);
    }
    let names = ns::list_named().map_err(CliError::from)?;
    // Without a connection there are no ids; iproute2 lists the names then.
    let mut conn = ctx.rtnl().ok();
    let mut s = Stream::new(ctx);
    for name in &names {
        let id = conn.as_mut().and_then(|c| {
            let target = NetNs::open_named(name).ok()?;
            ns::nsid_of(c, &target).ok().flatten()
        });
        let mut out = s.begin_record();
        out.str("name", "", escape(name), "");
        if let Some(id) = id {
            out.num("id", " (id: ", id, ")");
        }
        out.text("\n");
        s.end_record()?;
    }
    s.finish()?;
    Ok(0)
}

/// `list-id [target-nsid ID] [nsid ID]`.
pub fn list_id(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let (target, nsid) = parse_list_id(args)?;
    let mut conn = ctx.rtnl()?;
    // Built before the dump: no request goes out inside another's answer.
    let mut names = Names::new(super::super::link::nsid::named_ids(&mut conn));
    let entries = match nsid {
        Some(id) => vec![ns::nsid_entry(&mut conn, id, target).map_err(CliError::from)?],
        None => {
            let mut entries = Vec::new();
            let dumped = ns::dump_nsids(&mut conn, target, |e| {
                entries.push(e);
                Ok::<(), rawnet::Error>(())
            });
            // iproute2: the kernel's complaint, then "Dump terminated", exit 1.
            if let Err(e) = dumped {
                return Err(CliError::new(
                    1,
                    format!("{}\nDump terminated", CliError::from(e).message),
                ));
            }
            entries
        }
    };
    let mut s = Stream::new(ctx);
    for e in &entries {
        let mut out = s.begin_record();
        print_nsid(&mut out, e, &mut names);
        s.end_record()?;
    }
    s.finish()?;
    Ok(0)
}

/// The words of `list-id`, with iproute2's errors (exit 255).
fn parse_list_id(args: &[String]) -> Result<(Option<i32>, Option<i32>), CliError> {
    let mut target = None;
    let mut nsid = None;
    let mut i = 0;
    while let Some(word) = args.get(i) {
        let slot = match word.as_str() {
            "target-nsid" => &mut target,
            "nsid" => &mut nsid,
            _ => return Err(usage_error(USAGE)),
        };
        if slot.is_some() {
            return Err(duplicate(word, word));
        }
        let Some(value) = args.get(i + 1) else {
            return Err(CliError::usage(
                "Command line is not complete. Try option \"help\"",
            ));
        };
        let id = get_integer(value).ok_or_else(|| {
            CliError::usage(format!(
                "Error: argument \"{value}\" is wrong: \"{word}\" value is invalid"
            ))
        })?;
        if id < 0 {
            // iproute2 names the word after the value here (or "(null)").
            let next = args.get(i + 2).map_or("(null)", String::as_str);
            return Err(CliError::usage(format!(
                "Error: argument \"{next}\" is wrong: \"{word}\" value should be >= 0"
            )));
        }
        *slot = Some(id);
        i += 2;
    }
    Ok((target, nsid))
}

/// iproute2's nsid-to-name cache for `list-id`: each name is printed at most
/// once through the cache (an entry is taken out when printed); an id not in
/// it is looked up again among all names by its id in this namespace.
struct Names {
    /// The first name per id, in directory order.
    cache: Vec<(i32, String)>,
    /// Every `(id, name)` pair, in directory order.
    all: Vec<(i32, String)>,
}

impl Names {
    fn new(all: Vec<(i32, String)>) -> Names {
        let mut cache: Vec<(i32, String)> = Vec::new();
        for (id, name) in &all {
            if !cache.iter().any(|(i, _)| i == id) {
                cache.push((*id, name.clone()));
            }
        }
        Names { cache, all }
    }

    fn take(&mut self, id: i32) -> Option<String> {
        let pos = self.cache.iter().position(|(i, _)| *i == id && id >= 0)?;
        Some(self.cache.remove(pos).1)
    }

    /// iproute2's `netns_get_name` followed by putting the name back in the cache.
    fn look_up_again(&mut self, id: i32) -> Option<String> {
        let name = self
            .all
            .iter()
            .find(|(i, _)| *i == id && id >= 0)?
            .1
            .clone();
        if !self.cache.iter().any(|(i, _)| *i == id) {
            self.cache.push((id, name.clone()));
        }
        Some(name)
    }
}

/// iproute2's `print_nsid`, with its lookup in `names`.
fn print_nsid(out: &mut Out<'_>, e: &NsId, names: &mut Names) {
    let mut name = names.take(e.current_nsid.unwrap_or(e.nsid));
    if name.is_none() && !e.deleted {
        name = names.look_up_again(e.nsid);
    }
    nsid_line(out, e, name.as_deref());
}

/// iproute2's `print_nsid` once the name is known (also `ip monitor nsid`):
/// `[Deleted ]nsid N [current-nsid M ](iproute2 netns name: NAME)`.
pub(crate) fn nsid_line(out: &mut Out<'_>, e: &NsId, name: Option<&str>) {
    if e.deleted {
        out.flag("deleted", "Deleted", true);
    }
    if e.nsid < 0 {
        out.text("nsid unassigned ");
    } else {
        out.num("nsid", "nsid ", e.nsid, " ");
    }
    if let Some(current) = e.current_nsid {
        if current < 0 {
            out.text("current-nsid unassigned ");
        } else {
            out.num("current-nsid", "current-nsid ", current, " ");
        }
    }
    if let Some(name) = name {
        out.str("name", "(iproute2 netns name: ", name, ")");
    }
    out.text("\n");
}
