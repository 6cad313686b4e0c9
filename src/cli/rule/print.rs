//! Rule output as iproute2 6.1 prints it (`print_rule` in ip/iprule.c): the
//! text line `PRIO:\tSELECTOR ACTION`, and the `-j` object with the same
//! keys in the same order.

use std::net::IpAddr;

use rawnet::route::route::RTPROT_KERNEL;
use rawnet::route::rule::*;

use super::names::{ip_proto_name, Dsfield, Group, Hex, Realm};
use crate::cli::os_args::escape;
use crate::cli::output::Out;
use crate::cli::route::names;

use rawnet::route::route::RTN_NAT;

fn host_len(family: u8) -> u8 {
    if family == libc::AF_INET6 as u8 {
        128
    } else {
        32
    }
}

/// `from ADDR[/LEN]`, `to ...`: the address, its length when not a host's.
fn selector(
    o: &mut Out<'_>,
    keys: (&str, &str),
    word: &str,
    addr: Option<IpAddr>,
    len: u8,
    fam: u8,
) {
    match addr {
        Some(a) => {
            o.text(word);
            o.str(keys.0, "", a, "");
            if len != host_len(fam) {
                o.num(keys.1, "/", len, "");
            }
        }
        None => {
            o.str(keys.0, word, "0", "");
            o.num(keys.1, "/", len, "");
        }
    }
}

/// One rule as `ip rule` prints it, into `o` (the text line with its
/// newline, or the keys of the JSON object).
pub fn rule(o: &mut Out<'_>, r: &Rule<'_>, details: bool) {
    let h = &r.header;
    let fam = h.family;
    if r.message_type == RTM_DELRULE {
        o.flag("deleted", "Deleted", true);
    }
    o.num("priority", "", r.preference(), ":\t");
    if r.inverted() {
        o.null("not", "not ");
    }
    if r.src.is_some() || h.src_len != 0 {
        selector(o, ("src", "srclen"), "from ", r.src, h.src_len, fam);
    } else {
        o.str("src", "from ", "all", "");
    }
    if r.dst.is_some() || h.dst_len != 0 {
        selector(o, ("dst", "dstlen"), " to ", r.dst, h.dst_len, fam);
    }
    if h.tos != 0 {
        o.str("tos", " tos ", Dsfield(h.tos), "");
    }
    if r.fwmark.is_some() || r.fwmask.is_some() {
        o.str("fwmark", " fwmark ", Hex(r.fwmark.unwrap_or(0)), "");
        if let Some(mask) = r.fwmask.filter(|m| *m != u32::MAX) {
            o.str("fwmask", "/", Hex(mask), "");
        }
    }
    if let Some(iif) = &r.iif {
        o.str("iif", " iif ", &*escape(iif), "");
        if h.flags & FIB_RULE_IIF_DETACHED != 0 {
            o.null("iif_detached", " [detached]");
        }
    }
    if let Some(oif) = &r.oif {
        o.str("oif", " oif ", &*escape(oif), "");
        if h.flags & FIB_RULE_OIF_DETACHED != 0 {
            o.null("oif_detached", " [detached]");
        }
    }
    if r.l3mdev.is_some_and(|m| m != 0) {
        o.null("l3mdev", " lookup [l3mdev-table]");
    }
    if let Some(u) = r.uid_range {
        o.num("uid_start", " uidrange ", u.start, "");
        o.num("uid_end", "-", u.end, "");
    }
    if let Some(p) = r.ip_proto {
        o.str("ipproto", " ipproto ", ip_proto_name(p), "");
    }
    for (range, key, word) in [(r.sport, "sport", " sport "), (r.dport, "dport", " dport ")] {
        let Some(range) = range else { continue };
        if range.start == range.end {
            o.num(key, word, range.start, "");
        } else {
            let (start, end) = if key == "sport" {
                ("sport_start", "sport_end")
            } else {
                ("dport_start", "dport_end")
            };
            o.num(start, word, range.start, "");
            o.num(end, "-", range.end, "");
        }
    }
    if let Some(id) = r.tun_id {
        o.num("tun_id", " tun_id ", id, "");
    }
    if r.table != 0 {
        o.str("table", " lookup ", names::table_name(r.table), "");
        if let Some(pl) = r.suppress_prefixlen.filter(|p| *p != u32::MAX) {
            o.num(
                "suppress_prefixlen",
                " suppress_prefixlength ",
                pl as i32,
                "",
            );
        }
        if let Some(g) = r.suppress_ifgroup.filter(|g| *g != u32::MAX) {
            o.str("suppress_ifgroup", " suppress_ifgroup ", Group(g), "");
        }
    }
    if let Some(flow) = r.flow {
        let (from, to) = (flow >> 16, flow & 0xffff);
        if from != 0 {
            o.str("flow_from", " realms ", Realm(from), "/");
        } else {
            o.text(" realms ");
        }
        o.str("flow_to", "", Realm(to), "");
    }
    match h.action {
        RTN_NAT => o.null("masquerade", " masquerade"),
        FR_ACT_GOTO => {
            match r.goto {
                Some(g) => o.num("goto", " goto ", g, ""),
                None => o.str("goto", " goto ", "none", ""),
            }
            if h.flags & FIB_RULE_UNRESOLVED != 0 {
                o.null("unresolved", " [unresolved]");
            }
        }
        FR_ACT_NOP => o.null("nop", " nop"),
        FR_ACT_TO_TBL => {}
        a => o.str("action", " ", names::type_name(a), ""),
    }
    if let Some(p) = r.protocol {
        if (p != 0 && p != RTPROT_KERNEL) || details {
            o.str("protocol", " proto ", names::protocol_name(p), "");
        }
    }
    o.text("\n");
}
