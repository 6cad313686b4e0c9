//! The `bpf(2)` system call: the `union bpf_attr` members rawnet uses, as
//! `#[repr(C)]` zerocopy structs with the 6.1 uapi layout, and one wrapper per
//! command.
//!
//! Soundness: every pointer the kernel reads or writes through is set here,
//! from a slice whose length is what the kernel is told (or, for map keys and
//! values, what the map's sizes say). Map element access goes through
//! [`MapFd`], which can only be built here and carries the sizes the kernel
//! reported for that very descriptor, so a key or value buffer of the wrong
//! length is refused before the call. The layouts are pinned with const
//! asserts and checked against `/usr/include/linux/bpf.h` in
//! `bpf_uapi_tests.rs`. Every `unsafe` block carries a `// SAFETY:` line.

use std::ffi::CStr;
use std::io;
use std::mem::size_of;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use crate::error::{Error, Result};

pub const BPF_MAP_CREATE: u32 = 0;
pub const BPF_MAP_LOOKUP_ELEM: u32 = 1;
pub const BPF_MAP_UPDATE_ELEM: u32 = 2;
pub const BPF_MAP_DELETE_ELEM: u32 = 3;
pub const BPF_MAP_GET_NEXT_KEY: u32 = 4;
pub const BPF_PROG_LOAD: u32 = 5;
pub const BPF_OBJ_PIN: u32 = 6;
pub const BPF_OBJ_GET: u32 = 7;
pub const BPF_PROG_GET_NEXT_ID: u32 = 11;
pub const BPF_MAP_GET_NEXT_ID: u32 = 12;
pub const BPF_PROG_GET_FD_BY_ID: u32 = 13;
pub const BPF_MAP_GET_FD_BY_ID: u32 = 14;
pub const BPF_OBJ_GET_INFO_BY_FD: u32 = 15;
pub const BPF_PROG_ATTACH: u32 = 8;
pub const BPF_PROG_DETACH: u32 = 9;
pub const BPF_PROG_QUERY: u32 = 16;
pub const BPF_LINK_CREATE: u32 = 28;
pub const BPF_LINK_GET_FD_BY_ID: u32 = 30;
pub const BPF_LINK_GET_NEXT_ID: u32 = 31;
pub const BPF_LINK_DETACH: u32 = 34;

/// `BPF_PROG_ATTACH` / `BPF_LINK_CREATE` flags of the multi-program
/// attachment points (tcx, netkit; linux/bpf.h of 6.6): place the new
/// program before / after the one named by `relative_fd` (or, with
/// `BPF_F_ID`, `relative_id`); with `BPF_F_LINK` that names a link.
pub const BPF_F_BEFORE: u32 = 1 << 3;
pub const BPF_F_AFTER: u32 = 1 << 4;
pub const BPF_F_ID: u32 = 1 << 5;

/// Length of the name fields, with the terminating NUL.
pub const BPF_OBJ_NAME_LEN: usize = 16;
/// Length of a program's tag (the first 8 bytes of a SHA-1 of its instructions).
pub const BPF_TAG_SIZE: usize = 8;

/// The map types whose lookups return one value per possible CPU.
const BPF_MAP_TYPE_PERCPU_HASH: u32 = 5;
const BPF_MAP_TYPE_PERCPU_ARRAY: u32 = 6;
const BPF_MAP_TYPE_LRU_PERCPU_HASH: u32 = 10;
const BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE: u32 = 21;

/// The `BPF_MAP_CREATE` member of `union bpf_attr`.
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
pub struct MapCreateAttr {
    pub map_type: u32,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub map_flags: u32,
    pub inner_map_fd: u32,
    pub numa_node: u32,
    pub map_name: [u8; BPF_OBJ_NAME_LEN],
    pub map_ifindex: u32,
    pub btf_fd: u32,
    pub btf_key_type_id: u32,
    pub btf_value_type_id: u32,
    pub btf_vmlinux_value_type_id: u32,
    pub map_extra: u64,
}

/// The `BPF_MAP_*_ELEM` and `BPF_MAP_GET_NEXT_KEY` member (`value` is
/// `next_key` for the latter). Pointers are user addresses as `u64`.
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
pub struct MapElemAttr {
    pub map_fd: u32,
    pub _pad: u32,
    pub key: u64,
    pub value: u64,
    pub flags: u64,
}

