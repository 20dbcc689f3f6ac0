/*
 * kexec_timing.c — a handover's timeline, phase by phase (kexec_timing.h).
 *
 * The timeline is a list of stamps <phase, counter>: from a stamp's counter
 * to the next one's, the time is the stamp's phase; the last stretch ends
 * when the timeline is reported. So the phases add up to the total by
 * construction, and the report checks that its printed line still does
 * after rounding. The counter runs on across kexec (the TSC, CNTVCT), so
 * the outgoing kernel's stamps and the incoming one's are on one clock.
 *
 * Who calls: kernel_main marks the boot's steps, kexec.c its own, the
 * chain (ktest/) the self-test's; kexec.c hands the timeline over with
 * the next boot FDT and takes it from this one; the chain reports it at
 * its next kexec call, or at the end of the chain.
 */
#include "kexec_timing.h"
#include "bootfdt.h"
#include "cmdline.h"
#include "kerrno.h"
#include "kstring.h"
#include "printk.h"
#include "kho/handover.h"
#include "arch/counter.h"
#include <libfdt.h>

/* The names the line prints, one word each, so that it parses. */
static const char *const phase_name[KT_NR] = {
	[KT_FILL] = "fill",       [KT_PRESERVE] = "preserve", [KT_SERIALIZE] = "serialize",
	[KT_KEXEC] = "kexec",     [KT_COPY] = "copy",         [KT_JUMP] = "jump",
	[KT_ENTRY] = "entry",     [KT_EARLY] = "early-boot",  [KT_COUNTER] = "counter",
	[KT_BOOTMEM] = "bootmem", [KT_VALIDATE] = "validate", [KT_BUDDY] = "buddy-init",
	[KT_MARK] = "mark",       [KT_MM] = "mm-init",        [KT_RESTORE] = "restore",
	[KT_CHECK] = "check",     [KT_KTESTS] = "ktests",
};

struct stamp {
	u64 phase;
	u64 at; /* the counter when the phase began */
};

/*
 * The timeline: stamps[0..nstamps), their counters non-decreasing, each
 * phase different from the one before; the first ncarried came from the
 * last generation. Each kernel's own part holds at most KEXEC_TIMING_MAX
 * (what the property holds); when it is full, it takes no more stamps
 * (the time stays in the last phase) but keeps its last slot for the jump.
 */
static struct stamp stamps[2 * KEXEC_TIMING_MAX];
static unsigned nstamps, ncarried;
static bool full, print_stamps;

static int set_timing(const char *val)
{
	if (!val || strcmp(val, "stamps") != 0)
		return -EINVAL;
	print_stamps = true;
	return 0;
}
CMDLINE_PARAM("kexec.timing", set_timing,
	      "stamps: print each handover's stamps (phase, counter) beside its timing line");

/* Never inlined: every stamp is a call of it (kexec_timing.h). */
__noinline u64 kexec_timing_stamp(void)
{
	return arch_counter_read();
}

/* Can phase p have a new stamp? Not when it is the phase already, nor
 * when the table is full (the jump's stamp is kept room for). The counter
 * is read only after this says yes, so every reading is a stamp. */
static bool can_enter(enum kexec_phase p)
{
	if (nstamps && stamps[nstamps - 1].phase == p)
		return false;
	if (nstamps - ncarried >= KEXEC_TIMING_MAX - (p == KT_JUMP ? 0 : 1)) {
		full = true;
		return false;
	}
	return true;
}

void kexec_timing_enter(enum kexec_phase p)
{
	if (can_enter(p)) {
		stamps[nstamps].phase = p;
		stamps[nstamps++].at = kexec_timing_stamp();
	}
}

void kexec_timing_enter_at(enum kexec_phase p, u64 at)
{
	if (can_enter(p)) {
		stamps[nstamps].phase = p;
		stamps[nstamps++].at = at;
	}
}

void kexec_timing_reset(void)
{
	nstamps = 0;
	ncarried = 0;
	full = false;
}

