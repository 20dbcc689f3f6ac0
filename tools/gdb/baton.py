# tools/gdb/baton.py -- gdb support for Baton under QEMU's gdb stub
# (docs/gdb.md; `make debug` writes a gdbinit that loads it).
#
# One kernel ELF, many places. The image is linked at KERNEL_VBASE
# (0xffffffff80000000) and loaded at any 2 MiB-aligned physical address.
# Its entry code runs there, at the physical address, before it maps
# itself at the link address (x86-64: arch/x86_64/entry.S up to .Lhigh;
# arm64: arch/arm64/head.S up to .Lhigh, with early_map() in mmu.c, all
# with the MMU off), and arm64's kexec trampoline runs there again on the
# way out. Every generation of a kexec chain is the same image at another
# physical address, at the same link address once it runs.
#
# So gdb holds the ELF once as the main symbol file (the link addresses,
# right for every generation once it runs), plus one copy of it offset to
# each physical base that matters (a "physical copy"): the running
# generation's, and, from the kexec jump on, the next one's as well.
# A silent breakpoint on the call of arch_kexec_jump(entry, fdt, start,
# size) in kernel/kexec.c keeps them right: it reads the next kernel's
# entry and FDT from the argument registers (x86-64 rdi/rsi, arm64 x0/x1)
# and the running one's base from image_phys_base (entry.S and head.S
# store it), checks that the entry holds this image's first bytes, keeps
# the physical copies of those two images only, and sets $baton_next_entry,
# $baton_next_fdt and $baton_next_base.
#
# Commands (each has `help baton-...`):
#   baton-connect [HOST:PORT] [BASE]   target remote, and the running
#                                      image's physical copy at BASE
#   baton-image BASE     the running generation's physical copy at BASE
#   baton-next [ENTRY]   the next generation's physical copy (from the jump)
#   baton-images         the copies loaded
#   baton-generation     the kernel's generation number
#   baton-buddy [N]      the buddy allocator's free lists, checked
#                        against the memmap, the first N blocks of each
import struct

import gdb

KERNEL_VBASE = 0xffffffff80000000  # include/arch/layout.h, linker/*.ld
MASK64 = (1 << 64) - 1
PAGE_SHIFT = 12
# include/page.h: a memdesc word is data << 4 | type; FREE is type 1,
# the poisoned mark data bit 0x100. (The number of orders is read from
# the type of mm/buddy.c's buddy.nr_free.)
MEMDESC_FREE = 1
MEMDESC_POISONED = 0x100 << 4


def say(text):
    gdb.write("baton: %s\n" % text)


def u64(value):
    return int(value) & MASK64


