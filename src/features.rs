//! Which device kinds the running kernel supports, found by trying: each kind
//! is created in a throw-away anonymous network namespace of its own
//! (`NetNs::new_anonymous` + `run_in`), so nothing touches the caller's
//! namespaces, and the namespace and the device go when the probe ends.
//!
//! A probe sends the minimal `RTM_NEWLINK` each kind needs (a parent veth
//! first for macvlan/macvtap/ipvlan/ipvtap/vlan, an id for vxlan/geneve/vlan,
//! a table for vrf); tun and tap are made through `/dev/net/tun`, since the
//! kernel refuses to create them over rtnetlink. A kernel without a kind
//! answers `EOPNOTSUPP` ("Unknown device type"); any other failure says
//! nothing about the kind and is reported as [`Support::Unknown`].
//!
//! Side effect to know about: macvtap and ipvtap devices get a character
//! device (`/dev/tapN`) in the host's devtmpfs for as long as they exist,
//! i.e. for the length of the probe.

use crate::error::{errno_text, Error, Result};
use crate::netlink::header::{NLM_F_CREATE, NLM_F_EXCL};
use crate::netlink::{Connection, MessageBuilder, Request};
use crate::ns::{run_in, NetNs};
use crate::route::link::{
    self, validate_ifname, IfInfoMsg, IFLA_IFNAME, IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_LINK,
    IFLA_LINKINFO,
};
use crate::route::RTM_NEWLINK;
use crate::tun::{Mode, Tun, TunTapSpec, TUN_DEVICE};

// Kind-specific IFLA_INFO_DATA attributes (linux/if_link.h); vxlan's and
// vlan's id are defined with their kinds.
use crate::route::kind::vlan::IFLA_VLAN_ID;
use crate::route::kind::vxlan::IFLA_VXLAN_ID;
/// `IFLA_GENEVE_ID`: the VNI, u32.
pub const IFLA_GENEVE_ID: u16 = 1;
/// `IFLA_GENEVE_REMOTE`: an IPv4 address, network byte order.
pub const IFLA_GENEVE_REMOTE: u16 = 2;
/// `IFLA_VRF_TABLE`: u32.
pub const IFLA_VRF_TABLE: u16 = 1;

/// Name of the device a probe creates.
const PROBE_NAME: &str = "probe0";
/// Name of the veth a probe creates as the parent of stacked kinds.
const PARENT_NAME: &str = "probe-parent";
const PARENT_PEER: &str = "probe-peer";

/// What a kind needs beyond its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipe {
    /// `IFLA_INFO_KIND` only.
    Plain,
    /// A parent link (`IFLA_LINK`): a veth made first.
    OnParent,
    /// A parent and `IFLA_VLAN_ID`.
    Vlan,
    /// `IFLA_VXLAN_ID`.
    Vxlan,
    /// `IFLA_GENEVE_ID` and `IFLA_GENEVE_REMOTE`.
    Geneve,
    /// `IFLA_VRF_TABLE`.
    Vrf,
    /// `/dev/net/tun` with this mode.
    TunTap(Mode),
}

/// The kinds `rawnet features` tries, in its order, with what each needs.
pub const KINDS: &[(&str, Recipe)] = &[
    ("veth", Recipe::Plain),
    ("bridge", Recipe::Plain),
    ("vxlan", Recipe::Vxlan),
    ("macvlan", Recipe::OnParent),
    ("macvtap", Recipe::OnParent),
    ("ipvlan", Recipe::OnParent),
    ("ipvtap", Recipe::OnParent),
    ("vlan", Recipe::Vlan),
    ("dummy", Recipe::Plain),
    ("ifb", Recipe::Plain),
    ("ipip", Recipe::Plain),
    ("sit", Recipe::Plain),
    ("gre", Recipe::Plain),
    ("gretap", Recipe::Plain),
    ("ip6tnl", Recipe::Plain),
    ("ip6gre", Recipe::Plain),
    ("geneve", Recipe::Geneve),
    ("vrf", Recipe::Vrf),
    ("bond", Recipe::Plain),
    ("team", Recipe::Plain),
    ("wireguard", Recipe::Plain),
    ("tun", Recipe::TunTap(Mode::Tun)),
    ("tap", Recipe::TunTap(Mode::Tap)),
];

/// The answer for one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Support {
    /// The device was created.
    Supported,
    /// The kernel lacks the kind; its reason ("Unknown device type").
    Unsupported(String),
    /// The probe failed for another reason (privilege, a missing parameter
    /// on a newer kernel, ...), which says nothing about the kind.
    Unknown(String),
}