/// The `BPF_PROG_LOAD` member, up to `core_relo_rec_size` (6.1).
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
pub struct ProgLoadAttr {
    pub prog_type: u32,
    pub insn_cnt: u32,
    pub insns: u64,
    pub license: u64,
    pub log_level: u32,
    pub log_size: u32,
    pub log_buf: u64,
    pub kern_version: u32,
    pub prog_flags: u32,
    pub prog_name: [u8; BPF_OBJ_NAME_LEN],
    pub prog_ifindex: u32,
    pub expected_attach_type: u32,
    pub prog_btf_fd: u32,
    pub func_info_rec_size: u32,
    pub func_info: u64,
    pub func_info_cnt: u32,
    pub line_info_rec_size: u32,
    pub line_info: u64,
    pub line_info_cnt: u32,
    pub attach_btf_id: u32,
    /// Or `attach_btf_obj_fd` (a union in the kernel's struct).
    pub attach_prog_fd: u32,
    pub core_relo_cnt: u32,
    pub fd_array: u64,
    pub core_relos: u64,
    pub core_relo_rec_size: u32,
    /// Padding in the 6.1 headers; `log_true_size` (written by the kernel) from 6.4.
    pub _pad: u32,
}

/// The `BPF_OBJ_PIN` / `BPF_OBJ_GET` member.
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
pub struct ObjAttr {
    pub pathname: u64,
    pub bpf_fd: u32,
    pub file_flags: u32,
}

/// The `BPF_*_GET_NEXT_ID` / `BPF_*_GET_FD_BY_ID` member (`start_id` is
/// `prog_id` / `map_id` for the latter).
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
pub struct GetIdAttr {
    pub start_id: u32,
    pub next_id: u32,
    pub open_flags: u32,
}

/// The `BPF_OBJ_GET_INFO_BY_FD` member (`info` in the kernel's union).
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
pub struct InfoAttr {
    pub bpf_fd: u32,
    pub info_len: u32,
    pub info: u64,
}

/// `struct bpf_prog_info` (6.1). Pointer fields are user addresses as `u64`.
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
pub struct BpfProgInfo {
    pub type_: u32,
    pub id: u32,
    pub tag: [u8; BPF_TAG_SIZE],
    pub jited_prog_len: u32,
    pub xlated_prog_len: u32,
    pub jited_prog_insns: u64,
    pub xlated_prog_insns: u64,
    /// Nanoseconds since boot (`CLOCK_BOOTTIME`).
    pub load_time: u64,
    pub created_by_uid: u32,
    pub nr_map_ids: u32,
    pub map_ids: u64,
    pub name: [u8; BPF_OBJ_NAME_LEN],
    pub ifindex: u32,
    /// Bit 0: `gpl_compatible`; the other bits are padding.
    pub gpl_compatible: u32,
    pub netns_dev: u64,
    pub netns_ino: u64,
    pub nr_jited_ksyms: u32,
    pub nr_jited_func_lens: u32,
    pub jited_ksyms: u64,
    pub jited_func_lens: u64,
    pub btf_id: u32,
    pub func_info_rec_size: u32,
    pub func_info: u64,
    pub nr_func_info: u32,
    pub nr_line_info: u32,
    pub line_info: u64,
    pub jited_line_info: u64,
    pub nr_jited_line_info: u32,
    pub line_info_rec_size: u32,
    pub jited_line_info_rec_size: u32,
    pub nr_prog_tags: u32,
    pub prog_tags: u64,
    pub run_time_ns: u64,
    pub run_cnt: u64,
    pub recursion_misses: u64,
    pub verified_insns: u32,
    pub attach_btf_obj_id: u32,
    pub attach_btf_id: u32,
    pub _pad: u32,
}

/// `struct bpf_map_info` (6.1).
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
pub struct BpfMapInfo {
    pub type_: u32,
    pub id: u32,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub map_flags: u32,
    pub name: [u8; BPF_OBJ_NAME_LEN],
    pub ifindex: u32,
    pub btf_vmlinux_value_type_id: u32,
    pub netns_dev: u64,
    pub netns_ino: u64,
    pub btf_id: u32,
    pub btf_key_type_id: u32,
    pub btf_value_type_id: u32,
    pub _pad: u32,
    pub map_extra: u64,
}

/// The `BPF_PROG_ATTACH` / `BPF_PROG_DETACH` member. `target` is
/// `target_fd` or, for tcx, `target_ifindex`; `relative` is `relative_fd`
/// or `relative_id` (with `BPF_F_ID`). The 6.1 headers end at
/// `replace_bpf_fd`; `relative_*` and `expected_revision` are 6.6's.
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
pub struct ProgAttachAttr {
    pub target: u32,
    pub attach_bpf_fd: u32,
    pub attach_type: u32,
    pub attach_flags: u32,
    pub replace_bpf_fd: u32,
    pub relative: u32,
    /// 0: any; otherwise the attach fails with `ESTALE` unless the
    /// attachment point's revision is this one.
    pub expected_revision: u64,
}

