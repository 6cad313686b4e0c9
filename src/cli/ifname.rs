//! Interface names on the command line, checked as iproute2 checks them
//! (`lib/utils.c`: `check_ifname`, `check_altifname`) before anything is
//! sent: a name `ip` refuses is its `invarg` (exit 255) with its word for the
//! argument (`"dev"` / `"name"`); a name `ip` lets through but the kernel
//! refuses (`:`, `.`, `..`) is the kernel's answer, `EINVAL` (exit 2).
//!
//! Also the lookups by a name from the command line: the CLI holds a name
//! escaped (see [`super::os_args`]); the kernel is asked for its raw bytes,
//! and "Cannot find device" quotes it escaped, so that it prints as given.

use super::arg_errors::invalid_arg;
use super::os_args::unescape;
use super::CliError;
use rawnet::netlink::Connection;
use rawnet::route::link::{self as rlink, LinkInfo, IFNAMSIZ};

/// `rawnet::route::link::link_index` for a name as the CLI holds it.
pub fn link_index(conn: &mut Connection, name: &str) -> rawnet::Result<u32> {
    rlink::link_index(conn, unescape(name)).map_err(|e| reword(e, name))
}

/// `rawnet::route::link::get_link` for a name as the CLI holds it.
pub fn get_link(conn: &mut Connection, name: &str) -> rawnet::Result<LinkInfo> {
    rlink::get_link(conn, unescape(name)).map_err(|e| reword(e, name))
}

/// A missing device named with the escaped name (printed as its bytes).
fn reword(e: rawnet::Error, name: &str) -> rawnet::Error {
    match e {
        rawnet::Error::NotFound(_) => {
            rawnet::Error::NotFound(rawnet::error::NotFound::Link(name.to_string()))
        }
        e => e,
    }
}

/// iproute2's `__check_ifname`: not empty, no `/`, no white space.
fn plausible(name: &str) -> bool {
    !name.is_empty()
        && !name
            .bytes()
            .any(|b| b == b'/' || matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))
}

/// `dev NAME` of `link set` / `link del` / `link add` (iproute2's
/// `check_altifname`: any length, an altname may be long).
pub fn check_dev(name: &str) -> Result<(), CliError> {
    if plausible(name) {
        Ok(())
    } else {
        Err(invalid_arg(name, "\"dev\" not a valid ifname"))
    }
}

/// A name to give a device: `check_ifname` (also shorter than `IFNAMSIZ`),
/// then the kernel's rules (`dev_valid_name`).
pub fn check_new_name(name: &str, what: &str) -> Result<(), CliError> {
    let raw = unescape(name);
    if !plausible(name) || raw.len() >= IFNAMSIZ {
        return Err(invalid_arg(name, &format!("\"{what}\" not a valid ifname")));
    }
    rlink::validate_ifname(&raw).map_err(|_| CliError {
        errno: Some(libc::EINVAL),
        ..CliError::new(2, "RTNETLINK answers: Invalid argument")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_refusals_are_usage_errors() {
        for bad in ["", "a/b", "a b", "a\tb"] {
            let e = check_dev(bad).unwrap_err();
            assert_eq!(e.code, 255);
            assert!(e.message.ends_with("\"dev\" not a valid ifname"), "{bad:?}");
        }
        assert!(check_dev("a-name-longer-than-fifteen").is_ok());
        let e = check_new_name("a234567890123456", "name").unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (
                255,
                "Error: argument \"a234567890123456\" is wrong: \"name\" not a valid ifname"
            )
        );
    }

    #[test]
    fn kernel_refusals_are_einval() {
        for bad in ["a:b", ".", ".."] {
            let e = check_new_name(bad, "name").unwrap_err();
            assert_eq!((e.code, e.errno), (2, Some(libc::EINVAL)), "{bad:?}");
            assert_eq!(e.message, "RTNETLINK answers: Invalid argument");
        }
        assert!(check_new_name("veth0", "name").is_ok());
    }
}
