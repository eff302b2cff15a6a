# Rules for freestanding guest kernels built on the runtime in tests/guests/rt.
# Included (once) by every rules.mk that builds kernels.
#
# $(call rt_guest_dir,DIR) adds pattern rules for DIR (relative to the
# source and build directories, make runs in the build directory):
#   DIR/NAME64.elf  64-bit kernel from $(SRCDIR)/DIR/NAME.c (or NAME.S)
#   DIR/NAME32.elf  32-bit kernel from the same source
# A 64-bit kernel is linked as x86-64 (NAME64.elf64, for debuggers) and
# converted to an ELF32 container (EM_386), the only kind multiboot loaders
# such as QEMU's take; its code starts in 32-bit mode anyway.

ifndef RT_MK_INCLUDED
RT_MK_INCLUDED := 1

RT_SRC := $(SRCDIR)/tests/guests/rt
RT_HDRS := $(wildcard $(RT_SRC)/*.h) $(wildcard config.mak)
RT_NAMES := entry trap cpu printf string io-bare
RT_OBJS64 := $(RT_NAMES:%=tests/guests/rt/%.64.o)
RT_OBJS32 := $(RT_NAMES:%=tests/guests/rt/%.32.o)

# Binutils that match GUEST_CC (x86_64-linux-gnu-gcc -> x86_64-linux-gnu-objcopy).
GUEST_TOOLPREFIX ?= $(patsubst %gcc,%,$(filter %-gcc,$(notdir $(firstword $(GUEST_CC)))))
GUEST_OBJCOPY ?= $(GUEST_TOOLPREFIX)objcopy

RT_CFLAGS = $(GUEST_CFLAGS) -I$(RT_SRC) -fcf-protection=none -fno-builtin \
            $(RT_NO_LOOP_CALLS)
RT_CFLAGS64 := -m64 -mcmodel=small
RT_CFLAGS32 := -m32 -march=i686
# Keep gcc from turning the runtime's own memset/memcpy loops into calls.
RT_NO_LOOP_CALLS := $(shell $(GUEST_CC) -fno-tree-loop-distribute-patterns \
                      -E -x c /dev/null >/dev/null 2>&1 && \
                      echo -fno-tree-loop-distribute-patterns)
RT_LDFLAGS = $(GUEST_LDFLAGS) -Wl,-T,$(RT_SRC)/link.ld -Wl,-z,max-page-size=4096

RT_LINK64 = $(GUEST_CC) -m64 $(RT_LDFLAGS) -o $@64 $(filter %.o,$^) && \
            $(GUEST_OBJCOPY) -O elf32-i386 $@64 $@
RT_LINK32 = $(GUEST_CC) -m32 $(RT_LDFLAGS) -o $@ $(filter %.o,$^)

rt_say = $(if $(filter 1,$(V)),,@printf '  %-7s %s\n' '$1' '$2';)

define rt_guest_dir
.PRECIOUS: $(1)/%.64.o $(1)/%.32.o
$(1)/%.64.o: $$(SRCDIR)/$(1)/%.c $$(RT_HDRS)
	@mkdir -p $$(@D)
	$$(call rt_say,GUESTCC,$$@)$$(GUEST_CC) $$(RT_CFLAGS) $$(RT_CFLAGS64) -c -o $$@ $$<
$(1)/%.64.o: $$(SRCDIR)/$(1)/%.S $$(RT_HDRS)
	@mkdir -p $$(@D)
	$$(call rt_say,GUESTAS,$$@)$$(GUEST_CC) $$(RT_CFLAGS) $$(RT_CFLAGS64) -c -o $$@ $$<
$(1)/%.32.o: $$(SRCDIR)/$(1)/%.c $$(RT_HDRS)
	@mkdir -p $$(@D)
	$$(call rt_say,GUESTCC,$$@)$$(GUEST_CC) $$(RT_CFLAGS) $$(RT_CFLAGS32) -c -o $$@ $$<
$(1)/%.32.o: $$(SRCDIR)/$(1)/%.S $$(RT_HDRS)
	@mkdir -p $$(@D)
	$$(call rt_say,GUESTAS,$$@)$$(GUEST_CC) $$(RT_CFLAGS) $$(RT_CFLAGS32) -c -o $$@ $$<
$(1)/%64.elf: $(1)/%.64.o $$(RT_OBJS64) $$(RT_SRC)/link.ld
	$$(call rt_say,GUESTLD,$$@)$$(RT_LINK64)
$(1)/%32.elf: $(1)/%.32.o $$(RT_OBJS32) $$(RT_SRC)/link.ld
	$$(call rt_say,GUESTLD,$$@)$$(RT_LINK32)
endef

$(eval $(call rt_guest_dir,tests/guests/rt))

CLEAN_EXTRA += tests/guests/rt/*.o

endif
