//! Per-namespace network sysctls (`net.ipv4.ip_forward`, ...), read and
//! written from a thread inside the namespace: `/proc/sys/net` shows the
//! network namespace of the task that opens it.

use std::fs;

use super::handle::{run_in, NetNs};
use crate::error::{Error, Invalid, Result};

/// `/proc/sys/net/...` for a dotted `net.*` name; anything else is refused,
/// since only the `net` tree belongs to a network namespace.
fn path_of(name: &str) -> Result<String> {
    let ok = name.starts_with("net.")
        && name.split('.').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        });
    if !ok {
        return Err(Error::Invalid(Invalid::Sysctl {
            name: name.to_string(),
        }));
    }
    Ok(format!("/proc/sys/{}", name.replace('.', "/")))
}

/// Set the sysctl `name` (`net.ipv4.ip_forward`) to `value` inside `ns`.
pub fn set_sysctl(ns: &NetNs, name: &str, value: &str) -> Result<()> {
    let path = path_of(name)?;
    run_in(ns, || {
        fs::write(&path, value).map_err(|e| Error::io(format!("write {path}"), e))
    })?
}

/// Read the sysctl `name` inside `ns`, without the trailing newline.
pub fn sysctl(ns: &NetNs, name: &str) -> Result<String> {
    let path = path_of(name)?;
    run_in(ns, || {
        fs::read_to_string(&path)
            .map(|s| s.trim_end().to_string())
            .map_err(|e| Error::io(format!("read {path}"), e))
    })?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_net_names() {
        assert_eq!(
            path_of("net.ipv4.ip_forward").unwrap(),
            "/proc/sys/net/ipv4/ip_forward"
        );
        for bad in [
            "kernel.hostname",
            "net..x",
            "net.ipv4/../../x",
            "net",
            "net.a b",
        ] {
            assert!(path_of(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn forwarding_is_per_namespace() {
        let ns = NetNs::new_anonymous().unwrap();
        let host_before = fs::read_to_string("/proc/sys/net/ipv4/ip_forward").unwrap();
        assert_eq!(sysctl(&ns, "net.ipv4.ip_forward").unwrap(), "0");
        set_sysctl(&ns, "net.ipv4.ip_forward", "1").unwrap();
        assert_eq!(sysctl(&ns, "net.ipv4.ip_forward").unwrap(), "1");
        assert_eq!(
            fs::read_to_string("/proc/sys/net/ipv4/ip_forward").unwrap(),
            host_before
        );
    }
}
