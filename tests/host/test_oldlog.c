/*
 * test_oldlog.c — kernel/oldlog.c: the earlier generations' logs handed on
 * through KHO.
 *
 * First the reader's rules (oldlog_check), each broken by a record built
 * here: sizes, the compatible, lengths that lie or wrap, counts that lie,
 * generations that go backwards or are not earlier than the reader's.
 * Then real handovers on fake RAM (mm_boot.h): three generations, the
 * last showing each one's lines under its header; a record damaged after
 * the scan, or named outside its preserved block, refused with one line
 * and freed while the boot goes on; the cap, which drops the oldest
 * generations whole; a handover with no record; and a preserve undone
 * (a kexec called off, kho.fail= at the radix and subtree sites) leaving
 * not a page behind.
 */
#include <string.h>
#include <libfdt.h>

#include "harness.h"
#include "host.h"
#include "buddy.h"
#include "kho.h"
#include "kho/kho_internal.h"
#include "mm_boot.h"
#include "oldlog.h"
#include "page.h"
#include "printk.h"
#include "arch/mmu.h"

/* ---- The rules, on records built here ---- */

static u64 blob[OLDLOG_MAX_BYTES / 8 + 512];

/* A record of n generations gens[], each with one line of text; returns
 * a pointer to the i-th record header (for the tests to damage). */
static struct oldlog_record *rec_at(int i)
{
	struct oldlog_record *r = (void *)((char *)blob + sizeof(struct oldlog_header));

	while (i--)
		r = (void *)((char *)r + sizeof(*r) + ALIGN_UP(r->len, 8));
	return r;
}

static struct oldlog_header *build(const u64 *gens, int n)
{
	struct oldlog_header *h = (void *)blob;
	char *p = (char *)(h + 1);

	memset(blob, 0, sizeof(blob));
	memcpy(h->compatible, OLDLOG_COMPATIBLE, sizeof(OLDLOG_COMPATIBLE));
	for (int i = 0; i < n; i++) {
		struct oldlog_record *r = (void *)p;
		int len =
			snprintf(p + sizeof(*r), 64, "%c6[    0.000001] generation %llu says hi\n",
				 LOG_MARK, (unsigned long long)gens[i]);

		r->generation = gens[i];
		r->len = (u64)len;
		p += sizeof(*r) + ALIGN_UP(r->len, 8);
	}
	h->count = (u64)n;
	h->size = (u64)(p - (char *)h);
	return h;
}

static const char *check(u64 blob_size, u64 generation)
{
	static char why[ERR_WHY_MAX];

	why[0] = '\0';
	if (oldlog_check(blob, blob_size, generation, why, sizeof(why)) == 0)
		return NULL;
	return why;
}

static const u64 three[] = { 0, 1, 2 };

TEST(oldlog, a_good_record_is_taken)
{
	build(three, 3);
	EXPECT(check(4096, 3) == NULL);
	EXPECT(check(OLDLOG_MAX_BYTES, 7) == NULL);
	build(three, 0); /* no generations: nothing to show, nothing wrong */
	EXPECT(check(4096, 3) == NULL);
	build((const u64[]){ 4, 9 }, 2); /* gaps: the older ones were dropped */
	EXPECT(check(4096, 10) == NULL);
}

TEST(oldlog, block_sizes)
{
	build(three, 3);
	EXPECT_STR(check(16, 3), "the record is 16 bytes, not 32 to 262144");
	EXPECT_STR(check(OLDLOG_MAX_BYTES + 4096, 3),
		   "the record is 266240 bytes, not 32 to 262144");
}

TEST(oldlog, compatible)
{
	struct oldlog_header *h = build(three, 3);

	memcpy(h->compatible, "baton-log-v0", 12);
	EXPECT_STR(check(4096, 3),
		   "the record says compatible \"baton-log-v0\", not \"baton-log-v1\"");
	memcpy(h->compatible, "baton-log-v1\n\001xyz", 16); /* unterminated, unprintable */
	EXPECT_STR(check(4096, 3),
		   "the record says compatible \"baton-log-v1??xy\", not \"baton-log-v1\"");
}

TEST(oldlog, used_size_that_lies)
{
	struct oldlog_header *h = build(three, 3);

	h->size = 4097;
	EXPECT_STR(check(4096, 3), "the header says 4097 bytes are used, of a record of 4096");
	h->size = 8; /* inside the header */
	EXPECT_STR(check(4096, 3), "the header says 8 bytes are used, of a record of 4096");
}

