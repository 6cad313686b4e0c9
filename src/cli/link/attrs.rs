//! The words every `link add` and `link set` takes, and a veth's `peer`
//! (iproute2 6.1's `iplink_parse`): `[dev|name] NAME`, `link`, `up`/`down`,
//! `mtu`, `address`, `broadcast`, `txqueuelen`, `promisc|arp|multicast|
//! allmulticast on|off`, `master`/`nomaster`, `netns`, `alias`, `group`,
//! `numtxqueues`, `numrxqueues`, up to `type KIND`. Only words here: devices
//! are looked up and the request is built by the caller.
//!
//! As iproute2: keywords are exact or by unique prefix where it uses
//! `matches()`; a repeated `mtu`, `name`, `txqueuelen`, `netns`, `group`,
//! `numtxqueues`, `numrxqueues` is `duparg` (255), a second device name is
//! `duparg2` (255); a repeated `address`, `master`, flag is taken, the last
//! one winning (iproute2 sends both and the kernel keeps the last).

use std::borrow::Cow;

use rawnet::bpf::Program;
use rawnet::ns::NetNs;
use rawnet::route::link::{self as rlink, LinkChanges, NetnsRef, IFALIASZ};
use std::os::fd::{AsFd, OwnedFd};

use crate::cli::arg_errors::{duplicate, garbage, invalid_arg, usage_error};
use crate::cli::lladdr::parse_lladdr;
use crate::cli::numbers::get_integer;
use crate::cli::os_args::unescape;
use crate::cli::route::names::group_number;
use crate::cli::{matches, Args, CliError};

/// A namespace given as a /run/netns name or, failing that, a process id.
pub(super) enum Target {
    Named(NetNs),
    Pid(u32),
}

impl Target {
    pub(super) fn open(word: &str) -> Result<Target, CliError> {
        if let Ok(ns) = NetNs::open_named(unescape(word)) {
            return Ok(Target::Named(ns));
        }
        match word.parse::<u32>() {
            Ok(pid) => Ok(Target::Pid(pid)),
            Err(_) => Err(invalid(word, "netns")),
        }
    }

    pub(super) fn as_ref(&self) -> NetnsRef<'_> {
        match self {
            Target::Named(ns) => NetnsRef::Fd(ns.as_fd()),
            Target::Pid(pid) => NetnsRef::Pid(*pid),
        }
    }

    /// The namespace file a request refers to by descriptor number.
    pub(super) fn into_open(self) -> Option<NetNs> {
        match self {
            Target::Named(ns) => Some(ns),
            Target::Pid(_) => None,
        }
    }
}

/// `Error: argument "VALUE" is wrong: Invalid "WHAT" value`, and the
/// empty line iproute2's `invarg("Invalid \"WHAT\" value\n")` leaves.
pub(super) fn invalid(value: &str, what: &str) -> CliError {
    invalid_arg(value, &format!("Invalid \"{what}\" value\n"))
}

/// iproute2's `on_off`: `Error: argument of "KEY" must be "on" or "off",
/// not "VALUE"` (exit 1).
fn on_off(key: &str, value: &str) -> Result<bool, CliError> {
    match value {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(CliError::new(
            1,
            format!("Error: argument of \"{key}\" must be \"on\" or \"off\", not \"{value}\""),
        )),
    }
}

/// The words of one link, as read (names not yet looked up).
#[derive(Default)]
pub(super) struct Words<'w> {
    /// The device: `dev D`, a bare word, or `name N` when no other is given.
    pub dev: Option<&'w str>,
    /// `name N`.
    pub name: Option<&'w str>,
    /// `link PARENT`.
    pub link: Option<&'w str>,
    /// `master DEV` (`Some(None)` for `nomaster`).
    pub master: Option<Option<&'w str>>,
    pub netns: Option<Target>,
    pub address: Option<Vec<u8>>,
    pub broadcast: Option<Vec<u8>>,
    pub up: Option<bool>,
    pub promisc: Option<bool>,
    pub allmulticast: Option<bool>,
    pub multicast: Option<bool>,
    pub arp: Option<bool>,
    pub mtu: Option<u32>,
    pub txqlen: Option<u32>,
    /// `alias TEXT`, as its bytes (`os_args::unescape`).
    pub alias: Option<Cow<'w, [u8]>>,
    pub group: Option<u32>,
    pub num_tx_queues: Option<u32>,
    pub num_rx_queues: Option<u32>,
    /// `type KIND`; the words after it are the caller's.
    pub kind: Option<&'w str>,
    /// `xdp|xdpgeneric|xdpdrv|xdpoffload { off | pinned PATH | id N }`:
    /// the mode and the program, opened while parsing as iproute2 does
    /// (`None` detaches).
    pub xdp: Option<(rlink::XdpMode, Option<OwnedFd>)>,
    /// `dev` is the `name` word (iproute2's `dev == name` pointer test).
    dev_is_name: bool,
}

