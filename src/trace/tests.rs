//! The trace decoder against golden bytes captured from iproute2 and the
//! kernel (tests/golden), hand-built acks and errors, every truncation of
//! them, and random bytes. The names in the tables are checked against the
//! kernel's uapi headers in `uapi_tests.rs`.

use super::*;
use crate::netlink::header::*;
use crate::netlink::Messages;

/// Whitespace-separated hex bytes.
fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).expect("hex byte"))
        .collect()
}

/// The bytes of the first `# sendmsg on fd 3` block (the request itself, not
/// iproute2's name lookup on fd 4) after the `## COMMAND` line of
/// tests/golden/link/captures.txt.
fn link_capture(command: &str) -> Vec<u8> {
    let all = include_str!("../../tests/golden/link/captures.txt");
    let start = all
        .find(&format!("## {command}\n"))
        .expect("command captured");
    let block = &all[start..];
    let sendmsg = block.find("# sendmsg on fd 3").expect("sendmsg block");
    let mut bytes = Vec::new();
    for line in block[sendmsg..].lines().skip(1) {
        if line.is_empty() || line.starts_with('#') {
            break;
        }
        // "0010  00 00 ..." - an offset, then bytes.
        bytes.extend(hex(line.split_once("  ").map_or("", |(_, b)| b)));
    }
    bytes
}

fn sent(bytes: &[u8]) -> String {
    let mut out = String::new();
    describe(&mut out, Direction::Sent, NETLINK_ROUTE, bytes);
    out
}

fn received(bytes: &[u8]) -> String {
    let mut out = String::new();
    describe(&mut out, Direction::Received, NETLINK_ROUTE, bytes);
    out
}

/// A netlink message: header then payload, `nlmsg_len` filled in.
fn message(kind: u16, flags: u16, seq: u32, port: u32, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&((16 + payload.len()) as u32).to_ne_bytes());
    v.extend_from_slice(&kind.to_ne_bytes());
    v.extend_from_slice(&flags.to_ne_bytes());
    v.extend_from_slice(&seq.to_ne_bytes());
    v.extend_from_slice(&port.to_ne_bytes());
    v.extend_from_slice(payload);
    v
}

/// An attribute with its padding.
fn attr(kind: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&((4 + payload.len()) as u16).to_ne_bytes());
    v.extend_from_slice(&kind.to_ne_bytes());
    v.extend_from_slice(payload);
    v.resize(align(v.len()), 0);
    v
}

const RTM_NEWLINK_CREATE: u16 = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;

/// The header of a 92-byte `RTM_NEWLINK` create request, as the kernel echoes it.
fn echoed_newlink(seq: u32) -> Vec<u8> {
    let mut v = message(crate::route::RTM_NEWLINK, RTM_NEWLINK_CREATE, seq, 0, &[]);
    v[0..4].copy_from_slice(&92u32.to_ne_bytes());
    v
}

#[test]
fn veth_create_request() {
    let bytes = link_capture("ip link add veth0 type veth peer name veth1");
    assert_eq!(bytes.len(), 92);
    assert_eq!(
        sent(&bytes),
        "\
> RTM_NEWLINK len 92 flags REQUEST|ACK|CREATE|EXCL seq 0 port 0
    ifinfomsg family AF_UNSPEC type 0 index 0 flags 0 change 0
    IFLA_IFNAME \"veth0\"
    IFLA_LINKINFO
      IFLA_INFO_KIND \"veth\"
      IFLA_INFO_DATA
        VETH_INFO_PEER
          ifinfomsg family AF_UNSPEC type 0 index 0 flags 0 change 0
          IFLA_IFNAME \"veth1\"
"
    );
}

#[test]
fn route_add_request() {
    let bytes = hex(include_str!(
        "../../tests/golden/addr-route/route-add-full.hex"
    ));
    assert_eq!(
        sent(&bytes),
        "\
> RTM_NEWROUTE len 68 flags REQUEST|ACK|CREATE|EXCL seq 1795746639 port 0
    rtmsg family AF_INET dst_len 24 src_len 0 tos 0 table 100 protocol RTPROT_STATIC \
scope RT_SCOPE_UNIVERSE type RTN_UNICAST flags 0
    RTA_DST 10.0.4.0
    RTA_GATEWAY 10.0.1.1
    RTA_PRIORITY 5
    RTA_PREFSRC 10.0.1.100
    RTA_OIF 3
"
    );
}

