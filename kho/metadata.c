/*
 * metadata.c — who handed over: the "kexec-metadata" subtree (kho/abi.h),
 * Linux 7.3's record of the kernel that wrote a handover and how many
 * kexecs the chain has seen since a cold boot.
 *
 * Outgoing, kho_serialize adds one naming this kernel ("Baton <version>"),
 * so a Linux next says "exec from: Baton ...". Incoming, kho_metadata_take
 * says in the log who handed over and gives the page back to the
 * allocator. A handover without one (Baton before it, Linux before 7.3) is
 * said so; one that is malformed is ignored with a line, as Linux does:
 * the record is informative, the handover does not depend on it.
 */
#include "kho.h"
#include "kho_internal.h"
#include "buddy.h"
#include "kernel.h"
#include "kstring.h"
#include "printk.h"
#include "arch/cpu.h"
#include "arch/mmu.h"

static struct page *out_page;
static u32 kexec_count; /* what the last kernel said, 0 on a cold boot */

void kho_metadata_reset(void)
{
	out_page = NULL;
	kexec_count = 0;
}

void kho_metadata_take(void)
{
	struct kho_kexec_metadata m;
	phys_addr_t pa;
	u64 size;
	struct page *p;

	if (!kho_is_kho_boot())
		return;
	if (kho_retrieve_subtree(KHO_METADATA_SUBTREE, &pa, &size) < 0) {
		pr_info("kho: handed over (%s) by a kernel that left no kexec-metadata", kho.version);
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
	kexec_count = m.kexec_count;
	pr_info("kho: handed over (%s) by %s%s, kexec %u since its cold boot", kho.version,
		strncmp(m.previous_release, "Baton", 5) == 0 ? "" : "Linux ", m.previous_release,
		m.kexec_count);
	/* The record is read: its page goes back to the allocator. */
	p = kho_restore_pages(pa & ~(u64)(PAGE_SIZE - 1), 1);
	if (p)
		__free_pages(p, 0);
}

int kho_metadata_write(void)
{
	struct kho_kexec_metadata *m;

	if (!out_page) {
		out_page = alloc_pages(__GFP_ZERO, 0);
		if (!out_page)
			return -KHO_ENOMEM;
		if (kho_preserve_pages(out_page, 1) < 0) {
			__free_pages(out_page, 0);
			out_page = NULL;
			return -KHO_ENOMEM;
		}
	}
	m = page_address(out_page);
	m->version = KHO_METADATA_VERSION;
	snprintf(m->previous_release, sizeof(m->previous_release), "Baton %s (%s)", BATON_VERSION,
		 arch_name);
	m->kexec_count = kexec_count + 1;
	kho_remove_subtree(KHO_METADATA_SUBTREE);
	return kho_add_subtree(KHO_METADATA_SUBTREE, m, sizeof(*m));
}
