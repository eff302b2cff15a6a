set pagination off
set confirm off
set width 0
target remote @SOCKET@
show architecture
break compute
continue
print n
print counter
stepi
stepi
info registers eip
print $cs == 0xe019
print $esp == $sp
next
next
next
print sum
info threads
delete
continue
