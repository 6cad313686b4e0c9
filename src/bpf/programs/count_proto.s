// XDP: count IPv4 packets per IP protocol in an array map keyed by the
// protocol number (value: u64 packets); every packet passes (XDP_PASS).
//   rawnet bpf prog load count_proto.s type xdp pin /sys/fs/bpf/count_proto
map counts type array key 4 value 8 entries 256

    r2 = *(u32 *)(r1 +4)        ; data_end
    r1 = *(u32 *)(r1 +0)        ; data
    r3 = r1
    r3 += 34                    ; ethernet (14) + IPv4 header (20)
    if r3 > r2 goto pass        ; too short: pass uncounted
    r3 = *(u16 *)(r1 +12)       ; ethertype, network order
    if r3 != 0x8 goto pass      ; 0x0800 (IPv4) read little-endian
    r1 = *(u8 *)(r1 +23)        ; IPv4 protocol
    *(u32 *)(r10 -4) = r1
    r2 = r10
    r2 += -4
    r1 = map counts
    call bpf_map_lookup_elem
    if r0 == 0 goto pass
    r1 = 1
    lock *(u64 *)(r0 +0) += r1
pass:
    r0 = 2                      ; XDP_PASS
    exit
