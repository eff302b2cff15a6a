/*
 * Generates tests/unit/sse-vectors.inc: runs each instruction of the SSE
 * known-answer vectors on this (x86-64) host from the inputs of
 * sse-inputs.h and prints the results.  Regenerate with
 *   cc -O1 -mno-red-zone -o gen-sse tests/unit/vectors/gen-sse.c &&
 *   ./gen-sse > tests/unit/sse-vectors.inc
 * Host tool only: never part of the emulator or the unit-test build.
 */
#include <stdio.h>
#include <string.h>
#include "../sse-inputs.h"

struct run {
    struct sse_state st;        /* offsets used by the asm below */
    uint64_t start, end;        /* the instruction's bytes */
};

#define RUN(fn, insn)                                                       \
    static void fn(struct run *r)                                           \
    {                                                                       \
        __asm__ volatile(                                                   \
            "movdqu 0(%%rdi), %%xmm0\n\tmovdqu 16(%%rdi), %%xmm1\n\t"       \
            "movdqu 32(%%rdi), %%xmm2\n\tmovq 56(%%rdi), %%mm1\n\t"          \
            "movq 64(%%rdi), %%mm2\n\tmov 72(%%rdi), %%rax\n\t"              \
            "mov 80(%%rdi), %%rcx\n\tmov 88(%%rdi), %%rdx\n\t"               \
            "pushq 96(%%rdi)\n\tpopfq\n"                                    \
            "1:\n\t" insn "\n2:\n\t"                                        \
            "pushfq\n\tpopq 96(%%rdi)\n\t"                                  \
            "movdqu %%xmm0, 0(%%rdi)\n\tmovdqu %%xmm1, 16(%%rdi)\n\t"       \
            "movq %%mm1, 56(%%rdi)\n\tmov %%rax, 72(%%rdi)\n\t"              \
            "mov %%rcx, 80(%%rdi)\n\tmov %%rdx, 88(%%rdi)\n\temms\n\t"      \
            "lea 1b(%%rip), %%rax\n\tmov %%rax, 104(%%rdi)\n\t"              \
            "lea 2b(%%rip), %%rax\n\tmov %%rax, 112(%%rdi)\n"                 \
            : : "D"(r)                                                      \
            : "rax", "rcx", "rdx", "xmm0", "xmm1", "xmm2", "mm1", "mm2",    \
              "memory", "cc");                                              \
    }

