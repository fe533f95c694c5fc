# cython: language_level=3, boundscheck=False, initializedcheck=False
"""The page model's walk (aggregator.extract.page.walk_python) compiled: the same model, read
from libxml2's nodes directly.

    walk(root, kinds, line, new_line, stats, max_lines, max_text, max_line_chars)
        -> {"lines", "elements", "offset_at", "start_at", "end_at", "close_at", "after_at", "stats",
            "skipped"}: the PageModel's fields; None when `root` is not an element

page.py passes in what the Python walk reads from its modules (the tag kinds, Line, Stats, the
MAX_* limits read at each call, and once the characters body's counts read), so both walks share
one definition of each. Python objects are made only for what the model holds: the elements'
proxies, the lines (their text folded here, each Line allocated as tuple.__new__ allocates it), the
runs of text a line keeps, the numbers of the *_at lists, the blocks' Stats (their fields set
without a Python __init__ call). Everything else (the tree's order, where each element ends, the
whitespace-only runs, the characters and punctuation counted) stays in C.

What is read, and why it holds across lxml versions: lxml's public C API (etreepublic.pxd:
_Element._c_node and _doc, elementFactory, namespacedName; import_lxml__etree() fails this
module's import when that API is missing, and page.py then runs the Python walk) and libxml2's
xmlNode, whose fields read here (type, name, children, next, parent, content, ns) are libxml2's
public struct, unchanged for decades. The lxml whose headers this is compiled against (the build
environment's) may be another version than the one it runs with; nothing else of either is read.

Text as lxml gives it (lxml's _collectText): an element's .text is the run of text and CDATA
nodes that starts its children, its .tail the run that follows it (XInclude markers skipped,
anything else, a comment or a processing instruction, ends the run); the nodes' UTF-8 decoded as
lxml decodes it. The elements are the nodes of type element in document order (comments,
processing instructions and entity references are not elements, as for iter(etree.Element)).
"""
from cpython.object cimport PyObject
from cpython.ref cimport Py_INCREF
from cpython.tuple cimport PyTuple_SET_ITEM
from cpython.unicode cimport Py_UNICODE_ISSPACE, PyUnicode_DecodeUTF8
from libc.stdlib cimport free, realloc
from libc.stdint cimport uint8_t
from libc.string cimport memcpy, memset, strlen
from lxml.includes cimport tree
from lxml.includes.etreepublic cimport _Document, _Element, elementFactory, import_lxml__etree, namespacedName

cdef extern from "Python.h":
    object PyUnicode_FromKindAndData(int kind, const void* buffer, Py_ssize_t size)
    object PyUnicode_Substring(object text, Py_ssize_t start, Py_ssize_t end)
    int PyUnicode_4BYTE_KIND
    int PyUnicode_KIND(object text)
    void* PyUnicode_DATA(object text)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index)
    Py_ssize_t PyUnicode_GET_LENGTH(object text)

cdef extern from *:
    """
    /* an instance of a type as its tp_alloc makes it (a tuple subtype: with room for n items) */
    static PyObject* _walk_alloc(PyObject* type, Py_ssize_t n) {
        return ((PyTypeObject*)type)->tp_alloc((PyTypeObject*)type, n);
    }
    """
    object _alloc "_walk_alloc"(object type, Py_ssize_t n)


cdef inline void _set_item(object items, Py_ssize_t i, object item):
    Py_INCREF(item)
    PyTuple_SET_ITEM(items, i, item)


import_lxml__etree()

# what the walk does at a tag (page._KINDS: skip it, it ends a line, it is a block, it is a link)
cdef enum:
    SKIP = 1
    LINE = 2
    BLOCK = 4
    LINK = 8

# tag strings and kinds by (name, namespace) pointer: libxml2 interns a document's names, so one
# tag is one lookup in this table instead of a new str and a dict lookup per element
cdef enum:
    TAG_SLOTS = 1024


cdef struct TagSlot:
    const tree.xmlChar* name
    tree.xmlNs* ns
    int kind
    PyObject* tag


