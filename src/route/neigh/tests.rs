//! Unit tests of the neighbour module (and the golden-file helpers `fdb.rs` shares):
//! requests against what iproute2 6.1 sent, captured replies parsed, every
//! truncation failing cleanly. Captures: tests/golden/neigh/PROVENANCE.md.

use std::net::IpAddr;

use zerocopy::IntoBytes;

use super::*;
use crate::netlink::ack::parse_error;
use crate::netlink::header::NLM_F_DUMP;
use crate::netlink::{MessageBuilder, Messages};

/// Bytes of `tests/golden/neigh/<name>.hex`, sequence number and port id zeroed.
pub(crate) fn golden(name: &str) -> Vec<u8> {
    let text = match name {
        "neigh-add-v4" => include_str!("../../../tests/golden/neigh/neigh-add-v4.hex"),
        "neigh-add-v6" => include_str!("../../../tests/golden/neigh/neigh-add-v6.hex"),
        "neigh-add-proxy" => include_str!("../../../tests/golden/neigh/neigh-add-proxy.hex"),
        "neigh-add-stale-router" => {
            include_str!("../../../tests/golden/neigh/neigh-add-stale-router.hex")
        }
        "neigh-replace-reachable" => {
            include_str!("../../../tests/golden/neigh/neigh-replace-reachable.hex")
        }
        "neigh-del-v4" => include_str!("../../../tests/golden/neigh/neigh-del-v4.hex"),
        "neigh-del-missing-reply" => {
            include_str!("../../../tests/golden/neigh/neigh-del-missing-reply.hex")
        }
        "neigh-dump-req" => include_str!("../../../tests/golden/neigh/neigh-dump-req.hex"),
        "neigh-dump-dev-req" => include_str!("../../../tests/golden/neigh/neigh-dump-dev-req.hex"),
        "neigh-dump-proxy-req" => {
            include_str!("../../../tests/golden/neigh/neigh-dump-proxy-req.hex")
        }
        "neigh-dump-reply" => include_str!("../../../tests/golden/neigh/neigh-dump-reply.hex"),
        "neigh-dump-proxy-reply" => {
            include_str!("../../../tests/golden/neigh/neigh-dump-proxy-reply.hex")
        }
        "fdb-add-vxlan" => include_str!("../../../tests/golden/neigh/fdb-add-vxlan.hex"),
        "fdb-append-zero" => include_str!("../../../tests/golden/neigh/fdb-append-zero.hex"),
        "fdb-add-vni-port" => include_str!("../../../tests/golden/neigh/fdb-add-vni-port.hex"),
        "fdb-del-vni-port" => include_str!("../../../tests/golden/neigh/fdb-del-vni-port.hex"),
        "fdb-del-missing" => include_str!("../../../tests/golden/neigh/fdb-del-missing.hex"),
        "fdb-del-missing-reply" => {
            include_str!("../../../tests/golden/neigh/fdb-del-missing-reply.hex")
        }
        "fdb-add-master" => include_str!("../../../tests/golden/neigh/fdb-add-master.hex"),
        "fdb-replace-master-static" => {
            include_str!("../../../tests/golden/neigh/fdb-replace-master-static.hex")
        }
        "fdb-dump-req" => include_str!("../../../tests/golden/neigh/fdb-dump-req.hex"),
        "fdb-dump-dev-req" => include_str!("../../../tests/golden/neigh/fdb-dump-dev-req.hex"),
        "fdb-dump-reply" => include_str!("../../../tests/golden/neigh/fdb-dump-reply.hex"),
        other => panic!("no golden file {other}"),
    };
    crate::netlink::golden::request_bytes(text)
}

/// Our request as it goes out: the connection adds `NLM_F_ACK` when sending.
pub(crate) use crate::netlink::golden::sent;

const VETH0: u32 = 3; // ifindex of veth0 in the captures

fn v4(last: u8) -> IpAddr {
    IpAddr::from([10, 0, 0, last])
}

const MAC2: [u8; 6] = [2, 0, 0, 0, 0, 2];

#[test]
fn header_sizes_match_uapi() {
    assert_eq!(core::mem::size_of::<NdMsg>(), 12);
    assert_eq!(core::mem::offset_of!(NdMsg, ndm_ifindex), 4);
    assert_eq!(core::mem::offset_of!(NdMsg, ndm_state), 8);
    assert_eq!(core::mem::offset_of!(NdMsg, ndm_type), 11);
    assert_eq!(core::mem::size_of::<NdaCacheinfo>(), 16);
    assert_eq!(NDA_DST, libc::NDA_DST);
    assert_eq!(NDA_LLADDR, libc::NDA_LLADDR);
    assert_eq!(NDA_CACHEINFO, libc::NDA_CACHEINFO);
    assert_eq!(NDA_MASTER, libc::NDA_MASTER);
    assert_eq!(NDA_SRC_VNI, libc::NDA_SRC_VNI);
    assert_eq!(NUD_PERMANENT, libc::NUD_PERMANENT);
    assert_eq!(NUD_NOARP, libc::NUD_NOARP);
    assert_eq!(NTF_PROXY, libc::NTF_PROXY);
    assert_eq!(NTF_ROUTER, libc::NTF_ROUTER);
    assert_eq!(i32::from(AF_BRIDGE), libc::AF_BRIDGE);
}

