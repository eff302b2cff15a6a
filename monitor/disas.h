/*
 * Disassembly of one instruction, through libcapstone when xenemu was
 * configured with it (CONFIG_CAPSTONE).  Without it the length still comes
 * from xenemu's own decoder and the text says how to get mnemonics.
 */
#ifndef XENEMU_MONITOR_DISAS_H
#define XENEMU_MONITOR_DISAS_H

#include "xenemu/common.h"

#define DISAS_NONE "(no disassembler: configure xenemu with capstone)"

bool disas_available(void);
/* Decode the instruction in bytes[0..avail) at address addr for a bits
 * (16, 32, 64) code segment: its length (0: not an instruction), and its
 * text in buf ("mov rax, qword ptr [rsp + 8]"). */
unsigned disas_one(const uint8_t *bytes, size_t avail, uint64_t addr,
                   unsigned bits, char *buf, size_t len);
void disas_close(void);

#endif
