//! nf_tables over nfnetlink (`NETLINK_NETFILTER`): the wire (`wire.rs`),
//! families (`family.rs`), all-or-nothing batches (`transaction.rs`),
//! tables (`table.rs`), chains (`chain.rs`), rules (`rule/`) and their
//! expressions (`expr/`: typed values, the statement compiler, the listing
//! text), sets and maps (`set/`).

pub mod chain;
pub mod expr;
pub mod family;
pub mod rule;
pub mod set;
pub mod table;
pub mod transaction;
pub mod wire;

pub use chain::{for_each_chain, Chain, ChainSpec, Hook};
pub use family::Family;
pub use table::{for_each_table, Table};
pub use transaction::{Refusal, Transaction, TransactionError};
