# Catchpoints: a hypercall, exceptions (one bounced to the guest, one Xen
# handles), with the ring and hypercall traces on standard error; ring
# changes, CR3 loads and events this guest does not make stay at 0 hits.
trace rings on
trace hypercalls on
break hypercall xenoprof_op
tbreak hypercall multicall
break exception #UD
break exception 13
break ring
break cr3
break evtchn
info breakpoints
continue
info registers
continue
x/3xg $rsp
continue
print $rax
continue
continue
disable 1
enable 1
info breakpoints
trace all off
continue
