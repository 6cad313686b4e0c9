//! Link headers as iproute2 6.1 prints them (`print_linkinfo`,
//! `print_name_and_link`, `print_link_flags`), text and JSON, keys and order
//! included: all of `rawnet link show`, and the per-link part of `rawnet addr
//! show` ([`HeaderStyle`] says which). With `-d`: promiscuity, allmulti,
//! min/max MTU, the link kind and its parameters (`details/`), a
//! port's master kind and its parameters, addrgenmode, queues and GSO/TSO/GRO
//! limits.

use std::fmt::Write;

use rawnet::netlink::Connection;
use rawnet::route::link::{self as rlink, LinkFlags, LinkInfo};
use rawnet::Error;

use rawnet::route::kind::{KindData, SlaveData};

use super::nsid;
use crate::cli::arg_errors::invalid_arg;
use crate::cli::json::Json;
use crate::cli::link_lookup::LinkNames;
use crate::cli::lladdr::lladdr_text;
use crate::cli::{CliError, Context};

use super::details;
use details::Out;

/// Show one link (`dev`) or all of them.
pub fn run(ctx: &Context, dev: Option<&str>) -> Result<i32, CliError> {
    let mut conn = ctx.rtnl()?;
    let links = match dev {
        None => rlink::dump_links(&mut conn).map_err(CliError::from)?,
        Some(d) => vec![rlink::get_link(&mut conn, d).map_err(|e| match e {
            Error::NotFound(_) => CliError::new(1, format!("Device \"{d}\" does not exist.")),
            e => CliError::from(e),
        })?],
    };
    print_links(ctx, conn, &links)
}

/// Show the ports of `master` (`link show master BR`), with the kernel
/// filtering the dump as for iproute2.
pub fn run_master(ctx: &Context, master: &str) -> Result<i32, CliError> {
    let mut conn = ctx.rtnl()?;
    let index = rlink::link_index(&mut conn, master)
        .map_err(|_| invalid_arg(master, "Device does not exist"))?;
    let links = rlink::dump_ports(&mut conn, index).map_err(CliError::from)?;
    print_links(ctx, conn, &links)
}

fn print_links(ctx: &Context, conn: Connection, links: &[LinkInfo]) -> Result<i32, CliError> {
    let style = HeaderStyle {
        link_command: true,
        link_line: true,
        details: ctx.details,
    };
    let mut lookups = Lookups::new(conn, links);
    let out = if ctx.json {
        let mut j = Json::new(ctx.pretty);
        j.begin_array();
        for l in links {
            j.begin_object();
            header_json(&mut j, &mut lookups, l, style)?;
            j.end_object();
        }
        j.end_array();
        j.finish()
    } else {
        let mut s = String::new();
        for l in links {
            header_text(&mut s, &mut lookups, l, style)?;
        }
        s
    };
    print!("{out}");
    Ok(0)
}

/// What `ip link show` and `ip addr show` print differently about a link.
#[derive(Debug, Clone, Copy)]
pub struct HeaderStyle {
    /// `ip link` rather than `ip addr` (iproute2's `do_link`): `mode`,
    /// `alias`, and with details `addrgenmode`.
    pub link_command: bool,
    /// The `link/TYPE ADDR brd ADDR` part; `ip addr` leaves it out under
    /// `-4`/`-6` unless details are asked for.
    pub link_line: bool,
    /// `-d`.
    pub details: bool,
}

/// The header of link `l` (text): the flags line, the `link/` line per
/// `style`, and the newline that ends them.
pub fn header_text(
    s: &mut String,
    lookups: &mut Lookups,
    l: &LinkInfo,
    style: HeaderStyle,
) -> Result<(), CliError> {
    let shown = lookups.shown(l, style.details).map_err(CliError::from)?;
    let netns = l
        .link_netnsid
        .filter(|&id| id >= 0)
        .and_then(|id| lookups.netns_name(id));
    text_link(s, &shown, netns.as_deref(), style);
    Ok(())
}

