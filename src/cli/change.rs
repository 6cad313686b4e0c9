//! A command that changes something, made into one netlink request.
//!
//! The command line and `-batch` share the parse: each object's `prepare`
//! function reads the words, asks a [`Devices`] for the interface indexes
//! the request needs, and returns a [`Change`]. On the command line the
//! devices are looked up with a GET each ([`Lookup`]) and the request is
//! executed at once ([`apply`]); a batch looks them up in its own cache and
//! pipelines the requests (`batch/`).

use super::ifname::{get_link, link_index};
use rawnet::netlink::{Connection, Request};
use rawnet::ns::NetNs;
use rawnet::route::link::LinkRef;

use super::{CliError, Context};

/// Where a command's device names become interface indexes.
pub trait Devices {
    /// The index of link `name`; `Cannot find device "NAME"` (exit 1) when
    /// there is none.
    fn index(&mut self, name: &str) -> Result<u32, CliError>;

    /// How a request that can name its link either way should name `name`:
    /// the command line looks the index up first, as iproute2 does (so a
    /// missing link is iproute2's message); a batch names a link it does not
    /// know yet by name, so that a link created by a line still in flight can
    /// be changed without waiting for it. `raw` is `name`'s bytes
    /// (`os_args::unescape`), what a request by name carries.
    fn link_ref<'n>(&mut self, name: &str, raw: &'n [u8]) -> Result<LinkRef<'n>, CliError> {
        let _ = raw;
        Ok(LinkRef::Index(self.index(name)?))
    }

    /// The length of link `name`'s link-layer address, which `link set
    /// address` checks as iproute2 does; `None` when it cannot be known
    /// (no such link, no address, or a batch that does not ask).
    fn address_length(&mut self, name: &str) -> Result<Option<usize>, CliError> {
        let _ = name;
        Ok(None)
    }
}

/// One request, and what a batch must know about it.
pub struct Change {
    pub request: Request,
    /// Namespaces the request refers to by descriptor number: kept open
    /// until it has been sent.
    pub keep_open: Vec<NetNs>,
    /// BPF programs the request refers to by descriptor number (`IFLA_XDP_FD`;
    /// a pinned map too, passed on for the kernel to refuse, as ip does).
    pub keep_programs: Vec<std::os::fd::OwnedFd>,
    /// Link names whose index this request creates, changes or removes.
    pub unsettles: Vec<String>,
    /// The link the request names by name: the kernel's `ENODEV` for it is
    /// iproute2's `Cannot find device "NAME"`.
    pub names_link: Option<String>,
    /// A line the tool adds after the kernel's refusal (tc's `We have an
    /// error talking to the kernel` for a filter).
    pub refusal_note: Option<&'static str>,
}

impl Change {
    pub fn new(request: Request) -> Change {
        Change {
            request,
            keep_open: Vec::new(),
            keep_programs: Vec::new(),
            unsettles: Vec::new(),
            names_link: None,
            refusal_note: None,
        }
    }

    /// The same change, with `note` after the kernel's refusal of it.
    pub fn noting_refusal(mut self, note: &'static str) -> Change {
        self.refusal_note = Some(note);
        self
    }

    /// The same change, noting link names it creates, renames, moves or removes.
    pub fn unsettling<'a>(mut self, names: impl IntoIterator<Item = &'a str>) -> Change {
        self.unsettles.extend(names.into_iter().map(str::to_string));
        self
    }
}

/// The command line's devices: one `RTM_GETLINK` per name, on the command's
/// connection, opened when first needed.
pub struct Lookup<'a> {
    ctx: &'a Context,
    conn: Option<Connection>,
}

impl<'a> Lookup<'a> {
    pub fn new(ctx: &'a Context) -> Lookup<'a> {
        Lookup { ctx, conn: None }
    }

    /// The connection, opened now if no lookup needed it yet.
    pub fn connection(&mut self) -> Result<&mut Connection, CliError> {
        let conn = match self.conn.take() {
            Some(c) => c,
            None => self.ctx.rtnl()?,
        };
        Ok(self.conn.insert(conn))
    }
}

impl Devices for Lookup<'_> {
    fn index(&mut self, name: &str) -> Result<u32, CliError> {
        link_index(self.connection()?, name).map_err(CliError::from)
    }

    fn address_length(&mut self, name: &str) -> Result<Option<usize>, CliError> {
        match get_link(self.connection()?, name) {
            Ok(link) => Ok(link.address.map(|a| a.len())),
            Err(rawnet::Error::NotFound(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

/// The kernel's refusal `e` of a change in the tool's words: its message,
/// then `note` on a line of its own where the kernel refused (exit 2).
pub fn refused(e: rawnet::Error, note: Option<&str>) -> CliError {
    let mut c = CliError::from(e);
    if let Some(note) = note.filter(|_| c.code == 2) {
        c.message.push('\n');
        c.message.push_str(note);
    }
    c
}

/// Prepare a change with the command line's lookups and execute it: one
/// request, one ack.
pub fn apply(
    ctx: &Context,
    prepare: impl FnOnce(&mut Lookup<'_>) -> Result<Change, CliError>,
) -> Result<i32, CliError> {
    let mut lookup = Lookup::new(ctx);
    let change = prepare(&mut lookup)?;
    lookup
        .connection()?
        .execute(change.request)
        .map_err(|e| refused(e, change.refusal_note))?;
    drop(change.keep_open);
    drop(change.keep_programs);
    Ok(0)
}
