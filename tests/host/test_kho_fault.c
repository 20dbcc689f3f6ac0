/*
 * test_kho_fault.c — kho.fail= (kho/fault.c) on the fake arch. For each
 * site (and for every allocation of a handover, one at a time, through
 * kho.fail=any:N), generation A preserves the fault test's set
 * (ktest/kho_fault_set.c, the one the kexec chain hands over) and
 * serializes with that allocation failing: the attempt must end in
 * -ENOMEM with the injection's line, leave the set and the memory as
 * kho_fault_set_check demands (nothing leaked, the failed call undone,
 * every object intact and preserved exactly when its call succeeded), and
 * a second attempt must succeed; generation B boots from that handover
 * alone, restores, checks and frees the set, and ends with nothing but
 * the handover's own two pages waiting. If the injection did nothing, no
 * attempt would fail and every one of these tests would.
 *
 * Also here: the undo each fix gives (radix nodes a failed set made, an
 * emptied radix path, an emptied slab record chunk), a slab object
 * preserved twice, and kho.fail='s bad values.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "host.h"
#include "mm_boot.h"
#include "buddy.h"
#include "cmdline.h"
#include "kho.h"
#include "kho_fault_test.h"
#include "printk.h"
#include "slab.h"

#define RAM_BASE 0x40000000ULL
#define RAM (128ULL << 20)

static u64 boot_fdt_buf[8192 / 8];

/* A helper's line into why, as a failure of the test at the caller. */
#define EXPECT_OK(call, why)                                                   \
	do {                                                                   \
		if ((call) < 0)                                                \
			host_fail(__FILE__, __LINE__, "%s: %s", #call, (why)); \
	} while (0)

static u64 free_pages(void)
{
	struct buddy_stats st;

	buddy_stats(&st);
	return st.free_pages;
}

/* One try at a handover: the set's preserve calls, then kho_serialize,
 * as the chain makes them before kexec(). */
static int try_handover(struct kho_handover *h)
{
	int err = kho_fault_set_preserve();

	if (err)
		return err;
	kho_fault_set_mark(true);
	return kho_serialize(h);
}

/* Generation A: a cold boot (on the test's RAM, made once), kho.fail=spec,
 * the set made. */
static void generation_a(const char *spec)
{
	static bool have_ram;

	if (!have_ram) {
		host_ram(RAM_BASE, RAM);
		host_console_register();
		have_ram = true;
	}
	mm_boot_generation(RAM_BASE, RAM, NULL);
	kho_fault_set_reset();
	REQUIRE(kho_fail_set(spec) == 0);
	REQUIRE(kho_fault_set_fill(0) == 0);
	host_log_clear();
}

/* Generation B from h: the set restored, checked and freed; only the
 * handover's own pages wait; every other page is free or the slabs'. */
static void generation_b(const struct kho_handover *h)
{
	char why[ERR_WHY_MAX] = "";
	struct buddy_stats st;

	kho_fault_set_reset();
	REQUIRE(kho_handover_fdt(boot_fdt_buf, sizeof(boot_fdt_buf), h) == 0);
	mm_boot_generation(RAM_BASE, RAM, boot_fdt_buf);
	REQUIRE(kho_is_kho_boot());
	EXPECT_OK(kho_fault_set_restore(1, why, sizeof(why)), why);
	EXPECT_LOG("kho-fault: generation 1 restored the last one's 6 objects");
	EXPECT_EQ(kho_unclaimed_pages(), 2);
	buddy_check();
	buddy_stats(&st);
	EXPECT_EQ(st.free_pages + mm_slab_pages(), st.managed_pages);
}

/* The whole round for kho.fail=spec: the first try fails with the
 * injection's line in the log and is checked (kept of the set's 6 objects
 * were preserved before the failure; any number when kept is -1), the
 * second succeeds, generation B restores. */
static void fault_round(const char *spec, int kept)
{
	char said[64], line[96], site[16] = "";
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);

	struct kho_handover h;
	char why[ERR_WHY_MAX] = "";
	int err;

	memcpy(site, spec, MIN(len, sizeof(site) - 1));
	if (strncmp(spec, "any:", 4) == 0)
		snprintf(line, sizeof(line), "(call %s at any site)", spec + 4);
	else
		snprintf(line, sizeof(line), "kho: injected allocation failure at %s (call %s)",
			 site, colon ? colon + 1 : "1");
	generation_a(spec);
	err = try_handover(&h);
	EXPECT_EQ(err, -ENOMEM);
	EXPECT(kho_fail_fired());
	EXPECT_LOG(line);
	EXPECT_OK(kho_fault_set_check(err, 0, why, sizeof(why)), why);
	EXPECT_LOG("all 6 intact");
	snprintf(said, sizeof(said), "; %d of 6 objects preserved before it", kept);
	if (kept >= 0)
		EXPECT_LOG(said);
	host_log_clear();
	REQUIRE(try_handover(&h) == 0); /* the retry */
	EXPECT_NO_LOG("injected");
	generation_b(&h);
}

