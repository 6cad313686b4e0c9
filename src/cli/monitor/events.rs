//! [`Printer`]: one notification as `ip monitor` prints it (iproute2 6.1's
//! `accept_msg` and the printers it calls), written to standard output at
//! once, one write per event, so a reader sees each event as it happens.
//!
//! - links (`RTM_NEWLINK`/`RTM_DELLINK`): the link header of `ip addr show`
//!   (no `qlen`, `event NAME` when the kernel says why it notified);
//! - addresses: `INDEX: NAME` and the address lines of `ip addr show`;
//! - routes: the line of `ip route show` (every table; cached routes and
//!   multicast routes are passed over);
//! - neighbours: the line of `ip neigh show`, every state;
//! - policy rules: the line of `ip rule show`;
//! - namespace ids: the line of `ip netns list-id` (`nsid 5 (iproute2
//!   netns name: NAME)`), the name as `nsid_names.rs` keeps it.
//!
//! A deletion starts with `Deleted ` (JSON `"deleted":true`), a neighbour
//! the kernel asks user space to resolve with `miss ` (`"miss":null`); with
//! labels (`all`, `label`) each event starts with `[LINK]`, `[ADDR]`,
//! `[ROUTE]`, `[NEIGH]`, `[RULE]` or `[NSID]`. With `-j` each event is one
//! JSON object on a line of its own, with the keys those printers have
//! under `-j`, and with labels an `"object"` key first (`link`, `address`,
//! `route`, `neigh`, `rule`, `nsid`): iproute2 6.1 itself prints text under
//! `-j` here.
//!
//! The link names printed (`dev NAME`, `@PEER`, `master NAME`) come from a
//! cache that link notifications keep up to date, as iproute2's does: a new
//! or changed link is remembered before it is printed, a deleted one
//! forgotten.

use std::fmt::Write;

use rawnet::error::DecodeError;
use rawnet::netlink::Message;
use rawnet::ns::nsid::{NsId, RTM_DELNSID, RTM_NEWNSID};
use rawnet::route::addr::Address;
use rawnet::route::link::Link;
use rawnet::route::neigh::{Neighbour, RTM_DELNEIGH, RTM_GETNEIGH, RTM_NEWNEIGH};
use rawnet::route::route::{Route, RTM_F_CLONED};
use rawnet::route::rule::{Rule, RTM_DELRULE, RTM_NEWRULE};
use rawnet::route::{
    RTM_DELADDR, RTM_DELLINK, RTM_DELROUTE, RTM_NEWADDR, RTM_NEWLINK, RTM_NEWROUTE,
};

use crate::cli::addr::address;
use crate::cli::link::show::{header, HeaderStyle, Lookups};
use crate::cli::link_names::LinkNames;
use crate::cli::neigh::{entry, Filter};
use crate::cli::netns::list::nsid_line;
use crate::cli::output::{print, to_stderr, Json, Out};
use crate::cli::route::print::{route, View};
use crate::cli::rule::print::rule;
use crate::cli::{CliError, Context, Timestamp};

use super::nsid_names::NsidNames;

/// `RTNL_FAMILY_IPMR`, `RTNL_FAMILY_IP6MR`: multicast routes (`ip monitor
/// mroute`), which this monitor does not print.
const RTNL_FAMILY_IPMR: u8 = 128;
const RTNL_FAMILY_IP6MR: u8 = 129;

/// The kind of object an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Link,
    Address,
    Route,
    Neigh,
    Rule,
    Nsid,
}

impl Kind {
    /// iproute2's banner.
    fn label(self) -> &'static str {
        match self {
            Kind::Link => "[LINK]",
            Kind::Address => "[ADDR]",
            Kind::Route => "[ROUTE]",
            Kind::Neigh => "[NEIGH]",
            Kind::Rule => "[RULE]",
            Kind::Nsid => "[NSID]",
        }
    }

    /// The banner in JSON: the word of the command line.
    fn object(self) -> &'static str {
        match self {
            Kind::Link => "link",
            Kind::Address => "address",
            Kind::Route => "route",
            Kind::Neigh => "neigh",
            Kind::Rule => "rule",
            Kind::Nsid => "nsid",
        }
    }
}

/// What comes before the object: iproute2's `print_bool(.., "deleted", ..)`
/// and `print_null(.., "miss", ..)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prefix {
    None,
    Deleted,
    Miss,
}

