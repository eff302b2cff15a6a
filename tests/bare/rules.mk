# Bare-machine system tests: tests/bare/NAME.c -> tests/bare/NAMEBITS.elf,
# compared with tests/bare/NAMEBITS.expect by run-all (xenemu) and
# check-qemu (QEMU).
include $(SRCDIR)/tests/guests/rt/rt.mk

BARE_TESTS := $(basename $(notdir $(wildcard $(SRCDIR)/tests/bare/*.expect)))
BARE_ELFS := $(BARE_TESTS:%=tests/bare/%.elf)

$(eval $(call rt_guest_dir,tests/bare))
$(patsubst %64,tests/bare/%.64.o,$(filter %64,$(BARE_TESTS))) \
$(patsubst %32,tests/bare/%.32.o,$(filter %32,$(BARE_TESTS))): \
    $(SRCDIR)/tests/bare/bare.h

ifneq ($(GUEST_CC),)
CHECK_EXTRA += $(BARE_ELFS)
endif
CLEAN_EXTRA += tests/bare/*.o tests/bare/*.elf tests/bare/*.elf64
