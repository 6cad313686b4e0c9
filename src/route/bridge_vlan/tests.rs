//! Requests against what `bridge vlan` 6.1 sent (tests/golden/bridge-vlan,
//! PROVENANCE.md there), and the dump view over built and captured replies.

use super::*;
use crate::netlink::header::NLM_F_DUMP;
use crate::netlink::Messages;

// Interface indexes in the captures.
const VETH0: u32 = 3;
const BR0: u32 = 4;

fn golden(name: &str) -> Vec<u8> {
    let text = match name {
        "vlan-add-pvid-untagged" => {
            include_str!("../../../tests/golden/bridge-vlan/vlan-add-pvid-untagged.hex")
        }
        "vlan-add-range" => include_str!("../../../tests/golden/bridge-vlan/vlan-add-range.hex"),
        "vlan-add-self" => include_str!("../../../tests/golden/bridge-vlan/vlan-add-self.hex"),
        "vlan-del-master" => include_str!("../../../tests/golden/bridge-vlan/vlan-del-master.hex"),
        "vlan-add-range-self-master" => {
            include_str!("../../../tests/golden/bridge-vlan/vlan-add-range-self-master.hex")
        }
        "vlan-add-tunnel" => include_str!("../../../tests/golden/bridge-vlan/vlan-add-tunnel.hex"),
        "vlan-add-tunnel-range" => {
            include_str!("../../../tests/golden/bridge-vlan/vlan-add-tunnel-range.hex")
        }
        "vlan-del-vid0" => include_str!("../../../tests/golden/bridge-vlan/vlan-del-vid0.hex"),
        "vlan-dump-req" => include_str!("../../../tests/golden/bridge-vlan/vlan-dump-req.hex"),
        "vlan-dump-compressed-req" => {
            include_str!("../../../tests/golden/bridge-vlan/vlan-dump-compressed-req.hex")
        }
        "vlan-dump-reply" => include_str!("../../../tests/golden/bridge-vlan/vlan-dump-reply.hex"),
        other => panic!("no golden file {other}"),
    };
    crate::netlink::golden::request_bytes(text)
}

/// Our request as it goes out: the connection adds `NLM_F_ACK`.
use crate::netlink::golden::sent;

fn spec(index: u32, vid: u16) -> VlanSpec {
    VlanSpec::new(index, vid)
}

#[test]
fn bridge_vlan_info_matches_uapi() {
    assert_eq!(core::mem::size_of::<BridgeVlanInfo>(), 4);
    assert_eq!(
        BridgeVlanInfo { flags: 1, vid: 2 }.as_bytes(),
        &[1, 0, 2, 0]
    );
}

#[test]
fn changes_match_bridge_vlan() {
    let cases = [
        (
            add_vlan_request(&VlanSpec {
                flags: BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED,
                ..spec(VETH0, 10)
            }),
            "vlan-add-pvid-untagged",
        ),
        (
            add_vlan_request(&VlanSpec {
                vid_end: Some(30),
                ..spec(VETH0, 20)
            }),
            "vlan-add-range",
        ),
        (
            add_vlan_request(&VlanSpec {
                bridge_flags: BRIDGE_FLAGS_SELF,
                ..spec(BR0, 40)
            }),
            "vlan-add-self",
        ),
        (
            delete_vlan_request(&VlanSpec {
                bridge_flags: BRIDGE_FLAGS_MASTER,
                ..spec(VETH0, 10)
            }),
            "vlan-del-master",
        ),
        (
            add_vlan_request(&VlanSpec {
                vid_end: Some(102),
                flags: BRIDGE_VLAN_INFO_UNTAGGED,
                bridge_flags: BRIDGE_FLAGS_SELF | BRIDGE_FLAGS_MASTER,
                ..spec(VETH0, 100)
            }),
            "vlan-add-range-self-master",
        ),
        (
            add_vlan_request(&VlanSpec {
                tunnel: Some((1005, 0)),
                ..spec(VETH0, 5)
            }),
            "vlan-add-tunnel",
        ),
        (
            add_vlan_request(&VlanSpec {
                vid_end: Some(7),
                tunnel: Some((1005, 1007)),
                ..spec(VETH0, 5)
            }),
            "vlan-add-tunnel-range",
        ),
        (delete_vlan_request(&spec(VETH0, 0)), "vlan-del-vid0"),
    ];
    for (request, file) in cases {
        assert_eq!(sent(&request.unwrap()), golden(file), "{file}");
    }
}

