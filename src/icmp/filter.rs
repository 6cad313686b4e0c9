//! Kernel-side filters for raw echo sockets: a classic BPF program and the ICMPv6 type filter.
//!
//! The BPF program passes echo replies carrying our identifier and the ICMP
//! error types ping reports; everything else (other pings' replies, our own
//! requests looped back, neighbour discovery) is dropped before it wakes us.
//! For IPv4 raw sockets the packet starts at the IP header, so the program
//! first loads the header length with `ldx 4*([0]&0xf)`; for IPv6 raw sockets
//! it starts at the ICMPv6 header. Pure values: nothing here touches a socket.

use crate::icmp::echo::{Family, IcmpError};

// Classic BPF shares its opcode constants with eBPF (linux/bpf_common.h).
use crate::bpf::insn::{
    BPF_ABS, BPF_B, BPF_H, BPF_IND, BPF_JEQ, BPF_JMP, BPF_K, BPF_LD, BPF_LDX, BPF_MSH, BPF_RET,
};

/// Snap length returned for accepted packets: all of it.
const ACCEPT: u32 = u32::MAX;

fn stmt(code: u8, k: u32) -> libc::sock_filter {
    libc::sock_filter {
        code: u16::from(code),
        jt: 0,
        jf: 0,
        k,
    }
}

fn jeq(k: u32, jt: u8, jf: u8) -> libc::sock_filter {
    libc::sock_filter {
        code: u16::from(BPF_JMP | BPF_JEQ | BPF_K),
        jt,
        jf,
        k,
    }
}

/// Error types passed to user space for `family`, in program order.
fn error_types(family: Family) -> Vec<u8> {
    (0..=255u8)
        .filter(|&t| IcmpError::is_error_type(family, t))
        .collect()
}

/// The BPF program for a raw echo socket of `family` using identifier `ident`.
pub fn echo_program(family: Family, ident: u16) -> Vec<libc::sock_filter> {
    let (mode, mut prog) = match family {
        // X = IP header length; loads below are relative to X.
        Family::V4 => (BPF_IND, vec![stmt(BPF_LDX | BPF_B | BPF_MSH, 0)]),
        Family::V6 => (BPF_ABS, Vec::new()),
    };
    let errors = error_types(family);
    let n = errors.len();
    // Layout after the optional ldx:
    //   ldb type; jeq reply ? next : errors; ldh ident; jeq ident ? accept : reject;
    //   jeq err1 ? accept : next; ...; jeq errN ? accept : reject; accept; reject.
    prog.push(stmt(BPF_LD | BPF_B | mode, 0));
    prog.push(jeq(u32::from(family.echo_reply()), 0, 2));
    prog.push(stmt(BPF_LD | BPF_H | mode, 4));
    prog.push(jeq(u32::from(ident), n as u8, n as u8 + 1));
    for (i, t) in errors.iter().enumerate() {
        let to_accept = (n - 1 - i) as u8;
        let jf = if i + 1 == n { 1 } else { 0 };
        prog.push(jeq(u32::from(*t), to_accept, jf));
    }
    prog.push(stmt(BPF_RET | BPF_K, ACCEPT));
    prog.push(stmt(BPF_RET | BPF_K, 0));
    prog
}

