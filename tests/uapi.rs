//! Pins rawnet's wire structs and constants to the kernel's uapi headers:
//! a small C program includes <linux/netlink.h>, <linux/rtnetlink.h> and
//! friends and prints sizes, offsets and values; each must equal ours.
//!
//! Needs a C compiler and the kernel headers (linux-libc-dev); without them
//! the test says so and fails, since it would otherwise check nothing.

use std::collections::HashMap;

mod common;
use common::cprobe;

use rawnet::netlink::header::*;
use rawnet::route::addr::IfAddrMsg;
use rawnet::route::groups::*;
use rawnet::route::link::IfInfoMsg;
use rawnet::route::route::RtMsg;
use rawnet::route::rule::{FibRuleHdr, FibRulePortRange, FibRuleUidRange};
use rawnet::route::tc::TcMsg;

const PROGRAM: &str = r#"
#include <stdio.h>
#include <stddef.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>
#include <linux/veth.h>
#include <linux/fib_rules.h>
#define P(name, value) printf("%s %ld\n", name, (long)(value))
#define C(x) P(#x, x)
int main(void) {
    P("sizeof nlmsghdr", sizeof(struct nlmsghdr));
    P("sizeof nlmsgerr", sizeof(struct nlmsgerr));
    P("sizeof nlattr", sizeof(struct nlattr));
    P("sizeof ifinfomsg", sizeof(struct ifinfomsg));
    P("sizeof ifaddrmsg", sizeof(struct ifaddrmsg));
    P("sizeof rtmsg", sizeof(struct rtmsg));
    P("sizeof tcmsg", sizeof(struct tcmsg));
    P("offsetof tcmsg.tcm_ifindex", offsetof(struct tcmsg, tcm_ifindex));
    P("offsetof tcmsg.tcm_info", offsetof(struct tcmsg, tcm_info));
    P("offsetof ifinfomsg.ifi_index", offsetof(struct ifinfomsg, ifi_index));
    P("offsetof ifinfomsg.ifi_flags", offsetof(struct ifinfomsg, ifi_flags));
    P("offsetof ifinfomsg.ifi_change", offsetof(struct ifinfomsg, ifi_change));
    P("offsetof ifaddrmsg.ifa_index", offsetof(struct ifaddrmsg, ifa_index));
    P("sizeof fib_rule_hdr", sizeof(struct fib_rule_hdr));
    P("sizeof fib_rule_uid_range", sizeof(struct fib_rule_uid_range));
    P("sizeof fib_rule_port_range", sizeof(struct fib_rule_port_range));
    P("offsetof fib_rule_hdr.table", offsetof(struct fib_rule_hdr, table));
    P("offsetof fib_rule_hdr.action", offsetof(struct fib_rule_hdr, action));
    P("offsetof fib_rule_hdr.flags", offsetof(struct fib_rule_hdr, flags));
    P("offsetof rtmsg.rtm_table", offsetof(struct rtmsg, rtm_table));
    P("offsetof rtmsg.rtm_flags", offsetof(struct rtmsg, rtm_flags));
    C(NLMSG_NOOP); C(NLMSG_ERROR); C(NLMSG_DONE); C(NLMSG_OVERRUN); C(NLMSG_MIN_TYPE);
    C(NLM_F_REQUEST); C(NLM_F_MULTI); C(NLM_F_ACK); C(NLM_F_ECHO); C(NLM_F_DUMP_INTR);
    C(NLM_F_DUMP); C(NLM_F_REPLACE); C(NLM_F_EXCL); C(NLM_F_CREATE); C(NLM_F_APPEND);
    C(NLM_F_CAPPED); C(NLM_F_ACK_TLVS); C(NLA_F_NESTED); C(NLA_F_NET_BYTEORDER);
    C(NLMSGERR_ATTR_MSG); C(NLMSGERR_ATTR_OFFS);
    C(NETLINK_CAP_ACK); C(NETLINK_EXT_ACK); C(NETLINK_GET_STRICT_CHK); C(NETLINK_ADD_MEMBERSHIP);
    C(RTNLGRP_LINK); C(RTNLGRP_NEIGH); C(RTNLGRP_IPV4_IFADDR); C(RTNLGRP_IPV4_ROUTE);
    C(RTNLGRP_IPV6_IFADDR); C(RTNLGRP_IPV6_ROUTE); C(IFLA_EVENT);
    C(RTM_NEWLINK); C(RTM_DELLINK); C(RTM_GETLINK); C(RTM_NEWADDR); C(RTM_DELADDR);
    C(RTM_GETADDR); C(RTM_NEWROUTE); C(RTM_DELROUTE); C(RTM_GETROUTE);
    C(IFLA_ADDRESS); C(IFLA_IFNAME); C(IFLA_MTU); C(IFLA_LINK); C(IFLA_MASTER);
    C(IFLA_OPERSTATE); C(IFLA_LINKINFO); C(IFLA_NET_NS_FD); C(IFLA_NET_NS_PID);
    C(IFLA_EXT_MASK); C(IFLA_LINK_NETNSID); C(IFLA_ALT_IFNAME); C(IFLA_INFO_KIND);
    C(IFLA_INFO_DATA); C(VETH_INFO_PEER);
    C(IFA_ADDRESS); C(IFA_LOCAL); C(IFA_LABEL); C(IFA_BROADCAST); C(IFA_FLAGS);
    C(RTA_DST); C(RTA_OIF); C(RTA_GATEWAY); C(RTA_PRIORITY); C(RTA_PREFSRC); C(RTA_TABLE);
    C(RTM_NEWRULE); C(RTM_DELRULE); C(RTM_GETRULE);
    C(FRA_DST); C(FRA_SRC); C(FRA_IIFNAME); C(FRA_GOTO); C(FRA_PRIORITY); C(FRA_FWMARK);
    C(FRA_FLOW); C(FRA_TUN_ID); C(FRA_SUPPRESS_IFGROUP); C(FRA_SUPPRESS_PREFIXLEN);
    C(FRA_TABLE); C(FRA_FWMASK); C(FRA_OIFNAME); C(FRA_L3MDEV); C(FRA_UID_RANGE);
    C(FRA_PROTOCOL); C(FRA_IP_PROTO); C(FRA_SPORT_RANGE); C(FRA_DPORT_RANGE);
    C(FR_ACT_TO_TBL); C(FR_ACT_GOTO); C(FR_ACT_NOP); C(FR_ACT_BLACKHOLE);
    C(FR_ACT_UNREACHABLE); C(FR_ACT_PROHIBIT);
    C(FIB_RULE_PERMANENT); C(FIB_RULE_INVERT); C(FIB_RULE_UNRESOLVED);
    C(FIB_RULE_IIF_DETACHED); C(FIB_RULE_OIF_DETACHED);
    return 0;
}
"#;