impl Support {
    /// `Some(true)` / `Some(false)`, `None` when the probe could not tell.
    pub fn supported(&self) -> Option<bool> {
        match self {
            Support::Supported => Some(true),
            Support::Unsupported(_) => Some(false),
            Support::Unknown(_) => None,
        }
    }

    /// The kernel's (or the failed call's) text, for the two failures.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Support::Supported => None,
            Support::Unsupported(r) | Support::Unknown(r) => Some(r),
        }
    }

    /// Classify a probe's outcome: `EOPNOTSUPP` from rtnetlink, and a missing
    /// `/dev/net/tun` (`ENOENT`, `ENODEV`, `ENXIO`), mean "not supported".
    pub fn from_result(r: Result<()>) -> Support {
        match r {
            Ok(()) => Support::Supported,
            Err(Error::Kernel(k)) if k.errno == libc::EOPNOTSUPP => {
                Support::Unsupported(k.message.clone().unwrap_or_else(|| k.errno_text()))
            }
            Err(e @ Error::Io { .. })
                if matches!(
                    e.errno(),
                    Some(libc::ENOENT) | Some(libc::ENODEV) | Some(libc::ENXIO)
                ) =>
            {
                Support::Unsupported(describe(&e))
            }
            Err(e) => Support::Unknown(describe(&e)),
        }
    }
}

/// An error as one line without Rust's " (os error N)" suffix; a failed
/// `open` is the clone device's; a kernel refusal is the kernel's text (its
/// message, else `strerror`), as for `Unsupported`.
fn describe(e: &Error) -> String {
    match (e, e.errno()) {
        (Error::Kernel(k), _) => k.message.clone().unwrap_or_else(|| k.errno_text()),
        (Error::Io { op, .. }, Some(errno)) => {
            let what = if op == "open" {
                format!("open {TUN_DEVICE}")
            } else {
                op.clone()
            };
            format!("{what}: {}", errno_text(errno))
        }
        _ => e.to_string(),
    }
}

/// One line of the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindSupport {
    pub kind: &'static str,
    pub support: Support,
}

