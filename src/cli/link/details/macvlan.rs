//! `-d` for macvlan and macvtap devices (`macvlan_print_opt`,
//! ip/iplink_macvlan.c).

use std::fmt::Write;

use rawnet::route::kind::{MacvlanInfo, MacvlanMode};

use crate::cli::lladdr::lladdr_text;
use crate::cli::output::Out;

pub(super) fn macvlan(out: &mut Out<'_>, m: &MacvlanInfo) {
    let Some(mode) = m.mode else {
        return;
    };
    let name = MacvlanMode::from_value(mode).map_or("unknown", MacvlanMode::name);
    out.string("mode", "mode", name);
    let flags = m.flags.unwrap_or(0);
    if flags & rawnet::route::kind::macvlan::MACVLAN_FLAG_NOPROMISC != 0 {
        out.flag("nopromisc", "nopromisc", true);
    }
    if flags & rawnet::route::kind::macvlan::MACVLAN_FLAG_NODST != 0 {
        out.flag("nodst", "nodst", true);
    }
    if let Some(v) = m.bc_queue_len {
        out.uint("bcqueuelen", "bcqueuelen", v);
    }
    if let Some(v) = m.bc_queue_len_used {
        out.uint("usedbcqueuelen", "usedbcqueuelen", v);
    }
    if mode != MacvlanMode::Source as u32 {
        return;
    }
    let Some(count) = m.macaddr_count else {
        return;
    };
    match out {
        Out::Text(s) => {
            let _ = write!(s, "remotes ({}) ", count as i32);
            for a in &m.macaddrs {
                let _ = write!(s, "{} ", lladdr_text(a));
            }
        }
        Out::Json(j) => {
            j.num("macaddr_count", count as i32);
            if !m.macaddrs.is_empty() {
                j.key_array("macaddr_data");
                for a in &m.macaddrs {
                    j.elem_str(&lladdr_text(a));
                }
                j.end_array();
            }
        }
    }
}
