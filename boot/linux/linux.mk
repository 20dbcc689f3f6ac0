# boot/linux/linux.mk — build/x86_64/bzImage: Baton in the Linux x86 boot
# protocol's format (boot/linux/linuxboot.h). Included by the top-level
# Makefile; built by `make` when ARCH=x86_64.
#
#   1. pm.elf: the protected-mode part: the front end, linked
#      position-independent at 0 with bzimage.ld, with the kernel ELF
#      (stripped) as its payload. Its only relocations may be
#      R_X86_64_RELATIVE, which the front end applies itself (cpu.c).
#   2. pm.bin: pm.elf's bytes up to _file_end.
#   3. setup.bin: header.S, the real-mode setup sectors, assembled with the
#      numbers loaders read from its setup header, taken from pm.elf.
#   4. bzImage = setup.bin + pm.bin.

ifeq ($(ARCH),x86_64)
LB := $(BUILD)/bzimage
LB_SRCS := boot/linux/entry.S boot/linux/longmode.S boot/linux/vectors.S boot/linux/main.c boot/linux/cpu.c boot/linux/idmap.c \
	boot/linux/serial.c boot/linux/e820.c boot/linux/cmdline.c boot/linux/bootparams.c boot/linux/rsdp.c \
	boot/linux/place.c boot/linux/fdt.c boot/pc_fdt.c boot/efi/bootargs.c lib/elf_load.c \
	lib/format.c lib/kerrno.c lib/string.c
LB_OBJS := $(patsubst %,$(LB)/%.o,$(basename $(LB_SRCS)))
# Position-independent code that needs no GOT: every symbol is ours.
LB_CFLAGS := $(FREESTANDING) $(WARNINGS) -m64 -mno-red-zone -mgeneral-regs-only -O2 -g \
	-fpie -fvisibility=hidden -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-common -MMD -MP
LB_VERSION := $(shell sed -n 's/^\#define BATON_VERSION "\(.*\)"/\1/p' include/kernel.h)

.PHONY: bzimage
bzimage: $(BUILD)/bzImage

$(LB)/%.o: %.c $(FDT_COPIES) boot/linux/linux.mk
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(LB_CFLAGS) $(if $(filter lib/string.c,$<),$(NOBUILTIN)) -c $< -o $@

$(LB)/%.o: %.S boot/linux/linux.mk
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	$(Q)$(CC) $(LB_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(LB)/payload.elf: $(BUILD)/baton.elf
	@mkdir -p $(dir $@)
	$(Q)$(OBJCOPY) --strip-all $< $@

$(LB)/payload.o: boot/linux/payload.S $(LB)/payload.elf
	@echo "  AS      $@"
	$(Q)$(CC) $(LB_CFLAGS) -D__ASSEMBLY__ -DPAYLOAD_FILE='"$(LB)/payload.elf"' -c $< -o $@

# KERNEL_SPAN: the bytes a loader places for the kernel ELF, from
# _kernel_start to _image_end (the kernel with its bss, then what baton.elf
# carries past it: the multiboot2 front end), which init_size must hold. The
# symbols are 0xffffffff8..., too big for sh's arithmetic; the low 32 bits
# of each differ by the span (elf_load.c refuses a kernel over 1 GiB).
lb_nm = $$(nm $(1) | awk '/ $(2)$$/ {print "0x"$$1}')
lb_low32 = $$(nm $(1) | awk '/ $(2)$$/ {print "0x" substr($$1, 9)}')
# A front end links position-independent at 0 and applies its own
# R_X86_64_RELATIVE relocations (cpu.c); any other kind would go unapplied.
LB_LDFLAGS := -pie --no-dynamic-linker -z max-page-size=4096 -z noexecstack -z norelro \
	--no-warn-rwx-segments
define lb_relative_only
$(Q)if readelf -rW $@ | awk 'NR > 3 && /R_X86_64_/ && !/R_X86_64_RELATIVE/' | grep -q .; then \
		echo "$@: relocations the front end does not apply:" >&2; \
		readelf -rW $@ | grep R_X86_64_ | grep -v R_X86_64_RELATIVE >&2; rm -f $@; exit 1; fi
endef
$(LB)/pm.elf: $(LB_OBJS) $(LB)/payload.o boot/linux/bzimage.ld $(LIBFDT)
	@echo "  LD      $@"
	$(Q)span=$$(($(call lb_low32,$(BUILD)/baton.elf,_image_end) - \
		$(call lb_low32,$(BUILD)/baton.elf,_kernel_start))); \
	[ "$$span" -gt 0 ] || { echo "$@: no kernel span from $(BUILD)/baton.elf" >&2; exit 1; }; \
	$(LD) $(LB_LDFLAGS) --defsym=KERNEL_SPAN=$$span -T boot/linux/bzimage.ld -o $@ \
		$(LB_OBJS) $(LB)/payload.o $(LIBFDT)
	$(lb_relative_only)

lb_sym = $(call lb_nm,$(LB)/pm.elf,$(1))

$(LB)/pm.bin: $(LB)/pm.elf
	$(Q)$(OBJCOPY) -O binary -R .work $< $@
	$(Q)truncate -s $$(($(call lb_sym,_file_end))) $@

$(LB)/setup.bin: boot/linux/header.S $(LB)/pm.elf
	@echo "  AS      $@"
	$(Q)$(CC) $(LB_CFLAGS) -D__ASSEMBLY__ -c $< -o $(LB)/setup.o \
		-DSYSSIZE=$$((($(call lb_sym,_file_end) + 15) / 16)) \
		-DINIT_SIZE=$(call lb_sym,_init_size) \
		-DPAYLOAD_OFFSET=$(call lb_sym,payload_start) \
		-DPAYLOAD_LENGTH=$$(($(call lb_sym,payload_end) - $(call lb_sym,payload_start))) \
		-DKERNEL_INFO_OFFSET=$(call lb_sym,lb_kernel_info) \
		-DCMDLINE_SIZE=$$(($(shell sed -n 's/^\#define CMDLINE_MAX //p' include/cmdline.h) - 1)) \
		-DVERSION_STRING='"Baton $(LB_VERSION) (bzImage)"'
	$(Q)$(LD) -Ttext=0 --section-start=.setup=0 -e 0 -o $(LB)/setup.elf $(LB)/setup.o
	$(Q)$(OBJCOPY) -O binary -j .setup $(LB)/setup.elf $@

$(BUILD)/bzImage: $(LB)/setup.bin $(LB)/pm.bin
	@echo "  BZIMAGE $@"
	$(Q)cat $^ > $@

-include $(LB_OBJS:.o=.d)
endif
