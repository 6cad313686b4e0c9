//! Programs: loading instructions through the verifier (`BPF_PROG_LOAD`),
//! with its log asked for and returned, and what the kernel reports about a
//! loaded program (`struct bpf_prog_info`).
//!
//! A [`Program`] owns its descriptor: the kernel frees the program when the
//! last descriptor closes and nothing pins or attaches it. Nothing here
//! attaches a program anywhere.

use std::ffi::CString;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

use super::kinds::{AttachType, ProgramType};
use super::object::{self, Kind};
use crate::error::{Error, Invalid, Result};
use crate::sys::bpf as sys;

/// How much the verifier writes into its log (`log_level`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LogLevel {
    /// No log while loading. A refused program is loaded once more with
    /// [`LogLevel::Basic`] so the refusal still carries the verifier's words.
    #[default]
    Off,
    /// Level 1: the path the verifier walked and why it stopped.
    Basic,
    /// Level 2: every instruction with the register state before it.
    Verbose,
    /// Level 4 (`BPF_LOG_STATS`): only the statistics at the end.
    Stats,
    /// Any combination of the kernel's bits (1, 2, 4).
    Bits(u32),
}

impl LogLevel {
    /// The kernel's `log_level`.
    pub const fn bits(self) -> u32 {
        match self {
            LogLevel::Off => 0,
            LogLevel::Basic => 1,
            LogLevel::Verbose => 2,
            LogLevel::Stats => 4,
            LogLevel::Bits(b) => b,
        }
    }
}

/// First size of the log buffer; grown fourfold on `ENOSPC` up to
/// [`LOG_MAX`].
const LOG_START: usize = 256 * 1024;
/// The largest log buffer offered (the kernel accepts up to `UINT_MAX >> 2`).
const LOG_MAX: usize = 64 * 1024 * 1024;

/// What to load: the instructions and everything `BPF_PROG_LOAD` is told
/// about them.
#[derive(Debug, Clone)]
pub struct ProgramSpec<'a> {
    pub program_type: ProgramType,
    /// At most 15 bytes of `[A-Za-z0-9_.]` (the kernel checks the characters).
    pub name: &'a str,
    /// Encoded instructions, 8 bytes each in host byte order (`struct bpf_insn`).
    pub instructions: &'a [u8],
    /// `"GPL"` opens the GPL-only helpers.
    pub license: &'a str,
    pub log_level: LogLevel,
    /// Needed at load time by some program types (cgroup, `BPF_XDP_DEVMAP`, ...).
    pub expected_attach_type: Option<AttachType>,
    /// `BPF_F_*` load flags (`prog_flags`).
    pub flags: u32,
}

impl<'a> ProgramSpec<'a> {
    /// A `GPL` program with no log and no flags.
    pub fn new(program_type: ProgramType, name: &'a str, instructions: &'a [u8]) -> Self {
        ProgramSpec {
            program_type,
            name,
            instructions,
            license: "GPL",
            log_level: LogLevel::Off,
            expected_attach_type: None,
            flags: 0,
        }
    }

    pub fn license(mut self, license: &'a str) -> Self {
        self.license = license;
        self
    }

    pub fn log_level(mut self, level: LogLevel) -> Self {
        self.log_level = level;
        self
    }

    pub fn expected_attach_type(mut self, t: AttachType) -> Self {
        self.expected_attach_type = Some(t);
        self
    }

    pub fn flags(mut self, flags: u32) -> Self {
        self.flags = flags;
        self
    }
}

/// A loaded program: its descriptor and the verifier's log of the load
/// (empty when none was asked for).
#[derive(Debug)]
pub struct Program {
    fd: OwnedFd,
    log: String,
}

/// What the kernel reports about a loaded program (`struct bpf_prog_info`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramInfo {
    pub program_type: ProgramType,
    pub id: u32,
    /// The first 8 bytes of a SHA-1 over the instructions (map fds zeroed).
    pub tag: [u8; 8],
    pub name: String,
    /// Bytes of native code after JIT (0 when not JIT-compiled).
    pub jited_len: u32,
    /// Bytes of instructions after the verifier's rewrites (8 per instruction).
    pub xlated_len: u32,
    /// The rewritten instructions themselves (empty when the kernel withheld them).
    pub xlated: Vec<u8>,
    /// Nanoseconds since boot (`CLOCK_BOOTTIME`) at load.
    pub load_time_ns: u64,
    pub created_by_uid: u32,
    /// Ids of the maps the program uses.
    pub map_ids: Vec<u32>,
    /// The device the program was offloaded to, 0 if none.
    pub ifindex: u32,
    pub gpl_compatible: bool,
    pub btf_id: u32,
    /// Time spent running and number of runs, counted only while
    /// `kernel.bpf_stats_enabled` is 1.
    pub run_time_ns: u64,
    pub run_count: u64,
    pub recursion_misses: u64,
    /// Instructions the verifier processed.
    pub verified_insns: u32,
}