/// The `BPF_PROG_QUERY` member (`query` in the kernel's union). The 6.1
/// headers end at `prog_attach_flags`; `link_ids`, `link_attach_flags` and
/// `revision` are 6.6's.
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
pub struct ProgQueryAttr {
    /// `target_fd` or `target_ifindex`.
    pub target: u32,
    pub attach_type: u32,
    pub query_flags: u32,
    /// Out: the attachment point's flags.
    pub attach_flags: u32,
    pub prog_ids: u64,
    /// In: room in the arrays; out: programs attached (`prog_cnt` / `count`).
    pub count: u32,
    pub _pad: u32,
    pub prog_attach_flags: u64,
    pub link_ids: u64,
    pub link_attach_flags: u64,
    /// Out: the attachment point's revision (changes with every attach and detach).
    pub revision: u64,
}

/// The `BPF_LINK_CREATE` member with its `tcx` union (6.6): `relative` is
/// `relative_fd` / `relative_id`. In the 6.1 headers the union's first
/// word is `target_btf_id` and its second `u64` `tracing.cookie`.
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
pub struct LinkCreateAttr {
    pub prog_fd: u32,
    /// `target_fd` or `target_ifindex`.
    pub target: u32,
    pub attach_type: u32,
    pub flags: u32,
    pub relative: u32,
    pub _pad: u32,
    pub expected_revision: u64,
}

/// The `BPF_LINK_DETACH` member.
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
pub struct LinkDetachAttr {
    pub link_fd: u32,
}

/// `struct bpf_link_info`: the common head and the per-type union as raw
/// words (its largest members, `perf_event` and `uprobe_multi`, are 48
/// bytes in 6.18). [`BpfLinkInfo::word`] reads a `u32` of the union by its
/// byte offset in the union; the offsets rawnet reads are named below.
#[derive(Debug, Clone, Copy, Default, FromBytes, IntoBytes, KnownLayout, Immutable)]
#[repr(C)]
pub struct BpfLinkInfo {
    pub type_: u32,
    pub id: u32,
    pub prog_id: u32,
    pub _pad: u32,
    pub union: [u64; 6],
}

/// Byte offsets in `bpf_link_info`'s union: `xdp.ifindex`, `tcx.ifindex`,
/// `netkit.ifindex`, `netns.netns_ino`, `tracing.attach_type`,
/// `struct_ops.map_id`, `sockmap.map_id` are its first word; `tcx.attach_type`,
/// `netns.attach_type`, `netkit.attach_type`, `sockmap.attach_type` its
/// second; `cgroup.cgroup_id` is the first `u64` and `cgroup.attach_type`
/// the word after it.
pub const LINK_INFO_FIRST: usize = 0;
pub const LINK_INFO_SECOND: usize = 4;
pub const LINK_INFO_CGROUP_ATTACH_TYPE: usize = 8;

impl BpfLinkInfo {
    /// The `u32` at byte `offset` of the union (0 past its end).
    pub fn word(&self, offset: usize) -> u32 {
        self.union
            .as_bytes()
            .get(offset..offset + 4)
            .and_then(|b| b.try_into().ok())
            .map_or(0, u32::from_ne_bytes)
    }

    /// The first `u64` of the union (`cgroup.cgroup_id`).
    pub fn first_u64(&self) -> u64 {
        self.union[0]
    }
}

const _: () = assert!(size_of::<ProgAttachAttr>() == 32);
const _: () = assert!(size_of::<ProgQueryAttr>() == 64);
const _: () = assert!(size_of::<LinkCreateAttr>() == 32);
const _: () = assert!(size_of::<LinkDetachAttr>() == 4);
const _: () = assert!(size_of::<BpfLinkInfo>() == 64);
const _: () = assert!(std::mem::offset_of!(BpfLinkInfo, union) == 16);
const _: () = assert!(size_of::<MapCreateAttr>() == 72);
const _: () = assert!(size_of::<MapElemAttr>() == 32);
const _: () = assert!(size_of::<ProgLoadAttr>() == 144);
const _: () = assert!(size_of::<ObjAttr>() == 16);
const _: () = assert!(size_of::<GetIdAttr>() == 12);
const _: () = assert!(size_of::<InfoAttr>() == 16);
const _: () = assert!(size_of::<BpfProgInfo>() == 232);
const _: () = assert!(size_of::<BpfMapInfo>() == 88);
const _: () = assert!(std::mem::offset_of!(ProgLoadAttr, prog_name) == 48);
const _: () = assert!(std::mem::offset_of!(ProgLoadAttr, expected_attach_type) == 68);
const _: () = assert!(std::mem::offset_of!(MapCreateAttr, map_name) == 28);
const _: () = assert!(std::mem::offset_of!(MapCreateAttr, map_extra) == 64);
const _: () = assert!(std::mem::offset_of!(BpfProgInfo, name) == 64);
const _: () = assert!(std::mem::offset_of!(BpfProgInfo, verified_insns) == 216);
const _: () = assert!(std::mem::offset_of!(BpfMapInfo, map_extra) == 80);

