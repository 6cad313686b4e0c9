//! `rawnet link`: iproute2's `ip link` grammar for add (veth and the kinds of
//! `kinds.rs`), set (with `master`/`nomaster`), delete and show. Command
//! words match by unique prefix in iproute2's order (`s` is `set`, `l` is
//! `lst`/show, `d` is `delete`); show, its selectors and its output are in
//! `show/` (and `details/` for `-d`).
//!
//! Everything is checked (names, numbers, namespaces opened) before the first
//! request is sent, and each command is one request, so a failing command
//! changes nothing.

mod details;
mod kinds;
pub(super) mod nsid;
pub(super) mod show;

use rawnet::ns::NetNs;
use rawnet::route::kind::LinkKind;
use rawnet::route::link::{self as rlink, LinkChanges, LinkRef, LinkSpec, NetnsRef};
use std::os::fd::AsFd;

use super::arg_errors::{duplicate, garbage, invalid_arg, unknown_command, usage_error};
use super::change::{apply, Change, Devices};
use super::numbers::decimal_or_hex_u32;
use super::{matches, Args, CliError, Context};

const USAGE: &str = "\
Usage: rawnet link add [ link PARENT ] [ name ] NAME [ netns { NETNSNAME | PID } ]
                       type TYPE [ ARGS ]
       rawnet link set [ dev ] DEV [ up | down ] [ mtu MTU ] [ name NEWNAME ]
                       [ address LLADDR ] [ master DEVICE | nomaster ]
                       [ netns { NETNSNAME | PID } ]
       rawnet link { delete | del } [ dev ] DEV
       rawnet link { show | list | lst } [ [ dev ] DEV ] [ up ] [ type TYPE ]
                       [ master DEVICE | vrf NAME | nomaster ] [ group GROUP ]
       rawnet link help

TYPE := { veth | bridge | vxlan | macvlan | macvtap | ipvlan | ipip | gre | vlan | dummy | KIND }
veth ARGS := [ peer [ name ] PEER [ netns { NETNSNAME | PID } ] ]
bridge ARGS := [ stp_state { 0 | 1 } ] [ forward_delay N ] [ vlan_filtering { 0 | 1 } ]
vxlan ARGS := id VNI [ dstport PORT ] [ local ADDR ] [ { remote | group } ADDR ] [ dev DEV ]
              [ ttl { N | auto | inherit } ] [ tos { TOS | inherit } ] [ [no]learning ]
              [ port MIN MAX ]
macvlan, macvtap ARGS := [ mode { private | vepa | bridge | passthru | source } ]
ipvlan ARGS := [ mode { l2 | l3 | l3s } ] [ bridge | private | vepa ]
ipip, gre ARGS := [ local ADDR ] [ remote ADDR ] [ ttl { N | inherit } ] [ dev DEV ]
vlan ARGS := id VLANID
";

/// Run `rawnet link ARGS...`.
pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let mut args = Args::new(args);
    let Some(cmd) = args.next() else {
        return show::run(ctx, &[]);
    };
    let rest = args.rest();
    if let Some(op) = change_op(cmd) {
        apply(ctx, |devices| prepare(op, rest, devices))
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        show::run(ctx, rest)
    } else if matches(cmd, "help") {
        Err(usage_error(USAGE))
    } else {
        Err(unknown_command("link", cmd))
    }
}

/// A change of `link`: add, set or delete.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Add,
    Set,
    Delete,
}

/// The change a command word asks for (`add`, `set`/`change`, `delete`).
pub(super) fn change_op(cmd: &str) -> Option<Op> {
    if matches(cmd, "add") {
        Some(Op::Add)
    } else if matches(cmd, "set") || matches(cmd, "change") {
        Some(Op::Set)
    } else if matches(cmd, "delete") {
        Some(Op::Delete)
    } else {
        None
    }
}

/// `link add|set|delete ...` as one request.
pub(super) fn prepare(
    op: Op,
    words: &[String],
    devices: &mut dyn Devices,
) -> Result<Change, CliError> {
    match op {
        Op::Add => add(words, devices),
        Op::Set => set(words, devices),
        Op::Delete => delete(words, devices),
    }
}

fn dev_required() -> CliError {
    CliError::usage("Not enough information: \"dev\" argument is required.")
}

/// `Error: argument "VALUE" is wrong: Invalid "WHAT" value`.
fn invalid(value: &str, what: &str) -> CliError {
    invalid_arg(value, &format!("Invalid \"{what}\" value"))
}

/// `DEV` or `dev DEV` (for delete); more words are garbage.
fn show_target(words: &[String]) -> Result<Option<&str>, CliError> {
    let mut args = Args::new(words);
    let mut dev = None;
    while let Some(w) = args.next() {
        let name = if w == "dev" { args.value("dev")? } else { w };
        if dev.is_some() {
            return Err(garbage("dev", name));
        }
        dev = Some(name);
    }
    Ok(dev)
}

