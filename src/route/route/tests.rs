//! Unit tests of the route module: requests against what iproute2 6.1 sent
//! (tests/golden/addr-route), captured replies parsed, every truncation
//! failing cleanly, malformed attributes named.

use std::net::IpAddr;

use super::*;
use crate::netlink::header::{NLM_F_ACK, NLM_F_DUMP};
use crate::netlink::{MessageBuilder, Messages};
use crate::route::prefix::Prefix;
use crate::route::RTM_NEWROUTE;

use crate::netlink::golden::{hex, request_bytes as golden_request, with_flags};

const V4: u8 = libc::AF_INET as u8;
const V6: u8 = libc::AF_INET6 as u8;
const VETH0: u32 = 3;

fn p(s: &str) -> Option<Prefix> {
    Some(Prefix::parse(s).unwrap())
}

fn a(s: &str) -> Option<IpAddr> {
    Some(s.parse().unwrap())
}

macro_rules! golden {
    ($name:literal) => {
        golden_request(include_str!(concat!(
            "../../../tests/golden/addr-route/",
            $name,
            ".hex"
        )))
    };
}

#[test]
fn header_size_matches_uapi() {
    assert_eq!(RTA_TABLE, libc::RTA_TABLE);
    assert_eq!(RTA_PREFSRC, libc::RTA_PREFSRC);
    assert_eq!(RT_TABLE_MAIN, u32::from(libc::RT_TABLE_MAIN));
    assert_eq!(u32::from(RTN_UNICAST), u32::from(libc::RTN_UNICAST));
    assert_eq!(RT_SCOPE_LINK, libc::RT_SCOPE_LINK);
}

#[test]
fn add_dev_route_matches_iproute2() {
    let spec = RouteSpec {
        oif: Some(VETH0),
        ..RouteSpec::new(V4, p("10.0.2.0/24"))
    };
    assert_eq!(
        with_flags(&add_route_request(&spec).unwrap(), NLM_F_ACK),
        golden!("route-add-dev")
    );
}

#[test]
fn add_default_via_matches_iproute2() {
    let spec = RouteSpec {
        gateway: a("10.0.1.1"),
        ..RouteSpec::new(V4, None)
    };
    assert_eq!(
        with_flags(&add_route_request(&spec).unwrap(), NLM_F_ACK),
        golden!("route-add-default-via")
    );
}

#[test]
fn add_v6_via_metric_matches_iproute2() {
    let spec = RouteSpec {
        gateway: a("fd00::2"),
        metric: Some(100),
        ..RouteSpec::new(V6, p("fd00:2::/64"))
    };
    assert_eq!(
        with_flags(&add_route_request(&spec).unwrap(), NLM_F_ACK),
        golden!("route-add-v6-via-metric")
    );
}

#[test]
fn add_full_matches_iproute2() {
    let spec = RouteSpec {
        gateway: a("10.0.1.1"),
        oif: Some(VETH0),
        metric: Some(5),
        table: Some(100),
        prefsrc: a("10.0.1.100"),
        protocol: Some(RTPROT_STATIC),
        ..RouteSpec::new(V4, p("10.0.4.0/24"))
    };
    assert_eq!(
        with_flags(&add_route_request(&spec).unwrap(), NLM_F_ACK),
        golden!("route-add-full")
    );
}

#[test]
fn add_onlink_and_scope_match_iproute2() {
    let spec = RouteSpec {
        gateway: a("10.9.9.9"),
        oif: Some(VETH0),
        onlink: true,
        ..RouteSpec::new(V4, p("10.0.5.0/24"))
    };
    assert_eq!(
        with_flags(&add_route_request(&spec).unwrap(), NLM_F_ACK),
        golden!("route-add-onlink")
    );
    let spec = RouteSpec {
        oif: Some(VETH0),
        scope: Some(RT_SCOPE_HOST),
        ..RouteSpec::new(V4, p("10.0.6.0/24"))
    };
    assert_eq!(
        with_flags(&add_route_request(&spec).unwrap(), NLM_F_ACK),
        golden!("route-add-scope-host")
    );
    let spec = RouteSpec {
        gateway: a("10.9.9.9"),
        ..RouteSpec::new(V4, p("10.1.0.0/24"))
    };
    assert_eq!(
        with_flags(&add_route_request(&spec).unwrap(), NLM_F_ACK),
        golden!("route-add-bad-gateway")
    );
}

