# tests/host/host.mk — `make test-host`: the host unit tests, built with
# clang under ASan and UBSan and run at once. Included by the top-level
# Makefile; everything lands in build/host/, whatever ARCH is.
#
# The kernel files listed below are the real ones, compiled for the host
# against the C library and Debian's libfdt (-Iinclude, not include/fdt:
# /usr/include/libfdt.h and libfdt_env.h are used, and -lfdt is linked).
# tests/host/fake_arch.c stands in for arch/; lib/string.c is left out
# because the C library has those functions. drivers/uart/uart.c (how the
# console is chosen) runs against the stand-in drivers of test_uart.c.
# The boot self-tests (*/selftest.c, ktest/) run on a machine, not here.
#
# lib/format.c defines vsnprintf and snprintf, which the C library has
# too, so every file that sees printk.h (the kernel files and the tests) is
# compiled with them renamed to kvsnprintf and ksnprintf. harness.c and
# fake_arch.c are plain host C and keep the C library's.
#
# The linker is clang's default (GNU ld on Debian): it defines
# __start_/__stop_ for the "cmdline_params" and "host_tests" sections, and
# ASan leaves globals in such C-identifier sections alone, so the arrays
# keep their layout.

HOST_BUILD := build/host
HOST_CC := clang
HOST_BIN := $(HOST_BUILD)/host-tests

HOST_KERNEL_SRCS := kernel/cmdline.c lib/format.c lib/kerrno.c \
	kernel/panic.c mm/memblock.c mm/memdesc.c mm/buddy.c mm/slab.c \
	mm/kmalloc.c mm/folio.c mm/vmalloc.c $(filter-out kho/selftest.c,$(wildcard kho/*.c)) kernel/bootfdt.c \
	kernel/printk.c kernel/console.c lib/arm64_image.c kernel/bootmem.c \
	kernel/kexec_damage.c kernel/kexec_timing.c kernel/oldlog.c ktest/linux_csum.c ktest/kho_linux_test.c \
	ktest/kho_fault_set.c
# uart.c picks among drivers that test_uart.c stands in for; the fuzzer,
# which links HOST_KERNEL_SRCS without the tests, leaves it out.
HOST_TEST_SRCS := $(wildcard tests/host/test_*.c) tests/host/fake_phys.c
# boot/efi/bootargs.c is the EFI loader's command-line text and boot/efi/pe.c
# its own image's sections (test_pe.c), plain C; the
# bzImage front end's boot_params reading is too (boot/linux/linuxboot.h),
# against fake_phys.c's fake memory (its lb_map and lb_note); the bzImage
# check with the ELF one, which test_bzimage.c runs on the real file; and
# the zero page the other way, from a boot FDT (test_zeropage.c).
HOST_LINUXBOOT_SRCS := boot/linux/bootparams.c boot/linux/cmdline.c boot/linux/e820.c boot/linux/rsdp.c \
	boot/linux/place.c boot/linux/fdt.c boot/pc_fdt.c lib/bzimage.c lib/elf_load.c \
	lib/zeropage.c
# The multiboot2 front end's information reader, on the same fake memory
# (tests/host/fake_phys.c, test_multiboot2.c).
HOST_MB2_SRCS := boot/multiboot2/info.c
HOST_SRCS := $(HOST_KERNEL_SRCS) drivers/uart/uart.c boot/efi/bootargs.c boot/efi/pe.c \
	$(HOST_LINUXBOOT_SRCS) \
	$(HOST_MB2_SRCS) \
	$(HOST_TEST_SRCS) \
	tests/host/harness.c tests/host/mm_boot.c tests/host/fake_arch.c \
	tests/host/linux_kho_build.c tests/host/linux_kho_read.c
HOST_STRING_OBJ := $(HOST_BUILD)/lib/string_k.o
HOST_OBJS := $(patsubst %.c,$(HOST_BUILD)/%.o,$(HOST_SRCS)) $(HOST_STRING_OBJ)

HOST_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
# WARNINGS is written for gcc: clang skips any warning it does not know.
HOST_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer $(HOST_SANITIZE) \
	$(WARNINGS) -Wno-unknown-warning-option -I. -Iinclude -MMD -MP
HOST_RENAME := -Dvsnprintf=kvsnprintf -Dsnprintf=ksnprintf

$(HOST_BUILD)/lib/%.o $(HOST_BUILD)/kernel/%.o $(HOST_BUILD)/mm/%.o $(HOST_BUILD)/kho/%.o $(HOST_BUILD)/ktest/%.o \
	$(HOST_BUILD)/drivers/%.o \
	$(HOST_BUILD)/tests/host/test_%.o: HOST_CFLAGS += $(HOST_RENAME)

# lib/string.c itself, for test_string.c: built freestanding (so kstring.h
# declares, not forwards) with every function renamed k*, beside the C
# library's, which everything else here uses.
HOST_STRING_RENAME := $(foreach f,memcpy memmove memset memcmp memchr strlen strnlen strcmp \
	strncmp strchr strrchr strtoul strtoull,-D$(f)=k$(f))
$(HOST_STRING_OBJ): lib/string.c tests/host/host.mk | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -ffreestanding -fno-builtin $(HOST_STRING_RENAME) -c $< -o $@

# test_bzimage.c reads the bzImage the x86-64 build makes, whatever ARCH is.
HOST_BZIMAGE := build/x86_64/bzImage
.PHONY: test-host host-bzimage
host-bzimage:
	$(Q)$(MAKE) -s ARCH=x86_64 bzimage

test-host: $(HOST_BIN) host-bzimage
	$(Q)UBSAN_OPTIONS=print_stacktrace=1 $(HOST_BIN)

$(HOST_BIN): $(HOST_OBJS)
	@echo "  LD      $@"
	$(Q)$(HOST_CC) $(HOST_SANITIZE) -o $@ $(HOST_OBJS) -lfdt

$(HOST_BUILD)/%.o: %.c tests/host/host.mk | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

-include $(HOST_OBJS:.o=.d)
