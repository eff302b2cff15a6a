# intbench: the CPU benchmark workload as a bare 64-bit kernel
# (bench/intbench.elf), plus on x86-64 hosts a native harness around the
# same workload object (bench/intbench-host) whose instructions bench/run
# counts with valgrind.  `make bench INTBENCH_ROUNDS=N` changes the length
# (the objects are rebuilt when N changes).
include $(SRCDIR)/tests/guests/rt/rt.mk

INTBENCH_DEFS := $(if $(INTBENCH_ROUNDS),-DINTBENCH_ROUNDS=$(INTBENCH_ROUNDS))

$(eval $(call rt_guest_dir,bench))
bench/intbench.64.o bench/workload.64.o: $(SRCDIR)/bench/workload.h \
                                         bench/intbench.defs
bench/intbench.64.o bench/workload.64.o: RT_CFLAGS += $(INTBENCH_DEFS)

# Rewritten only when INTBENCH_ROUNDS changes, so that the objects follow.
.PHONY: bench-defs-check
bench/intbench.defs: bench-defs-check
	@mkdir -p $(@D)
	@echo '$(INTBENCH_DEFS)' | cmp -s - $@ || echo '$(INTBENCH_DEFS)' >$@

bench/intbench.elf: bench/intbench.64.o bench/workload.64.o $(RT_OBJS64) \
                    $(RT_SRC)/link.ld
	$(call rt_say,GUESTLD,$@)$(RT_LINK64)

bench/intbench-host: $(SRCDIR)/bench/host.c $(SRCDIR)/bench/workload.h \
                     bench/workload.64.o bench/intbench.defs
	$(call rt_say,LINK,$@)$(CC) -O2 -no-pie $(INTBENCH_DEFS) -I$(SRCDIR)/bench \
	    -o $@ $(SRCDIR)/bench/host.c bench/workload.64.o

ifneq ($(GUEST_CC),)
BENCH_EXTRA += bench/intbench.elf
ALL_EXTRA += bench/intbench.elf
ifeq ($(HOST_ARCH),x86_64)
BENCH_EXTRA += bench/intbench-host
endif
endif
CLEAN_EXTRA += bench/*.o bench/intbench.elf bench/intbench.elf64 \
               bench/intbench-host bench/intbench.icount bench/intbench.defs
