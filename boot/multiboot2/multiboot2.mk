# boot/multiboot2/multiboot2.mk — the multiboot2 front end (boot/multiboot2/,
# mb2boot.h), which baton.elf carries past the kernel for GRUB's
# `multiboot2` (arch/x86_64/multiboot2.S). Included by the top-level
# Makefile after boot/linux/linux.mk, whose objects it links: the pieces the
# two front ends share are compiled once, in $(LB), with the same flags.
#
#   1. front-end.elf: linked position-independent at 0 with front-end.ld;
#      its only relocations may be R_X86_64_RELATIVE (cpu.c applies them).
#   2. front-end.bin: its bytes up to _file_end.
#   3. arch/x86_64/multiboot2.o includes them, and leaves NOLOAD room for
#      the work area after them (_init_size - _file_end).

ifeq ($(ARCH),x86_64)
MB2 := $(BUILD)/multiboot2
MB2_SRCS := boot/multiboot2/entry.S boot/multiboot2/main.c boot/multiboot2/info.c \
	boot/linux/longmode.S boot/linux/vectors.S boot/linux/cpu.c boot/linux/idmap.c \
	boot/linux/serial.c boot/linux/e820.c boot/linux/cmdline.c boot/linux/rsdp.c \
	boot/linux/fdt.c boot/pc_fdt.c boot/efi/bootargs.c lib/elf_load.c lib/format.c lib/kerrno.c \
	lib/string.c
MB2_OBJS := $(patsubst %,$(LB)/%.o,$(basename $(MB2_SRCS)))

$(MB2)/front-end.elf: $(MB2_OBJS) boot/multiboot2/front-end.ld $(LIBFDT)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(LD) $(LB_LDFLAGS) -T boot/multiboot2/front-end.ld -o $@ $(MB2_OBJS) $(LIBFDT)
	$(lb_relative_only)

$(MB2)/front-end.bin: $(MB2)/front-end.elf
	$(Q)$(OBJCOPY) -O binary -R .work $< $@
	$(Q)truncate -s $$(($(call lb_nm,$<,_file_end))) $@

$(BUILD)/arch/x86_64/multiboot2.o: arch/x86_64/multiboot2.S $(MB2)/front-end.bin Makefile \
		boot/multiboot2/multiboot2.mk
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	$(Q)$(CC) $(KERNEL_CFLAGS) -D__ASSEMBLY__ -DMB2_FRONT_END='"$(MB2)/front-end.bin"' \
		-DMB2_WORK_SIZE=$$(($(call lb_nm,$(MB2)/front-end.elf,_init_size) - \
		$(call lb_nm,$(MB2)/front-end.elf,_file_end))) -c $< -o $@
endif
