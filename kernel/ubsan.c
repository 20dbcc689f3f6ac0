/*
 * ubsan.c — the UBSan runtime of the debug build (make DEBUG=1): the
 * functions gcc's -fsanitize checks call when one fails. Only that build
 * links this file, and builds it without the checks (it would call itself).
 *
 * Each handler writes one line, what failed, where and with which values
 * and types,
 *     ubsan: shift-out-of-bounds at kernel/x.c:12:9: shift exponent 40 is
 *     too large for 32-bit type 'unsigned int'
 * and panics, which powers the machine off (panic.c). Nothing returns: the
 * Makefile builds with -fno-sanitize-recover, so the compiler calls the
 * _abort handlers and knows they do not come back.
 *
 * The code that reports (vsnprintf, printk, the console) is itself under
 * the checks. A check that fails while a report is being made is said in
 * as few words as possible, and a third one powers off at once: a report
 * never recurses without end.
 */
#include "ubsan.h"
#include "console.h"
#include "kstring.h"
#include "ktest.h"
#include "panic.h"
#include "printk.h"
#include "arch/cpu.h"

#define UBSAN_DETAIL_MAX 160
#define UBSAN_VALUE_MAX 48

/* How many reports are under way: 1 in a normal report, 2 when a check
 * failed inside it. */
static unsigned ubsan_depth;

static __noreturn __printf(3, 4) void ubsan_report(const struct ubsan_source_location *loc,
						   const char *kind, const char *fmt, ...)
{
	char detail[UBSAN_DETAIL_MAX];
	const char *file = loc && loc->file ? loc->file : "(unknown file)";
	u32 line = loc ? loc->line : 0, column = loc ? loc->column : 0;
	va_list ap;

	ubsan_depth++;
	if (ubsan_depth > 2)
		arch_poweroff();
	if (ubsan_depth == 2) {
		printk(LOG_ERR, "ubsan: %s at %s:%u:%u, while reporting another", kind, file,
		       (unsigned)line, (unsigned)column);
		console_flush();
		arch_poweroff();
	}
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	panic("ubsan: %s at %s:%u:%u: %s", kind, file, (unsigned)line, (unsigned)column, detail);
}

static const char *ubsan_type_name(const struct ubsan_type_descriptor *t)
{
	return t ? t->name : "(unknown type)";
}

static bool ubsan_is_int(const struct ubsan_type_descriptor *t)
{
	return t && t->kind == UBSAN_TYPE_INTEGER;
}

static bool ubsan_is_signed(const struct ubsan_type_descriptor *t)
{
	return ubsan_is_int(t) && (t->info & 1);
}

/* The width in bits of an integer type (0 for any other). */
static unsigned ubsan_int_bits(const struct ubsan_type_descriptor *t)
{
	return ubsan_is_int(t) ? 1u << (t->info >> 1) : 0;
}

/* An integer value no wider than a word, as 64 bits: sign-extended for a
 * signed type, zero-extended for an unsigned one. */
static u64 ubsan_word(const struct ubsan_type_descriptor *t, ubsan_value v)
{
	unsigned bits = ubsan_int_bits(t), drop = bits < 64 ? 64 - bits : 0;

	if (ubsan_is_signed(t))
		return (u64)((s64)((u64)v << drop) >> drop);
	return (u64)v << drop >> drop;
}

static bool ubsan_is_negative(const struct ubsan_type_descriptor *t, ubsan_value v)
{
	if (!ubsan_is_signed(t))
		return false;
	if (ubsan_int_bits(t) > 64) /* little-endian: the high word is second */
		return ((const s64 *)v)[1] < 0;
	return (s64)ubsan_word(t, v) < 0;
}

/* One value as text: a decimal number for integers up to 64 bits, hex
 * words for wider ones (passed by address), a placeholder for the rest. */
