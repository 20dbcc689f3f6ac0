/*
 * arch/layout.h — the virtual layout's constants that assembly needs too
 * (entry code, trampolines); C code reads them through arch/mmu.h.
 * Assembly includes this file with __ASSEMBLY__ defined, where the
 * constants lose their C suffixes.
 */
#ifndef BATON_ARCH_LAYOUT_H
#define BATON_ARCH_LAYOUT_H

#ifdef __ASSEMBLY__
#define BATON_UL(x) x
#else
#define BATON_UL(x) x##UL
#endif

#define PAGE_SHIFT 12
/* The kernel image, wherever it was loaded (the linker scripts say the
 * same number: they cannot include this file). */
#define KERNEL_VBASE BATON_UL(0xffffffff80000000)

#endif
