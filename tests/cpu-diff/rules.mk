# cpu-diff: differential test of the CPU against the host CPU.  It runs
# instructions natively, so it is built only when the host is x86-64.
ifeq ($(HOST_ARCH),x86_64)
CPU_DIFF_SRCS := $(sort $(wildcard $(SRCDIR)/tests/cpu-diff/*.c))
CPU_DIFF_OBJS := $(patsubst $(SRCDIR)/%.c,%.o,$(CPU_DIFF_SRCS)) \
                 tests/cpu-diff/native-x86_64.o
HOST_C_DIRS += tests/cpu-diff

tests/cpu-diff/native-x86_64.o: $(SRCDIR)/tests/cpu-diff/native-x86_64.S config.mak
	@mkdir -p $(@D)
	$(call say,AS,$@)$(CC) $(CPPFLAGS) $(filter-out -std=%,$(CFLAGS)) -c -o $@ $<

tests/cpu-diff/cpu-diff: $(CPU_DIFF_OBJS) $(LIBXENEMU)
	$(call say,LINK,$@)$(CC) $(LDFLAGS) -o $@ $(CPU_DIFF_OBJS) $(LIBXENEMU) $(LIBS)

CHECK_EXTRA += tests/cpu-diff/cpu-diff
-include $(CPU_DIFF_OBJS:.o=.d)
endif
CLEAN_EXTRA += tests/cpu-diff/*.o tests/cpu-diff/*.d tests/cpu-diff/cpu-diff