#[test]
fn dump_requests_match_bridge_vlan_show() {
    for (compressed, file) in [(false, "vlan-dump-req"), (true, "vlan-dump-compressed-req")] {
        let mut r = dump_vlans_request(compressed).unwrap();
        r.add_flags(NLM_F_DUMP);
        assert_eq!(r.as_bytes(), &golden(file)[..], "{file}");
    }
}

/// An `RTM_NEWLINK` of family `AF_BRIDGE` as the kernel's `br_fill_ifinfo`
/// writes it (name, master, then `IFLA_AF_SPEC`).
pub(crate) fn port_message(index: u32, name: &str, entries: &[(u16, u16)]) -> Vec<u8> {
    let mut m = MessageBuilder::new(RTM_NEWLINK, 0);
    m.header(&IfInfoMsg {
        ifi_family: AF_BRIDGE,
        ifi_index: index as i32,
        ..IfInfoMsg::default()
    });
    m.put_str(IFLA_IFNAME, name);
    m.put_u32(IFLA_MASTER, BR0);
    m.nest(IFLA_AF_SPEC, |m| {
        for &(flags, vid) in entries {
            put_vlan_info(m, flags, vid);
        }
        put_tunnel_info(m, 9, 1009, 0);
    });
    m.finish().unwrap().as_bytes().to_vec()
}

#[test]
fn port_view_reads_entries_in_order() {
    let bytes = port_message(
        VETH0,
        "veth0",
        &[
            (BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED, 1),
            (BRIDGE_VLAN_INFO_RANGE_BEGIN, 20),
            (BRIDGE_VLAN_INFO_RANGE_END, 30),
        ],
    );
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    let p = PortVlans::parse(&msg).unwrap();
    assert_eq!(
        (p.family, p.index, p.name, p.master),
        (AF_BRIDGE, VETH0, Some("veth0"), Some(BR0))
    );
    let v: Vec<_> = p.vlans().map(|r| r.unwrap()).collect();
    assert_eq!(
        v,
        [
            BridgeVlanInfo { flags: 6, vid: 1 },
            BridgeVlanInfo { flags: 8, vid: 20 },
            BridgeVlanInfo { flags: 16, vid: 30 },
        ]
    );
    let t: Vec<_> = p.tunnels().map(|r| r.unwrap()).collect();
    assert_eq!(
        t,
        [VlanTunnel {
            id: 1009,
            vid: 9,
            flags: 0
        }]
    );
}

#[test]
fn captured_reply_without_vlans_has_no_af_spec() {
    // This kernel has no VLAN filtering: the ports come without IFLA_AF_SPEC.
    let bytes = golden("vlan-dump-reply");
    let mut n = 0;
    for msg in Messages::new(&bytes) {
        let p = PortVlans::parse(&msg.unwrap()).unwrap();
        assert_eq!(p.family, AF_BRIDGE);
        assert!(p.name.is_some());
        assert_eq!(p.vlans().count(), 0);
        n += 1;
    }
    assert!(n >= 1);
}

#[test]
fn malformed_entries_fail_once() {
    let mut bytes = port_message(VETH0, "veth0", &[(0, 10), (0, 11)]);
    // Shorten the first IFLA_BRIDGE_VLAN_INFO to 2 bytes of payload: its
    // nla_len sits after ifinfomsg and the name and master attributes.
    let at = 16 + 16 + 12 + 8 + 4;
    assert_eq!(
        u16::from_ne_bytes([bytes[at + 2], bytes[at + 3]]),
        IFLA_BRIDGE_VLAN_INFO
    );
    bytes[at..at + 2].copy_from_slice(&6u16.to_ne_bytes());
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    let p = PortVlans::parse(&msg).unwrap();
    let v: Vec<_> = p.vlans().collect();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].unwrap_err().what, "IFLA_BRIDGE_VLAN_INFO");
    // Every truncation of the message parses or fails, never panics.
    for cut in 0..bytes.len() {
        let mut b = bytes[..cut].to_vec();
        if b.len() >= 4 {
            b[0..4].copy_from_slice(&(cut as u32).to_ne_bytes());
        }
        for msg in Messages::new(&b).flatten() {
            if let Ok(p) = PortVlans::parse(&msg) {
                let _ = p.vlans().count();
                let _ = p.tunnels().count();
            }
        }
    }
}