#[test]
fn address_dump_answer() {
    let bytes = hex(include_str!(
        "../../tests/golden/addr-route/addr-dump-reply.hex"
    ));
    let text = received(&bytes);
    assert!(text.starts_with(
        "\
< RTM_NEWADDR len 80 flags MULTI|DUMP_FILTERED seq 1795746640 port 8968
    ifaddrmsg family AF_INET prefixlen 24 flags PERMANENT scope RT_SCOPE_UNIVERSE index 3
    IFA_ADDRESS 10.0.1.100
    IFA_LOCAL 10.0.1.100
    IFA_LABEL \"veth0\"
    IFA_FLAGS PERMANENT
    IFA_CACHEINFO prefered 4294967295 valid 4294967295 cstamp 40082 tstamp 40082
< RTM_NEWADDR len 72 flags MULTI|DUMP_FILTERED seq 1795746640 port 8968
    ifaddrmsg family AF_INET6 prefixlen 64 flags NODAD|PERMANENT scope RT_SCOPE_UNIVERSE index 3
    IFA_ADDRESS fd00::1
"
    ));
}

#[test]
fn ack() {
    let mut payload = 0i32.to_ne_bytes().to_vec();
    payload.extend(echoed_newlink(1_700_000_001));
    let bytes = message(NLMSG_ERROR, NLM_F_CAPPED, 1_700_000_001, 4242, &payload);
    assert_eq!(
        received(&bytes),
        "\
< NLMSG_ERROR len 36 flags CAPPED seq 1700000001 port 4242
    ack (error 0)
    request RTM_NEWLINK len 92 flags REQUEST|ACK|CREATE|EXCL seq 1700000001 port 0
"
    );
}

#[test]
fn error_with_echoed_request_and_extended_ack() {
    // The kernel's answer to iproute2 (no NETLINK_CAP_ACK: the request is echoed whole).
    let bytes = hex(include_str!(
        "../../tests/golden/addr-route/route-add-bad-gateway-reply.hex"
    ));
    assert_eq!(
        received(&bytes),
        "\
< NLMSG_ERROR len 96 flags ACK_TLVS seq 1795746639 port 8988
    error -101 ENETUNREACH (Network is unreachable)
    request RTM_NEWROUTE len 44 flags REQUEST|ACK|CREATE|EXCL seq 1795746639 port 0
      rtmsg family AF_INET dst_len 24 src_len 0 tos 0 table RT_TABLE_MAIN protocol RTPROT_BOOT \
scope RT_SCOPE_UNIVERSE type RTN_UNICAST flags 0
      RTA_DST 10.1.0.0
      RTA_GATEWAY 10.9.9.9
    NLMSGERR_ATTR_MSG \"Nexthop has invalid gateway\"
"
    );
}

