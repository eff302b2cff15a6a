# Where QEMU 7.2 (TCG) departs from the SDM; check-qemu applies this to
# debug64.expect before comparing.
#
# DR7.GD (general detect) makes a MOV from/to a debug register raise #DB
# (a fault, DR6.BD set, GD cleared on entry); QEMU 7.2 ignores GD.
s/^general detect: 1 event$/general detect: 0 events/
/^  ip=gd_at dr6=0xffff2ff0$/d
/^  dr7 in the handler: 0x400$/d
