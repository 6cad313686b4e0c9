//! The selectors of `address show|flush` (iproute2 6.1's `filter` in
//! `ipaddr_list_flush_or_save`): their grammar, and the tests an address
//! and a link must pass. Pure: names are resolved by the caller.
//!
//! ```text
//! [ dev ] IFNAME | up | scope SCOPE|all | label PATTERN | to PREFIX
//! | [-]FLAG (primary secondary permanent dynamic tentative deprecated
//!   dadfailed temporary nodad home ...) | group G | master M | nomaster
//! | vrf V | type KIND[_slave]
//! ```

use rawnet::route::addr::{Address, IFA_F_SECONDARY};
use rawnet::route::link::{Link, LinkFlags};
use rawnet::route::prefix::Prefix;

use super::modify::flag_word;
use super::USAGE;
use crate::cli::arg_errors::{garbage, invalid_arg, prefix_expected, usage_error};
use crate::cli::route::names;
use crate::cli::{matches, Args, CliError};

/// `master` of the filter: a link index, or `nomaster` (links without one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Master {
    Index(u32),
    None,
}

/// What `address show|flush` selects. Device and master names stay names
/// here; the caller looks them up (iproute2 looks the master up while it
/// reads the words, the device after).
#[derive(Debug, Default, Clone)]
pub(super) struct AddrFilter<'a> {
    pub dev: Option<&'a str>,
    /// `-4`/`-6`, or the family of `to PREFIX`.
    pub family: Option<u8>,
    pub scope: u8,
    pub scope_mask: u8,
    pub flags: u32,
    pub flag_mask: u32,
    pub label: Option<&'a str>,
    pub to: Option<Prefix>,
    pub up: bool,
    pub group: Option<u32>,
    pub master_name: Option<&'a str>,
    /// `vrf NAME` (a master that must be a VRF).
    pub vrf: bool,
    pub nomaster: bool,
    pub kind: Option<&'a str>,
    pub slave_kind: Option<&'a str>,
}

/// iproute2's `get_filter`: a flag word, `-` in front to invert;
/// `dynamic` is `-permanent`, `primary` is `-secondary`.
fn flag_filter(f: &mut AddrFilter<'_>, w: &str) -> bool {
    let (mut inv, mut word) = match w.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, w),
    };
    if word == "dynamic" {
        inv = !inv;
        word = "permanent";
    } else if word == "primary" {
        inv = !inv;
        word = "secondary";
    }
    let Some((bit, _, _)) = flag_word(word) else {
        return false;
    };
    if inv {
        f.flags &= !bit;
    } else {
        f.flags |= bit;
    }
    f.flag_mask |= bit;
    true
}