/// The keys of link `l` (JSON), written into an object the caller has opened.
pub fn header_json(
    j: &mut Json,
    lookups: &mut Lookups,
    l: &LinkInfo,
    style: HeaderStyle,
) -> Result<(), CliError> {
    let shown = lookups.shown(l, style.details).map_err(CliError::from)?;
    json_link(j, &shown, style);
    Ok(())
}

/// What a link's `IFLA_LINK` shows as.
enum Peer {
    /// No `IFLA_LINK`.
    Absent,
    /// `IFLA_LINK` 0: `@NONE`, JSON `"link": null`.
    Zero,
    /// A link in this namespace: its name (or `ifN` when it cannot be found).
    Here(String),
    /// A link in the namespace `IFLA_LINK_NETNSID` names: `@ifN`, JSON `link_index`.
    Elsewhere(u32),
}

/// A link with the names its output refers to.
struct Shown<'a> {
    l: &'a LinkInfo,
    peer: Peer,
    /// The linked device (in this namespace) is down or missing: `M-DOWN`.
    mdown: bool,
    master: Option<String>,
    /// With details: the kind's and the port's decoded data, and the names
    /// they refer to.
    kind_data: Option<KindData>,
    slave_data: Option<SlaveData>,
    names: details::Names,
}

/// The connection and what has been looked up with it: link names and
/// flags (from the links shown, then GETs or one dump), namespace names.
pub struct Lookups {
    conn: Connection,
    names: LinkNames,
    netns_names: Option<Vec<(i32, String)>>,
}

impl Lookups {
    /// Lookups over `conn`, knowing `links` already.
    pub fn new(conn: Connection, links: &[LinkInfo]) -> Lookups {
        let mut names = LinkNames::default();
        for l in links {
            names.remember(l);
        }
        Lookups {
            conn,
            names,
            netns_names: None,
        }
    }

    fn shown<'a>(&mut self, l: &'a LinkInfo, details: bool) -> Result<Shown<'a>, Error> {
        let conn = &mut self.conn;
        let mut mdown = false;
        let peer = match l.link {
            None => Peer::Absent,
            Some(0) => Peer::Zero,
            Some(i) if l.link_netnsid.is_some() => Peer::Elsewhere(i),
            Some(i) => {
                // iproute2's ll_index_to_flags gives all bits (-1) for a link it
                // cannot find, so a missing peer is never `M-DOWN`.
                mdown = self
                    .names
                    .flags(conn, i)?
                    .is_some_and(|f| !f.contains(LinkFlags::UP));
                Peer::Here(self.names.name(conn, i)?)
            }
        };
        let master = match l.master {
            Some(m) => Some(self.names.name(conn, m)?),
            None => None,
        };
        let (mut kind_data, mut slave_data) = (None, None);
        let mut names = details::Names::default();
        if details {
            kind_data = l.kind_data()?;
            slave_data = l.slave_data()?;
            let link = match &kind_data {
                Some(KindData::Vxlan(v)) => v.link,
                Some(KindData::Ipip(t) | KindData::Gre(t)) => t.link,
                _ => None,
            };
            if let Some(i) = link.filter(|&i| i != 0) {
                names.link = Some(self.names.name(conn, i)?);
            }
            if let Some(SlaveData::Bridge(p)) = &slave_data {
                if let Some(i) = p.backup_port {
                    names.backup_port = Some(self.names.name(conn, i)?);
                }
            }
        }
        Ok(Shown {
            l,
            peer,
            mdown,
            master,
            kind_data,
            slave_data,
            names,
        })
    }

    fn netns_name(&mut self, id: i32) -> Option<String> {
        let conn = &mut self.conn;
        let names = self
            .netns_names
            .get_or_insert_with(|| nsid::named_ids(conn));
        names.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone())
    }
}

