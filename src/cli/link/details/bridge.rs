//! `-d` for bridges (`print_opt` of iproute2's ip/iplink_bridge.c) and their
//! ports (ip/iplink_bridge_slave.c).

use std::fmt::Write;

use rawnet::route::kind::{BridgeId, BridgeInfo, BridgePortInfo};

use super::vlan::ethertype;
use super::Names;
use crate::cli::lladdr::lladdr_text;
use crate::cli::output::Out;

/// `br_dump_bridge_id`: `%.2x%.2x.` and the address as `ether_ntoa` writes it.
pub(super) fn bridge_id(id: &BridgeId) -> String {
    let a = id.addr;
    format!(
        "{:02x}{:02x}.{:x}:{:x}:{:x}:{:x}:{:x}:{:x}",
        id.prio[0], id.prio[1], a[0], a[1], a[2], a[3], a[4], a[5]
    )
}

pub(super) fn bridge(out: &mut Out<'_>, b: &BridgeInfo) {
    let uint = |out: &mut Out<'_>, key: &str, label: &str, v: Option<u64>| {
        if let Some(v) = v {
            out.uint(key, label, v);
        }
    };
    let u32_ = |v: Option<u32>| v.map(u64::from);
    let u16_ = |v: Option<u16>| v.map(u64::from);
    let u8_ = |v: Option<u8>| v.map(u64::from);
    uint(out, "forward_delay", "forward_delay", u32_(b.forward_delay));
    uint(out, "hello_time", "hello_time", u32_(b.hello_time));
    uint(out, "max_age", "max_age", u32_(b.max_age));
    uint(out, "ageing_time", "ageing_time", u32_(b.ageing_time));
    uint(out, "stp_state", "stp_state", u32_(b.stp_state));
    uint(out, "priority", "priority", u16_(b.priority));
    uint(
        out,
        "vlan_filtering",
        "vlan_filtering",
        u8_(b.vlan_filtering),
    );
    if let Some(p) = b.vlan_protocol {
        out.string("vlan_protocol", "vlan_protocol", &ethertype(p));
    }
    if let Some(id) = &b.bridge_id {
        out.string("bridge_id", "bridge_id", &bridge_id(id));
    }
    // iproute2 6.1 prints the bridge id again here, not the root id.
    if b.root_id.is_some() {
        if let Some(id) = &b.bridge_id {
            out.string("root_id", "designated_root", &bridge_id(id));
        }
    }
    uint(out, "root_port", "root_port", u16_(b.root_port));
    uint(
        out,
        "root_path_cost",
        "root_path_cost",
        u32_(b.root_path_cost),
    );
    uint(
        out,
        "topology_change",
        "topology_change",
        u8_(b.topology_change),
    );
    uint(
        out,
        "topology_change_detected",
        "topology_change_detected",
        u8_(b.topology_change_detected),
    );
    for (key, v) in [
        ("hello_timer", b.hello_timer),
        ("tcn_timer", b.tcn_timer),
        ("topology_change_timer", b.topology_change_timer),
        ("gc_timer", b.gc_timer),
    ] {
        if let Some(v) = v {
            out.timer(key, v);
        }
    }
    uint(
        out,
        "vlan_default_pvid",
        "vlan_default_pvid",
        u16_(b.vlan_default_pvid),
    );
    uint(
        out,
        "vlan_stats_enabled",
        "vlan_stats_enabled",
        u8_(b.vlan_stats_enabled),
    );
    uint(
        out,
        "vlan_stats_per_port",
        "vlan_stats_per_port",
        u8_(b.vlan_stats_per_port),
    );
    if let Some(m) = b.group_fwd_mask {
        out.hex("group_fwd_mask", "group_fwd_mask", m.into());
    }
    if let Some(a) = &b.group_addr {
        out.string("group_addr", "group_address", &lladdr_text(a));
    }
    uint(
        out,
        "mcast_snooping",
        "mcast_snooping",
        u8_(b.mcast_snooping),
    );
    if let Some((val, mask)) = b.multi_boolopt {
        use rawnet::route::kind::bridge::{BR_BOOLOPT_MCAST_VLAN_SNOOPING, BR_BOOLOPT_NO_LL_LEARN};
        for (bit, key) in [
            (BR_BOOLOPT_NO_LL_LEARN, "no_linklocal_learn"),
            (BR_BOOLOPT_MCAST_VLAN_SNOOPING, "mcast_vlan_snooping"),
        ] {
            if mask & (1 << bit) != 0 {
                out.uint(key, key, u8::from(val & (1 << bit) != 0));
            }
        }
    }
    let rows: [(&str, &str, Option<u64>); 17] = [
        ("mcast_router", "mcast_router", u8_(b.mcast_router)),
        (
            "mcast_query_use_ifaddr",
            "mcast_query_use_ifaddr",
            u8_(b.mcast_query_use_ifaddr),
        ),
        ("mcast_querier", "mcast_querier", u8_(b.mcast_querier)),
        (
            "mcast_hash_elasticity",
            "mcast_hash_elasticity",
            u32_(b.mcast_hash_elasticity),
        ),
        ("mcast_hash_max", "mcast_hash_max", u32_(b.mcast_hash_max)),
        (
            "mcast_last_member_cnt",
            "mcast_last_member_count",
            u32_(b.mcast_last_member_cnt),
        ),
        (
            "mcast_startup_query_cnt",
            "mcast_startup_query_count",
            u32_(b.mcast_startup_query_cnt),
        ),
        (
            "mcast_last_member_intvl",
            "mcast_last_member_interval",
            b.mcast_last_member_intvl,
        ),
        (
            "mcast_membership_intvl",
            "mcast_membership_interval",
            b.mcast_membership_intvl,
        ),
        (
            "mcast_querier_intvl",
            "mcast_querier_interval",
            b.mcast_querier_intvl,
        ),
        (
            "mcast_query_intvl",
            "mcast_query_interval",
            b.mcast_query_intvl,
        ),
        (
            "mcast_query_response_intvl",
            "mcast_query_response_interval",
            b.mcast_query_response_intvl,
        ),
        (
            "mcast_startup_query_intvl",
            "mcast_startup_query_interval",
            b.mcast_startup_query_intvl,
        ),
        (
            "mcast_stats_enabled",
            "mcast_stats_enabled",
            u8_(b.mcast_stats_enabled),
        ),
        (
            "mcast_igmp_version",
            "mcast_igmp_version",
            u8_(b.mcast_igmp_version),
        ),
        (
            "mcast_mld_version",
            "mcast_mld_version",
            u8_(b.mcast_mld_version),
        ),
        (
            "nf_call_iptables",
            "nf_call_iptables",
            u8_(b.nf_call_iptables),
        ),
    ];
    for (key, label, v) in rows {
        uint(out, key, label, v);
    }
    uint(
        out,
        "nf_call_ip6tables",
        "nf_call_ip6tables",
        u8_(b.nf_call_ip6tables),
    );
    uint(
        out,
        "nf_call_arptables",
        "nf_call_arptables",
        u8_(b.nf_call_arptables),
    );
}

