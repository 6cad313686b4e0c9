//! One address as `ip address show` prints it under its link: the `inet`/
//! `inet6` line and the lifetimes line in text, one `addr_info` object in
//! JSON (iproute2 6.1's `print_addrinfo`); under `-o` after `INDEX: DEV`
//! with the lines joined by `\\`, under `-br` only `LOCAL/LEN`.

use std::fmt;
use std::net::IpAddr;

use rawnet::route::addr::*;

use crate::cli::output::Out;
use crate::cli::route::names;

/// `IFA_F_*` words in iproute2's order; `permanent` prints as `dynamic` when absent.
const FLAG_WORDS: &[(u32, &str)] = &[
    (IFA_F_SECONDARY, "secondary"),
    (IFA_F_NODAD, "nodad"),
    (IFA_F_OPTIMISTIC, "optimistic"),
    (IFA_F_DADFAILED, "dadfailed"),
    (IFA_F_HOMEADDRESS, "home"),
    (IFA_F_DEPRECATED, "deprecated"),
    (IFA_F_TENTATIVE, "tentative"),
    (IFA_F_PERMANENT, "permanent"),
    (IFA_F_MANAGETEMPADDR, "mngtmpaddr"),
    (IFA_F_NOPREFIXROUTE, "noprefixroute"),
    (IFA_F_MCAUTOJOIN, "autojoin"),
    (IFA_F_STABLE_PRIVACY, "stable-privacy"),
];

/// The flag words of an address, in order, and the bits no word names.
fn flag_words<S>(a: &AddressData<S>) -> (impl Iterator<Item = &'static str>, u32) {
    let flags = a.flags;
    let v6 = a.family == libc::AF_INET6 as u8;
    let words = FLAG_WORDS.iter().filter_map(move |&(bit, word)| {
        if bit == IFA_F_PERMANENT {
            (flags & bit == 0).then_some("dynamic")
        } else if flags & bit != 0 {
            Some(if bit == IFA_F_SECONDARY && v6 {
                "temporary"
            } else {
                word
            })
        } else {
            None
        }
    });
    let named = FLAG_WORDS.iter().fold(0, |m, (bit, _)| m | bit);
    (words, flags & !named)
}

struct FamilyName(u8);

impl fmt::Display for FamilyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match i32::from(self.0) {
            libc::AF_INET => f.write_str("inet"),
            libc::AF_INET6 => f.write_str("inet6"),
            n => write!(f, "family {n}"),
        }
    }
}

/// A lifetime in seconds as iproute2 prints it: `forever` or `Nsec`
/// (signed when `signed`: the preferred lifetime of a deprecated address).
struct Lifetime(u32, bool);

impl fmt::Display for Lifetime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == INFINITY_LIFE_TIME {
            f.write_str("forever")
        } else if self.1 {
            write!(f, "{}sec", self.0 as i32)
        } else {
            write!(f, "{}sec", self.0)
        }
    }
}

/// How an address is introduced.
#[derive(Debug, Clone, Copy)]
pub(crate) enum AddressStyle<'d> {
    /// Under its link's header (`ip addr show`, `ip monitor`).
    UnderLink,
    /// `-o`: after `INDEX: DEV` (JSON `index`, `dev`).
    OneLine(u32, &'d str),
    /// `-br`: `LOCAL[ peer ADDRESS]/LEN [metric N] `, nothing more.
    Brief,
}

fn peer<S>(a: &AddressData<S>) -> Option<IpAddr> {
    match (a.local, a.address) {
        (Some(l), Some(ad)) if l != ad => Some(ad),
        _ => None,
    }
}

/// One address: in text its lines (with the newline), in JSON the keys of
/// its `addr_info` object (opened by the caller).
pub(crate) fn address<S: AsRef<[u8]>>(o: &mut Out<'_>, a: &AddressData<S>) {
    address_as(o, a, AddressStyle::UnderLink)
}

/// One address in `style`.
pub(crate) fn address_as<S: AsRef<[u8]>>(
    o: &mut Out<'_>,
    a: &AddressData<S>,
    style: AddressStyle<'_>,
) {
    match o {
        Out::Text(s) => text(s, a, style),
        Out::Json(_) => json(o, a, style),
    }
}

fn text<S: AsRef<[u8]>>(s: &mut String, a: &AddressData<S>, style: AddressStyle<'_>) {
    use fmt::Write;
    match style {
        AddressStyle::Brief => {
            local_part(s, a);
            return;
        }
        AddressStyle::OneLine(index, dev) => {
            let _ = write!(s, "{index}: {dev}");
        }
        AddressStyle::UnderLink => {}
    }
    let _ = write!(s, "    {} ", FamilyName(a.family));
    local_part(s, a);
    tail(s, a);
}

/// `LOCAL[ peer ADDRESS]/LEN [metric N] `.
fn local_part<S>(s: &mut String, a: &AddressData<S>) {
    use fmt::Write;
    if let Some(l) = a.local_or_address() {
        let _ = write!(s, "{l}");
        if let Some(p) = peer(a) {
            let _ = write!(s, " peer {p}");
        }
        let _ = write!(s, "/{} ", a.prefix_len);
        if let Some(m) = a.rt_priority {
            let _ = write!(s, "metric {m} ");
        }
    }
}