#[test]
fn capped_error_with_every_extended_ack_attribute() {
    let mut payload = (-libc::EINVAL).to_ne_bytes().to_vec();
    payload.extend(echoed_newlink(7));
    payload.extend(attr(
        NLMSGERR_ATTR_MSG,
        b"Attribute failed policy validation\0",
    ));
    payload.extend(attr(NLMSGERR_ATTR_OFFS, &36u32.to_ne_bytes()));
    let mut policy = attr(1, &4u32.to_ne_bytes()); // NL_POLICY_TYPE_ATTR_TYPE: U32
    policy.extend(attr(4, &1u64.to_ne_bytes())); // MIN_VALUE_U
    policy.extend(attr(5, &9000u64.to_ne_bytes())); // MAX_VALUE_U
    let mut nested = attr(NLMSGERR_ATTR_POLICY, &policy);
    nested[2..4].copy_from_slice(&(NLMSGERR_ATTR_POLICY | NLA_F_NESTED).to_ne_bytes());
    payload.extend(nested);
    payload.extend(attr(NLMSGERR_ATTR_MISS_TYPE, &3u32.to_ne_bytes()));
    payload.extend(attr(NLMSGERR_ATTR_MISS_NEST, &32u32.to_ne_bytes()));
    payload.extend(attr(99, &[1, 2, 3]));
    let bytes = message(
        NLMSG_ERROR,
        NLM_F_CAPPED | NLM_F_ACK_TLVS,
        7,
        4242,
        &payload,
    );
    assert_eq!(
        received(&bytes),
        "\
< NLMSG_ERROR len 144 flags CAPPED|ACK_TLVS seq 7 port 4242
    error -22 EINVAL (Invalid argument)
    request RTM_NEWLINK len 92 flags REQUEST|ACK|CREATE|EXCL seq 7 port 0
    NLMSGERR_ATTR_MSG \"Attribute failed policy validation\"
    NLMSGERR_ATTR_OFFS 36
    NLMSGERR_ATTR_POLICY
      NL_POLICY_TYPE_ATTR_TYPE NL_ATTR_TYPE_U32
      NL_POLICY_TYPE_ATTR_MIN_VALUE_U 1
      NL_POLICY_TYPE_ATTR_MAX_VALUE_U 9000
    NLMSGERR_ATTR_MISS_TYPE 3
    NLMSGERR_ATTR_MISS_NEST 32
    attr 99 01 02 03
"
    );
}

#[test]
fn done_ends_a_dump() {
    let dump = include_bytes!("../../tests/golden/dumps/link-dump.bin");
    let text = received(dump);
    assert!(
        text.ends_with(
            "\
< NLMSG_DONE len 20 flags MULTI seq 1795746671 port 12191
    error 0
"
        ),
        "{}",
        &text[text.len().saturating_sub(300)..]
    );
    assert_eq!(text.matches("< RTM_NEWLINK").count(), 101);
    assert!(text.contains("\n    IFLA_IFNAME \"lo\"\n"));
}

#[test]
fn done_with_an_error_and_its_text() {
    let mut payload = (-libc::ENOENT).to_ne_bytes().to_vec();
    payload.extend(attr(NLMSGERR_ATTR_MSG, b"FIB table does not exist\0"));
    let bytes = message(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, 9, 1, &payload);
    assert_eq!(
        received(&bytes),
        "\
< NLMSG_DONE len 52 flags MULTI|ACK_TLVS seq 9 port 1
    error -2 ENOENT (No such file or directory)
    NLMSGERR_ATTR_MSG \"FIB table does not exist\"
"
    );
}

#[test]
fn a_batch_is_one_block_per_message() {
    let mut batch = link_capture("ip link set veth0 up");
    batch.extend(link_capture("ip link set veth0 down"));
    let text = sent(&batch);
    assert_eq!(
        text.matches("> RTM_NEWLINK len 32 flags REQUEST|ACK")
            .count(),
        2
    );
    assert!(text.contains("index 3 flags UP change UP\n"));
    assert!(text.contains("index 3 flags 0 change UP\n"));
}

#[test]
fn dump_requests_name_their_flags() {
    let bytes = hex(include_str!(
        "../../tests/golden/addr-route/route-dump-req.hex"
    ));
    let text = sent(&bytes);
    assert!(
        text.starts_with("> RTM_GETROUTE len 36 flags REQUEST|DUMP seq "),
        "{text}"
    );
    assert!(text.ends_with("    RTA_TABLE RT_TABLE_MAIN\n"), "{text}");
}

