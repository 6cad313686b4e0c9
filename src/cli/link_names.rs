//! [`LinkNames`]: index-to-name lookups behind `dev NAME`, `@PEER`,
//! `master NAME` and `M-DOWN` (iproute2's `ll_index_to_name` /
//! `ll_index_to_flags`), cached.
//!
//! The lookups go over a connection of their own, opened in the command's
//! namespace when first needed, so a printer can name a device while the
//! command's dump is still arriving on the other socket: never a request
//! inside another request's dump. A few unknown links are asked for with one
//! `RTM_GETLINK` each; past [`MAX_SINGLE_GETS`] misses, one `AF_INET6` link
//! dump names them all (it carries names and flags at about a third of the
//! kernel's cost of a full dump). The cache grows with the number of links
//! named, never with the number of objects printed.

use std::collections::HashMap;
use std::fmt;

use rawnet::error::Error;
use rawnet::netlink::{Connection, MessageBuilder, Request};
use rawnet::route::link::{IfInfoMsg, Link, LinkFlags, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS};
use rawnet::route::{RTM_GETLINK, RTM_NEWLINK};

use super::{CliError, Context};

/// Misses answered with one GET each before a dump names every link.
pub const MAX_SINGLE_GETS: usize = 8;

/// A link's name as printed: its name, or `if<index>` when there is no such link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkName<'a> {
    Known(&'a str),
    Unknown(u32),
}

impl fmt::Display for LinkName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkName::Known(name) => f.write_str(name),
            LinkName::Unknown(index) => write!(f, "if{index}"),
        }
    }
}

/// Cached names and flags of links, by index, with the connection that finds them.
pub struct LinkNames {
    ctx: Context,
    conn: Option<Connection>,
    /// `None`: the kernel has no such link.
    links: HashMap<u32, Option<(String, LinkFlags)>>,
    misses: usize,
    dumped: bool,
}

impl LinkNames {
    /// Lookups in the namespace of `ctx`; nothing is opened yet.
    pub fn new(ctx: &Context) -> LinkNames {
        LinkNames {
            ctx: ctx.clone(),
            conn: None,
            links: HashMap::new(),
            misses: 0,
            dumped: false,
        }
    }

    /// Remember a link already at hand (saves asking for it).
    pub fn remember(&mut self, index: u32, name: &str, flags: LinkFlags) {
        self.links.insert(index, Some((name.to_string(), flags)));
    }

    /// Forget link `index` (it was deleted): the next lookup asks again.
    pub fn forget(&mut self, index: u32) {
        self.links.remove(&index);
    }

    /// Forget everything and remember every link there is now, from one
    /// link dump (iproute2's `ll_init_map`).
    pub fn remember_every_link(&mut self) -> Result<(), CliError> {
        let mut m = MessageBuilder::new(RTM_GETLINK, 0);
        m.header(&IfInfoMsg::default());
        m.put_u32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
        let request = m.finish().map_err(CliError::from)?;
        let mut found = HashMap::new();
        // An interrupted dump still named what it named; the rest are asked for.
        let _ = self.connection()?.dump(request, |msg| {
            if msg.message_type() == RTM_NEWLINK {
                let l = Link::parse(&msg).map_err(Error::from)?;
                found.insert(l.index, Some((l.name_or_empty().to_string(), l.flags)));
            }
            Ok::<(), CliError>(())
        })?;
        self.links = found;
        self.misses = 0;
        self.dumped = false;
        Ok(())
    }

    /// The lookups' own connection, opened on first use: free for other
    /// small requests while a dump runs on the command's connection.
    pub fn connection(&mut self) -> Result<&mut Connection, CliError> {
        let conn = match self.conn.take() {
            Some(conn) => conn,
            None => self.ctx.rtnl()?,
        };
        Ok(self.conn.insert(conn))
    }

    fn lookup(&mut self, index: u32) -> Result<Option<&(String, LinkFlags)>, CliError> {
        if !self.links.contains_key(&index) {
            self.misses += 1;
            if self.misses > MAX_SINGLE_GETS && !self.dumped {
                self.dumped = true;
                self.dump_names()?;
            }
            if !self.links.contains_key(&index) {
                let found = get_link(self.connection()?, index).map_err(CliError::from)?;
                self.links.insert(index, found);
            }
        }
        Ok(self.links.get(&index).and_then(Option::as_ref))
    }

    /// One `AF_INET6` link dump: every link with IPv6 on it, named.
    fn dump_names(&mut self) -> Result<(), CliError> {
        let mut m = MessageBuilder::new(RTM_GETLINK, 0);
        m.header(&IfInfoMsg {
            ifi_family: libc::AF_INET6 as u8,
            ..Default::default()
        });
        let request = m.finish().map_err(CliError::from)?;
        let mut found = Vec::new();
        // An interrupted dump still named what it named; the rest are asked for.
        let _ = self.connection()?.dump(request, |msg| {
            if msg.message_type() == RTM_NEWLINK {
                let l = Link::parse(&msg).map_err(Error::from)?;
                found.push((
                    l.index,
                    l.name.as_deref().unwrap_or("").to_string(),
                    l.flags,
                ));
            }
            Ok::<(), CliError>(())
        })?;
        for (index, name, flags) in found {
            self.links.entry(index).or_insert(Some((name, flags)));
        }
        Ok(())
    }

    /// The name of link `index` (`if<index>` when there is none).
    pub fn name(&mut self, index: u32) -> Result<LinkName<'_>, CliError> {
        Ok(match self.lookup(index)? {
            Some((name, _)) => LinkName::Known(name),
            None => LinkName::Unknown(index),
        })
    }

    /// The link's flags; `None` when it does not exist.
    pub fn flags(&mut self, index: u32) -> Result<Option<LinkFlags>, CliError> {
        Ok(self.lookup(index)?.map(|(_, flags)| *flags))
    }
}

/// `RTM_GETLINK` of link `index`, without statistics.
fn link_request(index: u32) -> Result<Request, Error> {
    let mut m = MessageBuilder::new(RTM_GETLINK, 0);
    m.header(&IfInfoMsg {
        ifi_index: index as i32,
        ..Default::default()
    });
    m.put_u32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    m.finish()
}

/// Name and flags of link `index`; `None` when there is no such link.
fn get_link(conn: &mut Connection, index: u32) -> Result<Option<(String, LinkFlags)>, Error> {
    let mut found = None;
    let result = conn.request(link_request(index)?, |msg| {
        if msg.message_type() == RTM_NEWLINK && found.is_none() {
            let l = Link::parse(&msg)?;
            found = Some((l.name.as_deref().unwrap_or("").to_string(), l.flags));
        }
        Ok(())
    });
    match result {
        Err(Error::Kernel(k)) if k.errno == libc::ENODEV => Ok(None),
        other => other.map(|()| found),
    }
}
