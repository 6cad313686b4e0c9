//! iproute2's words for the library's typed errors: each reason the library
//! gives ([`rawnet::error::Invalid`], [`rawnet::error::NotFound`], a kernel
//! refusal, ...) becomes the line `ip` prints, with `ip`'s exit status. Sites
//! where `ip` words a reason differently for one command (`Device "x" does not
//! exist.`) match on the reason themselves; this file is the default.

use rawnet::error::{Invalid, KernelError, Missing, NotFound, VxlanConflict};
use rawnet::Error;

use super::io_reason;

/// The exit status and the line `ip` prints for `e`: kernel refusals exit 2,
/// everything else 1.
pub fn words(e: &Error) -> (i32, String) {
    match e {
        Error::Kernel(k) => (2, kernel_words(k)),
        e => (1, text(e)),
    }
}

/// The line `ip` prints for `e`, without the exit status.
pub fn text(e: &Error) -> String {
    match e {
        Error::Kernel(k) => kernel_words(k),
        Error::Invalid(i) => invalid_words(i),
        Error::NotFound(n) => not_found_words(n),
        Error::FlushIncomplete { rounds } => {
            format!("*** Flush remains incomplete after {rounds} rounds. ***")
        }
        Error::Io { op, .. } => format!("{op}: {}", io_reason(e)),
        other => other.to_string(),
    }
}

/// A kernel refusal as iproute2's `libnetlink` prints it: `Error: TEXT.` when
/// the kernel explained itself (extended ack), otherwise `RTNETLINK answers:
/// STRERROR`. A refusal over another protocol (nfnetlink) is worded as nft
/// words it: `Error: Could not process rule: STRERROR`, then the kernel's
/// text, if any.
pub fn kernel_words(k: &KernelError) -> String {
    if k.protocol != rawnet::netlink::header::NETLINK_ROUTE {
        return match &k.message {
            Some(m) if !m.is_empty() => {
                format!("Error: Could not process rule: {}: {m}", k.errno_text())
            }
            _ => format!("Error: Could not process rule: {}", k.errno_text()),
        };
    }
    match &k.message {
        Some(m) if !m.is_empty() => {
            let stop = if m.ends_with('.') { "" } else { "." };
            format!("Error: {m}{stop}")
        }
        _ => format!("RTNETLINK answers: {}", k.errno_text()),
    }
}

/// `Cannot find device "x"` and friends.
pub fn not_found_words(n: &NotFound) -> String {
    match n {
        NotFound::Link(name) => format!("Cannot find device \"{name}\""),
        NotFound::Nsid(id) => format!("no answer for nsid {id}"),
        other => other.to_string(),
    }
}

/// iproute2's family word in its address errors: `inet`, `inet6`, else
/// `any valid`.
fn family_words(family: u8) -> &'static str {
    match i32::from(family) {
        libc::AF_INET => "inet",
        libc::AF_INET6 => "inet6",
        _ => "any valid",
    }
}

