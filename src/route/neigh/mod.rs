//! Neighbours (ARP / NDP entries, and the proxy table), re-exported from one
//! file per concern:
//!
//! - `consts.rs` — `RTM_*NEIGH`, `NDA_*`, `NUD_*`, `NTF_*`
//! - `view.rs` — `struct ndmsg`, [`NeighbourData`] with its borrowed view
//!   [`Neighbour`] and owned form [`NeighbourInfo`] (pure)
//! - `ops.rs` — [`NeighbourSpec`], the request builders and the neighbour
//!   operations
//! - `tests.rs` — requests against iproute2 6.1 captures, replies parsed
//!
//! The same message carries bridge forwarding-database entries (family
//! `AF_BRIDGE`); [`super::fdb`] builds those requests and reads its dumps with
//! [`Neighbour::parse`].

mod consts;
mod ops;
mod view;

pub use consts::*;
pub use ops::*;
pub use view::*;

#[cfg(test)]
pub(crate) mod tests;