/// A namespace given as a /run/netns name or, failing that, a process id.
enum Target {
    Named(NetNs),
    Pid(u32),
}

impl Target {
    fn open(word: &str) -> Result<Target, CliError> {
        if let Ok(ns) = NetNs::open_named(word) {
            return Ok(Target::Named(ns));
        }
        match word.parse::<u32>() {
            Ok(pid) => Ok(Target::Pid(pid)),
            Err(_) => Err(invalid(word, "netns")),
        }
    }

    fn as_ref(&self) -> NetnsRef<'_> {
        match self {
            Target::Named(ns) => NetnsRef::Fd(ns.as_fd()),
            Target::Pid(pid) => NetnsRef::Pid(*pid),
        }
    }

    /// The namespace file a request refers to by descriptor number.
    fn into_open(self) -> Option<NetNs> {
        match self {
            Target::Named(ns) => Some(ns),
            Target::Pid(_) => None,
        }
    }
}

/// `link set [dev] DEV { up | down | mtu N | name NEW | address LLADDR | netns NS }...`
fn set(words: &[String], devices: &mut dyn Devices) -> Result<Change, CliError> {
    let mut args = Args::new(words);
    let mut dev = None;
    let mut up = None;
    let mut mtu = None;
    let mut name = None;
    let mut address = None;
    let mut netns = None;
    let mut master = None;
    while let Some(w) = args.next() {
        match w {
            "up" => up = Some(true),
            "master" => {
                let v = args.value(w)?;
                if master.is_some() {
                    return Err(duplicate("master", v));
                }
                master = Some(Some(v));
            }
            "nomaster" => {
                if master.is_some() {
                    return Err(duplicate("master", w));
                }
                master = Some(None);
            }
            "down" => up = Some(false),
            "mtu" => {
                let v = args.value(w)?;
                if mtu.is_some() {
                    return Err(duplicate("mtu", v));
                }
                mtu = Some(decimal_or_hex_u32(v).ok_or_else(|| invalid(v, "mtu"))?);
            }
            "name" => {
                let v = args.value(w)?;
                if name.is_some() {
                    return Err(duplicate("name", v));
                }
                rlink::validate_ifname(v).map_err(CliError::from)?;
                name = Some(v);
            }
            w if matches(w, "address") => {
                let v = args.value(w)?;
                if address.is_some() {
                    return Err(duplicate("address", v));
                }
                address = Some(rlink::parse_lladdr(v).map_err(CliError::from)?);
            }
            "netns" => {
                let v = args.value(w)?;
                if netns.is_some() {
                    return Err(duplicate("netns", v));
                }
                netns = Some(Target::open(v)?);
            }
            w if matches(w, "help") => {
                return Err(usage_error(USAGE));
            }
            w => {
                let d = if w == "dev" { args.value(w)? } else { w };
                if dev.is_some() {
                    return Err(garbage("dev", d));
                }
                dev = Some(d);
            }
        }
    }
    let dev = dev.ok_or_else(dev_required)?;
    // iproute2 resolves the master while parsing: a missing one is its
    // `invarg` (exit 255) before anything is sent.
    let master = match master {
        None => None,
        Some(None) => Some(0),
        Some(Some(m)) => Some(
            devices
                .index(m)
                .map_err(|_| invalid_arg(m, "Device does not exist"))?,
        ),
    };
    let link = match name {
        // A rename needs the index.
        Some(_) => LinkRef::Index(devices.index(dev)?),
        None => devices.link_ref(dev)?,
    };
    let changes = LinkChanges {
        up,
        mtu,
        address: address.as_deref(),
        master,
        netns: netns.as_ref().map(Target::as_ref),
        name,
    };
    let request = rlink::set_link_request_for(link, &changes).map_err(CliError::from)?;
    let moves = name.is_some() || netns.is_some();
    let mut change = Change::new(request);
    if moves {
        change = change.unsettling([dev].into_iter().chain(name));
    }
    if matches!(link, LinkRef::Name(_)) {
        change.names_link = Some(dev.to_string());
    }
    change.keep_open.extend(netns.and_then(Target::into_open));
    Ok(change)
}

/// `link del [dev] DEV`
fn delete(words: &[String], devices: &mut dyn Devices) -> Result<Change, CliError> {
    let dev = show_target(words)?.ok_or_else(dev_required)?;
    let link = devices.link_ref(dev)?;
    let request = rlink::delete_link_request_for(link).map_err(CliError::from)?;
    let mut change = Change::new(request).unsettling([dev]);
    if matches!(link, LinkRef::Name(_)) {
        change.names_link = Some(dev.to_string());
    }
    Ok(change)
}