TEST(oldlog, counts_that_lie)
{
	struct oldlog_header *h = build(three, 3);

	h->count = 4;
	EXPECT_STR(check(4096, 3), "the header counts 4 generations, but the record ends after 3");
	h->count = ~0ULL; /* the walk still ends at the record's end */
	EXPECT_STR(
		check(4096, 3),
		"the header counts 18446744073709551615 generations, but the record ends after 3");
	h->count = 2;
	EXPECT_STR(check(4096, 3),
		   "the header counts 2 generations, but 56 bytes follow the last one");
}

TEST(oldlog, lengths_that_lie_or_wrap)
{
	struct oldlog_header *h = build(three, 3);

	/* Each record here: 16 bytes, then 38 of text padded to 40. */
	EXPECT_EQ(rec_at(0)->len, 38);
	rec_at(1)->len += 64;
	EXPECT_STR(check(4096, 3),
		   "generation 1's log is 102 bytes, past the end of the record (96 bytes left)");
	build(three, 3);
	rec_at(0)->len = ~0ULL - 4; /* rounded up to 8, it would be 0 */
	EXPECT_STR(check(4096, 3),
		   "generation 0's log is 18446744073709551611 bytes, past the end of "
		   "the record (152 bytes left)");
	h = build(three, 3);
	h->size -= 2; /* the last text fits, its padding does not */
	EXPECT_STR(check(4096, 3),
		   "generation 2's log is 38 bytes, past the end of the record (38 bytes left)");
}

TEST(oldlog, generations_that_go_backwards)
{
	build((const u64[]){ 0, 2, 1 }, 3);
	EXPECT_STR(check(4096, 3),
		   "generation 1 comes after generation 2: the generations go backwards");
	build((const u64[]){ 5, 5 }, 2);
	EXPECT_STR(check(4096, 9),
		   "generation 5 comes after generation 5: the generations go backwards");
}

TEST(oldlog, generations_not_before_the_reader)
{
	build(three, 3);
	EXPECT_STR(check(4096, 2), "it holds generation 2, not earlier than this one (2)");
	build((const u64[]){ 7 }, 1);
	EXPECT_STR(check(4096, 0), "it holds generation 7, not earlier than this one (0)");
}

/* ---- Real handovers on fake RAM ---- */

#define RAM_BASE 0x40000000ULL
#define RAM (128ULL << 20)

static u64 boot_fdt_buf[8192 / 8];
static u64 waiting_before; /* preserved pages unclaimed when oldlog_restore began */

/* Boot generation gen on fake RAM from the handover h (NULL: cold), as
 * kernel_main does, up to oldlog_restore (damage, when given, runs just
 * before it, on the handover as the scan accepted it). */
static void boot(u64 gen, const struct kho_handover *h, void (*damage)(void))
{
	const void *fdt = NULL;

	if (h) {
		REQUIRE(kho_handover_fdt(boot_fdt_buf, sizeof(boot_fdt_buf), h) == 0);
		fdt = boot_fdt_buf;
	}
	printk_log_clear(); /* a new kernel: a new log */
	oldlog_reset();
	mm_boot_generation(RAM_BASE, RAM, fdt);
	pr_info("test: generation %llu boots", (unsigned long long)gen);
	if (damage)
		damage();
	waiting_before = kho_unclaimed_pages();
	oldlog_restore(gen);
}

/* The kexec's part: preserve, serialize, seal, as kexec_file does. */
static void hand_on(u64 gen, struct kho_handover *h)
{
	char why[ERR_WHY_MAX];

	REQUIRE(oldlog_preserve(gen, why, sizeof(why)) == 0);
	REQUIRE(kho_serialize(h) == 0);
	pr_info("test: generation %llu jumps", (unsigned long long)gen);
	oldlog_seal();
}

/* Where text is in the console's output, or -1. */
static long at(const char *text)
{
	const char *p = strstr(host_log(), text);

	return p ? p - host_log() : -1;
}

