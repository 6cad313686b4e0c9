//! `rawnet link`: iproute2's `ip link` grammar for add (veth and the kinds of
//! `kinds.rs`), set (the words of `attrs.rs`, `type KIND ARGS`), property
//! (alternative names), delete and show. Command words match by unique
//! prefix in iproute2's order (`s` is `set`, `l` is `lst`/show, `d` is
//! `delete`); show, its selectors and its output are in `show/` (and
//! `details/` for `-d`).
//!
//! Everything is checked (names, numbers, namespaces opened) before the first
//! request is sent, and each command is one request, so a failing command
//! changes nothing.

mod attrs;
mod details;
mod kinds;
pub(super) mod nsid;
pub(super) mod show;

use rawnet::route::link::LinkKind;
use rawnet::route::link::{self as rlink, LinkRef, LinkSpec};

use super::arg_errors::{duplicate, garbage, invalid_arg, unknown_command, usage_error};
use super::change::{apply, Change, Devices};
use super::ifname;
use super::os_args::unescape;
use super::{matches, Args, CliError, Context};
use attrs::{Target, Words};

const USAGE: &str = "\
Usage: rawnet link add [ link PARENT ] [ name ] NAME [ ATTRS ]
                       type TYPE [ ARGS ]
       rawnet link set [ dev ] DEV [ ATTRS ] [ name NEWNAME ]
                       [ type TYPE ARGS ]
       rawnet link property { add | del } [ dev ] DEV altname NAME
       rawnet link { delete | del } [ dev ] DEV
       rawnet link { show | list | lst } [ [ dev ] DEV ] [ up ] [ type TYPE ]
                       [ master DEVICE | vrf NAME | nomaster ] [ group GROUP ]
       rawnet link help

ATTRS := [ up | down ] [ mtu MTU ] [ address LLADDR ] [ broadcast LLADDR ]
         [ txqueuelen PACKETS ] [ master DEVICE | nomaster ]
         [ netns { NETNSNAME | PID } ] [ alias NAME ] [ group GROUP ]
         [ numtxqueues N ] [ numrxqueues N ]
         [ promisc { on | off } ] [ arp { on | off } ]
         [ multicast { on | off } ] [ allmulticast { on | off } ]
         [ { xdp | xdpgeneric | xdpdrv | xdpoffload } { off |
                 pinned FILE [ section NAME ] [ verbose ] | id PROGID } ]

TYPE := { veth | bridge | vxlan | macvlan | macvtap | ipvlan | ipip | gre | vlan | dummy | KIND }
veth ARGS := [ peer [ name ] PEER [ ATTRS ] ]
bridge ARGS := [ stp_state { 0 | 1 } ] [ forward_delay N ] [ vlan_filtering { 0 | 1 } ]
vxlan ARGS := { id VNI | external [ vnifilter ] } [ dstport PORT ] [ local ADDR ]
              [ { remote | group } ADDR ] [ dev DEV ] [ ttl { N | auto | inherit } ]
              [ tos { TOS | inherit } ] [ [no]learning ] [ port MIN MAX ]
              [ ageing SECONDS ] [ maxaddress N ] [ [no]proxy ] [ [no]rsc ]
              [ [no]l2miss ] [ [no]l3miss ] [ [no]udpcsum ]
              [ [no]udp6zerocsumtx ] [ [no]udp6zerocsumrx ]
macvlan, macvtap ARGS := [ mode { private | vepa | bridge | passthru | source } ]
ipvlan ARGS := [ mode { l2 | l3 | l3s } ] [ bridge | private | vepa ]
ipip, gre ARGS := [ local ADDR ] [ remote ADDR ] [ ttl { N | inherit } ] [ dev DEV ]
vlan ARGS := id VLANID
bridge_slave ARGS (set only) := [ state STATE ] [ priority PRIO ] [ cost COST ]
              [ { hairpin | guard | root_block | fastleave | learning | flood |
                  mcast_flood | bcast_flood | mcast_to_unicast | proxy_arp |
                  proxy_arp_wifi | neigh_suppress | vlan_tunnel | isolated |
                  locked } { on | off } ] [ mcast_router N ] [ group_fwd_mask MASK ]
";

/// Run `rawnet link ARGS...`.
pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let mut args = Args::new(args);
    let Some(cmd) = args.next() else {
        return show::run(ctx, &[]);
    };
    let rest = args.rest();
    if let Some(op) = change_op(cmd) {
        apply(ctx, |devices| prepare(ctx, op, rest, devices))
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
    /// `property add|del ...`: alternative names.
    Property,
}

/// The change a command word asks for (`add`, `set`/`change`, `delete`).
pub(super) fn change_op(cmd: &str) -> Option<Op> {
    if matches(cmd, "add") {
        Some(Op::Add)
    } else if matches(cmd, "set") || matches(cmd, "change") {
        Some(Op::Set)
    } else if matches(cmd, "delete") {
        Some(Op::Delete)
    } else if matches(cmd, "property") {
        Some(Op::Property)
    } else {
        None
    }
}

