//! Netlink throughput of the running kernel, measured in private network
//! namespaces: how fast routes, addresses and veth pairs are added, dumped
//! and deleted, and how fast a dump can be read at all.
//!
//! Each [`Suite`] runs on a short-lived thread inside a fresh anonymous
//! network namespace that it creates and that goes away with it (never the
//! caller's namespace, never a named one), so nothing it does is visible
//! outside and nothing is left behind, also when it fails. Changes go one
//! request at a time, each acknowledged ([`Batch::OneAtATime`], what `ip`
//! does), or pipelined many to a datagram ([`Batch::Pipelined`], see
//! [`Pipeline`]). Dumps are read two ways: parsed into typed views
//! (nothing kept), and walked by message header only, which is the floor a
//! dump's reader cannot go under.
//!
//! Every [`Measurement`] has the wall time and the process's user and system
//! CPU time (`getrusage`) of the operation alone; setup (the links routes
//! go on, the second set of veth pairs) is not measured. Changes are
//! measured once (they cannot be repeated without a new setup); dumps are
//! read [`DUMP_READINGS`] times and the fastest reading is the result.
//! Progress goes to a [`Progress`] observer; the library never prints.

mod addresses;
mod changes;
mod dumps;
mod links;
mod measure;
mod routes;

use std::net::Ipv4Addr;
use std::time::Duration;

pub use dumps::READINGS as DUMP_READINGS;

use crate::error::{Error, Invalid, Result};
use crate::netlink::Pipeline;
use crate::ns::{run_in, NetNs};

/// Most objects a suite handles: routes and addresses are numbered hosts of
/// a /10 of 10.0.0.0/8.
pub const MAX_COUNT: usize = 1 << 22;

/// The `i`-th address after `first`; `Error::Invalid` past [`MAX_COUNT`].
fn host_address(first: Ipv4Addr, i: usize) -> Result<Ipv4Addr> {
    match u32::try_from(i) {
        Ok(n) if i < MAX_COUNT => Ok(Ipv4Addr::from(u32::from(first) + n)),
        _ => Err(Error::Invalid(Invalid::OutOfRange {
            what: "objects",
            value: i as u64,
            max: MAX_COUNT as u64,
        })),
    }
}

/// A group of operations on one kind of object, run in its own namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suite {
    /// IPv4 /32 routes on a veth: add, dump, walk, delete.
    Route,
    /// IPv4 /32 addresses spread over veth links: add, dump, walk.
    Address,
    /// veth pairs: add, dump, walk, delete one at a time and by group.
    Link,
}

impl Suite {
    /// Every suite, in the order `rawnet bench all` runs them.
    pub const ALL: [Suite; 3] = [Suite::Route, Suite::Address, Suite::Link];

    pub fn name(self) -> &'static str {
        match self {
            Suite::Route => "route",
            Suite::Address => "address",
            Suite::Link => "link",
        }
    }

    /// Objects a run handles when not told otherwise.
    pub fn default_count(self) -> usize {
        match self {
            Suite::Route => 10_000,
            Suite::Address | Suite::Link => 1_000,
        }
    }
}

/// How change requests are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Batch {
    /// One request a `sendmsg` with `NLM_F_ACK`, waiting for its ack before
    /// the next, as `ip` (and `ip -batch`) sends them.
    OneAtATime,
    /// This many requests a datagram without acks, one `NLMSG_NOOP` barrier
    /// closing each ([`Pipeline::with_window`]); 2 to [`Pipeline::MAX_WINDOW`].
    Pipelined(usize),
}

impl Batch {
    /// `1` is one at a time; more is pipelined, at most [`Pipeline::MAX_WINDOW`].
    pub fn of_size(requests: usize) -> Batch {
        match requests {
            0 | 1 => Batch::OneAtATime,
            n => Batch::Pipelined(n.min(Pipeline::MAX_WINDOW)),
        }
    }

    /// Requests a `sendmsg` carries.
    pub fn size(self) -> usize {
        match self {
            Batch::OneAtATime => 1,
            Batch::Pipelined(n) => n,
        }
    }
}

impl Default for Batch {
    /// The pipeline's own window.
    fn default() -> Self {
        Batch::Pipelined(Pipeline::MAX_WINDOW)
    }
}

/// What a suite run does: how many objects, sent how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Routes, addresses or veth pairs: 1 to [`MAX_COUNT`] (0 is taken as 1).
    pub count: usize,
    pub batch: Batch,
}

/// One measured operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    RouteAdd,
    /// A route dump, each message parsed into a `Route` view.
    RouteDump,
    /// The same dump, messages counted by header, attributes not read.
    RouteWalk,
    RouteDelete,
    AddressAdd,
    AddressDump,
    AddressWalk,
    VethAdd,
    LinkDump,
    LinkWalk,
    /// One `RTM_DELLINK` a pair.
    VethDelete,
    /// One `RTM_DELLINK` for the whole device group (`ip link del group N`).
    VethDeleteGroup,
}

