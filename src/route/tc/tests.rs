//! Unit tests of the tc module: requests against what tc (iproute2 6.1)
//! sent, the captured dumps of tests/golden/tc (capture.sh there says how
//! they were made) decoded, and every truncation decoding without a panic.
//!
//! The request payloads below were cut from
//! `strace -f -xx -s 400 -e trace=sendmsg tc -n NS ...` with a veth `va` of
//! ifindex 3 and the shipped drop_icmp_echo.s pinned on a temporary bpffs
//! (program fd 4 in tc; masked: ours is whatever fd we have).

use std::os::fd::{AsFd, AsRawFd};

use super::*;
use crate::netlink::golden::sent;
use crate::netlink::header::{NLM_F_ACK, NLM_F_REQUEST};
use crate::netlink::{Message, Messages};

/// `tc qdisc add dev va clsact`: type 0x24, flags REQUEST|ACK|CREATE|EXCL.
const QDISC_ADD_CLSACT: &[u8] = b"\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\xff\xff\xf1\xff\xff\xff\x00\x00\x00\x00\x0b\x00\x01\x00\x63\x6c\x73\x61\x63\x74\x00\x00";
/// `tc qdisc add dev va ingress`.
const QDISC_ADD_INGRESS: &[u8] = b"\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\xff\xff\xf1\xff\xff\xff\x00\x00\x00\x00\x0c\x00\x01\x00\x69\x6e\x67\x72\x65\x73\x73\x00";
/// `tc qdisc show dev va` (type 0x26, flags REQUEST|DUMP); `tc qdisc show`
/// is the same with ifindex 0.
const QDISC_SHOW_DEV: &[u8] =
    b"\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00";
/// `tc filter add dev va ingress bpf da pinned DIR/drop_echo` (type 0x2c,
/// flags REQUEST|ACK|CREATE|EXCL).
const FILTER_ADD_INGRESS: &[u8] = b"\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\xf2\xff\xff\xff\x00\x03\x00\x00\x08\x00\x01\x00\x62\x70\x66\x00\x2c\x00\x02\x00\x08\x00\x06\x00\x04\x00\x00\x00\x17\x00\x07\x00\x64\x72\x6f\x70\x5f\x65\x63\x68\x6f\x3a\x5b\x2a\x66\x73\x6f\x62\x6a\x5d\x00\x00\x08\x00\x08\x00\x01\x00\x00\x00";
/// `tc filter add dev va egress pref 7 protocol ip handle 3 bpf pinned
/// DIR/drop_echo da`.
const FILTER_ADD_EGRESS: &[u8] = b"\x00\x00\x00\x00\x03\x00\x00\x00\x03\x00\x00\x00\xf3\xff\xff\xff\x08\x00\x07\x00\x08\x00\x01\x00\x62\x70\x66\x00\x2c\x00\x02\x00\x08\x00\x06\x00\x04\x00\x00\x00\x17\x00\x07\x00\x64\x72\x6f\x70\x5f\x65\x63\x68\x6f\x3a\x5b\x2a\x66\x73\x6f\x62\x6a\x5d\x00\x00\x08\x00\x08\x00\x01\x00\x00\x00";
/// `tc filter show dev va ingress` (type 0x2e, REQUEST|DUMP).
const FILTER_SHOW_INGRESS: &[u8] =
    b"\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\xf2\xff\xff\xff\x00\x00\x00\x00";
/// `tc filter show dev va ingress pref 49152 protocol all`: both in
/// `tcm_info` (pref << 16 | htons(ETH_P_ALL)).
const FILTER_SHOW_INGRESS_PREF_PROTO: &[u8] =
    b"\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\xf2\xff\xff\xff\x00\x03\x00\xc0";
/// `tc filter show dev va ingress protocol ip`.
const FILTER_SHOW_INGRESS_PROTO_IP: &[u8] =
    b"\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\xf2\xff\xff\xff\x08\x00\x00\x00";
