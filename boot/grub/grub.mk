# boot/grub/grub.mk — GRUB 2 booting Baton. Included by the top-level
# Makefile.
#
#   make iso [BOOTARGS=...] [GRUB_ENTRY=baton|ktest|chain] [ISO=file]
#     x86-64: a hybrid ISO (BIOS and UEFI: grub-mkrescue, from Debian's
#     grub-pc-bin and grub-efi-amd64-bin, with mtools and xorriso) whose GRUB
#     boots baton.elf with `multiboot2` (arch/x86_64/multiboot2.S,
#     boot/multiboot2/): /boot/baton.elf (stripped), and
#     /boot/grub/grub.cfg = boot/grub/multiboot2.cfg after two lines, the
#     default entry (GRUB_ENTRY, default baton: a plain boot; ktest: the
#     self-tests; chain: a kexec chain) and baton_args (BOOTARGS, which
#     every entry appends: words without quotes, since GRUB passes a word
#     with a space as "key=a b", which Baton's command line does not
#     read). The x86_64-grub-bios and x86_64-grub-efi boot cases run it for
#     every variant; `tools/qemu x86_64-iso bios|ovmf $(ISO)` boots it, and
#     written to a USB stick or a CD it boots a PC.
#
#   make grub-esp: GRUB under UEFI, from an ESP folder. On x86-64 it boots
#     Baton's bzImage (boot/linux/) with its `linux` command, the way it
#     boots Linux (the x86_64-grub-linux case); on arm64 it chainloads
#     Baton's GNU-EFI loader (boot/efi/), which reads the Image beside it
#     (the arm64-grub case).
#
# x86-64:
#   make grub-esp [BOOTARGS=...] [GRUB_ESP=dir]
#     $(GRUB_ESP)/EFI/BOOT/BOOTX64.EFI  GRUB, from Debian's grub-efi-amd64-bin
#                                       (grub-mkstandalone -O x86_64-efi),
#                                       with boot/grub/x86_64-efi.cfg built in
#     $(GRUB_ESP)/grub.cfg              the menu: timeout 0, one entry:
#                                       `linux /bzImage $(BOOTARGS)`, boot,
#                                       and if that fails a line and halt
#                                       (UEFI's poweroff), never a prompt
#     $(GRUB_ESP)/bzImage
#
# The folder is an ESP as it is: `tools/qemu x86_64-ovmf $(GRUB_ESP)` boots
# it, and copied to a FAT partition it boots a PC.

# Every menu's default entry (baton, ktest or chain) and, for the menus
# boot/grub/menu writes, the seconds it waits (0: it boots at once).
GRUB_ENTRY ?= baton
GRUB_TIMEOUT ?= 0

ifeq ($(ARCH),x86_64)
GRUB_ESP ?= $(BUILD)/grub-esp
GRUB_EFI := $(BUILD)/grub/BOOTX64.EFI
GRUB_MODULES := linux normal configfile search search_fs_file fat part_msdos part_gpt \
	serial terminal echo test halt

$(GRUB_EFI): boot/grub/x86_64-efi.cfg boot/grub/grub.mk | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	@echo "  GRUB    $@"
	$(Q)grub-mkstandalone -O x86_64-efi -o $@ --install-modules="$(GRUB_MODULES)" \
		--modules="$(GRUB_MODULES)" --locales= --themes= --fonts= \
		"boot/grub/grub.cfg=boot/grub/x86_64-efi.cfg"

.PHONY: grub-esp
# Rebuilt every time: it is cheap, and BOOTARGS may have changed.
grub-esp: export BATON_BOOTARGS := $(BOOTARGS)
grub-esp: $(GRUB_EFI) $(BUILD)/bzImage boot/grub/menu
	@echo "  ESP     $(GRUB_ESP)/"
	$(Q)rm -rf $(GRUB_ESP) && mkdir -p $(GRUB_ESP)/EFI/BOOT
	$(Q)cp $(GRUB_EFI) $(GRUB_ESP)/EFI/BOOT/BOOTX64.EFI
	$(Q)cp $(BUILD)/bzImage $(GRUB_ESP)/bzImage
	$(Q)boot/grub/menu linux /bzImage $(GRUB_TIMEOUT) $(GRUB_ENTRY) > $(GRUB_ESP)/grub.cfg

