//! `link add ... type KIND ARGS`: the argument grammar of each kind beyond
//! veth, as iproute2 6.1 reads it (keywords by unique prefix where iproute2
//! uses `matches()`), into a [`LinkKind`]. Device names in the arguments (`dev
//! D`) are resolved through the caller's lookup; nothing is sent from here.
//!
//! Messages and exit codes are iproute2's: `invarg` ([`invalid_arg`]: `Error:
//! argument "X" is wrong: WHAT`, 255), a kind's own refusals (`vxlan: ...`, 1).

use std::net::{IpAddr, Ipv4Addr};

use rawnet::route::kind::{
    BridgeParams, BridgePortParams, IpvlanFlag, IpvlanMode, IpvlanParams, MacvlanMode,
    MacvlanParams, TunnelParams, VlanParams, VxlanParams, VxlanTtl,
};
use rawnet::route::link::LinkKind;

use rawnet::route::link::LinkInfoChange;
use rawnet::route::prefix::family_of;

use crate::cli::arg_errors::{address_expected, garbage, invalid_arg};
use crate::cli::numbers::decimal_or_hex_u32;
use crate::cli::{matches, Args, CliError};

/// Looks a device name up (an index, or the error to print).
pub type Resolve<'r> = dyn FnMut(&str) -> Result<u32, CliError> + 'r;

fn unknown(kind: &str, word: &str) -> CliError {
    CliError::new(1, format!("{kind}: unknown command \"{word}\"?"))
}

/// The kind `kind` with its arguments `words` (everything after `type KIND`).
pub fn parse<'a>(
    kind: &'a str,
    words: &'a [String],
    resolve: &mut Resolve<'_>,
) -> Result<LinkKind<'a>, CliError> {
    Ok(match kind {
        "bridge" => LinkKind::Bridge(bridge(words)?),
        "vxlan" => LinkKind::Vxlan(vxlan(words, resolve, false)?),
        "macvlan" => LinkKind::Macvlan(macvlan(kind, words)?),
        "macvtap" => LinkKind::Macvtap(macvlan(kind, words)?),
        "ipvlan" => LinkKind::Ipvlan(ipvlan(words)?),
        "ipip" => LinkKind::Ipip(tunnel(kind, words, resolve)?),
        "gre" => LinkKind::Gre(tunnel(kind, words, resolve)?),
        "vlan" => LinkKind::Vlan(vlan(words)?),
        _ => {
            if let Some(w) = words.first() {
                return Err(CliError::usage(format!(
                    "Garbage instead of arguments \"{w} ...\". Try \"rawnet link help\"."
                )));
            }
            if kind == "dummy" {
                LinkKind::Dummy
            } else {
                LinkKind::Other(kind)
            }
        }
    })
}

/// `link set DEV type KIND ARGS`: a change of the link's kind settings
/// (`bridge`, `vxlan`: what the kernel lets change) or of its settings as
/// a bridge port (`bridge_slave`). Without arguments only the kind is sent,
/// as iproute2 does.
pub fn parse_change<'a>(
    kind: &'a str,
    words: &'a [String],
    resolve: &mut Resolve<'_>,
) -> Result<LinkInfoChange<'a>, CliError> {
    Ok(match kind {
        _ if words.is_empty() => LinkInfoChange::Kind(LinkKind::Other(kind)),
        "bridge_slave" => LinkInfoChange::BridgePort(bridge_slave(words)?),
        "vxlan" => LinkInfoChange::Kind(LinkKind::Vxlan(vxlan(words, resolve, true)?)),
        _ => LinkInfoChange::Kind(parse(kind, words, resolve)?),
    })
}

/// iproute2's `parse_on_off` for the port options: `Error: argument of "KEY"
/// must be one of "off", "on", not "VALUE"` (exit 1).
fn port_on_off(key: &str, value: &str) -> Result<bool, CliError> {
    match value {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(CliError::new(
            1,
            format!("Error: argument of \"{key}\" must be one of \"off\", \"on\", not \"{value}\""),
        )),
    }
}

