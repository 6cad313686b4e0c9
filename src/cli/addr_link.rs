//! The link part of `rawnet addr show` and index-to-name lookups for
//! `addr` and `route`: a minimal reader of `RTM_NEWLINK` and the header lines
//! `ip addr show` prints for each link, text and JSON.
//!
//! Stand-in until the link formatter of `cli/link.rs` can be shared: the two
//! should be unified (same header line as `ip link show`).

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use rawnet::error::Error;
use rawnet::netlink::{Connection, Message, MessageBuilder};
use rawnet::route::link::{
    IfInfoMsg, IFLA_ADDRESS, IFLA_BROADCAST, IFLA_EXT_MASK, IFLA_GROUP, IFLA_IFNAME, IFLA_LINK,
    IFLA_LINKMODE, IFLA_LINK_NETNSID, IFLA_MASTER, IFLA_MTU, IFLA_OPERSTATE, IFLA_QDISC,
    IFLA_TXQLEN, RTEXT_FILTER_SKIP_STATS, RTEXT_FILTER_VF,
};
use rawnet::route::{RTM_GETLINK, RTM_NEWLINK};

use super::super::json::Json;

/// What `ip addr show` prints about a link.
#[derive(Debug, Clone, Default)]
pub struct LinkHeader {
    pub index: u32,
    pub link_type: u16,
    pub flags: u32,
    pub name: String,
    pub mtu: Option<u32>,
    pub qdisc: Option<String>,
    pub master: Option<u32>,
    pub operstate: Option<u8>,
    pub linkmode: Option<u8>,
    pub group: Option<u32>,
    pub txqlen: Option<u32>,
    pub address: Option<Vec<u8>>,
    pub broadcast: Option<Vec<u8>>,
    /// `IFLA_LINK`: the peer/parent index.
    pub link: Option<u32>,
    pub link_netnsid: Option<i32>,
}

impl LinkHeader {
    /// Read an `RTM_NEWLINK`; attributes that do not decode are left out.
    pub fn parse(msg: &Message<'_>) -> Result<LinkHeader, Error> {
        let (ifi, attrs) = msg.fixed::<IfInfoMsg>("ifinfomsg")?;
        let mut h = LinkHeader {
            index: ifi.ifi_index as u32,
            link_type: ifi.ifi_type,
            flags: ifi.ifi_flags,
            ..Default::default()
        };
        for attr in attrs {
            let attr = attr?;
            match attr.kind() {
                IFLA_IFNAME => {
                    h.name = attr
                        .c_str()
                        .map_err(|e| e.named("IFLA_IFNAME"))?
                        .to_string()
                }
                IFLA_MTU => h.mtu = attr.u32().ok(),
                IFLA_QDISC => h.qdisc = attr.c_str().ok().map(str::to_string),
                IFLA_MASTER => h.master = attr.u32().ok(),
                IFLA_OPERSTATE => h.operstate = attr.u8().ok(),
                IFLA_LINKMODE => h.linkmode = attr.u8().ok(),
                IFLA_GROUP => h.group = attr.u32().ok(),
                IFLA_TXQLEN => h.txqlen = attr.u32().ok(),
                IFLA_ADDRESS => h.address = Some(attr.payload().to_vec()),
                IFLA_BROADCAST => h.broadcast = Some(attr.payload().to_vec()),
                IFLA_LINK => h.link = attr.u32().ok(),
                IFLA_LINK_NETNSID => h.link_netnsid = attr.i32().ok(),
                _ => {}
            }
        }
        Ok(h)
    }
}

/// `RTM_GETLINK` of `family`: iproute2 asks with `-4`/`-6`'s family. An
/// `AF_INET6` dump is answered by IPv6's own handler (fewer attributes), which
/// under strict checking takes no attributes.
fn link_request(family: u8, index: u32) -> Result<rawnet::netlink::Request, Error> {
    let mut m = MessageBuilder::new(RTM_GETLINK, 0);
    m.header(&IfInfoMsg {
        ifi_family: family,
        ifi_index: index as i32,
        ..Default::default()
    });
    if !(index == 0 && family == libc::AF_INET6 as u8) {
        m.put_u32(IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS);
    }
    m.finish()
}

