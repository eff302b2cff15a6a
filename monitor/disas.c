/* Disassembly (see disas.h). */
#include <stdio.h>
#include <string.h>
#include "cpu/cpu.h"
#include "monitor/disas.h"
#ifdef CONFIG_CAPSTONE
#include <capstone/capstone.h>
#endif

static enum cpu_mode mode_of(unsigned bits)
{
    return bits == 64 ? MODE_LONG64 : bits == 32 ? MODE_PROT32 : MODE_PROT16;
}

#ifdef CONFIG_CAPSTONE
static csh handles[3];
static bool opened[3];

static int handle_index(unsigned bits)
{
    return bits == 64 ? 2 : bits == 32 ? 1 : 0;
}

static bool open_handle(unsigned bits)
{
    static const cs_mode modes[3] = { CS_MODE_16, CS_MODE_32, CS_MODE_64 };
    int i = handle_index(bits);

    if (!opened[i]) {
        if (cs_open(CS_ARCH_X86, modes[i], &handles[i]) != CS_ERR_OK)
            return false;
        opened[i] = true;
    }
    return true;
}

bool disas_available(void)
{
    return true;
}

unsigned disas_one(const uint8_t *bytes, size_t avail, uint64_t addr,
                   unsigned bits, char *buf, size_t len)
{
    unsigned n = cpu_insn_length(bytes, avail, mode_of(bits));
    cs_insn *insn;

    if (!open_handle(bits) ||
        cs_disasm(handles[handle_index(bits)], bytes, avail, addr, 1,
                  &insn) != 1) {
        snprintf(buf, len, "(bad)");
        return n;
    }
    if (insn->op_str[0])
        snprintf(buf, len, "%s %s", insn->mnemonic, insn->op_str);
    else
        snprintf(buf, len, "%s", insn->mnemonic);
    if (!n)
        n = insn->size;
    cs_free(insn, 1);
    return n;
}

void disas_close(void)
{
    for (int i = 0; i < 3; i++)
        if (opened[i]) {
            cs_close(&handles[i]);
            opened[i] = false;
        }
}
#else
bool disas_available(void)
{
    return false;
}

unsigned disas_one(const uint8_t *bytes, size_t avail, uint64_t addr,
                   unsigned bits, char *buf, size_t len)
{
    (void)addr;
    snprintf(buf, len, "%s", DISAS_NONE);
    return cpu_insn_length(bytes, avail, mode_of(bits));
}

void disas_close(void)
{
}
#endif
