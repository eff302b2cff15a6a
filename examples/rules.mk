# The worked examples (examples/README.md): Xen PV guests on the test
# runtime (tests/guests/pvrt), built into examples/ of the build tree with
# their configs beside them, and run by examples/run-all (make check).
include $(SRCDIR)/tests/guests/pv/rules.mk

EXAMPLE_ELFS := examples/ring/front.elf examples/ring/back.elf \
                examples/ipi/ipi.elf
EXAMPLE_CFGS := examples/ring/front.cfg examples/ring/back.cfg \
                examples/ipi/ipi.cfg
EXAMPLE_CFLAGS = -I$(SRCDIR)/examples -I$(SRCDIR)/examples/ring

define example_objs
$(1)/%.64.o: $$(SRCDIR)/$(1)/%.c $$(wildcard $$(SRCDIR)/examples/*.h $$(SRCDIR)/$(1)/*.h) $$(RT_HDRS) $$(PVRT_HDRS)
	@mkdir -p $$(@D)
	$$(call rt_say,GUESTCC,$$@)$$(GUEST_CC) $$(PV_CFLAGS) $$(EXAMPLE_CFLAGS) $$(RT_CFLAGS64) -c -o $$@ $$<
endef
$(eval $(call example_objs,examples/ring))
$(eval $(call example_objs,examples/ipi))
.PRECIOUS: examples/ring/%.64.o examples/ipi/%.64.o

$(EXAMPLE_ELFS): examples/%.elf: examples/%.64.o $(PVRT_OBJS64) $(PVRT_SRC)/link.ld
	$(call rt_say,GUESTLD,$@)$(GUEST_CC) -m64 $(PV_LDFLAGS) -o $@ $(filter %.o,$^)

# Out of tree, the configs go next to the kernels they name.
ifneq ($(abspath $(SRCDIR)),$(abspath .))
$(EXAMPLE_CFGS): examples/%.cfg: $(SRCDIR)/examples/%.cfg
	@mkdir -p $(@D)
	cp $< $@
endif

ifneq ($(GUEST_CC),)
CHECK_EXTRA += $(EXAMPLE_ELFS) $(EXAMPLE_CFGS)
endif
CLEAN_EXTRA += examples/*/*.o examples/*/*.elf