RUN(run0, "paddb %%xmm2, %%xmm1")
RUN(run1, "paddb %%xmm2, %%xmm1")
RUN(run2, "paddw %%xmm2, %%xmm1")
RUN(run3, "paddw %%xmm2, %%xmm1")
RUN(run4, "paddd %%xmm2, %%xmm1")
RUN(run5, "paddd %%xmm2, %%xmm1")
RUN(run6, "paddq %%xmm2, %%xmm1")
RUN(run7, "paddq %%xmm2, %%xmm1")
RUN(run8, "psubb %%xmm2, %%xmm1")
RUN(run9, "psubb %%xmm2, %%xmm1")
RUN(run10, "psubw %%xmm2, %%xmm1")
RUN(run11, "psubw %%xmm2, %%xmm1")
RUN(run12, "psubd %%xmm2, %%xmm1")
RUN(run13, "psubd %%xmm2, %%xmm1")
RUN(run14, "psubq %%xmm2, %%xmm1")
RUN(run15, "psubq %%xmm2, %%xmm1")
RUN(run16, "paddsb %%xmm2, %%xmm1")
RUN(run17, "paddsb %%xmm2, %%xmm1")
RUN(run18, "paddsw %%xmm2, %%xmm1")
RUN(run19, "paddsw %%xmm2, %%xmm1")
RUN(run20, "paddusb %%xmm2, %%xmm1")
RUN(run21, "paddusb %%xmm2, %%xmm1")
RUN(run22, "paddusw %%xmm2, %%xmm1")
RUN(run23, "paddusw %%xmm2, %%xmm1")
RUN(run24, "psubsb %%xmm2, %%xmm1")
RUN(run25, "psubsb %%xmm2, %%xmm1")
RUN(run26, "psubsw %%xmm2, %%xmm1")
RUN(run27, "psubsw %%xmm2, %%xmm1")
RUN(run28, "psubusb %%xmm2, %%xmm1")
RUN(run29, "psubusb %%xmm2, %%xmm1")
RUN(run30, "psubusw %%xmm2, %%xmm1")
RUN(run31, "psubusw %%xmm2, %%xmm1")
RUN(run32, "pmullw %%xmm2, %%xmm1")
RUN(run33, "pmullw %%xmm2, %%xmm1")
RUN(run34, "pmulhw %%xmm2, %%xmm1")
RUN(run35, "pmulhw %%xmm2, %%xmm1")
RUN(run36, "pmulhuw %%xmm2, %%xmm1")
RUN(run37, "pmulhuw %%xmm2, %%xmm1")
RUN(run38, "pmuludq %%xmm2, %%xmm1")
RUN(run39, "pmuludq %%xmm2, %%xmm1")
RUN(run40, "pmaddwd %%xmm2, %%xmm1")
RUN(run41, "pmaddwd %%xmm2, %%xmm1")
RUN(run42, "pavgb %%xmm2, %%xmm1")
RUN(run43, "pavgb %%xmm2, %%xmm1")
RUN(run44, "pavgw %%xmm2, %%xmm1")
RUN(run45, "pavgw %%xmm2, %%xmm1")
RUN(run46, "psadbw %%xmm2, %%xmm1")
RUN(run47, "psadbw %%xmm2, %%xmm1")
RUN(run48, "pminub %%xmm2, %%xmm1")
RUN(run49, "pminub %%xmm2, %%xmm1")
RUN(run50, "pmaxub %%xmm2, %%xmm1")
RUN(run51, "pmaxub %%xmm2, %%xmm1")
RUN(run52, "pminsw %%xmm2, %%xmm1")
RUN(run53, "pminsw %%xmm2, %%xmm1")
RUN(run54, "pmaxsw %%xmm2, %%xmm1")
RUN(run55, "pmaxsw %%xmm2, %%xmm1")
RUN(run56, "phaddw %%xmm2, %%xmm1")
RUN(run57, "phaddw %%xmm2, %%xmm1")
RUN(run58, "phaddd %%xmm2, %%xmm1")
RUN(run59, "phaddd %%xmm2, %%xmm1")
RUN(run60, "phaddsw %%xmm2, %%xmm1")
RUN(run61, "phaddsw %%xmm2, %%xmm1")
RUN(run62, "pmaddubsw %%xmm2, %%xmm1")
RUN(run63, "pmaddubsw %%xmm2, %%xmm1")
RUN(run64, "phsubw %%xmm2, %%xmm1")
RUN(run65, "phsubw %%xmm2, %%xmm1")
RUN(run66, "phsubd %%xmm2, %%xmm1")
RUN(run67, "phsubd %%xmm2, %%xmm1")
RUN(run68, "phsubsw %%xmm2, %%xmm1")
RUN(run69, "phsubsw %%xmm2, %%xmm1")
RUN(run70, "psignb %%xmm2, %%xmm1")
RUN(run71, "psignb %%xmm2, %%xmm1")
RUN(run72, "psignw %%xmm2, %%xmm1")
RUN(run73, "psignw %%xmm2, %%xmm1")
RUN(run74, "psignd %%xmm2, %%xmm1")
RUN(run75, "psignd %%xmm2, %%xmm1")
RUN(run76, "pmulhrsw %%xmm2, %%xmm1")
RUN(run77, "pmulhrsw %%xmm2, %%xmm1")
RUN(run78, "pabsb %%xmm2, %%xmm1")
RUN(run79, "pabsb %%xmm2, %%xmm1")
RUN(run80, "pabsw %%xmm2, %%xmm1")
RUN(run81, "pabsw %%xmm2, %%xmm1")
RUN(run82, "pabsd %%xmm2, %%xmm1")
RUN(run83, "pabsd %%xmm2, %%xmm1")
RUN(run84, "pmuldq %%xmm2, %%xmm1")
RUN(run85, "pmuldq %%xmm2, %%xmm1")
RUN(run86, "pminsb %%xmm2, %%xmm1")
RUN(run87, "pminsb %%xmm2, %%xmm1")
RUN(run88, "pminsd %%xmm2, %%xmm1")
RUN(run89, "pminsd %%xmm2, %%xmm1")
RUN(run90, "pminuw %%xmm2, %%xmm1")
RUN(run91, "pminuw %%xmm2, %%xmm1")
RUN(run92, "pminud %%xmm2, %%xmm1")
RUN(run93, "pminud %%xmm2, %%xmm1")
RUN(run94, "pmaxsb %%xmm2, %%xmm1")
RUN(run95, "pmaxsb %%xmm2, %%xmm1")
RUN(run96, "pmaxsd %%xmm2, %%xmm1")
RUN(run97, "pmaxsd %%xmm2, %%xmm1")
RUN(run98, "pmaxuw %%xmm2, %%xmm1")
RUN(run99, "pmaxuw %%xmm2, %%xmm1")
RUN(run100, "pmaxud %%xmm2, %%xmm1")
RUN(run101, "pmaxud %%xmm2, %%xmm1")
RUN(run102, "pmulld %%xmm2, %%xmm1")
RUN(run103, "pmulld %%xmm2, %%xmm1")
RUN(run104, "phminposuw %%xmm2, %%xmm1")
RUN(run105, "phminposuw %%xmm2, %%xmm1")
RUN(run106, "pand %%xmm2, %%xmm1")
RUN(run107, "pand %%xmm2, %%xmm1")
RUN(run108, "pandn %%xmm2, %%xmm1")
RUN(run109, "pandn %%xmm2, %%xmm1")
RUN(run110, "por %%xmm2, %%xmm1")
RUN(run111, "por %%xmm2, %%xmm1")
RUN(run112, "pxor %%xmm2, %%xmm1")
RUN(run113, "pxor %%xmm2, %%xmm1")
RUN(run114, "andps %%xmm2, %%xmm1")
RUN(run115, "andps %%xmm2, %%xmm1")
RUN(run116, "andpd %%xmm2, %%xmm1")
RUN(run117, "andpd %%xmm2, %%xmm1")
RUN(run118, "andnps %%xmm2, %%xmm1")
RUN(run119, "andnps %%xmm2, %%xmm1")
RUN(run120, "andnpd %%xmm2, %%xmm1")
RUN(run121, "andnpd %%xmm2, %%xmm1")
RUN(run122, "orps %%xmm2, %%xmm1")
RUN(run123, "orps %%xmm2, %%xmm1")
RUN(run124, "orpd %%xmm2, %%xmm1")
RUN(run125, "orpd %%xmm2, %%xmm1")
RUN(run126, "xorps %%xmm2, %%xmm1")
RUN(run127, "xorps %%xmm2, %%xmm1")
RUN(run128, "xorpd %%xmm2, %%xmm1")
RUN(run129, "xorpd %%xmm2, %%xmm1")
RUN(run130, "pcmpeqb %%xmm2, %%xmm1")
RUN(run131, "pcmpeqb %%xmm2, %%xmm1")
RUN(run132, "pcmpeqw %%xmm2, %%xmm1")
RUN(run133, "pcmpeqw %%xmm2, %%xmm1")
RUN(run134, "pcmpeqd %%xmm2, %%xmm1")
RUN(run135, "pcmpeqd %%xmm2, %%xmm1")
RUN(run136, "pcmpeqq %%xmm2, %%xmm1")
RUN(run137, "pcmpeqq %%xmm2, %%xmm1")
RUN(run138, "pcmpgtb %%xmm2, %%xmm1")
RUN(run139, "pcmpgtb %%xmm2, %%xmm1")
RUN(run140, "pcmpgtw %%xmm2, %%xmm1")
RUN(run141, "pcmpgtw %%xmm2, %%xmm1")
RUN(run142, "pcmpgtd %%xmm2, %%xmm1")
RUN(run143, "pcmpgtd %%xmm2, %%xmm1")
RUN(run144, "pcmpgtq %%xmm2, %%xmm1")
RUN(run145, "pcmpgtq %%xmm2, %%xmm1")
RUN(run146, "ptest %%xmm2, %%xmm1")
RUN(run147, "ptest %%xmm2, %%xmm1")
RUN(run148, "packsswb %%xmm2, %%xmm1")
RUN(run149, "packsswb %%xmm2, %%xmm1")
RUN(run150, "packssdw %%xmm2, %%xmm1")
RUN(run151, "packssdw %%xmm2, %%xmm1")
RUN(run152, "packuswb %%xmm2, %%xmm1")
RUN(run153, "packuswb %%xmm2, %%xmm1")
RUN(run154, "packusdw %%xmm2, %%xmm1")
RUN(run155, "packusdw %%xmm2, %%xmm1")
RUN(run156, "punpcklbw %%xmm2, %%xmm1")
RUN(run157, "punpcklbw %%xmm2, %%xmm1")
RUN(run158, "punpcklwd %%xmm2, %%xmm1")
RUN(run159, "punpcklwd %%xmm2, %%xmm1")
RUN(run160, "punpckldq %%xmm2, %%xmm1")
RUN(run161, "punpckldq %%xmm2, %%xmm1")
RUN(run162, "punpcklqdq %%xmm2, %%xmm1")
RUN(run163, "punpcklqdq %%xmm2, %%xmm1")
RUN(run164, "punpckhbw %%xmm2, %%xmm1")
RUN(run165, "punpckhbw %%xmm2, %%xmm1")
RUN(run166, "punpckhwd %%xmm2, %%xmm1")
RUN(run167, "punpckhwd %%xmm2, %%xmm1")
RUN(run168, "punpckhdq %%xmm2, %%xmm1")
RUN(run169, "punpckhdq %%xmm2, %%xmm1")
RUN(run170, "punpckhqdq %%xmm2, %%xmm1")
RUN(run171, "punpckhqdq %%xmm2, %%xmm1")
RUN(run172, "unpcklps %%xmm2, %%xmm1")
RUN(run173, "unpcklps %%xmm2, %%xmm1")
RUN(run174, "unpcklpd %%xmm2, %%xmm1")
RUN(run175, "unpcklpd %%xmm2, %%xmm1")
RUN(run176, "unpckhps %%xmm2, %%xmm1")
RUN(run177, "unpckhps %%xmm2, %%xmm1")
RUN(run178, "unpckhpd %%xmm2, %%xmm1")
RUN(run179, "unpckhpd %%xmm2, %%xmm1")
RUN(run180, "pshufb %%xmm2, %%xmm1")
RUN(run181, "pshufb %%xmm2, %%xmm1")
RUN(run182, "pmovsxbw %%xmm2, %%xmm1")
RUN(run183, "pmovsxbw %%xmm2, %%xmm1")
RUN(run184, "pmovsxbd %%xmm2, %%xmm1")
RUN(run185, "pmovsxbd %%xmm2, %%xmm1")
RUN(run186, "pmovsxbq %%xmm2, %%xmm1")
RUN(run187, "pmovsxbq %%xmm2, %%xmm1")
RUN(run188, "pmovsxwd %%xmm2, %%xmm1")
RUN(run189, "pmovsxwd %%xmm2, %%xmm1")
RUN(run190, "pmovsxwq %%xmm2, %%xmm1")
RUN(run191, "pmovsxwq %%xmm2, %%xmm1")
RUN(run192, "pmovsxdq %%xmm2, %%xmm1")
RUN(run193, "pmovsxdq %%xmm2, %%xmm1")
RUN(run194, "pmovzxbw %%xmm2, %%xmm1")
RUN(run195, "pmovzxbw %%xmm2, %%xmm1")
RUN(run196, "pmovzxbd %%xmm2, %%xmm1")
RUN(run197, "pmovzxbd %%xmm2, %%xmm1")
RUN(run198, "pmovzxbq %%xmm2, %%xmm1")
RUN(run199, "pmovzxbq %%xmm2, %%xmm1")
RUN(run200, "pmovzxwd %%xmm2, %%xmm1")
RUN(run201, "pmovzxwd %%xmm2, %%xmm1")
RUN(run202, "pmovzxwq %%xmm2, %%xmm1")
RUN(run203, "pmovzxwq %%xmm2, %%xmm1")
RUN(run204, "pmovzxdq %%xmm2, %%xmm1")
RUN(run205, "pmovzxdq %%xmm2, %%xmm1")
RUN(run206, "movddup %%xmm2, %%xmm1")
RUN(run207, "movddup %%xmm2, %%xmm1")
RUN(run208, "movsldup %%xmm2, %%xmm1")
RUN(run209, "movsldup %%xmm2, %%xmm1")
RUN(run210, "movshdup %%xmm2, %%xmm1")
RUN(run211, "movshdup %%xmm2, %%xmm1")
RUN(run212, "movaps %%xmm2, %%xmm1")
RUN(run213, "movaps %%xmm2, %%xmm1")
RUN(run214, "movapd %%xmm2, %%xmm1")
RUN(run215, "movapd %%xmm2, %%xmm1")
RUN(run216, "movups %%xmm2, %%xmm1")
RUN(run217, "movups %%xmm2, %%xmm1")
RUN(run218, "movupd %%xmm2, %%xmm1")
RUN(run219, "movupd %%xmm2, %%xmm1")
RUN(run220, "movdqa %%xmm2, %%xmm1")
RUN(run221, "movdqa %%xmm2, %%xmm1")
RUN(run222, "movdqu %%xmm2, %%xmm1")
RUN(run223, "movdqu %%xmm2, %%xmm1")
RUN(run224, "movss %%xmm2, %%xmm1")
RUN(run225, "movss %%xmm2, %%xmm1")
RUN(run226, "movsd %%xmm2, %%xmm1")
RUN(run227, "movsd %%xmm2, %%xmm1")
RUN(run228, "movhlps %%xmm2, %%xmm1")
RUN(run229, "movhlps %%xmm2, %%xmm1")
RUN(run230, "movlhps %%xmm2, %%xmm1")
RUN(run231, "movlhps %%xmm2, %%xmm1")
RUN(run232, "movq %%xmm2, %%xmm1")
RUN(run233, "movq %%xmm2, %%xmm1")
RUN(run234, "aesenc %%xmm2, %%xmm1")
RUN(run235, "aesenc %%xmm2, %%xmm1")
RUN(run236, "aesenclast %%xmm2, %%xmm1")
RUN(run237, "aesenclast %%xmm2, %%xmm1")
RUN(run238, "aesdec %%xmm2, %%xmm1")
RUN(run239, "aesdec %%xmm2, %%xmm1")
RUN(run240, "aesdeclast %%xmm2, %%xmm1")
RUN(run241, "aesdeclast %%xmm2, %%xmm1")
RUN(run242, "aesimc %%xmm2, %%xmm1")
RUN(run243, "aesimc %%xmm2, %%xmm1")
RUN(run244, "psrlw %%xmm2, %%xmm1")
RUN(run245, "psrlw %%mm2, %%mm1")
RUN(run246, "psrlw $0, %%xmm1")
RUN(run247, "psrlw $0, %%mm1")
RUN(run248, "psrlw $1, %%xmm1")
RUN(run249, "psrlw $1, %%mm1")
RUN(run250, "psrlw $7, %%xmm1")
RUN(run251, "psrlw $7, %%mm1")
RUN(run252, "psrlw $15, %%xmm1")
RUN(run253, "psrlw $15, %%mm1")
RUN(run254, "psrlw $16, %%xmm1")
RUN(run255, "psrlw $16, %%mm1")
RUN(run256, "psrlw $31, %%xmm1")
RUN(run257, "psrlw $31, %%mm1")
RUN(run258, "psrlw $33, %%xmm1")
RUN(run259, "psrlw $33, %%mm1")
RUN(run260, "psrlw $63, %%xmm1")
RUN(run261, "psrlw $63, %%mm1")
RUN(run262, "psrlw $64, %%xmm1")
RUN(run263, "psrlw $64, %%mm1")
RUN(run264, "psrlw $200, %%xmm1")
RUN(run265, "psrlw $200, %%mm1")
RUN(run266, "psrld %%xmm2, %%xmm1")
RUN(run267, "psrld %%mm2, %%mm1")
RUN(run268, "psrld $0, %%xmm1")
RUN(run269, "psrld $0, %%mm1")
RUN(run270, "psrld $1, %%xmm1")
RUN(run271, "psrld $1, %%mm1")
RUN(run272, "psrld $7, %%xmm1")
RUN(run273, "psrld $7, %%mm1")
RUN(run274, "psrld $15, %%xmm1")
RUN(run275, "psrld $15, %%mm1")
RUN(run276, "psrld $16, %%xmm1")
RUN(run277, "psrld $16, %%mm1")
RUN(run278, "psrld $31, %%xmm1")
RUN(run279, "psrld $31, %%mm1")
RUN(run280, "psrld $33, %%xmm1")
RUN(run281, "psrld $33, %%mm1")
RUN(run282, "psrld $63, %%xmm1")
RUN(run283, "psrld $63, %%mm1")
RUN(run284, "psrld $64, %%xmm1")
RUN(run285, "psrld $64, %%mm1")
RUN(run286, "psrld $200, %%xmm1")
RUN(run287, "psrld $200, %%mm1")
RUN(run288, "psrlq %%xmm2, %%xmm1")
RUN(run289, "psrlq %%mm2, %%mm1")
RUN(run290, "psrlq $0, %%xmm1")
RUN(run291, "psrlq $0, %%mm1")
RUN(run292, "psrlq $1, %%xmm1")
RUN(run293, "psrlq $1, %%mm1")
RUN(run294, "psrlq $7, %%xmm1")
RUN(run295, "psrlq $7, %%mm1")
RUN(run296, "psrlq $15, %%xmm1")
RUN(run297, "psrlq $15, %%mm1")
RUN(run298, "psrlq $16, %%xmm1")
RUN(run299, "psrlq $16, %%mm1")
RUN(run300, "psrlq $31, %%xmm1")
RUN(run301, "psrlq $31, %%mm1")
RUN(run302, "psrlq $33, %%xmm1")
RUN(run303, "psrlq $33, %%mm1")
RUN(run304, "psrlq $63, %%xmm1")
RUN(run305, "psrlq $63, %%mm1")
RUN(run306, "psrlq $64, %%xmm1")
RUN(run307, "psrlq $64, %%mm1")
RUN(run308, "psrlq $200, %%xmm1")
RUN(run309, "psrlq $200, %%mm1")
RUN(run310, "psraw %%xmm2, %%xmm1")
RUN(run311, "psraw %%mm2, %%mm1")
RUN(run312, "psraw $0, %%xmm1")
RUN(run313, "psraw $0, %%mm1")
RUN(run314, "psraw $1, %%xmm1")
RUN(run315, "psraw $1, %%mm1")
RUN(run316, "psraw $7, %%xmm1")
RUN(run317, "psraw $7, %%mm1")
RUN(run318, "psraw $15, %%xmm1")
RUN(run319, "psraw $15, %%mm1")
RUN(run320, "psraw $16, %%xmm1")
RUN(run321, "psraw $16, %%mm1")
RUN(run322, "psraw $31, %%xmm1")
RUN(run323, "psraw $31, %%mm1")
RUN(run324, "psraw $33, %%xmm1")
RUN(run325, "psraw $33, %%mm1")
RUN(run326, "psraw $63, %%xmm1")
RUN(run327, "psraw $63, %%mm1")
RUN(run328, "psraw $64, %%xmm1")
RUN(run329, "psraw $64, %%mm1")
RUN(run330, "psraw $200, %%xmm1")
RUN(run331, "psraw $200, %%mm1")
RUN(run332, "psrad %%xmm2, %%xmm1")
RUN(run333, "psrad %%mm2, %%mm1")
RUN(run334, "psrad $0, %%xmm1")
RUN(run335, "psrad $0, %%mm1")
RUN(run336, "psrad $1, %%xmm1")
RUN(run337, "psrad $1, %%mm1")
RUN(run338, "psrad $7, %%xmm1")
RUN(run339, "psrad $7, %%mm1")
RUN(run340, "psrad $15, %%xmm1")
RUN(run341, "psrad $15, %%mm1")
RUN(run342, "psrad $16, %%xmm1")
RUN(run343, "psrad $16, %%mm1")
RUN(run344, "psrad $31, %%xmm1")
RUN(run345, "psrad $31, %%mm1")
RUN(run346, "psrad $33, %%xmm1")
RUN(run347, "psrad $33, %%mm1")
RUN(run348, "psrad $63, %%xmm1")
RUN(run349, "psrad $63, %%mm1")
RUN(run350, "psrad $64, %%xmm1")
RUN(run351, "psrad $64, %%mm1")
RUN(run352, "psrad $200, %%xmm1")
RUN(run353, "psrad $200, %%mm1")
RUN(run354, "psllw %%xmm2, %%xmm1")
RUN(run355, "psllw %%mm2, %%mm1")
RUN(run356, "psllw $0, %%xmm1")
RUN(run357, "psllw $0, %%mm1")
RUN(run358, "psllw $1, %%xmm1")
RUN(run359, "psllw $1, %%mm1")
RUN(run360, "psllw $7, %%xmm1")
RUN(run361, "psllw $7, %%mm1")
RUN(run362, "psllw $15, %%xmm1")
RUN(run363, "psllw $15, %%mm1")
RUN(run364, "psllw $16, %%xmm1")
RUN(run365, "psllw $16, %%mm1")
RUN(run366, "psllw $31, %%xmm1")
RUN(run367, "psllw $31, %%mm1")
RUN(run368, "psllw $33, %%xmm1")
RUN(run369, "psllw $33, %%mm1")
RUN(run370, "psllw $63, %%xmm1")
RUN(run371, "psllw $63, %%mm1")
RUN(run372, "psllw $64, %%xmm1")
RUN(run373, "psllw $64, %%mm1")
RUN(run374, "psllw $200, %%xmm1")
RUN(run375, "psllw $200, %%mm1")
RUN(run376, "pslld %%xmm2, %%xmm1")
RUN(run377, "pslld %%mm2, %%mm1")
RUN(run378, "pslld $0, %%xmm1")
RUN(run379, "pslld $0, %%mm1")
RUN(run380, "pslld $1, %%xmm1")
RUN(run381, "pslld $1, %%mm1")
RUN(run382, "pslld $7, %%xmm1")
RUN(run383, "pslld $7, %%mm1")
RUN(run384, "pslld $15, %%xmm1")
RUN(run385, "pslld $15, %%mm1")
RUN(run386, "pslld $16, %%xmm1")
RUN(run387, "pslld $16, %%mm1")
RUN(run388, "pslld $31, %%xmm1")
RUN(run389, "pslld $31, %%mm1")
RUN(run390, "pslld $33, %%xmm1")
RUN(run391, "pslld $33, %%mm1")
RUN(run392, "pslld $63, %%xmm1")
RUN(run393, "pslld $63, %%mm1")
RUN(run394, "pslld $64, %%xmm1")
RUN(run395, "pslld $64, %%mm1")
RUN(run396, "pslld $200, %%xmm1")
RUN(run397, "pslld $200, %%mm1")
RUN(run398, "psllq %%xmm2, %%xmm1")
RUN(run399, "psllq %%mm2, %%mm1")
RUN(run400, "psllq $0, %%xmm1")
RUN(run401, "psllq $0, %%mm1")
RUN(run402, "psllq $1, %%xmm1")
RUN(run403, "psllq $1, %%mm1")
RUN(run404, "psllq $7, %%xmm1")
RUN(run405, "psllq $7, %%mm1")
RUN(run406, "psllq $15, %%xmm1")
RUN(run407, "psllq $15, %%mm1")
RUN(run408, "psllq $16, %%xmm1")
RUN(run409, "psllq $16, %%mm1")
RUN(run410, "psllq $31, %%xmm1")
RUN(run411, "psllq $31, %%mm1")
RUN(run412, "psllq $33, %%xmm1")
RUN(run413, "psllq $33, %%mm1")
RUN(run414, "psllq $63, %%xmm1")
RUN(run415, "psllq $63, %%mm1")
RUN(run416, "psllq $64, %%xmm1")
RUN(run417, "psllq $64, %%mm1")
RUN(run418, "psllq $200, %%xmm1")
RUN(run419, "psllq $200, %%mm1")
RUN(run420, "psrldq $0, %%xmm1")
RUN(run421, "psrldq $1, %%xmm1")
RUN(run422, "psrldq $5, %%xmm1")
RUN(run423, "psrldq $8, %%xmm1")
RUN(run424, "psrldq $9, %%xmm1")
RUN(run425, "psrldq $15, %%xmm1")
RUN(run426, "psrldq $16, %%xmm1")
RUN(run427, "psrldq $255, %%xmm1")
RUN(run428, "pslldq $0, %%xmm1")
RUN(run429, "pslldq $1, %%xmm1")
RUN(run430, "pslldq $5, %%xmm1")
RUN(run431, "pslldq $8, %%xmm1")
RUN(run432, "pslldq $9, %%xmm1")
RUN(run433, "pslldq $15, %%xmm1")
RUN(run434, "pslldq $16, %%xmm1")
RUN(run435, "pslldq $255, %%xmm1")
RUN(run436, "blendvps %%xmm0, %%xmm2, %%xmm1")
RUN(run437, "blendvps %%xmm0, %%xmm2, %%xmm1")
RUN(run438, "blendvpd %%xmm0, %%xmm2, %%xmm1")
RUN(run439, "blendvpd %%xmm0, %%xmm2, %%xmm1")
RUN(run440, "pblendvb %%xmm0, %%xmm2, %%xmm1")
RUN(run441, "pblendvb %%xmm0, %%xmm2, %%xmm1")
RUN(run442, "pshufd $27, %%xmm2, %%xmm1")
RUN(run443, "pshufd $228, %%xmm2, %%xmm1")
RUN(run444, "pshufd $78, %%xmm2, %%xmm1")
RUN(run445, "pshuflw $27, %%xmm2, %%xmm1")
RUN(run446, "pshuflw $0, %%xmm2, %%xmm1")
RUN(run447, "pshufhw $27, %%xmm2, %%xmm1")
RUN(run448, "pshufhw $255, %%xmm2, %%xmm1")
RUN(run449, "shufps $27, %%xmm2, %%xmm1")
RUN(run450, "shufps $228, %%xmm2, %%xmm1")
RUN(run451, "shufps $114, %%xmm2, %%xmm1")
RUN(run452, "shufpd $0, %%xmm2, %%xmm1")
RUN(run453, "shufpd $1, %%xmm2, %%xmm1")
RUN(run454, "shufpd $2, %%xmm2, %%xmm1")
RUN(run455, "shufpd $3, %%xmm2, %%xmm1")
RUN(run456, "palignr $0, %%xmm2, %%xmm1")
RUN(run457, "palignr $3, %%xmm2, %%xmm1")
RUN(run458, "palignr $8, %%xmm2, %%xmm1")
RUN(run459, "palignr $15, %%xmm2, %%xmm1")
RUN(run460, "palignr $16, %%xmm2, %%xmm1")
RUN(run461, "palignr $17, %%xmm2, %%xmm1")
RUN(run462, "palignr $31, %%xmm2, %%xmm1")
RUN(run463, "palignr $32, %%xmm2, %%xmm1")
RUN(run464, "palignr $255, %%xmm2, %%xmm1")
RUN(run465, "mpsadbw $0, %%xmm2, %%xmm1")
RUN(run466, "mpsadbw $1, %%xmm2, %%xmm1")
RUN(run467, "mpsadbw $2, %%xmm2, %%xmm1")
RUN(run468, "mpsadbw $3, %%xmm2, %%xmm1")
RUN(run469, "mpsadbw $4, %%xmm2, %%xmm1")
RUN(run470, "mpsadbw $5, %%xmm2, %%xmm1")
RUN(run471, "mpsadbw $6, %%xmm2, %%xmm1")
RUN(run472, "mpsadbw $7, %%xmm2, %%xmm1")
RUN(run473, "blendps $5, %%xmm2, %%xmm1")
RUN(run474, "blendps $10, %%xmm2, %%xmm1")
RUN(run475, "blendpd $1, %%xmm2, %%xmm1")
RUN(run476, "blendpd $2, %%xmm2, %%xmm1")
RUN(run477, "pblendw $90, %%xmm2, %%xmm1")
RUN(run478, "pblendw $195, %%xmm2, %%xmm1")
RUN(run479, "insertps $0, %%xmm2, %%xmm1")
RUN(run480, "insertps $29, %%xmm2, %%xmm1")
RUN(run481, "insertps $226, %%xmm2, %%xmm1")
RUN(run482, "insertps $115, %%xmm2, %%xmm1")
RUN(run483, "pclmulqdq $0, %%xmm2, %%xmm1")
RUN(run484, "pclmulqdq $1, %%xmm2, %%xmm1")
RUN(run485, "pclmulqdq $16, %%xmm2, %%xmm1")
RUN(run486, "pclmulqdq $17, %%xmm2, %%xmm1")
RUN(run487, "aeskeygenassist $1, %%xmm2, %%xmm1")
RUN(run488, "aeskeygenassist $54, %%xmm2, %%xmm1")
RUN(run489, "pcmpestri $0, %%xmm2, %%xmm1")
RUN(run490, "pcmpestri $1, %%xmm2, %%xmm1")
RUN(run491, "pcmpestri $2, %%xmm2, %%xmm1")
RUN(run492, "pcmpestri $3, %%xmm2, %%xmm1")
RUN(run493, "pcmpestri $4, %%xmm2, %%xmm1")
RUN(run494, "pcmpestri $5, %%xmm2, %%xmm1")
RUN(run495, "pcmpestri $8, %%xmm2, %%xmm1")
RUN(run496, "pcmpestri $9, %%xmm2, %%xmm1")
RUN(run497, "pcmpestri $12, %%xmm2, %%xmm1")
RUN(run498, "pcmpestri $13, %%xmm2, %%xmm1")
RUN(run499, "pcmpestri $14, %%xmm2, %%xmm1")
RUN(run500, "pcmpestri $16, %%xmm2, %%xmm1")
RUN(run501, "pcmpestri $20, %%xmm2, %%xmm1")
RUN(run502, "pcmpestri $24, %%xmm2, %%xmm1")
RUN(run503, "pcmpestri $28, %%xmm2, %%xmm1")
RUN(run504, "pcmpestri $48, %%xmm2, %%xmm1")
RUN(run505, "pcmpestri $52, %%xmm2, %%xmm1")
RUN(run506, "pcmpestri $56, %%xmm2, %%xmm1")
RUN(run507, "pcmpestri $60, %%xmm2, %%xmm1")
RUN(run508, "pcmpestri $64, %%xmm2, %%xmm1")
RUN(run509, "pcmpestri $68, %%xmm2, %%xmm1")
RUN(run510, "pcmpestri $72, %%xmm2, %%xmm1")
RUN(run511, "pcmpestri $76, %%xmm2, %%xmm1")
RUN(run512, "pcmpestri $112, %%xmm2, %%xmm1")
RUN(run513, "pcmpestri $125, %%xmm2, %%xmm1")
RUN(run514, "pcmpestri $58, %%xmm2, %%xmm1")
RUN(run515, "pcmpestri $0x0c, %%xmm2, %%xmm1")
RUN(run516, "pcmpestrm $0, %%xmm2, %%xmm1")
RUN(run517, "pcmpestrm $1, %%xmm2, %%xmm1")
RUN(run518, "pcmpestrm $2, %%xmm2, %%xmm1")
RUN(run519, "pcmpestrm $3, %%xmm2, %%xmm1")
RUN(run520, "pcmpestrm $4, %%xmm2, %%xmm1")
RUN(run521, "pcmpestrm $5, %%xmm2, %%xmm1")
RUN(run522, "pcmpestrm $8, %%xmm2, %%xmm1")
RUN(run523, "pcmpestrm $9, %%xmm2, %%xmm1")
RUN(run524, "pcmpestrm $12, %%xmm2, %%xmm1")
RUN(run525, "pcmpestrm $13, %%xmm2, %%xmm1")
RUN(run526, "pcmpestrm $14, %%xmm2, %%xmm1")
RUN(run527, "pcmpestrm $16, %%xmm2, %%xmm1")
RUN(run528, "pcmpestrm $20, %%xmm2, %%xmm1")
RUN(run529, "pcmpestrm $24, %%xmm2, %%xmm1")
RUN(run530, "pcmpestrm $28, %%xmm2, %%xmm1")
RUN(run531, "pcmpestrm $48, %%xmm2, %%xmm1")
RUN(run532, "pcmpestrm $52, %%xmm2, %%xmm1")
RUN(run533, "pcmpestrm $56, %%xmm2, %%xmm1")
RUN(run534, "pcmpestrm $60, %%xmm2, %%xmm1")
RUN(run535, "pcmpestrm $64, %%xmm2, %%xmm1")
RUN(run536, "pcmpestrm $68, %%xmm2, %%xmm1")
RUN(run537, "pcmpestrm $72, %%xmm2, %%xmm1")
RUN(run538, "pcmpestrm $76, %%xmm2, %%xmm1")
RUN(run539, "pcmpestrm $112, %%xmm2, %%xmm1")
RUN(run540, "pcmpestrm $125, %%xmm2, %%xmm1")
RUN(run541, "pcmpestrm $58, %%xmm2, %%xmm1")
RUN(run542, "pcmpestrm $0x0c, %%xmm2, %%xmm1")
RUN(run543, "pcmpistri $0, %%xmm2, %%xmm1")
RUN(run544, "pcmpistri $1, %%xmm2, %%xmm1")
RUN(run545, "pcmpistri $2, %%xmm2, %%xmm1")
RUN(run546, "pcmpistri $3, %%xmm2, %%xmm1")
RUN(run547, "pcmpistri $4, %%xmm2, %%xmm1")
RUN(run548, "pcmpistri $5, %%xmm2, %%xmm1")
RUN(run549, "pcmpistri $8, %%xmm2, %%xmm1")
RUN(run550, "pcmpistri $9, %%xmm2, %%xmm1")
RUN(run551, "pcmpistri $12, %%xmm2, %%xmm1")
RUN(run552, "pcmpistri $13, %%xmm2, %%xmm1")
RUN(run553, "pcmpistri $14, %%xmm2, %%xmm1")
RUN(run554, "pcmpistri $16, %%xmm2, %%xmm1")
RUN(run555, "pcmpistri $20, %%xmm2, %%xmm1")
RUN(run556, "pcmpistri $24, %%xmm2, %%xmm1")
RUN(run557, "pcmpistri $28, %%xmm2, %%xmm1")
RUN(run558, "pcmpistri $48, %%xmm2, %%xmm1")
RUN(run559, "pcmpistri $52, %%xmm2, %%xmm1")
RUN(run560, "pcmpistri $56, %%xmm2, %%xmm1")
RUN(run561, "pcmpistri $60, %%xmm2, %%xmm1")
RUN(run562, "pcmpistri $64, %%xmm2, %%xmm1")
RUN(run563, "pcmpistri $68, %%xmm2, %%xmm1")
RUN(run564, "pcmpistri $72, %%xmm2, %%xmm1")
RUN(run565, "pcmpistri $76, %%xmm2, %%xmm1")
RUN(run566, "pcmpistri $112, %%xmm2, %%xmm1")
RUN(run567, "pcmpistri $125, %%xmm2, %%xmm1")
RUN(run568, "pcmpistri $58, %%xmm2, %%xmm1")
RUN(run569, "pcmpistri $0x0c, %%xmm2, %%xmm1")
RUN(run570, "pcmpistrm $0, %%xmm2, %%xmm1")
RUN(run571, "pcmpistrm $1, %%xmm2, %%xmm1")
RUN(run572, "pcmpistrm $2, %%xmm2, %%xmm1")
RUN(run573, "pcmpistrm $3, %%xmm2, %%xmm1")
RUN(run574, "pcmpistrm $4, %%xmm2, %%xmm1")
RUN(run575, "pcmpistrm $5, %%xmm2, %%xmm1")
RUN(run576, "pcmpistrm $8, %%xmm2, %%xmm1")
RUN(run577, "pcmpistrm $9, %%xmm2, %%xmm1")
RUN(run578, "pcmpistrm $12, %%xmm2, %%xmm1")
RUN(run579, "pcmpistrm $13, %%xmm2, %%xmm1")
RUN(run580, "pcmpistrm $14, %%xmm2, %%xmm1")
RUN(run581, "pcmpistrm $16, %%xmm2, %%xmm1")
RUN(run582, "pcmpistrm $20, %%xmm2, %%xmm1")
RUN(run583, "pcmpistrm $24, %%xmm2, %%xmm1")
RUN(run584, "pcmpistrm $28, %%xmm2, %%xmm1")
RUN(run585, "pcmpistrm $48, %%xmm2, %%xmm1")
RUN(run586, "pcmpistrm $52, %%xmm2, %%xmm1")
RUN(run587, "pcmpistrm $56, %%xmm2, %%xmm1")
RUN(run588, "pcmpistrm $60, %%xmm2, %%xmm1")
RUN(run589, "pcmpistrm $64, %%xmm2, %%xmm1")
RUN(run590, "pcmpistrm $68, %%xmm2, %%xmm1")
RUN(run591, "pcmpistrm $72, %%xmm2, %%xmm1")
RUN(run592, "pcmpistrm $76, %%xmm2, %%xmm1")
RUN(run593, "pcmpistrm $112, %%xmm2, %%xmm1")
RUN(run594, "pcmpistrm $125, %%xmm2, %%xmm1")
RUN(run595, "pcmpistrm $58, %%xmm2, %%xmm1")
RUN(run596, "pcmpistrm $0x0c, %%xmm2, %%xmm1")
RUN(run597, "pmovmskb %%xmm2, %%eax")
RUN(run598, "movmskps %%xmm2, %%eax")
RUN(run599, "movmskpd %%xmm2, %%eax")
RUN(run600, "movd %%xmm2, %%eax")
RUN(run601, "movq %%xmm2, %%rax")
RUN(run602, "pmovmskb %%mm2, %%eax")
RUN(run603, "movd %%mm2, %%eax")
RUN(run604, "movq %%mm2, %%rax")
RUN(run605, "pextrb $0, %%xmm2, %%eax")
RUN(run606, "pextrb $5, %%xmm2, %%eax")
RUN(run607, "pextrb $15, %%xmm2, %%eax")
RUN(run608, "pextrw $0, %%xmm2, %%eax")
RUN(run609, ".byte 0x66, 0x0f, 0x3a, 0x15, 0xd0, 0")
RUN(run610, "pextrw $0, %%mm2, %%eax")
RUN(run611, "pextrw $3, %%xmm2, %%eax")
RUN(run612, ".byte 0x66, 0x0f, 0x3a, 0x15, 0xd0, 3")
RUN(run613, "pextrw $3, %%mm2, %%eax")
RUN(run614, "pextrw $7, %%xmm2, %%eax")
RUN(run615, ".byte 0x66, 0x0f, 0x3a, 0x15, 0xd0, 7")
RUN(run616, "pextrw $7, %%mm2, %%eax")
RUN(run617, "pextrw $9, %%xmm2, %%eax")
RUN(run618, ".byte 0x66, 0x0f, 0x3a, 0x15, 0xd0, 9")
RUN(run619, "pextrw $9, %%mm2, %%eax")
RUN(run620, "pextrd $0, %%xmm2, %%eax")
RUN(run621, "extractps $0, %%xmm2, %%eax")
RUN(run622, "pextrd $2, %%xmm2, %%eax")
RUN(run623, "extractps $2, %%xmm2, %%eax")
RUN(run624, "pextrd $3, %%xmm2, %%eax")
RUN(run625, "extractps $3, %%xmm2, %%eax")
RUN(run626, "pextrd $5, %%xmm2, %%eax")
RUN(run627, "extractps $5, %%xmm2, %%eax")
RUN(run628, "pextrq $0, %%xmm2, %%rax")
RUN(run629, "pextrq $1, %%xmm2, %%rax")
RUN(run630, "pextrq $2, %%xmm2, %%rax")
RUN(run631, "pinsrb $0, %%eax, %%xmm1")
RUN(run632, "pinsrb $7, %%eax, %%xmm1")
RUN(run633, "pinsrb $15, %%eax, %%xmm1")
RUN(run634, "pinsrb $16, %%eax, %%xmm1")
RUN(run635, "pinsrw $0, %%eax, %%xmm1")
RUN(run636, "pinsrw $0, %%eax, %%mm1")
RUN(run637, "pinsrw $3, %%eax, %%xmm1")
RUN(run638, "pinsrw $3, %%eax, %%mm1")
RUN(run639, "pinsrw $7, %%eax, %%xmm1")
RUN(run640, "pinsrw $7, %%eax, %%mm1")
RUN(run641, "pinsrw $8, %%eax, %%xmm1")
RUN(run642, "pinsrw $8, %%eax, %%mm1")
RUN(run643, "pinsrd $0, %%eax, %%xmm1")
RUN(run644, "pinsrd $3, %%eax, %%xmm1")
RUN(run645, "pinsrd $4, %%eax, %%xmm1")
RUN(run646, "pinsrq $0, %%rax, %%xmm1")
RUN(run647, "pinsrq $1, %%rax, %%xmm1")
RUN(run648, "pinsrq $2, %%rax, %%xmm1")
RUN(run649, "movd %%eax, %%xmm1")
RUN(run650, "movd %%eax, %%xmm1")
RUN(run651, "movq %%rax, %%xmm1")
RUN(run652, "movq %%rax, %%xmm1")
RUN(run653, "movd %%eax, %%mm1")
RUN(run654, "movd %%eax, %%mm1")
RUN(run655, "movq %%rax, %%mm1")
RUN(run656, "movq %%rax, %%mm1")
RUN(run657, "movq %%mm2, %%mm1")
RUN(run658, "movq %%mm2, %%mm1")
RUN(run659, "movq2dq %%mm2, %%xmm1")
RUN(run660, "movq2dq %%mm2, %%xmm1")
RUN(run661, "movdq2q %%xmm2, %%mm1")
RUN(run662, "movdq2q %%xmm2, %%mm1")
RUN(run663, "crc32b %%dl, %%ecx")
RUN(run664, "crc32b %%dl, %%ecx")
RUN(run665, "crc32b %%dh, %%ecx")
RUN(run666, "crc32b %%dh, %%ecx")
RUN(run667, "crc32w %%dx, %%ecx")
RUN(run668, "crc32w %%dx, %%ecx")
RUN(run669, "crc32l %%edx, %%ecx")
RUN(run670, "crc32l %%edx, %%ecx")
RUN(run671, "crc32q %%rdx, %%rcx")
RUN(run672, "crc32q %%rdx, %%rcx")
RUN(run673, "crc32b %%dl, %%rcx")
RUN(run674, "crc32b %%dl, %%rcx")
RUN(run675, "paddb %%mm2, %%mm1")
RUN(run676, "paddb %%mm2, %%mm1")
RUN(run677, "paddw %%mm2, %%mm1")
RUN(run678, "paddw %%mm2, %%mm1")
RUN(run679, "paddd %%mm2, %%mm1")
RUN(run680, "paddd %%mm2, %%mm1")
RUN(run681, "paddq %%mm2, %%mm1")
RUN(run682, "paddq %%mm2, %%mm1")
RUN(run683, "psubb %%mm2, %%mm1")
RUN(run684, "psubb %%mm2, %%mm1")
RUN(run685, "psubw %%mm2, %%mm1")
RUN(run686, "psubw %%mm2, %%mm1")
RUN(run687, "psubd %%mm2, %%mm1")
RUN(run688, "psubd %%mm2, %%mm1")
RUN(run689, "psubq %%mm2, %%mm1")
RUN(run690, "psubq %%mm2, %%mm1")
RUN(run691, "paddsb %%mm2, %%mm1")
RUN(run692, "paddsb %%mm2, %%mm1")
RUN(run693, "paddsw %%mm2, %%mm1")
RUN(run694, "paddsw %%mm2, %%mm1")
RUN(run695, "paddusb %%mm2, %%mm1")
RUN(run696, "paddusb %%mm2, %%mm1")
RUN(run697, "paddusw %%mm2, %%mm1")
RUN(run698, "paddusw %%mm2, %%mm1")
RUN(run699, "psubsb %%mm2, %%mm1")
RUN(run700, "psubsb %%mm2, %%mm1")
RUN(run701, "psubsw %%mm2, %%mm1")
RUN(run702, "psubsw %%mm2, %%mm1")
RUN(run703, "psubusb %%mm2, %%mm1")
RUN(run704, "psubusb %%mm2, %%mm1")
RUN(run705, "psubusw %%mm2, %%mm1")
RUN(run706, "psubusw %%mm2, %%mm1")
RUN(run707, "pmullw %%mm2, %%mm1")
RUN(run708, "pmullw %%mm2, %%mm1")
RUN(run709, "pmulhw %%mm2, %%mm1")
RUN(run710, "pmulhw %%mm2, %%mm1")
RUN(run711, "pmulhuw %%mm2, %%mm1")
RUN(run712, "pmulhuw %%mm2, %%mm1")
RUN(run713, "pmuludq %%mm2, %%mm1")
RUN(run714, "pmuludq %%mm2, %%mm1")
RUN(run715, "pmaddwd %%mm2, %%mm1")
RUN(run716, "pmaddwd %%mm2, %%mm1")
RUN(run717, "pavgb %%mm2, %%mm1")
RUN(run718, "pavgb %%mm2, %%mm1")
RUN(run719, "pavgw %%mm2, %%mm1")
RUN(run720, "pavgw %%mm2, %%mm1")
RUN(run721, "psadbw %%mm2, %%mm1")
RUN(run722, "psadbw %%mm2, %%mm1")
RUN(run723, "pminub %%mm2, %%mm1")
RUN(run724, "pminub %%mm2, %%mm1")
RUN(run725, "pmaxub %%mm2, %%mm1")
RUN(run726, "pmaxub %%mm2, %%mm1")
RUN(run727, "pminsw %%mm2, %%mm1")
RUN(run728, "pminsw %%mm2, %%mm1")
RUN(run729, "pmaxsw %%mm2, %%mm1")
RUN(run730, "pmaxsw %%mm2, %%mm1")
RUN(run731, "phaddw %%mm2, %%mm1")
RUN(run732, "phaddw %%mm2, %%mm1")
RUN(run733, "phaddd %%mm2, %%mm1")
RUN(run734, "phaddd %%mm2, %%mm1")
RUN(run735, "phaddsw %%mm2, %%mm1")
RUN(run736, "phaddsw %%mm2, %%mm1")
RUN(run737, "pmaddubsw %%mm2, %%mm1")
RUN(run738, "pmaddubsw %%mm2, %%mm1")
RUN(run739, "phsubw %%mm2, %%mm1")
RUN(run740, "phsubw %%mm2, %%mm1")
RUN(run741, "phsubd %%mm2, %%mm1")
RUN(run742, "phsubd %%mm2, %%mm1")
RUN(run743, "phsubsw %%mm2, %%mm1")
RUN(run744, "phsubsw %%mm2, %%mm1")
RUN(run745, "psignb %%mm2, %%mm1")
RUN(run746, "psignb %%mm2, %%mm1")
RUN(run747, "psignw %%mm2, %%mm1")
RUN(run748, "psignw %%mm2, %%mm1")
RUN(run749, "psignd %%mm2, %%mm1")
RUN(run750, "psignd %%mm2, %%mm1")
RUN(run751, "pmulhrsw %%mm2, %%mm1")
RUN(run752, "pmulhrsw %%mm2, %%mm1")
RUN(run753, "pabsb %%mm2, %%mm1")
RUN(run754, "pabsb %%mm2, %%mm1")
RUN(run755, "pabsw %%mm2, %%mm1")
RUN(run756, "pabsw %%mm2, %%mm1")
RUN(run757, "pabsd %%mm2, %%mm1")
RUN(run758, "pabsd %%mm2, %%mm1")
RUN(run759, "pand %%mm2, %%mm1")
RUN(run760, "pand %%mm2, %%mm1")
RUN(run761, "pandn %%mm2, %%mm1")
RUN(run762, "pandn %%mm2, %%mm1")
RUN(run763, "por %%mm2, %%mm1")
RUN(run764, "por %%mm2, %%mm1")
RUN(run765, "pxor %%mm2, %%mm1")
RUN(run766, "pxor %%mm2, %%mm1")
RUN(run767, "pcmpeqb %%mm2, %%mm1")
RUN(run768, "pcmpeqb %%mm2, %%mm1")
RUN(run769, "pcmpeqw %%mm2, %%mm1")
RUN(run770, "pcmpeqw %%mm2, %%mm1")
RUN(run771, "pcmpeqd %%mm2, %%mm1")
RUN(run772, "pcmpeqd %%mm2, %%mm1")
RUN(run773, "pcmpgtb %%mm2, %%mm1")
RUN(run774, "pcmpgtb %%mm2, %%mm1")
RUN(run775, "pcmpgtw %%mm2, %%mm1")
RUN(run776, "pcmpgtw %%mm2, %%mm1")
RUN(run777, "pcmpgtd %%mm2, %%mm1")
RUN(run778, "pcmpgtd %%mm2, %%mm1")
RUN(run779, "packsswb %%mm2, %%mm1")
RUN(run780, "packsswb %%mm2, %%mm1")
RUN(run781, "packssdw %%mm2, %%mm1")
RUN(run782, "packssdw %%mm2, %%mm1")
RUN(run783, "packuswb %%mm2, %%mm1")
RUN(run784, "packuswb %%mm2, %%mm1")
RUN(run785, "punpcklbw %%mm2, %%mm1")
RUN(run786, "punpcklbw %%mm2, %%mm1")
RUN(run787, "punpcklwd %%mm2, %%mm1")
RUN(run788, "punpcklwd %%mm2, %%mm1")
RUN(run789, "punpckldq %%mm2, %%mm1")
RUN(run790, "punpckldq %%mm2, %%mm1")
RUN(run791, "punpckhbw %%mm2, %%mm1")
RUN(run792, "punpckhbw %%mm2, %%mm1")
RUN(run793, "punpckhwd %%mm2, %%mm1")
RUN(run794, "punpckhwd %%mm2, %%mm1")
RUN(run795, "punpckhdq %%mm2, %%mm1")
RUN(run796, "punpckhdq %%mm2, %%mm1")
RUN(run797, "pshufb %%mm2, %%mm1")
RUN(run798, "pshufb %%mm2, %%mm1")
RUN(run799, "pshufw $27, %%mm2, %%mm1")
RUN(run800, "pshufw $228, %%mm2, %%mm1")
RUN(run801, "pshufw $78, %%mm2, %%mm1")
RUN(run802, "palignr $0, %%mm2, %%mm1")
RUN(run803, "palignr $3, %%mm2, %%mm1")
RUN(run804, "palignr $7, %%mm2, %%mm1")
RUN(run805, "palignr $8, %%mm2, %%mm1")
RUN(run806, "palignr $9, %%mm2, %%mm1")
RUN(run807, "palignr $15, %%mm2, %%mm1")
RUN(run808, "palignr $16, %%mm2, %%mm1")
RUN(run809, "palignr $200, %%mm2, %%mm1")
RUN(run810, ".byte 0x0f,0x29,0xd1")
RUN(run811, ".byte 0x66,0x0f,0x29,0xd1")
RUN(run812, ".byte 0x0f,0x11,0xd1")
RUN(run813, ".byte 0x66,0x0f,0x11,0xd1")
RUN(run814, ".byte 0xf3,0x0f,0x11,0xd1")
RUN(run815, ".byte 0xf2,0x0f,0x11,0xd1")
RUN(run816, ".byte 0x66,0x0f,0x7f,0xd1")
RUN(run817, ".byte 0xf3,0x0f,0x7f,0xd1")
RUN(run818, ".byte 0x66,0x0f,0xd6,0xd1")
RUN(run819, ".byte 0x0f,0x7f,0xd1")