/// `link add [link PARENT] [name] NAME [netns NS] type KIND [ARGS]`: veth
/// (`peer [name] PEER [netns NS]`) and the kinds of `kinds.rs`. The
/// parent and any `dev D` are looked up in the current namespace, also when
/// the link is made straight into `netns NS` (as container plugins do).
fn add(words: &[String], devices: &mut dyn Devices) -> Result<Change, CliError> {
    let mut args = Args::new(words);
    let mut name = None;
    let mut kind = None;
    let mut parent = None;
    let mut netns = None;
    while let Some(w) = args.next() {
        match w {
            w if matches(w, "type") => {
                kind = Some(args.value(w)?);
                break;
            }
            "link" => {
                let v = args.value(w)?;
                if parent.is_some() {
                    return Err(duplicate("link", v));
                }
                parent = Some(v);
            }
            "netns" => {
                let v = args.value(w)?;
                if netns.is_some() {
                    return Err(duplicate("netns", v));
                }
                netns = Some(Target::open(v)?);
            }
            "name" | "dev" => {
                let v = args.value(w)?;
                if name.is_some() {
                    return Err(garbage("dev", v));
                }
                name = Some(v);
            }
            w if matches(w, "help") => {
                return Err(usage_error(USAGE));
            }
            w => {
                if name.is_some() {
                    return Err(garbage("dev", w));
                }
                name = Some(w);
            }
        }
    }
    let kind = kind
        .ok_or_else(|| CliError::new(1, "Not enough information: \"type\" argument is required"))?;
    let name = name.ok_or_else(dev_required)?;
    rlink::validate_ifname(name).map_err(CliError::from)?;
    let rest = args.rest();
    let parent = match parent {
        Some(p) => Some(devices.index(p)?),
        None => None,
    };
    // Namespace files must stay open until the request is sent: the request
    // carries their descriptor numbers.
    let mut peer_ns = None;
    let mut peer_name = None;
    let link_kind = if kind == "veth" {
        let (peer, ns) = veth_peer(rest)?;
        peer_ns = ns;
        peer_name = peer;
        LinkKind::Veth {
            peer,
            peer_netns: peer_ns.as_ref().map(AsFd::as_fd),
        }
    } else {
        let mut resolve = |dev: &str| devices.index(dev);
        kinds::parse(kind, rest, &mut resolve)?
    };
    let spec = LinkSpec {
        name,
        kind: link_kind,
        parent,
        netns: netns.as_ref().map(Target::as_ref),
    };
    let request = rlink::add_link_request(&spec).map_err(|e| match e {
        // Parameters iproute2 refuses while parsing: its exit status.
        rawnet::Error::Invalid(m) => CliError::usage(m),
        e => CliError::from(e),
    })?;
    let mut change = Change::new(request).unsettling([name].into_iter().chain(peer_name));
    change.keep_open.extend(peer_ns);
    change.keep_open.extend(netns.and_then(Target::into_open));
    Ok(change)
}

/// veth's options: `peer [name] PEER [netns NAME]` (the peer's namespace by
/// /run/netns name; iproute2 also takes a PID there, which `add_veth` does not).
fn veth_peer(words: &[String]) -> Result<(Option<&str>, Option<NetNs>), CliError> {
    let mut args = Args::new(words);
    match args.next() {
        None => return Ok((None, None)),
        Some("peer") => {}
        Some(_) => {
            return Err(CliError::new(
                1,
                "Usage: rawnet link <options> type veth [peer <options>]",
            ))
        }
    }
    let mut peer = None;
    let mut netns = None;
    while let Some(w) = args.next() {
        match w {
            "name" | "dev" => {
                let v = args.value(w)?;
                if peer.is_some() {
                    return Err(garbage("dev", v));
                }
                peer = Some(v);
            }
            "netns" => {
                let v = args.value(w)?;
                if netns.is_some() {
                    return Err(duplicate("netns", v));
                }
                let ns = NetNs::open_named(v).map_err(|_| invalid(v, "netns"))?;
                netns = Some(ns);
            }
            w => {
                if peer.is_some() {
                    return Err(garbage("dev", w));
                }
                peer = Some(w);
            }
        }
    }
    if let Some(p) = peer {
        rlink::validate_ifname(p).map_err(CliError::from)?;
    }
    Ok((peer, netns))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn show_takes_one_device() {
        let w = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(show_target(&w(&[])).unwrap(), None);
        assert_eq!(show_target(&w(&["dev", "x"])).unwrap(), Some("x"));
        assert_eq!(show_target(&w(&["x"])).unwrap(), Some("x"));
        assert_eq!(show_target(&w(&["x", "y"])).unwrap_err().code, 255);
    }
}
