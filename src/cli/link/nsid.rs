//! Names for namespace ids, as iproute2 prints `link-netns NAME`: the table
//! of `/run/netns` entries and their ids in the connection's namespace comes
//! from the library ([`rawnet::ns::named_nsids`]); asking does not assign ids.

use rawnet::netlink::Connection;

/// `(nsid, name)` for every /run/netns entry that has an id in `conn`'s
/// namespace, the name escaped (`os_args::escape`) so it prints as its bytes.
pub fn named_ids(conn: &mut Connection) -> Vec<(i32, String)> {
    rawnet::ns::named_nsids(conn)
        .into_iter()
        .map(|(id, name)| (id, crate::cli::os_args::escape(&name).into_owned()))
        .collect()
}
