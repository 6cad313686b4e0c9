//! Criterion benches against the live kernel, side by side with iproute2 in
//! the same run: dumping 401 links and 200 routes of a namespace.
//!
//! - `library`: rawnet's `dump_links` / `dump_routes` on an open connection.
//! - `rawnet_cli` and `iproute2_cli`: `rawnet -n NS -j link show` and
//!   `ip -n NS -j link show` as processes, which is what a script pays.
//!
//! Needs root; it makes one namespace with a unique name and removes it at the end.

use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion};
use rawnet::netlink::Connection;
use rawnet::route::addr::{self, AddressOptions};
use rawnet::route::link;
use rawnet::route::prefix::Prefix;
use rawnet::route::route::{self as rt, RouteSpec};

const PAIRS: u32 = 200;

/// A named namespace holding `PAIRS` veth pairs, each with an address and a route.
struct Fixture {
    name: String,
}

impl Fixture {
    fn new() -> rawnet::Result<Fixture> {
        let name = format!("rnbench{}", std::process::id());
        rawnet::ns::add_named(&name)?;
        let fixture = Fixture { name };
        let mut conn = fixture.connection()?;
        for i in 0..PAIRS {
            let (a, b) = (format!("a{i}"), format!("b{i}"));
            link::add_veth(&mut conn, &a, &b, None)?;
            let index = link::link_index(&mut conn, &a)?;
            let up = link::LinkChanges {
                up: Some(true),
                ..Default::default()
            };
            link::set_link(&mut conn, link::LinkRef::Index(index), &up)?;
            let p = Prefix::parse(&format!("10.{}.{}.1/24", i / 250, i % 250))?;
            addr::add_address(&mut conn, index, &p, &AddressOptions::default())?;
            let dst = Prefix::parse(&format!("172.{}.{}.0/24", 16 + i / 250, i % 250))?;
            let mut spec = RouteSpec::new(dst.family(), Some(dst));
            spec.oif = Some(index);
            rt::add_route(&mut conn, &spec)?;
        }
        Ok(fixture)
    }

    fn connection(&self) -> rawnet::Result<Connection> {
        rawnet::ns::route_connection_in(&rawnet::ns::NetNs::open_named(&self.name)?)
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = rawnet::ns::delete_named(&self.name);
    }
}

fn run(program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .output()
        .expect("run command");
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn benches(c: &mut Criterion) {
    if !rawnet::ns::is_privileged() {
        eprintln!(
            "SKIPPED dump benches: they need root to make a namespace with {PAIRS} veth pairs"
        );
        return;
    }
    let fixture = Fixture::new().expect("build the bench namespace");
    let mut conn = fixture.connection().expect("connection");
    let rawnet_bin = env!("CARGO_BIN_EXE_rawnet");
    let ns = fixture.name.as_str();

    let mut g = c.benchmark_group("dump_401_links");
    g.bench_function("library", |b| {
        b.iter(|| link::dump_links(&mut conn).expect("dump").len())
    });
    g.bench_function("rawnet_cli", |b| {
        b.iter(|| run(rawnet_bin, &["-n", ns, "-j", "link", "show"]))
    });
    g.bench_function("iproute2_cli", |b| {
        b.iter(|| run("ip", &["-n", ns, "-j", "link", "show"]))
    });
    g.finish();

    let mut g = c.benchmark_group("dump_200_routes");
    g.bench_function("library", |b| {
        b.iter(|| {
            rt::dump_routes(&mut conn, libc::AF_INET as u8, None)
                .expect("dump")
                .len()
        })
    });
    g.bench_function("rawnet_cli", |b| {
        b.iter(|| run(rawnet_bin, &["-n", ns, "-j", "route", "show"]))
    });
    g.bench_function("iproute2_cli", |b| {
        b.iter(|| run("ip", &["-n", ns, "-j", "route", "show"]))
    });
    g.finish();
}

criterion_group!(dump, benches);
criterion_main!(dump);
