//! Fuzz the ICMP side of ping: any bytes, read as what a raw IPv4 socket
//! receives (IP header first) and as an ICMP and an ICMPv6 message, must
//! classify or fail with a typed error, and the reply checks must judge them
//! without panicking: as a reply from the destination, from elsewhere, and as
//! our own request coming back with a queued error.
#![no_main]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use libfuzzer_sys::fuzz_target;
use rawnet::icmp::echo::payload_timestamp;
use rawnet::icmp::replies::ReplyCheck;
use rawnet::icmp::{parse_message, EchoPacket, Family, IcmpError, Ipv4Header, Message};

/// Judge `icmp` from `from` the ways the pinger can, with the destination and
/// identifier the message itself names (so the matching paths are reached).
fn judge(family: Family, from: IpAddr, icmp: &[u8]) {
    let destination = match parse_message(family, icmp) {
        Ok(Message::Error {
            error,
            original: Some(q),
        }) => {
            let _ = (
                error.to_string(),
                error.is_time_exceeded(),
                error.is_unreachable(),
            );
            q.destination
        }
        Ok(Message::Error { error, .. }) => {
            let _ = error.to_string();
            from
        }
        Ok(Message::EchoReply { payload, .. }) => {
            let _ = payload_timestamp(payload);
            from
        }
        _ => from,
    };
    let ident = EchoPacket::new_checked(icmp).ok().map(|p| {
        let _ = (
            p.msg_type(),
            p.code(),
            p.checksum_field(),
            p.payload(),
            p.len(),
        );
        let _ = p.verify_checksum();
        p.ident()
    });
    for (ident, verify) in [(ident, true), (None, false)] {
        let mut check = ReplyCheck::new(destination, ident, verify);
        for _ in 0..3 {
            check.sent();
        }
        let _ = check.judge(from, icmp, None);
        let _ = check.judge(from, icmp, None);
        let queued = IcmpError {
            family,
            msg_type: icmp.first().copied().unwrap_or(0),
            code: icmp.get(1).copied().unwrap_or(0),
            info: 0,
        };
        let _ = check.judge(from, icmp, Some(queued));
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok((ip, icmp)) = Ipv4Header::parse(data) {
        judge(Family::V4, IpAddr::V4(ip.source), icmp);
    }
    judge(Family::V4, IpAddr::V4(Ipv4Addr::new(10, 10, 2, 1)), data);
    judge(
        Family::V6,
        IpAddr::V6(Ipv6Addr::new(0xfd10, 2, 0, 0, 0, 0, 0, 1)),
        data,
    );
});
