//! A link's counters: `struct rtnl_link_stats64` (linux/if_link.h), the
//! payload of `IFLA_STATS64`, as a plain value.
//!
//! Invariant: [`LinkStats64::from_bytes`] never fails and never panics: an
//! older kernel's shorter struct leaves the newer counters at 0 (as iproute2
//! does), bytes past the struct a newer kernel may add are ignored.

/// `struct rtnl_link_stats64`, in the kernel's field order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkStats64 {
    pub rx_packets: u64,
    pub tx_packets: u64,
    pub rx_bytes: u64,
    pub tx_bytes: u64,
    pub rx_errors: u64,
    pub tx_errors: u64,
    pub rx_dropped: u64,
    pub tx_dropped: u64,
    pub multicast: u64,
    pub collisions: u64,
    pub rx_length_errors: u64,
    pub rx_over_errors: u64,
    pub rx_crc_errors: u64,
    pub rx_frame_errors: u64,
    pub rx_fifo_errors: u64,
    pub rx_missed_errors: u64,
    pub tx_aborted_errors: u64,
    pub tx_carrier_errors: u64,
    pub tx_fifo_errors: u64,
    pub tx_heartbeat_errors: u64,
    pub tx_window_errors: u64,
    pub rx_compressed: u64,
    pub tx_compressed: u64,
    pub rx_nohandler: u64,
    pub rx_otherhost_dropped: u64,
}

/// Where iproute2 finds each counter in the IPv6 MIB (`IPSTATS_MIB_*`,
/// linux/snmp.h).
const IPSTATS_MIB_INPKTS: usize = 1;
const IPSTATS_MIB_INOCTETS: usize = 2;
const IPSTATS_MIB_OUTPKTS: usize = 5;
const IPSTATS_MIB_OUTOCTETS: usize = 6;
const IPSTATS_MIB_INDISCARDS: usize = 13;
const IPSTATS_MIB_OUTDISCARDS: usize = 14;
const IPSTATS_MIB_INMCASTPKTS: usize = 23;
const IPSTATS_MIB_CSUMERRORS: usize = 31;

impl LinkStats64 {
    /// The counters iproute2 (`get_snmp_counters`) makes of a link's IPv6
    /// MIB (`IFLA_INET6_STATS`: `u64` each, host byte order): packets and
    /// octets in and out, discards as errors, multicast in, checksum errors
    /// as frame errors; the rest 0, as is a counter the payload is too short
    /// for.
    pub fn from_inet6_mib(b: &[u8]) -> LinkStats64 {
        let mib = |i: usize| {
            b.get(i * 8..i * 8 + 8).map_or(0, |c| {
                let mut a = [0u8; 8];
                a.copy_from_slice(c);
                u64::from_ne_bytes(a)
            })
        };
        LinkStats64 {
            rx_packets: mib(IPSTATS_MIB_INPKTS),
            rx_bytes: mib(IPSTATS_MIB_INOCTETS),
            tx_packets: mib(IPSTATS_MIB_OUTPKTS),
            tx_bytes: mib(IPSTATS_MIB_OUTOCTETS),
            rx_errors: mib(IPSTATS_MIB_INDISCARDS),
            tx_errors: mib(IPSTATS_MIB_OUTDISCARDS),
            multicast: mib(IPSTATS_MIB_INMCASTPKTS),
            rx_frame_errors: mib(IPSTATS_MIB_CSUMERRORS),
            ..LinkStats64::default()
        }
    }

