/*
 * vmalloc.c (kho) — preserving vmalloc areas in Linux's format (kho/abi.h,
 * part 3): the area's pages, plus a chain of chunk pages that list their
 * physical addresses, all preserved; the 16-byte struct kho_vmalloc that
 * points at the chain goes into the caller's own preserved data. Preserving
 * is all or nothing: a chunk page that cannot be had (kho.fail=vmalloc
 * too) or a page that cannot be preserved undoes the whole area.
 */
#include "kho.h"
#include "kho_internal.h"
#include "buddy.h"
#include "kstring.h"
#include "printk.h"
#include "slab.h"
#include "vmalloc.h"

static struct kho_vmalloc_chunk *chunk_at(phys_addr_t pa)
{
	return phys_to_virt(pa);
}

int kho_unpreserve_vmalloc(struct kho_vmalloc *v)
{
	phys_addr_t pa = v->first;

	while (pa) {
		struct kho_vmalloc_chunk *c = chunk_at(pa);
		phys_addr_t next = c->next;

		for (int i = 0; i < KHO_VMALLOC_CHUNK_ENTRIES && c->phys[i]; i++)
			kho_unpreserve_pages(pfn_to_page(c->phys[i] >> PAGE_SHIFT), 1);
		kho_unpreserve_pages(virt_to_page(c), 1);
		kho_page_free(virt_to_page(c));
		pa = next;
	}
	memset(v, 0, sizeof(*v));
	return 0;
}

int kho_preserve_vmalloc(void *ptr, struct kho_vmalloc *out)
{
	struct page *const *pages;
	struct kho_vmalloc_chunk *c = NULL;
	u64 n;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (!vmalloc_area_pages(ptr, &pages, &n) || n > 0xffffffffULL) {
		pr_err("kho: %p is not the start of a vmalloc area; not preserved", ptr);
		return -EINVAL;
	}
	out->total_pages = (u32)n;
	out->flags = KHO_VMALLOC_ALLOC;
	out->order = 0;
	for (u64 i = 0; i < n && !err; i++) {
		if (i % KHO_VMALLOC_CHUNK_ENTRIES == 0) { /* a new chunk, at the end */
			struct page *cp = kho_page_alloc(KHO_FAIL_VMALLOC);

			if (!cp) {
				err = -ENOMEM;
				break;
			}
			/* Linked first, so the undo below finds and frees it. */
			if (c)
				c->next = page_to_phys(cp);
			else
				out->first = page_to_phys(cp);
			c = page_address(cp);
			err = kho_preserve_pages(cp, 1);
			if (err)
				break;
		}
		c->phys[i % KHO_VMALLOC_CHUNK_ENTRIES] = page_to_phys(pages[i]);
		err = kho_preserve_pages(pages[i], 1);
		if (err)
			c->phys[i % KHO_VMALLOC_CHUNK_ENTRIES] = 0;
	}
	if (err)
		kho_unpreserve_vmalloc(out); /* all or nothing */
	return err;
}

/*
 * The descriptor is the caller's, so the scan never saw it: it is proven
 * here, before any page is taken. The chain's mentions, in order, are each
 * chunk (order 0) and then the blocks it lists (order v->order); there may
 * be at most blocks / 511 + 1 chunks, and exactly blocks = total_pages >>
 * order blocks (a huge-vmap area's are 2^order pages each, Linux's).
 * Every mention must be a block waiting for any restore, and none may come
 * twice: taking marks each one TAKING, so a second mention of a page (or a
 * chunk listed as a page, or a chain that loops) finds it taken.
 *
 * walk_chain visits the mentions in order, at most max of them, stopping
 * at the first the visitor refuses. *done counts the accepted ones, *pages
 * the blocks met. 0 when it reached the end of the chain; else the
 * visitor's refusal, or -ELOOP (more chunks or blocks than the descriptor
 * allows: a chain that loops) or -E2BIG (max reached).
 */
