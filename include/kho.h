/*
 * kho.h — Kexec HandOver: memory preserved by one generation and restored,
 * as its allocator made it, by the next (docs/design.md section 6; the ABI is
 * kho/abi.h).
 *
 *     f = folio_alloc(gfp, order);   kho_preserve_folio(f);
 *     ... kexec ...
 *     f = kho_restore_folio(phys);   folio_put(f);
 *
 * Every restore sits on kho_restore_page_desc(), which gives a preserved
 * block back to the page allocator with the memdesc word its new owner
 * wants, the mirror of alloc_page_desc().
 */
#ifndef BATON_KHO_H
#define BATON_KHO_H

#include "types.h"
#include "kerrno.h"
#include "kho/abi.h"

struct folio;
struct page;

/* Errors are kerrno.h's, negative: -EINVAL (not something that can be
 * preserved), -EEXIST (preserved already), -ENOMEM (no memory for the
 * bookkeeping), -ENOENT (not preserved; no such subtree). */

/* The largest order a preserved block may have. Linux splits a run of
 * pages by alignment alone, with no cap (so a 2048-page run at a 2048-page
 * boundary is one order-11 block), and Baton does the same so that either
 * reads the other's map; 2^40 pages (4 PiB) bounds every shift by an
 * order. Blocks above the page allocator's MAX_ORDER come back as runs of
 * MAX_ORDER blocks (kho_restore_pages). */
#define KHO_MAX_BLOCK_ORDER 40

/* The radix tree of preserved blocks (kho/radix.c). root is the physical
 * address of the level-5 node, 0 while empty. */
struct kho_radix {
	phys_addr_t root;
};

u64 kho_radix_key(phys_addr_t pa, unsigned int order);
/* false when key encodes no valid (pa, order). */
bool kho_radix_decode(u64 key, phys_addr_t *pa, unsigned int *order);
/* Add or remove one block; nodes come from the page allocator (a set that
 * cannot have one adds none) and go back to it when they empty. -EEXIST /
 * -ENOENT / -ENOMEM. kho_radix_test: is that block set? */
int kho_radix_set(struct kho_radix *t, phys_addr_t pa, unsigned int order);
int kho_radix_clear(struct kho_radix *t, phys_addr_t pa, unsigned int order);
bool kho_radix_test(struct kho_radix *t, phys_addr_t pa, unsigned int order);
/* Free every node of a tree built here. */
void kho_radix_free(struct kho_radix *t);

/* Walking a tree from a handover trusts nothing: before a node is read,
 * node_ok(phys) must accept it; every set bit is decoded and handed to
 * block, or, when blocks is set, up to 64 at a time to blocks instead:
 * bit i of bits stands for the block of that order at
 * pa + (i << (PAGE_SHIFT + order)) (a leaf's bitmap word, whose blocks
 * lie in address order; a walk stays in key order either way). A refusal
 * from any of them (a negative code, with why written) stops the walk and
 * is returned; 0 when every node and block was accepted. */
struct kho_radix_walker {
	int (*node_ok)(phys_addr_t node, void *arg, char *why, size_t n);
	int (*block)(phys_addr_t pa, unsigned int order, void *arg, char *why, size_t n);
	void *arg;
	int (*blocks)(phys_addr_t pa, unsigned int order, u64 bits, void *arg, char *why, size_t n);
};
int kho_radix_walk(phys_addr_t root, const struct kho_radix_walker *w, char *why, size_t n);

/* Forget all KHO state: a fresh kernel has none (and the host tests start
 * each generation this way). */
void kho_reset(void);

/* ---- The outgoing kernel (kho/preserve.c, kho/serialize.c) ---- */

/* Linux writes one scratch area per NUMA node plus two. */
#define KHO_MAX_SCRATCH 16

/* First boot: carve a scratch area of size bytes out of memblock (before
 * the buddy allocator takes the rest). A KHO boot reuses the areas it was
 * handed instead (kho_scan). */
int kho_scratch_reserve(u64 size);
/* The next kernel will be a Linux (kexec.then=): unless kho_scratch= says
 * otherwise, a first boot reserves scratch enough for Linux's early boot
 * (its memmap and image), RAM / 32 + 32 MiB. */
void kho_scratch_for_linux(void);
extern phys_addr_t kho_scratch_limit;

