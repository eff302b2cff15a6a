# The monitor's test guest (tests/monitor/monguest.S, a 64-bit PV kernel in
# assembly, linked like the PV test guests) and the step that runs the
# monitor scripts (tests/monitor/run-all, from tests/check).
include $(SRCDIR)/tests/guests/pv/rules.mk

tests/monitor/monguest.64.o: $(SRCDIR)/tests/monitor/monguest.S $(PVRT_HDRS)
	@mkdir -p $(@D)
	$(call rt_say,GUESTAS,$@)$(GUEST_CC) $(PV_CFLAGS) $(RT_CFLAGS64) -c -o $@ $<
tests/monitor/monguest.elf: tests/monitor/monguest.64.o $(PVRT_SRC)/link.ld
	$(call rt_say,GUESTLD,$@)$(GUEST_CC) -m64 $(PV_LDFLAGS) -o $@ $<

ifneq ($(GUEST_CC),)
CHECK_EXTRA += tests/monitor/monguest.elf
endif
CLEAN_EXTRA += tests/monitor/*.o tests/monitor/*.elf