/* The big-endian u64 at p (an FDT property's cells are 4-byte aligned). */
static u64 ld64(const u8 *p)
{
	fdt64_t v;

	memcpy(&v, p, sizeof(v));
	return fdt64_to_cpu(v);
}

/* The property as the last generation wrote it, into s[] and *n: 0, or
 * -EINVAL with why. It must end with the jump, in order, in known phases. */
static int decode(const u8 *p, int len, struct stamp *s, unsigned *n, char *why, size_t wn)
{
	u64 count;

	if (len != KEXEC_TIMING_PROP_SIZE)
		return err_why(why, wn, -EINVAL, "it is %d bytes, not %d", len,
			       KEXEC_TIMING_PROP_SIZE);
	count = ld64(p);
	if (!count || count > KEXEC_TIMING_MAX)
		return err_why(why, wn, -EINVAL, "it holds %llu stamps (1..%d)",
			       (unsigned long long)count, KEXEC_TIMING_MAX);
	for (u64 i = 0; i < count; i++) {
		s[i].phase = ld64(p + 8 + 16 * i);
		s[i].at = ld64(p + 16 + 16 * i);
		if (s[i].phase >= KT_NR)
			return err_why(why, wn, -EINVAL, "stamp %llu names phase %llu (0..%d)",
				       (unsigned long long)i, (unsigned long long)s[i].phase,
				       KT_NR - 1);
		if (i && s[i].at < s[i - 1].at)
			return err_why(why, wn, -EINVAL, "stamp %llu (%s) goes back in time",
				       (unsigned long long)i, phase_name[s[i].phase]);
	}
	if (s[count - 1].phase != KT_JUMP)
		return err_why(why, wn, -EINVAL, "it ends in %s, not in the jump",
			       phase_name[s[count - 1].phase]);
	*n = (unsigned)count;
	return 0;
}

void kexec_timing_take(const void *fdt)
{
	int chosen = bootfdt_chosen(fdt), len;
	const u8 *p =
		chosen >= 0 ? fdt_getprop(fdt, chosen, BATON_CHOSEN_KEXEC_TIMING, &len) : NULL;
	struct stamp in[KEXEC_TIMING_MAX];
	char why[ERR_WHY_MAX];
	unsigned n = 0;

	if (!p || ncarried)
		return;
	if (decode(p, len, in, &n, why, sizeof(why)) < 0) {
		pr_warn("kexec: the last generation's timeline is unusable (%s): timing from "
			"this kernel's entry",
			why);
		return;
	}
	if (nstamps && in[n - 1].at > stamps[0].at) {
		pr_warn("kexec: the last generation's timeline ends after this one began (the "
			"counter went back at the jump): timing from this kernel's entry");
		return;
	}
	memmove(&stamps[n], stamps, nstamps * sizeof(stamps[0]));
	memcpy(stamps, in, n * sizeof(in[0]));
	nstamps += n;
	ncarried = n;
	full |= n == KEXEC_TIMING_MAX; /* the last generation's part filled up */
}

int kexec_timing_hand_over(void *prop)
{
	u8 *p = prop;

	kexec_timing_enter(KT_JUMP);
	if (nstamps > KEXEC_TIMING_MAX) /* a timeline taken and never reported */
		return -E2BIG;
	fdt64_st(p, nstamps);
	for (unsigned i = 0; i < nstamps; i++) {
		fdt64_st(p + 8 + 16 * i, stamps[i].phase);
		fdt64_st(p + 16 + 16 * i, stamps[i].at);
	}
	return 0;
}

static u64 to_us(u64 ticks, u64 freq)
{
	return freq ? ticks / freq * 1000000 + ticks % freq * 1000000 / freq : 0;
}

/* Each stamp's counter, a few to a line, for tools that line them up with
 * an instruction count (tests/bench/insns). */