impl<'w> Words<'w> {
    /// Read words up to and including `type KIND`; the rest is returned.
    /// `usage` is printed for `help`.
    pub fn parse(words: &'w [String], usage: &str) -> Result<(Words<'w>, &'w [String]), CliError> {
        let mut args = Args::new(words);
        let mut w = Words::default();
        while let Some(word) = args.next() {
            if w.word(word, &mut args, usage)? {
                break;
            }
        }
        // "ip link add dev" and "ip link add name": one stands for the other.
        if w.name.is_none() {
            w.name = w.dev;
            w.dev_is_name = true;
        } else if w.dev.is_none() {
            w.dev = w.name;
            w.dev_is_name = true;
        } else if w.name == w.dev {
            w.dev_is_name = true;
        }
        Ok((w, args.rest()))
    }

    /// `name` and `dev` name different links (a rename on `set`, an error on `add`).
    pub fn renames(&self) -> bool {
        !self.dev_is_name
    }

    /// One keyword (and its value); true at `type KIND`, which ends the words.
    fn word(&mut self, word: &'w str, args: &mut Args<'w>, usage: &str) -> Result<bool, CliError> {
        let once = |seen: bool, key: &str, v: &str| {
            if seen {
                Err(duplicate(key, v))
            } else {
                Ok(())
            }
        };
        // iproute2 reads these with `get_integer` and sends the `int` as
        // it is: `mtu -1` goes to the kernel as 0xffffffff.
        let number = |v: &str, what: &str| {
            get_integer(v)
                .map(|n| n as u32)
                .ok_or_else(|| invalid(v, what))
        };
        match word {
            "up" => self.up = Some(true),
            "down" => self.up = Some(false),
            "name" => {
                let v = args.value(word)?;
                once(self.name.is_some(), "name", v)?;
                crate::cli::ifname::check_new_name(v, "name")?;
                self.name = Some(v);
                if self.dev.is_none() {
                    self.dev = Some(v);
                    self.dev_is_name = true;
                }
            }
            w if matches(w, "link") => self.link = Some(args.value(w)?),
            w if matches(w, "address") => self.address = Some(parse_lladdr(args.value(w)?)?),
            w if matches(w, "broadcast") || w == "brd" => {
                self.broadcast = Some(parse_lladdr(args.value(w)?)?)
            }
            w if matches(w, "txqueuelen") || w == "qlen" || matches(w, "txqlen") => {
                let v = args.value(w)?;
                once(self.txqlen.is_some(), "txqueuelen", v)?;
                self.txqlen = Some(number(v, "txqueuelen")?);
            }
            "mtu" => {
                let v = args.value(word)?;
                once(self.mtu.is_some(), "mtu", v)?;
                self.mtu = Some(number(v, "mtu")?);
            }
            "netns" => {
                let v = args.value(word)?;
                once(self.netns.is_some(), "netns", v)?;
                self.netns = Some(Target::open(v)?);
            }
            "multicast" => self.multicast = Some(on_off(word, args.value(word)?)?),
            "allmulticast" => self.allmulticast = Some(on_off(word, args.value(word)?)?),
            "promisc" => self.promisc = Some(on_off(word, args.value(word)?)?),
            "arp" => self.arp = Some(on_off(word, args.value(word)?)?),
            w if matches(w, "master") => self.master = Some(Some(args.value(w)?)),
            w if matches(w, "nomaster") => self.master = Some(None),
            w if matches(w, "type") => {
                self.kind = Some(args.value(w)?);
                return Ok(true);
            }
            w if matches(w, "alias") => {
                let v = args.value(w)?;
                if unescape(v).len() >= IFALIASZ {
                    return Err(invalid_arg(v, "alias too long"));
                }
                self.alias = Some(unescape(v));
            }
            "group" => {
                let v = args.value(word)?;
                once(self.group.is_some(), "group", v)?;
                self.group = Some(group_number(v).ok_or_else(|| invalid(v, "group"))?);
            }
            w if matches(w, "numtxqueues") => {
                let v = args.value(w)?;
                once(self.num_tx_queues.is_some(), "numtxqueues", v)?;
                self.num_tx_queues = Some(number(v, "numtxqueues")?);
            }
            w if matches(w, "numrxqueues") => {
                let v = args.value(w)?;
                once(self.num_rx_queues.is_some(), "numrxqueues", v)?;
                self.num_rx_queues = Some(number(v, "numrxqueues")?);
            }
            "xdp" | "xdpgeneric" | "xdpdrv" | "xdpoffload" => {
                let mode = match word {
                    "xdpgeneric" => rlink::XdpMode::Generic,
                    "xdpdrv" => rlink::XdpMode::Driver,
                    "xdpoffload" => rlink::XdpMode::Offload,
                    _ => rlink::XdpMode::Auto,
                };
                self.xdp = Some((mode, xdp_program(args)?));
            }
            w if matches(w, "help") => return Err(usage_error(usage)),
            w => {
                let d = if w == "dev" { args.value(w)? } else { w };
                if self.dev.is_some() && !self.dev_is_name {
                    return Err(garbage("dev", d));
                }
                rlink::validate_altname(&unescape(d))
                    .map_err(|_| invalid_arg(d, "\"dev\" not a valid ifname"))?;
                self.dev = Some(d);
                self.dev_is_name = false;
            }
        }
        Ok(false)
    }