/// `bridge_slave` options, as iproute2's `bridge_slave_parse_opt` reads them
/// (keywords by unique prefix, in its order).
fn bridge_slave(words: &[String]) -> Result<BridgePortParams, CliError> {
    let mut args = Args::new(words);
    let mut p = BridgePortParams::default();
    let number = |v: &str, what: &str| decimal_or_hex_u32(v).ok_or_else(|| invalid_arg(v, what));
    while let Some(w) = args.next() {
        let flag: Option<(&str, &mut Option<bool>)> = if matches(w, "hairpin") {
            Some(("hairpin", &mut p.hairpin))
        } else if matches(w, "guard") {
            Some(("guard", &mut p.guard))
        } else if matches(w, "root_block") {
            Some(("root_block", &mut p.root_block))
        } else if matches(w, "fastleave") {
            Some(("fastleave", &mut p.fast_leave))
        } else if matches(w, "learning") {
            Some(("learning", &mut p.learning))
        } else if matches(w, "flood") {
            Some(("flood", &mut p.flood))
        } else if matches(w, "mcast_flood") {
            Some(("mcast_flood", &mut p.mcast_flood))
        } else if matches(w, "bcast_flood") {
            Some(("bcast_flood", &mut p.bcast_flood))
        } else if matches(w, "mcast_to_unicast") {
            Some(("mcast_to_unicast", &mut p.mcast_to_unicast))
        } else if matches(w, "proxy_arp") {
            Some(("proxy_arp", &mut p.proxy_arp))
        } else if matches(w, "proxy_arp_wifi") {
            Some(("proxy_arp_wifi", &mut p.proxy_arp_wifi))
        } else if matches(w, "mcast_fast_leave") {
            Some(("mcast_fast_leave", &mut p.fast_leave))
        } else if matches(w, "neigh_suppress") {
            Some(("neigh_suppress", &mut p.neigh_suppress))
        } else if matches(w, "vlan_tunnel") {
            Some(("vlan_tunnel", &mut p.vlan_tunnel))
        } else if matches(w, "isolated") {
            Some(("isolated", &mut p.isolated))
        } else if matches(w, "locked") {
            Some(("locked", &mut p.locked))
        } else {
            None
        };
        if let Some((key, slot)) = flag {
            *slot = Some(port_on_off(key, args.value(w)?)?);
        } else if matches(w, "state") {
            let v = args.value(w)?;
            let n = number(v, "state is invalid")?;
            p.state = Some(u8::try_from(n).map_err(|_| invalid_arg(v, "state is invalid"))?);
        } else if matches(w, "priority") {
            let v = args.value(w)?;
            let n = number(v, "priority is invalid")?;
            p.priority = Some(u16::try_from(n).map_err(|_| invalid_arg(v, "priority is invalid"))?);
        } else if matches(w, "cost") {
            p.cost = Some(number(args.value(w)?, "cost is invalid")?);
        } else if matches(w, "mcast_router") {
            let v = args.value(w)?;
            let n = number(v, "invalid mcast_router")?;
            p.mcast_router =
                Some(u8::try_from(n).map_err(|_| invalid_arg(v, "invalid mcast_router"))?);
        } else if matches(w, "group_fwd_mask") {
            let v = args.value(w)?;
            let n = number(v, "invalid group_fwd_mask")?;
            p.group_fwd_mask =
                Some(u16::try_from(n).map_err(|_| invalid_arg(v, "invalid group_fwd_mask"))?);
        } else {
            return Err(CliError::new(
                1,
                format!("bridge_slave: unknown option \"{w}\"?"),
            ));
        }
    }
    Ok(p)
}

