; Every instruction form, written as the disassembler prints it: assembling
; this file and disassembling the result gives these lines back (comments and
; blank lines aside). Hand-written for rawnet's bpf assembler tests.
map counts type array key 4 value 8 entries 256
map flows type hash key 16 value 16 entries 1024 flags 1

r0 = 0
r1 = -1
r6 = r1
w1 = 7
w1 = w2
r1 += r2
r1 -= 4
r3 *= 3
r3 /= r4
r3 |= 1
r3 &= 255
r3 <<= 32
r3 >>= 32
r3 %= r5
r0 ^= r0
r2 s>>= 1
w1 += w2
w1 ^= -2
r4 = -r4
w4 = -w4
r0 = be16 r0
r1 = be32 r1
r1 = le64 r1
r2 = bswap32 r2
r1 s/= r2
r1 s%= 3
r1 = (s8)r2
w1 = (s16)w2
r2 = *(u32 *)(r1 +4)
r2 = *(u8 *)(r1 +0)
r3 = *(u64 *)(r10 -16)
r3 = *(s8 *)(r1 +2)
*(u64 *)(r10 -8) = r1
*(u32 *)(r10 -4) = 0
*(u16 *)(r10 -2) = -7
lock *(u64 *)(r0 +0) += r1
lock *(u32 *)(r0 +8) |= r1
r1 = atomic64_fetch_add((u64 *)(r0 +0), r1)
r3 = atomic_fetch_xor((u32 *)(r2 -4), r3)
r3 = atomic64_xchg((u64 *)(r2 +0), r3)
r0 = atomic64_cmpxchg((u64 *)(r2 +0), r0, r3)
r0 = *(u8 *)skb[23]
r0 = *(u16 *)skb[r6 + 4]
if r2 > r3 goto pc+5
if w1 == 0x2 goto pc-3
if r0 != 0xffffffff goto pc+0
if r1 & 0x4 goto pc+1
if r1 s>= r2 goto pc+1
if w1 s<= 0x0 goto pc+1
goto pc+1
goto pc-2
may_goto pc+3
call bpf_map_lookup_elem#1
call bpf_redirect_map#51
call unknown#9999
call pc+3
call kernel-function#77
r1 = 0x1234 ll
r2 = 0x100000002 ll
r1 = map counts
r2 = map_value counts +8
r3 = map flows
r1 = map[id:5]
r1 = map[id:5][0]+8
r1 = map[idx:2]
r1 = map[idx:2]+4
exit
