# PV test guests: Xen PV kernels on the runtime in tests/guests/pvrt (plus
# printf/string from tests/guests/rt), run on the PV machine by
# tests/guests/pv/run-all.  NAME64.elf / NAME32.elf are built from NAME.c
# (or NAME.S) for every NAME64.expect / NAME32.expect here that has no
# NAME64.cfg / NAME32.cfg.
ifndef PV_MK_INCLUDED
PV_MK_INCLUDED := 1
include $(SRCDIR)/tests/guests/rt/rt.mk

PVRT_SRC := $(SRCDIR)/tests/guests/pvrt
PVRT_NAMES := entry hypercall pvrt trap trap-entry
PVRT_OBJS64 := $(PVRT_NAMES:%=tests/guests/pvrt/%.64.o) \
               tests/guests/rt/printf.64.o tests/guests/rt/string.64.o
PVRT_OBJS32 := $(PVRT_NAMES:%=tests/guests/pvrt/%.32.o) \
               tests/guests/rt/printf.32.o tests/guests/rt/string.32.o
PVRT_HDRS := $(wildcard $(PVRT_SRC)/*.h)
# No red zone: Xen bounces events onto the interrupted kernel stack.
PV_CFLAGS = $(RT_CFLAGS) -I$(PVRT_SRC) -mno-red-zone
PV_LDFLAGS = $(GUEST_LDFLAGS) -Wl,-T,$(PVRT_SRC)/link.ld \
             -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

# NAME.cfg runs boot a config naming one of the others: nothing to build.
PV_CFG_RUNS := $(basename $(notdir $(wildcard $(SRCDIR)/tests/guests/pv/*.cfg)))
PV_GUESTS := $(filter-out $(PV_CFG_RUNS),$(basename $(notdir $(wildcard $(SRCDIR)/tests/guests/pv/*.expect))))
PV_GUEST_ELFS := $(PV_GUESTS:%=tests/guests/pv/%.elf)

define pv_objs
$(1)/%.64.o: $$(SRCDIR)/$(1)/%.c $$(RT_HDRS) $$(PVRT_HDRS)
	@mkdir -p $$(@D)
	$$(call rt_say,GUESTCC,$$@)$$(GUEST_CC) $$(PV_CFLAGS) $$(RT_CFLAGS64) -c -o $$@ $$<
$(1)/%.64.o: $$(SRCDIR)/$(1)/%.S $$(RT_HDRS) $$(PVRT_HDRS)
	@mkdir -p $$(@D)
	$$(call rt_say,GUESTAS,$$@)$$(GUEST_CC) $$(PV_CFLAGS) $$(RT_CFLAGS64) -c -o $$@ $$<
$(1)/%.32.o: $$(SRCDIR)/$(1)/%.c $$(RT_HDRS) $$(PVRT_HDRS)
	@mkdir -p $$(@D)
	$$(call rt_say,GUESTCC,$$@)$$(GUEST_CC) $$(PV_CFLAGS) $$(RT_CFLAGS32) -c -o $$@ $$<
$(1)/%.32.o: $$(SRCDIR)/$(1)/%.S $$(RT_HDRS) $$(PVRT_HDRS)
	@mkdir -p $$(@D)
	$$(call rt_say,GUESTAS,$$@)$$(GUEST_CC) $$(PV_CFLAGS) $$(RT_CFLAGS32) -c -o $$@ $$<
endef
$(eval $(call pv_objs,tests/guests/pvrt))
$(eval $(call pv_objs,tests/guests/pv))

.PRECIOUS: tests/guests/pv/%.64.o tests/guests/pv/%.32.o \
          tests/guests/pvrt/%.64.o tests/guests/pvrt/%.32.o
# Static pattern rules: tests/guests' own %64.elf rule must not match here.
$(filter %64.elf,$(PV_GUEST_ELFS)): tests/guests/pv/%64.elf: tests/guests/pv/%.64.o $(PVRT_OBJS64) $(PVRT_SRC)/link.ld
	$(call rt_say,GUESTLD,$@)$(GUEST_CC) -m64 $(PV_LDFLAGS) -o $@ $(filter %.o,$^)
$(filter %32.elf,$(PV_GUEST_ELFS)): tests/guests/pv/%32.elf: tests/guests/pv/%.32.o $(PVRT_OBJS32) $(PVRT_SRC)/link.ld
	$(call rt_say,GUESTLD,$@)$(GUEST_CC) -m32 $(PV_LDFLAGS) -o $@ $(filter %.o,$^)

ifneq ($(GUEST_CC),)
CHECK_EXTRA += $(PV_GUEST_ELFS)
endif
CLEAN_EXTRA += tests/guests/pv/*.o tests/guests/pv/*.elf tests/guests/pvrt/*.o
endif