/// Every link, in kernel order, as the kernel describes them to `family` (0: all).
pub fn dump_links(conn: &mut Connection, family: u8) -> Result<Vec<LinkHeader>, Error> {
    conn.dump_collect(link_request(family, 0)?, |msg| {
        if msg.message_type() != RTM_NEWLINK {
            return Ok(None);
        }
        LinkHeader::parse(&msg).map(Some)
    })
}

/// One link by index (`RTM_GETLINK` for that index); `None` when it does not exist.
pub fn get_link(
    conn: &mut Connection,
    family: u8,
    index: u32,
) -> Result<Option<LinkHeader>, Error> {
    let mut found = None;
    let r = conn.request(link_request(family, index)?, |msg| {
        if msg.message_type() == RTM_NEWLINK {
            found = Some(LinkHeader::parse(&msg)?);
        }
        Ok(())
    });
    match r {
        Ok(()) => Ok(found),
        Err(Error::Kernel(k)) if k.errno == libc::ENODEV => Ok(None),
        Err(e) => Err(e),
    }
}

/// Fill in `txqlen` where the kernel left it out (IPv6's link dump does):
/// iproute2 asks with an ioctl, we ask for the link itself.
pub fn fill_txqlen(conn: &mut Connection, links: &mut [LinkHeader]) -> Result<(), Error> {
    for l in links.iter_mut().filter(|l| l.txqlen.is_none()) {
        if let Some(full) = get_link(conn, 0, l.index)? {
            l.txqlen = full.txqlen;
        }
    }
    Ok(())
}

/// Index-to-name lookups, cached, as iproute2's `ll_index_to_name` ("if%u" when unknown).
/// Also keeps each link's `IFF_*` flags (for `M-DOWN`).
#[derive(Default)]
pub struct LinkNames {
    links: HashMap<u32, (String, Option<u32>)>,
    /// `(nsid, name)` of the /run/netns entries, read on first need.
    netns: Option<Vec<(i32, String)>>,
}

impl LinkNames {
    pub fn remember(&mut self, h: &LinkHeader) {
        self.links.insert(h.index, (h.name.clone(), Some(h.flags)));
    }

    fn lookup(
        &mut self,
        conn: &mut Connection,
        index: u32,
    ) -> Result<&(String, Option<u32>), Error> {
        if let Entry::Vacant(slot) = self.links.entry(index) {
            let entry = match get_link(conn, 0, index)? {
                Some(h) => (h.name, Some(h.flags)),
                None => (format!("if{index}"), None),
            };
            slot.insert(entry);
        }
        self.links.get(&index).ok_or(Error::Truncated {
            what: "link name cache",
        })
    }

    pub fn name(&mut self, conn: &mut Connection, index: u32) -> Result<String, Error> {
        Ok(self.lookup(conn, index)?.0.clone())
    }

    /// The /run/netns name of namespace id `id`, as iproute2's `link-netns NAME`.
    pub fn netns_name(&mut self, conn: &mut Connection, id: i32) -> Option<String> {
        let names = self
            .netns
            .get_or_insert_with(|| super::super::link::nsid::named_ids(conn));
        names.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone())
    }

    /// The link's flags; `None` when it does not exist.
    pub fn flags(&mut self, conn: &mut Connection, index: u32) -> Result<Option<u32>, Error> {
        Ok(self.lookup(conn, index)?.1)
    }
}