TEST(oldlog, three_generations_shown_in_order)
{
	struct kho_handover h;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	boot(0, NULL, NULL);
	EXPECT_NO_LOG("oldlog:"); /* a cold boot says nothing */
	EXPECT_EQ(oldlog_held_pages(), 0);
	hand_on(0, &h);
	EXPECT_LOG("oldlog: generation 0 hands on its log and 0 earlier one(s) (");
	boot(1, &h, NULL);
	EXPECT_LOG("oldlog: generation 1: restored the logs of generations 0 to 0 (1 of them, ");
	EXPECT(oldlog_held_pages() > 0);
	hand_on(1, &h);
	boot(2, &h, NULL);
	EXPECT_LOG("oldlog: generation 2: restored the logs of generations 0 to 1 (2 of them, ");
	host_log_clear();
	oldlog_show();
	{
		long h0 = at("--- generation 0 (2 boots ago) ---\r\n"),
		     l0 = at("test: generation 0 boots");
		long j0 = at("test: generation 0 jumps");
		long h1 = at("--- generation 1 (previous boot) ---\r\n"),
		     l1 = at("test: generation 1 boots");
		long h2 = at("--- generation 2 (this boot) ---\r\n"),
		     l2 = at("test: generation 2 boots");
		long end = at("--- end of the log ---\r\n");

		EXPECT(h0 == 0);
		EXPECT(h0 < l0 && l0 < j0 && j0 < h1 && h1 < l1 && l1 < h2 && h2 < l2 && l2 < end);
	}
	/* Raw lines: their own timestamps, no level marks, each line once. */
	EXPECT_NO_LOG("\001");
	EXPECT_LOG("] test: generation 1 boots\r\n");
	EXPECT(strstr(strstr(host_log(), "test: generation 0 boots") + 1,
		      "test: generation 0 boots") == NULL);
	/* Restored whole: its pages wait no more. */
	EXPECT_EQ(kho_unclaimed_pages(), waiting_before - oldlog_held_pages());
}

static void damage_length(void)
{
	phys_addr_t pa;
	u64 size;
	struct oldlog_header *hd;

	REQUIRE(kho_retrieve_subtree(OLDLOG_SUBTREE, &pa, &size) == 0);
	hd = phys_to_virt(pa);
	((struct oldlog_record *)(hd + 1))->len = ~0ULL - 4;
}

static void damage_place(void)
{
	phys_addr_t pa;
	u64 size;
	void *fdt = phys_to_virt(kho.in_fdt);
	int node = fdt_subnode_offset(fdt, 0, OLDLOG_SUBTREE);

	REQUIRE(kho_retrieve_subtree(OLDLOG_SUBTREE, &pa, &size) == 0);
	pa += PAGE_SIZE; /* inside the block, not where it starts */
	size = PAGE_SIZE;
	REQUIRE(fdt_setprop_inplace(fdt, node, KHO_PROP_SUBTREE_DATA, &pa, 8) == 0);
	REQUIRE(fdt_setprop_inplace(fdt, node, KHO_PROP_SUBTREE_SIZE, &size, 8) == 0);
}

static void damage_size(void)
{
	void *fdt = phys_to_virt(kho.in_fdt);
	int node = fdt_subnode_offset(fdt, 0, OLDLOG_SUBTREE);
	u64 size = 3 * PAGE_SIZE;

	REQUIRE(fdt_setprop_inplace(fdt, node, KHO_PROP_SUBTREE_SIZE, &size, 8) == 0);
}

/* The pages of the record the handover h names (in the fake RAM that
 * survives): its blob-size. */
static unsigned out_order_of(const struct kho_handover *h)
{
	const void *fdt = phys_to_virt(h->fdt);
	int node = fdt_subnode_offset(fdt, 0, OLDLOG_SUBTREE), len;
	const void *sz = fdt_getprop(fdt, node, KHO_PROP_SUBTREE_SIZE, &len);
	u64 size;

	REQUIRE(sz && len == 8);
	memcpy(&size, sz, 8);
	return (unsigned)__builtin_ctzll(size >> PAGE_SHIFT);
}

/* Generation 1 boots from a record damaged by damage: one line, nothing
 * held, and the boot goes on (generation 1 hands on its own log). */
static void refused(void (*damage)(void), const char *line, bool freed)
{
	struct kho_handover h;
	u64 pages;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	boot(0, NULL, NULL);
	hand_on(0, &h);
	pages = (u64)1 << out_order_of(&h);
	host_log_clear();
	boot(1, &h, damage);
	EXPECT_LOG(line);
	EXPECT_LOG("; booting on without them\r\n");
	EXPECT_NO_LOG("restored the logs");
	EXPECT_EQ(oldlog_held_pages(), 0);
	/* Taken and freed, when it was a block to take; else left waiting. */
	EXPECT_EQ(kho_unclaimed_pages(), waiting_before - (freed ? pages : 0));
	host_log_clear();
	oldlog_show();
	EXPECT_NO_LOG("--- generation 0");
	EXPECT_LOG("--- generation 1 (this boot) ---");
	hand_on(1, &h);
	EXPECT_LOG("oldlog: generation 1 hands on its log and 0 earlier one(s)");
}

