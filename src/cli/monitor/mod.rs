//! `rawnet monitor`: iproute2's `ip monitor` for links, addresses, routes,
//! neighbours, policy rules and namespace ids — the kernel's notifications
//! printed as they arrive.
//!
//! ```text
//! monitor [ all | OBJECTS ] [ label ] [ dev DEVICE ]
//! OBJECTS := link | address | route | neigh | rule | nsid  (several allowed)
//! ```
//!
//! The words are iproute2 6.1's, matched in its order (`l` is `label`, `li`
//! `link`, `a` `address`, `r` `route`, `n` `neigh`, `ru` `rule`, `ns`
//! `nsid`; `all` and `dev` only whole). No object means all six, as no
//! object means every group to iproute2. `all` and `label` put a banner
//! before each event (`[LINK]`, `[ADDR]`, `[ROUTE]`, `[NEIGH]`, `[RULE]`,
//! `[NSID]`); `dev` keeps the events of one link (rules and ids are not a
//! link's, and are all kept, as ip keeps them). `-4`/`-6` listen to that
//! family's address, route and rule groups only and pass over other
//! neighbours and rules, as ip does. iproute2's other objects (`mroute`,
//! `prefix`, `netconf`, `nexthop`, `stats`) and options (`file`,
//! `all-nsid`) are refused with a clear line; `monitor all` listens to the
//! six kinds rawnet prints.
//!
//! The monitor runs until a signal ends it (it dies of `SIGINT`/`SIGTERM`
//! as `ip` does) or its standard output is closed (as by `SIGPIPE`). Each
//! event is written out as it is printed (`events.rs`); lost notifications
//! are resynchronised from a dump (`resync.rs`).

mod events;
mod nsid_names;
mod resync;

use crate::cli::ifname::link_index;
use rawnet::netlink::{Monitor, Received};
use rawnet::route::groups::*;
use rawnet::Error;

use super::arg_errors::{invalid_arg, usage_error};
use super::{matches, Args, CliError, Context};
use events::Printer;

const USAGE: &str = "\
Usage: rawnet monitor [ all | OBJECTS ] [ label ] [ dev DEVICE ]
OBJECTS :=  address | link | neigh | nsid | route | rule
";

/// What the command line asked for.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Selection {
    pub link: bool,
    pub address: bool,
    pub route: bool,
    pub neigh: bool,
    pub rule: bool,
    pub nsid: bool,
    /// `all` or `label`: a banner before each event.
    pub labels: bool,
    /// `dev NAME`.
    pub dev: Option<String>,
}

impl Selection {
    /// The multicast groups to join, as iproute2 picks them for `family`.
    fn groups(&self, family: Option<u8>) -> Vec<u32> {
        let v4 = family.map_or(true, |f| f == libc::AF_INET as u8);
        let v6 = family.map_or(true, |f| f == libc::AF_INET6 as u8);
        let mut groups = Vec::new();
        let mut add = |wanted: bool, group: u32| {
            if wanted {
                groups.push(group);
            }
        };
        add(self.link, RTNLGRP_LINK);
        add(self.address && v4, RTNLGRP_IPV4_IFADDR);
        add(self.address && v6, RTNLGRP_IPV6_IFADDR);
        add(self.route && v4, RTNLGRP_IPV4_ROUTE);
        add(self.route && v6, RTNLGRP_IPV6_ROUTE);
        add(self.neigh, RTNLGRP_NEIGH);
        add(self.rule && v4, RTNLGRP_IPV4_RULE);
        add(self.rule && v6, RTNLGRP_IPV6_RULE);
        add(self.nsid, RTNLGRP_NSID);
        groups
    }
}

/// An iproute2 word rawnet's monitor does not do.
fn unsupported(word: &str) -> CliError {
    CliError::usage(format!(
        "Error: monitor \"{word}\" is not supported by rawnet, try \"rawnet monitor help\"."
    ))
}

/// Parse the words after `monitor` (iproute2 6.1's `do_ipmonitor` loop).
pub fn parse(args: &[String]) -> Result<Selection, CliError> {
    let mut s = Selection::default();
    let mut a = Args::new(args);
    while let Some(w) = a.next() {
        if matches(w, "file") {
            a.value(w)?;
            return Err(unsupported("file"));
        } else if matches(w, "label") {
            s.labels = true;
        } else if matches(w, "link") {
            s.link = true;
        } else if matches(w, "address") {
            s.address = true;
        } else if matches(w, "route") {
            s.route = true;
        } else if matches(w, "mroute") {
            return Err(unsupported("mroute"));
        } else if matches(w, "prefix") {
            return Err(unsupported("prefix"));
        } else if matches(w, "neigh") {
            s.neigh = true;
        } else if matches(w, "netconf") {
            return Err(unsupported("netconf"));
        } else if matches(w, "rule") {
            s.rule = true;
        } else if matches(w, "nsid") {
            s.nsid = true;
        } else if matches(w, "nexthop") {
            return Err(unsupported("nexthop"));
        } else if w == "stats" {
            return Err(unsupported("stats"));
        } else if w == "all" {
            s.labels = true;
        } else if matches(w, "all-nsid") {
            return Err(unsupported("all-nsid"));
        } else if matches(w, "help") {
            return Err(usage_error(USAGE));
        } else if w == "dev" {
            s.dev = Some(a.value(w)?.to_string());
        } else {
            return Err(CliError::usage(format!(
                "Argument \"{w}\" is unknown, try \"rawnet monitor help\"."
            )));
        }
    }
    if !(s.link || s.address || s.route || s.neigh || s.rule || s.nsid) {
        s.link = true;
        s.address = true;
        s.route = true;
        s.neigh = true;
        s.rule = true;
        s.nsid = true;
    }
    Ok(s)
}