fn kernel_values() -> HashMap<String, i64> {
    cprobe::values("uapi", "the uapi probe", PROGRAM)
}

#[test]
fn structs_and_constants_match_the_uapi_headers() {
    use memoffset::offset_of;
    use std::mem::size_of;
    let k = kernel_values();
    let ours: Vec<(&str, i64)> = vec![
        ("sizeof nlmsghdr", size_of::<NlMsgHdr>() as i64),
        ("sizeof nlmsgerr", size_of::<NlMsgErr>() as i64),
        ("sizeof nlattr", size_of::<NlAttr>() as i64),
        ("sizeof ifinfomsg", size_of::<IfInfoMsg>() as i64),
        ("sizeof ifaddrmsg", size_of::<IfAddrMsg>() as i64),
        ("sizeof rtmsg", size_of::<RtMsg>() as i64),
        ("sizeof tcmsg", size_of::<TcMsg>() as i64),
        (
            "offsetof tcmsg.tcm_ifindex",
            offset_of!(TcMsg, tcm_ifindex) as i64,
        ),
        (
            "offsetof tcmsg.tcm_info",
            offset_of!(TcMsg, tcm_info) as i64,
        ),
        ("sizeof fib_rule_hdr", size_of::<FibRuleHdr>() as i64),
        (
            "sizeof fib_rule_uid_range",
            size_of::<FibRuleUidRange>() as i64,
        ),
        (
            "sizeof fib_rule_port_range",
            size_of::<FibRulePortRange>() as i64,
        ),
        (
            "offsetof fib_rule_hdr.table",
            offset_of!(FibRuleHdr, table) as i64,
        ),
        (
            "offsetof fib_rule_hdr.action",
            offset_of!(FibRuleHdr, action) as i64,
        ),
        (
            "offsetof fib_rule_hdr.flags",
            offset_of!(FibRuleHdr, flags) as i64,
        ),
        (
            "offsetof ifinfomsg.ifi_index",
            offset_of!(IfInfoMsg, ifi_index) as i64,
        ),
        (
            "offsetof ifinfomsg.ifi_flags",
            offset_of!(IfInfoMsg, ifi_flags) as i64,
        ),
        (
            "offsetof ifinfomsg.ifi_change",
            offset_of!(IfInfoMsg, ifi_change) as i64,
        ),
        (
            "offsetof ifaddrmsg.ifa_index",
            offset_of!(IfAddrMsg, ifa_index) as i64,
        ),
        (
            "offsetof rtmsg.rtm_table",
            offset_of!(RtMsg, rtm_table) as i64,
        ),
        (
            "offsetof rtmsg.rtm_flags",
            offset_of!(RtMsg, rtm_flags) as i64,
        ),
        ("NLMSG_NOOP", NLMSG_NOOP.into()),
        ("NLMSG_ERROR", NLMSG_ERROR.into()),
        ("NLMSG_DONE", NLMSG_DONE.into()),
        ("NLMSG_OVERRUN", NLMSG_OVERRUN.into()),
        ("NLMSG_MIN_TYPE", NLMSG_MIN_TYPE.into()),
        ("NLM_F_REQUEST", NLM_F_REQUEST.into()),
        ("NLM_F_MULTI", NLM_F_MULTI.into()),
        ("NLM_F_ACK", NLM_F_ACK.into()),
        ("NLM_F_ECHO", NLM_F_ECHO.into()),
        ("NLM_F_DUMP_INTR", NLM_F_DUMP_INTR.into()),
        ("NLM_F_DUMP", NLM_F_DUMP.into()),
        ("NLM_F_REPLACE", NLM_F_REPLACE.into()),
        ("NLM_F_EXCL", NLM_F_EXCL.into()),
        ("NLM_F_CREATE", NLM_F_CREATE.into()),
        ("NLM_F_APPEND", NLM_F_APPEND.into()),
        ("NLM_F_CAPPED", NLM_F_CAPPED.into()),
        ("NLM_F_ACK_TLVS", NLM_F_ACK_TLVS.into()),
        ("NLA_F_NESTED", NLA_F_NESTED.into()),
        ("NLA_F_NET_BYTEORDER", NLA_F_NET_BYTEORDER.into()),
        ("NLMSGERR_ATTR_MSG", NLMSGERR_ATTR_MSG.into()),
        ("NLMSGERR_ATTR_OFFS", NLMSGERR_ATTR_OFFS.into()),
        ("NETLINK_CAP_ACK", NETLINK_CAP_ACK.into()),
        ("NETLINK_EXT_ACK", NETLINK_EXT_ACK.into()),
        ("NETLINK_GET_STRICT_CHK", NETLINK_GET_STRICT_CHK.into()),
        ("NETLINK_ADD_MEMBERSHIP", NETLINK_ADD_MEMBERSHIP.into()),
        ("RTNLGRP_LINK", RTNLGRP_LINK.into()),
        ("RTNLGRP_NEIGH", RTNLGRP_NEIGH.into()),
        ("RTNLGRP_IPV4_IFADDR", RTNLGRP_IPV4_IFADDR.into()),
        ("RTNLGRP_IPV4_ROUTE", RTNLGRP_IPV4_ROUTE.into()),
        ("RTNLGRP_IPV6_IFADDR", RTNLGRP_IPV6_IFADDR.into()),
        ("RTNLGRP_IPV6_ROUTE", RTNLGRP_IPV6_ROUTE.into()),
        ("IFLA_EVENT", rawnet::route::link::IFLA_EVENT.into()),
        ("RTM_NEWLINK", rawnet::route::RTM_NEWLINK.into()),
        ("RTM_DELLINK", rawnet::route::RTM_DELLINK.into()),
        ("RTM_GETLINK", rawnet::route::RTM_GETLINK.into()),
        ("RTM_NEWADDR", rawnet::route::RTM_NEWADDR.into()),
        ("RTM_DELADDR", rawnet::route::RTM_DELADDR.into()),
        ("RTM_GETADDR", rawnet::route::RTM_GETADDR.into()),
        ("RTM_NEWROUTE", rawnet::route::RTM_NEWROUTE.into()),
        ("RTM_DELROUTE", rawnet::route::RTM_DELROUTE.into()),
        ("RTM_GETROUTE", rawnet::route::RTM_GETROUTE.into()),
        ("IFLA_ADDRESS", rawnet::route::link::IFLA_ADDRESS.into()),
        ("IFLA_IFNAME", rawnet::route::link::IFLA_IFNAME.into()),
        ("IFLA_MTU", rawnet::route::link::IFLA_MTU.into()),
        ("IFLA_LINK", rawnet::route::link::IFLA_LINK.into()),
        ("IFLA_MASTER", rawnet::route::link::IFLA_MASTER.into()),
        ("IFLA_OPERSTATE", rawnet::route::link::IFLA_OPERSTATE.into()),
        ("IFLA_LINKINFO", rawnet::route::link::IFLA_LINKINFO.into()),
        ("IFLA_NET_NS_FD", rawnet::route::link::IFLA_NET_NS_FD.into()),
        (
            "IFLA_NET_NS_PID",
            rawnet::route::link::IFLA_NET_NS_PID.into(),
        ),
        ("IFLA_EXT_MASK", rawnet::route::link::IFLA_EXT_MASK.into()),
        (
            "IFLA_LINK_NETNSID",
            rawnet::route::link::IFLA_LINK_NETNSID.into(),
        ),
        (
            "IFLA_ALT_IFNAME",
            rawnet::route::link::IFLA_ALT_IFNAME.into(),
        ),
        ("IFLA_INFO_KIND", rawnet::route::link::IFLA_INFO_KIND.into()),
        ("IFLA_INFO_DATA", rawnet::route::link::IFLA_INFO_DATA.into()),
        ("VETH_INFO_PEER", rawnet::route::link::VETH_INFO_PEER.into()),
        ("IFA_ADDRESS", rawnet::route::addr::IFA_ADDRESS.into()),
        ("IFA_LOCAL", rawnet::route::addr::IFA_LOCAL.into()),
        ("IFA_LABEL", rawnet::route::addr::IFA_LABEL.into()),
        ("IFA_BROADCAST", rawnet::route::addr::IFA_BROADCAST.into()),
        ("IFA_FLAGS", rawnet::route::addr::IFA_FLAGS.into()),
        ("RTA_DST", rawnet::route::route::RTA_DST.into()),
        ("RTA_OIF", rawnet::route::route::RTA_OIF.into()),
        ("RTA_GATEWAY", rawnet::route::route::RTA_GATEWAY.into()),
        ("RTA_PRIORITY", rawnet::route::route::RTA_PRIORITY.into()),
        ("RTA_PREFSRC", rawnet::route::route::RTA_PREFSRC.into()),
        ("RTA_TABLE", rawnet::route::route::RTA_TABLE.into()),
        ("RTM_NEWRULE", i64::from(rawnet::route::rule::RTM_NEWRULE)),
        ("RTM_DELRULE", i64::from(rawnet::route::rule::RTM_DELRULE)),
        ("RTM_GETRULE", i64::from(rawnet::route::rule::RTM_GETRULE)),
        ("FRA_DST", i64::from(rawnet::route::rule::FRA_DST)),
        ("FRA_SRC", i64::from(rawnet::route::rule::FRA_SRC)),
        ("FRA_IIFNAME", i64::from(rawnet::route::rule::FRA_IIFNAME)),
        ("FRA_GOTO", i64::from(rawnet::route::rule::FRA_GOTO)),
        ("FRA_PRIORITY", i64::from(rawnet::route::rule::FRA_PRIORITY)),
        ("FRA_FWMARK", i64::from(rawnet::route::rule::FRA_FWMARK)),
        ("FRA_FLOW", i64::from(rawnet::route::rule::FRA_FLOW)),
        ("FRA_TUN_ID", i64::from(rawnet::route::rule::FRA_TUN_ID)),
        (
            "FRA_SUPPRESS_IFGROUP",
            i64::from(rawnet::route::rule::FRA_SUPPRESS_IFGROUP),
        ),
        (
            "FRA_SUPPRESS_PREFIXLEN",
            i64::from(rawnet::route::rule::FRA_SUPPRESS_PREFIXLEN),
        ),
        ("FRA_TABLE", i64::from(rawnet::route::rule::FRA_TABLE)),
        ("FRA_FWMASK", i64::from(rawnet::route::rule::FRA_FWMASK)),
        ("FRA_OIFNAME", i64::from(rawnet::route::rule::FRA_OIFNAME)),
        ("FRA_L3MDEV", i64::from(rawnet::route::rule::FRA_L3MDEV)),
        (
            "FRA_UID_RANGE",
            i64::from(rawnet::route::rule::FRA_UID_RANGE),
        ),
        ("FRA_PROTOCOL", i64::from(rawnet::route::rule::FRA_PROTOCOL)),
        ("FRA_IP_PROTO", i64::from(rawnet::route::rule::FRA_IP_PROTO)),
        (
            "FRA_SPORT_RANGE",
            i64::from(rawnet::route::rule::FRA_SPORT_RANGE),
        ),
        (
            "FRA_DPORT_RANGE",
            i64::from(rawnet::route::rule::FRA_DPORT_RANGE),
        ),
        (
            "FR_ACT_TO_TBL",
            i64::from(rawnet::route::rule::FR_ACT_TO_TBL),
        ),
        ("FR_ACT_GOTO", i64::from(rawnet::route::rule::FR_ACT_GOTO)),
        ("FR_ACT_NOP", i64::from(rawnet::route::rule::FR_ACT_NOP)),
        (
            "FR_ACT_BLACKHOLE",
            i64::from(rawnet::route::rule::FR_ACT_BLACKHOLE),
        ),
        (
            "FR_ACT_UNREACHABLE",
            i64::from(rawnet::route::rule::FR_ACT_UNREACHABLE),
        ),
        (
            "FR_ACT_PROHIBIT",
            i64::from(rawnet::route::rule::FR_ACT_PROHIBIT),
        ),
        (
            "FIB_RULE_PERMANENT",
            i64::from(rawnet::route::rule::FIB_RULE_PERMANENT),
        ),
        (
            "FIB_RULE_INVERT",
            i64::from(rawnet::route::rule::FIB_RULE_INVERT),
        ),
        (
            "FIB_RULE_UNRESOLVED",
            i64::from(rawnet::route::rule::FIB_RULE_UNRESOLVED),
        ),
        (
            "FIB_RULE_IIF_DETACHED",
            i64::from(rawnet::route::rule::FIB_RULE_IIF_DETACHED),
        ),
        (
            "FIB_RULE_OIF_DETACHED",
            i64::from(rawnet::route::rule::FIB_RULE_OIF_DETACHED),
        ),
    ];
    let mut mismatches = Vec::new();
    for (name, value) in &ours {
        match k.get(*name) {
            Some(kv) if kv == value => {}
            other => mismatches.push(format!("{name}: ours {value}, kernel {other:?}")),
        }
    }
    assert!(
        mismatches.is_empty(),
        "differences from the uapi headers:\n{}",
        mismatches.join("\n")
    );
    assert_eq!(ours.len(), k.len(), "every probed value is compared");
}