/* One test a site: the spec, and how many of the set's six objects were
 * preserved before the failure. */
#define SITE_TEST(name, spec, kept)      \
	TEST(kho_fault, name)            \
	{                                \
		fault_round(spec, kept); \
	}

SITE_TEST(radix_in_a_preserve_call, "radix:2", 0)
SITE_TEST(vmalloc_first_chunk, "vmalloc", 2)
SITE_TEST(vmalloc_second_chunk_undoes_the_first, "vmalloc:2", 2)
SITE_TEST(slab_record_chunk, "slab", 3)
SITE_TEST(fdt_root_page, "fdt", 6)
SITE_TEST(fdt_scratch_array_page, "fdt:2", 6)
SITE_TEST(subtree_entry_of_a_client, "subtree", 6)
/* In kho_serialize: baton,slab's entry, the kexec-metadata page, its entry. */
SITE_TEST(subtree_slab_entry_in_serialize, "subtree:2", 6)
SITE_TEST(subtree_metadata_page_in_serialize, "subtree:3", 6)
SITE_TEST(subtree_metadata_entry_in_serialize, "subtree:4", 6)

/* Every allocation a handover of the set makes, failed in turn: count
 * them on a clean run first, then fail each one. */
TEST(kho_fault, every_allocation_of_a_handover)
{
	struct kho_handover h;
	char spec[32];
	u64 calls;

	generation_a("any:1000000");
	REQUIRE(try_handover(&h) == 0);
	kho_fail_report();
	REQUIRE(strstr(host_log(), "did not fire: "));
	calls = strtoull(strstr(host_log(), "did not fire: ") + 14, NULL, 10);
	EXPECT(calls >= 20); /* the set's radix nodes, chunks, entries; serializing's */
	for (u64 n = 1; n <= calls; n++) {
		snprintf(spec, sizeof(spec), "any:%llu", (unsigned long long)n);
		fault_round(spec, -1);
	}
}

TEST(kho_fault, off_nothing_fails)
{
	struct kho_handover h;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	mm_boot_generation(RAM_BASE, RAM, NULL);
	EXPECT(!kho_fail_given());
	EXPECT(!kho_fail_armed);
	REQUIRE(kho_fault_set_fill(0) == 0);
	EXPECT_EQ(try_handover(&h), 0);
	EXPECT(!kho_fail_fired());
	EXPECT_NO_LOG("injected");
	generation_b(&h);
}

TEST(kho_fault, bad_values_are_refused)
{
	static const char *const bad[] = { "kho.fail",         "kho.fail=",        "kho.fail=disk",
					   "kho.fail=radix:0", "kho.fail=radix:x", "kho.fail=:3",
					   "kho.fail=radixx",  "kho.fail=rad" };

	host_console_register();
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		host_log_clear();
		EXPECT_EQ(cmdline_parse(bad[i]), 1);
		EXPECT_LOG("bad value for 'kho.fail'");
		EXPECT(!kho_fail_given());
	}
	EXPECT_EQ(cmdline_parse("kho.fail=fdt:2"), 0);
	EXPECT(kho_fail_given() && kho_fail_armed && !kho_fail_fired());
	kho_fail_pause(true);
	EXPECT(!kho_fail_armed);
	kho_fail_pause(false);
	EXPECT(kho_fail_armed);
}

