//! The link suite: `count` veth pairs `bvN` <-> `bpN`, the `bv` ends in
//! device group [`GROUP`]: added, dumped (parsed, then walked), deleted all
//! at once by group (`ip link del group 42`), added again (not measured),
//! and deleted one request a pair (`ip link del bvN`).
//!
//! The kernel waits for the network stack to let go of a device it
//! unregisters (RCU grace periods), once a request: deleting pairs one by
//! one costs that wait every time, deleting a group (or the namespace that
//! holds them) pays it once.

use std::hint::black_box;

use super::changes::{measure_changes, send_all};
use super::dumps::measure_dump;
use super::measure::Stopwatch;
use super::{Measurement, Operation, Progress, Settings};
use crate::error::{Error, Result};
use crate::netlink::Connection;
use crate::route::link::{
    add_veth_in_group_request, delete_link_group_request, delete_link_request_for,
    dump_links_request, Link, LinkRef,
};
use crate::route::RTM_NEWLINK;

/// The device group of the `bv` ends.
pub(super) const GROUP: u32 = 42;

pub(super) fn run(
    conn: &mut Connection,
    settings: &Settings,
    progress: &mut dyn Progress,
) -> Result<Vec<Measurement>> {
    let count = settings.count;
    let add = |i: usize| add_veth_in_group_request(format!("bv{i}"), format!("bp{i}"), GROUP);
    let mut results = Vec::with_capacity(5);
    results.push(measure_changes(
        conn,
        Operation::VethAdd,
        count,
        settings.batch,
        progress,
        add,
    )?);
    // Both ends of every pair, and lo.
    let links = 2 * count as u64 + 1;
    results.push(measure_dump(
        conn,
        Operation::LinkDump,
        dump_links_request()?,
        links,
        progress,
        |msg| {
            if msg.message_type() != RTM_NEWLINK {
                return Ok(false);
            }
            black_box(Link::parse(msg)?);
            Ok(true)
        },
    )?);
    results.push(measure_dump(
        conn,
        Operation::LinkWalk,
        dump_links_request()?,
        links,
        progress,
        |msg| Ok(msg.message_type() == RTM_NEWLINK),
    )?);
    results.push(delete_group(conn, count, progress)?);
    progress.setup("the veth pairs again, to delete them one by one");
    send_all(conn, count, settings.batch, progress, add)?;
    results.push(measure_changes(
        conn,
        Operation::VethDelete,
        count,
        settings.batch,
        progress,
        |i| delete_link_request_for(LinkRef::Name(format!("bv{i}").as_bytes())),
    )?);
    expect_only_lo(conn)?;
    Ok(results)
}

/// Delete the `count` pairs of [`GROUP`] with one request, and check that
/// only `lo` is left.
fn delete_group(
    conn: &mut Connection,
    count: usize,
    progress: &mut dyn Progress,
) -> Result<Measurement> {
    let operation = Operation::VethDeleteGroup;
    progress.begin(operation, count as u64);
    let watch = Stopwatch::start()?;
    conn.execute(delete_link_group_request(GROUP)?)?;
    let m = watch.stop(operation, count as u64, None, None)?;
    expect_only_lo(conn)?;
    progress.end(&m);
    Ok(m)
}

/// Fail unless the namespace holds no link but `lo`.
fn expect_only_lo(conn: &mut Connection) -> Result<()> {
    let mut left = 0u64;
    let _ = conn.dump(dump_links_request()?, |msg| {
        left += u64::from(msg.message_type() == RTM_NEWLINK);
        Ok::<(), Error>(())
    })?;
    if left != 1 {
        return Err(Error::Unexpected(format!(
            "{left} links left after deleting the veth pairs, 1 (lo) expected"
        )));
    }
    Ok(())
}
