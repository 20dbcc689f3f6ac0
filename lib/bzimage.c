/*
 * bzimage.c — checks a bzImage's setup header against the file it heads
 * (include/bzimage.h). Trusts nothing: every field that leads to memory is
 * bounded before it is used. A refusal is a code of include/kerrno.h:
 * -ENOEXEC for a file that is no 64-bit relocatable bzImage, -EPROTO for a
 * boot protocol too old, -EINVAL, -E2BIG or -EBADMSG for a field that does
 * not fit the file.
 */
#include "bzimage.h"
#include "bootparam.h"
#include "kerrno.h"
#include "kstring.h"

#define GRUB_MAX_SETUP_SECTS 64
#define MAX_INIT_SIZE (1ULL << 30)

bool bzimage_is(const void *file, u64 size)
{
	u32 magic;

	if (size < 0x206)
		return false;
	memcpy(&magic, (const u8 *)file + 0x202, 4);
	return magic == BP_HDR_MAGIC;
}

int bzimage_check(const void *file, u64 size, struct bzimage_layout *l, char *why, size_t n)
{
	const u8 *f = file;
	struct setup_header h;
	u32 sects;

	if (size < 2 * BP_SECTOR)
		return err_why(why, n, -ENOEXEC, "shorter than two sectors: not a bzImage");
	memcpy(&h, f + BP_HDR_OFFSET, sizeof(h));
	if (h.header != BP_HDR_MAGIC)
		return err_why(why, n, -ENOEXEC, "no \"HdrS\" at 0x202: not a bzImage");
	if (h.boot_flag != BP_BOOT_FLAG)
		return err_why(why, n, -ENOEXEC, "no 0xaa55 at 0x1fe: not a bzImage");
	if (h.version < 0x020c)
		return err_why(why, n, -EPROTO, "boot protocol older than 2.12 (no xloadflags)");
	if (!(h.loadflags & LOADED_HIGH))
		return err_why(why, n, -ENOEXEC, "a zImage, not a bzImage (LOADED_HIGH clear)");
	if (!(h.xloadflags & XLF_KERNEL_64))
		return err_why(why, n, -ENOEXEC, "no 64-bit entry (XLF_KERNEL_64 clear)");
	if (!(h.xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G))
		return err_why(why, n, -ENOEXEC,
			       "cannot be loaded above 4 GiB (XLF_CAN_BE_LOADED_ABOVE_4G clear)");
	if (!h.relocatable_kernel)
		return err_why(why, n, -ENOEXEC, "not relocatable");
	sects = h.setup_sects ? h.setup_sects : BP_DEFAULT_SETUP_SECTS;
	if (sects > GRUB_MAX_SETUP_SECTS)
		return err_why(why, n, -EINVAL, "more than 64 setup sectors");
	if ((u64)(sects + 1) * BP_SECTOR >= size)
		return err_why(why, n, -EBADMSG, "no protected-mode part after the setup sectors");
	if (0x202 + (u32)f[0x201] > __builtin_offsetof(struct boot_params, edd_mbr_sig_buffer))
		return err_why(why, n, -E2BIG,
			       "a setup header longer than boot_params has room for");
	if (h.kernel_alignment < 0x1000 || (h.kernel_alignment & (h.kernel_alignment - 1)))
		return err_why(why, n, -EINVAL,
			       "kernel_alignment is not a power of two of at least 4 KiB");
	if (h.init_size > MAX_INIT_SIZE || h.init_size < size - (u64)(sects + 1) * BP_SECTOR)
		return err_why(
			why, n, -EINVAL,
			"init_size does not hold the protected-mode part (or is over 1 GiB)");
	*l = (struct bzimage_layout){
		.setup_size = (u64)(sects + 1) * BP_SECTOR,
		.pm_size = size - (u64)(sects + 1) * BP_SECTOR,
		.init_size = h.init_size,
		.align = h.kernel_alignment,
		.pref_address = h.pref_address,
		.cmdline_size = h.version >= 0x0206 ? h.cmdline_size : 255,
		.hdr_end = 0x202 + (u32)f[0x201],
		.version = h.version,
		.xloadflags = h.xloadflags,
	};
	return 0;
}
