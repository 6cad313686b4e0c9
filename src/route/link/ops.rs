//! Link operations: request builders (pure: they return a [`Request`] whose
//! bytes the unit tests compare with what iproute2 6.1 sends) and the
//! operations that send them (I/O).
//!
//! Changes go out as one `RTM_NEWLINK` each, with the link named by index, as
//! `ip link set` / `ip link del` do after resolving the name with a
//! `RTM_GETLINK` for that name. A `veth` pair (and its peer's namespace) is one
//! request, which the kernel applies atomically: nothing is left half-made.

use std::os::fd::{AsFd, BorrowedFd};

use super::changes::put_linkinfo;
use super::{
    not_found, validate_altname, validate_ifname, IfInfoMsg, Link, LinkChanges, LinkFlags,
    LinkInfo, NetnsRef, IFLA_ALT_IFNAME, IFLA_EXT_MASK, IFLA_GROUP, IFLA_IFNAME, IFLA_LINK,
    IFLA_MASTER, RTEXT_FILTER_SKIP_STATS, RTEXT_FILTER_VF,
};
use crate::error::{Error, Invalid, Result};
use crate::netlink::header::{NLM_F_CREATE, NLM_F_EXCL};
use crate::netlink::{Connection, DumpStatus, MessageBuilder, Request};
use crate::route::link::LinkKind;
use crate::route::{RTM_DELLINK, RTM_GETLINK, RTM_NEWLINK};

/// A link named by index or by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRef<'a> {
    Index(u32),
    /// By name: the kernel's bytes (any bytes but NUL, `/`, white space).
    Name(&'a [u8]),
}

impl From<u32> for LinkRef<'_> {
    fn from(index: u32) -> Self {
        LinkRef::Index(index)
    }
}

impl<'a> From<&'a str> for LinkRef<'a> {
    fn from(name: &'a str) -> Self {
        LinkRef::Name(name.as_bytes())
    }
}

impl<'a> From<&'a [u8]> for LinkRef<'a> {
    fn from(name: &'a [u8]) -> Self {
        LinkRef::Name(name)
    }
}

impl<'a> LinkRef<'a> {
    /// A link by name, from text or bytes.
    pub fn name(name: &'a (impl AsRef<[u8]> + ?Sized)) -> LinkRef<'a> {
        LinkRef::Name(name.as_ref())
    }
}

fn ifinfomsg(index: u32) -> IfInfoMsg {
    IfInfoMsg {
        ifi_index: index as i32,
        ..IfInfoMsg::default()
    }
}

/// A link to create: `ip link add [link PARENT] NAME [ATTRS] [netns NS] type KIND ARGS`.
#[derive(Debug, Clone, Copy)]
pub struct LinkSpec<'a> {
    /// `IFLA_IFNAME`: the name's bytes (need not be UTF-8); empty: none is
    /// sent and the kernel names the link (`veth0`, `bridge0`, ...), as
    /// `ip link add type KIND` does.
    pub name: &'a [u8],
    /// `IFLA_LINKINFO`: the kind and its `IFLA_INFO_DATA`.
    pub kind: LinkKind<'a>,
    /// `IFLA_LINK`: index of the parent (macvlan, ipvlan, vlan), looked up in
    /// the namespace the request is sent in.
    pub parent: Option<u32>,
    /// Create the link straight in this namespace (`IFLA_NET_NS_FD` /
    /// `IFLA_NET_NS_PID`); a descriptor goes in as its number.
    pub netns: Option<NetnsRef<'a>>,
    /// The attributes any link takes (`mtu`, `address`, `up`, `txqueuelen`,
    /// `master`, `alias`, `group`, ...). Its `name` and `info` must be `None`
    /// (the name and kind are above); its `netns` is taken when `netns` above
    /// is `None`.
    pub attrs: LinkChanges<'a>,
}

impl<'a> LinkSpec<'a> {
    /// A link `name` of `kind`, no parent, in the request's namespace.
    pub fn new(name: &'a (impl AsRef<[u8]> + ?Sized), kind: LinkKind<'a>) -> LinkSpec<'a> {
        LinkSpec {
            name: name.as_ref(),
            kind,
            parent: None,
            netns: None,
            attrs: LinkChanges::default(),
        }
    }
}

