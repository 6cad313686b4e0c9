//! `-d` for ipvlan devices (`ipvlan_print_opt`, ip/iplink_ipvlan.c).

use std::fmt::Write;

use rawnet::route::kind::IpvlanInfo;

use crate::cli::output::Out;

pub(super) fn ipvlan(out: &mut Out<'_>, i: &IpvlanInfo) {
    if let Some(mode) = i.mode {
        let name = match mode {
            0 => "l2",
            1 => "l3",
            2 => "l3s",
            _ => "unknown",
        };
        match out {
            Out::Text(s) => {
                let _ = write!(s, " mode {name} ");
            }
            Out::Json(j) => j.str("mode", name),
        }
    }
    if let Some(flags) = i.flags {
        if flags & 1 != 0 {
            out.flag("private", "private", true);
        } else if flags & 2 != 0 {
            out.flag("vepa", "vepa", true);
        } else {
            out.flag("bridge", "bridge", true);
        }
    }
}
