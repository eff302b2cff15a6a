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

# fpbench: the floating-point/SIMD workload (bench/fpwork.c), compiled
# for SSE4.2 without AVX; FPBENCH_ROUNDS=N changes its length.
FPBENCH_DEFS := $(if $(FPBENCH_ROUNDS),-DFPBENCH_ROUNDS=$(FPBENCH_ROUNDS))
FPWORK_CFLAGS := -msse4.2 -mno-avx -mfpmath=sse -fno-math-errno

bench/fpbench.64.o bench/fpwork.64.o: $(SRCDIR)/bench/fpwork.h bench/fpbench.defs
bench/fpbench.64.o: RT_CFLAGS += $(FPBENCH_DEFS)
bench/fpwork.64.o: RT_CFLAGS += $(FPWORK_CFLAGS)

.PHONY: bench-fpdefs-check
bench/fpbench.defs: bench-fpdefs-check
	@mkdir -p $(@D)
	@echo '$(FPBENCH_DEFS)' | cmp -s - $@ || echo '$(FPBENCH_DEFS)' >$@

bench/fpbench.elf: bench/fpbench.64.o bench/fpwork.64.o $(RT_OBJS64) \
                   $(RT_SRC)/link.ld
	$(call rt_say,GUESTLD,$@)$(RT_LINK64)

bench/fpbench-host: $(SRCDIR)/bench/fphost.c $(SRCDIR)/bench/fpwork.h \
                    bench/fpwork.64.o bench/fpbench.defs
	$(call rt_say,LINK,$@)$(CC) -O2 -no-pie $(FPBENCH_DEFS) -I$(SRCDIR)/bench \
	    -o $@ $(SRCDIR)/bench/fphost.c bench/fpwork.64.o

ifneq ($(GUEST_CC),)
BENCH_EXTRA += bench/intbench.elf bench/fpbench.elf
ALL_EXTRA += bench/intbench.elf bench/fpbench.elf
ifeq ($(HOST_ARCH),x86_64)
BENCH_EXTRA += bench/intbench-host bench/fpbench-host
endif
endif
CLEAN_EXTRA += bench/*.o bench/intbench.elf bench/intbench.elf64 \
               bench/intbench-host bench/intbench.icount bench/intbench.defs \
               bench/fpbench.elf bench/fpbench.elf64 bench/fpbench-host \
               bench/fpbench.icount bench/fpbench.defs
