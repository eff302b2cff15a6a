# The demo guests: roms/demo.c on the PV runtime (tests/guests/pvrt) ->
# roms/demo.elf (64-bit, what `xenemu` boots without arguments) and
# roms/demo32.elf (32-bit PAE); roms/demo-bare.c on the bare runtime ->
# roms/demo-bare.elf (a multiboot kernel running rings 0 and 3 itself).
include $(SRCDIR)/tests/guests/pv/rules.mk

$(eval $(call rt_guest_dir,roms))

roms/demo-bare.elf: roms/demo-bare.64.o $(RT_OBJS64) $(RT_SRC)/link.ld
	$(call rt_say,GUESTLD,$@)$(RT_LINK64)

roms/demo.pv64.o: $(SRCDIR)/roms/demo.c $(RT_HDRS) $(PVRT_HDRS)
	@mkdir -p $(@D)
	$(call rt_say,GUESTCC,$@)$(GUEST_CC) $(PV_CFLAGS) $(RT_CFLAGS64) -c -o $@ $<
roms/demo.pv32.o: $(SRCDIR)/roms/demo.c $(RT_HDRS) $(PVRT_HDRS)
	@mkdir -p $(@D)
	$(call rt_say,GUESTCC,$@)$(GUEST_CC) $(PV_CFLAGS) $(RT_CFLAGS32) -c -o $@ $<
roms/demo.elf: roms/demo.pv64.o $(PVRT_OBJS64) $(PVRT_SRC)/link.ld
	$(call rt_say,GUESTLD,$@)$(GUEST_CC) -m64 $(PV_LDFLAGS) -o $@ $(filter %.o,$^)
roms/demo32.elf: roms/demo.pv32.o $(PVRT_OBJS32) $(PVRT_SRC)/link.ld
	$(call rt_say,GUESTLD,$@)$(GUEST_CC) -m32 $(PV_LDFLAGS) -o $@ $(filter %.o,$^)

ifneq ($(GUEST_CC),)
ALL_EXTRA += roms/demo.elf roms/demo32.elf roms/demo-bare.elf
ROMS += roms/demo.elf roms/demo32.elf roms/demo-bare.elf
endif
CLEAN_EXTRA += roms/*.o roms/demo.elf roms/demo32.elf roms/demo-bare.elf roms/demo-bare.elf64
