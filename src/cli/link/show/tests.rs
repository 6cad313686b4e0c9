//! Unit tests of the link header printers: flag words, names, and text and
//! JSON output of hand-made links against what iproute2 6.1 prints.

use rawnet::route::link::{LinkFlags, LinkInfo};

use super::json::json_link;
use super::lookups::{Peer, Shown};
use super::names::{flag_words, LinkAddr, LinkType};
use crate::cli::link_names::LinkName;
use crate::cli::output::Render;

fn text(v: impl Render) -> String {
    let mut s = String::new();
    v.render(&mut s);
    s
}

fn words(flags: LinkFlags, mdown: bool) -> Vec<String> {
    flag_words(flags, mdown).map(text).collect()
}
use super::stats::StatsStyle;
use super::text::text_link;
use super::HeaderStyle;
use crate::cli::link::details;
use crate::cli::output::Json;

#[test]
fn flags_as_print_link_flags() {
    let f = LinkFlags::UP | LinkFlags::BROADCAST | LinkFlags::MULTICAST;
    assert_eq!(
        words(f, true).join(","),
        "NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN"
    );
    let lo = LinkFlags::LOOPBACK | LinkFlags::UP | LinkFlags::RUNNING | LinkFlags::LOWER_UP;
    assert_eq!(words(lo, false).join(","), "LOOPBACK,UP,LOWER_UP");
    let odd = LinkFlags::from_bits_retain(0x8000_0002);
    assert_eq!(words(odd, false), ["BROADCAST", "80000000"]);
}

#[test]
fn addresses_and_types() {
    let addr = |bytes: &[u8], link_type| text(LinkAddr { bytes, link_type });
    assert_eq!(addr(&[2, 0, 0, 0, 0xab, 1], 1), "02:00:00:00:ab:01");
    assert_eq!(addr(&[10, 0, 0, 1], 776), "10.0.0.1");
    assert_eq!(text(LinkType(772)), "loopback");
    assert_eq!(text(LinkType(0xfffe)), "none");
    assert_eq!(text(LinkType(4242)), "[4242]");
}

const LINK_SHOW: HeaderStyle = HeaderStyle {
    link_command: true,
    link_line: true,
    queue_length: true,
    details: false,
};

fn veth() -> LinkInfo {
    LinkInfo {
        index: 3,
        flags: LinkFlags::UP | LinkFlags::BROADCAST | LinkFlags::MULTICAST,
        link_type: 1,
        name: Some("veth0".into()),
        mtu: Some(1500),
        operstate: Some(3),
        linkmode: Some(0),
        group: Some(0),
        txqlen: Some(1000),
        qdisc: Some("noqueue".into()),
        address: Some(vec![0xb6, 0x47, 0xe0, 0x22, 0xe9, 0x86]),
        broadcast: Some(vec![0xff; 6]),
        link: Some(2),
        ..LinkInfo::default()
    }
}

#[test]
fn text_as_ip_link_show() {
    let l = veth();
    let v = Shown {
        l: &l.view(),
        peer: Peer::Here(LinkName::Known("veth1")),
        mdown: true,
        master: None,
        kind_data: None,
        slave_data: None,
        names: details::Names::default(),
    };
    let mut s = String::new();
    text_link(&mut s, &v, None, LINK_SHOW, StatsStyle::OFF);
    assert_eq!(
        s,
        "3: veth0@veth1: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN mode DEFAULT group default qlen 1000\n    link/ether b6:47:e0:22:e9:86 brd ff:ff:ff:ff:ff:ff\n"
    );
    let mut l2 = veth();
    l2.link_netnsid = Some(0);
    let v = Shown {
        l: &l2.view(),
        peer: Peer::Elsewhere(7),
        mdown: false,
        master: None,
        kind_data: None,
        slave_data: None,
        names: details::Names::default(),
    };
    let mut s = String::new();
    text_link(&mut s, &v, Some("ns2"), LINK_SHOW, StatsStyle::OFF);
    assert!(
        s.starts_with("3: veth0@if7: <NO-CARRIER,BROADCAST,MULTICAST,UP> "),
        "{s}"
    );
    assert!(s.ends_with("brd ff:ff:ff:ff:ff:ff link-netns ns2\n"), "{s}");
}

