# The demo guest: roms/demo.c on the guest runtime -> roms/demo.elf.
include $(SRCDIR)/tests/guests/rt/rt.mk

$(eval $(call rt_guest_dir,roms))

roms/demo.elf: roms/demo.64.o $(RT_OBJS64) $(RT_SRC)/link.ld
	$(call rt_say,GUESTLD,$@)$(RT_LINK64)

ifneq ($(GUEST_CC),)
ALL_EXTRA += roms/demo.elf
ROMS += roms/demo.elf
endif
CLEAN_EXTRA += roms/*.o roms/demo.elf roms/demo.elf64
