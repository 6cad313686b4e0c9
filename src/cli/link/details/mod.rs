//! The kind-specific part of `-d` output: what iproute2 6.1's `print_opt`
//! functions print for a link's `IFLA_INFO_DATA` (bridge, vxlan, macvlan,
//! macvtap, ipvlan, vlan, ipip, gre, tun) and a bridge port's
//! `IFLA_INFO_SLAVE_DATA`, text and JSON from one description: [`Out`] writes
//! either, and each printer below follows iproute2's order and formats
//! (`%#llx` hex that prints 0 as `0`, timers as `%4i.%.2i`, on/off words).
//!
//! Pure: device names the output refers to (`dev veth0`) are resolved by the
//! caller and passed in.

mod bridge;
mod ipvlan;
mod macvlan;
mod tun;
mod tunnel;
mod vlan;
mod vxlan;

use rawnet::route::kind::{KindData, SlaveData};

pub use crate::cli::output::Out;

use bridge::{bridge, bridge_port};
use ipvlan::ipvlan;
use macvlan::macvlan;
use tun::tun;
use tunnel::{gre, ipip};
use vlan::vlan;
use vxlan::vxlan;

/// Device names the kind data refers to, resolved by the caller.
#[derive(Debug, Default, Clone)]
pub struct Names {
    /// The kind's lower device (vxlan/ipip/gre `dev`).
    pub link: Option<String>,
    /// A bridge port's backup port.
    pub backup_port: Option<String>,
}

/// The kind's parameters, after `KIND ` (text) or into `info_data` (JSON).
pub fn kind(out: &mut Out<'_>, data: &KindData, names: &Names) {
    match data {
        KindData::Bridge(b) => bridge(out, b),
        KindData::Vxlan(v) => vxlan(out, v, names),
        KindData::Macvlan(m) => macvlan(out, m),
        KindData::Ipvlan(i) => ipvlan(out, i),
        KindData::Vlan(v) => vlan(out, v),
        KindData::Ipip(t) => ipip(out, t, names),
        KindData::Gre(t) => gre(out, t, names),
        KindData::Tun(t) => tun(out, t),
    }
}

/// A port's parameters, after `KIND_slave ` or into `info_slave_data`.
pub fn slave(out: &mut Out<'_>, data: &SlaveData, names: &Names) {
    match data {
        SlaveData::Bridge(p) => bridge_port(out, p, names),
    }
}

#[cfg(test)]
mod tests {
    use rawnet::route::kind::{BridgeId, IpvlanInfo, TunnelInfo, VlanInfo};

    use super::bridge::{bridge_id, fwd_mask_str};
    use super::*;
    use crate::cli::output::Json;

