# boot/image.mk — `make image ARCH=arm64`: what a user copies to a real
# board's boot partition, and a disk image holding it. Included by the
# top-level Makefile; the arm64-uboot boot case runs it for every variant.
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
# docs/05-boards.md.

IMAGE_DIR ?= $(BUILD)/image
IMAGE_DISK ?= $(BUILD)/sdcard.img
BOOTARGS ?= $(RUN_ARGS)

.PHONY: image
ifeq ($(ARCH),arm64)
# Rebuilt every time: it is cheap, and BOOTARGS may have changed.
image: export BATON_BOOTARGS := $(BOOTARGS)
image: $(BUILD)/Image boot/uboot/boot.cmd boot/uboot/extlinux.conf \
		boot/rpi/config.txt tools/fatimage | $(BUILD)/.deps
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
image:
	@echo "make image: boards boot the arm64 Image; run make image ARCH=arm64" >&2
	@exit 1
endif
