//! Errors of the library: what callers can match on.
//!
//! The library never prints and never exits. [`Error`] is the one error type of
//! every fallible public function; [`KernelError`] carries what the kernel said
//! (errno, extended-ack text, the offending attribute), [`DecodeError`] says where
//! and why bytes could not be read, [`Invalid`] why a caller's value was refused
//! before anything was sent, [`NotFound`] which object does not exist.
//!
//! `Display` is in the library's own neutral words for every netlink family;
//! iproute2's wording (`RTNETLINK answers: ...`, `Cannot find device "x"`) and
//! exit codes are the CLI's translation of these reasons.

use std::fmt;
use std::io;
use std::net::IpAddr;

/// Everything that can go wrong in rawnet. More variants may come: match with
/// a wildcard arm.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A system call failed; `op` names it ("socket", "setns", "open /run/netns/x").
    Io { op: String, source: io::Error },
    /// The kernel refused a netlink request.
    Kernel(KernelError),
    /// Bytes from the kernel (or a file) could not be decoded.
    Decode(DecodeError),
    /// A dump was interrupted by concurrent changes `attempts` times in a row.
    DumpInterrupted { attempts: u32 },
    /// A request does not fit the netlink limits (an attribute over 64 KiB,
    /// a message over 4 GiB) or a reply was larger than the receive buffer.
    Truncated { what: &'static str },
    /// A caller-supplied value was refused before anything was sent; the
    /// reason keeps the offending value.
    Invalid(Invalid),
    /// The object a caller named does not exist.
    NotFound(NotFound),
    /// A flush still found objects to delete after `rounds` rounds.
    FlushIncomplete { rounds: u32 },
    /// The kernel refused to load a bpf program (`BPF_PROG_LOAD`): `errno`
    /// (`EACCES` from the verifier, `EINVAL` for a malformed request, ...)
    /// and the verifier's log, empty when the kernel wrote none.
    Verifier { errno: i32, log: String },
    /// A lab scenario or a benchmark saw something it did not expect; the
    /// text says what (these are reports, not reasons to match on).
    Unexpected(String),
}

impl Error {
    /// An `Io` error from the last OS error, naming the failed operation.
    pub fn last_os(op: impl Into<String>) -> Error {
        Error::Io {
            op: op.into(),
            source: io::Error::last_os_error(),
        }
    }

    /// An `Io` error from an `io::Error`, naming the failed operation.
    pub fn io(op: impl Into<String>, source: io::Error) -> Error {
        Error::Io {
            op: op.into(),
            source,
        }
    }

    /// The errno behind this error, if there is one.
    pub fn errno(&self) -> Option<i32> {
        match self {
            Error::Io { source, .. } => source.raw_os_error(),
            Error::Kernel(k) => Some(k.errno),
            Error::Verifier { errno, .. } => Some(*errno),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { op, source } => write!(f, "{op}: {source}"),
            Error::Kernel(k) => k.fmt(f),
            Error::Decode(d) => write!(f, "cannot decode kernel reply: {d}"),
            Error::DumpInterrupted { attempts } => write!(
                f,
                "dump was interrupted by concurrent changes {attempts} times in a row; try again"
            ),
            Error::Truncated { what } => write!(f, "{what} does not fit"),
            Error::Invalid(i) => i.fmt(f),
            Error::NotFound(n) => n.fmt(f),
            Error::FlushIncomplete { rounds } => {
                write!(f, "flush incomplete: objects remain after {rounds} rounds")
            }
            Error::Verifier { errno, log } => {
                write!(f, "kernel refused the bpf program: {}", errno_text(*errno))?;
                match log.trim_end() {
                    "" => Ok(()),
                    log => write!(f, "\nverifier log:\n{log}"),
                }
            }
            Error::Unexpected(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Decode(e)
    }
}

impl From<KernelError> for Error {
    fn from(e: KernelError) -> Self {
        Error::Kernel(e)
    }
}

impl From<Invalid> for Error {
    fn from(e: Invalid) -> Self {
        Error::Invalid(e)
    }
}

impl From<NotFound> for Error {
    fn from(e: NotFound) -> Self {
        Error::NotFound(e)
    }
}

/// Why a caller's value was refused. Each reason keeps the offending value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Invalid {
    /// An interface name the kernel would refuse (`dev_valid_name`).
    IfName { name: String, reason: NameProblem },
    /// An alternative interface name the kernel would refuse.
    AltName { name: String, reason: NameProblem },
    /// A network namespace name that is not a plain file name under
    /// `/run/netns` (empty, `.`, `..`, a `/`, over 255 bytes).
    NetnsName { name: String },
    /// A sysctl name outside `net.*`, or with characters no sysctl has.
    Sysctl { name: String },
    /// Text that is not an address of `family` (`AF_INET`, `AF_INET6`; 0: any).
    Address { text: String, family: u8 },
    /// Text that is not a prefix (`ADDR[/LEN]`) of `family` (0: any).
    Prefix { text: String, family: u8 },
    /// Text that is not a link-layer address (`hh:hh:...`, at most 32 bytes).
    LinkLayerAddress { text: String },
    /// An address whose family differs from the request's. `what` names its
    /// role: `"destination"`, `"source"`, `"preferred source"` (routes),
    /// `"peer"`, `"broadcast"`, `"anycast"` (addresses), `"source address"`
    /// (echo sockets), `"socket"` (a pinger whose socket is of another family;
    /// no address then).
    FamilyMismatch {
        what: &'static str,
        address: Option<IpAddr>,
    },
    /// A computed broadcast (`broadcast +`/`-`) for an address that is not IPv4.
    ComputedBroadcast,
    /// A link alias of `IFALIASZ` (256) bytes or more.
    Alias { text: String },
    /// A VXLAN network identifier above 24 bits.
    VxlanId(u32),
    /// VXLAN settings that exclude each other.
    Vxlan(VxlanConflict),
    /// The peer of a veth given a kind of its own.
    PeerKind,
    /// A new link whose common attributes also rename it or set a kind (the
    /// name and the kind belong to the spec).
    NewLinkChanges,
    /// A rename that names the link it renames; a rename needs the index.
    RenameByName { name: String },
    /// Something required was not given.
    Missing(Missing),
    /// A number above what its field takes: `what` names the field.
    OutOfRange {
        what: &'static str,
        value: u64,
        max: u64,
    },
    /// Text with a NUL byte where a C string is needed.
    NulByte { text: String },
    /// A path a bpf object cannot be pinned at (checked before anything is
    /// created, so a refusal leaves nothing behind).
    PinPath { path: String, problem: PinProblem },
}

/// Why a bpf object cannot be pinned at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PinProblem {
    /// Something is there already.
    Exists,
    /// Its directory does not exist (or is no directory).
    NoDirectory,
    /// Its directory is not on a bpffs (`mount -t bpf`).
    NotBpffs,
}

