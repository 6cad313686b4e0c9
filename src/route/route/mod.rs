//! Routes (`RTM_*ROUTE`), re-exported from one file per concern:
//!
//! - `consts.rs` — `RTA_*`, `RTN_*`, `RTPROT_*`, `RT_SCOPE_*`, `RT_TABLE_*`,
//!   `RTM_F_*`, `RTNH_F_*`, `RTCF_*`
//! - `view.rs` — `struct rtmsg`, [`RouteData`] with its borrowed view [`Route`]
//!   and owned form [`RouteInfo`] (pure)
//! - `nexthop.rs` — `RTA_MULTIPATH` next hops and `RTA_METRICS`, read and
//!   written (pure)
//! - `ops.rs` — [`RouteSpec`], the request builders and the route operations
//! - `tests.rs` — requests against iproute2 6.1 captures, replies parsed
//!
//! [`RouteSpec`] describes a route to add, replace or delete; the builders
//! turn it into the bytes iproute2 6.1 sends, including iproute2's defaults:
//! protocol `boot`, table `main`, scope `link` for a unicast route without
//! gateway. [`Route::parse`] reads one message in one pass; malformed
//! attributes it reads fail with their name, others are skipped.
mod consts;
mod nexthop;
mod ops;
mod view;

pub use consts::*;
pub use nexthop::*;
pub use ops::*;
pub use view::*;

#[cfg(test)]
mod tests;