/// `tc filter show pref 5` (no device, no parent).
const FILTER_SHOW_PREF: &[u8] =
    b"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x05\x00";
/// `tc filter del dev va egress pref 7` (type 0x2d, REQUEST|ACK).
const FILTER_DEL_EGRESS_PREF: &[u8] =
    b"\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\xf3\xff\xff\xff\x00\x00\x07\x00";
/// `tc filter del dev va ingress`.
const FILTER_DEL_INGRESS: &[u8] =
    b"\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\xf2\xff\xff\xff\x00\x00\x00\x00";

/// Header type and flags of what goes out, and the payload.
fn split(bytes: &[u8]) -> (u16, u16, Vec<u8>) {
    let len = u32::from_ne_bytes(bytes[0..4].try_into().unwrap()) as usize;
    assert_eq!(len, bytes.len());
    let kind = u16::from_ne_bytes(bytes[4..6].try_into().unwrap());
    let flags = u16::from_ne_bytes(bytes[6..8].try_into().unwrap());
    (kind, flags, bytes[16..].to_vec())
}

/// The golden payload with tc's program fd (4, at `at`) replaced by ours.
fn with_fd(golden: &[u8], at: usize, fd: i32) -> Vec<u8> {
    let mut v = golden.to_vec();
    assert_eq!(&v[at..at + 4], &4u32.to_ne_bytes());
    v[at..at + 4].copy_from_slice(&(fd as u32).to_ne_bytes());
    v
}

#[test]
fn qdisc_requests_as_tc() {
    let r = hook_qdisc_request(RTM_NEWQDISC, Mode::Add, 3, HookQdisc::Clsact).unwrap();
    assert_eq!(
        split(&sent(&r)),
        (RTM_NEWQDISC, 0x605, QDISC_ADD_CLSACT.to_vec())
    );
    let r = hook_qdisc_request(RTM_NEWQDISC, Mode::Add, 3, HookQdisc::Ingress).unwrap();
    assert_eq!(
        split(&sent(&r)),
        (RTM_NEWQDISC, 0x605, QDISC_ADD_INGRESS.to_vec())
    );
    // `tc qdisc del dev va clsact`: the add's payload, flags REQUEST|ACK.
    let r = hook_qdisc_request(RTM_DELQDISC, Mode::Add, 3, HookQdisc::Clsact).unwrap();
    assert_eq!(
        split(&sent(&r)),
        (
            RTM_DELQDISC,
            NLM_F_REQUEST | NLM_F_ACK,
            QDISC_ADD_CLSACT.to_vec()
        )
    );
    let (kind, _, payload) = split(dump_qdiscs_request(3).unwrap().as_bytes());
    assert_eq!((kind, payload), (RTM_GETQDISC, QDISC_SHOW_DEV.to_vec()));
}

#[test]
fn filter_requests_as_tc() {
    let file = std::fs::File::open("/dev/null").unwrap();
    let fd = file.as_fd();
    let mut f = BpfFilter::new(fd);
    f.name = Some("drop_echo:[*fsobj]".into());
    f.direct_action = true;
    let r = bpf_filter_request(Mode::Add, 3, Direction::Ingress, &f).unwrap();
    assert_eq!(
        split(&sent(&r)),
        (
            RTM_NEWTFILTER,
            0x605,
            with_fd(FILTER_ADD_INGRESS, 36, fd.as_raw_fd())
        )
    );
    f.priority = 7;
    f.protocol = 0x0800;
    f.handle = 3;
    let r = bpf_filter_request(Mode::Add, 3, Direction::Egress, &f).unwrap();
    assert_eq!(
        split(&sent(&r)),
        (
            RTM_NEWTFILTER,
            0x605,
            with_fd(FILTER_ADD_EGRESS, 36, fd.as_raw_fd())
        )
    );
    let sel = FilterSelector {
        priority: 7,
        ..FilterSelector::default()
    };
    let r = delete_filters_request(3, Direction::Egress, &sel).unwrap();
    assert_eq!(
        split(&sent(&r)),
        (RTM_DELTFILTER, 0x5, FILTER_DEL_EGRESS_PREF.to_vec())
    );
    let r = delete_filters_request(3, Direction::Ingress, &FilterSelector::default()).unwrap();
    assert_eq!(
        split(&sent(&r)),
        (RTM_DELTFILTER, 0x5, FILTER_DEL_INGRESS.to_vec())
    );
    let (kind, _, payload) = split(
        dump_filters_request(3, Direction::Ingress.parent())
            .unwrap()
            .as_bytes(),
    );
    assert_eq!(
        (kind, payload),
        (RTM_GETTFILTER, FILTER_SHOW_INGRESS.to_vec())
    );
}

