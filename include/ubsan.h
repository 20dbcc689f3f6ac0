/*
 * ubsan.h — what a kernel built with -fsanitize=... (make DEBUG=1) passes
 * to its UBSan runtime, kernel/ubsan.c.
 *
 * Each failed check calls __ubsan_handle_<check>_abort(data, values...):
 * data points at a static block the compiler wrote (where, and the types
 * involved), the values are the operands. The layouts are the UBSan ABI
 * that gcc and clang share (clang's compiler-rt documents it in
 * ubsan_handlers.h); they are only ever read, never built by us.
 *
 * A value travels as one machine word: the value itself when its type is
 * no wider than a pointer, else the address of the value (a 128-bit
 * integer, say).
 */
#ifndef BATON_UBSAN_H
#define BATON_UBSAN_H

#include "compiler.h"
#include "types.h"

typedef uintptr_t ubsan_value;

/* Where a check is: file, line and column (a column of 0 is unknown). */
struct ubsan_source_location {
	const char *file;
	u32 line;
	u32 column;
};

/*
 * A type: kind UBSAN_TYPE_INTEGER has info = log2(bit width) << 1 |
 * signed, so 'int' is 5 << 1 | 1 = 11 and 'unsigned long' 6 << 1 = 12;
 * UBSAN_TYPE_FLOAT has info = bit width. name is the C spelling, quoted
 * ("'int'").
 */
enum ubsan_type_kind {
	UBSAN_TYPE_INTEGER = 0,
	UBSAN_TYPE_FLOAT = 1,
	UBSAN_TYPE_UNKNOWN = 0xffff,
};

struct ubsan_type_descriptor {
	u16 kind;
	u16 info;
	char name[];
};

/* The checks about one value of one type: + - * / % on signed integers
 * and unary - (overflow), a variable-length array's bound (vla-bound), a
 * load of a bool (or an enum) whose bits are no value of its type
 * (invalid-value). */
struct ubsan_typed_data {
	struct ubsan_source_location loc;
	const struct ubsan_type_descriptor *type;
};

/* lhs << rhs, lhs >> rhs. */
struct ubsan_shift_data {
	struct ubsan_source_location loc;
	const struct ubsan_type_descriptor *lhs_type;
	const struct ubsan_type_descriptor *rhs_type;
};

/* array[index] with a known bound. */
struct ubsan_out_of_bounds_data {
	struct ubsan_source_location loc;
	const struct ubsan_type_descriptor *array_type;
	const struct ubsan_type_descriptor *index_type;
};

/* An access through a pointer that is null, misaligned for the type
 * (alignment 1 << log_alignment) or to an object too small for it. */
struct ubsan_type_mismatch_data {
	struct ubsan_source_location loc;
	const struct ubsan_type_descriptor *type;
	u8 log_alignment;
	u8 type_check_kind; /* UBSAN_ACCESS_*: what the access was */
};

enum ubsan_access {
	UBSAN_ACCESS_LOAD = 0,
	UBSAN_ACCESS_STORE = 1,
	UBSAN_ACCESS_MEMBER = 3,
	UBSAN_ACCESS_KINDS = 12, /* 2 and 4..11 are C++'s */
};

/* __builtin_unreachable() reached. */
struct ubsan_unreachable_data {
	struct ubsan_source_location loc;
};

/* __builtin_ctz/clz (kind 0/1) of zero. */
struct ubsan_invalid_builtin_data {
	struct ubsan_source_location loc;
	u8 kind;
};

/* NULL passed for a parameter declared nonnull (arg_index counts from 1). */
struct ubsan_nonnull_arg_data {
	struct ubsan_source_location loc;
	struct ubsan_source_location attr_loc;
	int arg_index;
};

/* NULL returned from a function declared returns_nonnull; the return's
 * place comes as a second argument. */
struct ubsan_nonnull_return_data {
	struct ubsan_source_location attr_loc;
};

/* base + offset wrapped around (or went from or to NULL). */
struct ubsan_pointer_overflow_data {
	struct ubsan_source_location loc;
};

/* The handlers the checks of the Makefile's UBSAN_CHECKS call; none
 * returns (-fno-sanitize-recover). */
__noreturn void __ubsan_handle_add_overflow_abort(struct ubsan_typed_data *d, ubsan_value lhs,
						  ubsan_value rhs);
__noreturn void __ubsan_handle_sub_overflow_abort(struct ubsan_typed_data *d, ubsan_value lhs,
						  ubsan_value rhs);
__noreturn void __ubsan_handle_mul_overflow_abort(struct ubsan_typed_data *d, ubsan_value lhs,
						  ubsan_value rhs);
__noreturn void __ubsan_handle_negate_overflow_abort(struct ubsan_typed_data *d, ubsan_value old);
__noreturn void __ubsan_handle_divrem_overflow_abort(struct ubsan_typed_data *d, ubsan_value lhs,
						     ubsan_value rhs);
__noreturn void __ubsan_handle_shift_out_of_bounds_abort(struct ubsan_shift_data *d,
							 ubsan_value lhs, ubsan_value rhs);
__noreturn void __ubsan_handle_out_of_bounds_abort(struct ubsan_out_of_bounds_data *d,
						   ubsan_value index);
__noreturn void __ubsan_handle_type_mismatch_v1_abort(struct ubsan_type_mismatch_data *d,
						      ubsan_value ptr);
__noreturn void __ubsan_handle_vla_bound_not_positive_abort(struct ubsan_typed_data *d,
							    ubsan_value bound);
__noreturn void __ubsan_handle_load_invalid_value_abort(struct ubsan_typed_data *d,
							ubsan_value val);
__noreturn void __ubsan_handle_builtin_unreachable(struct ubsan_unreachable_data *d);
__noreturn void __ubsan_handle_invalid_builtin_abort(struct ubsan_invalid_builtin_data *d);
__noreturn void __ubsan_handle_nonnull_arg_abort(struct ubsan_nonnull_arg_data *d);
__noreturn void __ubsan_handle_nonnull_return_v1_abort(struct ubsan_nonnull_return_data *d,
						       struct ubsan_source_location *loc);
__noreturn void __ubsan_handle_pointer_overflow_abort(struct ubsan_pointer_overflow_data *d,
						      ubsan_value base, ubsan_value result);

#endif