/// What is wrong with an interface name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NameProblem {
    Empty,
    /// `IFNAMSIZ` (16) bytes or more; `ALTIFNAMSIZ` (128) for an altname.
    TooLong,
    /// `.` or `..`.
    Dots,
    /// A byte names may not hold: `/`, `:` (not in altnames), white space.
    Byte(u8),
}

/// VXLAN settings that exclude each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VxlanConflict {
    /// `vnifilter` without `external`.
    VniFilterWithoutExternal,
    /// `external` together with an id.
    ExternalWithId,
    /// A multicast group without a device.
    GroupWithoutDevice,
}

/// Something a request needs and was not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Missing {
    /// A command to run (an empty `argv`).
    Command,
    /// At least one alternative name.
    AltName,
    /// A neighbour entry's destination (`NDA_DST`).
    NeighbourDestination,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Invalid::IfName { name, reason } => {
                write!(f, "invalid interface name {name:?}: {reason}")
            }
            Invalid::AltName { name, reason } => {
                write!(f, "invalid alternative name {name:?}: {reason}")
            }
            Invalid::NetnsName { name } => write!(f, "invalid namespace name {name:?}"),
            Invalid::Sysctl { name } => write!(f, "{name:?} is not a net.* sysctl"),
            Invalid::Address { text, family } => {
                write!(f, "{text:?} is not {} address", family_article(*family))
            }
            Invalid::Prefix { text, family } => {
                write!(f, "{text:?} is not {} prefix", family_article(*family))
            }
            Invalid::LinkLayerAddress { text } => {
                write!(f, "{text:?} is not a link-layer address")
            }
            Invalid::FamilyMismatch {
                what,
                address: Some(a),
            } => write!(f, "{what} {a} is not of the request's address family"),
            Invalid::FamilyMismatch {
                what,
                address: None,
            } => write!(f, "{what} is not of the request's address family"),
            Invalid::ComputedBroadcast => {
                f.write_str("a broadcast address can be computed only for IPv4")
            }
            Invalid::Alias { text } => write!(f, "alias of {} bytes is too long", text.len()),
            Invalid::VxlanId(id) => write!(f, "VXLAN id {id} does not fit 24 bits"),
            Invalid::Vxlan(c) => c.fmt(f),
            Invalid::PeerKind => f.write_str("a veth peer cannot have a kind of its own"),
            Invalid::NewLinkChanges => {
                f.write_str("a new link's attributes cannot rename it or set its kind")
            }
            Invalid::RenameByName { name } => {
                write!(f, "renaming {name:?} needs its index, not its name")
            }
            Invalid::Missing(m) => m.fmt(f),
            Invalid::OutOfRange { what, value, max } => {
                write!(f, "{what} {value} is out of range (at most {max})")
            }
            Invalid::NulByte { text } => write!(f, "{text:?} contains a NUL byte"),
            // bpftool's words (common.c, mount_bpffs_for_file).
            Invalid::PinPath { path, problem } => {
                let dir = match std::path::Path::new(path).parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.display().to_string(),
                    _ => ".".to_string(),
                };
                match problem {
                    PinProblem::Exists => {
                        write!(f, "can't pin BPF object: path '{path}' already exists")
                    }
                    PinProblem::NoDirectory => {
                        write!(f, "can't pin BPF object: dir '{dir}' doesn't exist")
                    }
                    PinProblem::NotBpffs => write!(
                        f,
                        "can't pin BPF object: dir '{dir}' is not on a BPF file system"
                    ),
                }
            }
        }
    }
}