static const char *ubsan_value_str(char buf[UBSAN_VALUE_MAX], const struct ubsan_type_descriptor *t,
				   ubsan_value v)
{
	unsigned bits = ubsan_int_bits(t);

	if (bits > 64) {
		const u64 *w = (const u64 *)v;

		snprintf(buf, UBSAN_VALUE_MAX, "0x%016llx%016llx", (unsigned long long)w[1],
			 (unsigned long long)w[0]);
	} else if (bits && ubsan_is_signed(t)) {
		snprintf(buf, UBSAN_VALUE_MAX, "%lld", (long long)ubsan_word(t, v));
	} else if (bits) {
		snprintf(buf, UBSAN_VALUE_MAX, "%llu", (unsigned long long)ubsan_word(t, v));
	} else {
		snprintf(buf, UBSAN_VALUE_MAX, "(a value of type %s)", ubsan_type_name(t));
	}
	return buf;
}

static __noreturn void ubsan_overflow(struct ubsan_typed_data *d, ubsan_value lhs, ubsan_value rhs,
				      char op)
{
	char a[UBSAN_VALUE_MAX], b[UBSAN_VALUE_MAX];

	ubsan_report(&d->loc, "signed-integer-overflow",
		     "%s %c %s cannot be represented in type %s", ubsan_value_str(a, d->type, lhs),
		     op, ubsan_value_str(b, d->type, rhs), ubsan_type_name(d->type));
}

void __ubsan_handle_add_overflow_abort(struct ubsan_typed_data *d, ubsan_value lhs, ubsan_value rhs)
{
	ubsan_overflow(d, lhs, rhs, '+');
}

void __ubsan_handle_sub_overflow_abort(struct ubsan_typed_data *d, ubsan_value lhs, ubsan_value rhs)
{
	ubsan_overflow(d, lhs, rhs, '-');
}

void __ubsan_handle_mul_overflow_abort(struct ubsan_typed_data *d, ubsan_value lhs, ubsan_value rhs)
{
	ubsan_overflow(d, lhs, rhs, '*');
}

void __ubsan_handle_negate_overflow_abort(struct ubsan_typed_data *d, ubsan_value old)
{
	char a[UBSAN_VALUE_MAX];

	ubsan_report(&d->loc, "signed-integer-overflow",
		     "negation of %s cannot be represented in type %s",
		     ubsan_value_str(a, d->type, old), ubsan_type_name(d->type));
}

/* x / 0, x % 0, or MIN / -1 (the one quotient a signed type lacks). */
void __ubsan_handle_divrem_overflow_abort(struct ubsan_typed_data *d, ubsan_value lhs,
					  ubsan_value rhs)
{
	char a[UBSAN_VALUE_MAX], b[UBSAN_VALUE_MAX];
	bool zero = ubsan_int_bits(d->type) > 64 ? !((const u64 *)rhs)[0] && !((const u64 *)rhs)[1]
						 : !ubsan_word(d->type, rhs);

	ubsan_value_str(a, d->type, lhs);
	if (zero)
		ubsan_report(&d->loc, "integer-divide-by-zero", "division of %s by zero (type %s)",
			     a, ubsan_type_name(d->type));
	ubsan_report(&d->loc, "signed-integer-overflow",
		     "division of %s by %s cannot be represented in type %s", a,
		     ubsan_value_str(b, d->type, rhs), ubsan_type_name(d->type));
}

/* In order of the standard's rules: a negative or too wide shift count,
 * then (left shifts) a negative value or one whose result does not fit. */
void __ubsan_handle_shift_out_of_bounds_abort(struct ubsan_shift_data *d, ubsan_value lhs,
					      ubsan_value rhs)
{
	char a[UBSAN_VALUE_MAX], b[UBSAN_VALUE_MAX];
	unsigned bits = ubsan_int_bits(d->lhs_type);

	ubsan_value_str(a, d->lhs_type, lhs);
	ubsan_value_str(b, d->rhs_type, rhs);
	if (ubsan_is_negative(d->rhs_type, rhs))
		ubsan_report(&d->loc, "shift-out-of-bounds", "shift exponent %s is negative", b);
	if (ubsan_int_bits(d->rhs_type) > 64 || ubsan_word(d->rhs_type, rhs) >= bits)
		ubsan_report(&d->loc, "shift-out-of-bounds",
			     "shift exponent %s is too large for %u-bit type %s", b, bits,
			     ubsan_type_name(d->lhs_type));
	if (ubsan_is_negative(d->lhs_type, lhs))
		ubsan_report(&d->loc, "shift-out-of-bounds", "left shift of negative value %s", a);
	ubsan_report(&d->loc, "shift-out-of-bounds",
		     "left shift of %s by %s places cannot be represented in type %s", a, b,
		     ubsan_type_name(d->lhs_type));
}