/// `struct icmp6_filter` (eight 32-bit words; a set bit blocks that type)
/// passing echo replies and the error types, as bytes for `setsockopt`.
pub fn icmp6_type_filter() -> [u8; 32] {
    let mut words = [u32::MAX; 8];
    let mut pass = error_types(Family::V6);
    pass.push(Family::V6.echo_reply());
    for t in pass {
        if let Some(w) = words.get_mut(usize::from(t >> 5)) {
            *w &= !(1u32 << (t & 31));
        }
    }
    let mut out = [0u8; 32];
    for (chunk, w) in out.chunks_exact_mut(4).zip(words) {
        chunk.copy_from_slice(&w.to_ne_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A classic-BPF interpreter for the instructions used above; `None` on
    /// an out-of-bounds load (the kernel then returns 0, drop).
    fn run(prog: &[libc::sock_filter], pkt: &[u8]) -> u32 {
        let (mut a, mut x, mut pc) = (0u32, 0u32, 0usize);
        let load = |off: usize, size: usize| -> Option<u32> {
            let b = pkt.get(off..off + size)?;
            Some(b.iter().fold(0u32, |acc, &v| (acc << 8) | u32::from(v)))
        };
        while let Some(i) = prog.get(pc) {
            pc += 1;
            match i.code as u8 {
                c if c == BPF_LDX | BPF_B | BPF_MSH => match pkt.get(i.k as usize) {
                    Some(b) => x = 4 * u32::from(b & 0xf),
                    None => return 0,
                },
                c if c & 0x07 == BPF_LD => {
                    let size = if c & BPF_H != 0 { 2 } else { 1 };
                    let off = i.k as usize + if c & BPF_IND != 0 { x as usize } else { 0 };
                    match load(off, size) {
                        Some(v) => a = v,
                        None => return 0,
                    }
                }
                c if c == BPF_JMP | BPF_JEQ | BPF_K => {
                    pc += usize::from(if a == i.k { i.jt } else { i.jf });
                }
                c if c == BPF_RET | BPF_K => return i.k,
                c => panic!("unexpected opcode {c:#x}"),
            }
        }
        panic!("fell off the end")
    }

    fn ip(ihl: u8) -> Vec<u8> {
        let mut h = vec![0u8; usize::from(ihl) * 4];
        h[0] = 0x40 | ihl;
        h
    }

    #[test]
    fn v4_program() {
        let prog = echo_program(Family::V4, 0xbeef);
        for ihl in [5u8, 6] {
            let mut ours = ip(ihl);
            ours.extend_from_slice(&[0, 0, 0, 0, 0xbe, 0xef, 0, 1]);
            assert_eq!(run(&prog, &ours), ACCEPT);
            let mut other = ours.clone();
            let at = usize::from(ihl) * 4 + 5;
            other[at] = 0xee;
            assert_eq!(run(&prog, &other), 0, "someone else's reply");
            let mut request = ours.clone();
            request[usize::from(ihl) * 4] = 8;
            assert_eq!(run(&prog, &request), 0, "our own request");
            for t in [3u8, 11, 12] {
                let mut err = ours.clone();
                err[usize::from(ihl) * 4] = t;
                assert_eq!(run(&prog, &err), ACCEPT, "error type {t}");
            }
            assert_eq!(
                run(&prog, &ours[..usize::from(ihl) * 4 + 2]),
                0,
                "truncated"
            );
        }
    }

    #[test]
    fn v6_program() {
        let prog = echo_program(Family::V6, 7);
        assert_eq!(run(&prog, &[129, 0, 0, 0, 0, 7, 0, 1]), ACCEPT);
        assert_eq!(run(&prog, &[129, 0, 0, 0, 0, 8, 0, 1]), 0);
        assert_eq!(run(&prog, &[128, 0, 0, 0, 0, 7, 0, 1]), 0);
        assert_eq!(run(&prog, &[135, 0, 0, 0, 0, 7, 0, 1]), 0);
        for t in 1..=4u8 {
            assert_eq!(run(&prog, &[t, 0, 0, 0, 0, 0, 0, 0]), ACCEPT, "type {t}");
        }
    }

    #[test]
    fn icmp6_filter_bits() {
        let f = icmp6_type_filter();
        let word = |i: usize| u32::from_ne_bytes(f[i * 4..i * 4 + 4].try_into().expect("4 bytes"));
        assert_eq!(word(0), !0b11110, "types 1-4 pass, 0 blocked");
        assert_eq!(word(4), !(1 << 1), "129 passes, 128 blocked");
        assert_eq!(word(7), u32::MAX);
    }
}
