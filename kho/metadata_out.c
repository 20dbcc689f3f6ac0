/*
 * metadata_out.c — who handed over: the "kexec-metadata" subtree (kho/abi.h),
 * Linux 7.3's record of the kernel that wrote a handover and how many
 * kexecs the chain has seen since a cold boot.
 *
 * Outgoing, kho_serialize adds one naming this kernel ("Baton <version>"),
 * so a Linux next says "exec from: Baton ...". Incoming, kho_metadata_take
 * (metadata_in.c) says in the log who handed over and gives the page
 * back to the allocator. A handover without one (Baton before it, Linux
 * before 7.3) is said so; one that is malformed is ignored with a line, as Linux does:
 * the record is informative, the handover does not depend on it.
 */
#include "kho.h"
#include "kho_internal.h"
#include "buddy.h"
#include "kernel.h"
#include "kstring.h"
#include "printk.h"
#include "arch/cpu.h"

static struct page *out_page;

void kho_metadata_reset(void)
{
	out_page = NULL;
}

int kho_metadata_write(void)
{
	struct kho_kexec_metadata *m;

	if (!out_page) {
		out_page = kho_page_alloc(KHO_FAIL_SUBTREE);
		if (!out_page)
			return -ENOMEM;
		if (kho_preserve_pages(out_page, 1) < 0) {
			kho_page_free(out_page);
			out_page = NULL;
			return -ENOMEM;
		}
	}
	m = page_address(out_page);
	m->version = KHO_METADATA_VERSION;
	snprintf(m->previous_release, sizeof(m->previous_release), "Baton %s (%s)", BATON_VERSION,
		 arch_name);
	m->kexec_count = kho.in_kexec_count + 1;
	kho_remove_subtree(KHO_METADATA_SUBTREE);
	return kho_add_subtree(KHO_METADATA_SUBTREE, m, sizeof(*m));
}

void kho_metadata_drop(void)
{
	kho_remove_subtree(KHO_METADATA_SUBTREE);
	if (out_page) {
		kho_unpreserve_pages(out_page, 1);
		kho_page_free(out_page);
		out_page = NULL;
	}
}