static const struct {
    const char *name;
    unsigned kind;
    void (*fn)(struct run *);
} cases[] = {
    { "paddb", SK_EDGE, run0 },
    { "paddb", SK_RAND, run1 },
    { "paddw", SK_EDGE, run2 },
    { "paddw", SK_RAND, run3 },
    { "paddd", SK_EDGE, run4 },
    { "paddd", SK_RAND, run5 },
    { "paddq", SK_EDGE, run6 },
    { "paddq", SK_RAND, run7 },
    { "psubb", SK_EDGE, run8 },
    { "psubb", SK_RAND, run9 },
    { "psubw", SK_EDGE, run10 },
    { "psubw", SK_RAND, run11 },
    { "psubd", SK_EDGE, run12 },
    { "psubd", SK_RAND, run13 },
    { "psubq", SK_EDGE, run14 },
    { "psubq", SK_RAND, run15 },
    { "paddsb", SK_EDGE, run16 },
    { "paddsb", SK_RAND, run17 },
    { "paddsw", SK_EDGE, run18 },
    { "paddsw", SK_RAND, run19 },
    { "paddusb", SK_EDGE, run20 },
    { "paddusb", SK_RAND, run21 },
    { "paddusw", SK_EDGE, run22 },
    { "paddusw", SK_RAND, run23 },
    { "psubsb", SK_EDGE, run24 },
    { "psubsb", SK_RAND, run25 },
    { "psubsw", SK_EDGE, run26 },
    { "psubsw", SK_RAND, run27 },
    { "psubusb", SK_EDGE, run28 },
    { "psubusb", SK_RAND, run29 },
    { "psubusw", SK_EDGE, run30 },
    { "psubusw", SK_RAND, run31 },
    { "pmullw", SK_EDGE, run32 },
    { "pmullw", SK_RAND, run33 },
    { "pmulhw", SK_EDGE, run34 },
    { "pmulhw", SK_RAND, run35 },
    { "pmulhuw", SK_EDGE, run36 },
    { "pmulhuw", SK_RAND, run37 },
    { "pmuludq", SK_EDGE, run38 },
    { "pmuludq", SK_RAND, run39 },
    { "pmaddwd", SK_EDGE, run40 },
    { "pmaddwd", SK_RAND, run41 },
    { "pavgb", SK_EDGE, run42 },
    { "pavgb", SK_RAND, run43 },
    { "pavgw", SK_EDGE, run44 },
    { "pavgw", SK_RAND, run45 },
    { "psadbw", SK_EDGE, run46 },
    { "psadbw", SK_RAND, run47 },
    { "pminub", SK_EDGE, run48 },
    { "pminub", SK_RAND, run49 },
    { "pmaxub", SK_EDGE, run50 },
    { "pmaxub", SK_RAND, run51 },
    { "pminsw", SK_EDGE, run52 },
    { "pminsw", SK_RAND, run53 },
    { "pmaxsw", SK_EDGE, run54 },
    { "pmaxsw", SK_RAND, run55 },
    { "phaddw", SK_EDGE, run56 },
    { "phaddw", SK_RAND, run57 },
    { "phaddd", SK_EDGE, run58 },
    { "phaddd", SK_RAND, run59 },
    { "phaddsw", SK_EDGE, run60 },
    { "phaddsw", SK_RAND, run61 },
    { "pmaddubsw", SK_EDGE, run62 },
    { "pmaddubsw", SK_RAND, run63 },
    { "phsubw", SK_EDGE, run64 },
    { "phsubw", SK_RAND, run65 },
    { "phsubd", SK_EDGE, run66 },
    { "phsubd", SK_RAND, run67 },
    { "phsubsw", SK_EDGE, run68 },
    { "phsubsw", SK_RAND, run69 },
    { "psignb", SK_EDGE, run70 },
    { "psignb", SK_RAND, run71 },
    { "psignw", SK_EDGE, run72 },
    { "psignw", SK_RAND, run73 },
    { "psignd", SK_EDGE, run74 },
    { "psignd", SK_RAND, run75 },
    { "pmulhrsw", SK_EDGE, run76 },
    { "pmulhrsw", SK_RAND, run77 },
    { "pabsb", SK_EDGE, run78 },
    { "pabsb", SK_RAND, run79 },
    { "pabsw", SK_EDGE, run80 },
    { "pabsw", SK_RAND, run81 },
    { "pabsd", SK_EDGE, run82 },
    { "pabsd", SK_RAND, run83 },
    { "pmuldq", SK_EDGE, run84 },
    { "pmuldq", SK_RAND, run85 },
    { "pminsb", SK_EDGE, run86 },
    { "pminsb", SK_RAND, run87 },
    { "pminsd", SK_EDGE, run88 },
    { "pminsd", SK_RAND, run89 },
    { "pminuw", SK_EDGE, run90 },
    { "pminuw", SK_RAND, run91 },
    { "pminud", SK_EDGE, run92 },
    { "pminud", SK_RAND, run93 },
    { "pmaxsb", SK_EDGE, run94 },
    { "pmaxsb", SK_RAND, run95 },
    { "pmaxsd", SK_EDGE, run96 },
    { "pmaxsd", SK_RAND, run97 },
    { "pmaxuw", SK_EDGE, run98 },
    { "pmaxuw", SK_RAND, run99 },
    { "pmaxud", SK_EDGE, run100 },
    { "pmaxud", SK_RAND, run101 },
    { "pmulld", SK_EDGE, run102 },
    { "pmulld", SK_RAND, run103 },
    { "phminposuw", SK_EDGE, run104 },
    { "phminposuw", SK_RAND, run105 },
    { "pand", SK_EDGE, run106 },
    { "pand", SK_RAND, run107 },
    { "pandn", SK_EDGE, run108 },
    { "pandn", SK_RAND, run109 },
    { "por", SK_EDGE, run110 },
    { "por", SK_RAND, run111 },
    { "pxor", SK_EDGE, run112 },
    { "pxor", SK_RAND, run113 },
    { "andps", SK_EDGE, run114 },
    { "andps", SK_RAND, run115 },
    { "andpd", SK_EDGE, run116 },
    { "andpd", SK_RAND, run117 },
    { "andnps", SK_EDGE, run118 },
    { "andnps", SK_RAND, run119 },
    { "andnpd", SK_EDGE, run120 },
    { "andnpd", SK_RAND, run121 },
    { "orps", SK_EDGE, run122 },
    { "orps", SK_RAND, run123 },
    { "orpd", SK_EDGE, run124 },
    { "orpd", SK_RAND, run125 },
    { "xorps", SK_EDGE, run126 },
    { "xorps", SK_RAND, run127 },
    { "xorpd", SK_EDGE, run128 },
    { "xorpd", SK_RAND, run129 },
    { "pcmpeqb", SK_EDGE, run130 },
    { "pcmpeqb", SK_RAND, run131 },
    { "pcmpeqw", SK_EDGE, run132 },
    { "pcmpeqw", SK_RAND, run133 },
    { "pcmpeqd", SK_EDGE, run134 },
    { "pcmpeqd", SK_RAND, run135 },
    { "pcmpeqq", SK_EDGE, run136 },
    { "pcmpeqq", SK_RAND, run137 },
    { "pcmpgtb", SK_EDGE, run138 },
    { "pcmpgtb", SK_RAND, run139 },
    { "pcmpgtw", SK_EDGE, run140 },
    { "pcmpgtw", SK_RAND, run141 },
    { "pcmpgtd", SK_EDGE, run142 },
    { "pcmpgtd", SK_RAND, run143 },
    { "pcmpgtq", SK_EDGE, run144 },
    { "pcmpgtq", SK_RAND, run145 },
    { "ptest", SK_EDGE, run146 },
    { "ptest", SK_RAND, run147 },
    { "packsswb", SK_EDGE, run148 },
    { "packsswb", SK_RAND, run149 },
    { "packssdw", SK_EDGE, run150 },
    { "packssdw", SK_RAND, run151 },
    { "packuswb", SK_EDGE, run152 },
    { "packuswb", SK_RAND, run153 },
    { "packusdw", SK_EDGE, run154 },
    { "packusdw", SK_RAND, run155 },
    { "punpcklbw", SK_EDGE, run156 },
    { "punpcklbw", SK_RAND, run157 },
    { "punpcklwd", SK_EDGE, run158 },
    { "punpcklwd", SK_RAND, run159 },
    { "punpckldq", SK_EDGE, run160 },
    { "punpckldq", SK_RAND, run161 },
    { "punpcklqdq", SK_EDGE, run162 },
    { "punpcklqdq", SK_RAND, run163 },
    { "punpckhbw", SK_EDGE, run164 },
    { "punpckhbw", SK_RAND, run165 },
    { "punpckhwd", SK_EDGE, run166 },
    { "punpckhwd", SK_RAND, run167 },
    { "punpckhdq", SK_EDGE, run168 },
    { "punpckhdq", SK_RAND, run169 },
    { "punpckhqdq", SK_EDGE, run170 },
    { "punpckhqdq", SK_RAND, run171 },
    { "unpcklps", SK_EDGE, run172 },
    { "unpcklps", SK_RAND, run173 },
    { "unpcklpd", SK_EDGE, run174 },
    { "unpcklpd", SK_RAND, run175 },
    { "unpckhps", SK_EDGE, run176 },
    { "unpckhps", SK_RAND, run177 },
    { "unpckhpd", SK_EDGE, run178 },
    { "unpckhpd", SK_RAND, run179 },
    { "pshufb", SK_EDGE, run180 },
    { "pshufb", SK_RAND, run181 },
    { "pmovsxbw", SK_EDGE, run182 },
    { "pmovsxbw", SK_RAND, run183 },
    { "pmovsxbd", SK_EDGE, run184 },
    { "pmovsxbd", SK_RAND, run185 },
    { "pmovsxbq", SK_EDGE, run186 },
    { "pmovsxbq", SK_RAND, run187 },
    { "pmovsxwd", SK_EDGE, run188 },
    { "pmovsxwd", SK_RAND, run189 },
    { "pmovsxwq", SK_EDGE, run190 },
    { "pmovsxwq", SK_RAND, run191 },
    { "pmovsxdq", SK_EDGE, run192 },
    { "pmovsxdq", SK_RAND, run193 },
    { "pmovzxbw", SK_EDGE, run194 },
    { "pmovzxbw", SK_RAND, run195 },
    { "pmovzxbd", SK_EDGE, run196 },
    { "pmovzxbd", SK_RAND, run197 },
    { "pmovzxbq", SK_EDGE, run198 },
    { "pmovzxbq", SK_RAND, run199 },
    { "pmovzxwd", SK_EDGE, run200 },
    { "pmovzxwd", SK_RAND, run201 },
    { "pmovzxwq", SK_EDGE, run202 },
    { "pmovzxwq", SK_RAND, run203 },
    { "pmovzxdq", SK_EDGE, run204 },
    { "pmovzxdq", SK_RAND, run205 },
    { "movddup", SK_EDGE, run206 },
    { "movddup", SK_RAND, run207 },
    { "movsldup", SK_EDGE, run208 },
    { "movsldup", SK_RAND, run209 },
    { "movshdup", SK_EDGE, run210 },
    { "movshdup", SK_RAND, run211 },
    { "movaps", SK_EDGE, run212 },
    { "movaps", SK_RAND, run213 },
    { "movapd", SK_EDGE, run214 },
    { "movapd", SK_RAND, run215 },
    { "movups", SK_EDGE, run216 },
    { "movups", SK_RAND, run217 },
    { "movupd", SK_EDGE, run218 },
    { "movupd", SK_RAND, run219 },
    { "movdqa", SK_EDGE, run220 },
    { "movdqa", SK_RAND, run221 },
    { "movdqu", SK_EDGE, run222 },
    { "movdqu", SK_RAND, run223 },
    { "movss", SK_EDGE, run224 },
    { "movss", SK_RAND, run225 },
    { "movsd", SK_EDGE, run226 },
    { "movsd", SK_RAND, run227 },
    { "movhlps", SK_EDGE, run228 },
    { "movhlps", SK_RAND, run229 },
    { "movlhps", SK_EDGE, run230 },
    { "movlhps", SK_RAND, run231 },
    { "movq", SK_EDGE, run232 },
    { "movq", SK_RAND, run233 },
    { "aesenc", SK_EDGE, run234 },
    { "aesenc", SK_RAND, run235 },
    { "aesenclast", SK_EDGE, run236 },
    { "aesenclast", SK_RAND, run237 },
    { "aesdec", SK_EDGE, run238 },
    { "aesdec", SK_RAND, run239 },
    { "aesdeclast", SK_EDGE, run240 },
    { "aesdeclast", SK_RAND, run241 },
    { "aesimc", SK_EDGE, run242 },
    { "aesimc", SK_RAND, run243 },
    { "psrlw", SK_COUNT, run244 },
    { "psrlw", SK_COUNT, run245 },
    { "psrlw imm", SK_EDGE, run246 },
    { "psrlw imm", SK_EDGE, run247 },
    { "psrlw imm", SK_EDGE, run248 },
    { "psrlw imm", SK_EDGE, run249 },
    { "psrlw imm", SK_EDGE, run250 },
    { "psrlw imm", SK_EDGE, run251 },
    { "psrlw imm", SK_EDGE, run252 },
    { "psrlw imm", SK_EDGE, run253 },
    { "psrlw imm", SK_EDGE, run254 },
    { "psrlw imm", SK_EDGE, run255 },
    { "psrlw imm", SK_EDGE, run256 },
    { "psrlw imm", SK_EDGE, run257 },
    { "psrlw imm", SK_EDGE, run258 },
    { "psrlw imm", SK_EDGE, run259 },
    { "psrlw imm", SK_EDGE, run260 },
    { "psrlw imm", SK_EDGE, run261 },
    { "psrlw imm", SK_EDGE, run262 },
    { "psrlw imm", SK_EDGE, run263 },
    { "psrlw imm", SK_EDGE, run264 },
    { "psrlw imm", SK_EDGE, run265 },
    { "psrld", SK_COUNT, run266 },
    { "psrld", SK_COUNT, run267 },
    { "psrld imm", SK_EDGE, run268 },
    { "psrld imm", SK_EDGE, run269 },
    { "psrld imm", SK_EDGE, run270 },
    { "psrld imm", SK_EDGE, run271 },
    { "psrld imm", SK_EDGE, run272 },
    { "psrld imm", SK_EDGE, run273 },
    { "psrld imm", SK_EDGE, run274 },
    { "psrld imm", SK_EDGE, run275 },
    { "psrld imm", SK_EDGE, run276 },
    { "psrld imm", SK_EDGE, run277 },
    { "psrld imm", SK_EDGE, run278 },
    { "psrld imm", SK_EDGE, run279 },
    { "psrld imm", SK_EDGE, run280 },
    { "psrld imm", SK_EDGE, run281 },
    { "psrld imm", SK_EDGE, run282 },
    { "psrld imm", SK_EDGE, run283 },
    { "psrld imm", SK_EDGE, run284 },
    { "psrld imm", SK_EDGE, run285 },
    { "psrld imm", SK_EDGE, run286 },
    { "psrld imm", SK_EDGE, run287 },
    { "psrlq", SK_COUNT, run288 },
    { "psrlq", SK_COUNT, run289 },
    { "psrlq imm", SK_EDGE, run290 },
    { "psrlq imm", SK_EDGE, run291 },
    { "psrlq imm", SK_EDGE, run292 },
    { "psrlq imm", SK_EDGE, run293 },
    { "psrlq imm", SK_EDGE, run294 },
    { "psrlq imm", SK_EDGE, run295 },
    { "psrlq imm", SK_EDGE, run296 },
    { "psrlq imm", SK_EDGE, run297 },
    { "psrlq imm", SK_EDGE, run298 },
    { "psrlq imm", SK_EDGE, run299 },
    { "psrlq imm", SK_EDGE, run300 },
    { "psrlq imm", SK_EDGE, run301 },
    { "psrlq imm", SK_EDGE, run302 },
    { "psrlq imm", SK_EDGE, run303 },
    { "psrlq imm", SK_EDGE, run304 },
    { "psrlq imm", SK_EDGE, run305 },
    { "psrlq imm", SK_EDGE, run306 },
    { "psrlq imm", SK_EDGE, run307 },
    { "psrlq imm", SK_EDGE, run308 },
    { "psrlq imm", SK_EDGE, run309 },
    { "psraw", SK_COUNT, run310 },
    { "psraw", SK_COUNT, run311 },
    { "psraw imm", SK_EDGE, run312 },
    { "psraw imm", SK_EDGE, run313 },
    { "psraw imm", SK_EDGE, run314 },
    { "psraw imm", SK_EDGE, run315 },
    { "psraw imm", SK_EDGE, run316 },
    { "psraw imm", SK_EDGE, run317 },
    { "psraw imm", SK_EDGE, run318 },
    { "psraw imm", SK_EDGE, run319 },
    { "psraw imm", SK_EDGE, run320 },
    { "psraw imm", SK_EDGE, run321 },
    { "psraw imm", SK_EDGE, run322 },
    { "psraw imm", SK_EDGE, run323 },
    { "psraw imm", SK_EDGE, run324 },
    { "psraw imm", SK_EDGE, run325 },
    { "psraw imm", SK_EDGE, run326 },
    { "psraw imm", SK_EDGE, run327 },
    { "psraw imm", SK_EDGE, run328 },
    { "psraw imm", SK_EDGE, run329 },
    { "psraw imm", SK_EDGE, run330 },
    { "psraw imm", SK_EDGE, run331 },
    { "psrad", SK_COUNT, run332 },
    { "psrad", SK_COUNT, run333 },
    { "psrad imm", SK_EDGE, run334 },
    { "psrad imm", SK_EDGE, run335 },
    { "psrad imm", SK_EDGE, run336 },
    { "psrad imm", SK_EDGE, run337 },
    { "psrad imm", SK_EDGE, run338 },
    { "psrad imm", SK_EDGE, run339 },
    { "psrad imm", SK_EDGE, run340 },
    { "psrad imm", SK_EDGE, run341 },
    { "psrad imm", SK_EDGE, run342 },
    { "psrad imm", SK_EDGE, run343 },
    { "psrad imm", SK_EDGE, run344 },
    { "psrad imm", SK_EDGE, run345 },
    { "psrad imm", SK_EDGE, run346 },
    { "psrad imm", SK_EDGE, run347 },
    { "psrad imm", SK_EDGE, run348 },
    { "psrad imm", SK_EDGE, run349 },
    { "psrad imm", SK_EDGE, run350 },
    { "psrad imm", SK_EDGE, run351 },
    { "psrad imm", SK_EDGE, run352 },
    { "psrad imm", SK_EDGE, run353 },
    { "psllw", SK_COUNT, run354 },
    { "psllw", SK_COUNT, run355 },
    { "psllw imm", SK_EDGE, run356 },
    { "psllw imm", SK_EDGE, run357 },
    { "psllw imm", SK_EDGE, run358 },
    { "psllw imm", SK_EDGE, run359 },
    { "psllw imm", SK_EDGE, run360 },
    { "psllw imm", SK_EDGE, run361 },
    { "psllw imm", SK_EDGE, run362 },
    { "psllw imm", SK_EDGE, run363 },
    { "psllw imm", SK_EDGE, run364 },
    { "psllw imm", SK_EDGE, run365 },
    { "psllw imm", SK_EDGE, run366 },
    { "psllw imm", SK_EDGE, run367 },
    { "psllw imm", SK_EDGE, run368 },
    { "psllw imm", SK_EDGE, run369 },
    { "psllw imm", SK_EDGE, run370 },
    { "psllw imm", SK_EDGE, run371 },
    { "psllw imm", SK_EDGE, run372 },
    { "psllw imm", SK_EDGE, run373 },
    { "psllw imm", SK_EDGE, run374 },
    { "psllw imm", SK_EDGE, run375 },
    { "pslld", SK_COUNT, run376 },
    { "pslld", SK_COUNT, run377 },
    { "pslld imm", SK_EDGE, run378 },
    { "pslld imm", SK_EDGE, run379 },
    { "pslld imm", SK_EDGE, run380 },
    { "pslld imm", SK_EDGE, run381 },
    { "pslld imm", SK_EDGE, run382 },
    { "pslld imm", SK_EDGE, run383 },
    { "pslld imm", SK_EDGE, run384 },
    { "pslld imm", SK_EDGE, run385 },
    { "pslld imm", SK_EDGE, run386 },
    { "pslld imm", SK_EDGE, run387 },
    { "pslld imm", SK_EDGE, run388 },
    { "pslld imm", SK_EDGE, run389 },
    { "pslld imm", SK_EDGE, run390 },
    { "pslld imm", SK_EDGE, run391 },
    { "pslld imm", SK_EDGE, run392 },
    { "pslld imm", SK_EDGE, run393 },
    { "pslld imm", SK_EDGE, run394 },
    { "pslld imm", SK_EDGE, run395 },
    { "pslld imm", SK_EDGE, run396 },
    { "pslld imm", SK_EDGE, run397 },
    { "psllq", SK_COUNT, run398 },
    { "psllq", SK_COUNT, run399 },
    { "psllq imm", SK_EDGE, run400 },
    { "psllq imm", SK_EDGE, run401 },
    { "psllq imm", SK_EDGE, run402 },
    { "psllq imm", SK_EDGE, run403 },
    { "psllq imm", SK_EDGE, run404 },
    { "psllq imm", SK_EDGE, run405 },
    { "psllq imm", SK_EDGE, run406 },
    { "psllq imm", SK_EDGE, run407 },
    { "psllq imm", SK_EDGE, run408 },
    { "psllq imm", SK_EDGE, run409 },
    { "psllq imm", SK_EDGE, run410 },
    { "psllq imm", SK_EDGE, run411 },
    { "psllq imm", SK_EDGE, run412 },
    { "psllq imm", SK_EDGE, run413 },
    { "psllq imm", SK_EDGE, run414 },
    { "psllq imm", SK_EDGE, run415 },
    { "psllq imm", SK_EDGE, run416 },
    { "psllq imm", SK_EDGE, run417 },
    { "psllq imm", SK_EDGE, run418 },
    { "psllq imm", SK_EDGE, run419 },
    { "psrldq", SK_RAND, run420 },
    { "psrldq", SK_RAND, run421 },
    { "psrldq", SK_RAND, run422 },
    { "psrldq", SK_RAND, run423 },
    { "psrldq", SK_RAND, run424 },
    { "psrldq", SK_RAND, run425 },
    { "psrldq", SK_RAND, run426 },
    { "psrldq", SK_RAND, run427 },
    { "pslldq", SK_RAND, run428 },
    { "pslldq", SK_RAND, run429 },
    { "pslldq", SK_RAND, run430 },
    { "pslldq", SK_RAND, run431 },
    { "pslldq", SK_RAND, run432 },
    { "pslldq", SK_RAND, run433 },
    { "pslldq", SK_RAND, run434 },
    { "pslldq", SK_RAND, run435 },
    { "blendvps", SK_RAND, run436 },
    { "blendvps", SK_EDGE, run437 },
    { "blendvpd", SK_RAND, run438 },
    { "blendvpd", SK_EDGE, run439 },
    { "pblendvb", SK_RAND, run440 },
    { "pblendvb", SK_EDGE, run441 },
    { "pshufd", SK_RAND, run442 },
    { "pshufd", SK_RAND, run443 },
    { "pshufd", SK_RAND, run444 },
    { "pshuflw", SK_RAND, run445 },
    { "pshuflw", SK_RAND, run446 },
    { "pshufhw", SK_RAND, run447 },
    { "pshufhw", SK_RAND, run448 },
    { "shufps", SK_RAND, run449 },
    { "shufps", SK_RAND, run450 },
    { "shufps", SK_RAND, run451 },
    { "shufpd", SK_RAND, run452 },
    { "shufpd", SK_RAND, run453 },
    { "shufpd", SK_RAND, run454 },
    { "shufpd", SK_RAND, run455 },
    { "palignr", SK_RAND, run456 },
    { "palignr", SK_RAND, run457 },
    { "palignr", SK_RAND, run458 },
    { "palignr", SK_RAND, run459 },
    { "palignr", SK_RAND, run460 },
    { "palignr", SK_RAND, run461 },
    { "palignr", SK_RAND, run462 },
    { "palignr", SK_RAND, run463 },
    { "palignr", SK_RAND, run464 },
    { "mpsadbw", SK_RAND, run465 },
    { "mpsadbw", SK_RAND, run466 },
    { "mpsadbw", SK_RAND, run467 },
    { "mpsadbw", SK_RAND, run468 },
    { "mpsadbw", SK_RAND, run469 },
    { "mpsadbw", SK_RAND, run470 },
    { "mpsadbw", SK_RAND, run471 },
    { "mpsadbw", SK_RAND, run472 },
    { "blendps", SK_RAND, run473 },
    { "blendps", SK_RAND, run474 },
    { "blendpd", SK_RAND, run475 },
    { "blendpd", SK_RAND, run476 },
    { "pblendw", SK_RAND, run477 },
    { "pblendw", SK_RAND, run478 },
    { "insertps", SK_RAND, run479 },
    { "insertps", SK_RAND, run480 },
    { "insertps", SK_RAND, run481 },
    { "insertps", SK_RAND, run482 },
    { "pclmulqdq", SK_RAND, run483 },
    { "pclmulqdq", SK_RAND, run484 },
    { "pclmulqdq", SK_RAND, run485 },
    { "pclmulqdq", SK_RAND, run486 },
    { "aeskeygenassist", SK_RAND, run487 },
    { "aeskeygenassist", SK_RAND, run488 },
    { "pcmpestri", SK_TEXT, run489 },
    { "pcmpestri", SK_TEXT, run490 },
    { "pcmpestri", SK_TEXT, run491 },
    { "pcmpestri", SK_TEXT, run492 },
    { "pcmpestri", SK_TEXT, run493 },
    { "pcmpestri", SK_TEXT, run494 },
    { "pcmpestri", SK_TEXT, run495 },
    { "pcmpestri", SK_TEXT, run496 },
    { "pcmpestri", SK_TEXT, run497 },
    { "pcmpestri", SK_TEXT, run498 },
    { "pcmpestri", SK_TEXT, run499 },
    { "pcmpestri", SK_TEXT, run500 },
    { "pcmpestri", SK_TEXT, run501 },
    { "pcmpestri", SK_TEXT, run502 },
    { "pcmpestri", SK_TEXT, run503 },
    { "pcmpestri", SK_TEXT, run504 },
    { "pcmpestri", SK_TEXT, run505 },
    { "pcmpestri", SK_TEXT, run506 },
    { "pcmpestri", SK_TEXT, run507 },
    { "pcmpestri", SK_TEXT, run508 },
    { "pcmpestri", SK_TEXT, run509 },
    { "pcmpestri", SK_TEXT, run510 },
    { "pcmpestri", SK_TEXT, run511 },
    { "pcmpestri", SK_TEXT, run512 },
    { "pcmpestri", SK_TEXT, run513 },
    { "pcmpestri", SK_TEXT, run514 },
    { "pcmpestri", SK_EDGE, run515 },
    { "pcmpestrm", SK_TEXT, run516 },
    { "pcmpestrm", SK_TEXT, run517 },
    { "pcmpestrm", SK_TEXT, run518 },
    { "pcmpestrm", SK_TEXT, run519 },
    { "pcmpestrm", SK_TEXT, run520 },
    { "pcmpestrm", SK_TEXT, run521 },
    { "pcmpestrm", SK_TEXT, run522 },
    { "pcmpestrm", SK_TEXT, run523 },
    { "pcmpestrm", SK_TEXT, run524 },
    { "pcmpestrm", SK_TEXT, run525 },
    { "pcmpestrm", SK_TEXT, run526 },
    { "pcmpestrm", SK_TEXT, run527 },
    { "pcmpestrm", SK_TEXT, run528 },
    { "pcmpestrm", SK_TEXT, run529 },
    { "pcmpestrm", SK_TEXT, run530 },
    { "pcmpestrm", SK_TEXT, run531 },
    { "pcmpestrm", SK_TEXT, run532 },
    { "pcmpestrm", SK_TEXT, run533 },
    { "pcmpestrm", SK_TEXT, run534 },
    { "pcmpestrm", SK_TEXT, run535 },
    { "pcmpestrm", SK_TEXT, run536 },
    { "pcmpestrm", SK_TEXT, run537 },
    { "pcmpestrm", SK_TEXT, run538 },
    { "pcmpestrm", SK_TEXT, run539 },
    { "pcmpestrm", SK_TEXT, run540 },
    { "pcmpestrm", SK_TEXT, run541 },
    { "pcmpestrm", SK_EDGE, run542 },
    { "pcmpistri", SK_TEXT, run543 },
    { "pcmpistri", SK_TEXT, run544 },
    { "pcmpistri", SK_TEXT, run545 },
    { "pcmpistri", SK_TEXT, run546 },
    { "pcmpistri", SK_TEXT, run547 },
    { "pcmpistri", SK_TEXT, run548 },
    { "pcmpistri", SK_TEXT, run549 },
    { "pcmpistri", SK_TEXT, run550 },
    { "pcmpistri", SK_TEXT, run551 },
    { "pcmpistri", SK_TEXT, run552 },
    { "pcmpistri", SK_TEXT, run553 },
    { "pcmpistri", SK_TEXT, run554 },
    { "pcmpistri", SK_TEXT, run555 },
    { "pcmpistri", SK_TEXT, run556 },
    { "pcmpistri", SK_TEXT, run557 },
    { "pcmpistri", SK_TEXT, run558 },
    { "pcmpistri", SK_TEXT, run559 },
    { "pcmpistri", SK_TEXT, run560 },
    { "pcmpistri", SK_TEXT, run561 },
    { "pcmpistri", SK_TEXT, run562 },
    { "pcmpistri", SK_TEXT, run563 },
    { "pcmpistri", SK_TEXT, run564 },
    { "pcmpistri", SK_TEXT, run565 },
    { "pcmpistri", SK_TEXT, run566 },
    { "pcmpistri", SK_TEXT, run567 },
    { "pcmpistri", SK_TEXT, run568 },
    { "pcmpistri", SK_EDGE, run569 },
    { "pcmpistrm", SK_TEXT, run570 },
    { "pcmpistrm", SK_TEXT, run571 },
    { "pcmpistrm", SK_TEXT, run572 },
    { "pcmpistrm", SK_TEXT, run573 },
    { "pcmpistrm", SK_TEXT, run574 },
    { "pcmpistrm", SK_TEXT, run575 },
    { "pcmpistrm", SK_TEXT, run576 },
    { "pcmpistrm", SK_TEXT, run577 },
    { "pcmpistrm", SK_TEXT, run578 },
    { "pcmpistrm", SK_TEXT, run579 },
    { "pcmpistrm", SK_TEXT, run580 },
    { "pcmpistrm", SK_TEXT, run581 },
    { "pcmpistrm", SK_TEXT, run582 },
    { "pcmpistrm", SK_TEXT, run583 },
    { "pcmpistrm", SK_TEXT, run584 },
    { "pcmpistrm", SK_TEXT, run585 },
    { "pcmpistrm", SK_TEXT, run586 },
    { "pcmpistrm", SK_TEXT, run587 },
    { "pcmpistrm", SK_TEXT, run588 },
    { "pcmpistrm", SK_TEXT, run589 },
    { "pcmpistrm", SK_TEXT, run590 },
    { "pcmpistrm", SK_TEXT, run591 },
    { "pcmpistrm", SK_TEXT, run592 },
    { "pcmpistrm", SK_TEXT, run593 },
    { "pcmpistrm", SK_TEXT, run594 },
    { "pcmpistrm", SK_TEXT, run595 },
    { "pcmpistrm", SK_EDGE, run596 },
    { "pmovmskb", SK_EDGE, run597 },
    { "movmskps", SK_EDGE, run598 },
    { "movmskpd", SK_EDGE, run599 },
    { "movd", SK_EDGE, run600 },
    { "movq", SK_EDGE, run601 },
    { "pmovmskb", SK_EDGE, run602 },
    { "movd", SK_EDGE, run603 },
    { "movq", SK_EDGE, run604 },
    { "pextrb", SK_RAND, run605 },
    { "pextrb", SK_RAND, run606 },
    { "pextrb", SK_RAND, run607 },
    { "pextrw", SK_RAND, run608 },
    { "pextrw 3a", SK_RAND, run609 },
    { "pextrw mmx", SK_RAND, run610 },
    { "pextrw", SK_RAND, run611 },
    { "pextrw 3a", SK_RAND, run612 },
    { "pextrw mmx", SK_RAND, run613 },
    { "pextrw", SK_RAND, run614 },
    { "pextrw 3a", SK_RAND, run615 },
    { "pextrw mmx", SK_RAND, run616 },
    { "pextrw", SK_RAND, run617 },
    { "pextrw 3a", SK_RAND, run618 },
    { "pextrw mmx", SK_RAND, run619 },
    { "pextrd", SK_RAND, run620 },
    { "extractps", SK_RAND, run621 },
    { "pextrd", SK_RAND, run622 },
    { "extractps", SK_RAND, run623 },
    { "pextrd", SK_RAND, run624 },
    { "extractps", SK_RAND, run625 },
    { "pextrd", SK_RAND, run626 },
    { "extractps", SK_RAND, run627 },
    { "pextrq", SK_RAND, run628 },
    { "pextrq", SK_RAND, run629 },
    { "pextrq", SK_RAND, run630 },
    { "pinsrb", SK_RAND, run631 },
    { "pinsrb", SK_RAND, run632 },
    { "pinsrb", SK_RAND, run633 },
    { "pinsrb", SK_RAND, run634 },
    { "pinsrw", SK_RAND, run635 },
    { "pinsrw mmx", SK_RAND, run636 },
    { "pinsrw", SK_RAND, run637 },
    { "pinsrw mmx", SK_RAND, run638 },
    { "pinsrw", SK_RAND, run639 },
    { "pinsrw mmx", SK_RAND, run640 },
    { "pinsrw", SK_RAND, run641 },
    { "pinsrw mmx", SK_RAND, run642 },
    { "pinsrd", SK_RAND, run643 },
    { "pinsrd", SK_RAND, run644 },
    { "pinsrd", SK_RAND, run645 },
    { "pinsrq", SK_RAND, run646 },
    { "pinsrq", SK_RAND, run647 },
    { "pinsrq", SK_RAND, run648 },
    { "movd", SK_RAND, run649 },
    { "movd", SK_EDGE, run650 },
    { "movq", SK_RAND, run651 },
    { "movq", SK_EDGE, run652 },
    { "movd", SK_RAND, run653 },
    { "movd", SK_EDGE, run654 },
    { "movq", SK_RAND, run655 },
    { "movq", SK_EDGE, run656 },
    { "movq", SK_RAND, run657 },
    { "movq", SK_EDGE, run658 },
    { "movq2dq", SK_RAND, run659 },
    { "movq2dq", SK_EDGE, run660 },
    { "movdq2q", SK_RAND, run661 },
    { "movdq2q", SK_EDGE, run662 },
    { "crc32b", SK_RAND, run663 },
    { "crc32b", SK_EDGE, run664 },
    { "crc32b", SK_RAND, run665 },
    { "crc32b", SK_EDGE, run666 },
    { "crc32w", SK_RAND, run667 },
    { "crc32w", SK_EDGE, run668 },
    { "crc32l", SK_RAND, run669 },
    { "crc32l", SK_EDGE, run670 },
    { "crc32q", SK_RAND, run671 },
    { "crc32q", SK_EDGE, run672 },
    { "crc32b", SK_RAND, run673 },
    { "crc32b", SK_EDGE, run674 },
    { "paddb mmx", SK_EDGE, run675 },
    { "paddb mmx", SK_RAND, run676 },
    { "paddw mmx", SK_EDGE, run677 },
    { "paddw mmx", SK_RAND, run678 },
    { "paddd mmx", SK_EDGE, run679 },
    { "paddd mmx", SK_RAND, run680 },
    { "paddq mmx", SK_EDGE, run681 },
    { "paddq mmx", SK_RAND, run682 },
    { "psubb mmx", SK_EDGE, run683 },
    { "psubb mmx", SK_RAND, run684 },
    { "psubw mmx", SK_EDGE, run685 },
    { "psubw mmx", SK_RAND, run686 },
    { "psubd mmx", SK_EDGE, run687 },
    { "psubd mmx", SK_RAND, run688 },
    { "psubq mmx", SK_EDGE, run689 },
    { "psubq mmx", SK_RAND, run690 },
    { "paddsb mmx", SK_EDGE, run691 },
    { "paddsb mmx", SK_RAND, run692 },
    { "paddsw mmx", SK_EDGE, run693 },
    { "paddsw mmx", SK_RAND, run694 },
    { "paddusb mmx", SK_EDGE, run695 },
    { "paddusb mmx", SK_RAND, run696 },
    { "paddusw mmx", SK_EDGE, run697 },
    { "paddusw mmx", SK_RAND, run698 },
    { "psubsb mmx", SK_EDGE, run699 },
    { "psubsb mmx", SK_RAND, run700 },
    { "psubsw mmx", SK_EDGE, run701 },
    { "psubsw mmx", SK_RAND, run702 },
    { "psubusb mmx", SK_EDGE, run703 },
    { "psubusb mmx", SK_RAND, run704 },
    { "psubusw mmx", SK_EDGE, run705 },
    { "psubusw mmx", SK_RAND, run706 },
    { "pmullw mmx", SK_EDGE, run707 },
    { "pmullw mmx", SK_RAND, run708 },
    { "pmulhw mmx", SK_EDGE, run709 },
    { "pmulhw mmx", SK_RAND, run710 },
    { "pmulhuw mmx", SK_EDGE, run711 },
    { "pmulhuw mmx", SK_RAND, run712 },
    { "pmuludq mmx", SK_EDGE, run713 },
    { "pmuludq mmx", SK_RAND, run714 },
    { "pmaddwd mmx", SK_EDGE, run715 },
    { "pmaddwd mmx", SK_RAND, run716 },
    { "pavgb mmx", SK_EDGE, run717 },
    { "pavgb mmx", SK_RAND, run718 },
    { "pavgw mmx", SK_EDGE, run719 },
    { "pavgw mmx", SK_RAND, run720 },
    { "psadbw mmx", SK_EDGE, run721 },
    { "psadbw mmx", SK_RAND, run722 },
    { "pminub mmx", SK_EDGE, run723 },
    { "pminub mmx", SK_RAND, run724 },
    { "pmaxub mmx", SK_EDGE, run725 },
    { "pmaxub mmx", SK_RAND, run726 },
    { "pminsw mmx", SK_EDGE, run727 },
    { "pminsw mmx", SK_RAND, run728 },
    { "pmaxsw mmx", SK_EDGE, run729 },
    { "pmaxsw mmx", SK_RAND, run730 },
    { "phaddw mmx", SK_EDGE, run731 },
    { "phaddw mmx", SK_RAND, run732 },
    { "phaddd mmx", SK_EDGE, run733 },
    { "phaddd mmx", SK_RAND, run734 },
    { "phaddsw mmx", SK_EDGE, run735 },
    { "phaddsw mmx", SK_RAND, run736 },
    { "pmaddubsw mmx", SK_EDGE, run737 },
    { "pmaddubsw mmx", SK_RAND, run738 },
    { "phsubw mmx", SK_EDGE, run739 },
    { "phsubw mmx", SK_RAND, run740 },
    { "phsubd mmx", SK_EDGE, run741 },
    { "phsubd mmx", SK_RAND, run742 },
    { "phsubsw mmx", SK_EDGE, run743 },
    { "phsubsw mmx", SK_RAND, run744 },
    { "psignb mmx", SK_EDGE, run745 },
    { "psignb mmx", SK_RAND, run746 },
    { "psignw mmx", SK_EDGE, run747 },
    { "psignw mmx", SK_RAND, run748 },
    { "psignd mmx", SK_EDGE, run749 },
    { "psignd mmx", SK_RAND, run750 },
    { "pmulhrsw mmx", SK_EDGE, run751 },
    { "pmulhrsw mmx", SK_RAND, run752 },
    { "pabsb mmx", SK_EDGE, run753 },
    { "pabsb mmx", SK_RAND, run754 },
    { "pabsw mmx", SK_EDGE, run755 },
    { "pabsw mmx", SK_RAND, run756 },
    { "pabsd mmx", SK_EDGE, run757 },
    { "pabsd mmx", SK_RAND, run758 },
    { "pand mmx", SK_EDGE, run759 },
    { "pand mmx", SK_RAND, run760 },
    { "pandn mmx", SK_EDGE, run761 },
    { "pandn mmx", SK_RAND, run762 },
    { "por mmx", SK_EDGE, run763 },
    { "por mmx", SK_RAND, run764 },
    { "pxor mmx", SK_EDGE, run765 },
    { "pxor mmx", SK_RAND, run766 },
    { "pcmpeqb mmx", SK_EDGE, run767 },
    { "pcmpeqb mmx", SK_RAND, run768 },
    { "pcmpeqw mmx", SK_EDGE, run769 },
    { "pcmpeqw mmx", SK_RAND, run770 },
    { "pcmpeqd mmx", SK_EDGE, run771 },
    { "pcmpeqd mmx", SK_RAND, run772 },
    { "pcmpgtb mmx", SK_EDGE, run773 },
    { "pcmpgtb mmx", SK_RAND, run774 },
    { "pcmpgtw mmx", SK_EDGE, run775 },
    { "pcmpgtw mmx", SK_RAND, run776 },
    { "pcmpgtd mmx", SK_EDGE, run777 },
    { "pcmpgtd mmx", SK_RAND, run778 },
    { "packsswb mmx", SK_EDGE, run779 },
    { "packsswb mmx", SK_RAND, run780 },
    { "packssdw mmx", SK_EDGE, run781 },
    { "packssdw mmx", SK_RAND, run782 },
    { "packuswb mmx", SK_EDGE, run783 },
    { "packuswb mmx", SK_RAND, run784 },
    { "punpcklbw mmx", SK_EDGE, run785 },
    { "punpcklbw mmx", SK_RAND, run786 },
    { "punpcklwd mmx", SK_EDGE, run787 },
    { "punpcklwd mmx", SK_RAND, run788 },
    { "punpckldq mmx", SK_EDGE, run789 },
    { "punpckldq mmx", SK_RAND, run790 },
    { "punpckhbw mmx", SK_EDGE, run791 },
    { "punpckhbw mmx", SK_RAND, run792 },
    { "punpckhwd mmx", SK_EDGE, run793 },
    { "punpckhwd mmx", SK_RAND, run794 },
    { "punpckhdq mmx", SK_EDGE, run795 },
    { "punpckhdq mmx", SK_RAND, run796 },
    { "pshufb mmx", SK_EDGE, run797 },
    { "pshufb mmx", SK_RAND, run798 },
    { "pshufw", SK_RAND, run799 },
    { "pshufw", SK_RAND, run800 },
    { "pshufw", SK_RAND, run801 },
    { "palignr mmx", SK_RAND, run802 },
    { "palignr mmx", SK_RAND, run803 },
    { "palignr mmx", SK_RAND, run804 },
    { "palignr mmx", SK_RAND, run805 },
    { "palignr mmx", SK_RAND, run806 },
    { "palignr mmx", SK_RAND, run807 },
    { "palignr mmx", SK_RAND, run808 },
    { "palignr mmx", SK_RAND, run809 },
    { "movaps st", SK_RAND, run810 },
    { "movapd st", SK_RAND, run811 },
    { "movups st", SK_RAND, run812 },
    { "movupd st", SK_RAND, run813 },
    { "movss st", SK_RAND, run814 },
    { "movsd st", SK_RAND, run815 },
    { "movdqa st", SK_RAND, run816 },
    { "movdqu st", SK_RAND, run817 },
    { "movq st", SK_RAND, run818 },
    { "movq mmx st", SK_RAND, run819 },
};

