# boot/grub/grub.mk — GRUB 2 booting Baton's bzImage (boot/linux/) with its
# `linux` command under UEFI on x86-64, the way it boots Linux. Included by
# the top-level Makefile; the x86_64-grub-linux boot case runs it for every
# variant.
#
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
grub-esp: $(GRUB_EFI) $(BUILD)/bzImage
	@echo "  ESP     $(GRUB_ESP)/"
	$(Q)rm -rf $(GRUB_ESP) && mkdir -p $(GRUB_ESP)/EFI/BOOT
	$(Q)cp $(GRUB_EFI) $(GRUB_ESP)/EFI/BOOT/BOOTX64.EFI
	$(Q)cp $(BUILD)/bzImage $(GRUB_ESP)/bzImage
	$(Q)printf '%s\n' \
		"# Baton's bzImage, booted as GRUB boots Linux (boot/grub/grub.mk)." \
		"set timeout=0" "menuentry \"Baton\" {" \
		"	if linux /bzImage $$BATON_BOOTARGS; then boot; fi" \
		"	echo \"grub: the bzImage did not boot; powering off\"" "	halt" "}" \
		> $(GRUB_ESP)/grub.cfg
endif