cdef struct Frame:
    tree.xmlNode* node
    Py_ssize_t at
    int kind


cdef inline tree.xmlNode* _text_or_skip(tree.xmlNode* c) noexcept nogil:
    """The node if it is a text or CDATA node, XInclude markers stepped over (lxml's _textNodeOrSkip)."""
    while c is not NULL:
        if c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE:
            return c
        if c.type == tree.XML_XINCLUDE_START or c.type == tree.XML_XINCLUDE_END:
            c = c.next
        else:
            return NULL
    return NULL


cdef inline tree.xmlNode* _first_element(tree.xmlNode* c) noexcept nogil:
    c = c.children
    while c is not NULL and c.type != tree.XML_ELEMENT_NODE:
        c = c.next
    return c


cdef inline tree.xmlNode* _next_element(tree.xmlNode* c) noexcept nogil:
    c = c.next
    while c is not NULL and c.type != tree.XML_ELEMENT_NODE:
        c = c.next
    return c


cdef Py_ssize_t _count_elements(tree.xmlNode* top) noexcept nogil:
    """Elements in the subtree of `top`, itself included."""
    cdef Py_ssize_t n = 1
    cdef tree.xmlNode* node = top
    cdef tree.xmlNode* nxt
    while True:
        nxt = _first_element(node)
        if nxt is NULL:
            while node is not top:
                nxt = _next_element(node)
                if nxt is not NULL:
                    break
                node = node.parent
            if node is top:
                return n
        node = nxt
        n += 1


# the classes of a character: str.isspace(), a space that the counts leave out (body.count_nonspace),
# sentence punctuation (body.count_punct); one byte per character of the BMP, a list beyond it
cdef enum:
    ISSPACE = 1
    UNCOUNTED = 2
    PUNCT = 4

cdef uint8_t _bmp[65536]
cdef Py_UCS4 _astral[64]
cdef uint8_t _astral_class[64]
cdef Py_ssize_t _n_astral = 0
_classes_of = None  # the (spaces, punctuation) strings the tables were made from


cdef int _set_classes(str spaces, str punct) except -1:
    """The tables for the spaces and the punctuation the counts use (made again when they change)."""
    global _classes_of, _n_astral
    cdef Py_UCS4 ch
    cdef Py_ssize_t i
    if _classes_of is not None and _classes_of[0] == spaces and _classes_of[1] == punct:
        return 0
    for i in range(65536):
        _bmp[i] = ISSPACE if Py_UNICODE_ISSPACE(<Py_UCS4>i) else 0
    _n_astral = 0
    for chars, cls in ((spaces, UNCOUNTED), (punct, PUNCT)):
        for ch in chars:
            if ch < 65536:
                _bmp[ch] |= cls
                continue
            for i in range(_n_astral):
                if _astral[i] == ch:
                    _astral_class[i] |= cls
                    break
            else:
                if _n_astral == 64:
                    raise ValueError("more than 64 counted characters beyond the BMP")
                _astral[_n_astral], _astral_class[_n_astral] = ch, cls
                _n_astral += 1
    _classes_of = (spaces, punct)
    return 0


cdef inline uint8_t _class(Py_UCS4 ch) noexcept nogil:
    cdef Py_ssize_t i
    if ch < 65536:
        return _bmp[ch]
    for i in range(_n_astral):
        if _astral[i] == ch:
            return _astral_class[i]
    return 0


def count_text(str text):
    """(non-space characters, punctuation) of `text` as the walk counts a block's text: what
    body.count_nonspace and body.count_punct give (tests/test_walk_compiled.py checks it on
    every character)."""
    cdef Py_UCS4 ch
    cdef Py_ssize_t nonspace = 0, punct = 0
    cdef uint8_t cls
    for ch in text:
        cls = _class(ch)
        if not cls & UNCOUNTED:
            nonspace += 1
        if cls & PUNCT:
            punct += 1
    return nonspace, punct


