# Where QEMU 7.2 (TCG) departs from the SDM; check-qemu applies this to
# exc64.expect before comparing.
#
# A stack-segment reference (base RSP/RBP) to a non-canonical address is
# #SS(0); QEMU raises #GP(0) for every non-canonical address.
s/^\(read via rbp, non-canonical: \)#SS/\1#GP/
# Long-mode IDT error codes (#GP/#NP for a gate) are vector * 8 + 2; QEMU
# 7.2 gives vector * 16 + 2 (fixed in later QEMU).
s/^\(int \$0x41, gate DPL 0: #GP err=\)0x20a/\10x412/
s/^\(int \$0x42, gate not present: #NP err=\)0x212/\10x422/
s/^\(int3: #GP err=\)0x1a/\10x32/
# A reserved-bit #PF sets P as well as RSVD (the entry was present); QEMU
# 7.x reports RSVD without P.
s/^\(#PF read, reserved bit: #PF err=\)0x9 /\10x8 /
s/^\(#PF write, NX bit with NXE=0: #PF err=\)0xb /\10xa /