/// `RTM_NEWLINK` with `NLM_F_CREATE | NLM_F_EXCL` creating `spec`, with the
/// bytes iproute2 6.1 sends for the same command: the flags in the
/// `ifinfomsg`, the common attributes (see `LinkChanges`), the namespace,
/// `IFLA_LINK`, `IFLA_IFNAME`, then `IFLA_LINKINFO { IFLA_INFO_KIND,
/// [IFLA_INFO_DATA] }`. The kind goes without its NUL, as iproute2 writes it
/// (`addattr_l(.., strlen(type))`); the kernel's policy (`NLA_STRING`) takes
/// both. Names and kind parameters are checked first (`Error::Invalid`).
#[doc(alias = "ip link add")]
pub fn add_link_request(spec: &LinkSpec<'_>) -> Result<Request> {
    if !spec.name.is_empty() {
        validate_ifname(spec.name)?;
    }
    spec.kind.validate()?;
    let mut attrs = spec.attrs;
    if attrs.name.is_some() || attrs.info.is_some() {
        return Err(Error::Invalid(Invalid::NewLinkChanges));
    }
    attrs.validate()?;
    if spec.netns.is_some() {
        attrs.netns = spec.netns;
    }
    let mut m = MessageBuilder::new(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    let (flags, change) = attrs.flags();
    m.header(&IfInfoMsg {
        ifi_flags: flags,
        ifi_change: change,
        ..IfInfoMsg::default()
    });
    attrs.put_attrs(&mut m);
    if let Some(parent) = spec.parent {
        m.put_u32(IFLA_LINK, parent);
    }
    if !spec.name.is_empty() {
        m.put_c_bytes(IFLA_IFNAME, spec.name);
    }
    put_linkinfo(&mut m, &spec.kind);
    m.finish()
}

/// Create the link `spec` describes. Atomic: on failure nothing exists. A
/// taken name is `Error::Kernel` with `EEXIST`; a kind this kernel lacks is
/// `EOPNOTSUPP` with the message "Unknown device type".
pub fn add_link(conn: &mut Connection, spec: &LinkSpec<'_>) -> Result<()> {
    conn.execute(add_link_request(spec)?)
}

/// `RTM_NEWLINK` with `NLM_F_CREATE | NLM_F_EXCL` for a veth pair, encoded as
/// iproute2 does: `IFLA_IFNAME`, then `IFLA_LINKINFO { IFLA_INFO_KIND "veth",
/// IFLA_INFO_DATA { VETH_INFO_PEER { ifinfomsg, [IFLA_NET_NS_FD], IFLA_IFNAME } } }`.
/// Without a peer name the kernel picks one (`vethN`) and no `IFLA_INFO_DATA` is sent.
/// The request carries `peer_netns` as a descriptor number: keep it open until sent.
pub fn add_veth_request(
    name: impl AsRef<[u8]>,
    peer: Option<&[u8]>,
    peer_netns: Option<BorrowedFd<'_>>,
) -> Result<Request> {
    let attrs = LinkChanges {
        name: peer,
        netns: peer_netns.map(NetnsRef::Fd),
        ..LinkChanges::default()
    };
    let peer = (peer.is_some() || peer_netns.is_some()).then_some(&attrs);
    add_link_request(&LinkSpec::new(name.as_ref(), LinkKind::Veth { peer }))
}

/// `ip link add NAME group GROUP type veth peer name PEER`: a veth pair whose
/// end `name` is in device group `group` (the peer stays in group 0), so that
/// [`delete_link_group_request`] deletes every such pair at once.
pub fn add_veth_in_group_request(
    name: impl AsRef<[u8]>,
    peer: impl AsRef<[u8]>,
    group: u32,
) -> Result<Request> {
    let peer = LinkChanges {
        name: Some(peer.as_ref()),
        ..LinkChanges::default()
    };
    let mut spec = LinkSpec::new(name.as_ref(), LinkKind::Veth { peer: Some(&peer) });
    spec.attrs.group = Some(group);
    add_link_request(&spec)
}

/// Create the veth pair `name` <-> `peer`, the peer in `peer_netns` when given
/// (else in the connection's namespace). Atomic: on failure nothing exists.
/// A taken name is `Error::Kernel` with `EEXIST`.
pub fn add_veth(
    conn: &mut Connection,
    name: impl AsRef<[u8]>,
    peer: impl AsRef<[u8]>,
    peer_netns: Option<BorrowedFd<'_>>,
) -> Result<()> {
    conn.execute(add_veth_request(name, Some(peer.as_ref()), peer_netns)?)
}

/// `RTM_NEWLINK` (no create flags) changing the link `index`. A namespace
/// descriptor goes in as its number: keep it open until the request is sent.
#[doc(alias = "ip link set")]
pub fn set_link_request(index: u32, changes: &LinkChanges<'_>) -> Result<Request> {
    set_link_request_for(LinkRef::Index(index), changes)
}

/// [`set_link_request`] for a link given by index or by name: a name goes
/// in as `IFLA_IFNAME` (an alternative name longer than an interface name
/// as `IFLA_ALT_IFNAME`) with index 0, and the kernel finds the link by it
/// (no lookup first). Renaming needs the index (`IFLA_IFNAME` is then the
/// new name).
pub fn set_link_request_for(link: LinkRef<'_>, changes: &LinkChanges<'_>) -> Result<Request> {
    changes.validate()?;
    let index = match link {
        LinkRef::Index(i) => i,
        LinkRef::Name(name) if changes.name.is_none() => {
            validate_altname(name).map_err(|_| not_found(name))?;
            0
        }
        LinkRef::Name(name) => {
            return Err(Error::Invalid(Invalid::RenameByName {
                name: super::shown(name).into_owned(),
            }))
        }
    };
    let mut m = MessageBuilder::new(RTM_NEWLINK, 0);
    let (flags, change) = changes.flags();
    m.header(&IfInfoMsg {
        ifi_index: index as i32,
        ifi_flags: flags,
        ifi_change: change,
        ..IfInfoMsg::default()
    });
    changes.put_attrs(&mut m);
    match (link, changes.name) {
        (_, Some(new_name)) => m.put_c_bytes(IFLA_IFNAME, new_name),
        (LinkRef::Name(name), None) => put_name(&mut m, name),
        (LinkRef::Index(_), None) => &mut m,
    };
    changes.put_info(&mut m);
    m.finish()
}

/// A link's name as a request names it: `IFLA_IFNAME`, or `IFLA_ALT_IFNAME`
/// for a name too long for an interface name (iproute2's `ll_link_get`).
fn put_name<'m>(m: &'m mut MessageBuilder, name: &[u8]) -> &'m mut MessageBuilder {
    if validate_ifname(name).is_ok() {
        m.put_c_bytes(IFLA_IFNAME, name)
    } else {
        m.put_c_bytes(IFLA_ALT_IFNAME, name)
    }
}

