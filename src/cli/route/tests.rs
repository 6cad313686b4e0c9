//! The route grammar against iproute2 6.1: each command line made into a
//! request by `prepare` must be byte for byte what `ip` sent for it
//! (tests/golden/route-grammar, see its PROVENANCE.md), sequence and port
//! zeroed, `NLM_F_ACK` added as the connection adds it.

use rawnet::netlink::header::NLM_F_ACK;
use rawnet::route::prefix::parse_inet_addr;
use rawnet::route::route::{route_query_request, RouteQuery};

use super::modify::{prepare, verb};
use crate::cli::change::Devices;
use crate::cli::{Args, CliError, Context};

/// veth0 is 3 and veth2 is 5, as in the captures.
struct Fixed;

impl Devices for Fixed {
    fn index(&mut self, name: &str) -> Result<u32, CliError> {
        match name {
            "veth0" => Ok(3),
            "veth2" => Ok(5),
            _ => Err(CliError::new(1, format!("Cannot find device \"{name}\""))),
        }
    }
}

fn golden(hex: &str) -> Vec<u8> {
    let mut v: Vec<u8> = hex
        .split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).expect("hex"))
        .collect();
    v[8..16].fill(0);
    v
}

/// The request `ip [-4|-6] route CMD WORDS...` makes, as bytes.
fn request(line: &str) -> Vec<u8> {
    let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
    let mut ctx = Context::default();
    let mut w = &words[..];
    match w[0].as_str() {
        "-4" => ctx.family = Some(libc::AF_INET as u8),
        "-6" => ctx.family = Some(libc::AF_INET6 as u8),
        _ => {}
    }
    if w[0].starts_with('-') {
        w = &w[1..];
    }
    assert_eq!(w[0], "route");
    let op = verb(&w[1]).expect("verb");
    let change = prepare(&ctx, Args::new(&w[2..]), op, &mut Fixed).expect(line);
    let mut r = change.request;
    r.add_flags(NLM_F_ACK);
    r.as_bytes().to_vec()
}

#[allow(unused_macros)] // the format bench compiles this file without its tests
macro_rules! case {
    ($file:literal, $line:literal) => {
        assert_eq!(
            request($line),
            golden(include_str!(concat!(
                "../../../tests/golden/route-grammar/",
                $file,
                ".hex"
            ))),
            "ip {}",
            $line
        )
    };
}

#[test]
fn requests_match_iproute2() {
    case!(
        "multipath",
        "route add 10.9.0.0/24 nexthop via 10.0.1.1 dev veth0 weight 2 nexthop via 10.0.2.1 dev veth2 onlink"
    );
    case!(
        "via-inet6",
        "route add 10.8.0.0/16 via inet6 fd00::2 dev veth0"
    );
    case!(
        "metrics",
        "route add 10.7.0.0/16 via 10.0.1.1 mtu lock 1400 advmss 1360 window 1000 rtt 10 initcwnd 10 initrwnd 20 hoplimit 64 quickack 1 congctl cubic"
    );
    case!(
        "short-tos-table",
        "route add 10/8 via 10.0.1.1 tos 0x10 metric 7 table 100 proto static"
    );
    case!(
        "order",
        "route add 10.6.0.0/16 metric 3 src 10.0.1.100 via 10.0.1.1 dev veth0"
    );
    case!("default-v4", "-4 route add default via 10.0.2.1 metric 9");
    case!("append", "route append 10.9.0.0/24 via 10.0.1.1 metric 20");
    case!("blackhole", "route add blackhole 172.16/12");
    case!(
        "from-v6",
        "-6 route add fd00:5::/64 from fd00:6::/64 via fd00::2"
    );
    case!("nhid", "route add 10.5.0.0/16 nhid 7");
}

#[test]
fn get_requests_match_iproute2() {
    let a = |s| parse_inet_addr(s, 0).unwrap().addr;
    // ip route get 10.0.2.7 from 10.0.1.100 oif veth2 mark 5
    let q = RouteQuery {
        src: a("10.0.1.100"),
        src_len: 32,
        oif: Some(5),
        mark: 5,
        ..RouteQuery::to(a("10.0.2.7").unwrap())
    };
    assert_eq!(
        route_query_request(&q).unwrap().as_bytes(),
        &golden(include_str!(
            "../../../tests/golden/route-grammar/get-from-oif.hex"
        ))[..]
    );
    // ip route get to 10.0.2.7 from 10.0.1.9 iif veth0 fibmatch
    let q = RouteQuery {
        src: a("10.0.1.9"),
        src_len: 32,
        iif: Some(3),
        fib_match: true,
        ..RouteQuery::to(a("10.0.2.7").unwrap())
    };
    assert_eq!(
        route_query_request(&q).unwrap().as_bytes(),
        &golden(include_str!(
            "../../../tests/golden/route-grammar/get-iif.hex"
        ))[..]
    );
}

#[test]
fn grammar_errors_are_iproute2s() {
    let err = |line: &str| {
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        match prepare(
            &Context::default(),
            Args::new(&words),
            verb("add").unwrap(),
            &mut Fixed,
        ) {
            Ok(_) => panic!("{line} accepted"),
            Err(e) => e.to_string(),
        }
    };
    assert!(err("10.0.0.0/8 via 10.0.1.1 via 10.0.1.2").contains("use nexthop syntax"));
    assert!(err("10.0.0.0/8 nexthop via 10.0.1.1 weight 0").contains("\"weight\" is invalid"));
    assert!(err("10.0.0.0/8 nexthop via 10.0.1.1 bogus").contains("\"nexthop\" or end of line"));
    assert!(err("10.0.0.0/8 quickack 2").contains("should be 0 or 1"));
    assert!(err("10.0.0.0/8 hoplimit 256").contains("\"hoplimit\" value is invalid"));
    assert!(err("10.0.0.0/8 via fd00::1").contains("inet address is expected rather than"));
    assert!(err("10.0.0.0/8 10.1.0.0/16").contains("either \"to\" is duplicate"));
}