#[test]
fn addr_show_style_as_ip_addr_show() {
    let mut l = veth();
    l.linkmode = Some(1);
    l.txqlen = Some(0);
    l.alias = Some("hello".into());
    l.link_netnsid = Some(0);
    let v = Shown {
        l: &l.view(),
        peer: Peer::Elsewhere(7),
        mdown: false,
        master: Some(LinkName::Known("br0")),
        kind_data: None,
        slave_data: None,
        names: details::Names::default(),
    };
    // `ip -4 addr show`: no mode, no qlen 0, no link/ line, no alias.
    let family_filtered = HeaderStyle {
        link_command: false,
        link_line: false,
        queue_length: true,
        details: false,
    };
    let mut s = String::new();
    text_link(&mut s, &v, Some("ns2"), family_filtered, StatsStyle::OFF);
    assert_eq!(
        s,
        "3: veth0@if7: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue master br0 state LOWERLAYERDOWN group default  link-netns ns2\n"
    );
    let mut j = Json::new(false);
    j.begin_object();
    json_link(&mut j, &v, family_filtered, 0);
    j.end_object();
    assert_eq!(
        j.finish(),
        "{\"ifindex\":3,\"link_index\":7,\"ifname\":\"veth0\",\"flags\":[\"NO-CARRIER\",\"BROADCAST\",\"MULTICAST\",\"UP\"],\"mtu\":1500,\"qdisc\":\"noqueue\",\"master\":\"br0\",\"operstate\":\"LOWERLAYERDOWN\",\"group\":\"default\",\"link_netnsid\":0}\n"
    );
}

#[test]
fn json_as_ip_j_link_show() {
    let mut l = veth();
    l.link_netnsid = Some(0);
    l.name = Some("a\"b".into());
    let v = Shown {
        l: &l.view(),
        peer: Peer::Elsewhere(2),
        mdown: false,
        master: None,
        kind_data: None,
        slave_data: None,
        names: details::Names::default(),
    };
    let mut j = Json::new(false);
    j.begin_array();
    j.begin_object();
    json_link(&mut j, &v, LINK_SHOW, 0);
    j.end_object();
    j.end_array();
    assert_eq!(
        j.finish(),
        "[{\"ifindex\":3,\"link_index\":2,\"ifname\":\"a\\\"b\",\"flags\":[\"NO-CARRIER\",\"BROADCAST\",\"MULTICAST\",\"UP\"],\"mtu\":1500,\"qdisc\":\"noqueue\",\"operstate\":\"LOWERLAYERDOWN\",\"linkmode\":\"DEFAULT\",\"group\":\"default\",\"txqlen\":1000,\"link_type\":\"ether\",\"address\":\"b6:47:e0:22:e9:86\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\",\"link_netnsid\":0}]\n"
    );
}

#[test]
fn monitor_style_as_ip_monitor() {
    // `ip monitor`: the addr-show header without `qlen`, and the reason for
    // the notification (`IFLA_EVENT`) when there is one.
    let monitor = HeaderStyle {
        link_command: false,
        link_line: true,
        queue_length: false,
        details: false,
    };
    let mut l = veth();
    l.event = Some(2);
    let v = Shown {
        l: &l.view(),
        peer: Peer::Here(LinkName::Known("veth1")),
        mdown: false,
        master: None,
        kind_data: None,
        slave_data: None,
        names: details::Names::default(),
    };
    let mut s = String::new();
    text_link(&mut s, &v, None, monitor, StatsStyle::OFF);
    assert_eq!(
        s,
        "3: veth0@veth1: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state LOWERLAYERDOWN group default event FEATURE CHANGE \n    link/ether b6:47:e0:22:e9:86 brd ff:ff:ff:ff:ff:ff\n"
    );
    let mut j = Json::new(false);
    j.begin_object();
    json_link(&mut j, &v, monitor, 0);
    j.end_object();
    let j = j.finish();
    assert!(!j.contains("txqlen"), "{j}");
    assert!(
        j.contains(",\"group\":\"default\",\"event\":\"FEATURE CHANGE\","),
        "{j}"
    );
    // Past iproute2's table the event is a number; IFLA_EVENT_NONE is not shown.
    for (event, want) in [(9, "event 9 "), (0, "default \n")] {
        let mut l = veth();
        l.event = Some(event);
        let v = Shown {
            l: &l.view(),
            peer: Peer::Here(LinkName::Known("veth1")),
            mdown: false,
            master: None,
            kind_data: None,
            slave_data: None,
            names: details::Names::default(),
        };
        let mut s = String::new();
        text_link(&mut s, &v, None, monitor, StatsStyle::OFF);
        assert!(s.contains(want), "{s}");
    }
}
