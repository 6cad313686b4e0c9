//! Table views over nft's captured dump (tests/golden/nft-core/ruleset-dump.bin).

use super::*;
use crate::netlink::Messages;

pub(crate) fn dump() -> &'static [u8] {
    include_bytes!("../../../tests/golden/nft-core/ruleset-dump.bin")
}

#[test]
fn tables_of_a_captured_dump() {
    let mut seen = Vec::new();
    for msg in Messages::new(dump()) {
        let msg = msg.unwrap();
        if let Some(t) = Table::parse(&msg).unwrap() {
            seen.push((
                crate::nft::family::family_name(t.family),
                t.name,
                t.handle,
                t.use_count,
                t.flags,
            ));
        }
    }
    assert_eq!(
        seen,
        vec![
            ("inet", "t", Some(1), Some(2), 0),
            ("netdev", "nd", Some(3), Some(1), 0),
            ("ip", "t3", Some(4), Some(1), 0),
        ]
    );
}

#[test]
fn truncated_tables_fail_cleanly() {
    let first_table = Messages::new(dump())
        .map(|m| m.unwrap())
        .find(|m| nft_msg(m.message_type()) == Some(NFT_MSG_NEWTABLE))
        .unwrap();
    let payload = first_table.payload();
    for cut in 0..payload.len() {
        let mut bytes = Vec::new();
        let len = (16 + cut) as u32;
        bytes.extend_from_slice(&len.to_ne_bytes());
        bytes.extend_from_slice(&first_table.message_type().to_ne_bytes());
        bytes.extend_from_slice(&[0; 10]);
        bytes.extend_from_slice(&payload[..cut]);
        let msg = Messages::new(&bytes).next().unwrap().unwrap();
        let _ = Table::parse(&msg); // never a panic
        if cut < 4 {
            assert!(Table::parse(&msg).is_err());
        }
    }
}

#[test]
fn requests_name_their_family() {
    let r = flush_ruleset_request(None).unwrap();
    assert_eq!(r.message_type(), nft_type(NFT_MSG_DELTABLE));
    assert_eq!(r.as_bytes().len(), 20);
    let d = dump_tables_request(Some(Family::Ip6)).unwrap();
    assert_eq!(d.as_bytes()[16], 10);
}
