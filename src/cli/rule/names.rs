//! iproute2's names for the numbers a rule carries besides tables,
//! protocols and types (those are `route/names.rs`): DS fields
//! (`rt_dsfield`), device groups (`group`), realms (`rt_realms`) and IP
//! protocols (`/etc/protocols`, as `getprotobynumber` reads it), both ways.

use std::fmt::Write;

use crate::cli::numbers::strtoul;
use crate::cli::output::Render;

/// iproute2's /etc/iproute2/rt_dsfield.
const DSFIELDS: &[(u8, &str)] = &[
    (0x28, "AF11"),
    (0x30, "AF12"),
    (0x38, "AF13"),
    (0x48, "AF21"),
    (0x50, "AF22"),
    (0x58, "AF23"),
    (0x68, "AF31"),
    (0x70, "AF32"),
    (0x78, "AF33"),
    (0x88, "AF41"),
    (0x90, "AF42"),
    (0x98, "AF43"),
    (0x20, "CS1"),
    (0x40, "CS2"),
    (0x60, "CS3"),
    (0x80, "CS4"),
    (0xA0, "CS5"),
    (0xC0, "CS6"),
    (0xE0, "CS7"),
    (0xB8, "EF"),
];

/// A TOS as `rtnl_dsfield_n2a` prints it: its name, else `0x%02x`.
#[derive(Debug, Clone, Copy)]
pub struct Dsfield(pub u8);

impl Render for Dsfield {
    fn render(&self, out: &mut String) {
        match DSFIELDS.iter().find(|(v, _)| *v == self.0) {
            Some((_, name)) => out.push_str(name),
            None => {
                let _ = write!(out, "0x{:02x}", self.0);
            }
        }
    }
}

/// A TOS as `rtnl_dsfield_a2n` reads it: a name, or hexadecimal (`0x`
/// optional) up to 0xff.
pub fn dsfield_number(word: &str) -> Option<u8> {
    if let Some((v, _)) = DSFIELDS.iter().find(|(_, n)| *n == word) {
        return Some(*v);
    }
    let hex = word
        .strip_prefix("0x")
        .or_else(|| word.strip_prefix("0X"))
        .unwrap_or(word);
    if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u8::from_str_radix(hex, 16).ok()
}

/// `%#llx` as `print_0xhex` writes it: `0` for zero, else `0x...`.
#[derive(Debug, Clone, Copy)]
pub struct Hex(pub u32);

impl Render for Hex {
    const PLAIN: bool = true;

    fn render(&self, out: &mut String) {
        if self.0 == 0 {
            out.push('0');
        } else {
            let _ = write!(out, "{:#x}", self.0);
        }
    }
}

/// A device group as `rtnl_group_n2a` prints it (0 is `default`).
#[derive(Debug, Clone, Copy)]
pub struct Group(pub u32);

impl Render for Group {
    fn render(&self, out: &mut String) {
        if self.0 == 0 {
            out.push_str("default");
        } else {
            let _ = write!(out, "{}", self.0 as i32);
        }
    }
}

/// A realm as `rtnl_rtrealm_n2a` prints it (0 is `cosmos`).
#[derive(Debug, Clone, Copy)]
pub struct Realm(pub u32);

impl Render for Realm {
    fn render(&self, out: &mut String) {
        if self.0 == 0 {
            out.push_str("cosmos");
        } else {
            let _ = write!(out, "{}", self.0);
        }
    }
}

/// `realms [SRC/]DST` as `get_rt_realms_or_raw` reads it: a raw u32, or
/// realms (numbers or `cosmos`) of 16 bits each.
pub fn realms_number(word: &str) -> Option<u32> {
    if let Some(raw) = strtoul(word).and_then(|n| u32::try_from(n).ok()) {
        return Some(raw);
    }
    let realm = |w: &str| -> Option<u32> {
        if w == "cosmos" {
            return Some(0);
        }
        strtoul(w)
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n <= 0xffff)
    };
    let (src, dst) = word.split_once('/')?;
    Some(realm(src)? << 16 | realm(dst)?)
}

/// The lines of /etc/protocols: (official name, number, aliases).
fn protocols(mut f: impl FnMut(&str, u8, &mut dyn Iterator<Item = &str>) -> bool) {
    let Ok(text) = std::fs::read_to_string("/etc/protocols") else {
        return;
    };
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut words = line.split_whitespace();
        let (Some(name), Some(number)) = (words.next(), words.next()) else {
            continue;
        };
        let Ok(number) = number.parse::<u8>() else {
            continue;
        };
        if f(name, number, &mut words) {
            return;
        }
    }
}

/// An IP protocol as `inet_proto_n2a` prints it: its name in
/// /etc/protocols, else `ipproto-N`.
pub fn ip_proto_name(p: u8) -> String {
    let mut found = None;
    protocols(|name, number, _| {
        if number == p {
            found = Some(name.to_string());
        }
        found.is_some()
    });
    found.unwrap_or_else(|| format!("ipproto-{p}"))
}

/// An IP protocol word as `inet_proto_a2n` reads it: a decimal number up
/// to 255, else a name or alias from /etc/protocols.
pub fn ip_proto_number(word: &str) -> Option<u8> {
    if !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = word.parse::<u8>() {
            return Some(n);
        }
    }
    let mut found = None;
    protocols(|name, number, aliases| {
        if name == word {
            found = Some(number);
        }
        for alias in aliases {
            if alias == word {
                found = Some(number);
            }
        }
        found.is_some()
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(r: impl Render) -> String {
        let mut s = String::new();
        r.render(&mut s);
        s
    }

    #[test]
    fn names_both_ways() {
        assert_eq!(text(Dsfield(0x10)), "0x10");
        assert_eq!(text(Dsfield(0x20)), "CS1");
        assert_eq!(dsfield_number("10"), Some(0x10));
        assert_eq!(dsfield_number("0x1c"), Some(0x1c));
        assert_eq!(dsfield_number("EF"), Some(0xb8));
        assert_eq!(dsfield_number("100"), None);
        assert_eq!(text(Hex(0)), "0");
        assert_eq!(text(Hex(255)), "0xff");
        assert_eq!(realms_number("5"), Some(5));
        assert_eq!(realms_number("1/2"), Some(0x1_0002));
        assert_eq!(realms_number("x"), None);
    }

    #[test]
    fn ip_protocols_from_etc_protocols() {
        if !std::path::Path::new("/etc/protocols").exists() {
            panic!("/etc/protocols is missing: the test cannot check the names");
        }
        assert_eq!(ip_proto_number("tcp"), Some(6));
        assert_eq!(ip_proto_number("UDP"), Some(17));
        assert_eq!(ip_proto_number("17"), Some(17));
        assert_eq!(ip_proto_number("nope"), None);
        assert_eq!(ip_proto_name(6), "tcp");
        assert_eq!(ip_proto_name(255), "ipproto-255");
    }
}
