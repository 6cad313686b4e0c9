//! Namespace ids (nsids): the small integers by which one network namespace
//! names another (`link-netnsid 0`, `ip netns list-id`). Ids are local to the
//! namespace that holds them: the id of B in A is unrelated to the id of A in B.
//!
//! The requests are `RTM_GETNSID` / `RTM_NEWNSID` over rtnetlink, a one-byte
//! `struct rtgenmsg` then `NETNSA_*` attributes; the connection's namespace is
//! the one whose ids are read or written. Asking for an id never assigns one.
//! The builders ([`nsid_by_fd_request`], ...) are pure and pinned against
//! iproute2's bytes; [`NsId::parse`] reads one reply without panicking on any
//! input.

use std::os::fd::{AsFd, AsRawFd};
use std::path::Path;

use super::handle::NetNs;
use super::name::NETNS_RUN_DIR;
use crate::error::{DecodeError, Problem, Result};
use crate::netlink::{Connection, DumpStatus, Message, MessageBuilder, Request};

// linux/rtnetlink.h
pub const RTM_NEWNSID: u16 = 88;
pub const RTM_DELNSID: u16 = 89;
pub const RTM_GETNSID: u16 = 90;

// linux/net_namespace.h, enum NETNSA_*
pub const NETNSA_NSID: u16 = 1;
pub const NETNSA_PID: u16 = 2;
pub const NETNSA_FD: u16 = 3;
pub const NETNSA_TARGET_NSID: u16 = 4;
pub const NETNSA_CURRENT_NSID: u16 = 5;
/// The id of a namespace that has none in the asking one.
pub const NETNSA_NSID_NOT_ASSIGNED: i32 = -1;

/// At most this many `/run/netns` entries are looked at by [`named_nsids`].
const MAX_ENTRIES: usize = 4096;

/// `struct rtgenmsg { rtgen_family = AF_UNSPEC }`.
const RTGENMSG: [u8; 1] = [0];

/// One `RTM_NEWNSID` / `RTM_DELNSID` message: a namespace's id, as a dump,
/// a get or the monitor reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NsId {
    /// `RTM_DELNSID`: the id was removed (monitor only).
    pub deleted: bool,
    /// `NETNSA_NSID`: the id, in the target namespace when one was asked for,
    /// else in the connection's; negative when unassigned.
    pub nsid: i32,
    /// `NETNSA_CURRENT_NSID`: with a target namespace, the same namespace's id
    /// in the connection's namespace (negative when unassigned).
    pub current_nsid: Option<i32>,
}

impl NsId {
    /// Read an nsid message; `Ok(None)` for any other message type. A message
    /// without `NETNSA_NSID`, or whose ids are not 4 bytes, fails with the
    /// attribute's name.
    pub fn parse(msg: &Message<'_>) -> std::result::Result<Option<NsId>, DecodeError> {
        let deleted = match msg.message_type() {
            RTM_NEWNSID => false,
            RTM_DELNSID => true,
            _ => return Ok(None),
        };
        let (_, attrs) = msg.fixed::<[u8; 1]>("rtgenmsg")?;
        let mut nsid = None;
        let mut current_nsid = None;
        for attr in attrs {
            let attr = attr?;
            match attr.kind() {
                NETNSA_NSID => nsid = Some(attr.i32().map_err(|e| e.named("NETNSA_NSID"))?),
                NETNSA_CURRENT_NSID => {
                    current_nsid = Some(attr.i32().map_err(|e| e.named("NETNSA_CURRENT_NSID"))?)
                }
                _ => {}
            }
        }
        let nsid = nsid.ok_or(DecodeError::new(
            "NETNSA_NSID",
            Problem::Short { want: 4, got: 0 },
        ))?;
        Ok(Some(NsId {
            deleted,
            nsid,
            current_nsid,
        }))
    }
}

/// `RTM_GETNSID { NETNSA_FD fd }`: the id of the namespace open as `fd`.
pub fn nsid_by_fd_request(fd: i32) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETNSID, 0);
    m.header(&RTGENMSG).put_i32(NETNSA_FD, fd);
    m.finish()
}

/// `RTM_NEWNSID { NETNSA_FD fd, NETNSA_NSID nsid }`; `None` is iproute2's
/// `auto` (-1: the kernel picks the lowest free id).
pub fn set_nsid_request(fd: i32, nsid: Option<u32>) -> Result<Request> {
    let id = match nsid {
        None => NETNSA_NSID_NOT_ASSIGNED,
        Some(n) => i32::try_from(n).map_err(|_| {
            crate::Error::Invalid(crate::error::Invalid::OutOfRange {
                what: "nsid",
                value: u64::from(n),
                max: i32::MAX as u64,
            })
        })?,
    };
    let mut m = MessageBuilder::new(RTM_NEWNSID, 0);
    m.header(&RTGENMSG)
        .put_i32(NETNSA_FD, fd)
        .put_i32(NETNSA_NSID, id);
    m.finish()
}

