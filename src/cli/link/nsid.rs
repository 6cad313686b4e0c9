//! Names for namespace ids, as iproute2 prints `link-netns NAME`: the id each
//! `/run/netns` entry has as seen from the connection's namespace, asked with
//! `RTM_GETNSID { NETNSA_FD }`. Asking does not assign ids.
//!
//! Namespace ids belong to the ns module; this is the small part `link show`
//! needs, built on the public netlink API.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd};

use rawnet::netlink::{Connection, MessageBuilder};

// linux/rtnetlink.h and linux/net_namespace.h.
const RTM_NEWNSID: u16 = 88;
const RTM_GETNSID: u16 = 90;
const NETNSA_NSID: u16 = 1;
const NETNSA_FD: u16 = 3;
/// At most this many /run/netns entries are looked at.
const MAX_ENTRIES: usize = 4096;

/// The id of the namespace `fd` as seen from `conn`'s namespace; `None` when it
/// has none (`NETNSA_NSID_NOT_ASSIGNED`) or the kernel would not say.
fn nsid_of(conn: &mut Connection, fd: BorrowedFd<'_>) -> Option<i32> {
    let mut m = MessageBuilder::new(RTM_GETNSID, 0);
    m.header(&[0u8; 1]); // struct rtgenmsg { rtgen_family = AF_UNSPEC }
    m.put_u32(NETNSA_FD, fd.as_raw_fd() as u32);
    let mut id = None;
    conn.request(m.finish().ok()?, |msg| {
        if msg.message_type() == RTM_NEWNSID {
            let (_, attrs) = msg.fixed::<[u8; 1]>("rtgenmsg")?;
            id = attrs.find(NETNSA_NSID).and_then(|a| a.i32().ok());
        }
        Ok(())
    })
    .ok()?;
    id.filter(|&i| i >= 0)
}

/// `(nsid, name)` for every /run/netns entry that has an id in `conn`'s namespace.
pub fn named_ids(conn: &mut Connection) -> Vec<(i32, String)> {
    let Ok(dir) = std::fs::read_dir("/run/netns") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in dir.take(MAX_ENTRIES).flatten() {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let Ok(file) = std::fs::File::open(entry.path()) else {
            continue;
        };
        if let Some(id) = nsid_of(conn, file.as_fd()) {
            out.push((id, name));
        }
    }
    out
}
