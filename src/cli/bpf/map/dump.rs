//! `rawnet bpf map dump MAP`: every entry of a map, as bpftool's
//! `do_dump` walks them, and `Found N elements`.

use rawnet::bpf::MapType;

use super::entry::{entry_error_plain, entry_json, entry_plain, hex_json, is_map_of_maps};
use super::{no_more, CliError, Context};
use crate::cli::bpf::{lib_error, select};
use crate::cli::output::{self, Out, Stream};

pub(super) fn dump(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let (map, rest) = select::map(args)?;
    no_more(rest)?;
    let info = map.info().map_err(lib_error)?;
    let mut stream = Stream::bpftool(ctx);
    let mut count = 0u32;
    for key in map.keys() {
        let key = key.map_err(lib_error)?;
        // bpftool's `dump_map_elem` / `print_entry_error`: a key whose value
        // cannot be read is shown with the reason and not counted; a program
        // array or map of maps has no entry at such a key, and says nothing.
        let errno = match map.lookup(&key) {
            Ok(Some(value)) => {
                count += 1;
                match stream.begin_record() {
                    Out::Text(s) => entry_plain(s, &info, &key, &value),
                    Out::Json(j) => entry_json(j, &info, &key, &value),
                }
                stream.end_record()?;
                continue;
            }
            Ok(None) => libc::ENOENT,
            Err(e) => e.errno().unwrap_or(libc::EIO),
        };
        if errno == libc::ENOENT
            && (is_map_of_maps(info.map_type) || info.map_type == MapType::ProgArray)
        {
            continue;
        }
        let reason = rawnet::error::errno_text(errno);
        match stream.begin_record() {
            Out::Text(s) => {
                let msg = if errno == libc::ENOENT {
                    "<no entry>"
                } else {
                    reason.as_str()
                };
                entry_error_plain(s, &info, &key, msg);
            }
            Out::Json(j) => {
                hex_json(j, "key", &key);
                j.key_object("value");
                j.str("error", &reason);
                j.end_object();
            }
        }
        stream.end_record()?;
    }
    stream.finish()?;
    if !ctx.json {
        let plural = if count == 1 { "" } else { "s" };
        output::print(&format!("Found {count} element{plural}\n"))?;
    }
    Ok(0)
}
