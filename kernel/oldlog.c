/*
 * oldlog.c — the log across generations: each kexec hands the next
 * generation the logs of the earlier ones plus its own, through KHO
 * (the record's layout is include/oldlog.h's), and oldlog_show prints
 * them all, oldest first, then this generation's.
 *
 * Who calls: kernel/kexec.c (oldlog_restore at boot, from kexec_init;
 * oldlog_preserve / oldlog_unpreserve with the image copy's preserve and
 * unpreserve; oldlog_seal right before the jump), the shell's `log`
 * (oldlog_show), and log.show_previous on the command line (at boot).
 *
 * What it assumes: the allocators run (restore, preserve); a handover
 * that carries a record was accepted by kho_scan, which checked that the
 * blob lies in preserved memory, but nothing of its content: every field
 * is read as hostile (oldlog_check), and the text is printed with every
 * byte that is not printable ASCII, a newline or a tab shown as '?'.
 */
#include "oldlog.h"
#include "buddy.h"
#include "cmdline.h"
#include "console.h"
#include "kerrno.h"
#include "kho.h"
#include "kstring.h"
#include "page.h"
#include "printk.h"

/* Room kept for the lines logged between oldlog_preserve and oldlog_seal
 * (the serialize, the next boot FDT, the timeline). */
#define OLDLOG_SLACK KiB(8)

/* The history this generation received: held (a block of 2^held_order
 * pages, restored from the handover and checked), or NULL. When held,
 * oldlog_check(page_address(held), PAGE_SIZE << held_order, this_gen)
 * is 0. */
static struct page *held;
static unsigned held_order;
static u64 this_gen;

/* The record this generation hands on, between oldlog_preserve and the
 * jump (or oldlog_unpreserve): a preserved block of 2^out_order pages
 * whose subtree is published. out_own is where this generation's own
 * record goes (oldlog_seal): the header and out_kept earlier records
 * come before it. */
static struct page *out;
static unsigned out_order;
static u64 out_own, out_kept, out_gen;

static bool show_at_boot;

static u64 rec_bytes(const struct oldlog_record *r)
{
	return sizeof(*r) + ALIGN_UP(r->len, 8);
}

/* The compatible, as text safe to print (it may hold anything). */
static void printable(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n && src[i]; i++)
		dst[i] = src[i] >= 0x20 && src[i] <= 0x7e ? src[i] : '?';
	dst[i] = '\0';
}

int oldlog_check(const void *blob, u64 blob_size, u64 generation, char *why, size_t n)
{
	const struct oldlog_header *h = blob;
	u64 off = sizeof(*h), prev = 0;

	if (blob_size < sizeof(*h) || blob_size > OLDLOG_MAX_BYTES)
		return err_why(why, n, -EINVAL, "the record is %llu bytes, not %zu to %u",
			       (unsigned long long)blob_size, sizeof(*h), OLDLOG_MAX_BYTES);
	if (memcmp(h->compatible, OLDLOG_COMPATIBLE, sizeof(OLDLOG_COMPATIBLE)) != 0) {
		char compat[sizeof(h->compatible) + 1];

		printable(compat, h->compatible, sizeof(compat));
		return err_why(why, n, -EINVAL, "the record says compatible \"%s\", not \"%s\"",
			       compat, OLDLOG_COMPATIBLE);
	}
	if (h->size < sizeof(*h) || h->size > blob_size)
		return err_why(why, n, -EINVAL,
			       "the header says %llu bytes are used, of a record of %llu",
			       (unsigned long long)h->size, (unsigned long long)blob_size);
	/* Each record takes 16 bytes at least, so a count that lies stops
	 * the walk at the end of the record, whatever it says. */
	for (u64 i = 0; i < h->count; i++) {
		const struct oldlog_record *r = (const void *)((const char *)blob + off);
		u64 left = h->size - off;

		if (left < sizeof(*r))
			return err_why(why, n, -EINVAL,
				       "the header counts %llu generations, but the "
				       "record ends after %llu",
				       (unsigned long long)h->count, (unsigned long long)i);
		left -= sizeof(*r);
		if (r->len > left || ALIGN_UP(r->len, 8) > left) /* len first: no wrap */
			return err_why(why, n, -EINVAL,
				       "generation %llu's log is %llu bytes, past the "
				       "end of the record (%llu bytes left)",
				       (unsigned long long)r->generation,
				       (unsigned long long)r->len, (unsigned long long)left);
		if (i && r->generation <= prev)
			return err_why(why, n, -EINVAL,
				       "generation %llu comes after generation %llu: "
				       "the generations go backwards",
				       (unsigned long long)r->generation, (unsigned long long)prev);
		if (r->generation >= generation)
			return err_why(why, n, -EINVAL,
				       "it holds generation %llu, not earlier than this "
				       "one (%llu)",
				       (unsigned long long)r->generation,
				       (unsigned long long)generation);
		prev = r->generation;
		off += rec_bytes(r);
	}
	if (off != h->size)
		return err_why(why, n, -EINVAL,
			       "the header counts %llu generations, but %llu bytes "
			       "follow the last one",
			       (unsigned long long)h->count, (unsigned long long)(h->size - off));
	return 0;
}

