//! Unit tests of the address module: requests against what iproute2 6.1 sent
//! (tests/golden/addr-route), a captured dump parsed, every truncation failing
//! cleanly, malformed attributes named.

use super::*;
use crate::netlink::{MessageBuilder, Messages};
use crate::route::prefix::Prefix;
use crate::route::RTM_NEWADDR;

pub(crate) use crate::netlink::golden::{hex, request_bytes, sent};

const VETH0: u32 = 3; // ifindex of veth0 in the capture

#[test]
fn header_size_matches_uapi() {
    assert_eq!(
        core::mem::size_of::<IfAddrMsg>(),
        core::mem::size_of::<libc::ifaddrmsg>()
    );
    assert_eq!(IFA_FLAGS, libc::IFA_FLAGS);
    assert_eq!(IFA_CACHEINFO, libc::IFA_CACHEINFO);
}

#[test]
fn add_v4_matches_iproute2() {
    let p = Prefix::parse("10.0.1.100/24").unwrap();
    let r = add_address_request(VETH0, &p, &AddressOptions::default()).unwrap();
    assert_eq!(
        sent(&r),
        request_bytes(include_str!(
            "../../../tests/golden/addr-route/addr-add-v4.hex"
        ))
    );
}

#[test]
fn add_v6_nodad_matches_iproute2() {
    let p = Prefix::parse("fd00::1/64").unwrap();
    let o = AddressOptions {
        flags: IFA_F_NODAD,
        ..Default::default()
    };
    let r = add_address_request(VETH0, &p, &o).unwrap();
    assert_eq!(
        sent(&r),
        request_bytes(include_str!(
            "../../../tests/golden/addr-route/addr-add-v6-nodad.hex"
        ))
    );
}

#[test]
fn add_v4_broadcast_label_scope_matches_iproute2() {
    let p = Prefix::parse("10.0.3.1/24").unwrap();
    let o = AddressOptions {
        broadcast: Some("10.0.3.255".parse().unwrap()),
        label: Some("veth0:x".into()),
        scope: Some(crate::route::route::RT_SCOPE_LINK),
        order: vec![IFA_LOCAL, IFA_LABEL],
        ..Default::default()
    };
    let r = add_address_request(VETH0, &p, &o).unwrap();
    let want = request_bytes(include_str!(
        "../../../tests/golden/addr-route/addr-add-v4-brd-label-scope.hex"
    ));
    assert_eq!(sent(&r), want);
}

#[test]
fn delete_matches_iproute2() {
    let p = Prefix::parse("10.0.3.1/24").unwrap();
    let r = delete_address_request(VETH0, &p).unwrap();
    assert_eq!(
        sent(&r),
        request_bytes(include_str!(
            "../../../tests/golden/addr-route/addr-del-v4.hex"
        ))
    );
    let p = Prefix::parse("fd00::1/64").unwrap();
    let r = delete_address_request(VETH0, &p).unwrap();
    assert_eq!(
        sent(&r),
        request_bytes(include_str!(
            "../../../tests/golden/addr-route/addr-del-v6.hex"
        ))
    );
}

#[test]
fn dump_request_matches_iproute2() {
    let r = dump_addresses_request(0, VETH0).unwrap();
    let mut r2 = r.clone();
    r2.add_flags(crate::netlink::header::NLM_F_DUMP);
    assert_eq!(
        r2.as_bytes(),
        &request_bytes(include_str!(
            "../../../tests/golden/addr-route/addr-dump-req.hex"
        ))[..]
    );
}

#[test]
fn large_flags_go_in_ifa_flags_attribute() {
    let p = Prefix::parse("fd00::1/64").unwrap();
    let o = AddressOptions {
        flags: IFA_F_NODAD | IFA_F_NOPREFIXROUTE,
        ..Default::default()
    };
    let r = add_address_request(1, &p, &o).unwrap();
    let msg = Messages::new(r.as_bytes()).next().unwrap().unwrap();
    let (h, attrs) = msg.fixed::<IfAddrMsg>("ifaddrmsg").unwrap();
    assert_eq!(h.ifa_flags, 0);
    assert_eq!(
        attrs.find(IFA_FLAGS).unwrap().u32().unwrap(),
        IFA_F_NODAD | IFA_F_NOPREFIXROUTE
    );
    let v6_brd = AddressOptions {
        broadcast: Some("fd00::ff".parse().unwrap()),
        ..Default::default()
    };
    assert!(add_address_request(1, &p, &v6_brd).is_err());
}

fn dump_reply() -> Vec<u8> {
    hex(include_str!(
        "../../../tests/golden/addr-route/addr-dump-reply.hex"
    ))
}

#[test]
fn parses_captured_dump() {
    let bytes = dump_reply();
    let addrs: Vec<AddressInfo> = Messages::new(&bytes)
        .map(|m| m.unwrap())
        .filter(|m| m.message_type() == RTM_NEWADDR)
        .map(|m| Address::parse(&m).unwrap().to_owned())
        .collect();
    assert_eq!(addrs.len(), 3);
    let v4 = &addrs[0];
    assert_eq!(v4.family, libc::AF_INET as u8);
    assert_eq!(v4.local, Some("10.0.1.100".parse().unwrap()));
    assert_eq!(v4.prefix_len, 24);
    assert_eq!(v4.index, 3);
    assert_eq!(v4.label.as_deref(), Some(&b"veth0"[..]));
    assert_eq!(v4.flags, IFA_F_PERMANENT);
    assert_eq!(v4.cacheinfo.unwrap().ifa_valid, INFINITY_LIFE_TIME);
    assert_eq!(
        addrs[1].local_or_address(),
        Some("fd00::1".parse().unwrap())
    );
    assert_eq!(addrs[1].flags & IFA_F_NODAD, IFA_F_NODAD);
    assert_eq!(addrs[2].scope, crate::route::route::RT_SCOPE_LINK);
}

#[test]
fn every_truncation_of_a_captured_address_fails_cleanly() {
    let bytes = dump_reply();
    let first = Messages::new(&bytes).next().unwrap().unwrap();
    let len = first.header.nlmsg_len as usize;
    let whole = &bytes[..len];
    for cut in 16..len {
        let mut v = whole[..cut].to_vec();
        v[0..4].copy_from_slice(&(cut as u32).to_ne_bytes());
        let msg = Messages::new(&v).next().unwrap().unwrap();
        // Either a clean error or a valid (shorter) address; never a panic.
        if let Ok(a) = Address::parse(&msg) {
            assert!(cut >= 24);
            let _ = a.to_owned();
        }
    }
}

#[test]
fn malformed_attribute_is_named() {
    let mut m = MessageBuilder::new(RTM_NEWADDR, 0);
    m.header(&IfAddrMsg {
        ifa_family: libc::AF_INET as u8,
        ..Default::default()
    });
    m.put(IFA_LOCAL, &[10, 0, 0]);
    let r = m.finish().unwrap();
    let msg = Messages::new(r.as_bytes()).next().unwrap().unwrap();
    assert_eq!(Address::parse(&msg).unwrap_err().what, "IFA_LOCAL");
    let mut m = MessageBuilder::new(RTM_NEWADDR, 0);
    m.header(&IfAddrMsg {
        ifa_family: libc::AF_INET as u8,
        ..Default::default()
    });
    m.put(IFA_CACHEINFO, &[0; 8]);
    m.put(200, &[1]); // unknown: skipped
    let r = m.finish().unwrap();
    let msg = Messages::new(r.as_bytes()).next().unwrap().unwrap();
    assert_eq!(Address::parse(&msg).unwrap_err().what, "IFA_CACHEINFO");
}
