//! Policy routing rules (`RTM_*RULE`, `ip rule`), one file per concern:
//!
//! - `consts.rs` — `RTM_*RULE`, `FRA_*` attributes, `FR_ACT_*` actions,
//!   `FIB_RULE_*` flags (linux/fib_rules.h)
//! - `view.rs` — `struct fib_rule_hdr`, the uid and port ranges, and the
//!   borrowed view [`Rule`] (pure)
//! - `ops.rs` — [`RuleSpec`], the request builders and the rule operations
//! - `tests.rs` — requests against iproute2 6.1 captures, replies parsed
//!
//! [`RuleSpec`] describes a rule to add or delete; the builders turn it into
//! the bytes iproute2 6.1 sends, with iproute2's defaults (action `to table`
//! and table main when adding). [`Rule::parse`] reads one message in one
//! pass; malformed attributes it reads fail with their name, others are
//! skipped.
mod consts;
mod ops;
mod view;

pub use consts::*;
pub use ops::*;
pub use view::*;

#[cfg(test)]
mod tests;
