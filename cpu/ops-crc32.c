/*
 * CRC32 (SSE4.2): the CRC-32C (Castagnoli) of a byte, word, doubleword
 * or quadword accumulated into a 32-bit general register, bit-reflected
 * as the instruction defines it.  An ordinary integer instruction: no
 * CR0/CR4 conditions.
 */
#include "cpu/cpu-priv.h"

#define CRC32C_POLY 0x82f63b78u    /* 0x1EDC6F41 bit-reversed */

static uint32_t crc32c(uint32_t crc, uint64_t data, unsigned size)
{
    for (unsigned k = 0; k < size; k++) {
        crc ^= (uint32_t)(data >> (8 * k)) & 0xff;
        for (unsigned b = 0; b < 8; b++)
            crc = (crc >> 1) ^ (CRC32C_POLY & (0u - (crc & 1)));
    }
    return crc;
}

/* CRC32 r32/r64, r/m8 (F_RM8 row) or r/m16/32/64 (the operand size). */
static void op_crc32(struct cpu *c, const struct insn *i)
{
    unsigned size = (i->def->flags & F_RM8) ? 1 : i->opsz;
    uint64_t data = rm_read(c, i, size);
    uint32_t crc = crc32c((uint32_t)c->r[i->reg], data, size);

    reg_write(c, i->reg, (i->pfx & PFX_REXW) ? 8 : 4, crc);
}

static const struct opdef defs[] = {
    { MAP_0F38, 0xf0, 1, P_F2, -1, M_ANY, -1, F_MODRM | F_RM8, 0, FEAT_SSE42,
      op_crc32, "crc32" },
    { MAP_0F38, 0xf1, 1, P_F2, -1, M_ANY, -1, F_MODRM, 0, FEAT_SSE42,
      op_crc32, "crc32" },
};
OPTABLE(optable_crc32, defs);