/// The flag words of `print_link_flags`, in its order.
fn flag_words(flags: LinkFlags, mdown: bool) -> Vec<String> {
    const NAMES: [(LinkFlags, &str); 18] = [
        (LinkFlags::LOOPBACK, "LOOPBACK"),
        (LinkFlags::BROADCAST, "BROADCAST"),
        (LinkFlags::POINTOPOINT, "POINTOPOINT"),
        (LinkFlags::MULTICAST, "MULTICAST"),
        (LinkFlags::NOARP, "NOARP"),
        (LinkFlags::ALLMULTI, "ALLMULTI"),
        (LinkFlags::PROMISC, "PROMISC"),
        (LinkFlags::MASTER, "MASTER"),
        (LinkFlags::SLAVE, "SLAVE"),
        (LinkFlags::DEBUG, "DEBUG"),
        (LinkFlags::DYNAMIC, "DYNAMIC"),
        (LinkFlags::AUTOMEDIA, "AUTOMEDIA"),
        (LinkFlags::PORTSEL, "PORTSEL"),
        (LinkFlags::NOTRAILERS, "NOTRAILERS"),
        (LinkFlags::UP, "UP"),
        (LinkFlags::LOWER_UP, "LOWER_UP"),
        (LinkFlags::DORMANT, "DORMANT"),
        (LinkFlags::ECHO, "ECHO"),
    ];
    let mut words = Vec::new();
    if flags.contains(LinkFlags::UP) && !flags.contains(LinkFlags::RUNNING) {
        words.push("NO-CARRIER".to_string());
    }
    let mut rest = flags.bits() & !LinkFlags::RUNNING.bits();
    for (f, name) in NAMES {
        if rest & f.bits() != 0 {
            rest &= !f.bits();
            words.push(name.to_string());
        }
    }
    if rest != 0 {
        words.push(format!("{rest:x}"));
    }
    if mdown {
        words.push("M-DOWN".to_string());
    }
    words
}

const OPER_STATES: [&str; 7] = [
    "UNKNOWN",
    "NOTPRESENT",
    "DOWN",
    "LOWERLAYERDOWN",
    "TESTING",
    "DORMANT",
    "UP",
];
const LINK_MODES: [&str; 2] = ["DEFAULT", "DORMANT"];
const ADDR_GEN_MODES: [&str; 4] = ["eui64", "none", "stable_secret", "random"];

/// `rtnl_group_n2a` without /etc/iproute2/group: 0 is "default".
fn group_name(g: u32) -> String {
    if g == 0 {
        "default".to_string()
    } else {
        g.to_string()
    }
}

/// iproute2's `ll_type_n2a`: the name of an `ARPHRD_*` type, `[N]` when unknown.
fn link_type_name(t: u16) -> String {
    let name = match t {
        0 => "netrom",
        1 => "ether",
        2 => "eether",
        3 => "ax25",
        4 => "pronet",
        5 => "chaos",
        6 => "ieee802",
        7 => "arcnet",
        8 => "appletlk",
        15 => "dlci",
        19 => "atm",
        23 => "metricom",
        24 => "ieee1394",
        27 => "eui64",
        32 => "infiniband",
        256 => "slip",
        257 => "cslip",
        258 => "slip6",
        259 => "cslip6",
        260 => "rsrvd",
        264 => "adapt",
        270 => "rose",
        271 => "x25",
        272 => "hwx25",
        280 => "can",
        512 => "ppp",
        513 => "cisco",
        516 => "lapb",
        517 => "ddcmp",
        518 => "rawhdlc",
        519 => "rawip",
        768 => "ipip",
        769 => "tunnel6",
        770 => "frad",
        771 => "skip",
        772 => "loopback",
        773 => "localtlk",
        774 => "fddi",
        775 => "bif",
        776 => "sit",
        777 => "ip/ddp",
        778 => "gre",
        779 => "pimreg",
        780 => "hippi",
        781 => "ash",
        782 => "econet",
        783 => "irda",
        784 => "fcpp",
        785 => "fcal",
        786 => "fcpl",
        787 => "fcfb0",
        800 => "tr",
        801 => "tr+rif",
        802 => "ieee802.11",
        803 => "ieee802.11/prism",
        804 => "ieee802.11/radiotap",
        805 => "ieee802.15.4",
        806 => "ieee802.15.4/monitor",
        820 => "phonet",
        821 => "phonet_pipe",
        822 => "caif",
        823 => "gre6",
        824 => "netlink",
        825 => "6lowpan",
        826 => "vsockmon",
        0xfffe => "none",
        0xffff => "void",
        _ => return format!("[{t}]"),
    };
    name.to_string()
}

