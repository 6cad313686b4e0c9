//! The words of `link show`, as iproute2 6.1's `ipaddr_list_flush_or_save`
//! reads them: `[ [dev] DEV ] [ up ] [ type KIND ] [ master M | vrf V |
//! nomaster ] [ group G ]`, in any order. A later `type`, `master`, `vrf` or
//! `group` replaces an earlier one, as there; a second device is garbage.
//!
//! Pure but for the master lookup, which iproute2 does while it reads the
//! words (so its error comes before those of later words): the caller passes
//! it in.

use crate::cli::arg_errors::{garbage, invalid_arg};
use crate::cli::{matches, Args, CliError};

/// The master selector of `link show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MasterSel {
    /// `master M` / `vrf V`: ports of the link with this index.
    Index(u32),
    /// `nomaster`: links without a master.
    None,
}

/// What `link show` selects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShowArgs<'a> {
    pub dev: Option<&'a str>,
    /// `up`: links with `IFF_UP` only.
    pub up: bool,
    /// `type KIND`: links of this kind only.
    pub kind: Option<&'a str>,
    /// `type KIND_slave`: ports of a master of this kind only.
    pub slave_kind: Option<&'a str>,
    pub master: Option<MasterSel>,
    /// `group G`.
    pub group: Option<u32>,
}

/// A link the master lookup found: its index and whether it is a VRF.
pub struct Found {
    pub index: u32,
    pub is_vrf: bool,
}

/// Read the words of `link show`; `lookup` finds a master by name. `Ok(None)`
/// means `help` was asked for.
pub fn parse<'a>(
    words: &'a [String],
    lookup: &mut dyn FnMut(&str) -> Result<Option<Found>, CliError>,
) -> Result<Option<ShowArgs<'a>>, CliError> {
    let mut args = Args::new(words);
    let mut s = ShowArgs::default();
    while let Some(w) = args.next() {
        match w {
            "up" => s.up = true,
            "group" => {
                let v = value(&mut args)?;
                s.group = Some(
                    crate::cli::route::names::group_number(v)
                        .ok_or_else(|| invalid_arg(v, "Invalid \"group\" value"))?,
                );
            }
            "master" => {
                let v = value(&mut args)?;
                let found = lookup(v)?.ok_or_else(|| invalid_arg(v, "Device does not exist"))?;
                s.master = Some(MasterSel::Index(found.index));
            }
            "vrf" => {
                let v = value(&mut args)?;
                match lookup(v)? {
                    Some(f) if f.is_vrf => s.master = Some(MasterSel::Index(f.index)),
                    _ => return Err(invalid_arg(v, "Not a valid VRF name")),
                }
            }
            "nomaster" => s.master = Some(MasterSel::None),
            "type" => {
                let v = value(&mut args)?;
                match v.strip_suffix("_slave") {
                    Some(master_kind) => s.slave_kind = Some(master_kind),
                    None => s.kind = Some(v),
                }
            }
            w => {
                let d = if w == "dev" {
                    value(&mut args)?
                } else if matches(w, "help") {
                    return Ok(None);
                } else {
                    w
                };
                if s.dev.is_some() {
                    return Err(garbage("dev", d));
                }
                s.dev = Some(d);
            }
        }
    }
    Ok(Some(s))
}

/// iproute2's `NEXT_ARG` failure, word for word.
fn value<'a>(args: &mut Args<'a>) -> Result<&'a str, CliError> {
    args.next()
        .ok_or_else(|| CliError::usage("Command line is not complete. Try option \"help\""))
}

impl ShowArgs<'_> {
    /// Whether a link passes the selectors iproute2's `print_linkinfo`
    /// checks on its side: `up`, the group, `master M` (not `nomaster`,
    /// which only the kernel applies), the kind and the master's kind (a
    /// link without `IFLA_LINKINFO`, such as lo, has neither).
    pub fn admits(&self, l: &rawnet::route::link::Link<'_>) -> bool {
        use rawnet::route::link::LinkFlags;
        if self.up && !l.flags.contains(LinkFlags::UP) {
            return false;
        }
        if let (Some(want), Some(g)) = (self.group, l.group) {
            if g != want {
                return false;
            }
        }
        if let Some(MasterSel::Index(m)) = self.master {
            if l.master != Some(m) {
                return false;
            }
        }
        let has_linkinfo = l.kind.is_some() || l.slave_kind.is_some();
        if let Some(k) = self.kind {
            if !has_linkinfo || l.kind.as_deref().unwrap_or("") != k {
                return false;
            }
        }
        if let Some(k) = self.slave_kind {
            if !has_linkinfo || l.slave_kind.as_deref().unwrap_or("") != k {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    fn lookup(name: &str) -> Result<Option<Found>, CliError> {
        Ok(match name {
            "br0" => Some(Found {
                index: 4,
                is_vrf: false,
            }),
            "red" => Some(Found {
                index: 9,
                is_vrf: true,
            }),
            _ => None,
        })
    }

    fn parse_line(line: &str) -> Result<Option<ShowArgs<'static>>, CliError> {
        let w: &'static [String] = Box::leak(words(line).into_boxed_slice());
        parse(w, &mut lookup)
    }

    #[test]
    fn selectors_in_any_order() {
        let s = parse_line("veth0 up type veth group 0x10")
            .unwrap()
            .unwrap();
        assert_eq!(s.dev, Some("veth0"));
        assert!(s.up);
        assert_eq!((s.kind, s.group), (Some("veth"), Some(16)));
        let s = parse_line("type bridge_slave up dev x master br0")
            .unwrap()
            .unwrap();
        assert_eq!((s.slave_kind, s.kind), (Some("bridge"), None));
        assert_eq!(s.master, Some(MasterSel::Index(4)));
        assert_eq!(s.dev, Some("x"));
        let s = parse_line("master br0 nomaster group default")
            .unwrap()
            .unwrap();
        assert_eq!((s.master, s.group), (Some(MasterSel::None), Some(0)));
        assert_eq!(
            parse_line("vrf red").unwrap().unwrap().master,
            Some(MasterSel::Index(9))
        );
        assert!(parse_line("he").unwrap().is_none());
        assert_eq!(parse_line("").unwrap().unwrap(), ShowArgs::default());
    }

    #[test]
    fn errors_as_iproute2() {
        let msg = |line: &str| {
            let e = parse_line(line).unwrap_err();
            assert_eq!(e.code, 255, "{line}");
            e.message
        };
        assert_eq!(
            msg("veth0 down"),
            "Error: either \"dev\" is duplicate, or \"down\" is a garbage."
        );
        assert_eq!(
            msg("group foo"),
            "Error: argument \"foo\" is wrong: Invalid \"group\" value"
        );
        assert_eq!(
            msg("master nosuch group foo"),
            "Error: argument \"nosuch\" is wrong: Device does not exist"
        );
        assert_eq!(
            msg("vrf br0"),
            "Error: argument \"br0\" is wrong: Not a valid VRF name"
        );
        for line in ["type", "dev", "group", "master", "vrf", "up type"] {
            assert_eq!(
                msg(line),
                "Command line is not complete. Try option \"help\"",
                "{line}"
            );
        }
    }
}
