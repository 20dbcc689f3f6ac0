/*
 * oldlog.h — the kernel log of earlier generations, handed from each
 * generation to the next through KHO itself (kernel/oldlog.c), so that
 * the shell's `log` (and log.show_previous at boot) shows generation 0's
 * log, then 1's, ..., then this one's.
 *
 * The record (an ABI between generations, docs/shell.md): one block of
 * 2^order pages preserved with kho_preserve_pages, at most
 * OLDLOG_MAX_BYTES, named by the KHO root FDT's subtree "baton-log"
 * (preserved-data: the block, blob-size: the whole block). It starts with
 * a header, then count records back to back, oldest generation first:
 *
 *     struct oldlog_header  "baton-log-v1", size (bytes used), count
 *     struct oldlog_record  generation 0, len
 *     len bytes of log text, zero-padded to a multiple of 8
 *     struct oldlog_record  generation 1, len
 *     ...                   the outgoing generation's own log last
 *
 * The text is the ring's (printk.h): each line LOG_MARK, its level as a
 * digit, then the line with its timestamp and newline. Generations
 * increase strictly and all come before the reader's own. Little-endian
 * u64s, as the rest of the KHO ABI (kho/abi.h).
 */
#ifndef BATON_OLDLOG_H
#define BATON_OLDLOG_H

#include "types.h"

#define OLDLOG_SUBTREE "baton-log"
#define OLDLOG_COMPATIBLE "baton-log-v1" /* changes with any change below */
/* The whole record, header and all; when the logs would pass it, the
 * oldest generations are dropped whole (and a line says so). */
#define OLDLOG_MAX_BYTES (256 * 1024)

struct oldlog_header {
	char compatible[16]; /* OLDLOG_COMPATIBLE, NUL-padded */
	u64 size;            /* bytes used: this header and the records */
	u64 count;           /* records that follow */
};
_Static_assert(sizeof(struct oldlog_header) == 32, "the header's layout is the ABI's");

struct oldlog_record {
	u64 generation;
	u64 len; /* bytes of text after this; the next record starts
		  * ALIGN_UP(len, 8) bytes after it */
};
_Static_assert(sizeof(struct oldlog_record) == 16, "a record's layout is the ABI's");

/* Print every earlier generation's log, each under a header line
 * ("--- generation 0 (previous boot) ---"), then this generation's, as
 * the ring keeps them (raw lines, their own timestamps), on the console.
 * The shell's `log`; log.show_previous on the command line does it at
 * boot too. */
void oldlog_show(void);

/* At boot (kexec_init), once the allocators run: take the record the last
 * generation handed over, if any, as generation's history. A record that
 * breaks a rule of oldlog_check is refused with one line, freed, and the
 * boot goes on without it. */
void oldlog_restore(u64 generation);

/* kexec: before the handover is serialized, preserve a new record: the
 * history (its newest generations that fit) and room for this
 * generation's ring; 0, or the code with why filled (a preserve that
 * fails: kexec is called off). oldlog_seal, right before the jump, copies
 * the ring in; oldlog_unpreserve undoes oldlog_preserve (a kexec called
 * off), nothing left of it. */
int oldlog_preserve(u64 generation, char *why, size_t n);
void oldlog_seal(void);
void oldlog_unpreserve(void);

/* The rules a record of blob_size bytes at blob must keep to be read by
 * generation: 0, or -EINVAL with why (one line) filled. */
int oldlog_check(const void *blob, u64 blob_size, u64 generation, char *why, size_t n);

/* Pages the restored history holds (the soak's leak check leaves them
 * out: the history grows from generation to generation). */
u64 oldlog_held_pages(void);

/* Forget everything without freeing (the host tests' next generation). */
void oldlog_reset(void);

#endif