/// `RTM_GETNSID { NETNSA_NSID nsid [, NETNSA_TARGET_NSID target] }`: what
/// `nsid` names, seen from the target namespace when one is given.
pub fn nsid_by_id_request(nsid: i32, target: Option<i32>) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETNSID, 0);
    m.header(&RTGENMSG).put_i32(NETNSA_NSID, nsid);
    if let Some(t) = target {
        m.put_i32(NETNSA_TARGET_NSID, t);
    }
    m.finish()
}

/// The dump request of every id (`NLM_F_DUMP` is added when it is sent),
/// with `NETNSA_TARGET_NSID` to list the ids held by the namespace that has
/// id `target` here.
pub fn dump_nsids_request(target: Option<i32>) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETNSID, 0);
    m.header(&RTGENMSG);
    if let Some(t) = target {
        m.put_i32(NETNSA_TARGET_NSID, t);
    }
    m.finish()
}

/// The one `NsId` answer of a get request.
fn single(conn: &mut Connection, request: Request) -> Result<Option<NsId>> {
    let mut found = None;
    conn.request(request, |msg| {
        if let Some(id) = NsId::parse(&msg)? {
            found = Some(id);
        }
        Ok(())
    })?;
    Ok(found)
}

/// The id of the namespace `ns` in `conn`'s namespace; `None` when it has none.
/// Errors are the kernel's (`EINVAL` "Peer netns reference is invalid" when
/// the file is not a network namespace).
#[doc(alias = "RTM_GETNSID")]
pub fn nsid_of(conn: &mut Connection, ns: &impl AsFd) -> Result<Option<i32>> {
    let request = nsid_by_fd_request(ns.as_fd().as_raw_fd())?;
    Ok(single(conn, request)?
        .map(|id| id.nsid)
        .filter(|&id| id >= 0))
}

/// Give `ns` the id `nsid` in `conn`'s namespace (`None`: the kernel picks
/// one), as `ip netns set NAME NSID|auto` does. Kernel errors: `EEXIST` "Peer
/// netns already has a nsid assigned" or "The specified nsid is already used".
#[doc(alias = "RTM_NEWNSID")]
pub fn set_nsid(conn: &mut Connection, ns: &impl AsFd, nsid: Option<u32>) -> Result<()> {
    conn.execute(set_nsid_request(ns.as_fd().as_raw_fd(), nsid)?)
}

/// What id `nsid` of `conn`'s namespace names: with `target`, the same
/// namespace's id in the namespace that `conn`'s calls `target`
/// (`ip netns list-id nsid N [target-nsid T]`). Unknown ids are kernel errors.
pub fn nsid_entry(conn: &mut Connection, nsid: i32, target: Option<i32>) -> Result<NsId> {
    single(conn, nsid_by_id_request(nsid, target)?)?
        .ok_or(crate::Error::NotFound(crate::error::NotFound::Nsid(nsid)))
}

/// Every id `conn`'s namespace holds (or, with `target`, the namespace it calls
/// `target`), handed to `f` as they arrive.
pub fn dump_nsids<E, F>(
    conn: &mut Connection,
    target: Option<i32>,
    mut f: F,
) -> std::result::Result<DumpStatus, E>
where
    E: From<crate::Error>,
    F: FnMut(NsId) -> std::result::Result<(), E>,
{
    let request = dump_nsids_request(target).map_err(E::from)?;
    conn.dump(request, |msg| match NsId::parse(&msg) {
        Ok(Some(id)) => f(id),
        Ok(None) => Ok(()),
        Err(e) => Err(E::from(crate::Error::Decode(e))),
    })
}

