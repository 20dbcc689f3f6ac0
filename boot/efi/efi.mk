# boot/efi/efi.mk — the GNU-EFI loader, BOOTX64.EFI (x86-64), and the ESP
# folder QEMU boots from. Included by the top-level Makefile.

ifeq ($(ARCH),x86_64)
EFI_INC := /usr/include/efi
EFI_CFLAGS := $(FREESTANDING) -isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64 -DGNU_EFI_USE_MS_ABI \
	-DHAVE_LIBEFI_MEM $(WARNINGS) -Wno-strict-prototypes -Wno-cast-align -O2 -g \
	-fpic -fshort-wchar -mno-red-zone -fno-stack-protector -fno-strict-aliasing \
	-MMD -MP
EFI_SRCS := $(wildcard boot/efi/*.c) kernel/string.c kernel/elf_load.c
EFI_OBJS := $(patsubst %.c,$(BUILD)/efi/%.o,$(EFI_SRCS))
EFI_LDS := /usr/lib/elf_x86_64_efi.lds
EFI_CRT0 := /usr/lib/crt0-efi-x86_64.o

.PHONY: efi esp
efi: $(BUILD)/BOOTX64.EFI
esp: $(BUILD)/esp/EFI/BOOT/BOOTX64.EFI $(BUILD)/esp/EFI/BOOT/baton.elf

$(BUILD)/efi/%.o: %.c $(FDT_COPIES)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(EFI_CFLAGS) $(if $(filter kernel/string.c,$<),$(NOBUILTIN)) -c $< -o $@

$(EFI_LDS) $(EFI_CRT0): | $(BUILD)/.deps

$(BUILD)/loader.so: $(EFI_OBJS) $(EFI_LDS) $(EFI_CRT0) $(LIBFDT)
	@echo "  LD      $@"
	$(Q)$(LD) -shared -Bsymbolic -nostdlib -znocombreloc -z defs -T $(EFI_LDS) \
		$(EFI_CRT0) $(EFI_OBJS) $(LIBFDT) -L/usr/lib -lefi -lgnuefi -o $@

$(BUILD)/BOOTX64.EFI: $(BUILD)/loader.so
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
		-j .rela -j .rel.* -j .rela.* -j .reloc \
		--target efi-app-x86_64 --subsystem=10 $< $@

$(BUILD)/esp/EFI/BOOT/BOOTX64.EFI: $(BUILD)/BOOTX64.EFI
	@mkdir -p $(dir $@)
	cp $< $@
$(BUILD)/esp/EFI/BOOT/baton.elf: $(BUILD)/baton.elf
	@mkdir -p $(dir $@)
	cp $< $@

-include $(EFI_OBJS:.o=.d)
endif