    /// The attributes these words set, with the master's index (looked up
    /// by the caller) and without the name, the parent and the kind.
    pub fn changes(&self, master: Option<u32>) -> LinkChanges<'_> {
        LinkChanges {
            up: self.up,
            mtu: self.mtu,
            address: self.address.as_deref(),
            master,
            netns: self.netns.as_ref().map(Target::as_ref),
            name: None,
            broadcast: self.broadcast.as_deref(),
            txqlen: self.txqlen,
            promisc: self.promisc,
            allmulticast: self.allmulticast,
            multicast: self.multicast,
            arp: self.arp,
            alias: self.alias.as_deref(),
            group: self.group,
            num_tx_queues: self.num_tx_queues,
            num_rx_queues: self.num_rx_queues,
            info: None,
            xdp: None,
        }
    }

    /// `IFLA_XDP` for the `xdp*` words; `force` is `-force`.
    pub fn xdp(&self, force: bool) -> Option<rlink::XdpAttach<'_>> {
        self.xdp.as_ref().map(|(mode, program)| rlink::XdpAttach {
            program: program.as_ref().map(AsFd::as_fd),
            mode: *mode,
            force,
        })
    }
}

/// The words after `xdp*` (iproute2's `xdp_parse` and `bpf_do_parse`):
/// `off` or `none` as the last word detaches; `pinned`, `object-pinned`
/// and `fd` (by prefix) name a pinned program, optionally followed by
/// `section NAME`, `program NAME`, `verbose` (read and ignored, as
/// iproute2 does for a pinned one); rawnet adds `id N`. ELF objects
/// (`object FILE`) are not loaded.
fn xdp_program(args: &mut Args<'_>) -> Result<Option<OwnedFd>, CliError> {
    let word = args.value("xdp")?;
    if args.peek().is_none() && (word == "off" || word == "none") {
        return Ok(None);
    }
    let program =
        if matches(word, "object-pinned") || matches(word, "pinned") || matches(word, "fd") {
            let path = args.value(word)?;
            // Whatever is pinned there: a map goes to the kernel, which
            // refuses it (`RTNETLINK answers: Invalid argument`) as for ip.
            rawnet::bpf::object::open_pinned_any(path).map_err(|e| {
                CliError::usage(format!(
                    "Couldn't retrieve pinned program '{path}': {}",
                    errno_text(&e)
                ))
            })?
        } else if word == "id" {
            let v = args.value(word)?;
            let id: u32 = v.parse().map_err(|_| invalid(v, "id"))?;
            match Program::from_id(id) {
                Ok(Some(p)) => p.into_fd(),
                Ok(None) => {
                    return Err(CliError::usage(format!(
                        "Couldn't retrieve program id {id}: No such file or directory"
                    )))
                }
                Err(e) => {
                    return Err(CliError::usage(format!(
                        "Couldn't retrieve program id {id}: {}",
                        errno_text(&e)
                    )))
                }
            }
        } else if matches(word, "object-file") || word == "obj" {
            return Err(CliError::usage(
                "rawnet does not load ELF objects: use \"pinned PATH\" or \"id N\"",
            ));
        } else {
            return Err(CliError::usage(format!("What mode is \"{word}\"?")));
        };
    if args.peek().is_some_and(|w| matches(w, "section")) {
        args.next();
        args.value("section")?;
    }
    if args.peek() == Some("program") {
        args.next();
        args.value("program")?;
    }
    if args.peek().is_some_and(|w| matches(w, "verbose")) {
        args.next();
    }
    Ok(Some(program))
}

