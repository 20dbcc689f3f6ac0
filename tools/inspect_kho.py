# tools/inspect_kho.py — read a KHO handover from a guest's memory, as the
# incoming kernel would (kho/abi.h is the contract; docs/07-kho-preservation.md),
# for tools/inspect-capture and tools/inspect-blocks (python3, standard
# library only).
#
# The memory is a Memory object: its RAM ranges and read(pa, size). Nothing
# read from it is trusted: every address is checked against RAM before it
# is read, every count is bounded before it is used, the radix tree's nodes
# are visited once each and at most MAX_NODES of them, and anything wrong
# raises KhoError with one line that says what.
import bisect, os, struct

from inspect_fdt import FdtError, fdt_parse, fdt_path, fdt_ranges, fdt_totalsize

PAGE = 4096
KHO_COMPATIBLES = ('kho-v3', 'kho-v4')
ORDER0_LOG2 = 52          # KHO_ORDER0_LOG2: the order-0 marker bit of a key
TABLE_BITS = 9            # KHO_TABLE_BITS
BITMAP_BITS = 15          # KHO_BITMAP_BITS
TABLE_LEVELS = 5          # KHO_TREE_LEVELS - 1 (the sixth is the leaf)
MAX_NODES = 1 << 16       # radix nodes this reader visits at most
MAX_ORDER = 40            # a block of more than 2^40 pages is refused
MAX_FDT = 1 << 20
MAX_SCRATCH = 64
SLAB_CHUNK_RECS = 255     # KHO_SLAB_CHUNK_RECS
SLAB_SUBTREE = 'baton,slab'


class KhoError(Exception):
    pass


class Memory:
    """RAM ranges [(base, size)] and saved pieces [(pa, bytes)]: read()
    answers from the pieces, fetch (if given) saves a missing page range."""

    def __init__(self, ram, fetch=None):
        self.ram = sorted(ram)
        self.pieces = {}
        self.fetch = fetch

    def in_ram(self, pa, size):
        return any(b <= pa and pa + size <= b + s for b, s in self.ram)

    def read(self, pa, size, what):
        if size < 0 or pa < 0 or not self.in_ram(pa, size):
            raise KhoError('%s at 0x%x (0x%x bytes) is outside RAM' % (what, pa, size))
        out = b''
        at = pa
        while at < pa + size:
            page = at & ~(PAGE - 1)
            if page not in self.pieces:
                if not self.fetch:
                    raise KhoError('%s: page 0x%x is not in the dump' % (what, page))
                self.pieces[page] = self.fetch(page, PAGE)
            take = min(pa + size, page + PAGE) - at
            out += self.pieces[page][at - page:at - page + take]
            at += take
        return out

    def save(self, path):
        """Write the pieces read so far and the RAM ranges: DIR/memory.txt
        ("ram BASE SIZE" and "page PA" lines) and DIR/memory.bin (the
        pages in that order)."""
        with open(os.path.join(path, 'memory.bin'), 'wb') as b, \
                open(os.path.join(path, 'memory.txt'), 'w') as t:
            t.write('# RAM ranges, then the pages saved in memory.bin, in its order\n')
            for base, size in self.ram:
                t.write('ram 0x%x 0x%x\n' % (base, size))
            for page in sorted(self.pieces):
                t.write('page 0x%x\n' % page)
                b.write(self.pieces[page])

    @staticmethod
    def load(path):
        ram, pages = [], []
        try:
            with open(os.path.join(path, 'memory.txt')) as t:
                for n, line in enumerate(t, 1):
                    f = line.split()
                    if not f or f[0].startswith('#'):
                        continue
                    if f[0] == 'ram' and len(f) == 3:
                        ram.append((int(f[1], 16), int(f[2], 16)))
                    elif f[0] == 'page' and len(f) == 2:
                        pages.append(int(f[1], 16))
                    else:
                        raise KhoError('memory.txt line %d is not "ram BASE SIZE" or "page PA"' % n)
            with open(os.path.join(path, 'memory.bin'), 'rb') as b:
                data = b.read()
        except (OSError, ValueError) as e:
            raise KhoError('cannot read the dump in %s: %s' % (path, e)) from None
        if len(data) != len(pages) * PAGE:
            raise KhoError('memory.bin holds %d bytes, memory.txt names %d pages'
                           % (len(data), len(pages)))
        m = Memory(ram)
        for i, page in enumerate(pages):
            if page % PAGE:
                raise KhoError('memory.txt names a page at 0x%x, not page aligned' % page)
            m.pieces[page] = data[i * PAGE:(i + 1) * PAGE]
        return m


def _u64(b, what):
    if len(b) != 8:
        raise KhoError('%s is %d bytes, not 8' % (what, len(b)))
    return struct.unpack('<Q', b)[0]


def key_block(key):
    """(pa, order) of a radix key, per kho/abi.h: the top set bit is at
    52 - order, the bits below are pa >> (12 + order)."""
    if key <= 0:
        raise KhoError('a preserved-memory map key encodes no valid order')
    top = key.bit_length() - 1
    order = ORDER0_LOG2 - top
    if order < 0 or order > MAX_ORDER:
        raise KhoError('a preserved-memory map key encodes no valid order (key 0x%x)' % key)
    return (key ^ (1 << top)) << (12 + order), order


