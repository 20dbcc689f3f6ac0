# boot/efi/efi.mk — the GNU-EFI loader, BOOTX64.EFI (x86-64) or BOOTAA64.EFI
# (arm64), and the ESP folder QEMU boots from. Included by the top-level
# Makefile. The shared sources are every boot/efi/*.c that is not named
# after an architecture; each architecture adds its own file(s).
#
# x86-64 uses the host's gnu-efi. arm64 uses Debian's gnu-efi:arm64,
# unpacked into build/sysroot-arm64 by tools/deps (docs/design.md section 4):
# its crt0 leaves the PE subsystem 0, so the link sets EFI_SUBSYSTEM, and
# objcopy -O binary writes the PE file the crt0's header describes, padded
# to whole 512-byte sectors.

EFI_ARCH_FILES := boot/efi/x86_64.c boot/efi/bzimage.c boot/efi/arm64.c boot/efi/arm64_enter.S
EFI_SHARED := $(filter-out $(EFI_ARCH_FILES),$(wildcard boot/efi/*.c))

ifeq ($(ARCH),x86_64)
EFI_INC := /usr/include/efi
EFI_LIB := /usr/lib
EFI_APP := BOOTX64.EFI
EFI_SRCS_ARCH := boot/efi/x86_64.c boot/efi/bzimage.c boot/pc_fdt.c lib/elf_load.c lib/bzimage.c \
	lib/zeropage.c
EFI_CFLAGS_ARCH := -DGNU_EFI_USE_MS_ABI -mno-red-zone
EFI_LDFLAGS_ARCH :=
EFI_LDS := /usr/lib/elf_x86_64_efi.lds
EFI_CRT0 := /usr/lib/crt0-efi-x86_64.o
EFI_OBJCOPY_FORMAT := --target efi-app-x86_64 --subsystem=10
else
EFI_INC := $(SYSROOT_ARM64)/usr/include/efi
EFI_LIB := $(SYSROOT_ARM64)/usr/lib
EFI_APP := BOOTAA64.EFI
EFI_SRCS_ARCH := boot/efi/arm64.c boot/efi/arm64_enter.S lib/arm64_image.c
EFI_CFLAGS_ARCH :=
# The Cortex-A53 erratum 843419 workaround, as for the kernel (Makefile).
EFI_LDFLAGS_ARCH := --defsym=EFI_SUBSYSTEM=0xa --no-warn-rwx-segments --fix-cortex-a53-843419
EFI_LDS := $(EFI_LIB)/elf_aarch64_efi.lds
EFI_CRT0 := $(EFI_LIB)/crt0-efi-aarch64.o
EFI_OBJCOPY_FORMAT := -O binary
endif

EFI_CFLAGS := $(FREESTANDING) -isystem $(EFI_INC) -isystem $(EFI_INC)/$(if \
	$(filter x86_64,$(ARCH)),x86_64,aarch64) $(EFI_CFLAGS_ARCH) \
	-DHAVE_LIBEFI_MEM $(WARNINGS) -Wno-strict-prototypes -Wno-cast-align -O2 -g \
	-fpic -fshort-wchar -fno-stack-protector -fno-strict-aliasing \
	-MMD -MP
# lib/kerrno.c says why a lib check refused (include/kerrno.h), with
# lib/format.c's vsnprintf: GNU-EFI's libefi has none of its own to clash.
EFI_SRCS := $(EFI_SHARED) $(EFI_SRCS_ARCH) lib/string.c lib/kerrno.c lib/format.c
EFI_OBJS := $(patsubst %,$(BUILD)/efi/%.o,$(basename $(EFI_SRCS)))

.PHONY: efi esp
efi: $(BUILD)/$(EFI_APP)
esp: $(BUILD)/esp/EFI/BOOT/$(EFI_APP) $(BUILD)/esp/EFI/BOOT/$(notdir $(KERNEL))

$(BUILD)/efi/%.o: %.c $(FDT_COPIES)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(EFI_CFLAGS) $(if $(filter lib/string.c,$<),$(NOBUILTIN)) -c $< -o $@

$(BUILD)/efi/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	$(Q)$(CC) $(EFI_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(EFI_LDS) $(EFI_CRT0): | $(BUILD)/.deps

$(BUILD)/loader.so: $(EFI_OBJS) $(EFI_LDS) $(EFI_CRT0) $(LIBFDT)
	@echo "  LD      $@"
	$(Q)$(LD) -shared -Bsymbolic -nostdlib -znocombreloc -z defs -T $(EFI_LDS) \
		$(EFI_LDFLAGS_ARCH) $(EFI_CRT0) $(EFI_OBJS) $(LIBFDT) -L$(EFI_LIB) \
		-lefi -lgnuefi -o $@

$(BUILD)/$(EFI_APP): $(BUILD)/loader.so
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
		-j .rela -j .rel.* -j .rela.* -j .reloc $(EFI_OBJCOPY_FORMAT) $< $@
ifeq ($(ARCH),arm64)
	$(Q)truncate -s %512 $@
endif

$(BUILD)/esp/EFI/BOOT/$(EFI_APP): $(BUILD)/$(EFI_APP)
	@mkdir -p $(dir $@)
	cp $< $@
$(BUILD)/esp/EFI/BOOT/$(notdir $(KERNEL)): $(KERNEL)
	@mkdir -p $(dir $@)
	cp $< $@

-include $(EFI_OBJS:.o=.d)