/// A user address for the kernel, as `union bpf_attr` carries it.
fn addr<T>(p: *const T) -> u64 {
    p as usize as u64
}

/// `bpf(cmd, attr, sizeof *attr)`: the raw return (an fd or 0), or the
/// errno as an `io::Error`.
///
/// Private: callers must have set every pointer field of `attr` to memory
/// they own and that is as large as the field's length says.
fn bpf<A: IntoBytes + FromBytes + Immutable>(cmd: u32, attr: &mut A) -> io::Result<i64> {
    // SAFETY: `attr` is a live, writable `union bpf_attr` member of
    // `size_of::<A>()` bytes (the size we pass); every pointer inside it
    // was set by this module's callers to owned buffers of the lengths the
    // attr states, which outlive the call.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_bpf,
            libc::c_long::from(cmd as i32),
            attr as *mut A,
            size_of::<A>() as libc::c_ulong,
        )
    };
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

/// A descriptor returned by `bpf(2)`, owned.
fn owned_fd(ret: i64) -> io::Result<OwnedFd> {
    let fd = i32::try_from(ret).map_err(|_| io::Error::from_raw_os_error(libc::EBADF))?;
    // SAFETY: the kernel just returned `fd` as a new descriptor (opened
    // with O_CLOEXEC by bpf(2)); nobody else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

fn op_error(cmd: &'static str) -> impl FnOnce(io::Error) -> Error {
    move |e| Error::io(format!("bpf({cmd})"), e)
}

/// What `BPF_PROG_LOAD` needs besides the instructions, the license and the log.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ProgLoad {
    pub prog_type: u32,
    pub name: [u8; BPF_OBJ_NAME_LEN],
    pub log_level: u32,
    pub prog_flags: u32,
    pub expected_attach_type: u32,
    pub kern_version: u32,
}

/// `bpf(BPF_PROG_LOAD)`: `insns` are whole 8-byte instructions (a tail is
/// ignored); `log` receives the verifier's text when `p.log_level` is not 0.
/// The errno comes back unwrapped so the caller can pair it with the log.
pub(crate) fn prog_load(
    p: &ProgLoad,
    insns: &[u8],
    license: &CStr,
    log: &mut [u8],
) -> io::Result<OwnedFd> {
    let insn_cnt =
        u32::try_from(insns.len() / 8).map_err(|_| io::Error::from_raw_os_error(libc::E2BIG))?;
    // The kernel refuses log sizes above UINT_MAX >> 2.
    let log_size = u32::try_from(log.len())
        .unwrap_or(u32::MAX)
        .min(u32::MAX >> 2);
    let mut attr = ProgLoadAttr {
        prog_type: p.prog_type,
        insn_cnt,
        insns: addr(insns.as_ptr()),
        license: addr(license.as_ptr()),
        log_level: if log_size == 0 { 0 } else { p.log_level },
        log_size: if p.log_level == 0 { 0 } else { log_size },
        log_buf: if p.log_level == 0 || log_size == 0 {
            0
        } else {
            addr(log.as_mut_ptr())
        },
        kern_version: p.kern_version,
        prog_flags: p.prog_flags,
        prog_name: p.name,
        expected_attach_type: p.expected_attach_type,
        ..Default::default()
    };
    owned_fd(bpf(BPF_PROG_LOAD, &mut attr)?)
}

/// What `BPF_MAP_CREATE` needs.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct MapCreate {
    pub map_type: u32,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub map_flags: u32,
    pub name: [u8; BPF_OBJ_NAME_LEN],
}

/// A map descriptor with the key and value sizes the kernel reported for it:
/// the only way to reach the element commands.
#[derive(Debug)]
pub(crate) struct MapFd {
    fd: OwnedFd,
    key_size: usize,
    /// Bytes one lookup writes: `value_size`, or for per-CPU maps
    /// `round_up(value_size, 8) * possible CPUs`.
    value_len: usize,
    info: BpfMapInfo,
}