fn resolve(conn: &mut Connection, link: LinkRef<'_>) -> Result<u32> {
    match link {
        LinkRef::Index(i) => Ok(i),
        LinkRef::Name(name) => link_index(conn, name),
    }
}

/// Apply `changes` to a link in one `RTM_NEWLINK` (a name is resolved first).
/// A missing link is `Error::NotFound(NotFound::Link(NAME))`.
pub fn set_link(conn: &mut Connection, link: LinkRef<'_>, changes: &LinkChanges<'_>) -> Result<()> {
    if let Some(name) = changes.name {
        validate_ifname(name)?;
    }
    let index = resolve(conn, link)?;
    conn.execute(set_link_request(index, changes)?)
}

/// `RTM_DELLINK` for the link `index`.
pub fn delete_link_request(index: u32) -> Result<Request> {
    delete_link_request_for(LinkRef::Index(index))
}

/// `RTM_DELLINK` for a link by index, or by name (`IFLA_IFNAME`, index 0).
pub fn delete_link_request_for(link: LinkRef<'_>) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_DELLINK, 0);
    match link {
        LinkRef::Index(i) => {
            m.header(&ifinfomsg(i));
        }
        LinkRef::Name(name) => {
            validate_altname(name).map_err(|_| not_found(name))?;
            m.header(&ifinfomsg(0));
            put_name(&mut m, name);
        }
    }
    m.finish()
}

/// `RTM_DELLINK` with index 0 and `IFLA_GROUP` (`ip link delete group
/// GROUP`): the kernel deletes every link of the group in one go, far faster
/// than one request a link (it waits for the network stack once, not once a
/// link). Deleting one end of a veth pair deletes the other. The kernel
/// refuses (`EOPNOTSUPP`) when a link of the group cannot be deleted (`lo`),
/// and then deletes none.
#[doc(alias = "ip link delete group")]
pub fn delete_link_group_request(group: u32) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_DELLINK, 0);
    m.header(&ifinfomsg(0));
    m.put_u32(IFLA_GROUP, group);
    m.finish()
}

/// Delete a link (for a veth, both ends go).
pub fn delete_link(conn: &mut Connection, link: LinkRef<'_>) -> Result<()> {
    let index = resolve(conn, link)?;
    conn.execute(delete_link_request(index)?)
}

/// A `RTM_GETLINK` request for one link by name (as iproute2's
/// `ll_name_to_index`): `IFLA_IFNAME`, or `IFLA_ALT_IFNAME` for a name longer
/// than an interface name can be (the kernel finds alternative names by either).
pub fn get_link_by_name_request(name: impl AsRef<[u8]>) -> Result<Request> {
    let name = name.as_ref();
    let mut m = MessageBuilder::new(RTM_GETLINK, 0);
    m.header(&IfInfoMsg::default());
    m.put_u32(IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS);
    put_name(&mut m, name);
    m.finish()
}

/// A `RTM_GETLINK` request for one link by index (as iproute2's `ll_index_to_name`).
pub fn get_link_by_index_request(index: u32) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETLINK, 0);
    m.header(&ifinfomsg(index));
    m.put_u32(IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS);
    m.finish()
}

/// The `RTM_GETLINK` dump request of `ip link show` (family `AF_PACKET`,
/// `IFLA_EXT_MASK` `RTEXT_FILTER_VF`); the connection adds `NLM_F_DUMP`.
pub fn dump_links_request() -> Result<Request> {
    dump_links_filtered_request(None)
}

/// The dump request of `ip link show master BR`: as [`dump_links_request`]
/// plus `IFLA_MASTER`, which the kernel (with strict checking, which our
/// sockets turn on) uses to send only the ports of that master.
pub fn dump_links_filtered_request(master: Option<u32>) -> Result<Request> {
    dump_links_request_with(master, true)
}

/// The link dump request with the choices made explicit: the ports of
/// `master` only, and with or without statistics. Without them
/// (`RTEXT_FILTER_SKIP_STATS`) the kernel does not sum every link's per-CPU
/// counters: a link dump that prints no statistics costs it about half.
pub fn dump_links_request_with(master: Option<u32>, stats: bool) -> Result<Request> {
    let mut m = MessageBuilder::new(RTM_GETLINK, 0);
    m.header(&IfInfoMsg {
        ifi_family: libc::AF_PACKET as u8,
        ..IfInfoMsg::default()
    });
    let skip = if stats { 0 } else { RTEXT_FILTER_SKIP_STATS };
    m.put_u32(IFLA_EXT_MASK, RTEXT_FILTER_VF | skip);
    if let Some(master) = master {
        m.put_u32(IFLA_MASTER, master);
    }
    m.finish()
}

/// Send a GET for one link; `Ok(None)` when the kernel says there is none.
pub(super) fn get_one(conn: &mut Connection, request: Request) -> Result<Option<LinkInfo>> {
    let mut found = None;
    let result = conn.request(request, |msg| {
        if msg.message_type() == RTM_NEWLINK && found.is_none() {
            found = Some(Link::parse(&msg)?.to_info());
        }
        Ok(())
    });
    match result {
        Err(Error::Kernel(k)) if k.errno == libc::ENODEV => Ok(None),
        Err(e) => Err(e),
        Ok(()) => Ok(found),
    }
}

