//! `-d` for 802.1Q/802.1ad VLAN devices (`vlan_print_opt`, ip/iplink_vlan.c),
//! and the ethertype names bridges print too.

use std::fmt::Write;

use rawnet::route::kind::vlan::VLAN_FLAGS;
use rawnet::route::kind::VlanInfo;

use crate::cli::output::Out;

/// `ll_proto_n2a` for the ethertypes a bridge or VLAN reports.
pub(super) fn ethertype(p: u16) -> String {
    match p {
        0x8100 => "802.1Q".to_string(),
        0x88a8 => "802.1ad".to_string(),
        _ => format!("0x{p:04x}"),
    }
}

pub(super) fn vlan(out: &mut Out<'_>, v: &VlanInfo) {
    let Some(id) = v.id else {
        return;
    };
    let proto = v.protocol.map_or("802.1q".to_string(), ethertype);
    out.string("protocol", "protocol", &proto);
    out.uint("id", "id", id);
    if let Some((flags, _)) = v.flags {
        let mut rest = flags;
        let mut words = Vec::new();
        for (bit, name) in VLAN_FLAGS {
            if rest & bit != 0 {
                rest &= !bit;
                words.push(name.to_string());
            }
        }
        if rest != 0 {
            words.push(format!("{rest:x}"));
        }
        match out {
            Out::Text(s) => {
                let _ = write!(s, "<{}> ", words.join(","));
            }
            Out::Json(j) => {
                j.key_array("flags");
                for w in &words {
                    j.elem_str(w);
                }
                j.end_array();
            }
        }
    }
}