/// iproute2's `bridge_parse_opt`, its scalar settings: `forward_delay`,
/// `hello_time`, `max_age`, `ageing_time`, `stp_state` (u32), `priority`,
/// `group_fwd_mask`, `vlan_default_pvid` (u16), `vlan_filtering`,
/// `mcast_router`, `mcast_snooping`, `mcast_querier`, `nf_call_*`,
/// `mcast_query_use_ifaddr`, `vlan_stats_enabled`, `vlan_stats_per_port`,
/// `mcast_stats_enabled`, `mcast_igmp_version`,
/// `mcast_mld_version` (u8), each by unique prefix; a bad value is
/// `invarg("invalid KEY")`.
fn bridge(words: &[String]) -> Result<BridgeParams, CliError> {
    // iproute2's order of tests, so that a prefix means what it means there
    // (`vlan_` is `vlan_filtering`, `mcast_` is `mcast_router`); the words
    // rawnet does not take are here to keep their prefixes theirs.
    const KEYS: [&str; 34] = [
        "forward_delay",
        "hello_time",
        "max_age",
        "ageing_time",
        "stp_state",
        "priority",
        "vlan_filtering",
        "vlan_protocol",
        "group_fwd_mask",
        "group_address",
        "fdb_flush",
        "vlan_default_pvid",
        "vlan_stats_enabled",
        "vlan_stats_per_port",
        "mcast_router",
        "mcast_snooping",
        "mcast_query_use_ifaddr",
        "mcast_querier",
        "mcast_hash_elasticity",
        "mcast_hash_max",
        "mcast_last_member_count",
        "mcast_startup_query_count",
        "mcast_last_member_interval",
        "mcast_membership_interval",
        "mcast_querier_interval",
        "mcast_query_interval",
        "mcast_query_response_interval",
        "mcast_startup_query_interval",
        "mcast_stats_enabled",
        "mcast_igmp_version",
        "mcast_mld_version",
        "nf_call_iptables",
        "nf_call_ip6tables",
        "nf_call_arptables",
    ];
    let mut args = Args::new(words);
    let mut p = BridgeParams::default();
    while let Some(w) = args.next() {
        let Some(key) = KEYS.iter().copied().find(|k| matches(w, k)) else {
            return Err(unknown("bridge", w));
        };
        let u32_slot = match key {
            "forward_delay" => Some(&mut p.forward_delay),
            "hello_time" => Some(&mut p.hello_time),
            "max_age" => Some(&mut p.max_age),
            "ageing_time" => Some(&mut p.ageing_time),
            "stp_state" => Some(&mut p.stp_state),
            _ => None,
        };
        let u16_slot = match key {
            "priority" => Some(&mut p.priority),
            "group_fwd_mask" => Some(&mut p.group_fwd_mask),
            "vlan_default_pvid" => Some(&mut p.vlan_default_pvid),
            _ => None,
        };
        let u8_slot = match key {
            "vlan_filtering" => Some(&mut p.vlan_filtering),
            "vlan_stats_enabled" => Some(&mut p.vlan_stats_enabled),
            "mcast_router" => Some(&mut p.mcast_router),
            "mcast_snooping" => Some(&mut p.mcast_snooping),
            "mcast_querier" => Some(&mut p.mcast_querier),
            "mcast_query_use_ifaddr" => Some(&mut p.mcast_query_use_ifaddr),
            "vlan_stats_per_port" => Some(&mut p.vlan_stats_per_port),
            "nf_call_iptables" => Some(&mut p.nf_call_iptables),
            "nf_call_ip6tables" => Some(&mut p.nf_call_ip6tables),
            "nf_call_arptables" => Some(&mut p.nf_call_arptables),
            "mcast_stats_enabled" => Some(&mut p.mcast_stats_enabled),
            "mcast_igmp_version" => Some(&mut p.mcast_igmp_version),
            "mcast_mld_version" => Some(&mut p.mcast_mld_version),
            _ => None,
        };
        if u32_slot.is_none() && u16_slot.is_none() && u8_slot.is_none() {
            // Known to iproute2, not (yet) to rawnet.
            return Err(unknown("bridge", w));
        }
        let v = args.value(w)?;
        let bad = || invalid_arg(v, &format!("invalid {key}"));
        let n = decimal_or_hex_u32(v).ok_or_else(bad)?;
        if let Some(slot) = u32_slot {
            *slot = Some(n);
        } else if let Some(slot) = u16_slot {
            *slot = Some(u16::try_from(n).map_err(|_| bad())?);
        } else if let Some(slot) = u8_slot {
            *slot = Some(u8::try_from(n).map_err(|_| bad())?);
        }
    }
    Ok(p)
}

