//! nf_tables over nfnetlink (`NETLINK_NETFILTER`): the wire (`wire.rs`),
//! families (`family.rs`), all-or-nothing batches (`transaction.rs`),
//! tables (`table.rs`) and chains (`chain.rs`). Rules, expressions and sets
//! build on them.

pub mod chain;
pub mod family;
pub mod table;
pub mod transaction;
pub mod wire;

pub use chain::{for_each_chain, Chain, ChainSpec, Hook};
pub use family::Family;
pub use table::{for_each_table, Table};
pub use transaction::{Refusal, Transaction, TransactionError};
