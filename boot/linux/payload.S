/*
 * payload.S — Baton's kernel ELF inside the bzImage (boot.rst's
 * payload_offset / payload_length name it): the file lib/elf_load.c
 * places, and the pristine image /chosen/baton,image names for kexec.
 * PAYLOAD_FILE (a build path, stripped of debug data) comes from the
 * Makefile.
 */
	.section .payload, "a"
	.balign	4096
	.incbin	PAYLOAD_FILE

	.section .note.GNU-stack, "", @progbits