void __ubsan_handle_out_of_bounds_abort(struct ubsan_out_of_bounds_data *d, ubsan_value index)
{
	char a[UBSAN_VALUE_MAX];

	ubsan_report(&d->loc, "array-index-out-of-bounds", "index %s is out of range for type %s",
		     ubsan_value_str(a, d->index_type, index), ubsan_type_name(d->array_type));
}

/* What the access was, by the ABI's numbers (the C++ ones included, so
 * that no number is left unnamed). */
/* A table, several names a line: not formatted by clang-format. */
/* clang-format off */
static const char *const ubsan_access_names[UBSAN_ACCESS_KINDS] = {
	"load of", "store to", "reference binding to", "member access within",
	"member call on", "constructor call on", "downcast of", "downcast of",
	"upcast of", "cast to virtual base of", "_Nonnull binding to", "dynamic operation on",
};
/* clang-format on */

/* One handler for three checks: null (the pointer is 0), alignment (it is
 * not a multiple of the type's alignment) and object-size (neither: the
 * object behind it is smaller than the type). */
void __ubsan_handle_type_mismatch_v1_abort(struct ubsan_type_mismatch_data *d, ubsan_value ptr)
{
	const char *access = d->type_check_kind < UBSAN_ACCESS_KINDS
				     ? ubsan_access_names[d->type_check_kind]
				     : "access through";
	u64 align = d->log_alignment < 64 ? 1ULL << d->log_alignment : 0;

	if (!ptr)
		ubsan_report(&d->loc, "null-pointer-dereference", "%s null pointer of type %s",
			     access, ubsan_type_name(d->type));
	if (align && (ptr & (align - 1)))
		ubsan_report(
			&d->loc, "misaligned-access",
			"%s misaligned address %p for type %s, which requires %llu-byte alignment",
			access, (void *)ptr, ubsan_type_name(d->type), (unsigned long long)align);
	ubsan_report(&d->loc, "object-size-mismatch",
		     "%s address %p with too little space for an object of type %s", access,
		     (void *)ptr, ubsan_type_name(d->type));
}

void __ubsan_handle_vla_bound_not_positive_abort(struct ubsan_typed_data *d, ubsan_value bound)
{
	char a[UBSAN_VALUE_MAX];

	ubsan_report(&d->loc, "vla-bound-not-positive",
		     "variable-length array bound %s is not positive",
		     ubsan_value_str(a, d->type, bound));
}

void __ubsan_handle_load_invalid_value_abort(struct ubsan_typed_data *d, ubsan_value val)
{
	char a[UBSAN_VALUE_MAX];

	ubsan_report(&d->loc, "invalid-value-load",
		     "load of value %s, which is no value of type %s",
		     ubsan_value_str(a, d->type, val), ubsan_type_name(d->type));
}

void __ubsan_handle_builtin_unreachable(struct ubsan_unreachable_data *d)
{
	ubsan_report(&d->loc, "unreachable", "execution reached __builtin_unreachable()%s", "");
}

void __ubsan_handle_invalid_builtin_abort(struct ubsan_invalid_builtin_data *d)
{
	ubsan_report(&d->loc, "invalid-builtin-use",
		     "zero passed to __builtin_%s(), which is undefined for it",
		     d->kind == 0   ? "ctz"
		     : d->kind == 1 ? "clz"
				    : "(unknown)");
}

void __ubsan_handle_nonnull_arg_abort(struct ubsan_nonnull_arg_data *d)
{
	ubsan_report(&d->loc, "nonnull-argument",
		     "null passed as argument %d, declared nonnull at %s:%u", d->arg_index,
		     d->attr_loc.file ? d->attr_loc.file : "(unknown file)",
		     (unsigned)d->attr_loc.line);
}