def set_classes(str spaces, str punct):
    """The characters count_text (and the walk) leaves out as spaces and counts as punctuation
    (page.py passes body's, once)."""
    _set_classes(spaces, punct)


# one block of the page (the density heuristic's unit, body.Stats): its element and its nearest
# block ancestor's (positions in the walked elements; -1 none), the enclosing block, its first line,
# the non-space characters outside links and inside, the punctuation outside links
cdef struct Block:
    Py_ssize_t el
    Py_ssize_t parent_el
    Py_ssize_t parent
    Py_ssize_t first
    Py_ssize_t text
    Py_ssize_t link
    Py_ssize_t punct


cdef class _Walker:
    cdef list lines, buf, line_tags, elements, tags
    cdef list offset_at, start_at, end_at, close_at, after_at
    cdef object line_type, new_line, kinds
    cdef _Document doc
    cdef tree.xmlNode* root
    cdef Py_ssize_t n_in, n_out, n_lines, total, chars, depth_a, skipped, kept
    cdef Py_ssize_t max_lines, max_text, max_line_chars
    cdef Block* blocks            # every block, in document order
    cdef Py_ssize_t n_blocks, blocks_size, block  # block: the innermost one
    cdef Frame* frames            # the elements whose descendants are being read, innermost last
    cdef Py_ssize_t n_frames, frames_size
    cdef int kind                 # the kind of the element _tag read last
    cdef const unsigned char* t_ptr  # the run of text _read found
    cdef Py_ssize_t t_len
    cdef unsigned char* scratch
    cdef Py_ssize_t scratch_size
    cdef Py_UCS4* fold            # a line's text being folded
    cdef Py_ssize_t fold_size
    cdef TagSlot slots[TAG_SLOTS]

    def __cinit__(self):
        self.scratch = NULL
        self.frames = NULL
        self.blocks = NULL
        self.fold = NULL
        memset(self.slots, 0, sizeof(self.slots))

    def __dealloc__(self):
        free(self.scratch)
        free(self.frames)
        free(self.blocks)
        free(self.fold)

    cdef object _tag(self, tree.xmlNode* c):
        """The tag of an element as lxml names it ("{namespace}name" in a namespace); its kind in self.kind."""
        cdef size_t h = ((<size_t>c.name) >> 3) ^ ((<size_t>c.ns) >> 5)
        cdef Py_ssize_t probe, slot
        cdef int kind
        for probe in range(8):
            slot = (h + probe) & (TAG_SLOTS - 1)
            if self.slots[slot].tag is NULL:
                break
            if self.slots[slot].name == c.name and self.slots[slot].ns == c.ns:
                self.kind = self.slots[slot].kind
                return <object>self.slots[slot].tag
        else:
            slot = -1
        name = namespacedName(c)
        found = self.kinds.get(name)
        kind = 0
        if found is not None:
            skip, line, block, link = found
            kind = (SKIP if skip else 0) | (LINE if line else 0) | (BLOCK if block else 0) | (LINK if link else 0)
        if slot >= 0:
            self.tags.append(name)  # keeps the str alive for the table
            self.slots[slot].name, self.slots[slot].ns, self.slots[slot].kind = c.name, c.ns, kind
            self.slots[slot].tag = <PyObject*>name
        self.kind = kind
        return name

    cdef bint _read(self, tree.xmlNode* c) except -1:
        """Point t_ptr/t_len at the run of text that starts at `c` (joined when it spans several
        nodes); False when there is none or it is empty (lxml: None or '')."""
        cdef tree.xmlNode* cur
        cdef unsigned char* new
        cdef Py_ssize_t size, n
        c = _text_or_skip(c)
        if c is NULL:
            return False
        cur = _text_or_skip(c.next)
        if cur is NULL:  # one node: the common case
            if c.content is NULL:
                return False
            self.t_ptr = <const unsigned char*>c.content
            self.t_len = strlen(<const char*>c.content)
            return self.t_len > 0
        size = 0
        cur = c
        while cur is not NULL:
            if cur.content is not NULL:
                size += strlen(<const char*>cur.content)
            cur = _text_or_skip(cur.next)
        if size + 1 > self.scratch_size:
            new = <unsigned char*>realloc(self.scratch, size + 1)
            if new is NULL:
                raise MemoryError()
            self.scratch, self.scratch_size = new, size + 1
        size = 0
        cur = c
        while cur is not NULL:
            if cur.content is not NULL:
                n = strlen(<const char*>cur.content)
                memcpy(self.scratch + size, cur.content, n)
                size += n
            cur = _text_or_skip(cur.next)
        self.t_ptr, self.t_len = self.scratch, size
        return size > 0

    cdef int _run(self, tree.xmlNode* c) except -1:
        """One run of text (an element's text or tail, starting at node `c`), as the Python walk
        reads it: counted into the offsets, kept in the line and counted into the block unless it
        is whitespace (whitespace inside a line is kept in the line: it separates the runs around it)."""
        cdef const unsigned char* s
        cdef Py_ssize_t n, i, chars = 0, spaces = 0, nonspace = 0, punct = 0
        cdef bint space = True
        cdef unsigned char b
        cdef Py_UCS4 cp
        cdef uint8_t cls
        cdef Block* block
        if not self._read(c):
            return 0
        s, n = self.t_ptr, self.t_len
        i = 0
        while i < n:  # UTF-8 as libxml2 holds it (valid: the parser made it)
            b = s[i]
            if b < 0x80:
                cp = b
                i += 1
            elif b >= 0xF0 and i + 3 < n:
                cp = ((b & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F)
                i += 4
            elif b >= 0xE0 and i + 2 < n:
                cp = ((b & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F)
                i += 3
            elif i + 1 < n:
                cp = ((b & 0x1F) << 6) | (s[i + 1] & 0x3F)
                i += 2
            else:
                cp = 0xFFFD
                i += 1
            chars += 1
            if cp == 32:
                spaces += 1
            cls = _class(cp)
            if not cls & ISSPACE:
                space = False
            if not cls & UNCOUNTED:
                nonspace += 1
            if cls & PUNCT:
                punct += 1
        self.chars += chars - spaces
        if not space:
            text = PyUnicode_DecodeUTF8(<const char*>s, n, NULL)
            self.buf.append(text)
            block = &self.blocks[self.block]
            if self.depth_a:
                self.n_in += 1
                block.link += nonspace
            else:
                self.n_out += 1
                block.text += nonspace
                block.punct += punct
        elif self.buf:
            self.buf.append(PyUnicode_DecodeUTF8(<const char*>s, n, NULL))
        return 0

    cdef object _folded(self):
        """" ".join(" ".join(buf).split()): the line's runs with each stretch of whitespace (and each
        boundary between runs) made one space, none at either end."""
        cdef Py_ssize_t size = 0, n = 0, i, length
        cdef Py_UCS4* out
        cdef Py_UCS4 ch
        cdef int kind
        cdef void* data
        cdef bint gap = False
        for run in self.buf:
            size += PyUnicode_GET_LENGTH(run) + 1
        if size > self.fold_size:
            out = <Py_UCS4*>realloc(self.fold, size * sizeof(Py_UCS4))
            if out is NULL:
                raise MemoryError()
            self.fold, self.fold_size = out, size
        out = self.fold
        for run in self.buf:
            kind, data, length = PyUnicode_KIND(run), PyUnicode_DATA(run), PyUnicode_GET_LENGTH(run)
            gap = n > 0
            for i in range(length):
                ch = PyUnicode_READ(kind, data, i)
                if _class(ch) & ISSPACE:
                    gap = n > 0
                    continue
                if gap:
                    out[n] = 32
                    n += 1
                    gap = False
                out[n] = ch
                n += 1
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, n)

    cdef bint _flush(self, tag) except -1:
        """The current line ends (a Line of tag `tag`); True when the model is full."""
        cdef Py_ssize_t limit = self.max_line_chars
        buf = self.buf
        text = self._folded()
        if limit < 0:
            text = text[:limit]
        elif PyUnicode_GET_LENGTH(text) > limit:
            text = PyUnicode_Substring(text, 0, limit)
        # a Line as tuple.__new__(Line, ...) makes it: the tuple subtype allocated with its items
        line = _alloc(self.line_type, 5)
        _set_item(line, 0, text)
        _set_item(line, 1, tag)
        _set_item(line, 2, not self.n_out)
        _set_item(line, 3, self.n_in > 0)
        _set_item(line, 4, tuple(buf))
        self.lines.append(line)
        del buf[:]
        self.n_in = self.n_out = 0
        self.n_lines += 1
        self.total += PyUnicode_GET_LENGTH(text)
        return self.n_lines >= self.max_lines or self.total > self.max_text

    cdef int _open_block(self, Py_ssize_t at) except -1:
        """A block starts at the element at position `at`, inside the innermost one (-1: none)."""
        cdef Block* new
        if self.n_blocks == self.blocks_size:
            self.blocks_size = self.blocks_size * 2 if self.blocks_size else 256
            new = <Block*>realloc(self.blocks, self.blocks_size * sizeof(Block))
            if new is NULL:
                raise MemoryError()
            self.blocks = new
        new = &self.blocks[self.n_blocks]
        new.el, new.parent, new.first = at, self.block, self.n_lines
        new.parent_el = self.blocks[self.block].el if self.block >= 0 else -1
        new.text = new.link = new.punct = 0
        self.block = self.n_blocks
        self.n_blocks += 1
        return 0

    cdef int _push(self, tree.xmlNode* node, Py_ssize_t at, int kind) except -1:
        cdef Frame* new
        if self.n_frames == self.frames_size:
            self.frames_size = self.frames_size * 2 if self.frames_size else 64
            new = <Frame*>realloc(self.frames, self.frames_size * sizeof(Frame))
            if new is NULL:
                raise MemoryError()
            self.frames = new
        self.frames[self.n_frames].node = node
        self.frames[self.n_frames].at = at
        self.frames[self.n_frames].kind = kind
        self.n_frames += 1
        return 0

    cdef bint _start(self, tree.xmlNode* node) except -1:
        """An element starts; True when it has element children to walk (pushed), False when it
        ended here (its tail read). Raises _Full when the model is full."""
        cdef object tag = self._tag(node)
        cdef int kind = self.kind
        cdef Py_ssize_t at = self.kept
        cdef bint is_root = node is self.root
        self.kept += 1
        self.elements.append(elementFactory(self.doc, node))
        self.offset_at[at] = self.chars
        self.start_at[at] = self.n_lines
        if kind & SKIP:  # never read, nor its descendants
            self.skipped += _count_elements(node) - 1
            self.after_at[at], self.close_at[at], self.end_at[at] = at + 1, self.chars, self.n_lines
        else:
            if kind & LINE and self.buf:
                if self._flush(self.line_tags[len(self.line_tags) - 1]):
                    raise _Full()
            if kind & BLOCK and not is_root:
                self._open_block(at)
            if kind & LINK:
                self.depth_a += 1
            self._run(node.children)
            if _first_element(node) is not NULL:  # its descendants come next
                if kind & LINE:
                    self.line_tags.append(tag)
                self._push(node, at, kind)
                return True
            # no children: it ends here
            if kind & LINK:
                self.depth_a -= 1
            self.after_at[at], self.close_at[at] = at + 1, self.chars
            if kind & LINE and self.buf:
                if self._flush(tag):
                    raise _Full()
            if kind & BLOCK and not is_root:
                self.block = self.blocks[self.block].parent
            self.end_at[at] = self.n_lines + 1 if self.buf else self.n_lines
        if not is_root:
            self._run(node.next)
        return False

    cdef int _end(self) except -1:
        """The innermost open element ends (popped), its tail read. Raises _Full when the model is full."""
        self.n_frames -= 1
        cdef Frame frame = self.frames[self.n_frames]
        cdef bint is_root = frame.node is self.root
        self.after_at[frame.at], self.close_at[frame.at] = self.kept, self.chars
        if frame.kind & LINK:
            self.depth_a -= 1
        if frame.kind & LINE:
            if self.buf:
                if self._flush(self.line_tags[len(self.line_tags) - 1]):
                    raise _Full()
            self.line_tags.pop()
        if frame.kind & BLOCK and not is_root:
            self.block = self.blocks[self.block].parent
        self.end_at[frame.at] = self.n_lines + 1 if self.buf else self.n_lines
        if not is_root:
            self._run(frame.node.next)
        return 0

    cdef int walk(self) except -1:
        """Every element of the root's subtree in document order, until the model is full."""
        cdef tree.xmlNode* node = self.root
        cdef tree.xmlNode* nxt
        try:
            while True:
                if self._start(node):
                    node = _first_element(node)
                    continue
                while True:  # the next element: a sibling, or one of an ancestor once it ended
                    if node is self.root:
                        return 0
                    nxt = _next_element(node)
                    if nxt is not NULL:
                        node = nxt
                        break
                    node = self.frames[self.n_frames - 1].node
                    self._end()
        except _Full:
            return 0

    cdef dict stats(self, stats_type):
        """{block element: stats_type(text, link, punct, 0.0, parent element, first line)}"""
        cdef dict stats = {}
        cdef Block* block
        cdef Py_ssize_t i
        elements = self.elements
        for i in range(self.n_blocks):
            block = &self.blocks[i]
            parent = elements[block.parent_el] if block.parent_el >= 0 else None
            # the fields as its dataclass __init__ sets them, without a Python call per block
            one = _alloc(stats_type, 0)
            one.text, one.link, one.punct, one.score, one.parent, one.line = \
                block.text, block.link, block.punct, 0.0, parent, block.first
            stats[elements[block.el]] = one
        return stats


class _Full(Exception):
    """The model holds MAX_LINES lines or MAX_TEXT characters: the walk stops."""


def walk(root, dict kinds, line, new_line, stats_type, Py_ssize_t max_lines, Py_ssize_t max_text,
         Py_ssize_t max_line_chars):
    """The page model's parts for element `root` (see the module doc); None when `root` is not
    an element of a document (a comment, a processing instruction, not an lxml node)."""
    if not isinstance(root, _Element):
        return None
    cdef _Element el = <_Element>root
    if el._c_node is NULL or el._c_node.type != tree.XML_ELEMENT_NODE:
        return None
    if _classes_of is None:
        raise RuntimeError("set_classes() was not called: the blocks' counts have no characters")
    cdef _Walker w = _Walker()
    cdef Py_ssize_t n = _count_elements(el._c_node)
    w.doc, w.root = el._doc, el._c_node
    w.kinds, w.line_type, w.new_line = kinds, line, new_line
    w.max_lines, w.max_text, w.max_line_chars = max_lines, max_text, max_line_chars
    w.lines, w.buf, w.elements, w.tags = [], [], [], []
    w.offset_at, w.start_at = [0] * n, [0] * n
    w.end_at, w.close_at, w.after_at = [None] * n, [None] * n, [None] * n
    w.line_tags = ["body"]
    w.block = -1
    w._open_block(0)  # the root's: the walk's outermost block, whatever its tag
    w.walk()
    if w.buf:
        w._flush(w.line_tags[len(w.line_tags) - 1])
    if w.skipped:  # the lists hold the walked elements only (the Python walk renumbers them so)
        for values in (w.offset_at, w.start_at, w.end_at, w.close_at, w.after_at):
            del values[w.kept:]
    return {"lines": w.lines, "elements": w.elements, "offset_at": w.offset_at, "start_at": w.start_at,
            "end_at": w.end_at, "close_at": w.close_at, "after_at": w.after_at, "stats": w.stats(stats_type),
            "skipped": w.skipped}
