# Where QEMU 7.2 (TCG) departs from simdfp32.expect; check-qemu applies
# this before comparing.
#
# QEMU 7.2 sets the MXCSR flags but never delivers an unmasked SIMD
# floating-point exception (neither #XM nor, with CR4.OSXMMEXCPT=0, #UD):
# it writes the masked result and sets the flags a masked exception
# would (so PE beside OE for an exact overflow, OE and PE beside IE).
# (The misaligned ADDPS is #GP before any of that, on QEMU too.)
/^-- unmasked, CR4.OSXMMEXCPT=1$/,/^divss 1\/0, masked: /c\
-- unmasked, CR4.OSXMMEXCPT=1\
divss 1/0, ZE unmasked: no trap, flags ZE, xmm0=5555555555555555_555555557f800000\
sqrtss -1, IE unmasked: no trap, flags IE, xmm0=5555555555555555_55555555ffc00000\
mulsd max*max, OE unmasked: no trap, flags OE PE, xmm0=5555555555555555_7ff0000000000000\
mulsd 2^1023*2^1023, OE unmasked: no trap, flags OE PE, xmm0=5555555555555555_7ff0000000000000\
mulsd max*max, PE unmasked: no trap, flags OE PE, xmm0=5555555555555555_7ff0000000000000\
mulsd tiny, UE unmasked: no trap, flags UE PE, xmm0=5555555555555555_0008000000000001\
cvtsd2ss 1/3, PE unmasked: no trap, flags PE, xmm0=5555555555555555_555555553eaaaaab\
addps inf-inf|max+max, IE unmasked: no trap, flags IE OE PE, xmm0=5555555555555555_7f800000ffc00000\
addps inf-inf|max+max, OE unmasked: no trap, flags IE OE PE, xmm0=5555555555555555_7f800000ffc00000\
addps denormal+denormal, DE unmasked: no trap, flags none, xmm0=5555555555555555_5555555500000002\
addps denormal+denormal, UE unmasked: no trap, flags none, xmm0=5555555555555555_5555555500000002\
addps denormal+denormal, PE unmasked: no trap, flags none, xmm0=5555555555555555_5555555500000002\
addps inf-inf misaligned m128, IE unmasked: #GP ip=+0, flags none, xmm0 kept\
-- CR4.OSXMMEXCPT=0\
divss 1/0, ZE unmasked: no trap, flags ZE, xmm0=5555555555555555_555555557f800000\
cvtsd2ss 1/3, PE unmasked: no trap, flags PE, xmm0=5555555555555555_555555553eaaaaab\
divss 1/0, masked: no trap, flags ZE, xmm0=5555555555555555_555555557f800000
s/^divss 1\/0, ZE unmasked: #XM ip=+0$/divss 1\/0, ZE unmasked: no trap/
# An SSE instruction with CR0.EM=1 is #UD whatever CR0.TS says (SDM Vol. 3
# table "Action taken for combinations of OSFXSR, OSXMMEXCPT, SSE, EM, MP
# and TS"; AMD APM the same); QEMU tests TS first and raises #NM.
s/^divss, TS=1: #UD ip=+0$/divss, TS=1: #NM ip=+0/
# QEMU 7.2 never sets MXCSR.DE for a denormal SSE operand.
s/^\(addps denormal+denormal: no trap, flags\) DE,/\1 none,/
