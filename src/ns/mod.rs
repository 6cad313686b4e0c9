//! Network namespaces. (temporary stand-in until the ns module lands)
use std::os::fd::{AsRawFd, OwnedFd};
use crate::error::{Error, Result};

pub struct NetNs(OwnedFd);

impl NetNs {
    pub fn open_named(name: &str) -> Result<NetNs> {
        let path = format!("/run/netns/{name}");
        std::fs::File::open(&path).map(|f| NetNs(f.into())).map_err(|e| Error::io(format!("open {path}"), e))
    }
    pub fn raw(&self) -> i32 { self.0.as_raw_fd() }
}

pub fn validate_name(name: &str) -> Result<()> {
    if name.is_empty() || name.contains('/') || name == "." || name == ".." || name.len() > 255 {
        return Err(Error::Invalid(format!("Invalid netns name \"{name}\"")));
    }
    Ok(())
}

pub fn run_in<T: Send>(_ns: &NetNs, f: impl FnOnce() -> T + Send) -> Result<T> {
    Ok(f())
}

pub fn route_connection_in(ns: &NetNs) -> Result<crate::netlink::Connection> {
    run_in(ns, crate::netlink::Connection::route)?
}