class Baton:
    """What gdb knows of the kernel: the ELF, and its physical copies."""

    def __init__(self):
        self.elf = None
        self.copies = []  # physical bases with a copy loaded
        self.running = None  # the running generation's base, if known
        self.next_base = None  # the next one's, from its jump on
        self.hooks = []

    # The ELF and its link addresses, from the main symbol file only (the
    # physical copies define every symbol again).
    def setup(self):
        progspace = gdb.current_progspace()
        if not progspace.filename:
            raise gdb.GdbError("baton: no kernel ELF loaded: `file build/<arch>/baton.elf` first")
        if self.elf == progspace.filename:
            return
        if self.copies:
            raise gdb.GdbError("baton: a new kernel ELF: restart gdb")
        self.elf = progspace.filename
        # Before any physical copy exists, each name has one address.
        self.links = {}
        self.arm64 = self.lookup_link("_head") is not None
        self.entry_symbol = "_head" if self.arm64 else "_start"
        for name in (self.entry_symbol, "arch_kexec_jump", "kernel_main", "image_phys_base"):
            if self.lookup_link(name) is None:
                raise gdb.GdbError("baton: %s has no symbol %s: not Baton's kernel ELF"
                                   % (self.elf, name))
        self.main = next(o for o in progspace.objfiles() if o.filename == self.elf)
        self.entry_off = self.links[self.entry_symbol] - KERNEL_VBASE
        self.arg_regs = ("x0", "x1") if self.arm64 else ("rdi", "rsi")
        for hook in self.hooks:
            hook.delete()
        self.hooks = [JumpHook(addr) for addr in self.jump_calls()]

    def jump_calls(self):
        """Where kernel/kexec.c calls arch_kexec_jump: the call instructions,
        found in the ELF (before `target remote`: gdb reads the file). The
        arguments are in their registers there, and nobody's breakpoint is
        (one at the same address would be upset by the symbols changing
        under it); without one, arch_kexec_jump's first instruction."""
        target = self.links["arch_kexec_jump"]
        sym = gdb.lookup_global_symbol("kexec")
        calls = []
        if sym is not None and sym.symtab is not None:
            block = sym.symtab.global_block()
            arch = gdb.selected_inferior().architecture()
            try:
                for insn in arch.disassemble(block.start, block.end - 1):
                    if insn["asm"].split()[1:2] == ["0x%x" % target]:
                        calls.append(insn["addr"])
            except gdb.MemoryError:
                pass
        return calls or [target]

    def lookup_link(self, name):
        try:
            self.links[name] = u64(gdb.parse_and_eval("(unsigned long)&'%s'" % name))
        except gdb.error:
            return None
        return self.links[name]

    def link_address(self, name):
        return self.links[name]

    def static(self, name, file_suffix):
        """A variable of the main symbol file, at its link address."""
        for sym in gdb.lookup_static_symbols(name):
            if sym.symtab.objfile == self.main and sym.symtab.filename.endswith(file_suffix):
                return sym.value()
        sym = self.main.lookup_global_symbol(name)
        if sym is None:
            raise gdb.GdbError("baton: no symbol %s in %s" % (name, file_suffix))
        return sym.value()

    def read_u64(self, addr):
        return struct.unpack("<Q", bytes(gdb.selected_inferior().read_memory(addr, 8)))[0]

    # Physical copies.
    def add_copy(self, base):
        if base & 0x1fffff:
            raise gdb.GdbError("baton: 0x%x is no image base: images are 2 MiB-aligned" % base)
        if base in self.copies:
            return
        offset = (base - KERNEL_VBASE) & MASK64
        confirm = gdb.parameter("confirm")
        gdb.execute("set confirm off", to_string=True)
        try:
            gdb.execute("add-symbol-file %s -o 0x%x" % (self.elf, offset), to_string=True)
        finally:
            gdb.execute("set confirm %s" % ("on" if confirm else "off"), to_string=True)
        self.copies.append(base)

    def drop_copy(self, base):
        if base not in self.copies:
            return
        gdb.execute("remove-symbol-file -a 0x%x" % (base + self.entry_off), to_string=True)
        self.copies.remove(base)

    def set_running(self, base):
        """The running generation's copy at base; every other dropped
        (kept only to the jump: arm64's trampoline runs at its physical
        address)."""
        self.add_copy(base)
        for other in list(self.copies):
            if other != base:
                self.drop_copy(other)
        self.running = base
        self.next_base = None

    # The kexec jump: the call of arch_kexec_jump(entry, fdt, start, size),
    # its arguments in their registers.
    def on_jump(self):
        frame = gdb.selected_frame()
        entry = u64(frame.read_register(self.arg_regs[0]))
        fdt = u64(frame.read_register(self.arg_regs[1]))
        base = entry - self.entry_off
        gen = self.kernel_generation()
        gdb.set_convenience_variable("baton_next_entry", entry)
        gdb.set_convenience_variable("baton_next_fdt", fdt)
        if not self.same_image_at(entry):
            say("kexec jump to 0x%x (FDT 0x%x): not this kernel's image (kexec.then's "
                "kernel?): no symbols for it" % (entry, fdt))
            return
        try:
            self.set_running(self.read_u64(self.link_address("image_phys_base")))
        except gdb.MemoryError:
            pass
        self.add_copy(base)
        self.next_base = base
        gdb.set_convenience_variable("baton_next_base", base)
        say("kexec jump, generation %s -> %s: entry 0x%x, FDT 0x%x; its symbols added at "
            "0x%x (hbreak *$baton_next_entry stops at its first instruction)"
            % ("?" if gen is None else gen, "?" if gen is None else gen + 1, entry, fdt, base))

    def same_image_at(self, entry):
        """Does physical entry hold this image's first 64 bytes? Read
        through the direct map, which maps all RAM (the identity map may
        be off)."""
        try:
            page_offset = (int(self.static("memmap_virt_first", "mm/memdesc.c")) -
                           int(self.static("memmap_start_pfn", "mm/memdesc.c"))) << PAGE_SHIFT
            inf = gdb.selected_inferior()
            here = bytes(inf.read_memory(KERNEL_VBASE + self.entry_off, 64))
            there = bytes(inf.read_memory((page_offset + entry) & MASK64, 64))
        except (gdb.error, gdb.MemoryError):
            return True  # cannot tell: assume Baton's chain
        return here == there

    def kernel_generation(self):
        try:
            return int(self.static("generation", "kernel/kexec.c"))
        except (gdb.error, gdb.GdbError):
            return None


