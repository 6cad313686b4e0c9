//! [`Render`]: values written straight into the output buffer, without
//! `core::fmt`. A `show` of 100,000 routes formats a few hundred thousand
//! addresses and numbers; through `Display` each costs its padding and
//! dispatch machinery (an IPv4 address about a thousand instructions), here
//! a few dozen. The text is the same as `Display`'s.

use std::borrow::Cow;
use std::fmt::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A value that can append its text form to a `String`.
pub trait Render {
    /// The text never holds what a JSON string must escape (quotes,
    /// backslashes, control characters): numbers, addresses.
    const PLAIN: bool = false;

    fn render(&self, out: &mut String);
}

impl<T: Render + ?Sized> Render for &T {
    const PLAIN: bool = T::PLAIN;

    fn render(&self, out: &mut String) {
        (**self).render(out);
    }
}

impl Render for str {
    fn render(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Render for String {
    fn render(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Render for Cow<'_, str> {
    fn render(&self, out: &mut String) {
        out.push_str(self);
    }
}

/// Decimal digits of `v`, as `Display` writes them.
fn push_u64(out: &mut String, v: u64) {
    if v < 10 {
        out.push(char::from(b'0' + v as u8));
        return;
    }
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut v = v;
    while v > 0 {
        at -= 1;
        buf[at] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    out.reserve(buf.len() - at);
    for &d in &buf[at..] {
        out.push(char::from(d));
    }
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Render for $t {
            const PLAIN: bool = true;

            fn render(&self, out: &mut String) {
                push_u64(out, u64::from(*self));
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64);

macro_rules! signed {
    ($($t:ty),*) => {$(
        impl Render for $t {
            const PLAIN: bool = true;

            fn render(&self, out: &mut String) {
                if *self < 0 {
                    out.push('-');
                }
                push_u64(out, i64::from(*self).unsigned_abs());
            }
        }
    )*};
}
signed!(i8, i16, i32, i64);

impl Render for Ipv4Addr {
    const PLAIN: bool = true;

    fn render(&self, out: &mut String) {
        for (i, octet) in self.octets().iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            push_u64(out, u64::from(*octet));
        }
    }
}

impl Render for Ipv6Addr {
    const PLAIN: bool = true;

    fn render(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl Render for IpAddr {
    const PLAIN: bool = true;

    fn render(&self, out: &mut String) {
        match self {
            IpAddr::V4(a) => a.render(out),
            IpAddr::V6(a) => a.render(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(v: impl Render) -> String {
        let mut s = String::new();
        v.render(&mut s);
        s
    }

    #[test]
    fn same_text_as_display() {
        for n in [0u64, 7, 10, 99, 100, 4_294_967_295, u64::MAX] {
            assert_eq!(text(n), n.to_string());
        }
        for n in [0i64, -1, -10, i64::MIN, i64::MAX] {
            assert_eq!(text(n), n.to_string());
        }
        for a in ["0.0.0.0", "10.0.0.1", "255.255.255.255", "192.168.100.9"] {
            let ip: IpAddr = a.parse().unwrap();
            assert_eq!(text(ip), a);
        }
        let v6: IpAddr = "fd00::1".parse().unwrap();
        assert_eq!(text(v6), "fd00::1");
        assert_eq!(text("a\"b"), "a\"b");
    }
}
