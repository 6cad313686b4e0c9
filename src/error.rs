//! Errors of the library: what callers can match on.
//!
//! The library never prints and never exits. [`Error`] is the one error type of
//! every fallible public function; [`KernelError`] carries what the kernel said
//! (errno, extended-ack text, the offending attribute), [`DecodeError`] says where
//! and why bytes could not be read. The CLI turns an `Error` into one line.

use std::fmt;
use std::io;

/// Everything that can go wrong in rawnet.
#[derive(Debug)]
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
    /// A caller-supplied value is not acceptable (bad name, bad address, ...).
    Invalid(String),
    /// A named object does not exist ("Cannot find device \"x\"").
    NotFound(String),
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
            Error::Invalid(s) => f.write_str(s),
            Error::NotFound(s) => f.write_str(s),
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
}

impl KernelError {
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
    /// As iproute2 prints it: `Error: <text>.` when the kernel explained itself,
    /// otherwise `RTNETLINK answers: <strerror>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(m) if !m.is_empty() => {
                write!(f, "Error: {m}")?;
                if !m.ends_with('.') {
                    f.write_str(".")?;
                }
                Ok(())
            }
            _ => write!(f, "RTNETLINK answers: {}", self.errno_text()),
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
