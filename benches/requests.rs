//! Criterion benches: building requests with the pure `*_request` builders,
//! one message per iteration (items/s). The commands they encode:
//!
//! - `ip route add 172.16.5.0/24 via 10.0.5.2 dev veth0 metric 100 proto static`
//! - `ip addr add 10.0.5.1/24 broadcast 10.0.5.255 label veth0:a dev veth0`
//! - `ip -6 addr add fd00::1/64 dev veth0 nodad`
//! - `ip link add veth0 type veth peer name veth1`
//! - `ip neigh add 10.0.5.2 lladdr 02:00:00:00:00:02 dev veth0`
//! - `bridge fdb add 02:00:00:00:00:09 dev vx0 dst 192.168.50.2 vni 43 port 4790 self permanent`

use std::hint::black_box;
use std::net::IpAddr;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rawnet::route::addr::{add_address_request, AddressOptions, IFA_F_NODAD};
use rawnet::route::fdb::{add_fdb_request, FdbSpec};
use rawnet::route::link::add_veth_request;
use rawnet::route::neigh::{add_neighbour_request, NeighbourSpec};
use rawnet::route::prefix::Prefix;
use rawnet::route::route::{add_route_request, RouteSpec, RTPROT_STATIC};

fn ip(s: &str) -> IpAddr {
    s.parse().expect("literal address")
}

fn prefix(s: &str) -> Prefix {
    Prefix::parse(s).expect("literal prefix")
}

fn benches(c: &mut Criterion) {
    const VETH0: u32 = 3;
    let mut g = c.benchmark_group("build_request");
    g.throughput(Throughput::Elements(1));

    let dst = prefix("172.16.5.0/24");
    let mut route = RouteSpec::new(dst.family(), Some(dst));
    route.gateway = Some(ip("10.0.5.2"));
    route.oif = Some(VETH0);
    route.metric = Some(100);
    route.protocol = Some(RTPROT_STATIC);
    g.bench_function("route_add_v4_via", |b| {
        b.iter(|| add_route_request(black_box(&route)).expect("builds"))
    });

    let v4 = prefix("10.0.5.1/24");
    let v4_options = AddressOptions {
        broadcast: Some(ip("10.0.5.255")),
        label: Some(b"veth0:a".to_vec()),
        ..AddressOptions::default()
    };
    g.bench_function("address_add_v4_brd_label", |b| {
        b.iter(|| {
            add_address_request(VETH0, black_box(&v4), black_box(&v4_options)).expect("builds")
        })
    });
    let v6 = prefix("fd00::1/64");
    let v6_options = AddressOptions {
        flags: IFA_F_NODAD,
        ..AddressOptions::default()
    };
    g.bench_function("address_add_v6_nodad", |b| {
        b.iter(|| {
            add_address_request(VETH0, black_box(&v6), black_box(&v6_options)).expect("builds")
        })
    });

    g.bench_function("link_add_veth_pair", |b| {
        b.iter(|| {
            add_veth_request(black_box("veth0"), Some(black_box(&b"veth1"[..])), None)
                .expect("builds")
        })
    });

    let neighbour = NeighbourSpec::new(VETH0, ip("10.0.5.2"), Some(vec![2, 0, 0, 0, 0, 2]));
    g.bench_function("neighbour_add_v4", |b| {
        b.iter(|| add_neighbour_request(black_box(&neighbour)).expect("builds"))
    });

    let mut fdb = FdbSpec::new(4, [2, 0, 0, 0, 0, 9]);
    fdb.dst = Some(ip("192.168.50.2"));
    fdb.vni = Some(43);
    fdb.port = Some(4790);
    g.bench_function("fdb_add_vxlan_remote", |b| {
        b.iter(|| add_fdb_request(black_box(&fdb)).expect("builds"))
    });
    g.finish();
}

criterion_group!(requests, benches);
criterion_main!(requests);
