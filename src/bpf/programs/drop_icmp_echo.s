// tc (sched_cls, direct-action): drop IPv4 ICMP echo requests, counting
// the drops in an array map (key 0, value u64); everything else passes.
//   rawnet bpf prog load drop_icmp_echo.s type tc pin /sys/fs/bpf/drop_echo
map drops type array key 4 value 8 entries 1

    r2 = *(u32 *)(r1 +80)       ; __sk_buff.data_end
    r1 = *(u32 *)(r1 +76)       ; __sk_buff.data
    r3 = r1
    r3 += 35                    ; ethernet (14) + IPv4 (20) + ICMP type (1)
    if r3 > r2 goto ok
    r3 = *(u16 *)(r1 +12)       ; ethertype, network order
    if r3 != 0x8 goto ok        ; not IPv4
    r3 = *(u8 *)(r1 +14)        ; version and header length
    if r3 != 0x45 goto ok       ; options present: not looked at
    r3 = *(u8 *)(r1 +23)        ; protocol
    if r3 != 1 goto ok          ; not ICMP
    r3 = *(u8 *)(r1 +34)        ; ICMP type
    if r3 != 8 goto ok          ; not an echo request
    r1 = 0
    *(u32 *)(r10 -4) = r1
    r2 = r10
    r2 += -4
    r1 = map drops
    call bpf_map_lookup_elem
    if r0 == 0 goto shot
    r1 = 1
    lock *(u64 *)(r0 +0) += r1
shot:
    r0 = 2                      ; TC_ACT_SHOT
    exit
ok:
    r0 = 0                      ; TC_ACT_OK
    exit
