# Where QEMU 7.2 (TCG, -cpu max) departs from simd64.expect; check-qemu
# applies this before comparing.
#
# Model differences, not bugs: QEMU's "max" CPU has AVX and AVX2 and more
# XCR0 components, and QEMU 7.2 has no XSAVEC (so the test skips it).
s/^\(leaf 1: .* osxsave=1 avx=\)0$/\11/
s/^leaf 7: avx2=0$/leaf 7: avx2=1/
s/^\(leaf 0xd.0: xcr0 bits=\)0x3 /\10x21f /
s/^\(leaf 0xd.1: xsaveopt=1 xsavec=\)1/\10/
/^pxor: no trap$/,/^xrstor xstate_bv outside xcomp_bv:/c\
xsavec not advertised
# EMMS is #UD with CR0.EM and #NM with CR0.TS; QEMU runs it.
/^-- CR0.EM=1$/,/^-- CR0.TS=1$/s/^emms: #UD .*/emms: no trap/
/^-- CR0.TS=1$/,/^-- CR4.OSXSAVE=0$/s/^emms: #NM .*/emms: no trap/
# XSAVE and XRSTOR are #NM with CR0.TS; QEMU runs them.
/^-- CR0.TS=1$/,/^-- CR4.OSXSAVE=0$/s/^\(xsave\|xrstor\): #NM .*/\1: no trap/
# LDMXCSR and XRSTOR #GP on reserved MXCSR bits; QEMU loads them.
s/^\(ldmxcsr reserved bit 16: \).*/\1no trap/
s/^\(mxcsr reserved bit: \).*/\1no trap/
# AMD clears TOP in EMMS too (measured on an AMD EPYC host; the SDM only
# says the tags become empty); QEMU keeps TOP.
s/^after emms: fsw=0x0 /after emms: fsw=0x2800 /
# An MMX instruction with an unmasked x87 exception pending is #MF; QEMU
# never checks.
/^-- pending x87 exception/,/^-- xsetbv/s/^\(paddb mm\|emms\|movq2dq\): #MF .*/\1: no trap/
# QEMU does not track XINUSE (allowed: a component may read as in use in
# its initial state), so XGETBV(1) and XSTATE_BV say "in use" and XSAVEOPT
# writes the initial state out.
s/^xinuse=0x0$/xinuse=0x3/
s/^\(  after init: xstate_bv=\)0x0 xcomp_bv=0x0 fcw=0xa5a5 mxcsr=0x1f80 xmm0=0xa5a5a5a5a5a5a5a5 xmm8=0xa5a5a5a5a5a5a5a5$/\10x3 xcomp_bv=0x0 fcw=0x37f mxcsr=0x1f80 xmm0=0x0 xmm8=0x0/
s/^\(  after init: xstate_bv=\)0x0 xcomp_bv=0x0 fcw=0x37f /\10x3 xcomp_bv=0x0 fcw=0x37f /