static void report_stamps(const char *head, u64 end)
{
	char line[400];
	int len = 0;

	for (unsigned i = 0; i <= nstamps; i++) {
		len += snprintf(line + len, sizeof(line) - len, "%s%s %llu", len ? ", " : "",
				i < nstamps ? phase_name[stamps[i].phase] : "end",
				(unsigned long long)(i < nstamps ? stamps[i].at : end));
		if (i % 8 == 7 || i == nstamps) {
			pr_info("%s stamps: %s", head, line);
			len = 0;
		}
	}
}

int kexec_timing_report(u64 generation, char *why, size_t n)
{
	u64 end = kexec_timing_stamp(), ticks[KT_NR] = { 0 }, freq = arch_counter_freq();
	bool seen[KT_NR] = { false };
	char head[64], line[512];
	int len, err;

	if (!nstamps)
		return err_why(why, n, -ENOENT, "no timeline was started");
	for (unsigned i = 0; i < nstamps; i++) {
		u64 next = i + 1 < nstamps ? stamps[i + 1].at : end;

		if (next < stamps[i].at) {
			err = err_why(why, n, -EINVAL, "the counter went back during %s",
				      phase_name[stamps[i].phase]);
			kexec_timing_reset();
			return err;
		}
		ticks[stamps[i].phase] += next - stamps[i].at;
		seen[stamps[i].phase] = true;
	}
	if (ncarried)
		snprintf(head, sizeof(head), "kexec: handover %llu -> %llu",
			 (unsigned long long)generation - 1, (unsigned long long)generation);
	else
		snprintf(head, sizeof(head), "boot: generation %llu",
			 (unsigned long long)generation);
	len = snprintf(line, sizeof(line), "%s took: ", head);
	for (int p = 0; p < KT_NR; p++)
		if (seen[p])
			len += snprintf(line + len, sizeof(line) - len, "%s %llu us, ",
					phase_name[p], (unsigned long long)to_us(ticks[p], freq));
	snprintf(line + len, sizeof(line) - len, "total %llu us%s",
		 (unsigned long long)to_us(end - stamps[0].at, freq),
		 full ? " (the timeline was full: the last phase holds the rest)" : "");
	pr_info("%s", line);
	if (print_stamps)
		report_stamps(head, end);
	kexec_timing_reset();
	return kexec_timing_check_line(line, why, n);
}

/* The first place what occurs in s, or NULL. */
static const char *find(const char *s, const char *what)
{
	for (size_t n = strlen(what); *s; s++)
		if (strncmp(s, what, n) == 0)
			return s;
	return NULL;
}

int kexec_timing_check_line(const char *line, char *why, size_t n)
{
	const char *s = find(line, " took: ");
	u64 sum = 0, v, phases = 0;
	char *end;

	if (!s)
		return err_why(why, n, -EINVAL, "no \"took: \" in the line");
	s += strlen(" took: ");
	for (;;) {
		const char *name = s;
		bool total, ok;

		while (*s && *s != ' ')
			s++;
		total = s - name == 5 && strncmp(name, "total", 5) == 0;
		ok = s > name && s[0] == ' ' && s[1] >= '0' && s[1] <= '9';
		if (ok) {
			v = strtoull(s + 1, &end, 10);
			ok = strncmp(end, " us", 3) == 0;
		}
		if (!ok)
			return err_why(why, n, -EINVAL, "item %llu is not \"<phase> <n> us\"",
				       (unsigned long long)phases + 1);
		s = end + 3;
		if (total) {
			if (!phases)
				return err_why(why, n, -EINVAL, "a total, but no phases");
			if (sum > v || v - sum >= phases)
				return err_why(
					why, n, -EINVAL,
					"the %llu phases add up to %llu us, the total is %llu us",
					(unsigned long long)phases, (unsigned long long)sum,
					(unsigned long long)v);
			return 0;
		}
		if (strncmp(s, ", ", 2) != 0)
			return err_why(why, n, -EINVAL, "the line ends without a total");
		s += 2;
		sum += v;
		phases++;
	}
}
