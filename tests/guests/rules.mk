# Test guests: small kernels on the runtime in rt/, run by tests/guests/run-all.
# A guest NAME64/NAME32 is built from NAME.c for every NAME64.expect and
# NAME32.expect here.
include $(SRCDIR)/tests/guests/rt/rt.mk

GUESTS := $(basename $(notdir $(wildcard $(SRCDIR)/tests/guests/*.expect)))
GUEST_ELFS := $(GUESTS:%=tests/guests/%.elf)

$(eval $(call rt_guest_dir,tests/guests))

ifneq ($(GUEST_CC),)
CHECK_EXTRA += $(GUEST_ELFS)
endif
CLEAN_EXTRA += tests/guests/*.o tests/guests/*.elf tests/guests/*.elf64
include $(SRCDIR)/tests/guests/pv/rules.mk
