//! Criterion benches: parsing captured kernel answers into rawnet's typed
//! views, every object kind, each next to a bare walk of the same bytes
//! (messages and attributes only, nothing decoded) as the floor. Throughput is
//! in objects (items/s).
//!
//! The captures are what the kernel sent iproute2 6.1 (tests/golden/dumps,
//! PROVENANCE.md there): `ip link show` (101 links), `ip route show` (100
//! routes), `ip addr show` (88 addresses), `ip neigh show` and `ip neigh show
//! proxy` (41 neighbours), `bridge fdb show` (66 fdb entries), and 16
//! `NLMSG_ERROR` answers to refused requests (extended acks).

use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use rawnet::error::DecodeError;
use rawnet::netlink::{ack, header, Attrs, Message, Messages};
use rawnet::route::addr::Address;
use rawnet::route::link::Link;
use rawnet::route::neigh::{Neighbour, RTM_NEWNEIGH};
use rawnet::route::route::Route;
use rawnet::route::{RTM_NEWADDR, RTM_NEWLINK, RTM_NEWROUTE};
use std::hint::black_box;

const LINK_DUMP: &[u8] = include_bytes!("../tests/golden/dumps/link-dump.bin");
const ROUTE_DUMP: &[u8] = include_bytes!("../tests/golden/dumps/route-dump.bin");
const ADDR_DUMP: &[u8] = include_bytes!("../tests/golden/dumps/addr-dump.bin");
const NEIGH_DUMP: &[u8] = include_bytes!("../tests/golden/dumps/neigh-dump.bin");
const FDB_DUMP: &[u8] = include_bytes!("../tests/golden/dumps/fdb-dump.bin");
const EXT_ACK: &[u8] = include_bytes!("../tests/golden/dumps/ext-ack.bin");

/// Messages and attributes walked, nothing decoded: the cost of the framing alone.
fn walk(bytes: &[u8], fixed_len: usize) -> usize {
    let mut n = 0;
    for msg in Messages::new(bytes).map_while(Result::ok) {
        let attrs = Attrs::new(msg.payload().get(fixed_len..).unwrap_or(&[]));
        n += attrs.map_while(Result::ok).count();
    }
    n
}

/// Every message of type `kind` parsed with `parse`, which must succeed;
/// `weigh` turns each view into a number so none is optimised away.
fn parse_all<'a, T>(
    bytes: &'a [u8],
    kind: u16,
    parse: impl Fn(&Message<'a>) -> Result<T, DecodeError>,
    weigh: impl Fn(&T) -> usize,
) -> usize {
    let mut sum = 0;
    for msg in Messages::new(bytes).map_while(Result::ok) {
        if msg.message_type() == kind {
            sum += weigh(&parse(&msg).expect("captured object parses"));
        }
    }
    sum
}

fn count(bytes: &[u8], kind: u16) -> u64 {
    Messages::new(bytes)
        .map_while(Result::ok)
        .filter(|m| m.message_type() == kind)
        .count() as u64
}

/// One group: the walk (floor) and the parse of `bytes`, in objects per second.
fn group<'a>(
    c: &'a mut Criterion,
    name: &str,
    bytes: &[u8],
    kind: u16,
) -> BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(count(bytes, kind)));
    g
}

fn benches(c: &mut Criterion) {
    let mut g = group(c, "link_dump_101", LINK_DUMP, RTM_NEWLINK);
    g.bench_function("walk_attributes", |b| {
        b.iter(|| walk(black_box(LINK_DUMP), 16))
    });
    g.bench_function("parse_links", |b| {
        b.iter(|| {
            parse_all(black_box(LINK_DUMP), RTM_NEWLINK, Link::parse, |l| {
                l.mtu.unwrap_or(0) as usize
            })
        })
    });
    g.finish();

    let mut g = group(c, "route_dump_100", ROUTE_DUMP, RTM_NEWROUTE);
    g.bench_function("walk_attributes", |b| {
        b.iter(|| walk(black_box(ROUTE_DUMP), 12))
    });
    g.bench_function("parse_routes", |b| {
        b.iter(|| {
            parse_all(black_box(ROUTE_DUMP), RTM_NEWROUTE, Route::parse, |r| {
                usize::from(r.gateway.is_some())
            })
        })
    });
    g.finish();

    let mut g = group(c, "addr_dump_88", ADDR_DUMP, RTM_NEWADDR);
    g.bench_function("walk_attributes", |b| {
        b.iter(|| walk(black_box(ADDR_DUMP), 8))
    });
    g.bench_function("parse_addresses", |b| {
        b.iter(|| {
            parse_all(black_box(ADDR_DUMP), RTM_NEWADDR, Address::parse, |a| {
                usize::from(a.prefix_len) + a.label.as_ref().map_or(0, |l| l.len())
            })
        })
    });
    g.finish();

    for (name, bytes) in [("neigh_dump_41", NEIGH_DUMP), ("fdb_dump_66", FDB_DUMP)] {
        let mut g = group(c, name, bytes, RTM_NEWNEIGH);
        g.bench_function("walk_attributes", |b| b.iter(|| walk(black_box(bytes), 12)));
        g.bench_function("parse_neighbours", |b| {
            b.iter(|| {
                parse_all(black_box(bytes), RTM_NEWNEIGH, Neighbour::parse, |n| {
                    n.lladdr.map_or(0, <[u8]>::len) + usize::from(n.dst.is_some())
                })
            })
        });
        g.finish();
    }

    // The floor of an error is framing only: its attributes follow the quoted
    // request, and finding them is the decoder's work.
    let mut g = group(c, "ext_ack_16", EXT_ACK, header::NLMSG_ERROR);
    g.bench_function("walk_messages", |b| {
        b.iter(|| {
            Messages::new(black_box(EXT_ACK))
                .map_while(Result::ok)
                .count()
        })
    });
    g.bench_function("parse_errors", |b| {
        b.iter(|| {
            parse_all(
                black_box(EXT_ACK),
                header::NLMSG_ERROR,
                |m| ack::parse_error(m, m.payload().get(4..)),
                |o| o.as_ref().err().map_or(0, |e| e.errno as usize),
            )
        })
    });
    g.finish();
}

criterion_group!(parse, benches);
criterion_main!(parse);