/// `link add|set|delete ...` as one request.
pub(super) fn prepare(
    ctx: &Context,
    op: Op,
    words: &[String],
    devices: &mut dyn Devices,
) -> Result<Change, CliError> {
    match op {
        Op::Add => add(words, devices),
        Op::Set => set(ctx.force, words, devices),
        Op::Delete => delete(words, devices),
        Op::Property => property(words, devices),
    }
}

fn dev_required() -> CliError {
    CliError::usage("Not enough information: \"dev\" argument is required.")
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

/// The index of `master DEV`: iproute2 resolves it while parsing, so a
/// missing one is its `invarg` (exit 255) before anything is sent.
fn master_index(
    master: Option<Option<&str>>,
    devices: &mut dyn Devices,
) -> Result<Option<u32>, CliError> {
    Ok(match master {
        None => None,
        Some(None) => Some(0),
        Some(Some(m)) => Some(
            devices
                .index(m)
                .map_err(|_| invalid_arg(m, "Device does not exist"))?,
        ),
    })
}

/// Library refusals of a request being built: iproute2 refuses those while
/// parsing (exit 255).
fn build_error(e: rawnet::Error) -> CliError {
    match e {
        rawnet::Error::Invalid(i) => CliError::usage(super::error_words::invalid_words(&i)),
        e => CliError::from(e),
    }
}

/// `link set [dev] DEV ATTRS... [type KIND ARGS]`: the words of `attrs.rs`,
/// and a change of the kind's settings (`type bridge ...`, `type vxlan ...`,
/// `type bridge_slave ...`).
fn set(force: bool, words: &[String], devices: &mut dyn Devices) -> Result<Change, CliError> {
    let (w, rest) = Words::parse(words, USAGE)?;
    let dev = w.dev.ok_or_else(dev_required)?;
    if let Some(address) = &w.address {
        // iproute2 reads the device's address length first and refuses
        // another length itself (exit 1); a device it cannot read is left
        // to the kernel (and to "Cannot find device" below).
        if let Some(halen) = devices.address_length(dev)? {
            if halen != address.len() {
                return Err(CliError::new(
                    1,
                    format!(
                        "Invalid address length {} - must be {halen} bytes",
                        address.len()
                    ),
                ));
            }
        }
    }
    let master = master_index(w.master, devices)?;
    let new_name = w.renames().then_some(w.name).flatten();
    let new_raw = new_name.map(unescape);
    let dev_raw = unescape(dev);
    let link = match new_name {
        // A rename needs the index.
        Some(_) => LinkRef::Index(devices.index(dev)?),
        None => devices.link_ref(dev, &dev_raw)?,
    };
    let info = match w.kind {
        None => None,
        Some(kind) => {
            let mut resolve = |d: &str| devices.index(d);
            Some(kinds::parse_change(kind, rest, &mut resolve)?)
        }
    };
    let mut changes = w.changes(master);
    changes.name = new_raw.as_deref();
    changes.info = info;
    changes.xdp = w.xdp(force);
    let request = rlink::set_link_request_for(link, &changes).map_err(build_error)?;
    let moves = new_name.is_some() || w.netns.is_some();
    let mut change = Change::new(request);
    if moves {
        change = change.unsettling([dev].into_iter().chain(new_name));
    }
    if matches!(link, LinkRef::Name(_)) {
        change.names_link = Some(dev.to_string());
    }
    change.keep_open.extend(w.netns.and_then(Target::into_open));
    change.keep_programs.extend(w.xdp.and_then(|(_, p)| p));
    Ok(change)
}

/// `link property { add | del } [dev] DEV altname NAME [altname NAME]...`
fn property(words: &[String], devices: &mut dyn Devices) -> Result<Change, CliError> {
    let mut args = Args::new(words);
    let add = match args.next() {
        Some(w) if matches(w, "add") => true,
        Some(w) if matches(w, "del") => false,
        Some(w) if matches(w, "help") => return Err(usage_error(USAGE)),
        None => return Err(usage_error(USAGE)),
        Some(_) => return Err(CliError::usage("Operator required")),
    };
    let mut dev = None;
    let mut names = Vec::new();
    while let Some(w) = args.next() {
        if matches(w, "altname") {
            let v = args.value(w)?;
            rlink::validate_altname(&unescape(v))
                .map_err(|_| invalid_arg(v, "not a valid altname"))?;
            names.push(v);
        } else if matches(w, "help") {
            return Err(usage_error(USAGE));
        } else {
            let d = if w == "dev" { args.value(w)? } else { w };
            if dev.is_some() {
                return Err(garbage("dev", d));
            }
            rlink::validate_altname(&unescape(d))
                .map_err(|_| invalid_arg(d, "\"dev\" not a valid ifname"))?;
            dev = Some(d);
        }
    }
    let dev = dev.ok_or_else(|| {
        CliError::usage("Not enough of information: \"dev\" argument is required.")
    })?;
    let index = devices.index(dev)?;
    let raw: Vec<_> = names.iter().map(|n| unescape(n)).collect();
    let raw: Vec<&[u8]> = raw.iter().map(|n| &**n).collect();
    let request = rlink::altnames_request(index, add, &raw).map_err(build_error)?;
    Ok(Change::new(request).unsettling(names.iter().copied()))
}

/// `link del [dev] DEV`
fn delete(words: &[String], devices: &mut dyn Devices) -> Result<Change, CliError> {
    let dev = show_target(words)?.ok_or_else(dev_required)?;
    ifname::check_dev(dev)?;
    let raw = unescape(dev);
    let link = devices.link_ref(dev, &raw)?;
    let request = rlink::delete_link_request_for(link).map_err(CliError::from)?;
    let mut change = Change::new(request).unsettling([dev]);
    if matches!(link, LinkRef::Name(_)) {
        change.names_link = Some(dev.to_string());
    }
    Ok(change)
}

/// `link add [link PARENT] [name] NAME ATTRS... type KIND [ARGS]`: the
/// words of `attrs.rs`, then veth (`peer` and the same words for the other
/// end) or the kinds of `kinds.rs`. The parent, a master and any `dev D` are
/// looked up in the current namespace, also when the link is made straight
/// into `netns NS` (as container plugins do).
fn add(words: &[String], devices: &mut dyn Devices) -> Result<Change, CliError> {
    let (w, rest) = Words::parse(words, USAGE)?;
    if w.renames() {
        return Err(CliError::usage(
            "both \"name\" and \"dev\" cannot be used when creating devices.",
        ));
    }
    let parent = match w.link {
        Some(p) => Some(devices.index(p)?),
        None => None,
    };
    let master = master_index(w.master, devices)?;
    let kind = w
        .kind
        .ok_or_else(|| CliError::new(1, "Not enough information: \"type\" argument is required"))?;
    // Without a name the kernel picks one (`veth0`, `bridge0`), as with ip.
    let name = w.name.unwrap_or("");
    if !name.is_empty() {
        ifname::check_new_name(name, "name")?;
    }
    // The peer's words, namespace files kept open until the request is sent.
    let peer = if kind == "veth" {
        veth_peer(rest)?
    } else {
        None
    };
    let peer_master = match &peer {
        Some(p) => master_index(p.master, devices)?,
        None => None,
    };
    let peer_raw = peer.as_ref().and_then(|p| p.name).map(unescape);
    let peer_changes = peer.as_ref().map(|p| {
        let mut c = p.changes(peer_master);
        c.name = peer_raw.as_deref();
        c
    });
    let link_kind = if kind == "veth" {
        LinkKind::Veth {
            peer: peer_changes.as_ref(),
        }
    } else {
        let mut resolve = |dev: &str| devices.index(dev);
        kinds::parse(kind, rest, &mut resolve)?
    };
    let raw = unescape(name);
    let spec = LinkSpec {
        name: &raw,
        kind: link_kind,
        parent,
        netns: None,
        attrs: w.changes(master),
    };
    let request = rlink::add_link_request(&spec).map_err(build_error)?;
    let peer_name = peer.as_ref().and_then(|p| p.name);
    let named = Some(name).filter(|n| !n.is_empty());
    let mut change = Change::new(request).unsettling(named.into_iter().chain(peer_name));
    change
        .keep_open
        .extend(peer.and_then(|p| p.netns).and_then(Target::into_open));
    change.keep_open.extend(w.netns.and_then(Target::into_open));
    Ok(change)
}

/// veth's options: `peer` and the words of `attrs.rs` for the other end
/// (`name`, `mtu`, `address`, `netns`, `up`, ...), as iproute2's
/// `veth_parse_opt` reads them; `None` without `peer`.
fn veth_peer(words: &[String]) -> Result<Option<Words<'_>>, CliError> {
    let Some((first, rest)) = words.split_first() else {
        return Ok(None);
    };
    if first != "peer" {
        return Err(CliError::new(
            1,
            "Usage: rawnet link <options> type veth [peer <options>]",
        ));
    }
    let (peer, _) = Words::parse(rest, USAGE)?;
    if let Some(kind) = peer.kind {
        return Err(duplicate("type", kind));
    }
    if peer.renames() {
        return Err(CliError::usage(
            "both \"name\" and \"dev\" cannot be used when creating devices.",
        ));
    }
    if peer.link.is_some() {
        return Err(CliError::usage(
            "rawnet: \"link\" is not supported for a veth peer",
        ));
    }
    if let Some(p) = peer.name {
        ifname::check_new_name(p, "name")?;
    }
    Ok(Some(peer))
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
