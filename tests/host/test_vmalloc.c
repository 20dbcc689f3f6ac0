/*
 * test_vmalloc.c — mm/vmalloc.c on fake RAM with the fake MMU: areas are
 * contiguous, aliased to their pages, separated by unmapped guard pages,
 * and everything goes back on vfree, also after running out of memory.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "host.h"
#include "mm_boot.h"
#include "buddy.h"
#include "slab.h"
#include "vmalloc.h"
#include "mm/misuse.h"

#define RAM (32ULL << 20)

static u64 held(void)
{
	struct buddy_stats st;

	buddy_stats(&st);
	return st.free_pages + mm_slab_pages();
}

TEST(vmalloc, area_is_contiguous_and_aliases_its_pages)
{
	u64 before;
	u8 *p;

	mm_boot(RAM);
	before = held();
	p = vmalloc(5 * PAGE_SIZE + 100);
	REQUIRE(p);
	EXPECT(is_vmalloc_addr(p));
	memset(p, 0x3c, 6 * PAGE_SIZE);
	for (int i = 0; i < 6; i++) {
		struct page *pg = vmalloc_to_page(p + i * PAGE_SIZE);
		phys_addr_t pa;

		REQUIRE(pg);
		EXPECT(((u8 *)page_address(pg))[17] == 0x3c); /* same memory */
		EXPECT(arch_kernel_page_phys((unsigned long)p + i * PAGE_SIZE + 5, &pa));
		EXPECT_EQ(pa, page_to_phys(pg) + 5);
	}
	EXPECT(vmalloc_to_page(p + 6 * PAGE_SIZE) == NULL); /* the guard */
	vfree(p);
	EXPECT_EQ(held(), before);
}

static void on_segv(int sig)
{
	(void)sig;
	_exit(42);
}

TEST(vmalloc, guard_page_faults)
{
	u8 *a, *b;
	pid_t pid;
	int status;

	mm_boot(RAM);
	a = vmalloc(PAGE_SIZE);
	b = vmalloc(PAGE_SIZE);
	REQUIRE(a && b);
	EXPECT(b >= a + 2 * PAGE_SIZE); /* guard between */
	pid = fork();
	if (pid == 0) {
		/* Our handler, not ASan's: exit 42 on the fault. */
		struct sigaction sa = { .sa_handler = on_segv };

		sigaction(SIGSEGV, &sa, NULL);
		a[PAGE_SIZE - 1] = 1; /* last byte: fine */
		a[PAGE_SIZE] = 1;     /* one past the end */
		_exit(0);
	}
	REQUIRE(waitpid(pid, &status, 0) == pid);
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 42);
	vfree(a);
	vfree(b);
}

TEST(vmalloc, reuses_gaps_and_stays_sorted)
{
	void *a, *b, *c, *d;

	mm_boot(RAM);
	a = vmalloc(PAGE_SIZE);
	b = vmalloc(3 * PAGE_SIZE);
	c = vmalloc(PAGE_SIZE);
	REQUIRE(a && b && c);
	vfree(b);
	EXPECT_EQ(vmalloc_check(NULL, 0), 0);
	d = vmalloc(2 * PAGE_SIZE); /* fits b's gap */
	EXPECT(d == b);
	vfree(a);
	vfree(c);
	vfree(d);
}

TEST(vmalloc, vzalloc_and_refusals)
{
	u8 *p;

	mm_boot(RAM);
	p = vmalloc(PAGE_SIZE);
	memset(p, 0xee, PAGE_SIZE);
	vfree(p);
	p = vzalloc(PAGE_SIZE);
	REQUIRE(p);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		REQUIRE(p[i] == 0);
	vfree(p + 8);
	EXPECT_LOG("not the start of a vmalloc area");
	EXPECT_EQ(misuse_count[MISUSE_VMALLOC_BAD_FREE], 1);
	EXPECT_EQ(vmalloc_check(NULL, 0), 0);
	vfree(p);
	EXPECT(vmalloc(0) == NULL);
}

TEST(vmalloc, kvmalloc_picks_kmalloc_or_vmalloc)
{
	void *s, *l;

	mm_boot(RAM);
	s = kvmalloc(100, GFP_KERNEL);
	l = kvmalloc(KVMALLOC_KMALLOC_MAX + 1, GFP_KERNEL);
	REQUIRE(s && l);
	EXPECT(!is_vmalloc_addr(s));
	EXPECT(is_vmalloc_addr(l));
	kvfree(s);
	kvfree(l);
	EXPECT_NO_LOG("ignored");
}

TEST(vmalloc, out_of_memory_loses_nothing)
{
	struct vmalloc_stats st;
	u64 before;
	void *big;

	mm_boot(RAM);
	before = held();
	big = vmalloc(2 * RAM); /* cannot fit */
	EXPECT(big == NULL);
	vmalloc_stats(&st);
	EXPECT_EQ(st.areas, 0);
	EXPECT_EQ(st.pages, 0);
	/* Every page taken on the way was given back (slab pages may stay
	 * cached for the bookkeeping caches). */
	EXPECT(held() >= before);
	big = vmalloc(RAM / 4);
	EXPECT(big != NULL);
	vfree(big);
}