/// The socket that hears the groups, opened in the command's namespace.
fn open_monitor(ctx: &Context, groups: &[u32]) -> Result<Monitor, CliError> {
    let monitor = match ctx.namespace()? {
        None => Monitor::route(groups),
        Some(ns) => rawnet::ns::run_in(&ns, || Monitor::route(groups))?,
    };
    Ok(monitor?)
}

pub fn run(ctx: &Context, args: &[String]) -> Result<i32, CliError> {
    let selection = parse(args)?;
    let mut printer = Printer::new(ctx, selection.labels);
    if let Some(dev) = &selection.dev {
        let index = link_index(printer.names().connection()?, dev).map_err(|e| match e {
            Error::NotFound(_) => invalid_arg(dev, "Device does not exist\n"),
            e => CliError::from(e),
        })?;
        printer.only_link(index);
    }
    // As iproute2: listen first, then read the link names, so that no
    // change falls between the two.
    let mut monitor = open_monitor(ctx, &selection.groups(ctx.family))?;
    printer.names().remember_every_link()?;
    if selection.nsid {
        printer.remember_nsid_names()?;
    }
    let mut dumps = None;
    loop {
        match monitor.next_events(|msg| printer.event(&msg))? {
            Received::Events => {}
            Received::Lost => {
                resync::resynchronise(ctx, &selection, &mut monitor, &mut printer, &mut dumps)?
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    /// `link address route neigh rule nsid` and `label`, as a word: the
    /// initials of what was selected, upper case with banners.
    fn kinds(line: &str) -> String {
        let s = parse(&words(line)).unwrap();
        let picked = [
            (s.link, 'l'),
            (s.address, 'a'),
            (s.route, 'r'),
            (s.neigh, 'n'),
            (s.rule, 'u'),
            (s.nsid, 'i'),
        ];
        picked
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, c)| if s.labels { c.to_ascii_uppercase() } else { *c })
            .collect()
    }

    #[test]
    fn words_are_matched_in_iproute2s_order() {
        assert_eq!(kinds(""), "larnui");
        assert_eq!(kinds("all"), "LARNUI");
        // `l` is label; `li` link; `a` address; `r` route; `n` neigh; `ru`
        // rule; `ns` nsid.
        assert_eq!(kinds("l"), "LARNUI");
        assert_eq!(kinds("li"), "l");
        assert_eq!(kinds("a r"), "ar");
        assert_eq!(kinds("n"), "n");
        assert_eq!(kinds("ru"), "u");
        assert_eq!(kinds("ns"), "i");
        assert_eq!(kinds("rule nsid"), "ui");
        // `all` only sets the banner: `all link` is links, with banners.
        assert_eq!(kinds("all link"), "L");
        assert_eq!(kinds("label route neigh"), "RN");
        assert_eq!(kinds("label rule"), "U");
        let s = parse(&words("dev veth0 link")).unwrap();
        assert_eq!(s.dev.as_deref(), Some("veth0"));
    }

    #[test]
    fn other_words_are_refused_as_iproute2_does() {
        let err = |line: &str| parse(&words(line)).unwrap_err();
        let e = err("neighbour");
        assert_eq!(e.code, 255);
        assert_eq!(
            e.message,
            "Argument \"neighbour\" is unknown, try \"rawnet monitor help\"."
        );
        // `al` is all-nsid, `al` is not `all`; `m` is mroute, `ne` neigh.
        assert!(err("al").message.contains("\"all-nsid\" is not supported"));
        assert!(err("m").message.contains("\"mroute\""));
        assert!(err("net").message.contains("\"netconf\""));
        assert!(err("nex").message.contains("\"nexthop\""));
        assert!(err("stats").message.contains("\"stats\""));
        assert!(err("st").message.contains("\"st\" is unknown"));
        assert!(err("rules").message.contains("\"rules\" is unknown"));
        assert_eq!(err("dev").code, 255);
        assert_eq!(err("file").code, 255);
    }

    #[test]
    fn groups_follow_the_family() {
        let all = parse(&[]).unwrap();
        assert_eq!(all.groups(None), vec![1, 5, 9, 7, 11, 3, 8, 19, 28]);
        assert_eq!(
            all.groups(Some(libc::AF_INET as u8)),
            vec![1, 5, 7, 3, 8, 28]
        );
        assert_eq!(
            all.groups(Some(libc::AF_INET6 as u8)),
            vec![1, 9, 11, 3, 19, 28]
        );
        let routes = parse(&words("route")).unwrap();
        assert_eq!(routes.groups(None), vec![7, 11]);
        let rules = parse(&words("rule")).unwrap();
        assert_eq!(rules.groups(None), vec![8, 19]);
        assert_eq!(parse(&words("nsid")).unwrap().groups(None), vec![28]);
    }
}
