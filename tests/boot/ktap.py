"""ktap.py — reads the KTAP version 1 results in a kernel's serial log.

Baton's ktests print KTAP (include/ktest.h) through printk, so each line
carries a "[    0.123456] " stamp. The lines are found as Linux's kunit.py
finds them: the characters before a "KTAP version 1" line are the prefix,
and that many characters are cut from each line after it. A log holds a
sequence of documents: each generation of a kexec chain prints its own
ktest= run, and each on-demand test is a document of one test.

parse(lines) returns the documents and the format errors:
  - a document starts with a version line at column 0 (after the prefix),
    then its plan "1..N"; its results are numbered 1, 2, ... with no gap;
  - a subtest is indented two spaces a level, starts with its own version
    line and plan, and ends at its parent's result line, which must not be
    "ok" (unless # SKIP) when one of its tests failed;
  - a document ends when its plan is complete; a new document may not start
    before (an unfinished one is a kernel that stopped in a test);
  - a "# Totals: pass:P fail:F skip:S total:T" line matches the tests of
    the document before it.
Lines that are none of these are KTAP's "unknown lines": other kernel
output, allowed anywhere.
"""
import re

VERSION = re.compile(r'^( *)KTAP version ([0-9]+)$')
PLAN = re.compile(r'^( *)1\.\.([0-9]+)(?: # (.*))?$')
RESULT = re.compile(r'^( *)(ok|not ok) ([0-9]+)(?: ([^#]*?))? *(?:#(.*))?$')
DIAG = re.compile(r'^( *)#(?: (.*))?$')
TOTALS = re.compile(r'^# Totals: pass:([0-9]+) fail:([0-9]+) skip:([0-9]+) total:([0-9]+)$')


class Test:
    """One result line: name, ok, skipped, the reason (the diagnostic lines
    just before it, or its own # text), its line number, and its subtests."""

    def __init__(self, name, ok, directive, reason, line, subtests):
        self.name = name
        self.ok = ok
        self.skipped = directive.upper().startswith('SKIP')
        self.reason = reason
        self.line = line
        self.subtests = subtests

    def leaves(self):
        if not self.subtests:
            return [self]
        return [leaf for t in self.subtests for leaf in t.leaves()]


class Frame:
    """A document or a subtest being read."""

    def __init__(self, level, line):
        self.level = level
        self.line = line
        self.plan = None
        self.tests = []
        self.diags = []


class Document:
    def __init__(self, line, tests, finished):
        self.line = line
        self.tests = tests
        self.finished = finished

    def leaves(self):
        return [leaf for t in self.tests for leaf in t.leaves()]


def counts(tests):
    """(passed, failed, skipped) of these leaf tests."""
    skipped = sum(1 for t in tests if t.skipped)
    failed = sum(1 for t in tests if not t.ok and not t.skipped)
    return len(tests) - skipped - failed, failed, skipped


def parse(lines):
    """lines: the log's lines (str). Returns (documents, errors); each
    error is "line N: what"."""
    docs, errors = [], []
    stack = []        # open frames, the document first
    prefix = 0
    last_doc = None   # the document a Totals line sums up
    pending = None    # the subtest frame a parent's result line closes

    def err(n, what):
        errors.append(f'line {n}: {what}')

    def close_document(n, finished):
        nonlocal last_doc
        doc = Document(stack[0].line, stack[0].tests, finished)
        docs.append(doc)
        last_doc = doc
        stack.clear()

    for n, raw in enumerate(lines, 1):
        raw = raw.rstrip()
        if not stack:
            m = re.search(r'KTAP version ([0-9]+)$', raw)
            if m:
                prefix = m.start()
                if m.group(1) != '1':
                    err(n, f'KTAP version {m.group(1)}, not 1')
                stack.append(Frame(0, n))
                pending = None
                continue
            text = raw[prefix:] if last_doc else raw
            t = TOTALS.match(text)
            if t and last_doc:
                p, f, s = counts(last_doc.leaves())
                want = (p, f, s, p + f + s)
                got = tuple(int(x) for x in t.groups())
                if got != want:
                    err(n, f'the totals say pass:{got[0]} fail:{got[1]} skip:{got[2]} '
                        f'total:{got[3]}, the document above has pass:{p} fail:{f} '
                        f'skip:{s} total:{p + f + s}')
                last_doc = None
            continue
        text = raw[prefix:]
        top = stack[-1]
        m = VERSION.match(text)
        if m:
            indent = len(m.group(1))
            if indent == 0:
                err(n, f'a new document starts, but the one of line {stack[0].line} '
                    'is unfinished (its plan is not complete)')
                close_document(n, False)
                stack.append(Frame(0, n))
                continue
            if indent != 2 * (top.level + 1):
                err(n, f'a subtest version line indented {indent} spaces, not '
                    f'{2 * (top.level + 1)}')
                continue
            if pending:
                err(n, f'the subtest of line {pending.line} has no result line')
                pending = None
            stack.append(Frame(top.level + 1, n))
            continue
        m = PLAN.match(text)
        if m:
            if len(m.group(1)) != 2 * top.level:
                err(n, f'a plan indented {len(m.group(1))} spaces, not {2 * top.level}')
            elif top.plan is not None or top.tests:
                err(n, f'a second plan, or a plan after results, for the test of line '
                    f'{top.line}')
            else:
                top.plan = int(m.group(2))
                top.diags = []
                if top.plan == 0 and top.level == 0:
                    close_document(n, True)
            continue
        m = RESULT.match(text)
        if m:
            indent = len(m.group(1))
            if indent % 2:
                err(n, f'a result indented {indent} spaces, an odd number')
                continue
            level = indent // 2
            subtests = []
            if level == top.level - 1:      # the end of the subtest on top
                sub = stack.pop()
                if sub.plan is not None and len(sub.tests) != sub.plan:
                    err(n, f'the subtest of line {sub.line} planned {sub.plan} tests '
                        f'and has {len(sub.tests)}')
                subtests = sub.tests
                top = stack[-1]
            elif level != top.level:
                err(n, f'a result at nesting level {level}, in a test at level {top.level}')
                continue
            number = int(m.group(3))
            if number != len(top.tests) + 1:
                err(n, f'test number {number}, not {len(top.tests) + 1}')
            ok = m.group(2) == 'ok'
            directive = (m.group(5) or '').strip()
            name = (m.group(4) or '').strip()
            # KUnit's diagnostics say "# name: what": the reason is the what.
            reason = directive if directive and not ok else '\n'.join(
                d[len(name) + 2:] if name and d.startswith(name + ': ') else d
                for d in top.diags)
            test = Test(name, ok, directive, reason, n, subtests)
            if ok and not test.skipped and any(not s.ok and not s.skipped
                                               for s in test.leaves()):
                err(n, f'"{test.name}" is ok, but a test in it failed')
            top.tests.append(test)
            top.diags = []
            if top.level == 0 and top.plan is not None and len(top.tests) >= top.plan:
                if len(top.tests) > top.plan:
                    err(n, f'more results than the plan\'s {top.plan}')
                close_document(n, True)
            continue
        m = DIAG.match(text)
        if m:   # kept for the next result at its level, if it is one
            for frame in stack:
                if len(m.group(1)) == 2 * frame.level:
                    frame.diags.append(m.group(2) or '')
    if stack:
        close_document(len(lines), False)
    return docs, errors
