//! Chain views over nft's captured dump, and nft's priority words.

use super::*;
use crate::netlink::Messages;

#[test]
fn chains_of_a_captured_dump() {
    let dump = crate::nft::table::tests::dump();
    let mut seen = Vec::new();
    for msg in Messages::new(dump) {
        if let Some(c) = Chain::parse(&msg.unwrap()).unwrap() {
            seen.push(c);
        }
    }
    assert_eq!(seen.len(), 4);
    let c = seen[0];
    assert_eq!((c.table, c.name, c.handle), ("t", "c", Some(1)));
    assert_eq!(c.chain_type, Some("filter"));
    assert_eq!(c.policy, Some(NF_DROP as u32));
    assert_eq!(c.flags, NFT_CHAIN_BASE);
    assert_eq!(
        c.hook,
        Some(HookView {
            hooknum: NF_INET_LOCAL_IN,
            priority: 0,
            device: None
        })
    );
    let regular = seen[1];
    assert_eq!(
        (regular.name, regular.hook, regular.chain_type),
        ("reg2", None, None)
    );
    let netdev = seen[2];
    assert_eq!(netdev.hook.unwrap().device, Some("lo"));
    assert_eq!(
        hook_name(netdev.family, netdev.hook.unwrap().hooknum),
        Some("ingress")
    );
    let fwd = seen[3];
    assert_eq!(fwd.hook.unwrap().priority, -5);
    assert_eq!(priority_text(fwd.family, NF_INET_FORWARD, -5), "filter - 5");
}

#[test]
fn priorities_in_nfts_words() {
    let ip = Family::Ip.nfproto();
    let cases = [
        (NF_INET_LOCAL_IN, 110, "110"),
        (NF_INET_LOCAL_OUT, 100, "100"),
        (NF_INET_LOCAL_IN, -100, "-100"),
        (NF_INET_PRE_ROUTING, -95, "dstnat + 5"),
        (NF_INET_LOCAL_IN, 11, "11"),
        (NF_INET_LOCAL_IN, -10, "filter - 10"),
        (NF_INET_LOCAL_IN, 40, "security - 10"),
        (NF_INET_LOCAL_IN, -310, "raw - 10"),
        (NF_INET_POST_ROUTING, 95, "srcnat - 5"),
        (NF_INET_FORWARD, -150, "mangle"),
    ];
    for (hook, prio, want) in cases {
        assert_eq!(priority_text(ip, hook, prio), want, "{prio}");
    }
    let netdev = Family::Netdev.nfproto();
    assert_eq!(priority_text(netdev, 0, -150), "-150");
    assert_eq!(priority_text(netdev, 0, 5), "filter + 5");
    assert_eq!(
        standard_priority(Family::Ip, NF_INET_LOCAL_OUT, "dstnat"),
        None
    );
    assert_eq!(
        standard_priority(Family::Ip, NF_INET_PRE_ROUTING, "dstnat"),
        Some(-100)
    );
    assert_eq!(
        parse_hook(Family::Inet, "postrouting"),
        Some(NF_INET_POST_ROUTING)
    );
    assert_eq!(parse_hook(Family::Netdev, "input"), None);
}

#[test]
fn every_truncation_of_the_dump_fails_cleanly() {
    let dump = crate::nft::table::tests::dump();
    for cut in 0..dump.len() {
        for msg in Messages::new(&dump[..cut]).map_while(|m| m.ok()) {
            let _ = Chain::parse(&msg);
        }
    }
}