impl AsFd for MapFd {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

/// `bpf(BPF_MAP_CREATE)`.
pub(crate) fn map_create(m: &MapCreate) -> Result<MapFd> {
    let mut attr = MapCreateAttr {
        map_type: m.map_type,
        key_size: m.key_size,
        value_size: m.value_size,
        max_entries: m.max_entries,
        map_flags: m.map_flags,
        map_name: m.name,
        ..Default::default()
    };
    let fd = bpf(BPF_MAP_CREATE, &mut attr)
        .and_then(owned_fd)
        .map_err(op_error("BPF_MAP_CREATE"))?;
    MapFd::new(fd)
}

/// What `/proc/self/fd/N` says a descriptor is: `anon_inode:bpf-map`,
/// `anon_inode:bpf-prog`, ...
pub(crate) fn fd_kind(fd: BorrowedFd<'_>) -> Result<String> {
    let path = format!("/proc/self/fd/{}", fd.as_raw_fd());
    let target = std::fs::read_link(&path).map_err(|e| Error::io(format!("readlink {path}"), e))?;
    Ok(target.to_string_lossy().into_owned())
}

/// Number of possible CPUs (`/sys/devices/system/cpu/possible`, `0-3,5`):
/// the number of values a per-CPU map lookup returns.
pub(crate) fn possible_cpus() -> Result<usize> {
    const PATH: &str = "/sys/devices/system/cpu/possible";
    let text = std::fs::read_to_string(PATH).map_err(|e| Error::io(format!("read {PATH}"), e))?;
    parse_cpu_list(text.trim()).ok_or_else(|| {
        Error::Decode(crate::error::DecodeError::new(
            "cpu/possible",
            crate::error::Problem::BadValue,
        ))
    })
}

/// Whether a lookup in a map of this `BPF_MAP_TYPE_*` returns one value per
/// possible CPU (each rounded up to 8 bytes).
pub(crate) fn is_per_cpu_map(map_type: u32) -> bool {
    matches!(
        map_type,
        BPF_MAP_TYPE_PERCPU_HASH
            | BPF_MAP_TYPE_PERCPU_ARRAY
            | BPF_MAP_TYPE_LRU_PERCPU_HASH
            | BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE
    )
}

/// Count the CPUs of a kernel CPU list (`0-3,5,7-8`).
pub(crate) fn parse_cpu_list(text: &str) -> Option<usize> {
    let mut n = 0usize;
    for part in text.split(',') {
        let (lo, hi) = match part.split_once('-') {
            Some((lo, hi)) => (lo.parse::<usize>().ok()?, hi.parse::<usize>().ok()?),
            None => {
                let v = part.parse::<usize>().ok()?;
                (v, v)
            }
        };
        n = n.checked_add(hi.checked_sub(lo)?.checked_add(1)?)?;
    }
    (n > 0).then_some(n)
}

impl MapFd {
    /// Take `fd` as a map: refused unless it is a bpf map; its sizes are
    /// asked from the kernel.
    pub(crate) fn new(fd: OwnedFd) -> Result<MapFd> {
        let kind = fd_kind(fd.as_fd())?;
        if kind != "anon_inode:bpf-map" {
            return Err(Error::io(
                format!("bpf map descriptor ({kind})"),
                io::Error::from_raw_os_error(libc::EINVAL),
            ));
        }
        let info = map_info(fd.as_fd())?;
        let key_size = info.key_size as usize;
        let value_size = info.value_size as usize;
        let value_len = if is_per_cpu_map(info.type_) {
            let cpus = possible_cpus()?;
            value_size
                .div_ceil(8)
                .checked_mul(8)
                .and_then(|v| v.checked_mul(cpus))
                .ok_or(Error::Truncated {
                    what: "per-CPU map value",
                })?
        } else {
            value_size
        };
        Ok(MapFd {
            fd,
            key_size,
            value_len,
            info,
        })
    }

    pub(crate) fn key_size(&self) -> usize {
        self.key_size
    }

    /// Bytes of one lookup's value (all CPUs' values for per-CPU maps).
    pub(crate) fn value_len(&self) -> usize {
        self.value_len
    }

    /// The kernel's `bpf_map_info` read when the descriptor was taken.
    pub(crate) fn info(&self) -> &BpfMapInfo {
        &self.info
    }

    pub(crate) fn into_fd(self) -> OwnedFd {
        self.fd
    }

    fn check(&self, what: &'static str, want: usize, got: usize) -> Result<()> {
        if want == got {
            Ok(())
        } else {
            Err(Error::Decode(crate::error::DecodeError::new(
                what,
                crate::error::Problem::Length { want, got },
            )))
        }
    }

    fn elem(&self, key: u64, value: u64, flags: u64) -> MapElemAttr {
        MapElemAttr {
            map_fd: self.fd.as_raw_fd() as u32,
            _pad: 0,
            key,
            value,
            flags,
        }
    }

    /// `bpf(BPF_MAP_LOOKUP_ELEM)` into `value`; the errno unwrapped
    /// (`ENOENT`: no such key).
    pub(crate) fn lookup(
        &self,
        key: &[u8],
        value: &mut [u8],
        flags: u64,
    ) -> Result<io::Result<()>> {
        self.check("map key", self.key_size, key.len())?;
        self.check("map value", self.value_len, value.len())?;
        let mut attr = self.elem(addr(key.as_ptr()), addr(value.as_mut_ptr()), flags);
        Ok(bpf(BPF_MAP_LOOKUP_ELEM, &mut attr).map(drop))
    }

