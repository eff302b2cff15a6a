# Grant tables and hypercall sub-operations on tests/guests/pv/gnt64.elf
# (in C: numbers are masked, gnt.mask).
break hypercall grant_table_op
continue
info hypercalls 1
delete
continue
info grants
info hypercalls 2