/// `(nsid, name)` for every `/run/netns` entry that has an id in `conn`'s
/// namespace, in directory order (names of the same namespace share an id).
/// Entries that cannot be opened or are not namespaces are skipped, as a
/// missing `/run/netns` is an empty list: this is the table iproute2 builds
/// to print `link-netns NAME` and `(iproute2 netns name: NAME)`.
pub fn named_nsids(conn: &mut Connection) -> Vec<(i32, Vec<u8>)> {
    let Ok(dir) = std::fs::read_dir(NETNS_RUN_DIR) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in dir.take(MAX_ENTRIES).flatten() {
        let file_name = entry.file_name();
        let Ok(ns) = NetNs::open_path(Path::new(NETNS_RUN_DIR).join(&file_name)) else {
            continue;
        };
        if let Ok(Some(id)) = nsid_of(conn, &ns) {
            out.push((id, std::os::unix::ffi::OsStringExt::into_vec(file_name)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::header::{NLM_F_ACK, NLM_F_DUMP};
    use crate::netlink::Messages;

    /// Bytes of `tests/golden/nsid/<name>.hex`.
    fn golden(name: &str) -> Vec<u8> {
        let text = match name {
            "nsid-set-5" => include_str!("../../tests/golden/nsid/nsid-set-5.hex"),
            "nsid-set-auto" => include_str!("../../tests/golden/nsid/nsid-set-auto.hex"),
            "nsid-get-fd" => include_str!("../../tests/golden/nsid/nsid-get-fd.hex"),
            "nsid-dump-req" => include_str!("../../tests/golden/nsid/nsid-dump-req.hex"),
            "nsid-dump-reply" => include_str!("../../tests/golden/nsid/nsid-dump-reply.hex"),
            "nsid-dump-target-req" => {
                include_str!("../../tests/golden/nsid/nsid-dump-target-req.hex")
            }
            "nsid-dump-target-reply" => {
                include_str!("../../tests/golden/nsid/nsid-dump-target-reply.hex")
            }
            "nsid-get-nsid-target-req" => {
                include_str!("../../tests/golden/nsid/nsid-get-nsid-target-req.hex")
            }
            "nsid-get-nsid-target-reply" => {
                include_str!("../../tests/golden/nsid/nsid-get-nsid-target-reply.hex")
            }
            other => panic!("no golden file {other}"),
        };
        crate::netlink::golden::hex(text)
    }

    /// A golden request with its sequence number and port id zeroed and
    /// the flags our connection adds when it sends taken off.
    fn request(name: &str, sent_flags: u16) -> Vec<u8> {
        let mut v = golden(name);
        v[8..16].fill(0);
        let flags = u16::from_ne_bytes([v[6], v[7]]) & !sent_flags;
        v[6..8].copy_from_slice(&flags.to_ne_bytes());
        v
    }

    fn parsed(datagram: &[u8]) -> Vec<NsId> {
        Messages::new(datagram)
            .filter_map(|m| NsId::parse(&m.unwrap()).unwrap())
            .collect()
    }

    #[test]
    fn requests_match_iproute2() {
        let set = set_nsid_request(6, Some(5)).unwrap();
        assert_eq!(set.as_bytes(), request("nsid-set-5", NLM_F_ACK));
        let auto = set_nsid_request(6, None).unwrap();
        assert_eq!(auto.as_bytes(), request("nsid-set-auto", NLM_F_ACK));
        let get = nsid_by_fd_request(6).unwrap();
        assert_eq!(get.as_bytes(), request("nsid-get-fd", 0));
        let dump = dump_nsids_request(None).unwrap();
        assert_eq!(dump.as_bytes(), request("nsid-dump-req", NLM_F_DUMP));
        let dump = dump_nsids_request(Some(5)).unwrap();
        assert_eq!(dump.as_bytes(), request("nsid-dump-target-req", NLM_F_DUMP));
        let get = nsid_by_id_request(0, Some(5)).unwrap();
        assert_eq!(get.as_bytes(), request("nsid-get-nsid-target-req", 0));
    }

    #[test]
    fn ids_above_int_max_are_refused() {
        assert!(set_nsid_request(6, Some(i32::MAX as u32)).is_ok());
        assert!(set_nsid_request(6, Some(1 << 31)).is_err());
    }

    #[test]
    fn replies_parse() {
        let plain = |nsid| NsId {
            deleted: false,
            nsid,
            current_nsid: None,
        };
        assert_eq!(parsed(&golden("nsid-dump-reply")), [plain(0), plain(5)]);
        let with_current = NsId {
            current_nsid: Some(0),
            ..plain(9)
        };
        assert_eq!(parsed(&golden("nsid-dump-target-reply")), [with_current]);
        assert_eq!(
            parsed(&golden("nsid-get-nsid-target-reply")),
            [with_current]
        );
    }

    #[test]
    fn every_cut_fails_cleanly() {
        let whole = golden("nsid-get-nsid-target-reply");
        for cut in 16..whole.len() {
            let mut v = whole[..cut].to_vec();
            v[0..4].copy_from_slice(&(cut as u32).to_ne_bytes());
            let msg = Messages::new(&v).next().unwrap().unwrap();
            let r = NsId::parse(&msg);
            // Cut before NETNSA_NSID ends: no id, an error; cut inside the
            // second attribute: an error; at its boundary: the id alone.
            match cut {
                28 => assert_eq!(r.unwrap().unwrap().current_nsid, None),
                _ => assert!(r.is_err(), "cut {cut}: {r:?}"),
            }
        }
    }

    #[test]
    fn other_messages_are_not_ids_and_deletions_are_marked() {
        let mut v = golden("nsid-get-nsid-target-reply");
        v[4..6].copy_from_slice(&RTM_DELNSID.to_ne_bytes());
        assert!(parsed(&v)[0].deleted);
        v[4..6].copy_from_slice(&16u16.to_ne_bytes()); // RTM_NEWLINK
        assert!(parsed(&v).is_empty());
        // A wrong-sized id names the attribute.
        let mut v = golden("nsid-get-nsid-target-reply");
        v[20..22].copy_from_slice(&6u16.to_ne_bytes());
        let msg = Messages::new(&v).next().unwrap().unwrap();
        assert_eq!(NsId::parse(&msg).unwrap_err().what, "NETNSA_NSID");
    }
}