ISO ?= $(BUILD)/baton.iso
# What the ISO's GRUB needs besides what grub-mkrescue always puts in (its
# EFI image loads every partition module there is).
ISO_GRUB_MODULES := multiboot2 normal serial terminal echo test halt iso9660 fat all_video \
	$(sort $(notdir $(basename $(wildcard /usr/lib/grub/*/part_*.mod))))

.PHONY: iso
# Rebuilt every time, as grub-esp: BOOTARGS may have changed.
iso: export BATON_BOOTARGS := $(BOOTARGS)
iso: export BATON_ENTRY := $(GRUB_ENTRY)
iso: $(LB)/payload.elf | $(BUILD)/.deps
	@echo "  ISO     $(ISO)"
	$(Q)rm -rf $(ISO).d && mkdir -p $(ISO).d/boot/grub
	$(Q)cp $(LB)/payload.elf $(ISO).d/boot/baton.elf
	$(Q){ printf "# Made by \`make iso' (boot/grub/grub.mk).\nset default=%s\nset baton_args='%s'\n\n" \
		"$$BATON_ENTRY" "$$BATON_BOOTARGS"; cat boot/grub/multiboot2.cfg; } \
		> $(ISO).d/boot/grub/grub.cfg
	$(Q)grub-mkrescue -o $(ISO) --install-modules="$(ISO_GRUB_MODULES)" --locales= --themes= \
		--fonts= $(ISO).d > $(ISO).log 2>&1 || { cat $(ISO).log >&2; exit 1; }
endif

# arm64: GRUB from Debian's grub-efi-arm64-bin (unpacked by tools/deps into
# the arm64 sysroot) chainloads the GNU-EFI loader. Why not `linux`: GRUB's
# arm64 `linux` wants an Image that is also a PE/COFF EFI application
# (Linux's EFI stub), and Baton's loader already is the EFI application
# that turns the firmware's world into the boot protocol (docs/grub.md).
#
#   make grub-esp ARCH=arm64 [BOOTARGS=...] [GRUB_ESP=dir] [GRUB_TIMEOUT=s]
#                 [GRUB_ENTRY=baton|ktest|chain]
#     $(GRUB_ESP)/EFI/BOOT/BOOTAA64.EFI   GRUB (grub-mkstandalone -O arm64-efi),
#                                         with boot/grub/arm64-efi.cfg built in
#     $(GRUB_ESP)/EFI/baton/BOOTAA64.EFI  Baton's loader, and the Image beside it
#     $(GRUB_ESP)/grub.cfg                the menu (boot/grub/menu): a plain
#                                         boot, the self-tests, a kexec chain,
#                                         each with BOOTARGS; GRUB_ENTRY picks
#                                         one, GRUB_TIMEOUT seconds (0: no
#                                         menu); 'e' edits the line
ifeq ($(ARCH),arm64)
GRUB_ESP ?= $(BUILD)/grub-esp
GRUB_EFI := $(BUILD)/grub/BOOTAA64.EFI
GRUB_ARM64_MODDIR := $(SYSROOT_ARM64)/usr/lib/grub/arm64-efi
GRUB_MODULES := chain normal configfile search search_fs_file fat part_msdos part_gpt \
	echo test halt

$(GRUB_EFI): boot/grub/arm64-efi.cfg boot/grub/grub.mk | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	@echo "  GRUB    $@"
	$(Q)grub-mkstandalone -O arm64-efi -d $(GRUB_ARM64_MODDIR) -o $@ \
		--install-modules="$(GRUB_MODULES)" --modules="$(GRUB_MODULES)" \
		--locales= --themes= --fonts= "boot/grub/grub.cfg=boot/grub/arm64-efi.cfg"

.PHONY: grub-esp
# Rebuilt every time: it is cheap, and BOOTARGS may have changed.
grub-esp: export BATON_BOOTARGS := $(BOOTARGS)
grub-esp: $(GRUB_EFI) $(BUILD)/$(EFI_APP) $(KERNEL)
	@echo "  ESP     $(GRUB_ESP)/"
	$(Q)rm -rf $(GRUB_ESP) && mkdir -p $(GRUB_ESP)/EFI/BOOT $(GRUB_ESP)/EFI/baton
	$(Q)cp $(GRUB_EFI) $(GRUB_ESP)/EFI/BOOT/BOOTAA64.EFI
	$(Q)cp $(BUILD)/$(EFI_APP) $(KERNEL) $(GRUB_ESP)/EFI/baton/
	$(Q)boot/grub/menu chainloader /EFI/baton/BOOTAA64.EFI $(GRUB_TIMEOUT) $(GRUB_ENTRY) \
		> $(GRUB_ESP)/grub.cfg
endif
