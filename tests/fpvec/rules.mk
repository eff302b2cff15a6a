# fpvec-gen: floating-point test vectors from the host's x87 and SSE units
# (inline asm: built only on x86-64 hosts).  `make fpvec-check` compares
# random cases of every operation with cpu/softfloat; `make fpvec-update`
# regenerates the committed vectors of tests/unit/test-softfloat.c.
ifeq ($(HOST_ARCH),x86_64)
FPVEC_OBJS := tests/fpvec/gen.o tests/fpvec/fpvec.o

tests/fpvec/gen.o: $(SRCDIR)/tests/fpvec/gen.c $(SRCDIR)/tests/unit/fpvec.h
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

tests/fpvec/fpvec.o: $(SRCDIR)/tests/unit/fpvec.c $(SRCDIR)/tests/unit/fpvec.h $(SRCDIR)/cpu/softfloat.h
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

tests/fpvec/fpvec-gen: $(FPVEC_OBJS) $(LIBXENEMU)
	$(call say,LINK,$@)$(CC) $(LDFLAGS) -o $@ $(FPVEC_OBJS) $(LIBXENEMU) $(LIBS)

.PHONY: fpvec-check fpvec-update
fpvec-check: tests/fpvec/fpvec-gen
	tests/fpvec/fpvec-gen --count 20000

fpvec-update: tests/fpvec/fpvec-gen
	tests/fpvec/fpvec-gen --emit $(SRCDIR)/tests/unit/softfloat-vectors.inc

CHECK_EXTRA += tests/fpvec/fpvec-gen
endif
CLEAN_EXTRA += tests/fpvec/*.o tests/fpvec/fpvec-gen
