//! iproute2's words for a link's numbers: the flag words of
//! `print_link_flags`, operstates, link modes, addrgenmodes, groups, `ARPHRD_*`
//! types (`ll_type_n2a`) and link-layer addresses (`ll_addr_n2a`). Shared by
//! the text and the JSON printer.

use rawnet::route::link::LinkFlags;

use std::fmt::Write;

use crate::cli::lladdr::LlAddr;
use crate::cli::output::Render;

/// The words of `print_link_flags` for bits it names, in its order.
const FLAG_NAMES: [(LinkFlags, &str); 18] = [
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

/// One word of a link's flags: a name, or the bits no name covers (hex).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FlagWord {
    Name(&'static str),
    Bits(u32),
}

impl Render for FlagWord {
    fn render(&self, out: &mut String) {
        match self {
            FlagWord::Name(n) => out.push_str(n),
            FlagWord::Bits(b) => {
                let _ = write!(out, "{b:x}");
            }
        }
    }
}

/// The flag words of `print_link_flags`, in its order: `NO-CARRIER` for a
/// link up without carrier, the named bits, the rest in hex, `M-DOWN`.
pub(super) fn flag_words(flags: LinkFlags, mdown: bool) -> impl Iterator<Item = FlagWord> {
    let bits = flags.bits() & !LinkFlags::RUNNING.bits();
    let named = FLAG_NAMES.iter().fold(0, |m, (f, _)| m | f.bits());
    let no_carrier = flags.contains(LinkFlags::UP) && !flags.contains(LinkFlags::RUNNING);
    no_carrier
        .then_some(FlagWord::Name("NO-CARRIER"))
        .into_iter()
        .chain(
            FLAG_NAMES
                .iter()
                .filter(move |(f, _)| bits & f.bits() != 0)
                .map(|(_, n)| FlagWord::Name(n)),
        )
        .chain((bits & !named != 0).then_some(FlagWord::Bits(bits & !named)))
        .chain(mdown.then_some(FlagWord::Name("M-DOWN")))
}

pub(crate) const OPER_STATES: [&str; 7] = [
    "UNKNOWN",
    "NOTPRESENT",
    "DOWN",
    "LOWERLAYERDOWN",
    "TESTING",
    "DORMANT",
    "UP",
];
pub(super) const LINK_MODES: [&str; 2] = ["DEFAULT", "DORMANT"];

/// iproute2's `link_events`: the words of an `IFLA_EVENT_*`; `""` for
/// `IFLA_EVENT_NONE` (not printed), `None` past the table (printed as a number).
pub(super) fn link_event_name(event: u32) -> Option<&'static str> {
    const LINK_EVENTS: [&str; 7] = [
        "",
        "REBOOT",
        "FEATURE CHANGE",
        "BONDING FAILOVER",
        "NOTIFY PEERS",
        "RESEND IGMP",
        "BONDING OPTION",
    ];
    LINK_EVENTS.get(event as usize).copied()
}
pub(super) const ADDR_GEN_MODES: [&str; 4] = ["eui64", "none", "stable_secret", "random"];

/// `rtnl_group_n2a` without /etc/iproute2/group: 0 is "default".
pub(super) struct Group(pub u32);

impl Render for Group {
    fn render(&self, out: &mut String) {
        match self.0 {
            0 => out.push_str("default"),
            g => g.render(out),
        }
    }
}

/// iproute2's `ll_type_n2a`: the name of an `ARPHRD_*` type, `[N]` when unknown.
/// `ll_type_n2a`: an `ARPHRD_*` type's name, or `[N]`.
pub(super) struct LinkType(pub u16);

impl Render for LinkType {
    fn render(&self, out: &mut String) {
        let t = self.0;
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
            _ => {
                out.push('[');
                t.render(out);
                out.push(']');
                return;
            }
        };
        out.push_str(name);
    }
}

/// iproute2's `ll_addr_n2a`: dotted IPv4 / IPv6 for tunnels, else colon hex.
pub(super) struct LinkAddr<'a> {
    pub bytes: &'a [u8],
    pub link_type: u16,
}

impl Render for LinkAddr<'_> {
    const PLAIN: bool = true;

    fn render(&self, out: &mut String) {
        const TUNNEL: u16 = 768;
        const SIT: u16 = 776;
        const IPGRE: u16 = 778;
        const TUNNEL6: u16 = 769;
        const IP6GRE: u16 = 823;
        if let Ok(a) = <[u8; 4]>::try_from(self.bytes) {
            if matches!(self.link_type, TUNNEL | SIT | IPGRE) {
                return std::net::Ipv4Addr::from(a).render(out);
            }
        }
        if let Ok(a) = <[u8; 16]>::try_from(self.bytes) {
            if matches!(self.link_type, TUNNEL6 | IP6GRE) {
                return std::net::Ipv6Addr::from(a).render(out);
            }
        }
        LlAddr(self.bytes).render(out)
    }
}