baton = Baton()


class JumpHook(gdb.Breakpoint):
    def __init__(self, addr):
        super().__init__("*0x%x" % addr, internal=True)
        self.silent = True
        self.address = addr

    def stop(self):
        baton.on_jump()
        return False


def parse_address(arg, what):
    try:
        return u64(gdb.parse_and_eval(arg))
    except gdb.error as e:
        raise gdb.GdbError("baton: %s: %s" % (what, e))


class Connect(gdb.Command):
    """baton-connect [HOST:PORT] [BASE]: connect to QEMU's gdb stub
(default localhost:1234) and load the kernel's physical copy at BASE, the
physical address its loader places it at (make debug passes it: 0x200000
for the bzImage under SeaBIOS, 0x40200000 for QEMU's arm64 -kernel). Without
BASE, the running image's copy is loaded at the first kexec jump (or by
baton-image)."""

    def __init__(self):
        super().__init__("baton-connect", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        baton.setup()
        gdb.execute("target remote %s" % (args[0] if args else "localhost:1234"))
        if len(args) > 1:
            baton.set_running(parse_address(args[1], "image base"))
        say("kernel %s; link address 0x%x%s" % (
            baton.elf, KERNEL_VBASE,
            "; physical copy at 0x%x" % baton.running if baton.running is not None else ""))


class Image(gdb.Command):
    """baton-image BASE: the running generation's image is at physical
address BASE: load its physical copy there (for its entry code) and drop
the others."""

    def __init__(self):
        super().__init__("baton-image", gdb.COMMAND_FILES)

    def invoke(self, arg, from_tty):
        if not arg:
            raise gdb.GdbError("usage: baton-image BASE")
        baton.setup()
        baton.set_running(parse_address(arg, "image base"))
        say("physical copy at 0x%x" % baton.running)


class Next(gdb.Command):
    """baton-next [ENTRY]: load the next generation's physical copy, its
image entered at physical address ENTRY (by default: from the registers,
when stopped at arch_kexec_jump's first instruction or its call; else the
last jump's $baton_next_entry). The jump's silent breakpoint does this by
itself."""

    def __init__(self):
        super().__init__("baton-next", gdb.COMMAND_FILES)

    def invoke(self, arg, from_tty):
        baton.setup()
        if arg:
            entry = parse_address(arg, "entry")
        elif u64(gdb.selected_frame().pc()) in [baton.link_address("arch_kexec_jump")] + [
                h.address for h in baton.hooks]:
            baton.on_jump()
            return
        else:
            entry = gdb.convenience_variable("baton_next_entry")
            if entry is None:
                raise gdb.GdbError("baton: no kexec jump seen yet: baton-next ENTRY")
            entry = u64(entry)
        baton.add_copy(entry - baton.entry_off)
        baton.next_base = entry - baton.entry_off
        say("next generation's physical copy at 0x%x" % baton.next_base)


class Images(gdb.Command):
    """baton-images: the kernel's copies gdb holds: the link address and
each physical base."""

    def __init__(self):
        super().__init__("baton-images", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        baton.setup()
        try:  # the image the high addresses map now
            live = baton.read_u64(baton.link_address("image_phys_base"))
        except gdb.MemoryError:
            live = None
        say("%s at its link address 0x%x" % (baton.elf, KERNEL_VBASE))
        for base in baton.copies:
            role = ("the image at the link address now" if base == live else
                    "the last kexec's next kernel" if base == baton.next_base else
                    "the last kexec's kernel" if baton.next_base is not None else "")
            say("physical copy at 0x%x%s" % (base, " (%s)" % role if role else ""))


class Generation(gdb.Command):
    """baton-generation: the running kernel's generation number (kernel/kexec.c's
generation, read from /chosen/baton,generation in kexec_init)."""

    def __init__(self):
        super().__init__("baton-generation", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        baton.setup()
        gen = baton.kernel_generation()
        say("generation %s" % ("unknown" if gen is None else gen))


class Buddy(gdb.Command):
    """baton-buddy [N]: the buddy allocator's free lists (mm/buddy.c): per
order, the count, the first N blocks (default 4) as physical addresses,
and whether the list agrees with its count and with each block's memdesc
word (FREE with that order)."""

    def __init__(self):
        super().__init__("baton-buddy", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        baton.setup()
        show = int(parse_address(arg, "N")) if arg else 4
        try:
            self.walk(show)
        except gdb.MemoryError as e:
            raise gdb.GdbError("baton: the allocator cannot be read here (%s): the kernel is "
                               "not at its link address yet, or not this image" % e)

    def walk(self, show):
        buddy = baton.static("buddy", "mm/buddy.c")
        memmap = u64(baton.static("memmap", "mm/memdesc.c"))
        start_pfn = int(baton.static("memmap_start_pfn", "mm/memdesc.c"))
        end_pfn = int(baton.static("memmap_end_pfn", "mm/memdesc.c"))
        page_offset = ((int(baton.static("memmap_virt_first", "mm/memdesc.c")) - start_pfn)
                       << PAGE_SHIFT) & MASK64
        if not memmap or not int(baton.static("buddy_managed_pages", "mm/buddy.c")):
            say("the buddy allocator holds no memory yet (buddy_init has not given it any)")
            return
        orders = buddy["nr_free"].type.range()[1] + 1
        total = 0
        bad = 0
        for k in range(orders):
            head = buddy["free"][k]
            sentinel = u64(head.address)
            count = int(buddy["nr_free"][k])
            node = u64(head["next"])
            seen = []
            problem = None
            while node != sentinel and len(seen) <= count:
                pa = (node - page_offset) & MASK64
                pfn = pa >> PAGE_SHIFT
                if pa & ((1 << (PAGE_SHIFT + k)) - 1) or not start_pfn <= pfn < end_pfn:
                    problem = "node 0x%x is no order-%d block" % (node, k)
                    break
                word = baton.read_u64(memmap + 8 * (pfn - start_pfn))
                if word & ~MEMDESC_POISONED != (k << 4) | MEMDESC_FREE:
                    problem = "block 0x%x's memdesc word is 0x%x" % (pa, word)
                    break
                seen.append(pa)
                node = baton.read_u64(node)
            if problem is None and len(seen) != count:
                problem = "%d blocks on the list, nr_free says %d" % (len(seen), count)
            total += count << k
            blocks = ", ".join("0x%x" % pa for pa in seen[:show])
            more = ", ..." if len(seen) > show else ""
            gdb.write("  order %2d (%5d KiB): %5d free%s%s%s\n" % (
                k, 4 << k, count, ": " if seen else "", blocks, more))
            if problem:
                gdb.write("    BAD: %s\n" % problem)
                bad += 1
        free_pages = int(buddy["free_pages"])
        if total != free_pages:
            gdb.write("    BAD: the lists hold %d pages, free_pages says %d\n" % (total, free_pages))
            bad += 1
        say("free lists: %d pages in %d orders; %s" % (
            total, orders, "every list agrees with nr_free and the memmap" if not bad
            else "%d problems" % bad))


for command in (Connect, Image, Next, Images, Generation, Buddy):
    command()