/// iproute2's `ll_addr_n2a`: dotted IPv4 / IPv6 for tunnels, else colon hex.
fn lladdr(bytes: &[u8], link_type: u16) -> String {
    const TUNNEL: u16 = 768;
    const SIT: u16 = 776;
    const IPGRE: u16 = 778;
    const TUNNEL6: u16 = 769;
    const IP6GRE: u16 = 823;
    if let Ok(a) = <[u8; 4]>::try_from(bytes) {
        if matches!(link_type, TUNNEL | SIT | IPGRE) {
            return std::net::Ipv4Addr::from(a).to_string();
        }
    }
    if let Ok(a) = <[u8; 16]>::try_from(bytes) {
        if matches!(link_type, TUNNEL6 | IP6GRE) {
            return std::net::Ipv6Addr::from(a).to_string();
        }
    }
    lladdr_text(bytes)
}

fn text_link(s: &mut String, v: &Shown<'_>, netns: Option<&str>, style: HeaderStyle) {
    let l = v.l;
    let _ = write!(s, "{}: {}", l.index, l.name.as_deref().unwrap_or("<nil>"));
    let _ = match &v.peer {
        Peer::Absent => write!(s, ": "),
        Peer::Zero => write!(s, "@NONE: "),
        Peer::Here(name) => write!(s, "@{name}: "),
        Peer::Elsewhere(i) => write!(s, "@if{i}: "),
    };
    let _ = write!(s, "<{}> ", flag_words(l.flags, v.mdown).join(","));
    if let Some(mtu) = l.mtu {
        let _ = write!(s, "mtu {mtu} ");
    }
    if let Some(q) = &l.qdisc {
        let _ = write!(s, "qdisc {q} ");
    }
    if let Some(m) = &v.master {
        let _ = write!(s, "master {m} ");
    }
    if let Some(st) = l.operstate {
        let _ = match OPER_STATES.get(st as usize) {
            Some(name) => write!(s, "state {name} "),
            None => write!(s, "state {st:#x}"),
        };
    }
    if let Some(mode) = l.linkmode.filter(|_| style.link_command) {
        let _ = match LINK_MODES.get(mode as usize) {
            Some(name) => write!(s, "mode {name} "),
            None => write!(s, "mode {mode} "),
        };
    }
    if let Some(g) = l.group {
        let _ = write!(s, "group {} ", group_name(g));
    }
    if let Some(q) = l.txqlen.filter(|&q| q != 0) {
        let _ = write!(s, "qlen {q}");
    }
    if style.link_line {
        let _ = write!(s, "\n    link/{} ", link_type_name(l.link_type));
        if let Some(a) = &l.address {
            s.push_str(&lladdr(a, l.link_type));
        }
        if let Some(b) = &l.broadcast {
            s.push_str(if l.flags.contains(LinkFlags::POINTOPOINT) {
                " peer "
            } else {
                " brd "
            });
            s.push_str(&lladdr(b, l.link_type));
        }
    }
    if let Some(id) = l.link_netnsid {
        let _ = match (id >= 0, netns) {
            (true, Some(name)) => write!(s, " link-netns {name}"),
            (true, None) => write!(s, " link-netnsid {id}"),
            (false, _) => write!(s, " link-netnsid unknown"),
        };
    }
    if l.proto_down.is_some_and(|p| p != 0) {
        s.push_str(" protodown on ");
    }
    if style.details {
        text_details(s, v, style.link_command);
    }
    if let Some(alias) = l.alias.as_ref().filter(|_| alias_shown(style)) {
        let _ = write!(s, "\n    alias {alias}");
    }
    s.push('\n');
}

/// iproute2 prints the alias for `ip link`, and for `ip addr` only with details.
fn alias_shown(style: HeaderStyle) -> bool {
    style.link_command || style.details
}

