//! Criterion benches of ping's wire work: the internet checksum (MB/s) over
//! echo messages with iputils' default 56-byte payload and a 1400-byte one,
//! and per message (items/s) writing a request, and classifying and judging a
//! reply (a captured one: tests/golden/icmp/v4-echo-reply.bin).

use std::hint::black_box;
use std::net::IpAddr;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rawnet::icmp::replies::ReplyCheck;
use rawnet::icmp::{checksum, emit_request, parse_message, Family, Ipv4Header};

const V4_REPLY: &[u8] = include_bytes!("../tests/golden/icmp/v4-echo-reply.bin");

fn request(size: usize) -> Vec<u8> {
    let mut out = Vec::new();
    emit_request(
        Family::V4,
        0x1234,
        1,
        size,
        Duration::from_secs(1_700_000_000),
        &mut out,
    );
    out
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("icmp_checksum");
    for payload in [56usize, 1400] {
        let message = request(payload);
        g.throughput(Throughput::BytesDecimal(message.len() as u64));
        g.bench_function(format!("payload_{payload}"), |b| {
            b.iter(|| checksum(black_box(&message)))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("icmp_echo");
    g.throughput(Throughput::Elements(1));
    let mut out = Vec::with_capacity(64);
    g.bench_function("emit_request_56", |b| {
        b.iter(|| {
            emit_request(
                Family::V4,
                0x1234,
                black_box(7),
                56,
                Duration::from_secs(1),
                &mut out,
            );
            out.len()
        })
    });
    let (ip, icmp) = Ipv4Header::parse(V4_REPLY).expect("captured IPv4 header");
    g.bench_function("parse_reply", |b| {
        b.iter(|| {
            let (ip, icmp) = Ipv4Header::parse(black_box(V4_REPLY)).expect("parses");
            (ip.ttl, parse_message(Family::V4, icmp).is_ok())
        })
    });
    let from = IpAddr::V4(ip.source);
    let ident = rawnet::icmp::EchoPacket::new_checked(icmp)
        .expect("echo")
        .ident();
    let mut check = ReplyCheck::new(from, Some(ident), true);
    check.sent();
    g.bench_function("judge_reply", |b| {
        b.iter(|| check.judge(from, black_box(icmp), None))
    });
    g.finish();
}

criterion_group!(icmp, benches);
criterion_main!(icmp);
