# boot/image.mk — `make image`: the disk a user writes to an SD card or a
# USB stick. Included by the top-level Makefile.
#
# arm64: what a user copies to a real board's boot partition, and a disk
# image holding it; the arm64-uboot boot case runs it for every variant.
#
#   $(IMAGE_DIR)/Image                      the kernel (Linux arm64 Image)
#   $(IMAGE_DIR)/boot.scr                   U-Boot script (boot/uboot/boot.cmd)
#   $(IMAGE_DIR)/extlinux/extlinux.conf     U-Boot distro boot entry
#   $(IMAGE_DIR)/config.txt                 Raspberry Pi 3/4 firmware settings
#   $(IMAGE_DIR)/cmdline.txt                the kernel command line (read by
#                                           the Pi firmware and by boot.scr)
#   $(IMAGE_DISK)                           MBR disk image, one FAT32
#                                           partition holding the above
#
# BOOTARGS is the kernel command line written to cmdline.txt and to the
# extlinux.conf append line (default: RUN_ARGS, what `make run` passes).
# The firmware files a Raspberry Pi needs are not ours to ship: see
# docs/boards.md.

IMAGE_DIR ?= $(BUILD)/image
IMAGE_DISK ?= $(BUILD)/$(if $(filter arm64,$(ARCH)),sdcard,disk).img
BOOTARGS ?= $(RUN_ARGS)

# UEFI Secure Boot (docs/secure-boot.md): one PE file that carries the
# EFI loader, the kernel and BOOTARGS (tools/unified-image), signed with
# SIGN, a key pair named by its base: $(SIGN).key (PEM private key) and
# $(SIGN).crt (PEM certificate), which the firmware's db must trust.
#
#   make unified-image [BOOTARGS=...] [SIGN=key] [UNIFIED_EFI=f]
#                                  only the PE file (default
#                                  build/<arch>/baton.efi), unsigned
#                                  without SIGN
#   make image SIGN=key ...        x86-64: the disk as below, its ESP's
#                                  EFI/BOOT/BOOTX64.EFI the signed unified
#                                  image instead of GRUB (arm64: refused,
#                                  U-Boot verifies nothing; make
#                                  unified-image ARCH=arm64 SIGN=key makes
#                                  the signed BOOTAA64.EFI)
#   make secureboot-testkey        the test key pair: Debian's OVMF
#                                  "snakeoil" key (its passphrase taken
#                                  off) and certificate, which
#                                  OVMF_VARS_4M.snakeoil.fd enrols in PK,
#                                  KEK and db, as $(SB_TESTKEY).key/.crt
#
# The test key is public: an image signed with it boots only where that
# key was enrolled on purpose, as in the x86_64-secureboot boot case.
SIGN ?=
UNIFIED_EFI ?= $(BUILD)/baton.efi
SB_TESTKEY := build/secureboot/snakeoil
SB_OVMF_KEY := /usr/share/ovmf/PkKek-1-snakeoil.key
SB_OVMF_CRT := /usr/share/ovmf/PkKek-1-snakeoil.pem

.PHONY: unified-image secureboot-testkey
# Rebuilt every time: BOOTARGS or SIGN may have changed.
unified-image: export BATON_BOOTARGS := $(BOOTARGS)
unified-image: $(BUILD)/$(EFI_APP) $(KERNEL) tools/unified-image | $(BUILD)/.deps
	@echo "  UKI     $(UNIFIED_EFI)$(if $(SIGN), (signed with $(SIGN).key))"
	$(Q)OBJCOPY=$(OBJCOPY) tools/unified-image $(BUILD)/$(EFI_APP) $(KERNEL) \
		"$$BATON_BOOTARGS" $(UNIFIED_EFI) $(SIGN)

secureboot-testkey: $(SB_TESTKEY).key $(SB_TESTKEY).crt
$(SB_TESTKEY).key: | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(Q)openssl pkey -in $(SB_OVMF_KEY) -passin pass:snakeoil -out $@
$(SB_TESTKEY).crt: | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(Q)cp $(SB_OVMF_CRT) $@