    /// The counters in `IFLA_STATS64`'s payload (host byte order, 8 bytes
    /// each); counters the payload is too short for are 0.
    pub fn from_bytes(b: &[u8]) -> LinkStats64 {
        let mut v = [0u64; 25];
        for (slot, chunk) in v.iter_mut().zip(b.chunks_exact(8)) {
            let mut a = [0u8; 8];
            a.copy_from_slice(chunk);
            *slot = u64::from_ne_bytes(a);
        }
        let [rx_packets, tx_packets, rx_bytes, tx_bytes, rx_errors, tx_errors, rx_dropped, tx_dropped, multicast, collisions, rx_length_errors, rx_over_errors, rx_crc_errors, rx_frame_errors, rx_fifo_errors, rx_missed_errors, tx_aborted_errors, tx_carrier_errors, tx_fifo_errors, tx_heartbeat_errors, tx_window_errors, rx_compressed, tx_compressed, rx_nohandler, rx_otherhost_dropped] =
            v;
        LinkStats64 {
            rx_packets,
            tx_packets,
            rx_bytes,
            tx_bytes,
            rx_errors,
            tx_errors,
            rx_dropped,
            tx_dropped,
            multicast,
            collisions,
            rx_length_errors,
            rx_over_errors,
            rx_crc_errors,
            rx_frame_errors,
            rx_fifo_errors,
            rx_missed_errors,
            tx_aborted_errors,
            tx_carrier_errors,
            tx_fifo_errors,
            tx_heartbeat_errors,
            tx_window_errors,
            rx_compressed,
            tx_compressed,
            rx_nohandler,
            rx_otherhost_dropped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_in_kernel_order_and_tolerates_any_length() {
        let bytes: Vec<u8> = (1..=26u64).flat_map(u64::to_ne_bytes).collect();
        let s = LinkStats64::from_bytes(&bytes);
        assert_eq!((s.rx_packets, s.tx_packets, s.rx_bytes), (1, 2, 3));
        assert_eq!(s.multicast, 9);
        assert_eq!(s.rx_missed_errors, 16);
        assert_eq!(s.rx_otherhost_dropped, 25);
        // An older kernel's 24-counter struct, and a cut in the middle of one.
        let s = LinkStats64::from_bytes(&bytes[..24 * 8 + 3]);
        assert_eq!((s.rx_nohandler, s.rx_otherhost_dropped), (24, 0));
        assert_eq!(LinkStats64::from_bytes(&[]), LinkStats64::default());
    }

    /// An `RTM_NEWLINK` with `IFLA_STATS64`, `IFLA_CARRIER_CHANGES` and an
    /// `IFLA_PROP_LIST` of two alternative names, read by the link view.
    #[test]
    fn the_link_view_reads_counters_and_alt_names() {
        use crate::netlink::Messages;
        use crate::route::link::{Link, IFLA_ALT_IFNAME, IFLA_PROP_LIST};
        fn attr(kind: u16, payload: &[u8]) -> Vec<u8> {
            let mut a = ((4 + payload.len()) as u16).to_ne_bytes().to_vec();
            a.extend_from_slice(&kind.to_ne_bytes());
            a.extend_from_slice(payload);
            while a.len() % 4 != 0 {
                a.push(0);
            }
            a
        }
        let counters: Vec<u8> = (1..=25u64).flat_map(u64::to_ne_bytes).collect();
        let mut props = attr(IFLA_ALT_IFNAME, b"first-alternative-name\0");
        props.extend(attr(IFLA_ALT_IFNAME, b"v0alt\0"));
        let mut body = vec![0u8; 16]; // ifinfomsg
        body.extend(attr(super::super::IFLA_STATS64, &counters));
        body.extend(attr(
            super::super::IFLA_CARRIER_CHANGES,
            &3u32.to_ne_bytes(),
        ));
        body.extend(attr(IFLA_PROP_LIST, &props));
        let mut msg = ((16 + body.len()) as u32).to_ne_bytes().to_vec();
        msg.extend_from_slice(&16u16.to_ne_bytes()); // RTM_NEWLINK
        msg.extend_from_slice(&[0; 10]);
        msg.extend(body);
        let m = Messages::new(&msg).next().unwrap().unwrap();
        let l = Link::parse(&m).unwrap();
        let st = l.stats64().unwrap();
        assert_eq!((st.rx_packets, st.rx_otherhost_dropped), (1, 25));
        assert_eq!(l.carrier_changes, Some(3));
        let names: Vec<_> = l.alt_names().collect();
        assert_eq!(names, [&b"first-alternative-name"[..], b"v0alt"]);
        let owned = l.to_info();
        assert_eq!(owned.view().alt_names().count(), 2);
        assert_eq!(owned.view().stats64(), Some(st));
    }

    /// An `AF_INET6` `RTM_NEWLINK` as the kernel's IPv6 link dump sends it:
    /// no `IFLA_STATS64`, an `IFLA_PROTINFO` with `IFLA_INET6_FLAGS` and the
    /// IPv6 MIB (`IFLA_INET6_STATS`, `mib[i] = 100 + i`); the counters are
    /// iproute2's picks from it (`get_snmp_counters`). In a message of another
    /// family (a bridge port's) `IFLA_PROTINFO` is something else, unread.
    #[test]
    fn an_inet6_link_message_counts_from_the_ipv6_mib() {
        use crate::netlink::Messages;
        use crate::route::link::{Link, IFLA_INET6_STATS, IFLA_PROTINFO};
        fn attr(kind: u16, payload: &[u8]) -> Vec<u8> {
            let mut a = ((4 + payload.len()) as u16).to_ne_bytes().to_vec();
            a.extend_from_slice(&kind.to_ne_bytes());
            a.extend_from_slice(payload);
            a
        }
        let mib: Vec<u8> = (100..138u64).flat_map(u64::to_ne_bytes).collect();
        let mut protinfo = attr(1, &0x8000_0000u32.to_ne_bytes()); // IFLA_INET6_FLAGS
        protinfo.extend(attr(IFLA_INET6_STATS, &mib));
        let message = |family: u8| {
            let mut body = vec![0u8; 16]; // ifinfomsg
            body[0] = family;
            body.extend(attr(IFLA_PROTINFO, &protinfo));
            let mut msg = ((16 + body.len()) as u32).to_ne_bytes().to_vec();
            msg.extend_from_slice(&16u16.to_ne_bytes()); // RTM_NEWLINK
            msg.extend_from_slice(&[0; 10]);
            msg.extend(body);
            msg
        };
        let msg = message(libc::AF_INET6 as u8);
        let m = Messages::new(&msg).next().unwrap().unwrap();
        let l = Link::parse(&m).unwrap();
        assert_eq!(l.stats64(), None);
        let st = l.counters().unwrap();
        let want = LinkStats64 {
            rx_packets: 101,
            rx_bytes: 102,
            tx_packets: 105,
            tx_bytes: 106,
            rx_errors: 113,
            tx_errors: 114,
            multicast: 123,
            rx_frame_errors: 131,
            ..LinkStats64::default()
        };
        assert_eq!(st, want);
        assert_eq!(l.to_info().view().counters(), Some(want));
        // A short MIB: the counters past its end are 0.
        assert_eq!(LinkStats64::from_inet6_mib(&mib[..3 * 8]).rx_bytes, 102);
        assert_eq!(LinkStats64::from_inet6_mib(&mib[..3 * 8]).tx_packets, 0);
        let msg = message(libc::AF_BRIDGE as u8);
        let m = Messages::new(&msg).next().unwrap().unwrap();
        assert_eq!(Link::parse(&m).unwrap().counters(), None);
    }
}
