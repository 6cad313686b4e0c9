//! [`LinkNames`]: index-to-name lookups behind `dev NAME`, `@PEER`,
//! `master NAME` and `M-DOWN` (iproute2's `ll_index_to_name` /
//! `ll_index_to_flags`), cached.
//!
//! A link not seen yet is asked for with the `SIOCGIFNAME` and `SIOCGIFFLAGS`
//! ioctls on a socket of the command's namespace (a duplicate of its
//! connection's): no netlink request, so a printer can name a device while
//! the command's dump is still arriving on that very socket, and no dump of
//! every link is needed to name a few (iproute2 dumps them all first). The
//! cache grows with the number of links named, never with the number of
//! objects printed.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use std::os::fd::{AsFd, OwnedFd};

use rawnet::error::Error;
use rawnet::netlink::Connection;
use rawnet::route::link::{dump_links_request_with, for_each_link, name_and_flags, LinkFlags};

use super::os_args::escape;
use super::output::Render;
use super::{CliError, Context};

/// A link's name as printed: its name, or `if<index>` when there is no such link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkName<'a> {
    Known(&'a str),
    Unknown(u32),
}

impl Render for LinkName<'_> {
    fn render(&self, out: &mut String) {
        match self {
            LinkName::Known(name) => out.push_str(name),
            LinkName::Unknown(index) => {
                out.push_str("if");
                index.render(out);
            }
        }
    }
}

impl fmt::Display for LinkName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkName::Known(name) => f.write_str(name),
            LinkName::Unknown(index) => write!(f, "if{index}"),
        }
    }
}

/// A hasher for interface indexes: one multiplication instead of SipHash,
/// which would cost more than the rest of printing a route. Indexes come
/// from the kernel, not from an adversary.
#[derive(Default)]
struct IndexHasher(u64);

impl Hasher for IndexHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, i: u32) {
        self.0 = u64::from(i).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Cached names and flags of links, by index, with the socket that finds them.
/// A name is held escaped (`os_args::escape`): printed, it is the kernel's bytes.
pub struct LinkNames {
    ctx: Context,
    /// A socket in the command's namespace, for the ioctls.
    socket: Option<OwnedFd>,
    /// A connection of the lookups' own, for requests beside a dump.
    conn: Option<Connection>,
    /// `None`: the kernel has no such link.
    links: HashMap<u32, Option<(String, LinkFlags)>, BuildHasherDefault<IndexHasher>>,
}

impl LinkNames {
    /// Lookups in the namespace of `ctx`, asked on a duplicate of `conn`'s
    /// socket (which is in that namespace); without it, a socket is opened
    /// when first needed.
    pub fn new(ctx: &Context, conn: Option<&Connection>) -> LinkNames {
        LinkNames {
            ctx: ctx.clone(),
            socket: conn.and_then(|c| c.socket().as_fd().try_clone_to_owned().ok()),
            conn: None,
            links: HashMap::default(),
        }
    }

    /// Whether link `index` is known (named, or known not to exist).
    pub fn knows(&self, index: u32) -> bool {
        self.links.contains_key(&index)
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
        let request = dump_links_request_with(None, false).map_err(CliError::from)?;
        let mut found = HashMap::default();
        // An interrupted dump still named what it named; the rest are asked for.
        let _ = for_each_link(self.connection()?, request, |l| {
            found.insert(
                l.index,
                Some((escape(l.name_or_empty()).into_owned(), l.flags)),
            );
            Ok::<(), CliError>(())
        })?;
        self.links = found;
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
            if self.socket.is_none() {
                let fd = self.connection()?.socket().as_fd().try_clone_to_owned();
                self.socket = Some(fd.map_err(|e| CliError::from(Error::io("dup", e)))?);
            }
            let socket = self.socket.as_ref().expect("opened above");
            let found = name_and_flags(socket, index)
                .map_err(CliError::from)?
                .map(|(name, flags)| (escape(&name).into_owned(), flags));
            self.links.insert(index, found);
        }
        Ok(self.links.get(&index).and_then(Option::as_ref))
    }

    /// The name of link `index` (`if<index>` when there is none).
    pub fn name(&mut self, index: u32) -> Result<LinkName<'_>, CliError> {
        Ok(match self.lookup(index)? {
            Some((name, _)) => LinkName::Known(name),
            None => LinkName::Unknown(index),
        })
    }

    /// The name of link `index` as far as it is known already (after
    /// [`LinkNames::name`] or [`LinkNames::flags`] asked for it): no lookup,
    /// so the caller may hold it while holding other names.
    pub fn known_name(&self, index: u32) -> LinkName<'_> {
        match self.links.get(&index) {
            Some(Some((name, _))) => LinkName::Known(name),
            _ => LinkName::Unknown(index),
        }
    }

    /// The link's flags; `None` when it does not exist.
    pub fn flags(&mut self, index: u32) -> Result<Option<LinkFlags>, CliError> {
        Ok(self.lookup(index)?.map(|(_, flags)| *flags))
    }
}