/// One link by name, via a `RTM_GETLINK` for it (no dump).
/// A missing link is `Error::NotFound(NotFound::Link(NAME))`.
pub fn get_link(conn: &mut Connection, name: impl AsRef<[u8]>) -> Result<LinkInfo> {
    let name = name.as_ref();
    validate_altname(name).map_err(|_| not_found(name))?;
    get_one(conn, get_link_by_name_request(name)?)?.ok_or_else(|| not_found(name))
}

/// One link by index; `Ok(None)` when there is no such link.
pub fn get_link_by_index(conn: &mut Connection, index: u32) -> Result<Option<LinkInfo>> {
    get_one(conn, get_link_by_index_request(index)?)
}

/// The name of link `index` in the connection's namespace (to show
/// `veth0@veth1`); `Ok(None)` when there is no such link.
#[doc(alias = "if_indextoname")]
pub fn name_of(conn: &mut Connection, index: u32) -> Result<Option<Vec<u8>>> {
    Ok(get_link_by_index(conn, index)?.and_then(|l| l.name))
}

/// The index of the link called `name`, by a `RTM_GETLINK` for it.
/// A missing link is `Error::NotFound(NotFound::Link(NAME))`.
#[doc(alias = "if_nametoindex")]
pub fn link_index(conn: &mut Connection, name: impl AsRef<[u8]>) -> Result<u32> {
    let name = name.as_ref();
    validate_altname(name).map_err(|_| not_found(name))?;
    let mut index = None;
    let result = conn.request(get_link_by_name_request(name)?, |msg| {
        if msg.message_type() == RTM_NEWLINK {
            let (ifi, _) = msg.fixed::<IfInfoMsg>("ifinfomsg")?;
            index = Some(ifi.ifi_index as u32);
        }
        Ok(())
    });
    match result {
        Err(Error::Kernel(k)) if k.errno == libc::ENODEV => Err(not_found(name)),
        Err(e) => Err(e),
        Ok(()) => index.ok_or_else(|| not_found(name)),
    }
}

/// Every link of the connection's namespace, in the kernel's order (by index).
pub fn dump_links(conn: &mut Connection) -> Result<Vec<LinkInfo>> {
    collect_links(conn, dump_links_request()?)
}

/// The ports of the master (bridge) with index `master`, filtered by the kernel.
pub fn dump_ports(conn: &mut Connection, master: u32) -> Result<Vec<LinkInfo>> {
    collect_links(conn, dump_links_filtered_request(Some(master))?)
}