static void drop_held(void)
{
	if (held)
		__free_pages(held, held_order);
	held = NULL;
}

void oldlog_reset(void)
{
	held = out = NULL;
	this_gen = out_kept = out_own = out_gen = 0;
}

u64 oldlog_held_pages(void)
{
	return held ? 1ULL << held_order : 0;
}

/* The history's records, in order: first (NULL when there is none), and
 * each next one; oldlog_check has vouched for the walk. */
static const struct oldlog_record *rec_first(const struct oldlog_header **hp)
{
	const struct oldlog_header *h = held ? page_address(held) : NULL;

	*hp = h;
	return h && h->count ? (const void *)(h + 1) : NULL;
}

static const struct oldlog_record *rec_next(const struct oldlog_record *r)
{
	return (const void *)((const char *)r + rec_bytes(r));
}

static void refuse(const char *why)
{
	pr_err("oldlog: the earlier generations' logs are refused: %s; booting on without them",
	       why);
}

/* Take the record at pa, blob_size bytes: one preserved block, checked
 * whole before it is kept; freed at the first rule it breaks. */
static void take(phys_addr_t pa, u64 blob_size)
{
	char why[ERR_WHY_MAX];
	const struct oldlog_header *h;
	const struct oldlog_record *r;
	u64 pages = blob_size >> PAGE_SHIFT, first;
	unsigned order = 0;
	struct page *p;

	if ((pa & (PAGE_SIZE - 1)) || (blob_size & (PAGE_SIZE - 1)) || !pages ||
	    (pages & (pages - 1)) || blob_size > OLDLOG_MAX_BYTES) {
		err_why(why, sizeof(why), -EINVAL,
			"0x%llx+0x%llx is not a power-of-two run of whole "
			"pages up to %u KiB",
			(unsigned long long)pa, (unsigned long long)blob_size,
			OLDLOG_MAX_BYTES >> 10);
		refuse(why);
		return;
	}
	while ((1ULL << order) < pages)
		order++;
	p = kho_restore_pages(pa, pages);
	if (!p) { /* kho said why */
		err_why(why, sizeof(why), -ENOENT, "0x%llx+0x%llx is not one preserved block",
			(unsigned long long)pa, (unsigned long long)blob_size);
		refuse(why);
		return;
	}
	if (oldlog_check(page_address(p), blob_size, this_gen, why, sizeof(why)) < 0) {
		__free_pages(p, order);
		refuse(why);
		return;
	}
	held = p;
	held_order = order;
	r = rec_first(&h);
	if (!r) {
		pr_info("oldlog: generation %llu: the handover holds no earlier logs",
			(unsigned long long)this_gen);
		return;
	}
	first = r->generation;
	pr_info("oldlog: generation %llu: restored the logs of generations %llu to %llu (%llu "
		"of them, %llu KiB)",
		(unsigned long long)this_gen, (unsigned long long)first,
		(unsigned long long)this_gen - 1, (unsigned long long)h->count,
		(unsigned long long)(h->size >> 10));
}

void oldlog_restore(u64 generation)
{
	phys_addr_t pa;
	u64 size;

	drop_held(); /* replaced */
	this_gen = generation;
	if (kho_is_kho_boot()) {
		if (kho_retrieve_subtree(OLDLOG_SUBTREE, &pa, &size) == 0)
			take(pa, size);
		else /* Linux, or a Baton before this record: said, no more */
			pr_info("oldlog: no earlier logs (the handover carries none)");
	}
	if (show_at_boot)
		oldlog_show();
}

/* ---- Showing ---- */

/* An earlier generation's ring text as lines, each opened with "gN| " so
 * that no line of an earlier boot reads as one of this boot (a KTAP parser
 * or the boot tests' judge sees this boot's results only): the marks and
 * level digits dropped, what is not printable said as '?', a newline at
 * the end. */
static void show_text(u64 gen, const char *s, u64 len)
{
	char buf[128];
	size_t n = 0;
	bool line_start = true;

	for (u64 i = 0; i < len; i++) {
		char c = s[i];

		if (c == LOG_MARK) {
			i++; /* the level digit */
			continue;
		}
		if (line_start) {
			console_write(buf, n);
			n = (size_t)snprintf(buf, sizeof(buf), "g%llu| ", (unsigned long long)gen);
		}
		buf[n++] = (c >= 0x20 && c <= 0x7e) || c == '\n' || c == '\t' ? c : '?';
		line_start = c == '\n';
		if (n == sizeof(buf)) {
			console_write(buf, n);
			n = 0;
		}
	}
	if (len && s[len - 1] != '\n')
		buf[n++] = '\n';
	console_write(buf, n);
}