    /// `bpf(BPF_MAP_UPDATE_ELEM)` with `BPF_ANY` / `BPF_NOEXIST` / `BPF_EXIST`.
    pub(crate) fn update(&self, key: &[u8], value: &[u8], flags: u64) -> Result<io::Result<()>> {
        self.check("map key", self.key_size, key.len())?;
        self.check("map value", self.value_len, value.len())?;
        let mut attr = self.elem(addr(key.as_ptr()), addr(value.as_ptr()), flags);
        Ok(bpf(BPF_MAP_UPDATE_ELEM, &mut attr).map(drop))
    }

    /// `bpf(BPF_MAP_DELETE_ELEM)`.
    pub(crate) fn delete(&self, key: &[u8]) -> Result<io::Result<()>> {
        self.check("map key", self.key_size, key.len())?;
        let mut attr = self.elem(addr(key.as_ptr()), 0, 0);
        Ok(bpf(BPF_MAP_DELETE_ELEM, &mut attr).map(drop))
    }

    /// `bpf(BPF_MAP_GET_NEXT_KEY)`: the key after `key` (`None`: the first)
    /// into `next`.
    pub(crate) fn next_key(&self, key: Option<&[u8]>, next: &mut [u8]) -> Result<io::Result<()>> {
        if let Some(key) = key {
            self.check("map key", self.key_size, key.len())?;
        }
        self.check("map key", self.key_size, next.len())?;
        let key = key.map_or(0, |k| addr(k.as_ptr()));
        let mut attr = self.elem(key, addr(next.as_mut_ptr()), 0);
        Ok(bpf(BPF_MAP_GET_NEXT_KEY, &mut attr).map(drop))
    }
}

/// `bpf(BPF_OBJ_PIN)`: pin `fd` at `path` (on a bpffs).
pub(crate) fn obj_pin(fd: BorrowedFd<'_>, path: &CStr) -> Result<()> {
    let mut attr = ObjAttr {
        pathname: addr(path.as_ptr()),
        bpf_fd: fd.as_raw_fd() as u32,
        file_flags: 0,
    };
    bpf(BPF_OBJ_PIN, &mut attr)
        .map(drop)
        .map_err(op_error("BPF_OBJ_PIN"))
}

/// `f_type` of a bpffs (`statfs(2)`), linux/magic.h.
pub const BPF_FS_MAGIC: u32 = 0xcafe4a11;

/// The file system type (`statfs(2)`'s `f_type`) of the one `path` is on.
#[doc(alias = "statfs")]
pub(crate) fn fs_type(path: &CStr) -> io::Result<u64> {
    let mut st = std::mem::MaybeUninit::<libc::statfs>::zeroed();
    // SAFETY: `path` is NUL-terminated and `st` is valid for a write of a
    // `struct statfs`; statfs writes only there.
    let ret = unsafe { libc::statfs(path.as_ptr(), st.as_mut_ptr()) };
    if ret != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: zeroed is a valid `statfs` (integers only) and statfs filled it.
    let st = unsafe { st.assume_init() };
    // `f_type` is signed on some ABIs; the magic numbers are 32-bit patterns.
    Ok(st.f_type as u64 & 0xffff_ffff)
}

/// `bpf(BPF_OBJ_GET)`: open what is pinned at `path`.
pub(crate) fn obj_get(path: &CStr, file_flags: u32) -> Result<OwnedFd> {
    let mut attr = ObjAttr {
        pathname: addr(path.as_ptr()),
        bpf_fd: 0,
        file_flags,
    };
    bpf(BPF_OBJ_GET, &mut attr)
        .and_then(owned_fd)
        .map_err(op_error("BPF_OBJ_GET"))
}

/// Which objects an id command walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdSpace {
    Program,
    Map,
    Link,
}

/// `bpf(BPF_PROG_GET_NEXT_ID / BPF_MAP_GET_NEXT_ID)`: the first id after
/// `start`, `None` at the end (`ENOENT`).
pub(crate) fn next_id(space: IdSpace, start: u32) -> Result<Option<u32>> {
    let (cmd, name) = match space {
        IdSpace::Program => (BPF_PROG_GET_NEXT_ID, "BPF_PROG_GET_NEXT_ID"),
        IdSpace::Map => (BPF_MAP_GET_NEXT_ID, "BPF_MAP_GET_NEXT_ID"),
        IdSpace::Link => (BPF_LINK_GET_NEXT_ID, "BPF_LINK_GET_NEXT_ID"),
    };
    let mut attr = GetIdAttr {
        start_id: start,
        ..Default::default()
    };
    match bpf(cmd, &mut attr) {
        Ok(_) => Ok(Some(attr.next_id)),
        Err(e) if e.raw_os_error() == Some(libc::ENOENT) => Ok(None),
        Err(e) => Err(op_error(name)(e)),
    }
}

