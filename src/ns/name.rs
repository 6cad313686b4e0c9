//! Names of named network namespaces and where they live.
//!
//! Invariant: every path built here from a name went through [`validate_name`],
//! so it is exactly one component below [`NETNS_RUN_DIR`] (no `/`, no `.`/`..`).

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
/// at most 255 bytes.
///
/// Fails with `Invalid::NetnsName`.
pub fn validate_name(name: &str) -> Result<()> {
    if name.is_empty() || name.len() > NAME_MAX || name.contains('/') || name == "." || name == ".."
    {
        return Err(Error::Invalid(Invalid::NetnsName {
            name: name.to_string(),
        }));
    }
    Ok(())
}

/// `/run/netns/NAME`, after [`validate_name`].
pub fn named_path(name: &str) -> Result<PathBuf> {
    validate_name(name)?;
    Ok(PathBuf::from(NETNS_RUN_DIR).join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_names() {
        for name in ["a", "blue", "rn-t-1-2", "...", ".a", "a.", "x y", "ü"] {
            assert!(validate_name(name).is_ok(), "{name:?}");
        }
        assert!(validate_name(&"n".repeat(255)).is_ok());
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
        assert!(validate_name(&"ü".repeat(128)).is_err());
        assert!(validate_name(&"ü".repeat(127)).is_ok());
    }

    #[test]
    fn path_is_one_component_below_run_dir() {
        assert_eq!(named_path("x").unwrap(), PathBuf::from("/run/netns/x"));
        assert!(named_path("../x").is_err());
    }
}
