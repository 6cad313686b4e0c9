//! The address suite: `count` IPv4 /32 addresses (10.128.0.0 upwards) spread
//! round-robin over the ends of [`PAIRS`] veth pairs that are up: added,
//! then dumped (parsed, then walked). Each is what `ip address add
//! 10.128.A.B/32 dev baN` adds.

use std::hint::black_box;
use std::net::Ipv4Addr;

use super::changes::measure_changes;
use super::dumps::measure_dump;
use super::routes::up_veth;
use super::{host_address, Measurement, Operation, Progress, Settings};
use crate::error::Result;
use crate::netlink::Connection;
use crate::route::addr::{add_address_request, dump_addresses_request, Address, AddressOptions};
use crate::route::prefix::Prefix;
use crate::route::RTM_NEWADDR;

/// The first address.
const FIRST: Ipv4Addr = Ipv4Addr::new(10, 128, 0, 0);
/// veth pairs whose ends carry the addresses: the kernel keeps a list of
/// addresses a device, so how many devices share them matters.
pub(super) const PAIRS: usize = 8;

pub(super) fn run(
    conn: &mut Connection,
    settings: &Settings,
    progress: &mut dyn Progress,
) -> Result<Vec<Measurement>> {
    progress.setup("veth pairs for the addresses");
    let mut devices = Vec::with_capacity(2 * PAIRS);
    for pair in 0..PAIRS {
        let (a, b) = (format!("ba{pair}"), format!("bb{pair}"));
        devices.push(up_veth(conn, &a, &b)?);
        devices.push(crate::route::link::link_index(conn, &b)?);
    }
    let count = settings.count;
    let options = AddressOptions::default();
    let mut results = Vec::with_capacity(3);
    results.push(measure_changes(
        conn,
        Operation::AddressAdd,
        count,
        settings.batch,
        progress,
        |i| {
            let prefix = Prefix {
                addr: host_address(FIRST, i)?.into(),
                len: 32,
            };
            add_address_request(devices[i % devices.len()], &prefix, &options)
        },
    )?);
    let family = libc::AF_INET as u8;
    results.push(measure_dump(
        conn,
        Operation::AddressDump,
        dump_addresses_request(family, 0)?,
        count as u64,
        progress,
        |msg| {
            if msg.message_type() != RTM_NEWADDR {
                return Ok(false);
            }
            black_box(Address::parse(msg)?);
            Ok(true)
        },
    )?);
    results.push(measure_dump(
        conn,
        Operation::AddressWalk,
        dump_addresses_request(family, 0)?,
        count as u64,
        progress,
        |msg| Ok(msg.message_type() == RTM_NEWADDR),
    )?);
    Ok(results)
}