const IFF_RUNNING: u32 = 0x40;
/// Flag names in iproute2's order (`print_link_flags`).
const LINK_FLAGS: &[(u32, &str)] = &[
    (0x8, "LOOPBACK"),
    (0x2, "BROADCAST"),
    (0x10, "POINTOPOINT"),
    (0x1000, "MULTICAST"),
    (0x80, "NOARP"),
    (0x200, "ALLMULTI"),
    (0x100, "PROMISC"),
    (0x400, "MASTER"),
    (0x800, "SLAVE"),
    (0x4, "DEBUG"),
    (0x8000, "DYNAMIC"),
    (0x4000, "AUTOMEDIA"),
    (0x2000, "PORTSEL"),
    (0x20, "NOTRAILERS"),
    (0x1, "UP"),
    (0x10000, "LOWER_UP"),
    (0x20000, "DORMANT"),
    (0x40000, "ECHO"),
];

/// The `<...>` flag words, in order; `M-DOWN` when the lower link is down;
/// unknown bits as one hex word.
pub fn link_flag_names(flags: u32, master_down: bool) -> Vec<String> {
    let mut out = Vec::new();
    if flags & 0x1 != 0 && flags & IFF_RUNNING == 0 {
        out.push("NO-CARRIER".to_string());
    }
    let mut rest = flags & !IFF_RUNNING;
    for &(bit, name) in LINK_FLAGS {
        if rest & bit != 0 {
            out.push(name.to_string());
            rest &= !bit;
        }
    }
    if master_down {
        out.push("M-DOWN".to_string());
    }
    if rest != 0 {
        out.push(format!("{rest:x}"));
    }
    out
}

/// iproute2's `M-DOWN`: the link's `IFLA_LINK` (same namespace) is not up.
fn master_down(
    conn: &mut Connection,
    names: &mut LinkNames,
    h: &LinkHeader,
) -> Result<bool, Error> {
    match (h.link, h.link_netnsid) {
        (Some(i), None) if i != 0 => Ok(names.flags(conn, i)?.is_some_and(|f| f & 0x1 == 0)),
        _ => Ok(false),
    }
}

fn operstate_name(s: u8) -> String {
    match s {
        0 => "UNKNOWN".into(),
        1 => "NOTPRESENT".into(),
        2 => "DOWN".into(),
        3 => "LOWERLAYERDOWN".into(),
        4 => "TESTING".into(),
        5 => "DORMANT".into(),
        6 => "UP".into(),
        n => format!("{n:x}"),
    }
}

fn link_type_name(t: u16) -> String {
    match t {
        1 => "ether".into(),
        772 => "loopback".into(),
        776 => "sit".into(),
        768 => "ipip".into(),
        778 => "gre".into(),
        823 => "ip6gre".into(),
        65534 => "none".into(),
        n => format!("[{n}]"),
    }
}

