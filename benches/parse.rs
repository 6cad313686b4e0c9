//! Criterion benches: parsing a captured link dump (101 links) and route dump
//! (100 routes) into rawnet's typed views, next to a bare walk of the same
//! bytes (messages and attributes only) as the floor.
//!
//! The captures are what the kernel sent iproute2 for `ip link show` and
//! `ip route show` (tests/golden/dumps/PROVENANCE.md).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rawnet::netlink::{Attrs, Messages};
use rawnet::route::link::Link;
use rawnet::route::route::Route;
use rawnet::route::{RTM_NEWLINK, RTM_NEWROUTE};
use std::hint::black_box;

const LINK_DUMP: &[u8] = include_bytes!("../tests/golden/dumps/link-dump.bin");
const ROUTE_DUMP: &[u8] = include_bytes!("../tests/golden/dumps/route-dump.bin");

/// Messages and attributes walked, nothing decoded: the cost of the framing alone.
fn walk(bytes: &[u8], fixed_len: usize) -> usize {
    let mut n = 0;
    for msg in Messages::new(bytes).map_while(Result::ok) {
        let attrs = Attrs::new(msg.payload().get(fixed_len..).unwrap_or(&[]));
        n += attrs.map_while(Result::ok).count();
    }
    n
}

fn parse_links(bytes: &[u8]) -> usize {
    let mut mtu_sum = 0usize;
    for msg in Messages::new(bytes).map_while(Result::ok) {
        if msg.message_type() == RTM_NEWLINK {
            let link = Link::parse(&msg).expect("captured link parses");
            mtu_sum += link.mtu.unwrap_or(0) as usize;
        }
    }
    mtu_sum
}

fn parse_routes(bytes: &[u8]) -> usize {
    let mut with_gateway = 0;
    for msg in Messages::new(bytes).map_while(Result::ok) {
        if msg.message_type() == RTM_NEWROUTE {
            let route = Route::parse(&msg).expect("captured route parses");
            with_gateway += usize::from(route.gateway.is_some());
        }
    }
    with_gateway
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("link_dump_101");
    g.throughput(Throughput::Bytes(LINK_DUMP.len() as u64));
    g.bench_function("walk_attributes", |b| {
        b.iter(|| walk(black_box(LINK_DUMP), 16))
    });
    g.bench_function("parse_links", |b| {
        b.iter(|| parse_links(black_box(LINK_DUMP)))
    });
    g.finish();

    let mut g = c.benchmark_group("route_dump_100");
    g.throughput(Throughput::Bytes(ROUTE_DUMP.len() as u64));
    g.bench_function("walk_attributes", |b| {
        b.iter(|| walk(black_box(ROUTE_DUMP), 12))
    });
    g.bench_function("parse_routes", |b| {
        b.iter(|| parse_routes(black_box(ROUTE_DUMP)))
    });
    g.finish();
}

criterion_group!(parse, benches);
criterion_main!(parse);