void __ubsan_handle_nonnull_return_v1_abort(struct ubsan_nonnull_return_data *d,
					    struct ubsan_source_location *loc)
{
	ubsan_report(loc, "nonnull-return",
		     "null returned from a function declared returns_nonnull at %s:%u",
		     d->attr_loc.file ? d->attr_loc.file : "(unknown file)",
		     (unsigned)d->attr_loc.line);
}

/* base + offset = result, in unsigned arithmetic: which rule it broke. */
void __ubsan_handle_pointer_overflow_abort(struct ubsan_pointer_overflow_data *d, ubsan_value base,
					   ubsan_value result)
{
	if (!base && !result)
		ubsan_report(&d->loc, "pointer-overflow", "zero offset applied to a null pointer%s",
			     "");
	if (!base)
		ubsan_report(&d->loc, "pointer-overflow",
			     "offset applied to a null pointer gave %p", (void *)result);
	if (!result)
		ubsan_report(&d->loc, "pointer-overflow",
			     "offset applied to %p gave a null pointer", (void *)base);
	ubsan_report(&d->loc, "pointer-overflow", "pointer arithmetic on %p wrapped around to %p",
		     (void *)base, (void *)result);
}

/* The debug build's own check of how values are read: each width and
 * signedness the type descriptors can say, and a value wider than a word,
 * which comes by address. */
static const struct ubsan_type_descriptor ubsan_s8 = { UBSAN_TYPE_INTEGER, 3 << 1 | 1, "'s8'" };
static const struct ubsan_type_descriptor ubsan_u16 = { UBSAN_TYPE_INTEGER, 4 << 1, "'u16'" };
static const struct ubsan_type_descriptor ubsan_s32 = { UBSAN_TYPE_INTEGER, 5 << 1 | 1, "'int'" };
static const struct ubsan_type_descriptor ubsan_s64 = { UBSAN_TYPE_INTEGER, 6 << 1 | 1, "'s64'" };
static const struct ubsan_type_descriptor ubsan_u64 = { UBSAN_TYPE_INTEGER, 6 << 1, "'u64'" };
static const struct ubsan_type_descriptor ubsan_u128 = { UBSAN_TYPE_INTEGER, 7 << 1, "'u128'" };
static const struct ubsan_type_descriptor ubsan_other = { UBSAN_TYPE_UNKNOWN, 0, "'struct x'" };

KTEST(ubsan, values)
{
	static const u64 wide[2] = { 1, 0x8000000000000002ULL }; /* low word first */
	char buf[UBSAN_VALUE_MAX];

	KT_EXPECT(t, ubsan_int_bits(&ubsan_s8) == 8 && ubsan_int_bits(&ubsan_u128) == 128);
	KT_EXPECT(t, ubsan_int_bits(&ubsan_other) == 0);
	KT_EXPECT(t, strcmp(ubsan_value_str(buf, &ubsan_s8, 0xff), "-1") == 0);
	KT_EXPECT(t, strcmp(ubsan_value_str(buf, &ubsan_s8, 0x7f), "127") == 0);
	KT_EXPECT(t, strcmp(ubsan_value_str(buf, &ubsan_u16, 0x1ffff), "65535") == 0);
	KT_EXPECT(t, strcmp(ubsan_value_str(buf, &ubsan_s32, 0xfffffffb), "-5") == 0);
	KT_EXPECT(t, strcmp(ubsan_value_str(buf, &ubsan_s64, 1ULL << 63), "-9223372036854775808") ==
			     0);
	KT_EXPECT(t, strcmp(ubsan_value_str(buf, &ubsan_u64, ~0ULL), "18446744073709551615") == 0);
	KT_EXPECT(t, strcmp(ubsan_value_str(buf, &ubsan_u128, (ubsan_value)wide),
			    "0x80000000000000020000000000000001") == 0);
	KT_EXPECT(t, strcmp(ubsan_value_str(buf, &ubsan_other, 0),
			    "(a value of type 'struct x')") == 0);
	KT_EXPECT(t,
		  ubsan_is_negative(&ubsan_s32, 0xfffffffb) && !ubsan_is_negative(&ubsan_s32, 5));
	KT_EXPECT(t, !ubsan_is_negative(&ubsan_u16, 0xffff) &&
			     !ubsan_is_negative(&ubsan_u128, (ubsan_value)wide));
}