impl Prefix {
    fn write(self, o: &mut Out<'_>) {
        match self {
            Prefix::None => {}
            Prefix::Deleted => o.flag("deleted", "Deleted", true),
            Prefix::Miss => o.null("miss", "miss "),
        }
    }
}

/// How events are printed, and the link names they refer to.
pub struct Printer {
    lookups: Lookups,
    /// `[LINK]`-style banners (`all`, `label`).
    labels: bool,
    /// `-t` / `-ts`: the wall clock before each event (text only).
    timestamp: Option<Timestamp>,
    json: bool,
    pretty: bool,
    details: bool,
    /// `-4`/`-6`: routes and neighbours of other families are passed over.
    family: Option<u8>,
    /// `dev NAME`: only objects of this link (its index), without `dev`.
    dev: u32,
    /// The names printed after namespace ids.
    nsid_names: NsidNames,
    /// The text of one event, reused.
    text: String,
}

impl Printer {
    pub fn new(ctx: &Context, labels: bool) -> Printer {
        Printer {
            lookups: Lookups::new(ctx, None),
            labels,
            timestamp: ctx.timestamp,
            json: ctx.json,
            pretty: ctx.pretty,
            details: ctx.details,
            family: ctx.family,
            dev: 0,
            nsid_names: NsidNames::default(),
            text: String::with_capacity(1024),
        }
    }

    /// Only objects of link `index` from now on (`dev NAME`).
    pub fn only_link(&mut self, index: u32) {
        self.dev = index;
    }

    /// The link `dev` selected (0: every link).
    pub fn dev(&self) -> u32 {
        self.dev
    }

    pub fn names(&mut self) -> &mut LinkNames {
        self.lookups.names()
    }

    /// Remember the names of the namespaces that have an id now, as
    /// iproute2 does when its monitor starts (`netns_map_init`).
    pub fn remember_nsid_names(&mut self) -> Result<(), CliError> {
        self.nsid_names = NsidNames::read(self.lookups.names().connection()?);
        Ok(())
    }

    /// Print the event `msg` (or pass it over, as iproute2 does).
    pub fn event(&mut self, msg: &Message<'_>) -> Result<(), CliError> {
        match msg.message_type() {
            t @ (RTM_NEWLINK | RTM_DELLINK) => self.link(msg, t == RTM_DELLINK),
            t @ (RTM_NEWADDR | RTM_DELADDR) => self.address(msg, t == RTM_DELADDR),
            t @ (RTM_NEWROUTE | RTM_DELROUTE) => self.route(msg, t == RTM_DELROUTE),
            t @ (RTM_NEWNEIGH | RTM_DELNEIGH | RTM_GETNEIGH) => {
                let prefix = match t {
                    RTM_DELNEIGH => Prefix::Deleted,
                    RTM_GETNEIGH => Prefix::Miss,
                    _ => Prefix::None,
                };
                self.neighbour(msg, prefix)
            }
            RTM_NEWRULE | RTM_DELRULE => self.rule(msg),
            RTM_NEWNSID | RTM_DELNSID => self.nsid(msg),
            _ => {
                let h = &msg.header;
                to_stderr(&format!(
                    "Unknown message: type=0x{:08x}({}) flags=0x{:08x}({}) len=0x{:08x}({})\n",
                    h.nlmsg_type,
                    h.nlmsg_type,
                    h.nlmsg_flags,
                    h.nlmsg_flags,
                    h.nlmsg_len,
                    h.nlmsg_len
                ));
                Ok(())
            }
        }
    }

    fn link(&mut self, msg: &Message<'_>, deleted: bool) -> Result<(), CliError> {
        let l = match Link::parse(msg) {
            Ok(l) => l,
            Err(e) => return undecodable(e),
        };
        if deleted {
            self.lookups.names().forget(l.index);
        } else {
            self.lookups.remember(&l);
        }
        if self.dev != 0 && l.index != self.dev {
            return Ok(());
        }
        let style = HeaderStyle {
            link_command: false,
            link_line: true,
            queue_length: false,
            details: self.details,
        };
        self.emit(Kind::Link, prefix_if(deleted), |o, lookups| {
            header(o, lookups, &l, style)
        })
    }

    fn address(&mut self, msg: &Message<'_>, deleted: bool) -> Result<(), CliError> {
        let a = match Address::parse(msg) {
            Ok(a) => a,
            Err(e) => return undecodable(e),
        };
        if self.dev != 0 && a.index != self.dev {
            return Ok(());
        }
        self.emit(Kind::Address, prefix_if(deleted), |o, lookups| {
            let name = lookups.names().name(a.index)?;
            match o {
                Out::Text(s) => {
                    let _ = write!(s, "{}: {name}", a.index);
                }
                Out::Json(j) => {
                    j.num("index", a.index);
                    j.str_display("dev", name);
                }
            }
            address(o, &a);
            Ok(())
        })
    }

