# tools/inspect_fdt.py — a flattened device tree reader for the host tools
# tools/inspect-capture and tools/inspect-blocks (python3, standard library).
#
# The bytes come from a guest's memory, so they are treated as hostile:
# every offset and length is checked against the blob before it is read,
# the tree's depth and node count are bounded, and anything wrong raises
# FdtError with one line that says what. The format is the devicetree
# specification's (v17): a big-endian header, the structure block's
# tokens, the strings block.
import struct

FDT_MAGIC = 0xD00DFEED
FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9
HEADER_SIZE = 40
MAX_DEPTH = 32
MAX_NODES = 100000


class FdtError(Exception):
    pass


class Node:
    """One node: its name, its properties (name -> bytes) in order, its
    children in order."""

    def __init__(self, name):
        self.name = name
        self.props = {}
        self.children = []

    def child(self, name):
        """The child called name, or name@anything when name has no @."""
        for c in self.children:
            if c.name == name or ('@' not in name and c.name.split('@')[0] == name):
                return c
        return None


def fdt_totalsize(head):
    """The totalsize a header claims (head: at least its first 8 bytes)."""
    if len(head) < 8:
        raise FdtError('an FDT header needs 8 bytes, got %d' % len(head))
    magic, total = struct.unpack_from('>II', head, 0)
    if magic != FDT_MAGIC:
        raise FdtError('bad FDT magic 0x%08x (want 0x%08x)' % (magic, FDT_MAGIC))
    if total < HEADER_SIZE:
        raise FdtError('FDT totalsize %d is smaller than its header' % total)
    return total


def _cstring(blob, start, end, what):
    nul = blob.find(b'\0', start, end)
    if nul < 0:
        raise FdtError('%s at offset %d is not NUL-terminated inside its block' % (what, start))
    try:
        return blob[start:nul].decode('ascii'), nul
    except UnicodeDecodeError:
        raise FdtError('%s at offset %d is not ASCII' % (what, start)) from None


def fdt_parse(blob):
    """Parse blob (bytes) and return the root Node."""
    total = fdt_totalsize(blob)
    if len(blob) < HEADER_SIZE or total > len(blob):
        raise FdtError('FDT totalsize %d exceeds the %d bytes read' % (total, len(blob)))
    (_, _, off_struct, off_strings, _, version, last_comp, _, size_strings,
     size_struct) = struct.unpack_from('>10I', blob, 0)
    if last_comp > 17 or version < 16:
        raise FdtError('FDT version %d (last compatible %d) is not one this reader knows'
                       % (version, last_comp))
    if off_struct % 4 or off_struct + size_struct > total or off_struct < HEADER_SIZE:
        raise FdtError('FDT structure block %d+%d lies outside the blob' % (off_struct, size_struct))
    if off_strings + size_strings > total or off_strings < HEADER_SIZE:
        raise FdtError('FDT strings block %d+%d lies outside the blob' % (off_strings, size_strings))
    end = off_struct + size_struct
    pos = off_struct
    stack = []
    root = None
    nodes = 0

    def u32(at):
        if at + 4 > end:
            raise FdtError('FDT structure block ends inside a token at offset %d' % at)
        return struct.unpack_from('>I', blob, at)[0]

    while True:
        tok = u32(pos)
        pos += 4
        if tok == FDT_BEGIN_NODE:
            name, nul = _cstring(blob, pos, end, 'a node name')
            pos = (nul + 4) & ~3
            nodes += 1
            if len(stack) >= MAX_DEPTH or nodes > MAX_NODES:
                raise FdtError('FDT nodes nest deeper than %d or number more than %d'
                               % (MAX_DEPTH, MAX_NODES))
            n = Node(name)
            if stack:
                stack[-1].children.append(n)
            elif root is not None:
                raise FdtError('FDT has a second root node')
            else:
                root = n
            stack.append(n)
        elif tok == FDT_END_NODE:
            if not stack:
                raise FdtError('FDT ends a node it never began')
            stack.pop()
        elif tok == FDT_PROP:
            if not stack:
                raise FdtError('FDT property outside any node')
            length, nameoff = u32(pos), u32(pos + 4)
            pos += 8
            if pos + length > end:
                raise FdtError('FDT property of %d bytes runs past the structure block' % length)
            if nameoff >= size_strings:
                raise FdtError('FDT property name offset %d is outside the strings block' % nameoff)
            name, _ = _cstring(blob, off_strings + nameoff, off_strings + size_strings,
                               'a property name')
            stack[-1].props[name] = bytes(blob[pos:pos + length])
            pos = (pos + length + 3) & ~3
        elif tok == FDT_NOP:
            pass
        elif tok == FDT_END:
            if stack or root is None:
                raise FdtError('FDT ends with %d node(s) open' % len(stack))
            return root
        else:
            raise FdtError('unknown FDT token 0x%x at offset %d' % (tok, pos - 4))


def fdt_path(root, path):
    """The node at an absolute path such as /chosen, or None."""
    node = root
    for part in filter(None, path.split('/')):
        node = node.child(part)
        if node is None:
            return None
    return node


def fdt_cells(root):
    """The root's #address-cells and #size-cells (the spec's defaults 2, 1)."""
    def cells(name, default):
        v = root.props.get(name)
        if v is None:
            return default
        if len(v) != 4 or struct.unpack('>I', v)[0] not in (1, 2):
            raise FdtError('%s is not 1 or 2' % name)
        return struct.unpack('>I', v)[0]
    return cells('#address-cells', 2), cells('#size-cells', 1)


def fdt_ranges(root, value):
    """A reg-like property's <addr size> pairs, in the root's cells."""
    ac, sc = fdt_cells(root)
    step = 4 * (ac + sc)
    if not value or len(value) % step:
        raise FdtError('a range list of %d bytes is not whole <addr size> pairs of %d bytes'
                       % (len(value), step))
    out = []
    for at in range(0, len(value), step):
        words = struct.unpack_from('>%dI' % (ac + sc), value, at)
        addr = size = 0
        for w in words[:ac]:
            addr = addr << 32 | w
        for w in words[ac:]:
            size = size << 32 | w
        out.append((addr, size))
    return out


def fdt_memory(root):
    """Every RAM range the /memory nodes list (device_type "memory")."""
    out = []
    for n in root.children:
        if n.props.get('device_type') == b'memory\0' or n.name.split('@')[0] == 'memory':
            if n.props.get('status', b'okay\0') not in (b'okay\0', b'ok\0'):
                continue
            if 'reg' in n.props:
                out += [r for r in fdt_ranges(root, n.props['reg']) if r[1]]
    return sorted(out)