/// An address as iproute2's `get_addr` reads it: of `family` when one is
/// given (the family of an address given before), else of either family.
fn address(word: &str, family: Option<u8>) -> Result<IpAddr, CliError> {
    word.parse()
        .ok()
        .filter(|a| family.map_or(true, |f| family_of(a) == f))
        .ok_or_else(|| address_expected(family, word))
}

/// A TOS as `rtnl_dsfield_a2n` reads it: hexadecimal, `0x` optional, at most 0xff.
fn tos(word: &str) -> Option<u8> {
    let hex = word
        .strip_prefix("0x")
        .or_else(|| word.strip_prefix("0X"))
        .unwrap_or(word);
    u8::from_str_radix(hex, 16).ok()
}

/// A port as `get_u16`/`get_be16` read it (decimal or 0x hex).
fn port(word: &str) -> Option<u16> {
    decimal_or_hex_u32(word).and_then(|n| u16::try_from(n).ok())
}

/// `id VNI [dstport P] [local A] [remote A | group A] [dev D] [ttl N|auto|inherit]
/// [tos T|inherit] [[no]learning] [port MIN MAX] [ageing N|none]
/// [maxaddress N|unlimited] [[no]proxy] [[no]rsc] [[no]l2miss] [[no]l3miss]
/// [[no]udpcsum] [[no]udp6zerocsumtx] [[no]udp6zerocsumrx] [[no]external]
/// [[no]vnifilter]`. For a change (`set_op`) the VNI is optional, learning
/// is sent only when typed and no port warning is printed, as iproute2 does.
fn vxlan(
    words: &[String],
    resolve: &mut Resolve<'_>,
    set_op: bool,
) -> Result<VxlanParams, CliError> {
    let mut args = Args::new(words);
    let mut p = VxlanParams::new(0);
    let mut seen: Vec<&str> = Vec::new();
    let mut once = |key: &'static str, value: &str| {
        if seen.contains(&key) {
            return Err(garbage(key, value));
        }
        seen.push(key);
        Ok(())
    };
    let mut id = None;
    let mut learning = None;
    while let Some(w) = args.next() {
        if matches(w, "id") || matches(w, "vni") {
            let v = args.value(w)?;
            once("id", v)?;
            let n = decimal_or_hex_u32(v).filter(|&n| n < 1 << 24);
            id = Some(n.ok_or_else(|| invalid_arg(v, "invalid id"))?);
        } else if matches(w, "group") || matches(w, "remote") {
            let group = matches(w, "group");
            if p.remote.is_some_and(|a| a.is_multicast() != group) {
                return Err(CliError::new(
                    1,
                    "vxlan: both group and remote cannot be specified",
                ));
            }
            let v = args.value(w)?;
            once("group", v)?;
            let family = p.local.as_ref().map(family_of);
            let a = address(v, family)?;
            if a.is_multicast() != group {
                let what = if group { "group" } else { "remote" };
                return Err(invalid_arg(v, &format!("invalid {what} address")));
            }
            p.remote = Some(a);
        } else if matches(w, "local") {
            let v = args.value(w)?;
            once("local", v)?;
            let family = p.remote.as_ref().map(family_of);
            let a = address(v, family)?;
            if a.is_multicast() {
                return Err(invalid_arg(v, "invalid local address"));
            }
            p.local = Some(a);
        } else if matches(w, "dev") {
            let v = args.value(w)?;
            once("dev", v)?;
            p.link = Some(resolve(v).map_err(|e| CliError::usage(e.message))?);
        } else if matches(w, "ttl") || matches(w, "hoplimit") {
            let v = args.value(w)?;
            once("ttl", v)?;
            p.ttl = Some(match v {
                "inherit" => VxlanTtl::Inherit,
                "auto" => VxlanTtl::Value(0),
                _ => {
                    let n = decimal_or_hex_u32(v).ok_or_else(|| invalid_arg(v, "invalid TTL"))?;
                    VxlanTtl::Value(
                        u8::try_from(n).map_err(|_| invalid_arg(v, "TTL must be <= 255"))?,
                    )
                }
            });
        } else if matches(w, "tos") || matches(w, "dsfield") {
            let v = args.value(w)?;
            once("tos", v)?;
            p.tos = Some(match v {
                "inherit" => 1,
                _ => tos(v).ok_or_else(|| invalid_arg(v, "bad TOS value"))?,
            });
        } else if matches(w, "port") || matches(w, "srcport") {
            let low = args.value(w)?;
            once("srcport", low)?;
            let low_n = port(low).ok_or_else(|| invalid_arg(low, "min port"))?;
            let high = args.value(w)?;
            let high_n = port(high).ok_or_else(|| invalid_arg(high, "max port"))?;
            p.port_range = Some((low_n, high_n));
        } else if matches(w, "dstport") {
            let v = args.value(w)?;
            once("dstport", v)?;
            p.dstport = Some(port(v).ok_or_else(|| invalid_arg(v, "dst port"))?);
        } else if matches(w, "nolearning") {
            once("learning", w)?;
            learning = Some(false);
        } else if matches(w, "learning") {
            once("learning", w)?;
            learning = Some(true);
        } else if matches(w, "ageing") {
            let v = args.value(w)?;
            once("ageing", v)?;
            p.ageing = Some(match v {
                "none" => 0,
                _ => decimal_or_hex_u32(v).ok_or_else(|| invalid_arg(v, "ageing timer"))?,
            });
        } else if matches(w, "maxaddress") {
            let v = args.value(w)?;
            once("maxaddress", v)?;
            p.max_address = Some(match v {
                "unlimited" => 0,
                _ => decimal_or_hex_u32(v).ok_or_else(|| invalid_arg(v, "max addresses"))?,
            });
        } else if w == "vnifilter" || w == "novnifilter" {
            once("vnifilter", w)?;
            p.vnifilter = Some(w == "vnifilter");
        } else if let Some((key, on)) = VXLAN_FLAGS
            .iter()
            .find_map(|&(key, on)| matches(w, key).then_some((key, on)))
        {
            // Each on/off pair once (iproute2's check_duparg by attribute).
            once(key.trim_start_matches("no"), w)?;
            let slot = match key.trim_start_matches("no") {
                "proxy" => &mut p.proxy,
                "rsc" => &mut p.rsc,
                "l2miss" => &mut p.l2miss,
                "l3miss" => &mut p.l3miss,
                "udpcsum" => &mut p.udp_csum,
                "udp6zerocsumtx" => &mut p.udp_zero_csum6_tx,
                "udp6zerocsumrx" => &mut p.udp_zero_csum6_rx,
                _ => &mut p.collect_metadata,
            };
            *slot = Some(on);
        } else {
            return Err(unknown("vxlan", w));
        }
    }
    let external = p.collect_metadata == Some(true);
    if !external && p.vnifilter == Some(true) {
        return Err(CliError::new(
            1,
            "vxlan: vnifilter is valid only when 'external' is set",
        ));
    }
    if external && id.is_some() {
        return Err(CliError::new(
            1,
            "vxlan: both 'external' and vni cannot be specified",
        ));
    }
    if !external && p.vnifilter != Some(true) && id.is_none() && !set_op {
        return Err(CliError::new(
            1,
            "vxlan: missing virtual network identifier",
        ));
    }
    p.id = id;
    // `external` turns learning off unless it is asked for.
    p.learning = learning.unwrap_or(!external);
    p.keep_learning = set_op && learning.is_none();
    if p.remote.is_some_and(|a| a.is_multicast()) && p.link.is_none() {
        return Err(CliError::new(
            1,
            "vxlan: 'group' requires 'dev' to be specified",
        ));
    }
    if p.dstport.is_none() && !set_op {
        // iproute2's warning; the device is made all the same.
        crate::cli::output::to_stderr(
            "vxlan: destination port not specified\n\
             Will use Linux kernel default (non-standard value)\n\
             Use 'dstport 4789' to get the IANA assigned value\n\
             Use 'dstport 0' to get default and quiet this message\n",
        );
    }
    Ok(p)
}

