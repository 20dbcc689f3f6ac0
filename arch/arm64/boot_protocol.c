/*
 * boot_protocol.c — what the arm64 boot protocol (booting.rst) handed this
 * kernel, checked: x1..x3 must be 0 (head.S keeps them in
 * arm64_boot_x1_x3), the exception level EL2 or EL1, and the pristine Image
 * copy head.S took at entry must be the file that is running. Whoever
 * entered us -- QEMU, U-Boot, the EFI loader or the last generation's
 * trampoline -- the self-test arm64.boot_protocol says whether they kept
 * the contract.
 */
#include "arm64.h"
#include "arm64_image.h"
#include "kernel.h"
#include "kstring.h"
#include "ktest.h"
#include "printk.h"
#include "arch/kexec.h"
#include "arch/mmu.h"

u64 arm64_boot_x1_x3[3];

extern char __data_start[], _image_size[];

void arm64_boot_protocol_check(void)
{
	if (arm64_boot_x1_x3[0] | arm64_boot_x1_x3[1] | arm64_boot_x1_x3[2])
		pr_warn("arm64: entered with x1..x3 = %llx %llx %llx, not 0 as booting.rst asks; "
			"they are not used",
			(unsigned long long)arm64_boot_x1_x3[0],
			(unsigned long long)arm64_boot_x1_x3[1],
			(unsigned long long)arm64_boot_x1_x3[2]);
}

KTEST(arm64, boot_protocol)
{
	phys_addr_t copy;
	u64 size, span, entry;
	const u8 *p;

	for (int i = 0; i < 3; i++)
		if (arm64_boot_x1_x3[i])
			ktest_fail(t, "x%d was 0x%llx at entry, not 0", i + 1,
				   (unsigned long long)arm64_boot_x1_x3[i]);
	KT_EXPECT(t, arm64_boot_el == 1 || arm64_boot_el == 2);
	/* The pristine copy: a sound Image header for this very image, and
	 * text and rodata byte for byte as they run (.data may have changed). */
	KT_EXPECT(t, arch_kexec_own_image(&copy, &size));
	p = phys_to_virt(copy);
	KT_EXPECT(t, size > (u64)(__data_start - _kernel_start));
	if (!arm64_image_check(p, size, &span, &entry, NULL, 0)) {
		KT_EXPECT(t, span - entry == (u64)(uintptr_t)_image_size);
	} else {
		ktest_fail(t, "the pristine copy has no sound Image header");
	}
	if (memcmp(p, _kernel_start, (size_t)(__data_start - _kernel_start)) != 0)
		ktest_fail(t, "the pristine copy differs from the running text or rodata");
}
