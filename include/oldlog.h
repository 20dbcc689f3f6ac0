/*
 * oldlog.h — the kernel log of every generation, kept across kexec.
 * (Placeholder from the shell's branch: the oldlog work provides the real
 * header and kernel/oldlog.c; until then kernel/shell.c's weak
 * oldlog_show shows this generation's log only.)
 */
#ifndef BATON_OLDLOG_H
#define BATON_OLDLOG_H

/* Print every earlier generation's log, then this one's, on the console. */
void oldlog_show(void);

#endif
