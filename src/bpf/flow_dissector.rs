//! The flow dissector hook of a network namespace: what is attached there
//! (`BPF_PROG_QUERY` of `BPF_FLOW_DISSECTOR`), as `bpftool net show` lists
//! it.

use super::kinds::AttachType;
use crate::error::{Error, Result};
use crate::sys::bpf as sys;

/// The programs attached as the flow dissector of the calling thread's
/// network namespace (`BPF_PROG_QUERY` of `BPF_FLOW_DISSECTOR` on
/// `/proc/thread-self/ns/net`); empty where the kernel has no such hook.
pub fn flow_dissector_programs() -> Result<Vec<u32>> {
    use std::os::fd::AsRawFd;
    const PATH: &str = "/proc/thread-self/ns/net";
    let ns = std::fs::File::open(PATH).map_err(|e| Error::io(format!("open {PATH}"), e))?;
    match sys::prog_query(ns.as_raw_fd() as u32, AttachType::FlowDissector.number()) {
        Ok(q) => Ok(q.prog_ids),
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => Ok(Vec::new()),
        Err(e) => Err(Error::io("bpf(BPF_PROG_QUERY)", e)),
    }
}