impl ProgramInfo {
    /// The tag as bpftool prints it: 16 lowercase hex digits.
    pub fn tag_hex(&self) -> String {
        self.tag.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl Program {
    /// Load `spec` through the verifier.
    ///
    /// A refusal is [`Error::Verifier`] with the errno and the verifier's
    /// log (asked for at level 1 when `spec.log_level` is `Off`). An empty or
    /// ragged instruction slice (not a multiple of 8 bytes), a name over 15
    /// bytes and a NUL in the name or the license are refused before the call.
    #[doc(alias = "BPF_PROG_LOAD")]
    pub fn load(spec: &ProgramSpec<'_>) -> Result<Program> {
        let len = spec.instructions.len();
        if len == 0 || len % 8 != 0 {
            return Err(Invalid::OutOfRange {
                what: "bpf instruction bytes (a multiple of 8)",
                value: len as u64,
                max: u64::from(u32::MAX) * 8,
            }
            .into());
        }
        let license = CString::new(spec.license).map_err(|_| Invalid::NulByte {
            text: spec.license.to_string(),
        })?;
        let mut p = sys::ProgLoad {
            prog_type: spec.program_type.number(),
            name: object::name_bytes(spec.name)?,
            log_level: spec.log_level.bits(),
            prog_flags: spec.flags,
            expected_attach_type: spec.expected_attach_type.map_or(0, AttachType::number),
            kern_version: 0,
        };
        match load_with_log(&p, spec.instructions, &license) {
            Ok(program) => Ok(program),
            Err(Error::Verifier { errno, log }) if p.log_level == 0 => {
                // Once more with a log, for the verifier's reason.
                p.log_level = LogLevel::Basic.bits();
                match load_with_log(&p, spec.instructions, &license) {
                    Err(Error::Verifier { log, .. }) if !log.is_empty() => {
                        Err(Error::Verifier { errno, log })
                    }
                    // Loaded with a log where it failed without one: keep it.
                    Ok(program) => Ok(program),
                    _ => Err(Error::Verifier { errno, log }),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// The verifier's log of this load (empty unless a log level was set).
    pub fn log(&self) -> &str {
        &self.log
    }

    /// What the kernel reports about this program.
    #[doc(alias = "BPF_OBJ_GET_INFO_BY_FD")]
    pub fn info(&self) -> Result<ProgramInfo> {
        program_info(self.fd.as_fd())
    }

    /// Pin the program at `path` on a bpffs.
    #[doc(alias = "BPF_OBJ_PIN")]
    pub fn pin(&self, path: impl AsRef<Path>) -> Result<()> {
        object::pin(self.fd.as_fd(), path.as_ref())
    }

    /// Open the program pinned at `path`.
    #[doc(alias = "BPF_OBJ_GET")]
    pub fn open_pinned(path: impl AsRef<Path>) -> Result<Program> {
        let fd = object::open_pinned(path.as_ref(), Kind::Program)?;
        Ok(Program::from_fd(fd))
    }

    /// Open the program with this id; `Ok(None)` if it is gone.
    #[doc(alias = "BPF_PROG_GET_FD_BY_ID")]
    pub fn from_id(id: u32) -> Result<Option<Program>> {
        Ok(object::fd_by_id(Kind::Program, id)?.map(Program::from_fd))
    }

    pub(crate) fn from_fd(fd: OwnedFd) -> Program {
        Program {
            fd,
            log: String::new(),
        }
    }

    /// The descriptor, for attaching.
    pub fn into_fd(self) -> OwnedFd {
        self.fd
    }
}

impl AsFd for Program {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

/// One load with a log buffer when `p.log_level` asks for one, grown while
/// the kernel says it was too small (`ENOSPC`).
fn load_with_log(p: &sys::ProgLoad, insns: &[u8], license: &CString) -> Result<Program> {
    let mut size = if p.log_level == 0 { 0 } else { LOG_START };
    loop {
        let mut log = vec![0u8; size];
        let result = sys::prog_load(p, insns, license, &mut log);
        let text = log_text(&log);
        match result {
            Ok(fd) => return Ok(Program { fd, log: text }),
            Err(e) if e.raw_os_error() == Some(libc::ENOSPC) && size > 0 && size < LOG_MAX => {
                size *= 4;
            }
            Err(e) => return Err(refusal(e, text)),
        }
    }
}

fn refusal(e: io::Error, log: String) -> Error {
    match e.raw_os_error() {
        Some(errno) => Error::Verifier { errno, log },
        None => Error::io("bpf(BPF_PROG_LOAD)", e),
    }
}

/// The log up to its first NUL, as text.
fn log_text(log: &[u8]) -> String {
    let end = log.iter().position(|&b| b == 0).unwrap_or(log.len());
    String::from_utf8_lossy(&log[..end]).into_owned()
}

/// `bpf_prog_info` of the program behind `fd`.
pub(crate) fn program_info(fd: BorrowedFd<'_>) -> Result<ProgramInfo> {
    object::expect_kind(fd, Kind::Program)?;
    let raw = sys::prog_info(fd)?;
    let i = raw.info;
    Ok(ProgramInfo {
        program_type: ProgramType::from_number(i.type_),
        id: i.id,
        tag: i.tag,
        name: object::name_text(&i.name),
        jited_len: i.jited_prog_len,
        xlated_len: i.xlated_prog_len,
        xlated: raw.xlated,
        load_time_ns: i.load_time,
        created_by_uid: i.created_by_uid,
        map_ids: raw.map_ids,
        ifindex: i.ifindex,
        gpl_compatible: i.gpl_compatible & 1 != 0,
        btf_id: i.btf_id,
        run_time_ns: i.run_time_ns,
        run_count: i.run_cnt,
        recursion_misses: i.recursion_misses,
        verified_insns: i.verified_insns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ragged_or_empty_instructions_are_refused_before_the_call() {
        for bytes in [&[][..], &[0u8; 7][..], &[0u8; 12][..]] {
            let spec = ProgramSpec::new(ProgramType::Xdp, "x", bytes);
            assert!(matches!(
                Program::load(&spec),
                Err(Error::Invalid(Invalid::OutOfRange { .. }))
            ));
        }
    }

    #[test]
    fn log_text_stops_at_the_nul() {
        assert_eq!(log_text(b"abc\0\0def"), "abc");
        assert_eq!(log_text(b"abc"), "abc");
        assert_eq!(log_text(b""), "");
    }
}