#[test]
fn add_matches_iproute2() {
    let spec = NeighbourSpec::new(VETH0, v4(2), Some(MAC2.to_vec()));
    assert_eq!(
        sent(&add_neighbour_request(&spec).unwrap()),
        golden("neigh-add-v4")
    );
    let v6 = NeighbourSpec::new(VETH0, "fd00::2".parse().unwrap(), Some(MAC2.to_vec()));
    assert_eq!(
        sent(&add_neighbour_request(&v6).unwrap()),
        golden("neigh-add-v6")
    );
    let stale = NeighbourSpec {
        state: NUD_STALE,
        flags: NTF_ROUTER,
        ..NeighbourSpec::new(VETH0, v4(3), Some(vec![2, 0, 0, 0, 0, 3]))
    };
    assert_eq!(
        sent(&add_neighbour_request(&stale).unwrap()),
        golden("neigh-add-stale-router")
    );
    assert_eq!(
        sent(&add_neighbour_request(&NeighbourSpec::proxy(VETH0, v4(9))).unwrap()),
        golden("neigh-add-proxy")
    );
}

#[test]
fn replace_and_delete_match_iproute2() {
    let spec = NeighbourSpec {
        state: NUD_REACHABLE,
        ..NeighbourSpec::new(VETH0, v4(2), Some(MAC2.to_vec()))
    };
    assert_eq!(
        sent(&replace_neighbour_request(&spec).unwrap()),
        golden("neigh-replace-reachable")
    );
    let del = NeighbourSpec::new(VETH0, v4(2), None);
    assert_eq!(
        sent(&delete_neighbour_request(&del).unwrap()),
        golden("neigh-del-v4")
    );
    // `change` differs from `replace` only in NLM_F_CREATE.
    let change = sent(&change_neighbour_request(&spec).unwrap());
    let mut want = golden("neigh-replace-reachable");
    want[7] &= !0x04;
    assert_eq!(change, want);
}

#[test]
fn dump_requests_match_iproute2() {
    for (index, proxy, file) in [
        (0, false, "neigh-dump-req"),
        (VETH0, false, "neigh-dump-dev-req"),
        (0, true, "neigh-dump-proxy-req"),
    ] {
        let mut r = dump_neighbours_request(0, index, 0, proxy).unwrap();
        r.add_flags(NLM_F_DUMP);
        assert_eq!(r.as_bytes(), &golden(file)[..], "{file}");
    }
}

#[test]
fn extended_flags_and_protocol_are_encoded() {
    let spec = NeighbourSpec {
        flags_ext: NTF_EXT_MANAGED,
        protocol: Some(4),
        state: NUD_NONE,
        ..NeighbourSpec::new(1, v4(5), None)
    };
    let r = add_neighbour_request(&spec).unwrap();
    let msg = Messages::new(r.as_bytes()).next().unwrap().unwrap();
    let (_, attrs) = msg.fixed::<NdMsg>("ndmsg").unwrap();
    let kinds: Vec<u16> = attrs.clone().map(|a| a.unwrap().kind()).collect();
    assert_eq!(kinds, [NDA_PROTOCOL, NDA_DST, NDA_FLAGS_EXT]);
    assert_eq!(attrs.find(NDA_FLAGS_EXT).unwrap().u32().unwrap(), 1);
}

fn parse_all(bytes: &[u8]) -> Vec<NeighbourInfo> {
    Messages::new(bytes)
        .map(|m| m.unwrap())
        .filter(|m| m.message_type() == RTM_NEWNEIGH)
        .map(|m| Neighbour::parse(&m).unwrap().to_owned())
        .collect()
}

#[test]
fn parses_captured_neighbour_dump() {
    let all = parse_all(&golden("neigh-dump-reply"));
    assert_eq!(all.len(), 7);
    let multicast = &all[0];
    assert_eq!(multicast.family, libc::AF_INET as u8);
    assert_eq!(multicast.index, 5);
    assert_eq!(multicast.state, NUD_NOARP);
    assert_eq!(multicast.dst, Some(IpAddr::from([224, 0, 0, 22])));
    assert_eq!(
        multicast.lladdr.as_deref(),
        Some(&[1, 0, 0x5e, 0, 0, 0x16][..])
    );
    assert_eq!(multicast.probes, Some(0));
    assert!(multicast.cacheinfo.is_some());
    let router = &all[1];
    assert_eq!(router.dst, Some(v4(3)));
    assert_eq!((router.state, router.flags), (NUD_STALE, NTF_ROUTER));
    let v6 = all.last().unwrap();
    assert_eq!(v6.family, libc::AF_INET6 as u8);
    assert_eq!(v6.dst, Some("fd00::2".parse().unwrap()));
    assert_eq!(v6.state, NUD_PERMANENT);
    assert_eq!(v6.lladdr.as_deref(), Some(&MAC2[..]));
}

