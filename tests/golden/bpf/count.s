// Count packets per protocol byte in an array map, pass them all (XDP).
// Hand-written for rawnet's bpf assembler tests and the bpf_asm fuzz seeds.
map counts type array key 4 value 8 entries 256

    r2 = *(u32 *)(r1 +4)        # data_end
    r1 = *(u32 *)(r1 +0)        # data
    r3 = r1
    r3 += 24
    if r3 > r2 goto pass        ; too short for ethernet + 10 bytes
    r1 = *(u8 *)(r1 +23)        ; IPv4 protocol (no check of the ethertype)
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
