//! [`LinkKind`] in whole link requests: the bytes iproute2 6.1 sends for
//! veth pairs, kinds without data, a port's master and the filtered dump
//! (golden captures of `route::kind`'s tests).

use std::os::fd::{AsFd, AsRawFd};

use crate::route::kind::golden::{golden, sent};
use crate::route::kind::*;
use crate::route::link::LinkKind;
use crate::route::link::{
    add_link_request, dump_links_filtered_request, set_link_request, LinkChanges, LinkSpec,
    NetnsRef,
};

fn add(spec: &LinkSpec<'_>) -> Vec<u8> {
    sent(add_link_request(spec).unwrap())
}

/// iproute2 had the namespace file as fd 4; put ours where its number is.
fn with_fd(golden: &[u8], at: usize, fd: &std::fs::File) -> Vec<u8> {
    let mut g = golden.to_vec();
    assert_eq!(g[at..at + 4], 4u32.to_ne_bytes(), "fd 4 in the capture");
    g[at..at + 4].copy_from_slice(&(fd.as_raw_fd() as u32).to_ne_bytes());
    g
}

/// The lists name exactly the kinds the decoders take (no attributes is
/// an empty value, not "no decoder").
#[test]
fn decoded_kind_lists_match_the_decoders() {
    for kind in KindData::KINDS {
        assert!(KindData::decode(kind, &[]).unwrap().is_some(), "{kind}");
    }
    for kind in SlaveData::KINDS {
        assert!(SlaveData::decode(kind, &[]).unwrap().is_some(), "{kind}");
    }
    for kind in ["veth", "dummy", "ifb", "bond", ""] {
        assert_eq!(KindData::decode(kind, &[]).unwrap(), None, "{kind}");
        assert_eq!(SlaveData::decode(kind, &[]).unwrap(), None, "{kind}");
    }
}

#[test]
fn kinds_without_options_match_iproute2() {
    // ip link add d0 type dummy; ip link add f0 type frob
    assert_eq!(
        add(&LinkSpec::new("d0", LinkKind::Dummy)),
        golden!("dummy.bin")
    );
    assert_eq!(
        add(&LinkSpec::new("f0", LinkKind::Other("frob"))),
        golden!("frob.bin")
    );
}

#[test]
fn created_in_another_namespace_matches_iproute2() {
    let f = std::fs::File::open("/dev/null").unwrap();
    let ns = Some(NetnsRef::Fd(f.as_fd()));
    // ip link add mv9 link veth0 netns NS2 type macvlan mode bridge
    let mut mv = LinkSpec::new(
        "mv9",
        LinkKind::Macvlan(MacvlanParams {
            mode: Some(MacvlanMode::Bridge),
        }),
    );
    mv.parent = Some(3);
    mv.netns = ns;
    assert_eq!(add(&mv), with_fd(golden!("netns-macvlan.bin"), 36, &f));
    // ip link add br9 netns NS2 type bridge
    let mut br = LinkSpec::new("br9", LinkKind::Bridge(BridgeParams::default()));
    br.netns = ns;
    assert_eq!(add(&br), with_fd(golden!("netns-bridge.bin"), 36, &f));
    // ip link add vx9 netns NS2 type vxlan id 9 dstport 4789
    let mut vx = LinkSpec::new(
        "vx9",
        LinkKind::Vxlan(VxlanParams {
            dstport: Some(4789),
            ..VxlanParams::new(9)
        }),
    );
    vx.netns = ns;
    assert_eq!(add(&vx), with_fd(golden!("netns-vxlan.bin"), 36, &f));
    // ip link add d9 netns NS2 type dummy
    let mut d = LinkSpec::new("d9", LinkKind::Dummy);
    d.netns = ns;
    assert_eq!(add(&d), with_fd(golden!("netns-dummy.bin"), 36, &f));
    // ip link add iv9 link veth0 netns NS2 type ipvlan mode l2
    let mut iv = LinkSpec::new(
        "iv9",
        LinkKind::Ipvlan(IpvlanParams {
            mode: Some(IpvlanMode::L2),
            flag: None,
        }),
    );
    iv.parent = Some(3);
    iv.netns = ns;
    assert_eq!(add(&iv), with_fd(golden!("netns-ipvlan.bin"), 36, &f));
}

#[test]
fn master_and_ports_match_iproute2() {
    // ip link set veth1 master br0 / nomaster   (veth1 is 2, br0 is 4)
    let master = LinkChanges {
        master: Some(4),
        ..Default::default()
    };
    let mut want = golden!("set-master.bin").to_vec();
    want[6] |= crate::netlink::header::NLM_F_ACK as u8;
    assert_eq!(sent(set_link_request(2, &master).unwrap()), want);
    let nomaster = LinkChanges {
        master: Some(0),
        ..Default::default()
    };
    let mut want = golden!("set-nomaster.bin").to_vec();
    want[6] |= crate::netlink::header::NLM_F_ACK as u8;
    assert_eq!(sent(set_link_request(2, &nomaster).unwrap()), want);
    // ip link show master br0: the dump request, NLM_F_DUMP added by the connection.
    let mut dump = dump_links_filtered_request(Some(4)).unwrap();
    dump.add_flags(crate::netlink::header::NLM_F_DUMP);
    assert_eq!(dump.as_bytes(), golden!("show-master.bin"));
}

#[test]
fn unknown_kinds_decode_to_nothing() {
    assert_eq!(KindData::decode("veth", &[]), Ok(None));
    assert_eq!(SlaveData::decode("bond", &[]), Ok(None));
    assert!(KindData::decode("vxlan", &[5, 0, 1, 0, 1]).is_err());
}