impl<'a> AddrFilter<'a> {
    /// Read the selectors; `family` is `-4`/`-6`.
    pub fn parse(mut a: Args<'a>, family: Option<u8>) -> Result<AddrFilter<'a>, CliError> {
        let mut f = AddrFilter {
            family,
            ..AddrFilter::default()
        };
        while let Some(w) = a.next() {
            if w == "to" {
                let v = a.value(w)?;
                let p = match Prefix::parse(v) {
                    Ok(p) if f.family.map_or(true, |fam| fam == p.family()) => p,
                    _ => return Err(prefix_expected(f.family, v)),
                };
                f.family.get_or_insert(p.family());
                f.to = Some(p);
            } else if w == "scope" {
                let v = a.value(w)?;
                match names::scope_number(v) {
                    Some(s) => (f.scope, f.scope_mask) = (s, 0xff),
                    None if v == "all" => (f.scope, f.scope_mask) = (255, 0),
                    None => return Err(invalid_arg(v, "invalid \"scope\"\n")),
                }
            } else if w == "up" {
                f.up = true;
            } else if flag_filter(&mut f, w) {
            } else if w == "label" {
                f.label = Some(a.value(w)?);
            } else if w == "group" {
                let v = a.value(w)?;
                f.group = Some(
                    names::group_number(v)
                        .ok_or_else(|| invalid_arg(v, "Invalid \"group\" value\n"))?,
                );
            } else if w == "master" {
                f.master_name = Some(a.value(w)?);
                f.vrf = false;
                f.nomaster = false;
            } else if w == "vrf" {
                f.master_name = Some(a.value(w)?);
                f.vrf = true;
                f.nomaster = false;
            } else if w == "nomaster" {
                f.master_name = None;
                f.nomaster = true;
            } else if w == "type" {
                let v = a.value(w)?;
                match v.strip_suffix("_slave") {
                    Some(k) => f.slave_kind = Some(k),
                    None => f.kind = Some(v),
                }
            } else {
                let name = if w == "dev" {
                    a.value(w)?
                } else if matches(w, "help") {
                    return Err(usage_error(USAGE));
                } else {
                    w
                };
                if f.dev.is_some() {
                    return Err(garbage("dev", name));
                }
                f.dev = Some(name);
            }
        }
        Ok(f)
    }

    /// `ip addr flush primary`: one round only, so promoted secondaries stay.
    pub fn primary_only(&self) -> bool {
        self.flag_mask & IFA_F_SECONDARY != 0 && self.flags & IFA_F_SECONDARY == 0
    }

    /// The address tests (`print_addrinfo`'s): family, scope, flags, label
    /// (the device's name `dev` when the address has none), `to`.
    pub fn address_matches(&self, a: &Address<'_>, dev: &str) -> bool {
        if self.family.is_some_and(|f| f != a.family) {
            return false;
        }
        if (self.scope ^ a.scope) & self.scope_mask != 0 {
            return false;
        }
        if (self.flags ^ a.flags) & self.flag_mask != 0 {
            return false;
        }
        if let Some(pattern) = self.label {
            let dev = crate::cli::os_args::unescape(dev);
            let label = a.label.unwrap_or(&dev);
            if !glob_match(&crate::cli::os_args::unescape(pattern), label) {
                return false;
            }
        }
        if let Some(to) = &self.to {
            if to.len > 0 {
                let Some(l) = a.local_or_address() else {
                    return true;
                };
                if l.is_ipv4() != to.addr.is_ipv4() {
                    return false;
                }
                let here = Prefix {
                    addr: l,
                    len: to.len,
                };
                if here.network() != to.network() {
                    return false;
                }
            }
        }
        true
    }

    /// The link tests of `print_linkinfo`: `up`, `group`, `master`, `type`.
    pub fn link_matches(&self, l: &Link<'_>, master: Option<Master>) -> bool {
        if self.up && !l.flags.contains(LinkFlags::UP) {
            return false;
        }
        if let (Some(g), Some(lg)) = (self.group, l.group) {
            if g != lg {
                return false;
            }
        }
        if let Some(Master::Index(m)) = master {
            if l.master != Some(m) {
                return false;
            }
        }
        if let Some(k) = self.kind {
            if l.kind.as_deref() != Some(k) {
                return false;
            }
        }
        if let Some(k) = self.slave_kind {
            if l.slave_kind.as_deref() != Some(k) {
                return false;
            }
        }
        true
    }
}

/// `fnmatch(pattern, s, 0)`: `*`, `?`, `[...]` (with `!`/`^` and ranges)
/// and `\` escapes.
pub(super) fn glob_match(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        let step = match p.get(pi) {
            Some(b'*') => {
                star = Some((pi + 1, si));
                pi += 1;
                continue;
            }
            Some(b'?') => Some(pi + 1),
            Some(b'[') => match class(&p[pi..], s[si]) {
                Some((ok, len)) => ok.then_some(pi + len),
                // Not closed: `[` matches itself.
                None => (s[si] == b'[').then_some(pi + 1),
            },
            Some(b'\\') if pi + 1 < p.len() => (p[pi + 1] == s[si]).then_some(pi + 2),
            Some(&c) => (c == s[si]).then_some(pi + 1),
            None => None,
        };
        match step {
            Some(next) => {
                pi = next;
                si += 1;
            }
            None => match star {
                Some((sp, ss)) => {
                    pi = sp;
                    si = ss + 1;
                    star = Some((sp, ss + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// A bracket expression at the start of `p`: whether `c` is in it, and its
/// length; `None` when it is not closed (then `[` is a plain character).
fn class(p: &[u8], c: u8) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(p.get(i), Some(b'!' | b'^'));
    if negate {
        i += 1;
    }
    let mut found = false;
    let mut first = true;
    loop {
        let &lo = p.get(i)?;
        if lo == b']' && !first {
            return Some((found != negate, i + 1));
        }
        first = false;
        if p.get(i + 1) == Some(&b'-') && p.get(i + 2).is_some_and(|&h| h != b']') {
            let hi = p[i + 2];
            found |= lo <= c && c <= hi;
            i += 3;
        } else {
            found |= lo == c;
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rawnet::route::addr::IFA_F_PERMANENT;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn globs_as_fnmatch() {
        for (p, s, want) in [
            ("veth0*", "veth0:x", true),
            ("veth0*", "veth1", false),
            ("*:x", "veth0:x", true),
            ("v?th0", "veth0", true),
            ("veth[0-1]", "veth1", true),
            ("veth[!0]", "veth0", false),
            ("veth0", "veth0", true),
            ("veth0", "veth0:x", false),
            ("*", "", true),
            ("a\\*", "a*", true),
            // An unclosed bracket is a plain `[` (fnmatch, and so `ip`).
            ("lo[", "lo[", true),
            ("lo[x", "lo[x", true),
            ("lo[", "lox", false),
            ("*[", "a[", true),
        ] {
            assert_eq!(glob_match(p.as_bytes(), s.as_bytes()), want, "{p} {s}");
        }
    }

    #[test]
    fn selectors_in_any_order() {
        let w = words("scope link up dev veth0 -secondary label veth* to 10.0.0.0/8 dynamic");
        let f = AddrFilter::parse(Args::new(&w), None).unwrap();
        assert_eq!(f.dev, Some("veth0"));
        assert_eq!((f.scope, f.scope_mask), (253, 0xff));
        assert!(f.up);
        assert_eq!(f.family, Some(libc::AF_INET as u8));
        assert_eq!(f.flag_mask, IFA_F_SECONDARY | IFA_F_PERMANENT);
        assert_eq!(f.flags, 0);
        assert_eq!(f.flags & IFA_F_PERMANENT, 0);
        assert!(f.primary_only());
        let w = words("scope all permanent");
        let f = AddrFilter::parse(Args::new(&w), None).unwrap();
        assert_eq!(f.scope_mask, 0);
        assert_eq!(f.flags, IFA_F_PERMANENT);
        let w = words("scope bogus");
        let e = AddrFilter::parse(Args::new(&w), None).unwrap_err();
        assert_eq!(
            e.message,
            "Error: argument \"bogus\" is wrong: invalid \"scope\"\n"
        );
        assert_eq!(e.code, 255);
        let w = words("veth0 veth1");
        let e = AddrFilter::parse(Args::new(&w), None).unwrap_err();
        assert_eq!(e.code, 255);
        let w = words("to fd00::/8");
        let e = AddrFilter::parse(Args::new(&w), Some(libc::AF_INET as u8)).unwrap_err();
        assert_eq!(
            e.message,
            "Error: inet prefix is expected rather than \"fd00::/8\"."
        );
    }
}