/// A refused value in the words `ip` (or rawnet before its errors were typed)
/// prints for it.
pub fn invalid_words(i: &Invalid) -> String {
    match i {
        Invalid::IfName { name, .. } => {
            format!("Error: argument \"{name}\" is wrong: \"name\" not a valid ifname")
        }
        Invalid::AltName { name, .. } => {
            format!("Error: argument \"{name}\" is wrong: not a valid altname")
        }
        Invalid::NetnsName { name } => format!("Invalid netns name \"{name}\""),
        Invalid::Sysctl { name } => format!("\"{name}\" is not a net.* sysctl"),
        Invalid::Address { text, family } => format!(
            "Error: {} address is expected rather than \"{text}\".",
            family_words(*family)
        ),
        Invalid::Prefix { text, family } if i32::from(*family) == libc::AF_PACKET => {
            format!("Error: \"{text}\" may be inet prefix, but it is not allowed in this context.")
        }
        Invalid::Prefix { text, family } => format!(
            "Error: {} prefix is expected rather than \"{text}\".",
            family_words(*family)
        ),
        Invalid::LinkLayerAddress { text } => format!("\"{text}\" is invalid lladdr."),
        Invalid::FamilyMismatch { what, address } => match (*what, address) {
            ("destination" | "source" | "preferred source", Some(a)) => {
                format!("Error: address family mismatch: {a}")
            }
            ("socket", _) => "socket and destination are of different families".into(),
            ("source address", Some(a)) => {
                format!("source address {a} is not of the destination's family")
            }
            (what, Some(a)) => format!("{what} {a} is not of the address's family"),
            _ => i.to_string(),
        },
        Invalid::ComputedBroadcast => "Broadcast can be set only for IPv4 addresses".into(),
        Invalid::Alias { text } => format!("Error: argument \"{text}\" is wrong: alias too long"),
        Invalid::VxlanId(id) => format!("Error: argument \"{id}\" is wrong: invalid id"),
        Invalid::Vxlan(c) => match c {
            VxlanConflict::VniFilterWithoutExternal => {
                "vxlan: vnifilter is valid only when 'external' is set"
            }
            VxlanConflict::ExternalWithId => "vxlan: both 'external' and vni cannot be specified",
            VxlanConflict::GroupWithoutDevice => "vxlan: 'group' requires 'dev' to be specified",
            _ => return i.to_string(),
        }
        .into(),
        Invalid::PeerKind => {
            "Error: either \"type\" is duplicate, or \"type\" is a garbage.".into()
        }
        Invalid::NewLinkChanges => {
            "both \"name\" and \"dev\" cannot be used when creating devices.".into()
        }
        Invalid::RenameByName { name } => {
            format!("renaming \"{name}\" needs its index, not its name")
        }
        Invalid::Missing(m) => match m {
            Missing::Command => "No command specified",
            Missing::AltName => "no alternative name given",
            Missing::NeighbourDestination => "neighbour without NDA_DST",
            _ => return i.to_string(),
        }
        .into(),
        Invalid::OutOfRange { what, value, max } => match *what {
            "nsid" => format!("nsid {value} is above {max}"),
            "netlink multicast group" => format!("netlink multicast group {value} is out of range"),
            "packet size" => {
                format!("invalid -s value: '{value}': out of range: 0 <= value <= {max}")
            }
            "objects" => format!("at most {max} objects, not {value}"),
            _ => i.to_string(),
        },
        Invalid::NulByte { text } => format!("{text:?} contains a NUL byte"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rawnet::route::link::{not_found, validate_ifname};
    use rawnet::route::prefix::{parse_inet_prefix, Prefix};

    #[test]
    fn library_reasons_in_iproute2_words() {
        let long = "a234567890123456";
        let e = validate_ifname(long.as_bytes()).unwrap_err();
        assert_eq!(
            words(&e),
            (
                1,
                format!("Error: argument \"{long}\" is wrong: \"name\" not a valid ifname")
            )
        );
        let e = Prefix::parse("1.2.3.4/33").unwrap_err();
        assert_eq!(
            text(&e),
            "Error: any valid prefix is expected rather than \"1.2.3.4/33\"."
        );
        let e = parse_inet_prefix("::1", libc::AF_INET as u8).unwrap_err();
        assert_eq!(
            text(&e),
            "Error: inet prefix is expected rather than \"::1\"."
        );
        assert_eq!(text(&not_found(b"x")), "Cannot find device \"x\"");
    }

    #[test]
    fn kernel_refusals_as_libnetlink_prints_them() {
        let mut k = KernelError {
            errno: libc::EEXIST,
            message: None,
            offset: None,
            attribute: None,
            request_type: 16,
            protocol: rawnet::netlink::header::NETLINK_ROUTE,
        };
        assert_eq!(
            words(&Error::Kernel(k.clone())),
            (2, "RTNETLINK answers: File exists".into())
        );
        k.message = Some("Nexthop id does not exist".into());
        assert_eq!(kernel_words(&k), "Error: Nexthop id does not exist.");
        k.message = Some("Done.".into());
        assert_eq!(kernel_words(&k), "Error: Done.");
        let mut nf = k.clone().over(rawnet::netlink::header::NETLINK_NETFILTER);
        nf.message = None;
        nf.errno = libc::ENOENT;
        assert_eq!(
            kernel_words(&nf),
            "Error: Could not process rule: No such file or directory"
        );
    }
}
