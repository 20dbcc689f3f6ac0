/*
 * selftest.c (kho) — a boot self-test of KHO's outgoing side on the real
 * machine. The whole handover, across real kexecs, is the client's:
 * ktest/kho_test.c and ktest/kho_linux_test.c.
 */
#include "kho.h"
#include "folio.h"
#include "ktest.h"
#include "memblock.h"
#include "arch/mmu.h"
#include <libfdt.h>

/* KHO's outgoing side on the machine: scratch exists and is refused, a
 * folio is preserved once, the handover serializes, and undoing it all
 * gives every page of KHO's own back. kho.fail= is held off meanwhile:
 * the injection is for the chain's handover (ktest/kho_fault.c). */
KTEST(kho, preserve_and_serialize)
{
	const struct kho_scratch *areas;
	struct kho_handover h;
	struct folio *f = folio_alloc(GFP_KERNEL, 2);
	int n = kho_scratch_areas(&areas), used = 0;
	u64 own = kho_own_pages();

	/* One area of Baton's own, or the ones a handover brought (Linux's
	 * NUMA nodes + 2, some possibly empty). */
	KT_EXPECT(t, n >= 1 && n <= KHO_MAX_SCRATCH);
	for (int i = 0; i < n; i++) {
		if (!areas[i].size)
			continue;
		used++;
		KT_EXPECT(t, memblock_is_reserved(areas[i].addr, areas[i].size));
	}
	KT_EXPECT(t, used >= 1);
	KT_EXPECT(t, f != NULL);
	if (!f)
		return;
	kho_fail_pause(true);
	KT_EXPECT(t, kho_preserve_folio(f) == 0);
	KT_EXPECT(t, kho_preserve_folio(f) == -EEXIST);
	KT_EXPECT(t, kho_serialize(&h) == 0 && h.fdt &&
			     h.scratch_size == (u64)n * sizeof(struct kho_scratch));
	KT_EXPECT(t, fdt_node_check_compatible(phys_to_virt(h.fdt), 0, kho_out_compatible()) == 0);
	KT_EXPECT(t, kho_unpreserve_folio(f) == 0);
	KT_EXPECT(t, kho_unpreserve_folio(f) == -ENOENT);
	kho_abort();
	kho_fail_pause(false);
	KT_EXPECT(t, kho_own_pages() == own);
	folio_put(f);
}
