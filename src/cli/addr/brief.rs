//! `ip -br address`: a link as iproute2 6.1's `print_linkinfo_brief` starts
//! its line (`NAME[@PEER]` padded to 16, the operational state padded to
//! 14), and in JSON `link`/`ifname`/`operstate`. The addresses follow (see
//! `print.rs`), then the caller ends the line.

use std::fmt::Write;

use rawnet::route::link::Link;

use crate::cli::link::show::{Lookups, OPER_STATES};
use crate::cli::output::Out;
use crate::cli::CliError;

/// The brief head of link `l`.
pub(super) fn brief_link(
    o: &mut Out<'_>,
    lookups: &mut Lookups,
    l: &Link<'_>,
) -> Result<(), CliError> {
    let name = &*crate::cli::os_args::escape(l.name_or_empty());
    match o {
        Out::Text(s) => {
            let start = s.len();
            s.push_str(name);
            match (l.link, l.link_netnsid) {
                (None, _) => {}
                (Some(0), _) => s.push_str("@NONE"),
                (Some(i), Some(_)) => {
                    let _ = write!(s, "@if{i}");
                }
                (Some(i), None) => {
                    let peer = lookups.names().name(i)?;
                    let _ = write!(s, "@{peer}");
                }
            }
            // Bytes as printed: an escaped name byte is one byte out.
            let written = crate::cli::os_args::unescape(&s[start..]).len();
            for _ in written..16 {
                s.push(' ');
            }
            s.push(' ');
            if let Some(st) = l.operstate {
                match OPER_STATES.get(usize::from(st)) {
                    Some(w) => {
                        let _ = write!(s, "{w:<14} ");
                    }
                    None => {
                        let _ = write!(s, "state {st:#x}");
                    }
                }
            }
        }
        Out::Json(j) => {
            match (l.link, l.link_netnsid) {
                (None, _) => {}
                (Some(0), _) => j.num("link", "null"),
                (Some(i), Some(_)) => j.num("link_index", i),
                (Some(i), None) => {
                    let peer = lookups.names().name(i)?;
                    j.str_display("link", peer);
                }
            }
            j.str("ifname", name);
            if let Some(st) = l.operstate {
                match OPER_STATES.get(usize::from(st)) {
                    Some(w) => j.str("operstate", w),
                    None => j.num("operstate_index", st),
                }
            }
        }
    }
    Ok(())
}