#[test]
fn replace_and_delete_match_iproute2() {
    let spec = RouteSpec {
        oif: Some(VETH0),
        metric: Some(0),
        ..RouteSpec::new(V4, p("10.0.2.0/24"))
    };
    assert_eq!(
        with_flags(&replace_route_request(&spec).unwrap(), NLM_F_ACK),
        golden!("route-replace-metric0")
    );
    let spec = RouteSpec {
        oif: Some(VETH0),
        ..RouteSpec::new(V4, p("10.0.2.0/24"))
    };
    assert_eq!(
        with_flags(&delete_route_request(&spec).unwrap(), NLM_F_ACK),
        golden!("route-del-dev")
    );
}

#[test]
fn get_and_dump_requests_match_iproute2() {
    assert_eq!(
        get_route_request(&a("10.0.2.100").unwrap())
            .unwrap()
            .as_bytes(),
        &golden!("route-get-v4")[..]
    );
    assert_eq!(
        get_route_request(&a("fd00:2::5").unwrap())
            .unwrap()
            .as_bytes(),
        &golden!("route-get-v6")[..]
    );
    let dump = dump_routes_request(V4, Some(RT_TABLE_MAIN)).unwrap();
    assert_eq!(with_flags(&dump, NLM_F_DUMP), golden!("route-dump-req"));
}

#[test]
fn big_table_goes_in_rta_table() {
    let spec = RouteSpec {
        oif: Some(1),
        table: Some(1000),
        ..RouteSpec::new(V4, p("10.0.2.0/24"))
    };
    let r = add_route_request(&spec).unwrap();
    let msg = Messages::new(r.as_bytes()).next().unwrap().unwrap();
    let (h, attrs) = msg.fixed::<RtMsg>("rtmsg").unwrap();
    assert_eq!(u32::from(h.rtm_table), RT_TABLE_UNSPEC);
    assert_eq!(attrs.find(RTA_TABLE).unwrap().u32().unwrap(), 1000);
    // A gateway of another family goes as RTA_VIA (`via inet6`), as iproute2 sends it;
    // a destination of another family is refused.
    let mixed = RouteSpec {
        gateway: a("fd00::1"),
        ..RouteSpec::new(V4, p("10.0.2.0/24"))
    };
    let r = add_route_request(&mixed).unwrap();
    let msg = Messages::new(r.as_bytes()).next().unwrap().unwrap();
    let (_, attrs) = msg.fixed::<RtMsg>("rtmsg").unwrap();
    assert_eq!(attrs.find(RTA_VIA).unwrap().payload().len(), 18);
    assert!(add_route_request(&RouteSpec::new(V6, p("10.0.2.0/24"))).is_err());
}

fn first_route(bytes: &[u8]) -> RouteInfo {
    let msg = Messages::new(bytes).next().unwrap().unwrap();
    Route::parse(&msg).unwrap().to_owned()
}

#[test]
fn parses_captured_get_replies() {
    let r = first_route(&hex(include_str!(
        "../../../tests/golden/addr-route/route-get-v4-reply.hex"
    )));
    assert_eq!(r.dst, a("10.0.2.100"));
    assert_eq!(r.gateway, a("10.0.1.1"));
    assert_eq!(r.oif, Some(3));
    assert_eq!(r.prefsrc, a("10.0.1.100"));
    assert_eq!(r.uid, Some(0));
    assert_eq!(r.table, RT_TABLE_MAIN);
    assert_ne!(r.flags & RTM_F_CLONED, 0);
    let r = first_route(&hex(include_str!(
        "../../../tests/golden/addr-route/route-get-v6-reply.hex"
    )));
    assert_eq!(r.dst, a("fd00:2::5"));
    assert_eq!(r.gateway, a("fd00::2"));
    assert_eq!(r.priority, Some(100));
    assert_eq!(r.pref, Some(0));
}

