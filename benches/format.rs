//! Criterion benches of the CLI's printers: the captured 101-link and
//! 100-route dumps (tests/golden/dumps) printed as `ip link show` and
//! `ip route show` print them, text and JSON, into memory (objects/s and
//! MB/s of input). The CLI is part of the binary, not the library, so its
//! modules are compiled in here with `#[path]`; `cli::format_bench` is the
//! way in, with every device name known so that nothing asks the kernel.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

#[path = "../src/cli/mod.rs"]
#[allow(dead_code, unused_imports)]
mod cli;

const LINK_DUMP: &[u8] = include_bytes!("../tests/golden/dumps/link-dump.bin");
const ROUTE_DUMP: &[u8] = include_bytes!("../tests/golden/dumps/route-dump.bin");

fn benches(c: &mut Criterion) {
    let mut printers = cli::format_bench::Printers::new(LINK_DUMP);
    let mut g = c.benchmark_group("print_routes_100");
    g.throughput(Throughput::Elements(100));
    for json in [false, true] {
        let name = if json { "json" } else { "text" };
        g.bench_function(name, |b| {
            b.iter(|| printers.routes(black_box(ROUTE_DUMP), json))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("print_links_101");
    g.throughput(Throughput::Elements(101));
    for json in [false, true] {
        let name = if json { "json" } else { "text" };
        g.bench_function(name, |b| {
            b.iter(|| printers.links(black_box(LINK_DUMP), json))
        });
    }
    g.finish();
}

criterion_group!(format, benches);
criterion_main!(format);