pub(super) fn bridge_port(out: &mut Out<'_>, p: &BridgePortInfo, names: &Names) {
    const STATES: [&str; 5] = [
        "disabled",
        "listening",
        "learning",
        "forwarding",
        "blocking",
    ];
    if let Some(st) = p.state {
        match STATES.get(st as usize) {
            Some(name) => out.string("state", "state", name),
            None => match out {
                Out::Text(s) => {
                    let _ = write!(s, "state ({st}) ");
                }
                Out::Json(j) => j.num("state_index", st),
            },
        }
    }
    if let Some(v) = p.priority {
        out.uint("priority", "priority", v);
    }
    if let Some(v) = p.cost {
        out.uint("cost", "cost", v as i32);
    }
    let on_off = |out: &mut Out<'_>, key: &str, label: &str, v: Option<u8>| {
        if let Some(v) = v {
            out.on_off(key, label, v);
        }
    };
    on_off(out, "hairpin", "hairpin", p.hairpin);
    on_off(out, "guard", "guard", p.guard);
    on_off(out, "root_block", "root_block", p.root_block);
    on_off(out, "fastleave", "fastleave", p.fast_leave);
    on_off(out, "learning", "learning", p.learning);
    on_off(out, "flood", "flood", p.unicast_flood);
    if let Some(v) = p.id {
        out.hex("id", "port_id", v.into());
    }
    if let Some(v) = p.no {
        out.hex("no", "port_no", v.into());
    }
    if let Some(v) = p.designated_port {
        out.uint("designated_port", "designated_port", v);
    }
    if let Some(v) = p.designated_cost {
        out.uint("designated_cost", "designated_cost", v);
    }
    if let Some(id) = &p.bridge_id {
        out.string("bridge_id", "designated_bridge", &bridge_id(id));
    }
    if let Some(id) = &p.root_id {
        out.string("root_id", "designated_root", &bridge_id(id));
    }
    for (key, v) in [
        ("hold_timer", p.hold_timer),
        ("message_age_timer", p.message_age_timer),
        ("forward_delay_timer", p.forward_delay_timer),
    ] {
        if let Some(v) = v {
            out.timer(key, v);
        }
    }
    if let Some(v) = p.topology_change_ack {
        out.uint("topology_change_ack", "topology_change_ack", v);
    }
    if let Some(v) = p.config_pending {
        out.uint("config_pending", "config_pending", v);
    }
    on_off(out, "proxy_arp", "proxy_arp", p.proxyarp);
    on_off(out, "proxy_arp_wifi", "proxy_arp_wifi", p.proxyarp_wifi);
    if let Some(v) = p.multicast_router {
        out.uint("multicast_router", "mcast_router", v);
    }
    if let Some(v) = p.fast_leave {
        out.text(if v != 0 {
            "mcast_fast_leave on "
        } else {
            "mcast_fast_leave off "
        });
    }
    on_off(out, "mcast_flood", "mcast_flood", p.mcast_flood);
    on_off(out, "bcast_flood", "bcast_flood", p.bcast_flood);
    on_off(
        out,
        "mcast_to_unicast",
        "mcast_to_unicast",
        p.mcast_to_ucast,
    );
    on_off(out, "neigh_suppress", "neigh_suppress", p.neigh_suppress);
    if let Some(m) = p.group_fwd_mask {
        out.hex("group_fwd_mask", "group_fwd_mask", m.into());
        out.string("group_fwd_mask_str", "group_fwd_mask_str", &fwd_mask_str(m));
    }
    on_off(out, "vlan_tunnel", "vlan_tunnel", p.vlan_tunnel);
    on_off(out, "isolated", "isolated", p.isolated);
    on_off(out, "locked", "locked", p.locked);
    if p.backup_port.is_some() {
        let name = names.backup_port.as_deref().unwrap_or("");
        out.string("backup_port", "backup_port", name);
    }
}

/// `_bitmask2str` with iproute2's names for bits 0 (stp), 2 (lacp), 14 (lldp).
pub(super) fn fwd_mask_str(mask: u16) -> String {
    let words: Vec<String> = (0..16)
        .filter(|i| mask & (1 << i) != 0)
        .map(|i| match i {
            0 => "stp".to_string(),
            2 => "lacp".to_string(),
            14 => "lldp".to_string(),
            i => format!("{:#x}", 1u32 << i),
        })
        .collect();
    if words.is_empty() {
        "0x0".to_string()
    } else {
        words.join(",")
    }
}
