//! Fuzz the nf_tables views: any bytes, read as a datagram of nf_tables dump
//! messages, must give `Table` / `Chain` values or typed errors, never a
//! panic; every message is also tried as a table and as a chain whatever its
//! type says (the type byte forced to `NFT_MSG_NEWTABLE` / `NEWCHAIN`), and
//! the printer's words for what a chain says (hook, priority) are computed;
//! rules decode their expressions and print (as nft text and as the raw
//! words), sets and set elements decode and print.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rawnet::netlink::Messages;
use rawnet::nft::chain::{hook_name, policy_name, priority_text};
use rawnet::nft::expr::text::rule_text_with_sets;
use rawnet::nft::rule::Rule;
use rawnet::nft::set::key::concat_parts;
use rawnet::nft::set::text::{elements_text, set_text};
use rawnet::nft::set::{Elements, Set, SetElem};
use rawnet::nft::wire::{
    nft_type, NFT_MSG_NEWCHAIN, NFT_MSG_NEWRULE, NFT_MSG_NEWSET, NFT_MSG_NEWSETELEM,
    NFT_MSG_NEWTABLE,
};
use rawnet::nft::{Chain, Table};

fn parse(msg: &rawnet::netlink::Message<'_>) {
    if let Ok(Some(t)) = Table::parse(msg) {
        let _ = (t.name.len(), t.handle, t.use_count);
    }
    if let Ok(Some(c)) = Chain::parse(msg) {
        if let Some(h) = c.hook {
            let _ = hook_name(c.family, h.hooknum);
            let _ = priority_text(c.family, h.hooknum, h.priority);
        }
        let _ = c.policy.and_then(policy_name);
    }
    if let Ok(r) = Rule::parse(msg) {
        let exprs: Vec<_> = r.exprs().map_while(Result::ok).collect();
        for e in &exprs {
            let _ = e.debug_text();
        }
        let _ = rule_text_with_sets(r.family, &exprs, &|_| None);
    }
    if let Ok(s) = Set::parse(msg) {
        let _ = set_text(&s, &[], true);
    }
    if let Ok(e) = Elements::parse(msg) {
        let elems: Vec<SetElem> = e.elems().map_while(Result::ok).collect();
        for flags in [0, rawnet::nft::wire::NFT_SET_INTERVAL] {
            let _ = elements_text(&concat_parts(0x1cd), Some(7), flags, &elems);
            let _ = elements_text(&[7], None, flags, &elems);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut at = 0;
    for msg in Messages::new(data).map_while(Result::ok) {
        parse(&msg);
        let len = msg.header.nlmsg_len as usize;
        if let Some(bytes) = data.get(at..at + len) {
            for kind in [
                nft_type(NFT_MSG_NEWTABLE),
                nft_type(NFT_MSG_NEWCHAIN),
                nft_type(NFT_MSG_NEWRULE),
                nft_type(NFT_MSG_NEWSET),
                nft_type(NFT_MSG_NEWSETELEM),
            ] {
                let mut copy = bytes.to_vec();
                copy[4..6].copy_from_slice(&kind.to_ne_bytes());
                if let Some(Ok(m)) = Messages::new(&copy).next() {
                    parse(&m);
                }
            }
        }
        at += (len + 3) & !3;
    }
});
