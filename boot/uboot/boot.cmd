# boot/uboot/boot.cmd — the U-Boot script that boots Baton's Image (booti).
#
# `make image ARCH=arm64` compiles it into boot.scr (mkimage -T script) on
# the boot partition. U-Boot's distro boot finds boot.scr there (after
# extlinux/extlinux.conf, which it tries first) and sets devtype, devnum,
# distro_bootpart and prefix before running it; by hand, on mmc 0:1:
#     load mmc 0:1 ${scriptaddr} boot.scr; source ${scriptaddr}
# Assumes the board's environment defines kernel_addr_r and ramdisk_addr_r
# (every board that supports distro boot does). The kernel command line is
# the first line of cmdline.txt beside the Image, the file the Raspberry
# Pi firmware reads too. The device tree is ${fdt_addr_r} loaded from
# ${fdtfile} when the partition holds that file (in / or dtb/), else the
# one U-Boot runs with, ${fdtcontroladdr}.

if test -z "${devtype}"; then setenv devtype mmc; setenv devnum 0; fi
if test -z "${distro_bootpart}"; then setenv distro_bootpart 1; fi
if test -z "${prefix}"; then setenv prefix /; fi
setenv baton_part "${devtype} ${devnum}:${distro_bootpart}"

# cmdline.txt holds plain text and U-Boot cannot read a file into a
# variable, but `env import -t` reads "name=value" lines: put the nine
# bytes "bootargs=" in memory just before the file's text and import that.
setenv bootargs
if test -e ${baton_part} ${prefix}cmdline.txt; then
	setexpr baton_text ${ramdisk_addr_r} + 9
	load ${baton_part} ${baton_text} ${prefix}cmdline.txt
	mw.l ${ramdisk_addr_r} 0x746f6f62
	setexpr baton_at ${ramdisk_addr_r} + 4
	mw.l ${baton_at} 0x73677261
	setexpr baton_at ${ramdisk_addr_r} + 8
	mw.b ${baton_at} 0x3d
	setexpr baton_len ${filesize} + 9
	env import -t -r ${ramdisk_addr_r} ${baton_len} bootargs
fi

setenv baton_fdt ${fdtcontroladdr}
if test -n "${fdtfile}" -a -n "${fdt_addr_r}"; then
	for baton_dir in "" dtb/; do
		if test -e ${baton_part} ${prefix}${baton_dir}${fdtfile}; then
			load ${baton_part} ${fdt_addr_r} ${prefix}${baton_dir}${fdtfile}
			setenv baton_fdt ${fdt_addr_r}
		fi
	done
fi

echo "baton: loading ${prefix}Image from ${baton_part}"
load ${baton_part} ${kernel_addr_r} ${prefix}Image
echo "baton: booti ${kernel_addr_r} - ${baton_fdt}, bootargs \"${bootargs}\""
booti ${kernel_addr_r} - ${baton_fdt}
echo "baton: booti failed"
