# Where QEMU 7.2 (TCG) departs from the SDM; check-qemu applies this to
# exc32.expect before comparing.
#
# QEMU's TCG does not check segment limits on data accesses.
s/^\(es limit 0xfff, read at 0x1000: \)#GP err=0x0 ip=+0 cs=0x8/\1no trap/
