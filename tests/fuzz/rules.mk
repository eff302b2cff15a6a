# libFuzzer harnesses (make check-long runs them through tests/fuzz/run).
# They are built with clang's -fsanitize=fuzzer,address,undefined straight
# from the sources they test, so the fuzzer sees coverage of that code.

FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=all
FUZZ_KERNEL_SRCS := $(addprefix $(SRCDIR)/,tests/fuzz/fuzz-kernel.c \
                      xenplat/elf.c xenplat/kernel-info.c xenplat/unpack.c)
FUZZ_XLCFG_SRCS := $(addprefix $(SRCDIR)/,tests/fuzz/fuzz-xlcfg.c \
                     machine/xlcfg.c machine/file.c machine/log.c)
# The store without its ring transport (the only part that needs xenplat).
FUZZ_XENSTORE_SRCS := $(SRCDIR)/tests/fuzz/fuzz-xenstore.c $(SRCDIR)/machine/log.c \
                      $(filter-out %/ring.c,$(wildcard $(SRCDIR)/xenplat/xenstore/*.c))

tests/fuzz/fuzz-kernel: $(FUZZ_KERNEL_SRCS) $(wildcard $(SRCDIR)/xenplat/*.h) config.mak
	@mkdir -p $(@D)
	$(call say,FUZZCC,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) $(CPPFLAGS) -o $@ $(FUZZ_KERNEL_SRCS) $(LIBS)

tests/fuzz/fuzz-xlcfg: $(FUZZ_XLCFG_SRCS) $(SRCDIR)/machine/xlcfg.h config.mak
	@mkdir -p $(@D)
	$(call say,FUZZCC,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) $(CPPFLAGS) -o $@ $(FUZZ_XLCFG_SRCS) $(LIBS)

tests/fuzz/fuzz-xenstore: $(FUZZ_XENSTORE_SRCS) $(wildcard $(SRCDIR)/xenplat/xenstore/*.h) config.mak
	@mkdir -p $(@D)
	$(call say,FUZZCC,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) $(CPPFLAGS) -o $@ $(FUZZ_XENSTORE_SRCS) $(LIBS)

# The gdbstub: its packet layer and commands are instrumented, the rest
# of the emulator comes from libxenemu.a, or, when that is built with
# gcc's sanitizers (whose runtime clang's cannot stand in for), from all
# of its sources again.
FUZZ_GDB_SRCS := $(addprefix $(SRCDIR)/,tests/fuzz/fuzz-gdb.c tests/unit/cpu-harness.c \
                   monitor/gdb-packet.c monitor/gdbstub.c monitor/gdb-regs.c)
ifneq ($(findstring -fsanitize,$(CFLAGS)),)
FUZZ_GDB_LIB := $(filter-out $(FUZZ_GDB_SRCS),$(LIB_SRCS))
else
FUZZ_GDB_LIB := $(LIBXENEMU)
endif
tests/fuzz/fuzz-gdb: $(FUZZ_GDB_SRCS) $(FUZZ_GDB_LIB) $(wildcard $(SRCDIR)/monitor/*.h) config.mak
	@mkdir -p $(@D)
	$(call say,FUZZCC,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) $(CPPFLAGS) -I$(SRCDIR)/tests/unit \
	    -o $@ $(FUZZ_GDB_SRCS) $(FUZZ_GDB_LIB) $(LIBS)

# The same harness without libFuzzer, making its inputs from a seed
# (gdb-packets): the compiler and sanitizers of this build, run by
# tests/fuzz/run in make check-long whether or not there is libFuzzer.
tests/fuzz/gdb-packets.o: $(SRCDIR)/tests/fuzz/fuzz-gdb.c config.mak
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(CPPFLAGS) -I$(SRCDIR)/tests/unit -DGDB_FUZZ_MAIN $(CFLAGS) \
	    -MMD -MP -c -o $@ $<
tests/fuzz/gdb-packets: tests/fuzz/gdb-packets.o tests/unit/cpu-harness.o $(LIBXENEMU)
	$(call say,LINK,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)
CHECK_EXTRA += tests/fuzz/gdb-packets
-include tests/fuzz/gdb-packets.d

.PHONY: fuzz
fuzz: tests/fuzz/fuzz-kernel tests/fuzz/fuzz-xlcfg tests/fuzz/fuzz-xenstore \
      tests/fuzz/fuzz-gdb

CLEAN_EXTRA += tests/fuzz/fuzz-kernel tests/fuzz/fuzz-xlcfg \
               tests/fuzz/fuzz-xenstore tests/fuzz/fuzz-gdb \
               tests/fuzz/gdb-packets tests/fuzz/*.o tests/fuzz/*.d tests/fuzz/work