void oldlog_show(void)
{
	const struct oldlog_header *h;
	const struct oldlog_record *r = rec_first(&h);

	if (r && r->generation)
		console_printf("--- generations 0 to %llu: their logs were not handed on ---\n",
			       (unsigned long long)r->generation - 1);
	for (u64 i = 0; r && i < h->count; i++, r = rec_next(r)) {
		u64 ago = this_gen - r->generation;

		if (ago == 1)
			console_printf("--- generation %llu (previous boot) ---\n",
				       (unsigned long long)r->generation);
		else
			console_printf("--- generation %llu (%llu boots ago) ---\n",
				       (unsigned long long)r->generation, (unsigned long long)ago);
		show_text(r->generation, (const char *)(r + 1), r->len);
	}
	console_printf("--- generation %llu (this boot) ---\n", (unsigned long long)this_gen);
	printk_replay_all();
	console_printf("--- end of the log ---\n");
}

static int set_show_previous(const char *val)
{
	if (val)
		return -EINVAL;
	show_at_boot = true;
	return 0;
}
CMDLINE_PARAM(
	"log.show_previous", set_show_previous,
	"at boot, print the earlier generations' logs (handed over through KHO), then this one's");

/* ---- Handing on ---- */

void oldlog_unpreserve(void)
{
	if (!out)
		return;
	kho_remove_subtree(OLDLOG_SUBTREE);
	kho_unpreserve_pages(out, 1ULL << out_order);
	__free_pages(out, out_order);
	out = NULL;
}

int oldlog_preserve(u64 generation, char *why, size_t n)
{
	const struct oldlog_header *h;
	const struct oldlog_record *r = rec_first(&h), *first;
	u64 own = sizeof(struct oldlog_record) +
		  ALIGN_UP(MIN(printk_log_bytes() + OLDLOG_SLACK, (u64)PRINTK_RING_SIZE), 8);
	u64 kept = h ? h->size - sizeof(*h) : 0, count = h ? h->count : 0, need, dropped = 0;
	struct oldlog_header *o;
	int err;

	oldlog_unpreserve(); /* a second attempt starts afresh */
	/* The oldest generations go whole until the rest fits the cap. */
	while (r && dropped < count && sizeof(*h) + kept + own > OLDLOG_MAX_BYTES) {
		kept -= rec_bytes(r);
		r = rec_next(r);
		dropped++;
	}
	first = dropped < count ? r : NULL;
	need = sizeof(*h) + kept + own;
	for (out_order = 0; (PAGE_SIZE << out_order) < need; out_order++)
		;
	out = alloc_pages(__GFP_ZERO, out_order);
	if (!out)
		return err_why(why, n, -ENOMEM, "no memory for the log record (%llu KiB)",
			       (unsigned long long)((PAGE_SIZE << out_order) >> 10));
	err = kho_preserve_pages(out, 1ULL << out_order);
	if (err) {
		__free_pages(out, out_order);
		out = NULL;
		return err_why(why, n, err, "the log record could not be preserved");
	}
	o = page_address(out);
	memcpy(o->compatible, OLDLOG_COMPATIBLE, sizeof(OLDLOG_COMPATIBLE));
	if (first)
		memcpy(o + 1, first, kept);
	out_kept = count - dropped;
	out_own = sizeof(*o) + kept;
	out_gen = generation;
	o->count = out_kept;
	o->size = out_own; /* what it says until oldlog_seal adds this generation's */
	err = kho_add_subtree(OLDLOG_SUBTREE, o, PAGE_SIZE << out_order);
	if (err) {
		oldlog_unpreserve();
		return err_why(why, n, err, "the log record's subtree could not be added");
	}
	if (dropped)
		pr_info("oldlog: the logs would pass %u KiB: the oldest %llu dropped whole (from "
			"generation %llu); the history now starts at generation %llu",
			OLDLOG_MAX_BYTES >> 10, (unsigned long long)dropped,
			(unsigned long long)rec_first(&h)->generation,
			(unsigned long long)(first ? first->generation : generation));
	pr_info("oldlog: generation %llu hands on its log and %llu earlier one(s) (%llu KiB record)",
		(unsigned long long)generation, (unsigned long long)out_kept,
		(unsigned long long)((PAGE_SIZE << out_order) >> 10));
	return 0;
}

void oldlog_seal(void)
{
	struct oldlog_header *o;
	struct oldlog_record *r;

	if (!out)
		return;
	o = page_address(out);
	r = (void *)((char *)o + out_own);
	r->generation = out_gen;
	/* The newest whole lines that fit, and no byte past the padding. */
	r->len = printk_log_copy((char *)(r + 1),
				 ALIGN_DOWN((PAGE_SIZE << out_order) - out_own - sizeof(*r), 8));
	memset((char *)(r + 1) + r->len, 0, ALIGN_UP(r->len, 8) - r->len);
	o->count = out_kept + 1;
	o->size = out_own + rec_bytes(r);
}