/// The `RTM_NEWLINK` that creates `name` of `kind` per `recipe`, with
/// `parent` as `IFLA_LINK` where the recipe needs one. `None` for tun/tap,
/// which are not made over rtnetlink.
pub fn probe_request(
    kind: &str,
    recipe: Recipe,
    name: &str,
    parent: Option<u32>,
) -> Result<Option<Request>> {
    if let Recipe::TunTap(_) = recipe {
        return Ok(None);
    }
    validate_ifname(name.as_bytes())?;
    let mut m = MessageBuilder::new(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    m.header(&IfInfoMsg::default());
    if let Some(index) = parent {
        m.put_u32(IFLA_LINK, index);
    }
    m.put_str(IFLA_IFNAME, name);
    m.nest(IFLA_LINKINFO, |m| {
        m.put(IFLA_INFO_KIND, kind.as_bytes());
        match recipe {
            Recipe::Vxlan => {
                m.nest(IFLA_INFO_DATA, |m| {
                    m.put_u32(IFLA_VXLAN_ID, 42);
                });
            }
            Recipe::Geneve => {
                m.nest(IFLA_INFO_DATA, |m| {
                    m.put_u32(IFLA_GENEVE_ID, 42);
                    // TEST-NET-1; nothing is ever sent from the probe's namespace.
                    m.put(IFLA_GENEVE_REMOTE, &[192, 0, 2, 1]);
                });
            }
            Recipe::Vlan => {
                m.nest(IFLA_INFO_DATA, |m| {
                    m.put_u16(IFLA_VLAN_ID, 42);
                });
            }
            Recipe::Vrf => {
                m.nest(IFLA_INFO_DATA, |m| {
                    m.put_u32(IFLA_VRF_TABLE, 42);
                });
            }
            Recipe::Plain | Recipe::OnParent | Recipe::TunTap(_) => {}
        }
    });
    m.finish().map(Some)
}

/// Try to create one device of `kind` in the calling thread's namespace
/// (meant to be a throw-away one: the device is left there).
fn create(kind: &str, recipe: Recipe) -> Result<()> {
    if let Recipe::TunTap(mode) = recipe {
        return Tun::open(&TunTapSpec::new(Some(PROBE_NAME.as_bytes()), mode)).map(drop);
    }
    let mut conn = Connection::route()?;
    let parent = match recipe {
        Recipe::OnParent | Recipe::Vlan => {
            link::add_veth(&mut conn, PARENT_NAME, PARENT_PEER, None)?;
            Some(link::link_index(&mut conn, PARENT_NAME)?)
        }
        _ => None,
    };
    match probe_request(kind, recipe, PROBE_NAME, parent)? {
        Some(request) => conn.execute(request),
        None => Ok(()),
    }
}

/// Whether the kernel supports `kind` (one of [`KINDS`], or any other kind
/// name, tried as [`Recipe::Plain`]), tried in a new anonymous namespace.
/// `Err` only when that namespace cannot be made.
pub fn probe_kind(kind: &str) -> Result<Support> {
    let recipe = KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(Recipe::Plain, |(_, r)| *r);
    let ns = NetNs::new_anonymous()?;
    let outcome = run_in(&ns, || create(kind, recipe))?;
    Ok(Support::from_result(outcome))
}

/// Every kind of [`KINDS`], in order. `Err` only when a throw-away namespace
/// cannot be made (no privilege over network namespaces).
pub fn probe_all() -> Result<Vec<KindSupport>> {
    KINDS
        .iter()
        .map(|(kind, _)| {
            Ok(KindSupport {
                kind,
                support: probe_kind(kind)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::KernelError;

    #[test]
    fn classifies_outcomes() {
        assert_eq!(Support::from_result(Ok(())), Support::Supported);
        let unknown_type = Error::Kernel(KernelError {
            errno: libc::EOPNOTSUPP,
            message: Some("Unknown device type".into()),
            offset: None,
            attribute: None,
            request_type: RTM_NEWLINK,
            protocol: crate::netlink::header::NETLINK_ROUTE,
        });
        assert_eq!(
            Support::from_result(Err(unknown_type)),
            Support::Unsupported("Unknown device type".into())
        );
        let eperm = Error::Kernel(KernelError {
            errno: libc::EPERM,
            message: None,
            offset: None,
            attribute: None,
            request_type: RTM_NEWLINK,
            protocol: crate::netlink::header::NETLINK_ROUTE,
        });
        assert_eq!(
            Support::from_result(Err(eperm)),
            Support::Unknown("Operation not permitted".into())
        );
        let no_tun = Error::io("open", std::io::Error::from_raw_os_error(libc::ENOENT));
        assert_eq!(
            Support::from_result(Err(no_tun)),
            Support::Unsupported("open /dev/net/tun: No such file or directory".into())
        );
        let denied = Error::io("open", std::io::Error::from_raw_os_error(libc::EACCES));
        assert_eq!(
            Support::from_result(Err(denied)),
            Support::Unknown("open /dev/net/tun: Permission denied".into())
        );
    }

    #[test]
    fn requests_carry_what_each_kind_needs() {
        let r = probe_request("vxlan", Recipe::Vxlan, "x0", None)
            .unwrap()
            .unwrap();
        let b = r.as_bytes();
        // ifinfomsg, IFLA_IFNAME "x0", LINKINFO { KIND "vxlan", DATA { ID 42 } }
        assert_eq!(&b[32..40], &[7, 0, 3, 0, b'x', b'0', 0, 0]);
        assert_eq!(&b[40..44], &[28, 0, 18, 0]);
        assert_eq!(&b[44..53], &[9, 0, 1, 0, b'v', b'x', b'l', b'a', b'n']);
        assert_eq!(&b[56..68], &[12, 0, 2, 0, 8, 0, 1, 0, 42, 0, 0, 0]);
        let r = probe_request("macvlan", Recipe::OnParent, "x0", Some(3))
            .unwrap()
            .unwrap();
        assert_eq!(&r.as_bytes()[32..40], &[8, 0, 5, 0, 3, 0, 0, 0]);
        assert!(probe_request("tun", Recipe::TunTap(Mode::Tun), "x0", None)
            .unwrap()
            .is_none());
        assert!(probe_request("bridge", Recipe::Plain, "a/b", None).is_err());
    }

    #[test]
    fn veth_and_bridge_are_supported_and_a_made_up_kind_is_not() {
        assert_eq!(probe_kind("veth").unwrap(), Support::Supported);
        assert_eq!(probe_kind("bridge").unwrap(), Support::Supported);
        let made_up = probe_kind("rawnet-no-such-kind").unwrap();
        assert_eq!(made_up.supported(), Some(false), "{made_up:?}");
        assert_eq!(probe_kind("tun").unwrap(), Support::Supported);
    }
}