/// From the broadcast address to the end of the lifetimes line.
fn tail<S: AsRef<[u8]>>(s: &mut String, a: &AddressData<S>) {
    use fmt::Write;
    if let Some(b) = a.broadcast {
        let _ = write!(s, "brd {b} ");
    }
    if let Some(b) = a.anycast {
        let _ = write!(s, "any {b} ");
    }
    let _ = write!(s, "scope {} ", names::scope_name(a.scope));
    let (words, rest) = flag_words(a);
    for w in words {
        s.push_str(w);
        s.push(' ');
    }
    if rest != 0 {
        let _ = write!(s, "flags {rest:02x} ");
    }
    if let Some(l) = &a.label {
        s.push_str(&crate::cli::os_args::escape(l.as_ref()));
    }
    if let Some(ci) = a.cacheinfo {
        Out::Text(&mut *s).line_break();
        let _ = write!(
            s,
            "       valid_lft {} preferred_lft {}",
            Lifetime(ci.ifa_valid, false),
            Lifetime(ci.ifa_prefered, a.flags & IFA_F_DEPRECATED != 0)
        );
    }
    s.push('\n');
}

fn json<S: AsRef<[u8]>>(o: &mut Out<'_>, a: &AddressData<S>, style: AddressStyle<'_>) {
    let Out::Json(j) = o else { return };
    match style {
        AddressStyle::Brief => {
            if let Some(l) = a.local_or_address() {
                j.str_display("local", l);
                if let Some(p) = peer(a) {
                    j.str_display("address", p);
                }
                j.num("prefixlen", a.prefix_len);
                if let Some(m) = a.rt_priority {
                    j.num("metric", m);
                }
            }
            return;
        }
        AddressStyle::OneLine(index, dev) => {
            j.num("index", index);
            j.str("dev", dev);
        }
        AddressStyle::UnderLink => {}
    }
    j.str_display("family", FamilyName(a.family));
    if let Some(l) = a.local_or_address() {
        j.str_display("local", l);
        if let Some(p) = peer(a) {
            j.str_display("address", p);
        }
        j.num("prefixlen", a.prefix_len);
        if let Some(m) = a.rt_priority {
            j.num("metric", m);
        }
    }
    if let Some(b) = a.broadcast {
        j.str_display("broadcast", b);
    }
    if let Some(b) = a.anycast {
        j.str_display("anycast", b);
    }
    j.str_display("scope", names::scope_name(a.scope));
    let (words, rest) = flag_words(a);
    for w in words {
        j.bool(w, true);
    }
    if rest != 0 {
        j.str_display("ifa_flags", format_args!("{rest:02x}"));
    }
    if let Some(l) = &a.label {
        j.str("label", &crate::cli::os_args::escape(l.as_ref()));
    }
    if let Some(ci) = a.cacheinfo {
        j.num("valid_life_time", ci.ifa_valid);
        if a.flags & IFA_F_DEPRECATED != 0 && ci.ifa_prefered != INFINITY_LIFE_TIME {
            j.num("preferred_life_time", ci.ifa_prefered as i32);
        } else {
            j.num("preferred_life_time", ci.ifa_prefered);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::output::Json;

    fn info(local: &str, plen: u8, flags: u32, label: Option<&str>) -> AddressInfo {
        let addr: IpAddr = local.parse().unwrap();
        AddressInfo {
            family: rawnet::route::prefix::family_of(&addr),
            prefix_len: plen,
            scope: 0,
            index: 3,
            flags,
            address: Some(addr),
            local: Some(addr),
            label: label.map(|l| l.as_bytes().to_vec()),
            broadcast: None,
            anycast: None,
            cacheinfo: Some(IfaCacheinfo {
                ifa_prefered: u32::MAX,
                ifa_valid: 30,
                cstamp: 0,
                tstamp: 0,
            }),
            rt_priority: None,
        }
    }

    fn text_of(a: &AddressInfo) -> String {
        let mut s = String::new();
        address(&mut Out::Text(&mut s), a);
        s
    }

    #[test]
    fn address_lines_match_iproute2() {
        let a = info("10.0.1.100", 24, IFA_F_PERMANENT, Some("veth0"));
        assert_eq!(
            text_of(&a),
            "    inet 10.0.1.100/24 scope global veth0\n       valid_lft 30sec preferred_lft forever\n"
        );
        let a = info(
            "fd00::1",
            64,
            IFA_F_PERMANENT | IFA_F_NODAD | 0x8000_0000,
            None,
        );
        assert_eq!(
            text_of(&a),
            "    inet6 fd00::1/64 scope global nodad flags 80000000 \n       valid_lft 30sec preferred_lft forever\n"
        );
        let mut j = Json::new(false);
        j.begin_object();
        address(
            &mut Out::Json(&mut j),
            &info("fd00::2", 64, IFA_F_SECONDARY, None),
        );
        j.end_object();
        assert_eq!(
            j.finish(),
            "{\"family\":\"inet6\",\"local\":\"fd00::2\",\"prefixlen\":64,\"scope\":\"global\",\
             \"temporary\":true,\"dynamic\":true,\"valid_life_time\":30,\"preferred_life_time\":4294967295}\n"
        );
    }
}
