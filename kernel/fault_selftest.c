/*
 * fault_selftest.c — the memory protection's self-tests (fault.h).
 *
 * protect.layout (in ktest=all) asks the page tables, through
 * arch_page_rights, what each region allows: text read and execute,
 * rodata read, data and bss read and write, the direct map and vmalloc
 * read and write, nothing at all in the stacks' guard pages and page zero.
 *
 * The crash tests do what the protection forbids, one each, and are run
 * only when named (`ktest=protect.write_text`, tests/boot/cases): the
 * kernel must stop with fault.h's report, naming the access, the address
 * and the region. A crash test that returns has found a hole, and fails.
 */
#include "buddy.h"
#include "fault.h"
#include "kernel.h"
#include "ktest.h"
#include "kstring.h"
#include "printk.h"
#include "vmalloc.h"
#include "arch/cpu.h"
#include "arch/mmu.h"

#define R ARCH_PAGE_READ
#define W ARCH_PAGE_WRITE
#define X ARCH_PAGE_EXEC

static const u64 a_constant = 0x5eed;
static u64 a_variable = 1;
static u64 a_zero; /* bss */

static void expect_rights(struct ktest_ctx *t, const char *what, const void *va, unsigned want)
{
	unsigned got = arch_page_rights((unsigned long)va);

	if (got != want)
		ktest_fail(t, "%s at %p: rights %c%c%c, not %c%c%c", what, va, got & R ? 'r' : '-',
			   got & W ? 'w' : '-', got & X ? 'x' : '-', want & R ? 'r' : '-',
			   want & W ? 'w' : '-', want & X ? 'x' : '-');
}

KTEST(protect, layout)
{
	struct page *pg = alloc_pages(GFP_KERNEL, 0);
	void *v = vmalloc(PAGE_SIZE);
	u64 on_stack = 0;

	expect_rights(t, "kernel text", (const void *)ktest_run, R | X);
	expect_rights(t, "kernel rodata", &a_constant, R);
	expect_rights(t, "kernel data", &a_variable, R | W);
	expect_rights(t, "kernel bss", &a_zero, R | W);
	expect_rights(t, "the boot stack", &on_stack, R | W);
	expect_rights(t, "the boot stack's guard page", (const void *)arch_boot_stack_guard(), 0);
	expect_rights(t, "the exception stack's guard page",
		      (const void *)arch_exception_stack_guard(), 0);
	expect_rights(t, "page zero", (const void *)0, 0);
	expect_rights(t, "the last byte of page zero", (const void *)(PAGE_SIZE - 1), 0);
	if (pg)
		expect_rights(t, "a page of the direct map", page_address(pg), R | W);
	if (v)
		expect_rights(t, "a vmalloc page", v, R | W);
	KT_EXPECT(t, pg && v);
	if (pg)
		__free_pages(pg, 0);
	vfree(v);
}

/* The first bytes of a function that only returns, to run from places that
 * must not run code. Position-independent whatever the compiler made. */
static __noinline void just_return(void)
{
	__asm__ volatile("" ::: "memory");
}

#define CODE_BYTES 64
static u8 code_in_data[CODE_BYTES] __aligned(16) = { 1 };

static void call_copy(void *where)
{
	memcpy(where, (const void *)just_return, CODE_BYTES);
	pr_info("protect: calling code copied to %p", where);
	((void (*)(void))where)();
}

/* An address the compiler cannot see is NULL (a NULL dereference it can
 * see is undefined behaviour it may compile into anything). */
static volatile uintptr_t null_address;

KTEST_CRASH(protect, null)
{
	u64 v = *(volatile u64 *)null_address;

	ktest_fail(t, "a read through a NULL pointer did not fault (it read 0x%llx)",
		   (unsigned long long)v);
}

KTEST_CRASH(protect, identity)
{
	/* The image's own physical address, which the boot's identity map
	 * (gone once the kernel runs) would translate. */
	phys_addr_t pa = arch_image_phys_base();

	u64 v = *(volatile u64 *)(uintptr_t)pa;

	ktest_fail(t, "a read at the image's physical address did not fault (it read 0x%llx)",
		   (unsigned long long)v);
}

KTEST_CRASH(protect, write_text)
{
	*(volatile u8 *)(void *)ktest_run = 0xcc;
	ktest_fail(t, "a write to kernel text did not fault");
}

KTEST_CRASH(protect, write_rodata)
{
	*(volatile u64 *)&a_constant = 0;
	ktest_fail(t, "a write to kernel rodata did not fault");
}

KTEST_CRASH(protect, exec_data)
{
	call_copy(code_in_data);
	ktest_fail(t, "code in kernel data ran");
}

KTEST_CRASH(protect, exec_direct_map)
{
	struct page *pg = alloc_pages(GFP_KERNEL, 0);

	KT_EXPECT(t, pg != NULL);
	if (pg)
		call_copy(page_address(pg));
	ktest_fail(t, "code in the direct map ran");
}

KTEST_CRASH(protect, exec_vmalloc)
{
	void *v = vmalloc(PAGE_SIZE);

	KT_EXPECT(t, v != NULL);
	if (v)
		call_copy(v);
	ktest_fail(t, "code in a vmalloc area ran");
}

/* Each call takes a frame of 1 KiB and more; the boot stack is 32 KiB, so
 * the guard page is hit long before the depth limit (1 GiB of frames). */
static __noinline unsigned recurse(volatile u8 *above, unsigned depth)
{
	volatile u8 frame[1024];

	frame[0] = (u8)depth;
	frame[sizeof(frame) - 1] = above ? above[0] : 0;
	if (depth % 8 == 0)
		pr_info("protect: recursion depth %u, frame at %p", depth, (void *)frame);
	if (depth == 1u << 20)
		return frame[0];
	return recurse(frame, depth + 1) + frame[1];
}

KTEST_CRASH(protect, stack_overflow)
{
	ktest_fail(t, "a recursion without end returned %u", recurse(NULL, 0));
}
