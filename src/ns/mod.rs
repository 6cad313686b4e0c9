//! Network namespaces: handles, running code inside one, and names the way
//! iproute2 keeps them.
//!
//! - [`NetNs`] is an open namespace file (`/proc/.../ns/net`, `/run/netns/NAME`);
//!   the namespace lives at least as long as the handle.
//! - [`run_in`] runs a closure on a short-lived thread that has joined the
//!   namespace. Sockets keep the namespace they were opened in for life, so this is
//!   how a socket is opened "in" a namespace. The calling thread never moves.
//! - [`add_named`], [`delete_named`], [`list_named`], [`identify`]: named
//!   namespaces under `/run/netns`, compatible with `ip netns` in both directions.
//! - [`move_calling_thread_into`]: what `ip -n NAME` does first, for a program's
//!   own main thread that works in one namespace from start to end.
//! - [`enter_named_for_exec`] / [`exec_in`]: what `ip netns exec` does; these move
//!   the whole (single-threaded) process and are meant for a process about to exec.
//! - [`nsid_of`], [`set_nsid`], [`dump_nsids`], [`nsid_entry`], [`named_nsids`]:
//!   namespace ids (`RTM_GETNSID` / `RTM_NEWNSID`), as `ip netns set` and
//!   `ip netns list-id` use them.
//! - [`attach_named`], [`pids_in`]: `ip netns attach` and `ip netns pids`.
//! - [`enter_private_user_netns`]: an unprivileged lab in a child process (user,
//!   mount and network namespaces, with a private `/run/netns`).

mod exec;
mod handle;
mod name;
mod named;
pub mod nsid;
mod pids;
mod sysctl;
mod user;

pub use exec::{enter_named_for_exec, exec, exec_in, move_calling_thread_into};
pub use handle::{run_in, NetNs, NsIdentity};
pub use name::{named_path, validate_name, NETNS_ETC_DIR, NETNS_RUN_DIR};
pub use named::{add_named, attach_named, delete_named, identify, list_named, names_of};
pub use nsid::{dump_nsids, named_nsids, nsid_entry, nsid_of, set_nsid, NsId};
pub use pids::pids_in;
pub use sysctl::{set_sysctl, sysctl};
pub use user::{enter_private_user_netns, is_privileged};

/// A connection of netlink `protocol` (`NETLINK_ROUTE`, `NETLINK_NETFILTER`,
/// ...) whose socket lives in `ns` (opened on a short-lived thread inside it;
/// the socket keeps that namespace for life).
pub fn connection_in(ns: &NetNs, protocol: i32) -> crate::Result<crate::netlink::Connection> {
    run_in(ns, move || crate::netlink::Connection::new(protocol))?
}

/// An rtnetlink connection whose socket lives in `ns`.
pub fn route_connection_in(ns: &NetNs) -> crate::Result<crate::netlink::Connection> {
    connection_in(ns, crate::netlink::header::NETLINK_ROUTE)
}

/// An nfnetlink (nf_tables) connection whose socket lives in `ns`.
pub fn netfilter_connection_in(ns: &NetNs) -> crate::Result<crate::netlink::Connection> {
    connection_in(ns, crate::netlink::header::NETLINK_NETFILTER)
}
