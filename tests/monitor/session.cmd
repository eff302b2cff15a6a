# A debugging session on the assembly test guest: symbols, breakpoints,
# a watchpoint, backtrace, registers and memory in every format, stepping,
# the bounce frame of an exception, and what the monitor records.
symbols
info symbols level
print main
print level2 - main
break level2
tbreak sum_loop
info breakpoints
continue
info registers
watch counter
continue
x/gd counter
delete 3
continue
bt
bt 2
x/gx $rsp
x/2a $rsp
x/s hello
x/26c hello
x/3xb hello
x/2xh hello
x/xw hello
x/2ub hello
x/2dh hello
x/o counter
x/t counter
x/4i $pc
disas/3 sum
next
stepi 2
next
info registers
delete
break ud_handler
continue
x/7xg $rsp
info registers control
info registers segments
info registers msr
info registers fpu
info registers sse
info tss
info ldt
info gdt
info tlb
info symbols $pc
info symbols 0x402085
delete
until after_cr0
print $rax
stepi
until
info rings
info hypercalls
info evtchn
info sched
info time
info trace
icount
vcpu
vcpu 0
vcpu d1v0
info vcpus
info domains
info grants
continue
info hypercalls 3