    fn route(&mut self, msg: &Message<'_>, deleted: bool) -> Result<(), CliError> {
        let r = match Route::parse(msg) {
            Ok(r) => r,
            Err(e) => return undecodable(e),
        };
        if r.flags & RTM_F_CLONED != 0
            || r.family == RTNL_FAMILY_IPMR
            || r.family == RTNL_FAMILY_IP6MR
            || self.family.is_some_and(|f| f != r.family)
            || (self.dev != 0 && r.oif.unwrap_or(0) != self.dev)
        {
            return Ok(());
        }
        let view = View {
            table_shown: true,
            oif_shown: self.dev == 0,
        };
        self.emit(Kind::Route, prefix_if(deleted), |o, lookups| {
            route(o, lookups.names(), &r, view)
        })
    }

    fn neighbour(&mut self, msg: &Message<'_>, prefix: Prefix) -> Result<(), CliError> {
        let n = match Neighbour::parse(msg) {
            Ok(n) => n,
            Err(e) => return undecodable(e),
        };
        let filter = Filter::every_state(self.dev);
        if self.family.is_some_and(|f| f != n.family) || !filter.keeps(&n) {
            return Ok(());
        }
        self.emit(Kind::Neigh, prefix, |o, lookups| {
            entry(o, lookups.names(), &filter, &n, Default::default())
        })
    }

    fn rule(&mut self, msg: &Message<'_>) -> Result<(), CliError> {
        let r = match Rule::parse(msg) {
            Ok(r) => r,
            Err(e) => return undecodable(e),
        };
        if self.family.is_some_and(|f| f != r.header.family) {
            return Ok(());
        }
        let details = self.details;
        // The rule printer writes `Deleted ` itself.
        self.emit(Kind::Rule, Prefix::None, |o, _| {
            rule(o, &r, details);
            Ok(())
        })
    }

    fn nsid(&mut self, msg: &Message<'_>) -> Result<(), CliError> {
        let id = match NsId::parse(msg) {
            Ok(Some(id)) => id,
            Ok(None) => return Ok(()),
            Err(e) => return undecodable(e),
        };
        let conn = self.lookups.names().connection().ok();
        let name = self.nsid_names.name_for(&id, conn);
        self.emit(Kind::Nsid, Prefix::None, |o, _| {
            nsid_line(o, &id, name.as_deref());
            Ok(())
        })
    }

    /// Write one event: banner, prefix, then what `f` writes; text as one
    /// line (or two), JSON as one object on a line.
    fn emit<F>(&mut self, kind: Kind, prefix: Prefix, f: F) -> Result<(), CliError>
    where
        F: FnOnce(&mut Out<'_>, &mut Lookups) -> Result<(), CliError>,
    {
        if self.json {
            let mut j = Json::new(self.pretty);
            j.begin_object();
            if self.labels {
                j.str("object", kind.object());
            }
            let mut o = Out::Json(&mut j);
            prefix.write(&mut o);
            f(&mut o, &mut self.lookups)?;
            j.end_object();
            print(&j.finish())
        } else {
            self.text.clear();
            // iproute2's `print_headers`: the time, then the banner.
            if let Some(stamp) = self.timestamp {
                if let Some(t) = rawnet::clock::now() {
                    let _ = match stamp {
                        Timestamp::Long => writeln!(
                            self.text,
                            "Timestamp: {} {} usec",
                            t.asctime(),
                            t.microsecond
                        ),
                        Timestamp::Short => {
                            write!(self.text, "[{}.{:06}] ", t.iso(), t.microsecond)
                        }
                    };
                }
            }
            if self.labels {
                self.text.push_str(kind.label());
            }
            let mut o = Out::Text(&mut self.text);
            prefix.write(&mut o);
            f(&mut o, &mut self.lookups)?;
            print(&self.text)
        }
    }
}

fn prefix_if(deleted: bool) -> Prefix {
    if deleted {
        Prefix::Deleted
    } else {
        Prefix::None
    }
}

/// A notification whose attributes cannot be read: said on standard error,
/// and the monitor goes on with the next one.
fn undecodable(e: DecodeError) -> Result<(), CliError> {
    to_stderr(&format!("{}\n", rawnet::Error::from(e)));
    Ok(())
}