TEST(kho_fault, a_count_never_reached_is_said)
{
	host_ram(RAM_BASE, RAM);
	host_console_register();
	mm_boot_generation(RAM_BASE, RAM, NULL);
	REQUIRE(kho_fail_set("image:3") == 0);
	EXPECT(!kho_fail(KHO_FAIL_IMAGE) && !kho_fail(KHO_FAIL_FDT));
	kho_fail_report();
	EXPECT_LOG("kho: kho.fail=image:3 did not fire: 1 allocations at image so far");
	EXPECT(!kho_fail(KHO_FAIL_IMAGE));
	EXPECT(kho_fail(KHO_FAIL_IMAGE));
	EXPECT(!kho_fail(KHO_FAIL_IMAGE)); /* once */
}

/* A set that cannot make its path adds no node; clearing the last block
 * of a path gives every node of it back. */
TEST(kho_fault, radix_nodes_come_and_go_with_their_blocks)
{
	struct kho_radix t = { 0 };
	u64 free0;

	mm_boot(RAM);
	free0 = free_pages();
	REQUIRE(kho_fail_set("radix:4") == 0);
	EXPECT_EQ(kho_radix_set(&t, 0x40200000, 0), -ENOMEM);
	EXPECT_EQ(t.root, 0);
	EXPECT_EQ(kho_own_pages(), 0);
	EXPECT_EQ(free_pages(), free0);
	EXPECT_EQ(kho_radix_set(&t, 0x40200000, 0), 0); /* six nodes */
	EXPECT_EQ(kho_radix_set(&t, 0x40201000, 0), 0); /* the same leaf */
	EXPECT_EQ(kho_radix_set(&t, 0x40200000, 9), 0); /* another order: another path */
	EXPECT(kho_radix_test(&t, 0x40201000, 0) && !kho_radix_test(&t, 0x40202000, 0));
	EXPECT_EQ(kho_own_pages(), 11);
	EXPECT_EQ(kho_radix_clear(&t, 0x40200000, 0), 0);
	EXPECT_EQ(kho_own_pages(), 11); /* the leaf still holds 0x40201000 */
	EXPECT_EQ(kho_radix_clear(&t, 0x40201000, 0), 0);
	EXPECT_EQ(kho_own_pages(), 6); /* that path's own nodes went */
	EXPECT_EQ(kho_radix_clear(&t, 0x40200000, 9), 0);
	EXPECT_EQ(t.root, 0);
	EXPECT_EQ(kho_own_pages(), 0);
	EXPECT_EQ(free_pages(), free0);
}

/* Two record chunks: emptying the second drops it, and unpreserving
 * goes on in the first (it once read the empty chunk's record -1). */
TEST(kho_fault, slab_records_across_two_chunks)
{
	enum { N = 300 }; /* 255 records a chunk: a full one and 45 more */
	static void *obj[N];
	u64 own;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	mm_boot_generation(RAM_BASE, RAM, NULL);
	for (int i = 0; i < N; i++) {
		obj[i] = kmalloc(64, GFP_KERNEL);
		REQUIRE(obj[i] && kho_preserve_slab(obj[i]) == 0);
	}
	EXPECT_EQ(kho_preserve_slab(obj[7]), -EEXIST); /* not recorded twice */
	own = kho_own_pages();
	for (int i = N - 1; i >= 200; i--)
		EXPECT_EQ(kho_unpreserve_slab(obj[i]), 0);
	EXPECT_EQ(kho_own_pages(), own - 1); /* the second chunk went */
	for (int i = 0; i < 200; i++) {
		EXPECT(kho_slab_preserved(obj[i]));
		EXPECT_EQ(kho_unpreserve_slab(obj[i]), 0);
		EXPECT(!kho_slab_preserved(obj[i]));
	}
	EXPECT_EQ(kho_unpreserve_slab(obj[0]), -ENOENT);
	for (int i = 0; i < N; i++)
		kfree(obj[i]);
}
