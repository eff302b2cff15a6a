# Every command has help; topics of info too.
help
help info
help break
help x
help info registers
help c
