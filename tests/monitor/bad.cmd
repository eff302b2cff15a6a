# Bad input: each gives one error line and the session goes on.
frobnicate
s
info
info nosuch
info registers nosuch
x
x/4q 0x400000
x/0x 0x400000
x/2xg 0xffff800000000000
x/2xg 0x123456789
xp/2xg 0xffffffffff000
print
print 1 +
print (1
print 1 / 0
print nosuch_symbol
print $nosuch
print 0x10000000000000000
break
break nosuch_symbol
break hypercall nosuch
break exception #XX
break ring 7
break cr3 5
break -p
tbreak
delete 99
delete x
disable 7
enable -1
watch
watch/0 0x1000
watch/x 0x1000
stepi 0
stepi many
next 2000000
until nosuch
bt lots
vcpu 5
vcpu d9v9
symbols /no/such/file
symbols a b
trace
trace nosuch on
trace rings maybe
trace rings off file
trace rings on /no/such/dir/file
disas/x
disas nosuch
info pagetable
info pagetable 0x8000000000000000
info pagetable 0x123456789000
info rings 0
info hypercalls 999
continue now
quit now
help nosuch
help info nosuch
"unterminated
print 12345678901234567890123
info gdt sometimes
icount please
print 1 +      2
continue
