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

.PHONY: fuzz
fuzz: tests/fuzz/fuzz-kernel tests/fuzz/fuzz-xlcfg tests/fuzz/fuzz-xenstore

CLEAN_EXTRA += tests/fuzz/fuzz-kernel tests/fuzz/fuzz-xlcfg \
               tests/fuzz/fuzz-xenstore tests/fuzz/work