#[test]
fn parses_captured_dumps() {
    let bytes = hex(include_str!(
        "../../../tests/golden/addr-route/route-dump-reply.hex"
    ));
    let routes: Vec<RouteInfo> = Messages::new(&bytes)
        .map(|m| m.unwrap())
        .filter(|m| m.message_type() == RTM_NEWROUTE)
        .map(|m| Route::parse(&m).unwrap().to_owned())
        .collect();
    assert_eq!(routes[0].dst, None);
    assert_eq!(routes[0].dst_len, 0);
    assert_eq!(routes[0].gateway, a("10.0.1.1"));
    assert!(routes
        .iter()
        .any(|r| r.protocol == RTPROT_KERNEL && r.scope == RT_SCOPE_LINK));
    assert!(routes.iter().any(|r| r.flags & RTNH_F_ONLINK != 0));
    let bytes = hex(include_str!(
        "../../../tests/golden/addr-route/route-dump-v6-reply.hex"
    ));
    let mut v6 = 0;
    for m in Messages::new(&bytes) {
        Route::parse(&m.unwrap()).unwrap();
        v6 += 1;
    }
    assert!(v6 >= 2);
}

#[test]
fn every_truncation_of_a_captured_route_fails_cleanly() {
    let bytes = hex(include_str!(
        "../../../tests/golden/addr-route/route-get-v6-reply.hex"
    ));
    let len = Messages::new(&bytes)
        .next()
        .unwrap()
        .unwrap()
        .header
        .nlmsg_len as usize;
    for cut in 16..len {
        let mut v = bytes[..cut].to_vec();
        v[0..4].copy_from_slice(&(cut as u32).to_ne_bytes());
        let msg = Messages::new(&v).next().unwrap().unwrap();
        match Route::parse(&msg) {
            Ok(r) => assert!(cut >= 28, "cut {cut}: {r:?}"),
            Err(e) => assert!(!e.what.is_empty()),
        }
    }
}

#[test]
fn malformed_attribute_is_named() {
    let mut m = MessageBuilder::new(RTM_NEWROUTE, 0);
    m.header(&RtMsg {
        rtm_family: V4,
        ..Default::default()
    });
    m.put(RTA_GATEWAY, &[10, 0]);
    let r = m.finish().unwrap();
    let msg = Messages::new(r.as_bytes()).next().unwrap().unwrap();
    assert_eq!(Route::parse(&msg).unwrap_err().what, "RTA_GATEWAY");
    let mut m = MessageBuilder::new(RTM_NEWROUTE, 0);
    m.header(&RtMsg {
        rtm_family: V4,
        ..Default::default()
    });
    m.put(RTA_OIF, &[1, 0]);
    let r = m.finish().unwrap();
    let msg = Messages::new(r.as_bytes()).next().unwrap().unwrap();
    assert_eq!(Route::parse(&msg).unwrap_err().what, "RTA_OIF");
}

#[test]
fn captured_refusal_carries_the_kernels_text() {
    let bytes = hex(include_str!(
        "../../../tests/golden/addr-route/route-add-bad-gateway-reply.hex"
    ));
    let request = golden!("route-add-bad-gateway");
    let msg = Messages::new(&bytes).next().unwrap().unwrap();
    let outcome = crate::netlink::ack::parse_error(&msg, Some(&request)).unwrap();
    let k = outcome.unwrap_err();
    assert_eq!(k.errno, libc::ENETUNREACH);
    assert_eq!(k.message.as_deref(), Some("Nexthop has invalid gateway"));
}

#[test]
fn default_scopes_follow_iproute2() {
    assert_eq!(
        default_route_scope(V4, RTN_UNICAST, false, false),
        RT_SCOPE_LINK
    );
    assert_eq!(
        default_route_scope(V4, RTN_UNICAST, true, false),
        RT_SCOPE_UNIVERSE
    );
    assert_eq!(
        default_route_scope(V4, RTN_UNICAST, true, true),
        RT_SCOPE_NOWHERE
    );
    assert_eq!(
        default_route_scope(V6, RTN_UNICAST, false, false),
        RT_SCOPE_UNIVERSE
    );
    assert_eq!(
        default_route_scope(V4, RTN_LOCAL, false, false),
        RT_SCOPE_HOST
    );
}