/// The `-d` part; `addrgenmode` only for `ip link` (`link_command`), as iproute2.
fn text_details(s: &mut String, v: &Shown<'_>, link_command: bool) {
    let l = v.l;
    let mut num = |fmt_key: &str, v: Option<u32>| {
        if let Some(v) = v {
            let _ = write!(s, "{fmt_key}{v} ");
        }
    };
    num(" promiscuity ", l.promiscuity);
    num(" allmulti ", l.allmulti);
    num("minmtu ", l.min_mtu);
    num("maxmtu ", l.max_mtu);
    if let Some(kind) = &l.kind {
        let _ = write!(s, "\n    {kind} ");
        if let Some(data) = &v.kind_data {
            details::kind(&mut Out::Text(s), data, &v.names);
        }
    }
    if let Some(kind) = &l.slave_kind {
        let _ = write!(s, "\n    {kind}_slave ");
        if let Some(data) = &v.slave_data {
            details::slave(&mut Out::Text(s), data, &v.names);
        }
    }
    if let Some(m) = l.inet6_addr_gen_mode.filter(|_| link_command) {
        let _ = match ADDR_GEN_MODES.get(m as usize) {
            Some(name) => write!(s, "addrgenmode {name} "),
            None => write!(s, "addrgenmode {m:#04x} "),
        };
    }
    let mut num = |fmt_key: &str, v: Option<u32>| {
        if let Some(v) = v {
            let _ = write!(s, "{fmt_key}{v} ");
        }
    };
    num("numtxqueues ", l.num_tx_queues);
    num("numrxqueues ", l.num_rx_queues);
    num("gso_max_size ", l.gso_max_size);
    num("gso_max_segs ", l.gso_max_segs);
    num("tso_max_size ", l.tso_max_size);
    num("tso_max_segs ", l.tso_max_segs);
    num("gro_max_size ", l.gro_max_size);
}

/// The keys of one link, into an open object.
fn json_link(j: &mut Json, v: &Shown<'_>, style: HeaderStyle) {
    let l = v.l;
    j.num("ifindex", l.index);
    match &v.peer {
        Peer::Absent => {}
        // The writer has no null; a raw `null` is valid JSON.
        Peer::Zero => j.num("link", "null"),
        Peer::Here(name) => j.str("link", name),
        Peer::Elsewhere(i) => j.num("link_index", i),
    }
    match &l.name {
        Some(n) => j.str("ifname", n),
        None => j.num("ifname", "null"),
    }
    j.key_array("flags");
    for w in flag_words(l.flags, v.mdown) {
        j.elem_str(&w);
    }
    j.end_array();
    if let Some(mtu) = l.mtu {
        j.num("mtu", mtu);
    }
    if let Some(q) = &l.qdisc {
        j.str("qdisc", q);
    }
    if let Some(m) = &v.master {
        j.str("master", m);
    }
    if let Some(st) = l.operstate {
        match OPER_STATES.get(st as usize) {
            Some(name) => j.str("operstate", name),
            None => j.num("operstate_index", st),
        }
    }
    if let Some(mode) = l.linkmode.filter(|_| style.link_command) {
        match LINK_MODES.get(mode as usize) {
            Some(name) => j.str("linkmode", name),
            None => j.num("linkmode_index", mode),
        }
    }
    if let Some(g) = l.group {
        j.str("group", &group_name(g));
    }
    if let Some(q) = l.txqlen.filter(|&q| q != 0) {
        j.num("txqlen", q);
    }
    if style.link_line {
        j.str("link_type", &link_type_name(l.link_type));
        if let Some(a) = &l.address {
            j.str("address", &lladdr(a, l.link_type));
        }
        if let Some(b) = &l.broadcast {
            if l.flags.contains(LinkFlags::POINTOPOINT) {
                j.bool("link_pointtopoint", true);
            }
            j.str("broadcast", &lladdr(b, l.link_type));
        }
    }
    if let Some(id) = l.link_netnsid {
        j.num("link_netnsid", id);
    }
    if l.proto_down.is_some_and(|p| p != 0) {
        j.bool("proto_down", true);
    }
    if style.details {
        json_details(j, v, style.link_command);
    }
    if let Some(alias) = l.alias.as_ref().filter(|_| alias_shown(style)) {
        j.str("ifalias", alias);
    }
}

