# A bounded loop with labels in both directions and 32-bit compares.
# Hand-written for rawnet's bpf assembler tests and the bpf_asm fuzz seeds.
    w0 = 0
    w1 = 10
loop:
    w0 += w1
    w1 -= 1
    if w1 != 0 goto loop
    if w0 s> 100 goto big
    goto done
big: r0 = 100
done:
    exit
