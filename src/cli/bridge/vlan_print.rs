//! `bridge vlan show` output (vlan.c's `print_vlan_info`), text and `-j`.
//!
//! Text: the header `port              vlan-id  `, then per port its name
//! padded to 16 and two spaces, and per VLAN the id (`START-END` for a
//! range), ` PVID`, ` Egress Untagged`, a line break; the next VLAN of the
//! port starts under the first one. JSON: per port
//! `{"ifname":..,"vlans":[{"vlan":..,"vlanEnd":..,"flags":[..]}]}`, where
//! `flags` is there whenever the entry has any flag bit (a compressed
//! range's end has `RANGE_END`, so `"flags":[]`). A port is written only
//! once one of its VLANs passes the filter, and as the dump arrives.

use rawnet::route::bridge_vlan::{
    BridgeVlanInfo, PortVlans, BRIDGE_VLAN_INFO_PVID, BRIDGE_VLAN_INFO_RANGE_BEGIN,
    BRIDGE_VLAN_INFO_RANGE_END, BRIDGE_VLAN_INFO_UNTAGGED,
};

use super::vlan::Filter;
use crate::cli::link_names::{LinkName, LinkNames};
use crate::cli::output::{Out, Render, Stream};
use crate::cli::CliError;

/// `IFNAMSIZ`: the width of the port column.
const PORT_WIDTH: usize = 16;

/// The header line (text only).
pub(super) fn header(o: &mut Out<'_>) {
    o.text("port              vlan-id  \n");
}

/// What `filter_vlan_check` says about one entry.
#[derive(Debug, PartialEq, Eq)]
enum Check {
    /// Past the VLAN asked for: nothing more of this port.
    Stop,
    /// A range's beginning, or below the VLAN asked for.
    Skip,
    Print,
}

fn check(vid: u16, flags: u16, filter: u32) -> Check {
    let vid = u32::from(vid);
    if filter != 0 && vid > filter && flags & BRIDGE_VLAN_INFO_RANGE_END == 0 {
        Check::Stop
    } else if flags & BRIDGE_VLAN_INFO_RANGE_BEGIN != 0 || vid < filter {
        Check::Skip
    } else {
        Check::Print
    }
}

/// `%-16s  ` of the port's name.
fn open_port(o: &mut Out<'_>, name: LinkName<'_>) {
    match o {
        Out::Text(s) => {
            let start = s.len();
            name.render(s);
            let width = s.len() - start;
            for _ in width..PORT_WIDTH {
                s.push(' ');
            }
            s.push_str("  ");
        }
        Out::Json(j) => {
            j.str_render("ifname", name);
            j.key_array("vlans");
        }
    }
}

/// One VLAN (or range): `vlan`, `vlanEnd`, `flags`.
fn vlan(o: &mut Out<'_>, start: u16, v: &BridgeVlanInfo) {
    if let Out::Json(j) = o {
        j.begin_object();
    }
    o.num("vlan", "", start, "");
    if start != v.vid {
        o.num("vlanEnd", "-", v.vid, "");
    }
    if v.flags != 0 {
        let words = [
            (BRIDGE_VLAN_INFO_PVID, "PVID"),
            (BRIDGE_VLAN_INFO_UNTAGGED, "Egress Untagged"),
        ];
        let set = words.iter().filter(|(bit, _)| v.flags & bit != 0);
        match o {
            Out::Text(s) => {
                for (_, w) in set {
                    s.push(' ');
                    s.push_str(w);
                }
            }
            Out::Json(j) => {
                j.key_array("flags");
                for (_, w) in set {
                    j.elem_str(w);
                }
                j.end_array();
            }
        }
    }
    if let Out::Json(j) = o {
        j.end_object();
    }
    o.line_break();
}

/// The entries `print_vlan_info` prints, each with the start of its range
/// (the entry itself when it is no range's end).
fn printed<'a>(
    p: &PortVlans<'a>,
    filter: u32,
) -> impl Iterator<Item = Result<(u16, BridgeVlanInfo), rawnet::Error>> + 'a {
    let mut last_start = 0u16;
    let mut stopped = false;
    p.vlans().filter_map(move |v| {
        if stopped {
            return None;
        }
        let v = match v {
            Ok(v) => v,
            Err(e) => {
                stopped = true;
                return Some(Err(e.into()));
            }
        };
        if v.flags & BRIDGE_VLAN_INFO_RANGE_END == 0 {
            last_start = v.vid;
        }
        match check(v.vid, v.flags, filter) {
            Check::Stop => {
                stopped = true;
                None
            }
            Check::Skip => None,
            Check::Print => Some(Ok((last_start, v))),
        }
    })
}

/// One port's VLANs as `print_vlan_info` writes them; nothing when the
/// message has no `IFLA_AF_SPEC` or no VLAN passes the filter. (The
/// entries are walked twice, the first time to know whether the port is
/// printed at all; nothing is copied.)
pub(super) fn port(
    stream: &mut Stream,
    names: &mut LinkNames,
    f: &Filter,
    p: &PortVlans<'_>,
) -> Result<(), CliError> {
    if !p.has_af_spec() {
        return Ok(());
    }
    match printed(p, f.vlan).next() {
        None => return Ok(()),
        Some(Err(e)) => return Err(e.into()),
        Some(Ok(_)) => {}
    }
    let name = match p.name {
        Some(n) => LinkName::Known(n),
        None => names.name(p.index)?,
    };
    let mut o = stream.begin_record();
    open_port(&mut o, name);
    for (i, entry) in printed(p, f.vlan).enumerate() {
        let (start, v) = entry?;
        if i > 0 {
            o.text("                  ");
        }
        vlan(&mut o, start, &v);
    }
    if let Out::Json(j) = &mut o {
        j.end_array();
    }
    stream.end_record()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_keeps_the_vlan_or_its_range() {
        // vid 25 against a compressed range 20-30, then vid 40.
        assert_eq!(check(20, BRIDGE_VLAN_INFO_RANGE_BEGIN, 25), Check::Skip);
        assert_eq!(check(30, BRIDGE_VLAN_INFO_RANGE_END, 25), Check::Print);
        assert_eq!(check(40, 0, 25), Check::Stop);
        assert_eq!(check(10, 0, 25), Check::Skip);
        assert_eq!(check(10, 0, 0), Check::Print);
    }
}