static int walk_chain(const struct kho_vmalloc *v, u64 max, int (*visit)(phys_addr_t, unsigned),
		      u64 *done, u64 *pages)
{
	u64 blocks = v->total_pages >> v->order;
	u64 chunks = 0, max_chunks = blocks / KHO_VMALLOC_CHUNK_ENTRIES + 1;
	phys_addr_t pa;

	*done = *pages = 0;
	for (pa = v->first; pa; pa = chunk_at(pa)->next) {
		const struct kho_vmalloc_chunk *c;
		int err;

		if (*done == max)
			return -E2BIG;
		if (++chunks > max_chunks)
			return -ELOOP;
		err = visit(pa, 0);
		if (err)
			return err;
		++*done;
		c = chunk_at(pa); /* readable: a preserved page, proven so */
		for (int i = 0; i < KHO_VMALLOC_CHUNK_ENTRIES && c->phys[i]; i++) {
			if (*done == max)
				return -E2BIG;
			if (++*pages > blocks)
				return -ELOOP;
			err = visit(c->phys[i], v->order);
			if (err)
				return err;
			++*done;
		}
	}
	return 0;
}

static int untake(phys_addr_t pa, unsigned order)
{
	kho_untake(pa, order);
	return 0;
}

/* Take the whole chain, or nothing (every mark undone). */
static int take_chain(const struct kho_vmalloc *v)
{
	u64 done, pages, n;
	int err = walk_chain(v, ~0ULL, kho_take, &done, &pages);

	if (!err && pages == v->total_pages >> v->order)
		return 0;
	walk_chain(v, done, untake, &n, &pages);
	return err ? err : -EBADMSG; /* fewer blocks than total_pages says */
}

void *kho_restore_vmalloc(const struct kho_vmalloc *v)
{
	struct page **pages;
	phys_addr_t pa;
	u64 n = 0;
	void *va;

	/* The descriptor's own fields first, each bounded before use: ALLOC
	 * (and Linux's HUGE_VMAP, with an order the allocator can hold), a
	 * page count that is whole blocks. */
	if (!(v->flags & KHO_VMALLOC_ALLOC) ||
	    (v->flags & ~(KHO_VMALLOC_ALLOC | KHO_VMALLOC_HUGE_VMAP)) || v->order > MAX_ORDER ||
	    (v->order && !(v->flags & KHO_VMALLOC_HUGE_VMAP)) || !v->total_pages ||
	    (v->total_pages & ((1u << v->order) - 1)) || take_chain(v)) {
		pr_err("kho: the vmalloc descriptor (first 0x%llx, %u pages, flags 0x%x, order %u) "
		       "does not match what was preserved; not restored",
		       (unsigned long long)v->first, v->total_pages, v->flags, v->order);
		return NULL;
	}
	pages = kmalloc((u64)v->total_pages * sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		u64 pages_seen;

		walk_chain(v, ~0ULL, untake, &n, &pages_seen);
		return NULL;
	}
	/* Proven and taken: every restore below finds its block. */
	for (pa = v->first; pa;) {
		struct page *cp = kho_restore_owned(pa, 0, KHO_OWNER_TAKING, MEMDESC_PAGES_OF(0));
		const struct kho_vmalloc_chunk *c = page_address(cp);

		for (int i = 0; i < KHO_VMALLOC_CHUNK_ENTRIES && c->phys[i]; i++) {
			/* A block of 2^order pages, back as the order-0 pages
			 * vmalloc maps and vfree frees one by one. */
			struct page *b = kho_restore_owned(c->phys[i], v->order, KHO_OWNER_TAKING,
							   MEMDESC_PAGES_OF(v->order));

			for (u64 j = 0; j < (1ULL << v->order); j++) {
				b[j].memdesc = MEMDESC_PAGES_OF(0);
				pages[n++] = &b[j];
			}
		}
		pa = c->next;
		__free_pages(cp, 0); /* the chunk has served */
	}
	va = vmalloc_adopt(pages, n);
	if (!va) { /* no room to map: give the pages back rather than leak */
		while (n)
			__free_pages(pages[--n], 0);
		kfree(pages);
	}
	return va;
}
