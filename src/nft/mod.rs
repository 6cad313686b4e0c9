//! nf_tables over nfnetlink (`NETLINK_NETFILTER`): the wire (`wire.rs`).
//! Tables, chains, rules, expressions and sets build on it.

pub mod expr;
pub mod rule;
pub mod set;
pub mod wire;