/// Each link of a link dump (`request`: [`dump_links_request`],
/// [`dump_links_filtered_request`], ...) handed to `f` as a view borrowed from
/// the receive buffer, in the kernel's order: nothing is kept. Says whether
/// the table changed while it was read.
pub fn for_each_link<E, F>(
    conn: &mut Connection,
    request: Request,
    f: F,
) -> std::result::Result<DumpStatus, E>
where
    E: From<Error>,
    F: FnMut(&Link<'_>) -> std::result::Result<(), E>,
{
    conn.for_each_view::<Link<'_>, _, _>(request, f)
}

/// The transmit queue length of link `name`, asked with the
/// `SIOCGIFTXQLEN` ioctl on `socket`, any socket of the link's namespace (a
/// connection's will do), as iproute2 asks for links whose description lacks
/// `IFLA_TXQLEN` (an `AF_INET6` link dump leaves it out).
#[doc(alias = "SIOCGIFTXQLEN")]
pub fn tx_queue_length(socket: impl AsFd, name: impl AsRef<[u8]>) -> Result<u32> {
    crate::sys::device::tx_queue_len(socket.as_fd(), name.as_ref())
}

/// The name and flags of link `index`, asked with the `SIOCGIFNAME` and
/// `SIOCGIFFLAGS` ioctls on `socket` (any socket of the link's namespace):
/// no netlink request, so it may be asked while a dump is arriving on that
/// very socket. The flags are the low 16 (`IFF_UP` and its neighbours, not
/// `IFF_LOWER_UP`). `None` when there is no such link. The name is the
/// kernel's bytes.
#[doc(alias = "if_indextoname")]
pub fn name_and_flags(socket: impl AsFd, index: u32) -> Result<Option<(Vec<u8>, LinkFlags)>> {
    let fd = socket.as_fd();
    let Some(name) = crate::sys::device::name_by_index(fd, index)? else {
        return Ok(None);
    };
    let flags = crate::sys::device::flags_by_name(fd, &name)?.unwrap_or(0);
    Ok(Some((name, LinkFlags::from_bits_retain(u32::from(flags)))))
}

fn collect_links(conn: &mut Connection, request: Request) -> Result<Vec<LinkInfo>> {
    conn.dump_collect(request, |msg| {
        if msg.message_type() != RTM_NEWLINK {
            return Ok(None);
        }
        Ok(Some(Link::parse(&msg)?.to_info()))
    })
}

#[cfg(test)]
mod tests {
    //! Golden requests: what iproute2 6.1 sent (strace -xx -e write=...), with
    //! seq and pid zeroed. Commands and hex in tests/golden/link/PROVENANCE.md.
    //! Our connection adds `NLM_F_ACK` when it sends; iproute2's requests carry
    //! it already, so it is added here before comparing.

    use super::*;
    use crate::netlink::header::NLM_F_ACK;
    use std::os::fd::AsRawFd;

    fn sent(mut r: Request) -> Vec<u8> {
        r.add_flags(NLM_F_ACK);
        r.as_bytes().to_vec()
    }

    /// `ip link add veth0 type veth peer name veth1`
    const ADD_VETH: [u8; 92] = [
        0x5c, 0, 0, 0, 0x10, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, //
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0x0a, 0, 0x03, 0, b'v', b'e', b't', b'h', b'0', 0, 0, 0, 0x30, 0, 0x12, 0, //
        0x08, 0, 0x01, 0, b'v', b'e', b't', b'h', 0x24, 0, 0x02, 0, 0x20, 0, 0x01, 0, //
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0x0a, 0, 0x03, 0, b'v', b'e', b't', b'h', b'1', 0, 0, 0,
    ];

    /// `ip link add veth2 type veth peer name veth3 netns NS` (the namespace
    /// file was fd 4 in iproute2).
    const ADD_VETH_NETNS: [u8; 100] = [
        0x64, 0, 0, 0, 0x10, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, //
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0x0a, 0, 0x03, 0, b'v', b'e', b't', b'h', b'2', 0, 0, 0, 0x38, 0, 0x12, 0, //
        0x08, 0, 0x01, 0, b'v', b'e', b't', b'h', 0x2c, 0, 0x02, 0, 0x28, 0, 0x01, 0, //
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0x08, 0, 0x1c, 0, 0x04, 0, 0, 0, 0x0a, 0, 0x03, 0, b'v', b'e', b't', b'h', //
        b'3', 0, 0, 0,
    ];

    /// `ip link add v0 type veth` (no peer name)
    const ADD_VETH_NO_PEER: [u8; 52] = [
        0x34, 0, 0, 0, 0x10, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, //
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0x07, 0, 0x03, 0, b'v', b'0', 0, 0, 0x0c, 0, 0x12, 0, 0x08, 0, 0x01, 0, //
        b'v', b'e', b't', b'h',
    ];

    /// `ip link set veth0 up` (veth0 is index 3)
    const SET_UP: [u8; 32] = [
        0x20, 0, 0, 0, 0x10, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0, 0, 0, 0, 0x03, 0, 0, 0, 0x01, 0, 0, 0, 0x01, 0, 0, 0,
    ];

    /// `ip link set veth0 down`
    const SET_DOWN: [u8; 32] = [
        0x20, 0, 0, 0, 0x10, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0, 0, 0, 0, 0x03, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0,
    ];

    /// `ip link set veth0 mtu 1400`
    const SET_MTU: [u8; 40] = [
        0x28, 0, 0, 0, 0x10, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0, 0, 0, 0, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0x08, 0, 0x04, 0, 0x78, 0x05, 0, 0,
    ];

    /// `ip link set veth0 up mtu 1400 name veth9 address 02:00:00:00:00:01`
    const SET_MANY: [u8; 64] = [
        0x40, 0, 0, 0, 0x10, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0, 0, 0, 0, 0x03, 0, 0, 0, 0x01, 0, 0, 0, 0x01, 0, 0, 0, //
        0x08, 0, 0x04, 0, 0x78, 0x05, 0, 0, 0x0a, 0, 0x01, 0, 0x02, 0, 0, 0, //
        0, 0x01, 0, 0, 0x0a, 0, 0x03, 0, b'v', b'e', b't', b'h', b'9', 0, 0, 0,
    ];

    /// `ip link set veth9 netns NS` (the namespace file was fd 4)
    const SET_NETNS_FD: [u8; 40] = [
        0x28, 0, 0, 0, 0x10, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0, 0, 0, 0, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0x08, 0, 0x1c, 0, 0x04, 0, 0, 0,
    ];

    /// `ip link set veth1 netns 1` (veth1 is index 2)
    const SET_NETNS_PID: [u8; 40] = [
        0x28, 0, 0, 0, 0x10, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0x08, 0, 0x13, 0, 0x01, 0, 0, 0,
    ];

    /// `ip link del veth2` (index 4)
    const DEL: [u8; 32] = [
        0x20, 0, 0, 0, 0x11, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0, 0, 0, 0, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    /// iproute2's name lookup before `set`/`del` (`ll_name_to_index("veth0")`).
    /// iproute2 sends it without `NLM_F_ACK` (flags 0x0001); we ask for the ack.
    const GET_BY_NAME: [u8; 52] = [
        0x34, 0, 0, 0, 0x12, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0x08, 0, 0x1d, 0, 0x09, 0, 0, 0, 0x0a, 0, 0x03, 0, b'v', b'e', b't', b'h', //
        b'0', 0, 0, 0,
    ];

    /// iproute2's `ll_index_to_name(2)` while printing `veth9@veth1`; no ack either.
    const GET_BY_INDEX: [u8; 40] = [
        0x28, 0, 0, 0, 0x12, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0x08, 0, 0x1d, 0, 0x09, 0, 0, 0,
    ];

    /// `ip link show`: the dump request (`NLM_F_REQUEST | NLM_F_DUMP`, AF_PACKET).
    const DUMP: [u8; 40] = [
        0x28, 0, 0, 0, 0x12, 0, 0x01, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, //
        0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0x08, 0, 0x1d, 0, 0x01, 0, 0, 0,
    ];

    /// `ip link add bv0 group 7 type veth peer name bp0`
    const ADD_VETH_GROUP: [u8; 92] = [
        0x5c, 0, 0, 0, 0x10, 0, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, //
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0x08, 0, 0x1b, 0, 0x07, 0, 0, 0, 0x08, 0, 0x03, 0, b'b', b'v', b'0', 0, //
        0x2c, 0, 0x12, 0, 0x08, 0, 0x01, 0, b'v', b'e', b't', b'h', 0x20, 0, 0x02, 0, //
        0x1c, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0, 0, 0, 0, 0x08, 0, 0x03, 0, b'b', b'p', b'0', 0,
    ];

    /// `ip link del group 7`
    const DEL_GROUP: [u8; 40] = [
        0x28, 0, 0, 0, 0x11, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //
        0x08, 0, 0x1b, 0, 0x07, 0, 0, 0,
    ];

    #[test]
    fn group_requests_match_iproute2() {
        assert_eq!(
            sent(add_veth_in_group_request("bv0", "bp0", 7).unwrap()),
            ADD_VETH_GROUP
        );
        assert_eq!(sent(delete_link_group_request(7).unwrap()), DEL_GROUP);
    }

    /// An open file whose descriptor number is patched into the golden bytes.
    fn some_fd() -> std::fs::File {
        std::fs::File::open("/dev/null").unwrap()
    }

    fn with_fd(golden: &[u8], at: usize, fd: &std::fs::File) -> Vec<u8> {
        let mut g = golden.to_vec();
        g[at..at + 4].copy_from_slice(&(fd.as_raw_fd() as u32).to_ne_bytes());
        g
    }

    #[test]
    fn add_veth_matches_iproute2() {
        assert_eq!(
            sent(add_veth_request("veth0", Some(&b"veth1"[..]), None).unwrap()),
            ADD_VETH
        );
        assert_eq!(
            sent(add_veth_request("v0", None, None).unwrap()),
            ADD_VETH_NO_PEER
        );
        let v0 = LinkSpec::new("v0", LinkKind::Veth { peer: None });
        assert_eq!(sent(add_link_request(&v0).unwrap()), ADD_VETH_NO_PEER);
        let f = some_fd();
        let fd = std::os::fd::AsFd::as_fd(&f);
        assert_eq!(
            sent(add_veth_request("veth2", Some(&b"veth3"[..]), Some(fd)).unwrap()),
            with_fd(&ADD_VETH_NETNS, 84, &f)
        );
    }

    #[test]
    fn set_link_matches_iproute2() {
        let up = LinkChanges {
            up: Some(true),
            ..Default::default()
        };
        assert_eq!(sent(set_link_request(3, &up).unwrap()), SET_UP);
        let down = LinkChanges {
            up: Some(false),
            ..Default::default()
        };
        assert_eq!(sent(set_link_request(3, &down).unwrap()), SET_DOWN);
        let mtu = LinkChanges {
            mtu: Some(1400),
            ..Default::default()
        };
        assert_eq!(sent(set_link_request(3, &mtu).unwrap()), SET_MTU);
        let mac = [2, 0, 0, 0, 0, 1];
        let many = LinkChanges {
            up: Some(true),
            mtu: Some(1400),
            name: Some(&b"veth9"[..]),
            address: Some(&mac),
            ..Default::default()
        };
        assert_eq!(sent(set_link_request(3, &many).unwrap()), SET_MANY);
        let f = some_fd();
        let netns = LinkChanges {
            netns: Some(NetnsRef::Fd(std::os::fd::AsFd::as_fd(&f))),
            ..Default::default()
        };
        assert_eq!(
            sent(set_link_request(3, &netns).unwrap()),
            with_fd(&SET_NETNS_FD, 36, &f)
        );
        let pid = LinkChanges {
            netns: Some(NetnsRef::Pid(1)),
            ..Default::default()
        };
        assert_eq!(sent(set_link_request(2, &pid).unwrap()), SET_NETNS_PID);
    }

    #[test]
    fn delete_and_get_match_iproute2() {
        assert_eq!(sent(delete_link_request(4).unwrap()), DEL);
        let mut get = GET_BY_NAME;
        get[6] |= NLM_F_ACK as u8;
        assert_eq!(sent(get_link_by_name_request("veth0").unwrap()), get);
        let mut by_index = GET_BY_INDEX;
        by_index[6] |= NLM_F_ACK as u8;
        assert_eq!(sent(get_link_by_index_request(2).unwrap()), by_index);
        let mut dump = dump_links_request().unwrap();
        dump.add_flags(crate::netlink::header::NLM_F_DUMP);
        assert_eq!(dump.as_bytes(), DUMP);
    }

    #[test]
    fn bad_names_are_refused_before_sending() {
        assert!(matches!(
            add_veth_request("a234567890123456", Some(&b"b"[..]), None),
            Err(Error::Invalid(_))
        ));
        assert!(matches!(
            add_veth_request("a", Some(&b"b/c"[..]), None),
            Err(Error::Invalid(_))
        ));
        let rename = LinkChanges {
            name: Some(&b"x x"[..]),
            ..Default::default()
        };
        assert!(set_link_request(1, &rename).is_err());
    }
}

#[cfg(test)]
mod grammar_tests {
    //! Golden requests for the common attributes and kind changes: what
    //! iproute2 6.1 sent for each command (strace, `-e write=3`), seq and pid
    //! zeroed; veth1 was index 2, veth0 3, br0 4, vx1 9. The commands are in
    //! tests/golden/link/PROVENANCE.md too.

    use super::*;
    use crate::netlink::header::NLM_F_ACK;
    use crate::route::kind::VxlanParams;
    use crate::route::kind::{BridgeParams, BridgePortParams, MacvlanMode, MacvlanParams};
    use crate::route::link::LinkInfoChange;
    use std::os::fd::{AsFd, AsRawFd};

    fn sent(mut r: Request) -> Vec<u8> {
        r.add_flags(NLM_F_ACK);
        r.as_bytes().to_vec()
    }

    use crate::netlink::golden::hex;

    fn set(index: u32, c: &LinkChanges<'_>) -> Vec<u8> {
        sent(set_link_request(index, c).unwrap())
    }

    #[test]
    fn add_with_attributes_matches_iproute2() {
        // ip link add name A mtu 1400 type veth peer name B mtu 1300
        let peer = LinkChanges {
            name: Some(&b"B"[..]),
            mtu: Some(1300),
            ..LinkChanges::default()
        };
        let mut spec = LinkSpec::new("A", LinkKind::Veth { peer: Some(&peer) });
        spec.attrs.mtu = Some(1400);
        let want = hex(
            "64000000100005060000000000000000000000000000000000000000000000000800040078050000
             060003004100000034001200080001007665746828000200240001000000000000000000000000
             000000000008000400140500000600030042000000",
        );
        assert_eq!(sent(add_link_request(&spec).unwrap()), want);

        // ip link add vA up mtu 1400 address 02:00:00:00:00:0a broadcast
        //   ff:ff:ff:ff:ff:fe txqueuelen 500 alias hello group 3 numtxqueues 4
        //   numrxqueues 2 type veth peer name vB up mtu 1300 address
        //   02:00:00:00:00:0b txqlen 600 netns NS2   (the namespace was fd 4)
        let f = std::fs::File::open("/dev/null").unwrap();
        let peer = LinkChanges {
            name: Some(&b"vB"[..]),
            up: Some(true),
            mtu: Some(1300),
            address: Some(&[2, 0, 0, 0, 0, 0x0b]),
            txqlen: Some(600),
            netns: Some(NetnsRef::Fd(f.as_fd())),
            ..LinkChanges::default()
        };
        let mut spec = LinkSpec::new("vA", LinkKind::Veth { peer: Some(&peer) });
        spec.attrs = LinkChanges {
            up: Some(true),
            mtu: Some(1400),
            address: Some(&[2, 0, 0, 0, 0, 0x0a]),
            broadcast: Some(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]),
            txqlen: Some(500),
            alias: Some(&b"hello"[..]),
            group: Some(3),
            num_tx_queues: Some(4),
            num_rx_queues: Some(2),
            ..LinkChanges::default()
        };
        let mut want = hex(
            "c40000001000050600000000000000000000000000000000010000000100000008000400780500
             000a00010002000000000a00000a000200fffffffffffe000008000d00f40100000900140068656c
             6c6f00000008001b000300000008001f00040000000800200002000000070003007641000050001200
             080001007665746844000200400001000000000000000000010000000100000008000400140500000a
             00010002000000000b000008000d005802000008001c00040000000700030076420000",
        );
        let at = want.len() - 12;
        assert_eq!(want[at..at + 4], 4u32.to_ne_bytes());
        want[at..at + 4].copy_from_slice(&(f.as_raw_fd() as u32).to_ne_bytes());
        assert_eq!(sent(add_link_request(&spec).unwrap()), want);

        // ip link add link veth0 dev mv0 mtu 1500 type macvlan mode bridge
        let mut spec = LinkSpec::new(
            "mv0",
            LinkKind::Macvlan(MacvlanParams {
                mode: Some(MacvlanMode::Bridge),
            }),
        );
        spec.parent = Some(3);
        spec.attrs.mtu = Some(1500);
        let want = hex(
            "540000001000050600000000000000000000000000000000000000000000000008000400dc050000
             0800050003000000080003006d7630001c0012000b0001006d6163766c616e000c00020008000100
             04000000",
        );
        assert_eq!(sent(add_link_request(&spec).unwrap()), want);
    }

    #[test]
    fn vxlan_options_match_iproute2() {
        let add =
            |name, p| sent(add_link_request(&LinkSpec::new(name, LinkKind::Vxlan(p))).unwrap());
        // ip link add vx0 type vxlan external dstport 4789
        let want = hex(
            "540000001000050600000000000000000000000000000000000000000000000008000300767830
             002c0012000900010076786c616e0000001c0002000500190001000000050007000000000006000f
             0012b50000",
        );
        let p = VxlanParams {
            dstport: Some(4789),
            ..VxlanParams::external()
        };
        assert_eq!(add("vx0", p), want);
        // ip link add vx1 type vxlan id 7 ageing 300 maxaddress 10 proxy rsc
        //   l2miss l3miss udpcsum udp6zerocsumtx udp6zerocsumrx dstport 4789
        let want = hex(
            "9c000000100005060000000000000000000000000000000000000000000000000800030076783100
             740012000900010076786c616e00000064000200080008002c010000080009000a00000005000b00
             0100000005000c000100000005000d000100000005000e0001000000050012000100000005001300
             0100000005001400010000000800010007000000050007000100000006000f0012b50000",
        );
        let p = VxlanParams {
            ageing: Some(300),
            max_address: Some(10),
            proxy: Some(true),
            rsc: Some(true),
            l2miss: Some(true),
            l3miss: Some(true),
            udp_csum: Some(true),
            udp_zero_csum6_tx: Some(true),
            udp_zero_csum6_rx: Some(true),
            dstport: Some(4789),
            ..VxlanParams::new(7)
        };
        assert_eq!(add("vx1", p), want);
        // ip link add vx2 type vxlan external vnifilter dstport 4790
        let want = hex(
            "5c000000100005060000000000000000000000000000000000000000000000000800030076783200
             340012000900010076786c616e00000024000200050019000100000005001e000100000005000700
             0000000006000f0012b60000",
        );
        let p = VxlanParams {
            vnifilter: Some(true),
            dstport: Some(4790),
            ..VxlanParams::external()
        };
        assert_eq!(add("vx2", p), want);
        assert!(add_link_request(&LinkSpec::new(
            "v",
            LinkKind::Vxlan(VxlanParams {
                id: Some(1),
                ..VxlanParams::external()
            })
        ))
        .is_err());
    }

    #[test]
    fn set_attributes_match_iproute2() {
        // ip link set veth0 promisc on arp off multicast off allmulticast on
        let c = LinkChanges {
            promisc: Some(true),
            arp: Some(false),
            multicast: Some(false),
            allmulticast: Some(true),
            ..LinkChanges::default()
        };
        let want = hex("2000000010000500000000000000000000000000030000008003000080130000");
        assert_eq!(set(3, &c), want);
        // ip link set veth0 down arp on
        let c = LinkChanges {
            up: Some(false),
            arp: Some(true),
            ..LinkChanges::default()
        };
        let want = hex("2000000010000500000000000000000000000000030000000000000081000000");
        assert_eq!(set(3, &c), want);
        // ip link set veth0 mtu 1450 address 02:42:ac:11:000:03 broadcast
        //   ff:ff:ff:ff:ff:fe txqueuelen 2000 alias hello group 5
        let c = LinkChanges {
            mtu: Some(1450),
            address: Some(&[2, 0x42, 0xac, 0x11, 0, 3]),
            broadcast: Some(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]),
            txqlen: Some(2000),
            alias: Some(&b"hello"[..]),
            group: Some(5),
            ..LinkChanges::default()
        };
        let want = hex(
            "5c0000001000050000000000000000000000000003000000000000000000000008000400aa050000
             0a0001000242ac11000300000a000200fffffffffffe000008000d00d00700000900140068656c6c
             6f00000008001b0005000000",
        );
        assert_eq!(set(3, &c), want);
    }

    #[test]
    fn kind_changes_match_iproute2() {
        // ip link set br0 type bridge stp_state 1 forward_delay 400
        let c = LinkChanges {
            info: Some(LinkInfoChange::Kind(LinkKind::Bridge(BridgeParams {
                stp_state: Some(1),
                forward_delay: Some(400),
                ..Default::default()
            }))),
            ..LinkChanges::default()
        };
        let want = hex(
            "4400000010000500000000000000000000000000040000000000000000000000240012000a000100
             62726964676500001400020008000500010000000800010090010000",
        );
        assert_eq!(set(4, &c), want);
        // ip link set veth1 type bridge_slave state 3 priority 10 cost 5 hairpin on
        //   guard on learning off flood off mcast_flood off neigh_suppress on isolated on
        let port = BridgePortParams {
            state: Some(3),
            priority: Some(10),
            cost: Some(5),
            hairpin: Some(true),
            guard: Some(true),
            learning: Some(false),
            flood: Some(false),
            mcast_flood: Some(false),
            neigh_suppress: Some(true),
            isolated: Some(true),
            ..BridgePortParams::default()
        };
        let c = LinkChanges {
            info: Some(LinkInfoChange::BridgePort(port)),
            ..LinkChanges::default()
        };
        let want = hex(
            "880000001000050000000000000000000000000002000000000000000000000068001200100001
             006272696467655f736c617665540005000500010003000000060002000a00000008000300050000
             00050004000100000005000500010000000500080000000000050009000000000005001b00000000
             0005002000010000000500210001000000",
        );
        assert_eq!(set(2, &c), want);
        // ip link set vx1 type vxlan ageing 200 nolearning
        let vx = VxlanParams {
            id: None,
            ageing: Some(200),
            learning: false,
            ..VxlanParams::new(0)
        };
        let c = LinkChanges {
            info: Some(LinkInfoChange::Kind(LinkKind::Vxlan(vx))),
            ..LinkChanges::default()
        };
        let want = hex(
            "4400000010000500000000000000000000000000090000000000000000000000240012000900010076
             786c616e0000001400020008000800c80000000500070000000000",
        );
        assert_eq!(set(9, &c), want);
        // ip link set vx1 type vxlan id 8   (the kernel: "Cannot change VNI")
        let vx = VxlanParams {
            keep_learning: true,
            ..VxlanParams::new(8)
        };
        let c = LinkChanges {
            info: Some(LinkInfoChange::Kind(LinkKind::Vxlan(vx))),
            ..LinkChanges::default()
        };
        let want = hex(
            "3c000000100005000000000000000000000000000900000000000000000000001c0012000900010076
             786c616e0000000c0002000800010008000000",
        );
        assert_eq!(set(9, &c), want);
    }

    #[test]
    fn long_names_go_as_altnames() {
        let c = LinkChanges {
            mtu: Some(1300),
            ..LinkChanges::default()
        };
        let r = sent(set_link_request_for(LinkRef::Name(b"averyveryverylongaltname"), &c).unwrap());
        // IFLA_ALT_IFNAME (53) after IFLA_MTU.
        assert_eq!(&r[40..44], &[29, 0, 53, 0]);
        let g = sent(get_link_by_name_request("averyveryverylongaltname").unwrap());
        assert_eq!(&g[40..44], &[29, 0, 53, 0]);
        assert!(set_link_request_for(LinkRef::Name("x".repeat(128).as_bytes()), &c).is_err());
    }
}