/// vxlan's on/off words in iproute2's order of tests (a prefix of the first
/// match wins: `no` is `noproxy`), with the value each sets.
const VXLAN_FLAGS: &[(&str, bool)] = &[
    ("noproxy", false),
    ("proxy", true),
    ("norsc", false),
    ("rsc", true),
    ("nol2miss", false),
    ("l2miss", true),
    ("nol3miss", false),
    ("l3miss", true),
    ("udpcsum", true),
    ("noudpcsum", false),
    ("udp6zerocsumtx", true),
    ("noudp6zerocsumtx", false),
    ("udp6zerocsumrx", true),
    ("noudp6zerocsumrx", false),
    ("external", true),
    ("noexternal", false),
];

/// `[mode private|vepa|bridge|passthru|source]`
fn macvlan(kind: &str, words: &[String]) -> Result<MacvlanParams, CliError> {
    let mut args = Args::new(words);
    let mut p = MacvlanParams::default();
    while let Some(w) = args.next() {
        if matches(w, "mode") {
            let v = args.value(w)?;
            p.mode = Some(MacvlanMode::from_name(v).ok_or_else(|| {
                CliError::new(
                    1,
                    format!(
                        "Error: argument of \"mode\" must be \"private\", \"vepa\", \"bridge\", \"passthru\" or \"source\", not \"{v}\""
                    ),
                )
            })?);
        } else {
            return Err(CliError::new(1, format!("{kind}: unknown option \"{w}\"?")));
        }
    }
    Ok(p)
}

