//! IPv6 zones as iputils reads and writes them (through glibc): `fe80::1%eth0`
//! or `%3` in a destination, `%NAME` after a link-local sender, and the
//! interface facts ping checks (a device's index, whether an address is on
//! it), asked over rtnetlink in the ping's namespace.

use std::collections::HashMap;
use std::net::IpAddr;

use rawnet::icmp::socket::needs_zone;
use rawnet::netlink::Connection;
use rawnet::route::{addr, link};

/// The interface names and indexes of the ping's namespace, asked once each.
pub(super) struct Zones {
    conn: Option<Connection>,
    names: HashMap<u32, Option<String>>,
}

impl Zones {
    /// `conn`: an rtnetlink connection in the ping's namespace (without
    /// one, zones are shown as numbers and names do not resolve).
    pub(super) fn new(conn: Option<Connection>) -> Zones {
        Zones {
            conn,
            names: HashMap::new(),
        }
    }

    /// The index of interface `name`, if there is one.
    pub(super) fn index(&mut self, name: &str) -> Option<u32> {
        crate::cli::ifname::link_index(self.conn.as_mut()?, name).ok()
    }

    fn name(&mut self, index: u32) -> Option<String> {
        if let Some(known) = self.names.get(&index) {
            return known.clone();
        }
        let found = self
            .conn
            .as_mut()
            .and_then(|c| link::name_of(c, index).ok().flatten())
            .map(|name| crate::cli::os_args::escape(&name).into_owned());
        self.names.insert(index, found.clone());
        found
    }

    /// glibc's `__inet6_scopeid_pton`: a zone of a link-local address may
    /// name an interface; any zone may be a decimal index. `None`: not a
    /// zone (getaddrinfo then fails: `Name or service not known`).
    pub(super) fn parse(&mut self, addr: &IpAddr, zone: &str) -> Option<u32> {
        let node_local = matches!(addr, IpAddr::V6(a) if a.segments()[0] & 0xff0f == 0xff01);
        if needs_zone(addr) || node_local {
            if let Some(i) = self.index(zone) {
                return Some(i);
            }
        }
        if !zone.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let digits = zone.trim_start_matches('0');
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if digits.is_empty() {
            return Some(0);
        }
        digits.parse::<u32>().ok()
    }

    /// glibc's `getnameinfo(NI_NUMERICHOST)`: `ADDR%NAME` for a link-local
    /// address with a zone, `ADDR%INDEX` for others with one (or a zone
    /// that names no interface).
    pub(super) fn show(&mut self, addr: IpAddr, scope_id: u32) -> String {
        if scope_id == 0 || addr.is_ipv4() {
            return addr.to_string();
        }
        let name = if needs_zone(&addr) {
            self.name(scope_id)
        } else {
            None
        };
        match name {
            Some(n) => format!("{addr}%{n}"),
            None => format!("{addr}%{scope_id}"),
        }
    }

    /// Whether `source` is an address of interface `device` (iputils'
    /// `getifaddrs` check after `-I DEV`); true when it cannot be told.
    pub(super) fn on_device(&mut self, source: IpAddr, device: &str) -> bool {
        let Some(index) = self.index(device) else {
            return true;
        };
        let Some(conn) = self.conn.as_mut() else {
            return true;
        };
        let family = if source.is_ipv4() {
            libc::AF_INET
        } else {
            libc::AF_INET6
        } as u8;
        match addr::dump_addresses(conn, Some(family), Some(index)) {
            Ok(list) => list.iter().any(|a| a.local.or(a.address) == Some(source)),
            Err(_) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_zones_and_names() {
        let mut z = Zones::new(None);
        let ll: IpAddr = "fe80::2".parse().expect("literal");
        let global: IpAddr = "fd00::2".parse().expect("literal");
        assert_eq!(z.parse(&ll, "3"), Some(3));
        assert_eq!(z.parse(&global, "007"), Some(7));
        assert_eq!(z.parse(&global, "eth0"), None);
        assert_eq!(z.parse(&global, "3x"), None);
        assert_eq!(z.parse(&global, "99999999999"), None);
        assert_eq!(z.show(ll, 0), "fe80::2");
        assert_eq!(z.show(ll, 9), "fe80::2%9");
        assert_eq!(z.show(global, 2), "fd00::2%2");
    }
}