#[test]
fn kinds_and_bridge_ports_decode_without_complaint() {
    for file in [
        "bridge.bin",
        "bridge-options.bin",
        "vxlan-group.bin",
        "vxlan-v6.bin",
        "vxlan-remote.bin",
        "macvlan-source.bin",
        "ipvlan-l3-vepa.bin",
        "ipip-ttl-dev.bin",
        "gre-ttl-dev.bin",
        "vlan.bin",
        "reply-bridge.bin",
        "reply-bridge-port.bin",
        "reply-bridge-stp.bin",
        "reply-macvlan-source.bin",
        "reply-macvtap.bin",
        "reply-vxlan-v6.bin",
        "reply-vxlan-group.bin",
    ] {
        let path = format!("{}/tests/golden/kinds/{file}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let text = received(&bytes);
        for bad in ["malformed", "bad length", "short:"] {
            assert!(!text.contains(bad), "{file}: {bad}:\n{text}");
        }
    }
    let text = received(include_bytes!("../../tests/golden/kinds/vlan.bin"));
    assert!(text.contains("        IFLA_VLAN_ID 10\n"), "{text}");
    let text = received(include_bytes!(
        "../../tests/golden/kinds/reply-bridge-port.bin"
    ));
    assert!(text.contains("      IFLA_INFO_SLAVE_DATA\n        IFLA_BRPORT_STATE BR_STATE_"));
}

#[test]
fn captured_dumps_decode_without_complaint() {
    for bytes in [
        &include_bytes!("../../tests/golden/dumps/link-dump.bin")[..],
        &include_bytes!("../../tests/golden/dumps/route-dump.bin")[..],
    ] {
        let text = received(bytes);
        for bad in ["malformed", "bad length", "short:"] {
            assert!(!text.contains(bad), "{bad}");
        }
    }
}

#[test]
fn other_protocols_are_headers_and_hex() {
    let bytes = message(0x0a01, NLM_F_REQUEST | NLM_F_ACK, 5, 0, &[2, 0, 0, 0]);
    let mut out = String::new();
    describe(&mut out, Direction::Sent, NETLINK_NETFILTER, &bytes);
    assert_eq!(
        out,
        "\
> type 2561 len 20 flags REQUEST|ACK seq 5 port 0 (netlink protocol 12)
    02 00 00 00
"
    );
}

#[test]
fn unknown_attributes_are_numbers_and_hex_or_nests() {
    let mut payload = vec![0u8; 16]; // ifinfomsg
    payload.extend(attr(200, &[0xde, 0xad]));
    let mut nest = attr(201, &attr(1, &[7]));
    nest[2..4].copy_from_slice(&(201 | NLA_F_NESTED).to_ne_bytes());
    payload.extend(nest);
    let bytes = message(crate::route::RTM_NEWLINK, 0, 1, 2, &payload);
    assert_eq!(
        received(&bytes),
        "\
< RTM_NEWLINK len 52 flags 0 seq 1 port 2
    ifinfomsg family AF_UNSPEC type 0 index 0 flags 0 change 0
    attr 200 de ad
    attr 201 (nested)
      attr 1 07
"
    );
}

#[test]
fn malformed_lengths_are_said_and_end_their_level() {
    let mut payload = vec![0u8; 16];
    let mut linkinfo = attr(crate::route::link::IFLA_INFO_KIND, b"veth");
    linkinfo.extend([40, 0, 2, 0]); // IFLA_INFO_DATA claiming 40 bytes, 4 left
    payload.extend(attr(crate::route::link::IFLA_LINKINFO, &linkinfo));
    payload.extend(attr(crate::route::link::IFLA_MTU, &[1, 2])); // wrong size
    let bytes = message(crate::route::RTM_NEWLINK, 0, 1, 2, &payload);
    assert_eq!(
        received(&bytes),
        "\
< RTM_NEWLINK len 56 flags 0 seq 1 port 2
    ifinfomsg family AF_UNSPEC type 0 index 0 flags 0 change 0
    IFLA_LINKINFO
      IFLA_INFO_KIND \"veth\"
      malformed nlattr: length 40 does not fit the 4 bytes left
    IFLA_MTU (bad length 2, want 4) 01 02
"
    );
    let mut lying = bytes.clone();
    lying[0..4].copy_from_slice(&500u32.to_ne_bytes());
    assert!(received(&lying)
        .contains("    malformed nlmsghdr: length 500 does not fit the 56 bytes left\n"));
}

#[test]
fn deep_nesting_is_cut_off() {
    let mut inner = attr(300, &[1]);
    for _ in 0..2000 {
        inner = attr(300 | NLA_F_NESTED, &inner);
        if inner.len() > 60_000 {
            break;
        }
    }
    let mut payload = vec![0u8; 16];
    payload.extend(inner);
    let bytes = message(crate::route::RTM_NEWLINK, 0, 1, 2, &payload);
    assert!(received(&bytes).contains("(nested too deep)"));
}

/// Every golden message, cut at every length, with the header's length
/// left as it was (a lie) or set to the cut: text, never a panic.
#[test]
fn every_truncation_decodes_without_panic() {
    let mut goldens = vec![
        link_capture("ip link add veth0 type veth peer name veth1"),
        hex(include_str!(
            "../../tests/golden/addr-route/route-add-bad-gateway-reply.hex"
        )),
        hex(include_str!(
            "../../tests/golden/addr-route/addr-dump-reply.hex"
        )),
        hex(include_str!(
            "../../tests/golden/addr-route/route-add-full.hex"
        )),
        hex(include_str!("../../tests/golden/neigh/fdb-dump-reply.hex")),
        include_bytes!("../../tests/golden/kinds/reply-bridge-port.bin").to_vec(),
        include_bytes!("../../tests/golden/kinds/reply-vxlan-v6.bin").to_vec(),
    ];
    let dump = include_bytes!("../../tests/golden/dumps/route-dump.bin");
    goldens.extend(Messages::new(dump).take(3).map(|m| {
        let m = m.unwrap();
        message(m.message_type(), 0, 0, 0, m.payload())
    }));
    for bytes in goldens {
        let mut boundaries = vec![0];
        for m in Messages::new(&bytes) {
            let len = m.unwrap().header.nlmsg_len as usize;
            boundaries.push(boundaries.last().unwrap() + align(len));
        }
        for cut in 0..bytes.len() {
            let text = received(&bytes[..cut]);
            assert!(
                boundaries.contains(&cut) || text.contains("malformed"),
                "cut {cut}: {text}"
            );
            if cut >= 4 {
                let mut patched = bytes[..cut].to_vec();
                patched[0..4].copy_from_slice(&(cut as u32).to_ne_bytes());
                let _ = received(&patched);
            }
        }
    }
}

/// A small xorshift generator: the same bytes on every run.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn random_and_mutated_bytes_never_panic() {
    let mut rng = Random(0x2545_f491_4f6c_dd1d);
    for _ in 0..20_000 {
        let len = (rng.next() % 300) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let _ = received(&bytes);
    }
    let goldens = [
        link_capture("ip link add veth0 type veth peer name veth1"),
        hex(include_str!(
            "../../tests/golden/addr-route/route-add-bad-gateway-reply.hex"
        )),
        include_bytes!("../../tests/golden/kinds/reply-bridge.bin").to_vec(),
    ];
    for golden in &goldens {
        for _ in 0..5_000 {
            let mut bytes = golden.clone();
            for _ in 0..1 + rng.next() % 4 {
                let i = (rng.next() as usize) % bytes.len();
                bytes[i] = rng.next() as u8;
            }
            let _ = received(&bytes);
            let _ = sent(&bytes);
        }
    }
}

#[test]
fn family_headers_have_the_kernels_sizes() {
    use core::mem::size_of;
    let [ifinfomsg, ifaddrmsg, rtmsg, ndmsg] = rtnl::structs();
    assert_eq!(ifinfomsg.size(), size_of::<crate::route::link::IfInfoMsg>());
    assert_eq!(ifaddrmsg.size(), size_of::<crate::route::addr::IfAddrMsg>());
    assert_eq!(rtmsg.size(), size_of::<crate::route::route::RtMsg>());
    assert_eq!(ndmsg.size(), size_of::<crate::route::neigh::NdMsg>());
}

#[test]
fn tables_have_one_entry_per_number() {
    for table in uapi_tests::all_tables() {
        let mut numbers: Vec<u16> = table.attrs.iter().map(|a| a.number).collect();
        numbers.sort_unstable();
        let before = numbers.len();
        numbers.dedup();
        assert_eq!(
            before,
            numbers.len(),
            "{:?}",
            table.attrs.first().map(|a| a.name)
        );
    }
}

#[path = "uapi_tests.rs"]
mod uapi_tests;