impl Operation {
    /// A stable snake_case name, for JSON (`route_add`).
    pub fn key(self) -> &'static str {
        match self {
            Operation::RouteAdd => "route_add",
            Operation::RouteDump => "route_dump",
            Operation::RouteWalk => "route_walk",
            Operation::RouteDelete => "route_delete",
            Operation::AddressAdd => "address_add",
            Operation::AddressDump => "address_dump",
            Operation::AddressWalk => "address_walk",
            Operation::VethAdd => "veth_add",
            Operation::LinkDump => "link_dump",
            Operation::LinkWalk => "link_walk",
            Operation::VethDelete => "veth_delete",
            Operation::VethDeleteGroup => "veth_delete_group",
        }
    }

    /// Words for a person (`route dump (headers only)`).
    pub fn label(self) -> &'static str {
        match self {
            Operation::RouteAdd => "route add",
            Operation::RouteDump => "route dump",
            Operation::RouteWalk => "route dump (headers only)",
            Operation::RouteDelete => "route delete",
            Operation::AddressAdd => "address add",
            Operation::AddressDump => "address dump",
            Operation::AddressWalk => "address dump (headers only)",
            Operation::VethAdd => "veth add",
            Operation::LinkDump => "link dump",
            Operation::LinkWalk => "link dump (headers only)",
            Operation::VethDelete => "veth delete",
            Operation::VethDeleteGroup => "veth delete (group)",
        }
    }

    /// Whether this reads a dump (it has bytes and MB/s; no batch).
    pub fn is_dump(self) -> bool {
        matches!(
            self,
            Operation::RouteDump
                | Operation::RouteWalk
                | Operation::AddressDump
                | Operation::AddressWalk
                | Operation::LinkDump
                | Operation::LinkWalk
        )
    }
}

/// The result of one operation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measurement {
    pub operation: Operation,
    /// Objects added, deleted, or read from the dump.
    pub count: u64,
    /// Requests a `sendmsg` carried; `None` for a dump or a group delete
    /// (one request for everything).
    pub batch: Option<usize>,
    /// Wall time of the operation (never zero).
    pub wall: Duration,
    /// CPU time the process spent in user space during it. With tick-based
    /// accounting (the usual kernel configuration) the split between user
    /// and system is sampled at the clock tick, so for short operations the
    /// split is coarse; the sum is not.
    pub user: Duration,
    /// CPU time the process spent in the kernel during it (the kernel does
    /// netlink's work in the sender's `sendmsg`/`recvmsg`).
    pub system: Duration,
    /// For a dump: bytes of the object messages read (headers included).
    pub bytes: Option<u64>,
}

impl Measurement {
    /// Objects a second, by wall time.
    pub fn per_second(&self) -> f64 {
        self.count as f64 / self.wall.as_secs_f64()
    }

    /// For a dump: megabytes (10^6 bytes) a second, by wall time.
    pub fn megabytes_per_second(&self) -> Option<f64> {
        self.bytes.map(|b| b as f64 / 1e6 / self.wall.as_secs_f64())
    }
}

/// Receives a run's progress; every method has an empty default. Called
/// from the thread that runs the suite.
pub trait Progress: Send {
    /// `operation` starts; it will handle `total` objects.
    fn begin(&mut self, _operation: Operation, _total: u64) {}
    /// Setup that is not measured (`what` says what), before an operation.
    fn setup(&mut self, _what: &str) {}
    /// `done` of the operation's objects are handled (called every few hundred).
    fn advance(&mut self, _done: u64) {}
    /// The operation ended with this result.
    fn end(&mut self, _result: &Measurement) {}
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct Quiet;

impl Progress for Quiet {}

/// Run `suite` with `settings` in a fresh private network namespace and
/// return its measurements in the order they ran. The namespace, and
/// everything in it, is gone when this returns. A request the kernel refuses
/// ends the run with that error; so does a dump that does not show what was
/// added (`Error::Unexpected`).
pub fn run(
    suite: Suite,
    settings: &Settings,
    progress: &mut dyn Progress,
) -> Result<Vec<Measurement>> {
    if settings.count > MAX_COUNT {
        return Err(Error::Invalid(Invalid::OutOfRange {
            what: "objects",
            value: settings.count as u64,
            max: MAX_COUNT as u64,
        }));
    }
    let settings = Settings {
        count: settings.count.max(1),
        batch: settings.batch,
    };
    let ns = NetNs::new_anonymous()?;
    run_in(&ns, || {
        let mut conn = crate::netlink::Connection::route()?;
        match suite {
            Suite::Route => routes::run(&mut conn, &settings, progress),
            Suite::Address => addresses::run(&mut conn, &settings, progress),
            Suite::Link => links::run(&mut conn, &settings, progress),
        }
    })?
}

#[cfg(test)]
mod tests;