/// `bpf(BPF_PROG_GET_FD_BY_ID / BPF_MAP_GET_FD_BY_ID)`: the errno unwrapped
/// (`ENOENT`: the object is gone).
pub(crate) fn fd_by_id(space: IdSpace, id: u32) -> io::Result<OwnedFd> {
    let cmd = match space {
        IdSpace::Program => BPF_PROG_GET_FD_BY_ID,
        IdSpace::Map => BPF_MAP_GET_FD_BY_ID,
        IdSpace::Link => BPF_LINK_GET_FD_BY_ID,
    };
    let mut attr = GetIdAttr {
        start_id: id,
        ..Default::default()
    };
    bpf(cmd, &mut attr).and_then(owned_fd)
}

/// `bpf(BPF_OBJ_GET_INFO_BY_FD)` into `info` (no pointer fields set).
fn obj_info<T: IntoBytes + FromBytes + Immutable>(fd: BorrowedFd<'_>, info: &mut T) -> Result<()> {
    let mut attr = InfoAttr {
        bpf_fd: fd.as_raw_fd() as u32,
        info_len: size_of::<T>() as u32,
        info: addr(info as *mut T),
    };
    bpf(BPF_OBJ_GET_INFO_BY_FD, &mut attr)
        .map(drop)
        .map_err(op_error("BPF_OBJ_GET_INFO_BY_FD"))
}

/// A map's `bpf_map_info`.
pub(crate) fn map_info(fd: BorrowedFd<'_>) -> Result<BpfMapInfo> {
    let mut info = BpfMapInfo::default();
    obj_info(fd, &mut info)?;
    Ok(info)
}

/// A program's `bpf_prog_info` with what its pointers lead to.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProgInfo {
    pub info: BpfProgInfo,
    /// The instructions after the verifier's rewrites, 8 bytes each.
    pub xlated: Vec<u8>,
    pub map_ids: Vec<u32>,
}

/// A program's `bpf_prog_info`: one call for the lengths, a second for the
/// translated instructions and the map ids.
pub(crate) fn prog_info(fd: BorrowedFd<'_>) -> Result<ProgInfo> {
    let mut first = BpfProgInfo::default();
    obj_info(fd, &mut first)?;
    let mut xlated = vec![0u8; first.xlated_prog_len as usize];
    let mut map_ids = vec![0u32; first.nr_map_ids as usize];
    let mut info = BpfProgInfo {
        xlated_prog_len: xlated.len() as u32,
        xlated_prog_insns: if xlated.is_empty() {
            0
        } else {
            addr(xlated.as_mut_ptr())
        },
        nr_map_ids: map_ids.len() as u32,
        map_ids: if map_ids.is_empty() {
            0
        } else {
            addr(map_ids.as_mut_ptr())
        },
        ..Default::default()
    };
    obj_info(fd, &mut info)?;
    // The kernel wrote at most what we offered; it reports its own lengths.
    xlated.truncate(info.xlated_prog_len as usize);
    map_ids.truncate(info.nr_map_ids as usize);
    Ok(ProgInfo {
        info,
        xlated,
        map_ids,
    })
}

/// The request of [`link_create`]: a program attached to a multi-program
/// attachment point (tcx) by interface index, through a link.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct MprogAttach {
    pub ifindex: u32,
    pub attach_type: u32,
    /// `BPF_F_BEFORE` / `BPF_F_AFTER` / `BPF_F_ID` / `BPF_F_LINK`.
    pub flags: u32,
    pub relative: u32,
    pub expected_revision: u64,
}

/// The `BPF_LINK_CREATE` attr for `a` (a pure function, for the tests).
pub(crate) fn link_create_attr(prog: BorrowedFd<'_>, a: &MprogAttach) -> LinkCreateAttr {
    LinkCreateAttr {
        prog_fd: prog.as_raw_fd() as u32,
        target: a.ifindex,
        attach_type: a.attach_type,
        flags: a.flags,
        relative: a.relative,
        _pad: 0,
        expected_revision: a.expected_revision,
    }
}

/// `bpf(BPF_LINK_CREATE)`: the new link's descriptor; the errno unwrapped.
pub(crate) fn link_create(prog: BorrowedFd<'_>, a: &MprogAttach) -> io::Result<OwnedFd> {
    let mut attr = link_create_attr(prog, a);
    bpf(BPF_LINK_CREATE, &mut attr).and_then(owned_fd)
}

/// `bpf(BPF_LINK_DETACH)`: the link stays open but attached to nothing.
pub(crate) fn link_detach(link: BorrowedFd<'_>) -> io::Result<()> {
    let mut attr = LinkDetachAttr {
        link_fd: link.as_raw_fd() as u32,
    };
    bpf(BPF_LINK_DETACH, &mut attr).map(drop)
}

