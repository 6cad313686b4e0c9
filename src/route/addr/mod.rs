//! Addresses (`RTM_*ADDR`), re-exported from one file per concern:
//!
//! - `consts.rs` — `IFA_*` attributes and `IFA_F_*` flags
//! - `view.rs` — `struct ifaddrmsg`, [`AddressData`] with its borrowed view
//!   [`Address`] and owned form [`AddressInfo`] (pure)
//! - `ops.rs` — [`AddressOptions`], the request builders and the address
//!   operations
//! - `links.rs` — the link request of `ip address show` ([`links_request`])
//! - `tests.rs` — requests against iproute2 6.1 captures, a dump parsed
//!
//! Builders encode like iproute2 6.1; [`Address::parse`] reads one
//! `RTM_NEWADDR` in one pass; an attribute it reads that is malformed fails
//! with the attribute's name, unknown attributes are skipped.

mod consts;
mod links;
mod ops;
mod view;

pub use consts::*;
pub use links::*;
pub use ops::*;
pub use view::*;

#[cfg(test)]
mod tests;