.PHONY: image
ifeq ($(ARCH),arm64)
# Rebuilt every time: it is cheap, and BOOTARGS may have changed.
image: export BATON_BOOTARGS := $(BOOTARGS)
image: $(BUILD)/Image boot/uboot/boot.cmd boot/uboot/extlinux.conf \
		boot/rpi/config.txt tools/fatimage | $(BUILD)/.deps
	$(Q)if [ -n "$(SIGN)" ]; then echo "make image: SIGN signs x86-64's UEFI boot; U-Boot and" \
		"the Pi firmware verify nothing. The signed BOOTAA64.EFI for a UEFI board:" \
		"make unified-image ARCH=arm64 SIGN=$(SIGN)" >&2; exit 1; fi
	@echo "  IMAGE   $(IMAGE_DIR)/ and $(IMAGE_DISK)"
	$(Q)rm -rf $(IMAGE_DIR) && mkdir -p $(IMAGE_DIR)/extlinux
	$(Q)cp $(BUILD)/Image boot/rpi/config.txt $(IMAGE_DIR)/
	$(Q)mkimage -A arm64 -O linux -T script -C none -n "Baton boot script" \
		-d boot/uboot/boot.cmd $(IMAGE_DIR)/boot.scr >/dev/null
	$(Q)awk '{ sub(/@BOOTARGS@/, ENVIRON["BATON_BOOTARGS"]); print }' \
		boot/uboot/extlinux.conf >$(IMAGE_DIR)/extlinux/extlinux.conf
	$(Q)printf '%s\n' "$$BATON_BOOTARGS" >$(IMAGE_DIR)/cmdline.txt
	$(Q)tools/fatimage $(IMAGE_DIR) $(IMAGE_DISK)
else
# x86-64: a GPT disk that a PC boots either way (tools/pcdisk): UEFI from
# the ESP (EFI/BOOT/BOOTX64.EFI, GRUB for x86_64-efi), a BIOS through the
# MBR's boot.img and GRUB's core.img in the BIOS boot partition. Both GRUBs
# read the ESP's /grub.cfg (boot/grub/menu) and boot /bzImage with `linux`;
# the x86_64-pc-disk boot case boots this very file.
#
#   $(IMAGE_DISK)                  the disk (default build/x86_64/disk.img)
#   $(IMAGE_DIR)/                  the ESP's files
#
#   make image [BOOTARGS=...] [GRUB_TIMEOUT=s] [GRUB_ENTRY=baton|ktest|chain]
#              [IMAGE_DISK=f] [SIGN=key]
#
# With SIGN, UEFI machines start the signed unified image (above) instead
# of GRUB, with Secure Boot on or off; a BIOS, which has no Secure Boot,
# still boots GRUB and /bzImage.
GRUB_PC_DIR := /usr/lib/grub/i386-pc
GRUB_PC_CORE := $(BUILD)/grub/core.img
GRUB_PC_MODULES := biosdisk part_gpt part_msdos fat search search_fs_file configfile normal \
	linux serial terminal echo test halt

$(GRUB_PC_CORE): boot/grub/i386-pc.cfg boot/image.mk | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	@echo "  GRUB    $@"
	$(Q)grub-mkimage -O i386-pc -d $(GRUB_PC_DIR) -o $@ -p /boot/grub \
		-c boot/grub/i386-pc.cfg $(GRUB_PC_MODULES)

image: export BATON_BOOTARGS := $(BOOTARGS)
image: $(GRUB_EFI) $(GRUB_PC_CORE) $(BUILD)/bzImage boot/grub/menu tools/pcdisk \
		$(if $(SIGN),unified-image) | $(BUILD)/.deps
	@echo "  IMAGE   $(IMAGE_DIR)/ and $(IMAGE_DISK)"
	$(Q)rm -rf $(IMAGE_DIR) && mkdir -p $(IMAGE_DIR)/EFI/BOOT
	$(Q)cp $(if $(SIGN),$(UNIFIED_EFI),$(GRUB_EFI)) $(IMAGE_DIR)/EFI/BOOT/BOOTX64.EFI
	$(Q)cp $(BUILD)/bzImage $(IMAGE_DIR)/bzImage
	$(Q)boot/grub/menu linux /bzImage $(GRUB_TIMEOUT) $(GRUB_ENTRY) > $(IMAGE_DIR)/grub.cfg
	$(Q)tools/pcdisk $(IMAGE_DIR) $(GRUB_PC_CORE) $(GRUB_PC_DIR)/boot.img $(IMAGE_DISK)
endif