    fn text(f: impl FnOnce(&mut Out<'_>)) -> String {
        let mut s = String::new();
        f(&mut Out::Text(&mut s));
        s
    }

    fn json(f: impl FnOnce(&mut Out<'_>)) -> String {
        let mut j = Json::new(false);
        j.begin_object();
        f(&mut Out::Json(&mut j));
        j.end_object();
        j.finish()
    }

    #[test]
    fn formats_as_iproute2() {
        assert_eq!(text(|o| o.timer("hello_timer", 0)), "hello_timer    0.00 ");
        assert_eq!(text(|o| o.timer("gc_timer", 12345)), "gc_timer  123.45 ");
        assert_eq!(json(|o| o.timer("gc_timer", 5)), "{\"gc_timer\":0.05}\n");
        assert_eq!(text(|o| o.hex("id", "port_id", 0x8001)), "port_id 0x8001 ");
        assert_eq!(
            json(|o| o.hex("group_fwd_mask", "x", 0)),
            "{\"group_fwd_mask\":\"0\"}\n"
        );
        let id = BridgeId {
            prio: [0x80, 0],
            addr: [0xc6, 0xa2, 0x10, 0x68, 0x01, 0xe8],
        };
        assert_eq!(bridge_id(&id), "8000.c6:a2:10:68:1:e8");
        assert_eq!(fwd_mask_str(0), "0x0");
        assert_eq!(fwd_mask_str(0x4003), "stp,0x2,lldp");
    }

    #[test]
    fn tunnels_and_vlans_as_iproute2_source_says() {
        let t = TunnelInfo {
            proto: Some(0),
            remote: Some([10, 0, 0, 2].into()),
            local: Some([10, 0, 0, 1].into()),
            link: Some(3),
            ttl: Some(64),
            tos: Some(0),
            pmtudisc: Some(true),
            ..TunnelInfo::default()
        };
        let names = Names {
            link: Some("veth0".into()),
            ..Names::default()
        };
        assert_eq!(
            text(|o| ipip(o, &t, &names)),
            "any remote 10.0.0.2 local 10.0.0.1 dev veth0 ttl 64 pmtudisc "
        );
        assert_eq!(
            text(|o| gre(o, &t, &names)),
            "remote 10.0.0.2 local 10.0.0.1 dev veth0 ttl 64 "
        );
        let v = VlanInfo {
            id: Some(10),
            protocol: Some(0x8100),
            flags: Some((1, 0x1f)),
        };
        assert_eq!(
            text(|o| vlan(o, &v)),
            "protocol 802.1Q id 10 <REORDER_HDR> "
        );
        assert_eq!(
            json(|o| vlan(o, &v)),
            "{\"protocol\":\"802.1Q\",\"id\":10,\"flags\":[\"REORDER_HDR\"]}\n"
        );
        let i = IpvlanInfo {
            mode: Some(1),
            flags: Some(2),
        };
        assert_eq!(text(|o| ipvlan(o, &i)), " mode l3 vepa ");
    }

    /// The captured replies (tests/golden/kinds) print as iproute2 6.1
    /// printed the same links (reply-show.txt, reply-show.json).
    #[test]
    fn captured_replies_print_as_ip_d_link_show() {
        use rawnet::netlink::Messages;
        use rawnet::route::link::Link;
        macro_rules! golden {
            ($f:literal) => {
                include_bytes!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/tests/golden/kinds/",
                    $f
                ))
            };
        }
        let text_all = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/golden/kinds/reply-show.txt"
        ));
        let json_all: serde_json::Value = serde_json::from_str(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/golden/kinds/reply-show.json"
        )))
        .unwrap();
        let names = Names {
            link: Some("veth0".into()),
            backup_port: None,
        };
        for reply in [
            &golden!("reply-bridge.bin")[..],
            golden!("reply-bridge-port.bin"),
            golden!("reply-bridge-stp.bin"),
            golden!("reply-vxlan-remote.bin"),
            golden!("reply-vxlan-group.bin"),
            golden!("reply-vxlan-inherit.bin"),
            golden!("reply-vxlan-v6.bin"),
            golden!("reply-macvlan-source.bin"),
            golden!("reply-macvtap.bin"),
        ] {
            let msg = Messages::new(reply).next().unwrap().unwrap();
            let l = Link::parse(&msg).unwrap();
            let name = l.name_lossy().into_owned();
            let shown = json_all
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["ifname"] == name.as_str())
                .unwrap();
            let (mut line, mut j) = (String::new(), Json::new(false));
            j.begin_object();
            if let Some(data) = l.kind_data().unwrap() {
                line = format!("\n    {} ", l.kind.as_deref().unwrap());
                kind(&mut Out::Text(&mut line), &data, &names);
                kind(&mut Out::Json(&mut j), &data, &names);
                j.end_object();
                let got: serde_json::Value = serde_json::from_str(&j.finish()).unwrap();
                assert_eq!(got, shown["linkinfo"]["info_data"], "{name}");
            } else if let Some(data) = l.slave_data().unwrap() {
                line = format!("\n    {}_slave ", l.slave_kind.as_deref().unwrap());
                slave(&mut Out::Text(&mut line), &data, &names);
                slave(&mut Out::Json(&mut j), &data, &names);
                j.end_object();
                let got: serde_json::Value = serde_json::from_str(&j.finish()).unwrap();
                assert_eq!(got, shown["linkinfo"]["info_slave_data"], "{name}");
            }
            assert!(line.len() > 20, "{name}: nothing decoded");
            assert!(
                text_all.contains(&line),
                "{name}: {line:?} not in ip's output"
            );
        }
    }
}
