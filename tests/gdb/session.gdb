set pagination off
set confirm off
set width 0
target remote @SOCKET@
break compute
continue
print counter
print n
next
next
next
print sum
stepi
info registers rip
info threads
print $cs
print/x $efer
watch counter
continue
print counter
delete
continue