int main(void)
{
    printf("/* Generated by tests/unit/vectors/gen-sse.c on an x86-64 host; "
           "do not edit. */\n");
    for (unsigned k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        for (uint64_t seed = 1; seed <= 2; seed++) {
            struct run r;
            const uint8_t *p;
            unsigned len;

            sse_inputs(&r.st, cases[k].kind, seed + 100 * k);
            cases[k].fn(&r);
            p = (const uint8_t *)(uintptr_t)r.start;
            len = (unsigned)(r.end - r.start);
            printf("{ \"%s\", %u, %lluu, %u, {", cases[k].name, cases[k].kind,
                   (unsigned long long)(seed + 100 * k), len);
            for (unsigned b = 0; b < len; b++)
                printf("%s0x%02x", b ? "," : "", p[b]);
            printf("}, { 0x%llx, 0x%llx, 0x%llx, 0x%llx, 0x%llx, 0x%llx, 0x%llx, "
                   "0x%llx, 0x%llx } },\n",
                   (unsigned long long)r.st.x[0][0], (unsigned long long)r.st.x[0][1],
                   (unsigned long long)r.st.x[1][0], (unsigned long long)r.st.x[1][1],
                   (unsigned long long)r.st.mm[1], (unsigned long long)r.st.rax,
                   (unsigned long long)r.st.rcx, (unsigned long long)r.st.rdx,
                   (unsigned long long)(r.st.fl & 0x8d5));
        }
    }
    return 0;
}