/// The `BPF_PROG_ATTACH` / `BPF_PROG_DETACH` attr for `a` (`prog` is
/// `None` to detach whatever is the only or the named program).
pub(crate) fn prog_attach_attr(prog: Option<BorrowedFd<'_>>, a: &MprogAttach) -> ProgAttachAttr {
    ProgAttachAttr {
        target: a.ifindex,
        attach_bpf_fd: prog.map_or(0, |p| p.as_raw_fd() as u32),
        attach_type: a.attach_type,
        attach_flags: a.flags,
        replace_bpf_fd: 0,
        relative: a.relative,
        expected_revision: a.expected_revision,
    }
}

/// `bpf(BPF_PROG_ATTACH)` without a link; the errno unwrapped.
pub(crate) fn prog_attach(prog: BorrowedFd<'_>, a: &MprogAttach) -> io::Result<()> {
    let mut attr = prog_attach_attr(Some(prog), a);
    bpf(BPF_PROG_ATTACH, &mut attr).map(drop)
}

/// `bpf(BPF_PROG_DETACH)`: `prog` names the program to take off (tcx
/// needs one unless `a` names it relatively); the errno unwrapped.
pub(crate) fn prog_detach(prog: Option<BorrowedFd<'_>>, a: &MprogAttach) -> io::Result<()> {
    let mut attr = prog_attach_attr(prog, a);
    bpf(BPF_PROG_DETACH, &mut attr).map(drop)
}

/// What `BPF_PROG_QUERY` says about a multi-program attachment point.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MprogQuery {
    pub attach_flags: u32,
    pub revision: u64,
    pub prog_ids: Vec<u32>,
    pub prog_attach_flags: Vec<u32>,
    /// 0 where the program is attached without a link.
    pub link_ids: Vec<u32>,
    pub link_attach_flags: Vec<u32>,
}

/// `bpf(BPF_PROG_QUERY)` of `target` (an ifindex for tcx, a descriptor
/// otherwise) at `attach_type`: one call for the count, then one with room
/// for that many (again while the count grows, at most 8 times).
pub(crate) fn prog_query(target: u32, attach_type: u32) -> io::Result<MprogQuery> {
    let mut room = 0u32;
    for _ in 0..8 {
        let n = room as usize;
        let mut prog_ids = vec![0u32; n];
        let mut prog_flags = vec![0u32; n];
        let mut link_ids = vec![0u32; n];
        let mut link_flags = vec![0u32; n];
        let ptr = |v: &mut Vec<u32>| if n == 0 { 0 } else { addr(v.as_mut_ptr()) };
        let mut attr = ProgQueryAttr {
            target,
            attach_type,
            count: room,
            prog_ids: ptr(&mut prog_ids),
            prog_attach_flags: ptr(&mut prog_flags),
            link_ids: ptr(&mut link_ids),
            link_attach_flags: ptr(&mut link_flags),
            ..Default::default()
        };
        match bpf(BPF_PROG_QUERY, &mut attr) {
            Ok(_) if attr.count <= room => {
                let got = attr.count as usize;
                for v in [
                    &mut prog_ids,
                    &mut prog_flags,
                    &mut link_ids,
                    &mut link_flags,
                ] {
                    v.truncate(got);
                }
                return Ok(MprogQuery {
                    attach_flags: attr.attach_flags,
                    revision: attr.revision,
                    prog_ids,
                    prog_attach_flags: prog_flags,
                    link_ids,
                    link_attach_flags: link_flags,
                });
            }
            // The count only (room 0), or more than we offered.
            Ok(_) => room = attr.count,
            Err(e) if e.raw_os_error() == Some(libc::ENOSPC) && attr.count > room => {
                room = attr.count;
            }
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::from_raw_os_error(libc::EAGAIN))
}

/// A link's `bpf_link_info` (no pointer fields set: names of tracepoints
/// and iterators are not asked for).
pub(crate) fn link_info(fd: BorrowedFd<'_>) -> Result<BpfLinkInfo> {
    let mut info = BpfLinkInfo::default();
    obj_info(fd, &mut info)?;
    Ok(info)
}

#[cfg(test)]
#[path = "bpf_uapi_tests.rs"]
mod uapi_tests;

#[cfg(test)]
mod tests {
    use super::parse_cpu_list;

    #[test]
    fn cpu_lists() {
        assert_eq!(parse_cpu_list("0"), Some(1));
        assert_eq!(parse_cpu_list("0-3"), Some(4));
        assert_eq!(parse_cpu_list("0-3,5,7-8"), Some(7));
        assert_eq!(parse_cpu_list(""), None);
        assert_eq!(parse_cpu_list("3-1"), None);
        assert_eq!(parse_cpu_list("x"), None);
    }
}
