/*
 * libfdt_env.h — the environment Debian's libfdt expects, for the kernel.
 *
 * Debian's own libfdt_env.h pulls in libc headers. The freestanding kernel
 * and the EFI loader put this directory first on the include path instead,
 * and compile against copies of Debian's libfdt.h and fdt.h taken at build
 * time (build/<arch>/fdt-include). The host tests use Debian's headers as
 * they are. The byte-order helpers are the only real content: FDTs are
 * big-endian, both CPUs here are little-endian.
 */
#ifndef LIBFDT_ENV_H
#define LIBFDT_ENV_H

#include "types.h"
#include "kstring.h"

typedef u16 fdt16_t;
typedef u32 fdt32_t;
typedef u64 fdt64_t;

static inline u16 fdt16_to_cpu(fdt16_t x)
{
	return __builtin_bswap16(x);
}
static inline fdt16_t cpu_to_fdt16(u16 x)
{
	return __builtin_bswap16(x);
}
static inline u32 fdt32_to_cpu(fdt32_t x)
{
	return __builtin_bswap32(x);
}
static inline fdt32_t cpu_to_fdt32(u32 x)
{
	return __builtin_bswap32(x);
}
static inline u64 fdt64_to_cpu(fdt64_t x)
{
	return __builtin_bswap64(x);
}
static inline fdt64_t cpu_to_fdt64(u64 x)
{
	return __builtin_bswap64(x);
}

#endif
