//! Rule requests: flags and attributes for each placement, the delete and
//! dump requests.

use super::*;
use crate::netlink::Messages;
use crate::nft::expr::{Immediate, Verdict};
use crate::nft::wire::NFPROTO_IPV4;

fn spec(placement: Placement) -> RuleSpec {
    RuleSpec {
        family: NFPROTO_IPV4,
        table: "t".into(),
        chain: "c".into(),
        exprs: vec![Expr::Immediate(Immediate::verdict(Verdict::Accept))],
        placement,
        userdata: None,
    }
}

#[test]
fn placements_set_flags_and_position() {
    let add = spec(Placement::Append).request().unwrap();
    assert_eq!(add.flags(), 0x0c01);
    assert_eq!(add.message_type(), 0x0a06);
    assert_eq!(spec(Placement::Prepend).request().unwrap().flags(), 0x0401);
    let after = spec(Placement::After(7)).request().unwrap();
    let msg = Messages::new(after.as_bytes()).next().unwrap().unwrap();
    let r = Rule::parse(&msg).unwrap();
    assert_eq!(r.position, Some(7));
    assert_eq!((r.table, r.chain), ("t", "c"));
    let replace = spec(Placement::Replace(9)).request().unwrap();
    assert_eq!(replace.flags(), 0x0101);
    let msg = Messages::new(replace.as_bytes()).next().unwrap().unwrap();
    assert_eq!(Rule::parse(&msg).unwrap().handle, 9);
}

#[test]
fn delete_names_the_handle() {
    let d = delete_rule_request(NFPROTO_IPV4, "t", "c", 5).unwrap();
    assert_eq!(d.message_type(), 0x0a08);
    // nfgenmsg, table "t", chain "c", handle 5 (big-endian u64)
    assert_eq!(
        &d.as_bytes()[16..],
        &[
            2, 0, 0, 0, 6, 0, 1, 0, b't', 0, 0, 0, 6, 0, 2, 0, b'c', 0, 0, 0, 12, 0, 3, 0, 0, 0, 0,
            0, 0, 0, 0, 5
        ]
    );
}

#[test]
fn dump_request_narrows() {
    let all = dump_rules_request(0, None, None).unwrap();
    assert_eq!(all.as_bytes().len(), 20);
    assert_eq!(all.message_type(), 0x0a07);
    let one = dump_rules_request(NFPROTO_IPV4, Some("t"), Some("c")).unwrap();
    assert_eq!(one.as_bytes().len(), 36);
}