#[test]
fn filter_dump_with_pref_and_protocol_as_tc() {
    let ingress = Direction::Ingress.parent();
    for (ifindex, parent, pref, proto, golden) in [
        (3, ingress, 49152, ETH_P_ALL, FILTER_SHOW_INGRESS_PREF_PROTO),
        (3, ingress, 0, 0x0800, FILTER_SHOW_INGRESS_PROTO_IP),
        (0, 0, 5, 0, FILTER_SHOW_PREF),
        (3, ingress, 0, 0, FILTER_SHOW_INGRESS),
    ] {
        let r = dump_filters_matching_request(ifindex, parent, pref, proto).unwrap();
        let (kind, _, payload) = split(r.as_bytes());
        assert_eq!((kind, payload), (RTM_GETTFILTER, golden.to_vec()));
    }
}

fn aligned(bytes: &[u8]) -> Vec<u64> {
    let mut v = vec![0u64; bytes.len().div_ceil(8)];
    zerocopy::IntoBytes::as_mut_bytes(&mut v[..])[..bytes.len()].copy_from_slice(bytes);
    v
}

fn messages(bytes: &[u8]) -> Vec<Message<'_>> {
    Messages::new(bytes).map(|m| m.expect("frames")).collect()
}

#[test]
fn captured_filter_dumps_decode() {
    for (file, parent, pref, proto, handle) in [
        (
            &include_bytes!("../../../tests/golden/tc/filter-dump-ingress.bin")[..],
            Direction::Ingress.parent(),
            49152,
            ETH_P_ALL,
            1,
        ),
        (
            &include_bytes!("../../../tests/golden/tc/filter-dump-egress.bin")[..],
            Direction::Egress.parent(),
            7,
            0x0800,
            3,
        ),
    ] {
        let store = aligned(file);
        let bytes = &zerocopy::IntoBytes::as_bytes(&store[..])[..file.len()];
        let filters: Vec<Filter<'_>> = messages(bytes)
            .iter()
            .filter(|m| m.message_type() == RTM_NEWTFILTER)
            .map(|m| Filter::parse(m).expect("decodes"))
            .collect();
        // The chain's placeholder (no options), then the filter.
        assert_eq!(filters.len(), 2);
        assert!(filters[0].bpf.is_none() && filters[0].chain == Some(0));
        let f = &filters[1];
        assert_eq!(
            (f.parent, f.priority(), f.protocol(), f.handle, f.kind),
            (parent, pref, proto, handle, Some("bpf"))
        );
        let b = f.bpf.expect("bpf options");
        assert_eq!(b.name, Some("drop_echo:[*fsobj]"));
        assert!(b.direct_action());
        assert_eq!(b.flags_gen, Some(TCA_CLS_FLAGS_NOT_IN_HW));
        assert!(b.id.is_some() && b.tag.is_some_and(|t| t.len() == 8));
    }
}