/* Preserve a folio / a run of pages for the next kernel. Refused: memory
 * inside scratch, not the allocator's, preserved already. */
int kho_preserve_folio(struct folio *folio);
int kho_unpreserve_folio(struct folio *folio);
int kho_preserve_pages(struct page *page, u64 nr_pages);
int kho_unpreserve_pages(struct page *page, u64 nr_pages);

/* vmalloc areas (Linux's struct kho_vmalloc, kho/abi.h): the pages and a
 * chain of chunk pages listing them are preserved; the descriptor goes into
 * the caller's own preserved data. Restore maps the pages again as a new
 * area that vfree/kvfree frees. */
int kho_preserve_vmalloc(void *ptr, struct kho_vmalloc *out);
int kho_unpreserve_vmalloc(struct kho_vmalloc *v);
void *kho_restore_vmalloc(const struct kho_vmalloc *v);

/* kmalloc objects (Baton's extension, kho/abi.h): kfree works on what
 * kho_restore_slab returns. An object preserved already is refused
 * (-EEXIST). */
int kho_preserve_slab(void *obj);
int kho_unpreserve_slab(void *obj);
void *kho_restore_slab(phys_addr_t phys);

/* Subtrees: named blobs handed over through the root FDT (kho/abi.h). The
 * blob's pages must be preserved by the caller. Names are at most
 * KHO_NAME_MAX - 1 characters; at most KHO_MAX_SUBTREES of them. */
#define KHO_MAX_SUBTREES 16
#define KHO_NAME_MAX 32
int kho_add_subtree(const char *name, const void *blob, u64 size);
int kho_remove_subtree(const char *name);
/* In the next kernel: where the blob named name is, checked at boot to lie
 * inside preserved memory. -ENOENT when there is none. */
int kho_retrieve_subtree(const char *name, phys_addr_t *phys, u64 *size);

/* Build the handover: the root FDT page (preserved) and the scratch array
 * (preserved), for /chosen linux,kho-fdt and linux,kho-scratch. */
struct kho_handover {
	phys_addr_t fdt, fdt_size;
	phys_addr_t scratch, scratch_size;
};
int kho_serialize(struct kho_handover *out);
/* The root FDT's compatible kho_serialize writes (kho.compatible=). */
const char *kho_out_compatible(void);
/* The handover in a boot FDT's /chosen (kho/handover.c; the property
 * names are kho/handover.h's). */
/* Write the handover into the FDT's /chosen (made if missing): its root
 * FDT (fdt, fdt_size) and scratch array (scratch, scratch_size) as
 * linux,kho-fdt and linux,kho-scratch, replacing any there, as <addr size>
 * in the root's #address-cells and #size-cells, as Linux writes them on
 * arm64. Returns 0 or a negative libfdt error (no room: -FDT_ERR_NOSPACE). */
int kho_chosen_write(void *fdt, phys_addr_t kfdt, u64 kfdt_size, phys_addr_t scratch,
		     u64 scratch_size);
/* The same into the node at offset chosen, which the caller found. */
int kho_chosen_write_at(void *fdt, int chosen, phys_addr_t kfdt, u64 kfdt_size, phys_addr_t scratch,
			u64 scratch_size);
/* A minimal boot FDT of size bytes at buf that carries nothing but the
 * handover h (#address-cells and #size-cells 2, /chosen): what the host
 * tests, the fuzzer's seeds and the bench boot their next kernel on. */
int kho_handover_fdt(void *buf, int size, const struct kho_handover *h);

/* Set one <addr size> property of the node chosen, replacing it. */
int kho_chosen_set_range(void *fdt, int chosen, const char *name, u64 base, u64 size);

/* Undo kho_serialize (the kexec did not happen after all): the root FDT
 * and scratch array pages, the kexec-metadata record and the subtrees
 * serializing added all go; what callers preserved stays preserved. */
void kho_abort(void);

/* Is the block at pa of that order preserved for the next kernel (set in
 * the outgoing map)? Is the kmalloc object obj (kho_preserve_slab)? */
bool kho_preserved(phys_addr_t pa, unsigned int order);
bool kho_slab_preserved(const void *obj);

/* Pages the outgoing side holds for its own bookkeeping (kho/alloc.c):
 * radix nodes, vmalloc chunks, slab record chunks, the kexec-metadata
 * record, the root FDT and the scratch array. Every such page is
 * allocated and freed through kho_page_alloc/kho_page_free, so a
 * generation's free pages plus these change only when a caller's own
 * allocations do: a failed preserve or kexec that gives back what it took
 * leaves both where they were. */