def radix_walk(mem, root):
    """Every (pa, order) the tree at root lists, and its nodes' addresses."""
    blocks, nodes, seen = [], [], set()
    # Blocks that overlap nothing and lie in RAM are at most its pages.
    max_blocks = sum(size for _, size in mem.ram) // PAGE

    def node(pa, what):
        if pa % PAGE:
            raise KhoError('radix node 0x%x is misaligned' % pa)
        if pa in seen:
            raise KhoError('radix node 0x%x is named twice' % pa)
        if len(seen) >= MAX_NODES:
            raise KhoError('the radix tree has more than %d nodes' % MAX_NODES)
        seen.add(pa)
        nodes.append((pa, what))
        return mem.read(pa, PAGE, 'radix node')

    def walk(pa, level, prefix):
        data = node(pa, 'table' if level else 'leaf')
        if level == 0:
            words = struct.unpack('<512Q', data)
            for w, word in enumerate(words):
                while word:
                    bit = (word & -word).bit_length() - 1
                    word &= word - 1
                    blocks.append(key_block(prefix << BITMAP_BITS | w * 64 + bit))
            if len(blocks) > max_blocks:
                raise KhoError('the preserved-memory map lists more blocks than RAM has pages')
            return
        for i, child in enumerate(struct.unpack('<512Q', data)):
            if child:
                walk(child, level - 1, prefix << TABLE_BITS | i)

    walk(root, TABLE_LEVELS, 0)
    return blocks, nodes


def _prop(node, name, what):
    v = node.props.get(name)
    if v is None:
        raise KhoError('%s has no %s' % (what, name))
    return v


def kho_read(mem, handover):
    """Read the handover the boot FDT bytes handover names. Returns a dict:
    fdt (root FDT pa), fdt_bytes, compatible, map (radix root), scratch
    [(pa, size)], array (pa, size), subtrees [(name, pa, size)], blocks
    sorted [(pa, order, named_by)], nodes [(pa, kind)]."""
    try:
        boot = fdt_parse(handover)
        chosen = fdt_path(boot, '/chosen')
        if chosen is None:
            raise KhoError('the boot FDT has no /chosen')
        fr = fdt_ranges(boot, _prop(chosen, 'linux,kho-fdt', '/chosen'))
        sr = fdt_ranges(boot, _prop(chosen, 'linux,kho-scratch', '/chosen'))
        if len(fr) != 1 or len(sr) != 1:
            raise KhoError('/chosen/linux,kho-fdt or linux,kho-scratch is not one <addr size>')
        (fdt_pa, fdt_size), (arr_pa, arr_size) = fr[0], sr[0]
        if fdt_pa % PAGE or not 40 <= fdt_size <= MAX_FDT:
            raise KhoError('the KHO FDT range 0x%x+0x%x is misaligned or of a bad size'
                           % (fdt_pa, fdt_size))
        total = fdt_totalsize(mem.read(fdt_pa, 8, 'the KHO root FDT'))
        if total > fdt_size:
            raise KhoError('the KHO root FDT says %d bytes, its range %d' % (total, fdt_size))
        kfdt = mem.read(fdt_pa, total, 'the KHO root FDT')
        kroot = fdt_parse(kfdt)
        image = chosen.props.get('baton,image')
        image = fdt_ranges(boot, image)[0] if image else None
    except FdtError as e:
        raise KhoError(str(e)) from None
    compat = kroot.props.get('compatible', b'').rstrip(b'\0').decode('ascii', 'replace')
    if compat not in KHO_COMPATIBLES:
        raise KhoError('the KHO root FDT says compatible "%s": this reader reads %s'
                       % (compat, ' and '.join(KHO_COMPATIBLES)))
    root = _u64(_prop(kroot, 'preserved-memory-map', 'the KHO root FDT'), 'preserved-memory-map')
    if arr_pa % 8 or arr_size % 16 or not 16 <= arr_size <= 16 * MAX_SCRATCH:
        raise KhoError('the scratch array 0x%x+0x%x is misaligned or of a bad size'
                       % (arr_pa, arr_size))
    arr = mem.read(arr_pa, arr_size, 'the scratch array')
    scratch = [struct.unpack_from('<QQ', arr, i) for i in range(0, arr_size, 16)]
    subtrees = []
    for n in kroot.children:
        subtrees.append((n.name, _u64(_prop(n, 'preserved-data', 'subtree ' + n.name),
                                      n.name + '/preserved-data'),
                         _u64(_prop(n, 'blob-size', 'subtree ' + n.name), n.name + '/blob-size')))

    raw, nodes = radix_walk(mem, root)
    raw.sort()
    for i, (pa, order) in enumerate(raw):
        size = PAGE << order
        if not mem.in_ram(pa, size):
            raise KhoError('preserved block 0x%x order %d is outside RAM' % (pa, order))
        if any(s and pa < b + s and b < pa + size for b, s in scratch):
            raise KhoError('preserved block 0x%x order %d is inside scratch' % (pa, order))
        if i and raw[i - 1][0] + (PAGE << raw[i - 1][1]) > pa:
            raise KhoError('preserved blocks overlap at 0x%x' % pa)
    starts = [b for b, _ in raw]

    def holder(pa):  # the block that holds pa, or None
        i = bisect.bisect_right(starts, pa) - 1
        return raw[i][0] if i >= 0 and pa < raw[i][0] + (PAGE << raw[i][1]) else None

    for pa, kind in nodes:
        if holder(pa) is not None:
            raise KhoError('radix node 0x%x lies in a preserved block' % pa)
    names = {}

    def name(pa, what):
        b = holder(pa)
        if b is not None and what not in names.setdefault(b, []):
            names[b].append(what)

    name(fdt_pa, 'the KHO root FDT')
    name(arr_pa, 'the scratch array')
    for sname, pa, size in subtrees:
        name(pa, 'subtree ' + sname)
    if image:
        name(image[0], 'the image copy (baton,image)')
    for sname, pa, size in subtrees:
        if sname == SLAB_SUBTREE:
            slabs = slab_chain(mem, pa, len(raw))
            for chunk in slabs['chunks']:
                name(chunk, 'a slab record chunk')
            for slab, (count, slot) in sorted(slabs['slabs'].items()):
                name(slab, 'a slab: %d preserved object%s of %d B' % (count, 's' * (count != 1), slot))
    blocks = [(pa, o, '; '.join(names.get(pa, []))) for pa, o in raw]
    return dict(fdt=fdt_pa, fdt_bytes=kfdt, compatible=compat, map=root, scratch=scratch,
                array=(arr_pa, arr_size), subtrees=subtrees, blocks=blocks, nodes=nodes)