fn json_details(j: &mut Json, v: &Shown<'_>, link_command: bool) {
    let l = v.l;
    let num = |j: &mut Json, key: &str, v: Option<u32>| {
        if let Some(v) = v {
            j.num(key, v);
        }
    };
    num(j, "promiscuity", l.promiscuity);
    num(j, "allmulti", l.allmulti);
    num(j, "min_mtu", l.min_mtu);
    num(j, "max_mtu", l.max_mtu);
    if l.kind.is_some() || l.slave_kind.is_some() {
        j.key_object("linkinfo");
        if let Some(kind) = &l.kind {
            j.str("info_kind", kind);
            if let Some(data) = &v.kind_data {
                j.key_object("info_data");
                details::kind(&mut Out::Json(j), data, &v.names);
                j.end_object();
            }
        }
        if let Some(kind) = &l.slave_kind {
            j.str("info_slave_kind", kind);
            if let Some(data) = &v.slave_data {
                j.key_object("info_slave_data");
                details::slave(&mut Out::Json(j), data, &v.names);
                j.end_object();
            }
        }
        j.end_object();
    }
    if let Some(m) = l.inet6_addr_gen_mode.filter(|_| link_command) {
        match ADDR_GEN_MODES.get(m as usize) {
            Some(name) => j.str("inet6_addr_gen_mode", name),
            None => j.str("inet6_addr_gen_mode", &format!("{m:#04x}")),
        }
    }
    num(j, "num_tx_queues", l.num_tx_queues);
    num(j, "num_rx_queues", l.num_rx_queues);
    num(j, "gso_max_size", l.gso_max_size);
    num(j, "gso_max_segs", l.gso_max_segs);
    num(j, "tso_max_size", l.tso_max_size);
    num(j, "tso_max_segs", l.tso_max_segs);
    num(j, "gro_max_size", l.gro_max_size);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_as_print_link_flags() {
        let f = LinkFlags::UP | LinkFlags::BROADCAST | LinkFlags::MULTICAST;
        assert_eq!(
            flag_words(f, true).join(","),
            "NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN"
        );
        let lo = LinkFlags::LOOPBACK | LinkFlags::UP | LinkFlags::RUNNING | LinkFlags::LOWER_UP;
        assert_eq!(flag_words(lo, false).join(","), "LOOPBACK,UP,LOWER_UP");
        let odd = LinkFlags::from_bits_retain(0x8000_0002);
        assert_eq!(flag_words(odd, false), ["BROADCAST", "80000000"]);
    }

    #[test]
    fn addresses_and_types() {
        assert_eq!(lladdr(&[2, 0, 0, 0, 0xab, 1], 1), "02:00:00:00:ab:01");
        assert_eq!(lladdr(&[10, 0, 0, 1], 776), "10.0.0.1");
        assert_eq!(link_type_name(772), "loopback");
        assert_eq!(link_type_name(0xfffe), "none");
        assert_eq!(link_type_name(4242), "[4242]");
    }

    const LINK_SHOW: HeaderStyle = HeaderStyle {
        link_command: true,
        link_line: true,
        details: false,
    };

    fn veth() -> LinkInfo {
        LinkInfo {
            index: 3,
            flags: LinkFlags::UP | LinkFlags::BROADCAST | LinkFlags::MULTICAST,
            link_type: 1,
            name: Some("veth0".into()),
            mtu: Some(1500),
            operstate: Some(3),
            linkmode: Some(0),
            group: Some(0),
            txqlen: Some(1000),
            qdisc: Some("noqueue".into()),
            address: Some(vec![0xb6, 0x47, 0xe0, 0x22, 0xe9, 0x86]),
            broadcast: Some(vec![0xff; 6]),
            link: Some(2),
            ..LinkInfo::default()
        }
    }

    #[test]
    fn text_as_ip_link_show() {
        let l = veth();
        let v = Shown {
            l: &l,
            peer: Peer::Here("veth1".into()),
            mdown: true,
            master: None,
            kind_data: None,
            slave_data: None,
            names: details::Names::default(),
        };
        let mut s = String::new();
        text_link(&mut s, &v, None, LINK_SHOW);
        assert_eq!(
            s,
            "3: veth0@veth1: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT group default qlen 1000\n    link/ether b6:47:e0:22:e9:86 brd ff:ff:ff:ff:ff:ff\n"
        );
        let mut l2 = veth();
        l2.link_netnsid = Some(0);
        let v = Shown {
            l: &l2,
            peer: Peer::Elsewhere(7),
            mdown: false,
            master: None,
            kind_data: None,
            slave_data: None,
            names: details::Names::default(),
        };
        let mut s = String::new();
        text_link(&mut s, &v, Some("ns2"), LINK_SHOW);
        assert!(
            s.starts_with("3: veth0@if7: <NO-CARRIER,BROADCAST,MULTICAST,UP> "),
            "{s}"
        );
        assert!(s.ends_with("brd ff:ff:ff:ff:ff:ff link-netns ns2\n"), "{s}");
    }

    #[test]
    fn addr_show_style_as_ip_addr_show() {
        let mut l = veth();
        l.linkmode = Some(1);
        l.txqlen = Some(0);
        l.alias = Some("hello".into());
        l.link_netnsid = Some(0);
        let v = Shown {
            l: &l,
            peer: Peer::Elsewhere(7),
            mdown: false,
            master: Some("br0".into()),
            kind_data: None,
            slave_data: None,
            names: details::Names::default(),
        };
        // `ip -4 addr show`: no mode, no qlen 0, no link/ line, no alias.
        let family_filtered = HeaderStyle {
            link_command: false,
            link_line: false,
            details: false,
        };
        let mut s = String::new();
        text_link(&mut s, &v, Some("ns2"), family_filtered);
        assert_eq!(
            s,
            "3: veth0@if7: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue master br0 state LOWERLAYERDOWN group default  link-netns ns2\n"
        );
        let mut j = Json::new(false);
        j.begin_object();
        json_link(&mut j, &v, family_filtered);
        j.end_object();
        assert_eq!(
            j.finish(),
            "{\"ifindex\":3,\"link_index\":7,\"ifname\":\"veth0\",\"flags\":[\"NO-CARRIER\",\"BROADCAST\",\"MULTICAST\",\"UP\"],\"mtu\":1500,\"qdisc\":\"noqueue\",\"master\":\"br0\",\"operstate\":\"LOWERLAYERDOWN\",\"group\":\"default\",\"link_netnsid\":0}\n"
        );
    }

    #[test]
    fn json_as_ip_j_link_show() {
        let mut l = veth();
        l.link_netnsid = Some(0);
        l.name = Some("a\"b".into());
        let v = Shown {
            l: &l,
            peer: Peer::Elsewhere(2),
            mdown: false,
            master: None,
            kind_data: None,
            slave_data: None,
            names: details::Names::default(),
        };
        let mut j = Json::new(false);
        j.begin_array();
        j.begin_object();
        json_link(&mut j, &v, LINK_SHOW);
        j.end_object();
        j.end_array();
        assert_eq!(
            j.finish(),
            "[{\"ifindex\":3,\"link_index\":2,\"ifname\":\"a\\\"b\",\"flags\":[\"NO-CARRIER\",\"BROADCAST\",\"MULTICAST\",\"UP\"],\"mtu\":1500,\"qdisc\":\"noqueue\",\"operstate\":\"LOWERLAYERDOWN\",\"linkmode\":\"DEFAULT\",\"group\":\"default\",\"txqlen\":1000,\"link_type\":\"ether\",\"address\":\"b6:47:e0:22:e9:86\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\",\"link_netnsid\":0}]\n"
        );
    }
}