u64 kho_own_pages(void);

/* ---- Fault injection (kho/fault.c): kho.fail=SITE[:N] ---- */

/* Where an allocation of the outgoing path is made. */
enum kho_fail_site {
	KHO_FAIL_RADIX,   /* a node of the preserved-memory map */
	KHO_FAIL_VMALLOC, /* a chunk page of a preserved vmalloc area */
	KHO_FAIL_SLAB,    /* a chunk page of the slab records */
	KHO_FAIL_FDT,     /* the root FDT, the scratch array, the next boot FDT */
	KHO_FAIL_SUBTREE, /* a subtree table entry, the kexec-metadata page */
	KHO_FAIL_IMAGE,   /* the next kernel's slot in scratch (kexec) */
	KHO_FAIL_SITES,
	KHO_FAIL_ANY = KHO_FAIL_SITES /* kho.fail=any: whichever comes */
};

/* Asked before each allocation at site: true when this one must fail (and
 * it has said so in the log). False at the cost of one predicted branch
 * unless kho.fail= was given and has not fired yet. */
extern bool kho_fail_armed;
bool kho_fail_hit(enum kho_fail_site site);
static inline bool kho_fail(enum kho_fail_site site)
{
	return unlikely(kho_fail_armed) && kho_fail_hit(site);
}
/* kho.fail='s value: "radix", "fdt:2", "any:7". 0 or -EINVAL. */
int kho_fail_set(const char *val);
/* Was kho.fail= given; has its failure been injected? */
bool kho_fail_given(void);
bool kho_fail_fired(void);
/* Hold the injection off (a self-test of the normal path) and on again. */
void kho_fail_pause(bool pause);
/* Before a kexec: say so when kho.fail= was given and never fired. */
void kho_fail_report(void);

/* ---- The incoming kernel (kho/validate.c, kho/restore.c) ---- */

/* Early, after memblock knows RAM and the boot reservations: find a
 * handover in the boot FDT's /chosen, validate all of it, and reserve the
 * preserved blocks in memblock. A bad handover is refused whole, with one
 * line saying why, and the boot goes on as a cold boot. Returns 0 when a
 * handover was accepted, -ENOENT when the boot FDT names none, and the
 * refusal's code (kerrno.h) when one was refused. */
int kho_scan(const void *boot_fdt);

/* kernel_main's KHO step, between memblock and the buddy allocator: take a
 * handover if the boot FDT has one, else reserve fresh scratch (kho_scratch=
 * on the command line, default KHO_SCRATCH_DEFAULT). */
#define KHO_SCRATCH_DEFAULT (16ULL << 20)
void kho_boot(const void *boot_fdt);

/* After buddy_init: mark the preserved blocks in the memmap. */
void kho_mark_preserved(void);

/* The primitive under every restore: hand the preserved block at phys, of
 * that order, to the page allocator with the memdesc word md (the mirror of
 * alloc_page_desc). NULL, with a message, if no such block waits. */
struct page *kho_restore_page_desc(phys_addr_t phys, unsigned int order, unsigned long md);
struct folio *kho_restore_folio(phys_addr_t phys);
/* A run preserved with kho_preserve_pages (or by Linux); its blocks come
 * back as alloc_pages blocks of the orders they were preserved in, those
 * above MAX_ORDER as the MAX_ORDER blocks they are made of. */
struct page *kho_restore_pages(phys_addr_t phys, u64 nr_pages);

/* After the allocators: say who handed over (the kexec-metadata subtree,
 * kho/metadata_in.c) and give that record's page back. */
void kho_metadata_take(void);

/* Preserved pages not restored (yet). */
u64 kho_unclaimed_pages(void);
bool kho_is_kho_boot(void);
/* The areas in use: the ones handed over, or the ones reserved. */
int kho_scratch_areas(const struct kho_scratch **areas);

/* Print on the console, for people (the shell's `kho`, kho/show.c): the
 * handover this boot took, what is preserved for the next, scratch. */
void kho_show(void);
/* The KHO root FDT this boot took (validated, mapped; it stays preserved
 * until the next handover), or NULL on a cold boot. */
const void *kho_received_fdt(void);

#endif