def slab_chain(mem, first, max_chunks):
    """The baton,slab chain: its chunk pages and, per slab, (objects, slot)."""
    chunks, slabs, at = [], {}, first
    while at:
        if at % PAGE or at in chunks or len(chunks) >= max_chunks:
            raise KhoError('the slab records are damaged: chunk 0x%x is misaligned, repeated or '
                           'one too many' % at)
        chunks.append(at)
        data = mem.read(at, PAGE, 'a slab record chunk')
        nxt, count = struct.unpack_from('<QQ', data, 0)
        if count > SLAB_CHUNK_RECS:
            raise KhoError('the slab records are damaged: a chunk counts %d records' % count)
        for i in range(count):
            phys, slot, order = struct.unpack_from('<QII', data, 16 + 16 * i)
            if order > MAX_ORDER or not slot:
                raise KhoError('the slab records are damaged: record %d has order %d, slot %d'
                               % (i, order, slot))
            slab = phys & ~((PAGE << order) - 1)
            n, _ = slabs.get(slab, (0, slot))
            slabs[slab] = (n + 1, slot)
        at = nxt
    return dict(chunks=chunks, slabs=slabs)


def _size(b):
    for unit, shift in (('GiB', 30), ('MiB', 20), ('KiB', 10)):
        if b >= 1 << shift and b % (1 << shift) == 0:
            return '%d %s' % (b >> shift, unit)
    return '%d B' % b


def kho_listing(h, generation=None):
    """The preserved-block listing (preserved.txt) of kho_read's result."""
    out = []
    gen = '' if generation is None else ' by generation %d' % generation
    out.append('# KHO handover%s (%s): root FDT 0x%x, preserved-memory-map 0x%x'
               % (gen, h['compatible'], h['fdt'], h['map']))
    for pa, size in h['scratch']:
        out.append('# scratch 0x%x-0x%x (%s)' % (pa, pa + size - 1, _size(size)) if size
                   else '# scratch (an empty area)')
    for sname, pa, size in h['subtrees']:
        out.append('# subtree %s: %d bytes at 0x%x' % (sname, size, pa))
    tables = sum(1 for _, k in h['nodes'] if k == 'table')
    out.append('# radix tree: %d nodes (%d tables, %d leaves), not preserved themselves:'
               % (len(h['nodes']), tables, len(h['nodes']) - tables))
    for i in range(0, len(h['nodes']), 6):
        out.append('#   ' + ' '.join('0x%x' % pa for pa, _ in h['nodes'][i:i + 6]))
    out.append('#')
    out.append('# %-18s %5s %10s  %s' % ('physical address', 'order', 'size', 'named by'))
    per = {}
    for pa, order, named in h['blocks']:
        out.append('  0x%016x %5d %10s  %s' % (pa, order, _size(PAGE << order), named or '-'))
        per[order] = per.get(order, 0) + 1
    out.append('#')
    out.append('# blocks by order: ' + ', '.join('%d: %d' % (o, per[o]) for o in sorted(per)))
    pages = sum(1 << o for _, o, _ in h['blocks'])
    out.append('# total: %d preserved blocks, %d pages (%s)'
               % (len(h['blocks']), pages, _size(pages * PAGE)))
    return '\n'.join(out) + '\n'