/// The system's words for an errno error (`No such file or directory`).
fn errno_text(e: &rawnet::Error) -> String {
    match e.errno() {
        Some(errno) => rawnet::error::errno_text(errno),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn every_common_word() {
        let words = w(&[
            "name",
            "A",
            "mtu",
            "1400",
            "up",
            "address",
            "02:42:ac:11:000:03",
            "brd",
            "ff:ff:ff:ff:ff:fe",
            "qlen",
            "500",
            "promisc",
            "on",
            "arp",
            "off",
            "multicast",
            "off",
            "allmulticast",
            "on",
            "alias",
            "hi",
            "group",
            "default",
            "numtx",
            "4",
            "numrx",
            "2",
            "master",
            "br0",
            "type",
            "veth",
            "peer",
        ]);
        let (p, rest) = Words::parse(&words, "").unwrap();
        assert_eq!(
            (p.dev, p.name, p.kind),
            (Some("A"), Some("A"), Some("veth"))
        );
        assert!(!p.renames());
        assert_eq!(rest, ["peer"]);
        let c = p.changes(Some(4));
        assert_eq!((c.mtu, c.txqlen, c.group), (Some(1400), Some(500), Some(0)));
        assert_eq!(c.address, Some(&[2, 0x42, 0xac, 0x11, 0, 3][..]));
        assert_eq!(c.flags(), (0x301 | 0x80, 0x1381));
        assert_eq!((c.num_tx_queues, c.num_rx_queues), (Some(4), Some(2)));
    }

    #[test]
    fn names_and_duplicates_as_iproute2() {
        let words = w(&["dev", "x", "name", "y"]);
        let (p, _) = Words::parse(&words, "").unwrap();
        assert_eq!((p.dev, p.name, p.renames()), (Some("x"), Some("y"), true));
        let words = w(&["name", "y", "dev", "y"]);
        let (p, _) = Words::parse(&words, "").unwrap();
        assert!(!p.renames());
        let e = |v: &[&str]| Words::parse(&w(v), "").err().unwrap();
        assert_eq!(e(&["x", "y"]).message, garbage("dev", "y").message);
        assert_eq!(e(&["mtu", "1", "mtu", "2"]).code, 255);
        assert_eq!(
            e(&["txqlen", "1", "qlen", "2"]).message,
            "Error: duplicate \"txqueuelen\": \"2\" is the second value."
        );
        let p = e(&["promisc", "foo"]);
        assert_eq!(
            (p.code, p.message.as_str()),
            (
                1,
                "Error: argument of \"promisc\" must be \"on\" or \"off\", not \"foo\""
            )
        );
        assert_eq!(e(&["group", "x"]).code, 255);
        assert_eq!(e(&["alias", &"a".repeat(256)]).code, 255);
        assert_eq!(e(&["address", "zz"]).code, 1);
        assert_eq!(e(&["mtu"]).code, 255);
    }
}