#[test]
fn captured_qdisc_dump_decodes() {
    let file = include_bytes!("../../../tests/golden/tc/qdisc-dump.bin");
    let store = aligned(file);
    let bytes = &zerocopy::IntoBytes::as_bytes(&store[..])[..file.len()];
    let qdiscs: Vec<Qdisc<'_>> = messages(bytes)
        .iter()
        .filter(|m| m.message_type() == RTM_NEWQDISC)
        .map(|m| Qdisc::parse(m).expect("decodes"))
        .collect();
    let kinds: Vec<_> = qdiscs
        .iter()
        .map(|q| (q.kind, q.parent, q.refcnt))
        .collect();
    assert!(kinds.contains(&("noqueue", TC_H_ROOT, 2)));
    assert!(kinds.contains(&("clsact", TC_H_CLSACT, 1)));
    assert!(qdiscs
        .iter()
        .all(|q| q.stats().ok().flatten().is_some_and(|s| s.queue.is_some())));
}

/// Every truncation of every captured message decodes or fails cleanly.
#[test]
fn truncated_tc_messages_never_panic() {
    for file in [
        &include_bytes!("../../../tests/golden/tc/filter-dump-ingress.bin")[..],
        &include_bytes!("../../../tests/golden/tc/qdisc-dump.bin")[..],
    ] {
        let store = aligned(file);
        let bytes = &zerocopy::IntoBytes::as_bytes(&store[..])[..file.len()];
        let mut at = 0;
        for m in messages(bytes) {
            let len = m.header.nlmsg_len as usize;
            let kind = m.message_type();
            if kind == RTM_NEWTFILTER || kind == RTM_NEWQDISC {
                for cut in 16..len {
                    let mut b = bytes[at..at + cut].to_vec();
                    b[0..4].copy_from_slice(&(cut as u32).to_ne_bytes());
                    let store = aligned(&b);
                    let b = &zerocopy::IntoBytes::as_bytes(&store[..])[..cut];
                    if let Some(Ok(msg)) = Messages::new(b).next() {
                        let _ = Filter::parse(&msg);
                        let _ = Qdisc::parse(&msg);
                    }
                }
            }
            at += (len + 3) & !3;
        }
    }
}

/// A malformed `TCA_STATS2` does not stop a qdisc from decoding (only the
/// stats reader meets it): DESIGN's "one you do not read never fails".
#[test]
fn a_malformed_stats_nest_fails_only_its_reader() {
    let mut bytes = Vec::new();
    let body_len = 16 + 20 + 12 + 12;
    bytes.extend_from_slice(&(body_len as u32).to_ne_bytes());
    bytes.extend_from_slice(&RTM_NEWQDISC.to_ne_bytes());
    bytes.extend_from_slice(&[0; 10]); // flags, seq, pid
    bytes.extend_from_slice(&[0; 4]); // family, pads
    bytes.extend_from_slice(&3i32.to_ne_bytes()); // ifindex
    bytes.extend_from_slice(&[0; 12]); // handle, parent, info
    bytes.extend_from_slice(&11u16.to_ne_bytes());
    bytes.extend_from_slice(&TCA_KIND.to_ne_bytes());
    bytes.extend_from_slice(b"clsact\0\0");
    // TCA_STATS2 holding one attribute whose length (2) is below a header's.
    bytes.extend_from_slice(&12u16.to_ne_bytes());
    bytes.extend_from_slice(&TCA_STATS2.to_ne_bytes());
    bytes.extend_from_slice(&2u16.to_ne_bytes());
    bytes.extend_from_slice(&1u16.to_ne_bytes());
    bytes.extend_from_slice(&[0; 4]);
    assert_eq!(bytes.len(), body_len);
    let store = aligned(&bytes);
    let bytes = &zerocopy::IntoBytes::as_bytes(&store[..])[..body_len];
    let msgs = messages(bytes);
    let q = Qdisc::parse(&msgs[0]).expect("the qdisc decodes");
    assert_eq!(q.kind, "clsact");
    assert!(q.stats().is_err(), "the stats reader sees the bad nest");
}