TEST(oldlog, damaged_record_is_refused_and_freed)
{
	refused(damage_length,
		"oldlog: the earlier generations' logs are refused: generation 0's log "
		"is 18446744073709551611 bytes, past the end of the record",
		true);
}

TEST(oldlog, record_outside_its_block_is_refused)
{
	/* The block it should have named waits on, unclaimed: 4 pages of
	 * a record made for a small ring. */
	refused(damage_place, "is not one preserved block; booting on without them", false);
	EXPECT_LOG("oldlog: the earlier generations' logs are refused: 0x");
}

TEST(oldlog, record_of_a_bad_size_is_refused)
{
	refused(damage_size, "+0x3000 is not a power-of-two run of whole pages up to 256 KiB",
		false);
}

TEST(oldlog, a_handover_without_a_record)
{
	struct kho_handover h;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	boot(0, NULL, NULL);
	REQUIRE(kho_serialize(&h) == 0); /* as Linux would: KHO, no baton-log */
	host_log_clear();
	boot(1, &h, NULL);
	EXPECT_LOG("oldlog: no earlier logs (the handover carries none)");
	EXPECT_NO_LOG("refused");
	EXPECT_EQ(oldlog_held_pages(), 0);
}

TEST(oldlog, the_cap_drops_the_oldest_whole)
{
	struct kho_handover h;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	for (u64 gen = 0; gen < 6; gen++) {
		boot(gen, gen ? &h : NULL, NULL);
		for (int i = 0; i < 1000; i++) /* a full ring: 64 KiB */
			pr_info("test: generation %llu, line %d, padded to make the ring fill up quickly",
				(unsigned long long)gen, i);
		hand_on(gen, &h);
	}
	host_log_clear();
	boot(6, &h, NULL);
	/* Four rings of 64 KiB fit 256 KiB, with their headers. */
	EXPECT_LOG("oldlog: generation 6: restored the logs of generations 2 to 5 (4 of them, ");
	host_log_clear();
	oldlog_show();
	EXPECT(at("--- generations 0 to 1: their logs were not handed on ---") == 0);
	EXPECT_NO_LOG("generation 1, line");
	EXPECT_LOG("--- generation 2 (4 boots ago) ---");
	/* Generation 5's log, and the line that said what was dropped. */
	EXPECT_LOG("test: generation 5, line 999, padded");
	EXPECT_LOG(
		"oldlog: the logs would pass 256 KiB: the oldest 1 dropped whole (from generation "
		"1); the history now starts at generation 2");
	EXPECT_EQ(oldlog_held_pages(), OLDLOG_MAX_BYTES / PAGE_SIZE);
}

/* kexec called off: the record goes, and so does every page it took. */
static void undone(const char *fail, const char *said)
{
	char why[ERR_WHY_MAX];
	struct buddy_stats before, after;
	phys_addr_t pa;
	u64 size;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	boot(0, NULL, NULL);
	buddy_stats(&before);
	if (fail) {
		REQUIRE(kho_fail_set(fail) == 0);
		EXPECT_EQ(oldlog_preserve(0, why, sizeof(why)), -ENOMEM);
		EXPECT(kho_fail_fired());
		EXPECT_STR(why, said);
	} else {
		REQUIRE(oldlog_preserve(0, why, sizeof(why)) == 0);
		oldlog_unpreserve();
		oldlog_unpreserve(); /* twice: nothing more */
	}
	buddy_stats(&after);
	EXPECT_EQ(after.free_pages, before.free_pages);
	EXPECT_EQ(kho_own_pages(), 0);
	/* Nothing of it is handed over. */
	{
		struct kho_handover h;

		REQUIRE(kho_serialize(&h) == 0);
		boot(1, &h, NULL);
		EXPECT(kho_retrieve_subtree(OLDLOG_SUBTREE, &pa, &size) == -ENOENT);
	}
}

TEST(oldlog, called_off_leaves_nothing)
{
	undone(NULL, NULL);
}

TEST(oldlog, injected_radix_failure_leaves_nothing)
{
	undone("radix", "the log record could not be preserved");
}

TEST(oldlog, injected_subtree_failure_leaves_nothing)
{
	undone("subtree", "the log record's subtree could not be added");
}
