# QEMU does not keep the last opcode: FNSTENV stores FOP 0.
s/fop=0x[0-9a-f]*/fop=0x0/
# QEMU writes the result and pops even when an unmasked zero-divide
# exception stops the instruction (FDIVP leaves TOP at 7, not 6).
s/fsw=0xb084/fsw=0xb884/
# QEMU raises #MF only from FWAIT, not from the other waiting x87
# instructions such as FLD1.
s/^fld1: #MF err=0x0 ip=+0 cs=0x8$/fld1: no trap/
# QEMU has no stack overflow: the ninth push sets no IE/SF and wraps TOP.
s/^environment: fsw=0x82c1 /environment: fsw=0x3800 /
