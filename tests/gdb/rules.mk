# The gdbstub's test guests (tests/gdb/gdbguest.c, a PV kernel in C with
# debug information, unoptimised: 64-bit gdbguest.elf and 32-bit
# gdbguest32.elf) for tests/gdb/run-all.
include $(SRCDIR)/tests/guests/pv/rules.mk

tests/gdb/gdbguest.64.o: $(SRCDIR)/tests/gdb/gdbguest.c $(RT_HDRS) $(PVRT_HDRS)
	@mkdir -p $(@D)
	$(call rt_say,GUESTCC,$@)$(GUEST_CC) $(PV_CFLAGS) $(RT_CFLAGS64) -O0 -g -c -o $@ $<
tests/gdb/gdbguest.elf: tests/gdb/gdbguest.64.o $(PVRT_OBJS64) $(PVRT_SRC)/link.ld
	$(call rt_say,GUESTLD,$@)$(GUEST_CC) -m64 $(PV_LDFLAGS) -o $@ $(filter %.o,$^)

tests/gdb/gdbguest.32.o: $(SRCDIR)/tests/gdb/gdbguest.c $(RT_HDRS) $(PVRT_HDRS)
	@mkdir -p $(@D)
	$(call rt_say,GUESTCC,$@)$(GUEST_CC) $(PV_CFLAGS) $(RT_CFLAGS32) -O0 -g -c -o $@ $<
tests/gdb/gdbguest32.elf: tests/gdb/gdbguest.32.o $(PVRT_OBJS32) $(PVRT_SRC)/link.ld
	$(call rt_say,GUESTLD,$@)$(GUEST_CC) -m32 $(PV_LDFLAGS) -o $@ $(filter %.o,$^)

ifneq ($(GUEST_CC),)
CHECK_EXTRA += tests/gdb/gdbguest.elf tests/gdb/gdbguest32.elf
endif
CLEAN_EXTRA += tests/gdb/*.o tests/gdb/*.elf
