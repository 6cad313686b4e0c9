// Socket filter: with r7 = 1 below, keep only IPv4 ICMP packets (the whole
// packet), drop the rest; with r7 = 0, keep everything.
// A packet socket's filter sees the packet from its network header when the
// socket is SOCK_DGRAM, from the ethernet header when SOCK_RAW; this one
// assumes an IPv4 socket or SOCK_DGRAM and reads the protocol with
// BPF_ABS, which takes offsets from the network header for those.
//   rawnet bpf prog load socket_filter.s type socket log
    r6 = r1                     ; the skb, for ld_abs
    r7 = 1                      ; 1: only ICMP, 0: everything
    if r7 == 0 goto keep
    r0 = *(u8 *)skb[9]          ; IPv4 protocol
    if r0 != 1 goto drop
keep:
    r0 = *(u32 *)(r6 +0)        ; __sk_buff.len: keep the whole packet
    exit
drop:
    r0 = 0
    exit