fn hw_addr(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn group_name(g: u32) -> String {
    if g == 0 {
        "default".into()
    } else {
        g.to_string()
    }
}

/// The `@peer` part: a name, or `if%d` when the peer is in another namespace.
fn peer_name(
    conn: &mut Connection,
    names: &mut LinkNames,
    h: &LinkHeader,
) -> Result<Option<String>, Error> {
    match (h.link, h.link_netnsid) {
        (None, _) => Ok(None),
        (Some(0), _) => Ok(Some("NONE".into())),
        (Some(i), Some(_)) => Ok(Some(format!("if{i}"))),
        (Some(i), None) => names.name(conn, i).map(Some),
    }
}

/// The header lines of `ip addr show` for one link (text). `link_line`: print
/// the `link/...` line (iproute2 leaves it out under `-4`/`-6`).
pub fn header_text(
    conn: &mut Connection,
    names: &mut LinkNames,
    h: &LinkHeader,
    link_line: bool,
) -> Result<String, Error> {
    let mut s = format!("{}: {}", h.index, h.name);
    if let Some(p) = peer_name(conn, names, h)? {
        s.push('@');
        s.push_str(&p);
    }
    let mdown = master_down(conn, names, h)?;
    s.push_str(&format!(
        ": <{}> ",
        link_flag_names(h.flags, mdown).join(",")
    ));
    if let Some(mtu) = h.mtu {
        s.push_str(&format!("mtu {mtu} "));
    }
    if let Some(q) = &h.qdisc {
        s.push_str(&format!("qdisc {q} "));
    }
    if let Some(m) = h.master {
        s.push_str(&format!("master {} ", names.name(conn, m)?));
    }
    if let Some(o) = h.operstate {
        s.push_str(&format!("state {} ", operstate_name(o)));
    }
    if h.linkmode == Some(1) {
        s.push_str("mode DORMANT ");
    }
    if let Some(g) = h.group {
        s.push_str(&format!("group {} ", group_name(g)));
    }
    if let Some(q) = h.txqlen.filter(|&q| q != 0) {
        s.push_str(&format!("qlen {q}"));
    }
    s.push('\n');
    if link_line {
        s.push_str(&format!("    link/{} ", link_type_name(h.link_type)));
        if let Some(a) = &h.address {
            s.push_str(&hw_addr(a));
        }
        if let Some(b) = &h.broadcast {
            let word = if h.flags & 0x10 != 0 { "peer" } else { "brd" };
            s.push_str(&format!(" {word} {}", hw_addr(b)));
        }
        if let Some(n) = h.link_netnsid {
            match (n >= 0, names.netns_name(conn, n)) {
                (true, Some(name)) => s.push_str(&format!(" link-netns {name}")),
                (true, None) => s.push_str(&format!(" link-netnsid {n}")),
                (false, _) => s.push_str(" link-netnsid unknown"),
            }
        }
        s.push('\n');
    }
    Ok(s)
}

/// The link keys of `ip -j addr show` for one link, inside an open object.
pub fn header_json(
    j: &mut Json,
    conn: &mut Connection,
    names: &mut LinkNames,
    h: &LinkHeader,
    link_keys: bool,
) -> Result<(), Error> {
    j.num("ifindex", h.index);
    match (h.link, h.link_netnsid) {
        (Some(i), Some(_)) => j.num("link_index", i),
        (Some(_), None) => {
            if let Some(p) = peer_name(conn, names, h)? {
                j.str("link", &p);
            }
        }
        _ => {}
    }
    j.str("ifname", &h.name);
    let mdown = master_down(conn, names, h)?;
    j.key_array("flags");
    for f in link_flag_names(h.flags, mdown) {
        j.elem_str(&f);
    }
    j.end_array();
    if let Some(mtu) = h.mtu {
        j.num("mtu", mtu);
    }
    if let Some(q) = &h.qdisc {
        j.str("qdisc", q);
    }
    if let Some(m) = h.master {
        let n = names.name(conn, m)?;
        j.str("master", &n);
    }
    if let Some(o) = h.operstate {
        j.str("operstate", &operstate_name(o));
    }
    if let Some(g) = h.group {
        j.str("group", &group_name(g));
    }
    if let Some(q) = h.txqlen.filter(|&q| q != 0) {
        j.num("txqlen", q);
    }
    if link_keys {
        j.str("link_type", &link_type_name(h.link_type));
        if let Some(a) = &h.address {
            j.str("address", &hw_addr(a));
        }
        if let Some(b) = &h.broadcast {
            j.str(
                if h.flags & 0x10 != 0 {
                    "link_pointtopoint"
                } else {
                    "broadcast"
                },
                &hw_addr(b),
            );
        }
        if let Some(n) = h.link_netnsid {
            j.num("link_netnsid", n);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_words_follow_iproute2() {
        assert_eq!(
            link_flag_names(0x1 | 0x2 | 0x1000 | 0x40 | 0x10000, false),
            ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"]
        );
        assert_eq!(
            link_flag_names(0x1 | 0x2 | 0x1000, false),
            ["NO-CARRIER", "BROADCAST", "MULTICAST", "UP"]
        );
        assert_eq!(
            link_flag_names(0x8 | 0x1 | 0x40 | 0x10000, false),
            ["LOOPBACK", "UP", "LOWER_UP"]
        );
        assert_eq!(link_flag_names(0x8000_0000, false), ["80000000"]);
        assert_eq!(
            link_flag_names(0x2 | 0x1000, true),
            ["BROADCAST", "MULTICAST", "M-DOWN"]
        );
    }
}