/// `[mode l2|l3|l3s] [bridge|private|vepa]`
fn ipvlan(words: &[String]) -> Result<IpvlanParams, CliError> {
    let mut p = IpvlanParams::default();
    let mut args = Args::new(words);
    while let Some(w) = args.next() {
        if matches(w, "mode") {
            let v = args.value(w)?;
            p.mode = Some(IpvlanMode::from_name(v).ok_or_else(|| {
                CliError::new(
                    1,
                    "Error: argument of \"mode\" must be either \"l2\", \"l3\" or \"l3s\"",
                )
            })?);
        } else if matches(w, "private") && p.flag.is_none() {
            p.flag = Some(IpvlanFlag::Private);
        } else if matches(w, "vepa") && p.flag.is_none() {
            p.flag = Some(IpvlanFlag::Vepa);
        } else if matches(w, "bridge") && p.flag.is_none() {
            p.flag = Some(IpvlanFlag::Bridge);
        } else {
            return Err(CliError::new(1, format!("ipvlan: unknown option \"{w}\"?")));
        }
    }
    Ok(p)
}

/// `[local A] [remote A] [ttl N|inherit] [dev D]` (`any` for no address).
fn tunnel(
    kind: &str,
    words: &[String],
    resolve: &mut Resolve<'_>,
) -> Result<TunnelParams, CliError> {
    let mut args = Args::new(words);
    let mut p = TunnelParams::default();
    let v4 = |word: &str| -> Result<Option<Ipv4Addr>, CliError> {
        if word == "any" {
            return Ok(None);
        }
        word.parse()
            .map(Some)
            .map_err(|_| address_expected(Some(libc::AF_INET as u8), word))
    };
    while let Some(w) = args.next() {
        if w == "remote" {
            p.remote = v4(args.value(w)?)?;
        } else if w == "local" {
            p.local = v4(args.value(w)?)?;
        } else if matches(w, "dev") {
            let v = args.value(w)?;
            p.link = resolve(v).map_err(|e| CliError::usage(e.message))?;
        } else if w == "ttl" || w == "hoplimit" || w == "hlim" {
            let v = args.value(w)?;
            p.ttl = match v {
                "inherit" => 0,
                _ => decimal_or_hex_u32(v)
                    .and_then(|n| u8::try_from(n).ok())
                    .ok_or_else(|| invalid_arg(v, "invalid TTL"))?,
            };
        } else {
            return Err(unknown(kind, w));
        }
    }
    Ok(p)
}

