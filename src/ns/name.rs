//! Names of named network namespaces and where they live.
//!
//! Invariant: every path built here from a name went through [`validate_name`],
//! so it is exactly one component below [`NETNS_RUN_DIR`] (no `/`, no `.`/`..`).

use std::borrow::Cow;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use crate::error::{Error, Invalid, Result};

/// Where iproute2 (and rawnet) bind-mount named network namespaces.
pub const NETNS_RUN_DIR: &str = "/run/netns";

/// Per-namespace configuration files: `/etc/netns/NAME/FILE` is bind-mounted over
/// `/etc/FILE` for programs run with `netns exec NAME`.
pub const NETNS_ETC_DIR: &str = "/etc/netns";

/// Longest name accepted, in bytes (`NAME_MAX`).
const NAME_MAX: usize = 255;

/// Check a namespace name as iproute2 does: not empty, no `/`, not `.` or `..`,
/// at most 255 bytes. A name is bytes (a file name): it need not be UTF-8.
///
/// Fails with `Invalid::NetnsName` (the name as [`shown`]).
pub fn validate_name(name: impl AsRef<[u8]>) -> Result<()> {
    let name = name.as_ref();
    if name.is_empty()
        || name.len() > NAME_MAX
        || name.contains(&b'/')
        || name == b"."
        || name == b".."
    {
        return Err(Error::Invalid(Invalid::NetnsName {
            name: shown(name).into_owned(),
        }));
    }
    Ok(())
}

/// A namespace name in a message: U+FFFD in place of a byte that is not UTF-8.
pub fn shown(name: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(name)
}

/// `/run/netns/NAME`, after [`validate_name`]; the name's bytes as they are.
pub fn named_path(name: impl AsRef<[u8]>) -> Result<PathBuf> {
    let name = name.as_ref();
    validate_name(name)?;
    Ok(PathBuf::from(NETNS_RUN_DIR).join(OsStr::from_bytes(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_names() {
        for name in ["a", "blue", "rn-t-1-2", "...", ".a", "a.", "x y", "ü"] {
            assert!(validate_name(name).is_ok(), "{name:?}");
        }
        assert!(validate_name("n".repeat(255)).is_ok());
    }

    #[test]
    fn rejects_what_iproute2_rejects() {
        let long = "n".repeat(256);
        for name in ["", ".", "..", "a/b", "/", "../x", "x/", long.as_str()] {
            let e = validate_name(name).unwrap_err();
            assert!(
                matches!(&e, Error::Invalid(Invalid::NetnsName { name: n }) if n == name),
                "{name:?}"
            );
        }
    }

    #[test]
    fn length_counts_bytes() {
        // 128 two-byte characters: 256 bytes.
        assert!(validate_name("ü".repeat(128)).is_err());
        assert!(validate_name("ü".repeat(127)).is_ok());
    }

    #[test]
    fn path_is_one_component_below_run_dir() {
        assert_eq!(named_path("x").unwrap(), PathBuf::from("/run/netns/x"));
        assert!(named_path("../x").is_err());
        assert_eq!(
            named_path(b"caf\xe9").unwrap().as_os_str().as_bytes(),
            b"/run/netns/caf\xe9"
        );
    }
}