#[test]
fn parses_captured_proxy_dump() {
    let all = parse_all(&golden("neigh-dump-proxy-reply"));
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].dst, Some(v4(9)));
    assert_eq!((all[0].flags, all[0].state), (NTF_PROXY, NUD_NONE));
    assert_eq!(all[0].lladdr, None);
}

#[test]
fn parses_captured_fdb_dump() {
    let all = parse_all(&golden("fdb-dump-reply"));
    assert_eq!(all.len(), 17);
    assert!(all.iter().all(|n| n.family == AF_BRIDGE));
    let vx: Vec<_> = all.iter().filter(|n| n.index == 4).collect();
    assert_eq!(vx.len(), 3);
    assert_eq!(vx[0].lladdr.as_deref(), Some(&[0u8; 6][..]));
    assert_eq!(vx[0].dst, Some(IpAddr::from([192, 168, 50, 3])));
    assert_eq!(vx[0].flags, NTF_SELF);
    assert_eq!(vx[0].state, NUD_NOARP | NUD_PERMANENT);
    let port = all
        .iter()
        .find(|n| n.lladdr.as_deref() == Some(&[2, 0, 0, 0, 0, 0x0c][..]))
        .unwrap();
    assert_eq!((port.index, port.master), (VETH0, Some(5)));
    assert_eq!(port.state, NUD_NOARP); // "static"
    assert_eq!(port.flags_ext, Some(0));
}

#[test]
fn missing_entry_refusals_are_enoent() {
    for (reply, request) in [
        ("neigh-del-missing-reply", "neigh-del-v4"),
        ("fdb-del-missing-reply", "fdb-del-missing"),
    ] {
        let bytes = golden(reply);
        let msg = Messages::new(&bytes).next().unwrap().unwrap();
        let req = golden(request);
        let err = parse_error(&msg, Some(&req)).unwrap().unwrap_err();
        assert_eq!(err.errno, libc::ENOENT);
        assert_eq!(err.request_type, RTM_DELNEIGH);
        assert_eq!(err.to_string(), "kernel: No such file or directory");
    }
}

#[test]
fn every_truncation_of_captured_entries_fails_cleanly() {
    for file in ["neigh-dump-reply", "fdb-dump-reply", "neigh-add-v6"] {
        let bytes = golden(file);
        for msg in Messages::new(&bytes) {
            let msg = msg.unwrap();
            let len = msg.header.nlmsg_len as usize;
            let mut whole = msg.header.as_bytes().to_vec();
            whole.extend_from_slice(msg.payload());
            for cut in 16..len {
                let mut v = whole[..cut].to_vec();
                v[0..4].copy_from_slice(&(cut as u32).to_ne_bytes());
                let m = Messages::new(&v).next().unwrap().unwrap();
                match Neighbour::parse(&m) {
                    // A clean prefix: whole attributes only, or nothing cut that is read.
                    Ok(n) => {
                        assert!(cut >= 28, "{file}: cut {cut} parsed");
                        let _ = n.to_owned();
                    }
                    Err(e) => assert!(!e.what.is_empty()),
                }
            }
        }
    }
}

#[test]
fn malformed_attributes_are_named() {
    let mut m = MessageBuilder::new(RTM_NEWNEIGH, 0);
    m.header(&NdMsg {
        ndm_family: libc::AF_INET as u8,
        ..Default::default()
    });
    m.put(NDA_DST, &[10, 0, 0]);
    let r = m.finish().unwrap();
    let msg = Messages::new(r.as_bytes()).next().unwrap().unwrap();
    assert_eq!(Neighbour::parse(&msg).unwrap_err().what, "NDA_DST");

    let mut m = MessageBuilder::new(RTM_NEWNEIGH, 0);
    m.header(&NdMsg {
        ndm_family: AF_BRIDGE,
        ..Default::default()
    });
    m.put(200, &[1]); // unknown: skipped
    m.put(NDA_PORT, &[1]);
    let r = m.finish().unwrap();
    let msg = Messages::new(r.as_bytes()).next().unwrap().unwrap();
    assert_eq!(Neighbour::parse(&msg).unwrap_err().what, "NDA_PORT");

    let short = [0u8; 8];
    let mut v = vec![24, 0, 0, 0, 28, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    v.extend_from_slice(&short);
    let msg = Messages::new(&v).next().unwrap().unwrap();
    assert_eq!(Neighbour::parse(&msg).unwrap_err().what, "ndmsg");
}

#[test]
fn bridge_destination_family_follows_its_length() {
    let mut m = MessageBuilder::new(RTM_NEWNEIGH, 0);
    m.header(&NdMsg {
        ndm_family: AF_BRIDGE,
        ..Default::default()
    });
    m.put(
        NDA_DST,
        &[0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5],
    );
    let r = m.finish().unwrap();
    let msg = Messages::new(r.as_bytes()).next().unwrap().unwrap();
    let n = Neighbour::parse(&msg).unwrap();
    assert_eq!(n.dst, Some("fd00::5".parse().unwrap()));
}
