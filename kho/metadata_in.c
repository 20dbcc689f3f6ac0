/*
 * metadata_in.c — who handed over, incoming: kho_metadata_take reads the
 * "kexec-metadata" subtree the last kernel wrote (metadata_out.c has the
 * record's story), says in the log who that was, keeps its kexec count for
 * the next handover (kho.in_kexec_count) and gives the page back to the
 * allocator. A malformed record is ignored with a line, as Linux does.
 */
#include "kho.h"
#include "kho_internal.h"
#include "buddy.h"
#include "kstring.h"
#include "printk.h"
#include "arch/mmu.h"

void kho_metadata_take(void)
{
	struct kho_kexec_metadata m;
	phys_addr_t pa;
	u64 size;
	struct page *p;

	if (!kho_is_kho_boot())
		return;
	if (kho_retrieve_subtree(KHO_METADATA_SUBTREE, &pa, &size) < 0) {
		pr_info("kho: handed over (%s) by a kernel that left no kexec-metadata",
			kho.version);
		return;
	}
	if (size < sizeof(m) || size > PAGE_SIZE - (pa & (PAGE_SIZE - 1))) {
		pr_warn("kho: kexec-metadata of %llu bytes, not %zu: ignored",
			(unsigned long long)size, sizeof(m));
		return;
	}
	memcpy(&m, phys_to_virt(pa), sizeof(m));
	m.previous_release[KHO_METADATA_RELEASE_LEN - 1] = 0;
	for (int i = 0; m.previous_release[i]; i++)
		if (m.previous_release[i] < 0x20 || m.previous_release[i] > 0x7e)
			m.previous_release[i] = '?';
	if (m.version != KHO_METADATA_VERSION) {
		pr_warn("kho: kexec-metadata version %u, not %u: ignored", m.version,
			KHO_METADATA_VERSION);
		return;
	}
	kho.in_kexec_count = m.kexec_count;
	pr_info("kho: handed over (%s) by %s%s, kexec %u since its cold boot", kho.version,
		strncmp(m.previous_release, "Baton", 5) == 0 ? "" : "Linux ", m.previous_release,
		m.kexec_count);
	/* The record is read: its page goes back to the allocator. */
	p = kho_restore_pages(pa & ~(u64)(PAGE_SIZE - 1), 1);
	if (p)
		__free_pages(p, 0);
}