/// "an IPv4" / "an IPv6" / "an" (any family).
fn family_article(family: u8) -> &'static str {
    match i32::from(family) {
        libc::AF_INET => "an IPv4",
        libc::AF_INET6 => "an IPv6",
        _ => "an",
    }
}

impl fmt::Display for NameProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameProblem::Empty => f.write_str("empty"),
            NameProblem::TooLong => f.write_str("too long"),
            NameProblem::Dots => f.write_str("\".\" and \"..\" are not names"),
            NameProblem::Byte(b) => write!(f, "holds {:?}", char::from(*b)),
        }
    }
}

impl fmt::Display for VxlanConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            VxlanConflict::VniFilterWithoutExternal => "VXLAN vnifilter needs external",
            VxlanConflict::ExternalWithId => "VXLAN external excludes an id",
            VxlanConflict::GroupWithoutDevice => "VXLAN multicast group needs a device",
        })
    }
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Missing::Command => "no command given",
            Missing::AltName => "no alternative name given",
            Missing::NeighbourDestination => "neighbour entry without a destination",
        })
    }
}

/// Which object was not found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotFound {
    /// No link has this name (or alternative name).
    Link(String),
    /// No namespace has this id (`ip netns list-id nsid N`).
    Nsid(i32),
}

impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotFound::Link(name) => write!(f, "no link named {name:?}"),
            NotFound::Nsid(id) => write!(f, "no namespace with id {id}"),
        }
    }
}

/// What the kernel answered to a request it refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelError {
    /// Positive errno (`libc::EEXIST`, ...).
    pub errno: i32,
    /// The extended-ack text (`NLMSGERR_ATTR_MSG`), when the kernel gave one.
    pub message: Option<String>,
    /// Byte offset of the offending attribute in our request (`NLMSGERR_ATTR_OFFS`).
    pub offset: Option<u32>,
    /// Type of the attribute found at `offset` in our request, when we could resolve it.
    pub attribute: Option<u16>,
    /// The request's message type (`RTM_NEWLINK`, ...).
    pub request_type: u16,
    /// The netlink protocol the request went over (`NETLINK_ROUTE`,
    /// `NETLINK_NETFILTER`, ...): a caller words the refusal by it (iproute2
    /// says `RTNETLINK answers`, nft `Could not process rule`).
    pub protocol: i32,
}

impl KernelError {
    /// The same refusal, said to have come over `protocol`.
    pub fn over(mut self, protocol: i32) -> Self {
        self.protocol = protocol;
        self
    }

    /// `strerror(errno)` without the " (os error N)" suffix.
    pub fn errno_text(&self) -> String {
        errno_text(self.errno)
    }
}

/// `strerror(errno)` without the " (os error N)" suffix that `io::Error` appends.
pub fn errno_text(errno: i32) -> String {
    let s = io::Error::from_raw_os_error(errno).to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

impl fmt::Display for KernelError {
    /// Neutral for every netlink family: `kernel: <strerror>`, then the
    /// kernel's explanation when it gave one (`kernel: File exists: <text>`).
    /// iproute2's words are the CLI's.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "kernel: {}", self.errno_text())?;
        match &self.message {
            Some(m) if !m.is_empty() => write!(f, ": {m}"),
            _ => Ok(()),
        }
    }
}

/// Why some bytes could not be decoded. Small and `Copy`: where, and what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeError {
    /// What was being read: a kernel name such as `"IFLA_MTU"`, `"nlmsghdr"`, `"nlattr"`.
    pub what: &'static str,
    pub problem: Problem,
}

/// The ways bytes can be wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Fewer bytes than the structure needs.
    Short { want: usize, got: usize },
    /// A fixed-size value of the wrong size.
    Length { want: usize, got: usize },
    /// A length field smaller than its own header or larger than what remains.
    BadLength { claimed: usize, remaining: usize },
    /// A string attribute without its terminating NUL, or not UTF-8.
    BadString,
    /// A value outside what the field allows.
    BadValue,
}

impl DecodeError {
    pub const fn new(what: &'static str, problem: Problem) -> Self {
        DecodeError { what, problem }
    }

    /// The same problem, reported under a more specific name.
    pub const fn named(self, what: &'static str) -> Self {
        DecodeError {
            what,
            problem: self.problem,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.what)?;
        match self.problem {
            Problem::Short { want, got } => write!(f, "need {want} bytes, got {got}"),
            Problem::Length { want, got } => write!(f, "want {want} bytes, got {got}"),
            Problem::BadLength { claimed, remaining } => {
                write!(
                    f,
                    "length {claimed} does not fit the {remaining} bytes left"
                )
            }
            Problem::BadString => f.write_str("not a NUL-terminated UTF-8 string"),
            Problem::BadValue => f.write_str("value out of range"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Result with rawnet's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