/// `id N`
fn vlan(words: &[String]) -> Result<VlanParams, CliError> {
    let mut args = Args::new(words);
    let mut id = None;
    while let Some(w) = args.next() {
        if matches(w, "id") {
            let v = args.value(w)?;
            let n = decimal_or_hex_u32(v).and_then(|n| u16::try_from(n).ok());
            id = Some(n.ok_or_else(|| invalid_arg(v, "id is invalid"))?);
        } else {
            return Err(unknown("vlan", w));
        }
    }
    let id = id.ok_or_else(|| CliError::new(1, "8021q: VLAN id is required"))?;
    Ok(VlanParams { id })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn no_lookup(name: &str) -> Result<u32, CliError> {
        match name {
            "veth0" => Ok(3),
            _ => Err(CliError::new(1, format!("Cannot find device \"{name}\""))),
        }
    }

    fn vx(words: &[&str]) -> Result<VxlanParams, CliError> {
        vxlan(&w(words), &mut no_lookup, false)
    }

    #[test]
    fn vxlan_grammar() {
        let p = vx(&[
            "id",
            "43",
            "local",
            "10.0.0.1",
            "group",
            "239.1.1.1",
            "dev",
            "veth0",
            "ttl",
            "10",
            "tos",
            "0x10",
            "port",
            "1000",
            "2000",
            "dstport",
            "4789",
        ])
        .unwrap();
        assert_eq!(p.id, Some(43));
        assert_eq!(p.link, Some(3));
        assert_eq!(p.ttl, Some(VxlanTtl::Value(10)));
        assert_eq!((p.tos, p.port_range), (Some(0x10), Some((1000, 2000))));
        assert_eq!(
            vx(&["id", "1", "tos", "10", "dstport", "0"]).unwrap().tos,
            Some(0x10)
        );
        let e = vx(&["id", "16777216"]).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (255, "Error: argument \"16777216\" is wrong: invalid id")
        );
        assert_eq!(vx(&["dstport", "1"]).unwrap_err().code, 1);
        assert_eq!(vx(&["id", "1", "id", "2"]).unwrap_err().code, 255);
        let e = vx(&["id", "1", "group", "239.1.1.1"]).unwrap_err();
        assert_eq!(e.message, "vxlan: 'group' requires 'dev' to be specified");
        let e = vx(&["id", "1", "remote", "239.1.1.1"]).unwrap_err();
        assert_eq!(
            e.message,
            "Error: argument \"239.1.1.1\" is wrong: invalid remote address"
        );
        let e = vx(&["id", "1", "dev", "nosuch"]).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (255, "Cannot find device \"nosuch\"")
        );
        assert_eq!(vx(&["id", "1", "ttl", "256"]).unwrap_err().code, 255);
        assert_eq!(vx(&["id", "1", "frob"]).unwrap_err().code, 1);
    }

    #[test]
    fn other_kinds() {
        let b = bridge(&w(&["stp_state", "1", "forward_delay", "400"])).unwrap();
        assert_eq!((b.stp_state, b.forward_delay), (Some(1), Some(400)));
        assert_eq!(bridge(&w(&["stp_state", "x"])).unwrap_err().code, 255);
        let e = macvlan("macvlan", &w(&["mode", "frob"])).unwrap_err();
        assert_eq!(
            e.message,
            "Error: argument of \"mode\" must be \"private\", \"vepa\", \"bridge\", \"passthru\" or \"source\", not \"frob\""
        );
        let i = ipvlan(&w(&["mode", "l3", "vepa"])).unwrap();
        assert_eq!(
            (i.mode, i.flag),
            (Some(IpvlanMode::L3), Some(IpvlanFlag::Vepa))
        );
        assert_eq!(ipvlan(&w(&["mode", "l4"])).unwrap_err().code, 1);
        let t = tunnel(
            "ipip",
            &w(&["remote", "10.0.0.2", "dev", "veth0"]),
            &mut no_lookup,
        )
        .unwrap();
        assert_eq!((t.remote, t.link), (Some(Ipv4Addr::new(10, 0, 0, 2)), 3));
        assert_eq!(vlan(&w(&["id", "10"])).unwrap().id, 10);
        assert_eq!(vlan(&w(&[])).unwrap_err().code, 1);
        assert!(matches!(
            parse("dummy", &[], &mut no_lookup),
            Ok(LinkKind::Dummy)
        ));
        assert_eq!(
            parse("frob", &w(&["x"]), &mut no_lookup).unwrap_err().code,
            255
        );
    }
}
