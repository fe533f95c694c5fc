# cython: language_level=3, boundscheck=False, initializedcheck=False
"""The page model's walk (aggregator.extract.page.walk_python) compiled: the same model, read
from libxml2's nodes directly.

    walk(root, kinds, containers, line, new_line, stats, max_lines, max_text, max_line_chars)
        -> {"lines", "elements", "offset_at", "start_at", "end_at", "close_at", "after_at", "stats",
            "skipped", "index"}: the PageModel's fields; None when `root` is not an element

page.py passes in what the Python walk reads from its modules (the tag kinds, the container
tags, Line, Stats, the MAX_* limits read at each call, and once the characters body's counts
read), so both walks share one definition of each. The walk makes Python objects only for the
lines (their text folded here, each Line allocated as tuple.__new__ allocates it) and the runs of
text a line keeps. The elements' nodes, kinds and positions and the blocks' counts go to a Model's
C arrays; elements, the *_at lists, order ("index") and stats are views over them (Elements,
Positions, Order, BlockStats) that make an element's proxy or a block's Stats when it is read.
BlockStats also runs body.py's loops over the blocks (score_blocks, the best container, the prose
blocks, a block's line ranges) on the arrays. Everything else (the tree's order, where each
element ends, the whitespace-only runs, the characters and punctuation counted) stays in C.

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
from cpython.pyport cimport PY_SSIZE_T_MAX
from cpython.ref cimport Py_INCREF
from cpython.tuple cimport PyTuple_Check, PyTuple_GET_ITEM, PyTuple_GET_SIZE, PyTuple_SET_ITEM
from cpython.unicode cimport Py_UNICODE_ISDECIMAL, Py_UNICODE_ISSPACE, PyUnicode_DecodeASCII, PyUnicode_DecodeUTF8
from libc.stdlib cimport free, malloc, realloc
from libc.stdint cimport uint8_t, uint16_t
from libc.string cimport memcpy, memset, strchr, strcmp, strlen
from lxml.includes cimport tree
from lxml.includes.etreepublic cimport _Document, _Element, elementFactory, import_lxml__etree, namespacedName

cdef extern from "Python.h":
    object PyUnicode_FromKindAndData(int kind, const void* buffer, Py_ssize_t size)
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)
    int PyUnicode_1BYTE_KIND
    int PyUnicode_2BYTE_KIND
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


cdef object _from_ucs4(const Py_UCS4* chars, Py_ssize_t n, Py_UCS4 widest):
    """The str of `n` characters whose widest is `widest` (the string PyUnicode_DecodeUTF8 makes of
    their UTF-8: the narrowest kind that holds them)."""
    cdef Py_ssize_t i
    cdef void* data
    cdef int kind
    text = PyUnicode_New(n, widest)
    data = PyUnicode_DATA(text)
    kind = PyUnicode_KIND(text)
    if kind == PyUnicode_1BYTE_KIND:
        for i in range(n):
            (<uint8_t*>data)[i] = <uint8_t>chars[i]
    elif kind == PyUnicode_2BYTE_KIND:
        for i in range(n):
            (<uint16_t*>data)[i] = <uint16_t>chars[i]
    else:
        memcpy(data, chars, n * sizeof(Py_UCS4))
    return text


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
    CONTAINER = 16  # a block that can be the body container (body.CONTAINER_TAGS)

# tag strings and kinds by (name, namespace) pointer: libxml2 interns a document's names, so one
# tag is one lookup in this table instead of a new str and a dict lookup per element
cdef enum:
    TAG_SLOTS = 1024


cdef struct TagSlot:
    const tree.xmlChar* name
    tree.xmlNs* ns
    int kind
    PyObject* tag
    unsigned long long gen  # the walk that filled it: a slot another walk filled is an empty one


# the walks' table, shared (a walk reads only the slots of its own generation: none needs clearing)
cdef TagSlot _tag_slots[TAG_SLOTS]
cdef unsigned long long _generation = 0


cdef inline unsigned long long _new_generation() noexcept:
    """A number no table user had before: the slots of the tables stamped with it are its own."""
    global _generation
    _generation += 1
    return _generation


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


cdef Py_ssize_t _descendants_upto(tree.xmlNode* top, Py_ssize_t most) noexcept nogil:
    """How many descendant elements `top` has, counted up to one more than `most`."""
    cdef Py_ssize_t n = 0
    cdef tree.xmlNode* node = top
    cdef tree.xmlNode* nxt
    while n <= most:
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
    return n


cdef Py_ssize_t _count_elements(tree.xmlNode* top) noexcept nogil:
    """Elements in the subtree of `top`, itself included."""
    return _descendants_upto(top, PY_SSIZE_T_MAX) + 1



def nodes_over(root, Py_ssize_t most):
    """True when root.iter() would yield more than `most` nodes: the element `root` and the
    elements, comments, processing instructions and entity references under it (what lxml's
    iterator visits: it steps into an element's children only), counted in C up to one more
    than `most`."""
    cdef tree.xmlNode* top = (<_Element?>root)._c_node
    cdef tree.xmlNode* node = top
    cdef Py_ssize_t n = 0
    if top is NULL:
        raise ValueError("an element without a node")
    while node is not NULL:
        if (node.type == tree.XML_ELEMENT_NODE or node.type == tree.XML_COMMENT_NODE
                or node.type == tree.XML_PI_NODE or node.type == tree.XML_ENTITY_REF_NODE):
            n += 1
            if n > most:
                return True
        node = _next_in_tree(node, top)
    return False


cdef inline tree.xmlNode* _next_in_tree(tree.xmlNode* node, tree.xmlNode* top) noexcept nogil:
    """The node after `node` in document order in the subtree of `top`, stepping into the
    children of elements only (the nodes lxml's iterator visits: an entity reference's children
    are its declaration's), NULL past the last."""
    if node.type == tree.XML_ELEMENT_NODE and node.children is not NULL:
        return node.children
    while node is not top and node.next is NULL:
        node = node.parent
    return NULL if node is top else node.next

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


cdef inline bint _ascii_whitespace(const unsigned char* s, Py_ssize_t n) noexcept nogil:
    """Every one of the `n` bytes at `s` is an ASCII character that is whitespace (str.isspace)."""
    cdef Py_ssize_t i
    for i in range(n):
        if s[i] >= 0x80 or not _bmp[s[i]] & ISSPACE:
            return False
    return True


cdef inline uint8_t _class(Py_UCS4 ch) noexcept nogil:
    cdef Py_ssize_t i
    if ch < 65536:
        return _bmp[ch]
    for i in range(_n_astral):
        if _astral[i] == ch:
            return _astral_class[i]
    return 0


cdef inline Py_UCS4 _decode_other(const unsigned char* s, Py_ssize_t n, Py_ssize_t* at,
                                  bint* valid) noexcept nogil:
    """The character of the UTF-8 sequence at s[*at] that is no ASCII nor a whole sequence of
    three bytes (*at moved past it; *valid set False when it is no strict UTF-8: U+FFFD for a
    lone byte at the end)."""
    cdef Py_ssize_t i = at[0]
    cdef unsigned char b = s[i]
    cdef Py_UCS4 cp
    if b >= 0xF0 and i + 3 < n:
        cp = ((b & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F)
        if (b > 0xF4 or (s[i + 1] & 0xC0) != 0x80 or (s[i + 2] & 0xC0) != 0x80 or (s[i + 3] & 0xC0) != 0x80
                or cp < 0x10000 or cp > 0x10FFFF):
            valid[0] = False
        i += 4
    elif b >= 0xE0 and i + 2 < n:
        cp = ((b & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F)
        if (b >= 0xF0 or (s[i + 1] & 0xC0) != 0x80 or (s[i + 2] & 0xC0) != 0x80 or cp < 0x800
                or 0xD800 <= cp <= 0xDFFF):
            valid[0] = False
        i += 3
    elif i + 1 < n:
        cp = ((b & 0x1F) << 6) | (s[i + 1] & 0x3F)
        if b < 0xC2 or b >= 0xE0 or (s[i + 1] & 0xC0) != 0x80:
            valid[0] = False
        i += 2
    else:
        cp = 0xFFFD
        valid[0] = False
        i += 1
    at[0] = i
    return cp


ctypedef fused Unit:  # a str's code units, as its kind stores them
    uint8_t
    uint16_t
    Py_UCS4


cdef inline Py_ssize_t _fold_units(const Unit* data, Py_ssize_t length, Py_UCS4* out, Py_ssize_t n,
                                   bint* gap, unsigned int* widest) noexcept nogil:
    """_fold_run of the `length` characters at `data`, none dropped; the bits of each character
    kept or'ed into *widest."""
    cdef Py_ssize_t i
    cdef bint pending = gap[0]
    cdef uint8_t cls
    cdef unsigned int bits = widest[0]
    for i in range(length):
        if Unit is Py_UCS4:
            cls = _class(data[i])
        else:
            cls = _bmp[data[i]]
        if cls & ISSPACE:
            pending = n > 0
            continue
        if pending:
            out[n] = 32
            n += 1
            pending = False
        out[n] = data[i]
        bits |= <unsigned int>data[i]
        n += 1
    gap[0] = pending
    widest[0] = bits
    return n


cdef inline Py_ssize_t _fold_str(object run, Py_UCS4* out, Py_ssize_t n, bint* gap, unsigned int* widest) noexcept:
    """_fold_run of str `run`, none dropped, read in its own width (*widest: as _fold_units)."""
    cdef int kind = PyUnicode_KIND(run)
    cdef void* data = PyUnicode_DATA(run)
    cdef Py_ssize_t length = PyUnicode_GET_LENGTH(run)
    if kind == PyUnicode_1BYTE_KIND:
        return _fold_units(<const uint8_t*>data, length, out, n, gap, widest)
    if kind == PyUnicode_2BYTE_KIND:
        return _fold_units(<const uint16_t*>data, length, out, n, gap, widest)
    return _fold_units(<const Py_UCS4*>data, length, out, n, gap, widest)


cdef inline Py_ssize_t _fold_run(object run, Py_UCS4* out, Py_ssize_t n, bint* gap,
                                 const Py_UCS4* dropped, Py_ssize_t n_dropped) noexcept:
    """Append the characters of str `run` to the `n` at `out` with each stretch of whitespace
    (str.isspace) made one space and none at the start; the characters in the ranges `dropped`
    ((first, last) pairs, n_dropped values) left out. *gap: whitespace is pending (a space goes
    before the next character kept); the new count is returned. The caller makes room for
    len(run) more characters and one space."""
    cdef Py_ssize_t i, j, length = PyUnicode_GET_LENGTH(run)
    cdef int kind = PyUnicode_KIND(run)
    cdef void* data = PyUnicode_DATA(run)
    cdef Py_UCS4 ch
    cdef bint drop, pending = gap[0]
    cdef unsigned int widest = 0
    if not n_dropped:
        return _fold_str(run, out, n, gap, &widest)
    for i in range(length):
        ch = PyUnicode_READ(kind, data, i)
        drop = False
        for j in range(0, n_dropped, 2):
            if dropped[j] <= ch <= dropped[j + 1]:
                drop = True
                break
        if drop:
            continue
        if _class(ch) & ISSPACE:
            pending = n > 0
            continue
        if pending:
            out[n] = 32
            n += 1
            pending = False
        out[n] = ch
        n += 1
    gap[0] = pending
    return n


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
    double score


cdef class _Walker:
    cdef list lines, buf, line_tags, tags
    cdef object line_type, new_line, kinds, containers
    cdef Model model              # what the walk fills: the elements' nodes, positions and kinds, the blocks
    cdef _Document doc
    cdef tree.xmlNode* root
    cdef Py_ssize_t n_in, n_out, n_lines, total, chars, depth_a, skipped, kept
    cdef Py_ssize_t max_lines, max_text, max_line_chars
    cdef Py_ssize_t blocks_size, block  # block: the innermost one (the blocks: in the model)
    cdef Frame* frames            # the elements whose descendants are being read, innermost last
    cdef Py_ssize_t n_frames, frames_size
    cdef int kind                 # the kind of the element _tag read last
    cdef bint first_folded        # the line's first run is its own fold (see _run)
    cdef const unsigned char* t_ptr  # the run of text _read found
    cdef Py_ssize_t t_len
    cdef unsigned char* scratch
    cdef Py_ssize_t scratch_size
    cdef Py_UCS4* fold            # a line's text being folded
    cdef Py_ssize_t fold_size
    cdef Py_UCS4* decoded         # a run of text's characters, decoded
    cdef Py_ssize_t decoded_size
    cdef unsigned long long gen   # its slots in _tag_slots

    def __cinit__(self):
        self.scratch = NULL
        self.frames = NULL
        self.fold = NULL
        self.decoded = NULL
        self.gen = _new_generation()

    def __dealloc__(self):
        free(self.scratch)
        free(self.frames)
        free(self.fold)
        free(self.decoded)

    cdef object _tag(self, tree.xmlNode* c):
        """The tag of an element as lxml names it ("{namespace}name" in a namespace); its kind in self.kind."""
        cdef size_t h = ((<size_t>c.name) >> 3) ^ ((<size_t>c.ns) >> 5)
        cdef Py_ssize_t probe, slot
        cdef int kind
        for probe in range(8):
            slot = (h + probe) & (TAG_SLOTS - 1)
            if _tag_slots[slot].gen != self.gen:
                break
            if _tag_slots[slot].name == c.name and _tag_slots[slot].ns == c.ns:
                self.kind = _tag_slots[slot].kind
                return <object>_tag_slots[slot].tag
        else:
            slot = -1
        name = namespacedName(c)
        found = self.kinds.get(name)
        kind = CONTAINER if name.lower() in self.containers else 0
        if found is not None:
            skip, line, block, link = found
            kind |= (SKIP if skip else 0) | (LINE if line else 0) | (BLOCK if block else 0) | (LINK if link else 0)
        if slot >= 0:
            self.tags.append(name)  # keeps the str alive for the table
            _tag_slots[slot].name, _tag_slots[slot].ns, _tag_slots[slot].kind = c.name, c.ns, kind
            _tag_slots[slot].tag, _tag_slots[slot].gen = <PyObject*>name, self.gen
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
        cdef bint space
        cdef unsigned char b, c1, c2
        cdef unsigned int u, bad = 0  # bad not zero: some three-byte sequence is no strict UTF-8
        cdef Py_UCS4 cp
        cdef uint8_t cls
        cdef Block* block
        cdef Py_UCS4* out
        cdef unsigned int widest = 0  # every character's bits or'ed
        cdef bint valid = True  # the bytes are UTF-8 that Python's strict decoder takes
        # whitespace characters, and ASCII spaces after one: the run is its own fold (" ".join(run.split())
        # is the run) when all its whitespace is single ASCII spaces between other characters
        cdef Py_ssize_t whitespace = 0, doubled = 0
        if not self._read(c):
            return 0
        s, n = self.t_ptr, self.t_len
        if _ascii_whitespace(s, n):
            return self._whitespace_run(s, n)
        if n > self.decoded_size:
            out = <Py_UCS4*>realloc(self.decoded, n * sizeof(Py_UCS4))
            if out is NULL:
                raise MemoryError()
            self.decoded, self.decoded_size = out, n
        out = self.decoded
        i = 0
        while i < n:  # UTF-8 as libxml2 holds it (valid: the parser made it; checked all the same)
            b = s[i]
            if b < 0x80:
                cp = b
                cls = _bmp[b]
                i += 1
            elif b < 0xF0 and b >= 0xE0 and i + 2 < n:  # the BMP beyond U+07FF (CJK): no branch to check it
                c1, c2 = s[i + 1], s[i + 2]
                u = ((b & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (c2 & 0x3F)
                bad |= ((<unsigned int>c1 << 8 | c2) & 0xC0C0) ^ 0x8080  # two continuation bytes
                if b == 0xE0 or b == 0xED:  # the lead bytes of the overlong forms and of the surrogates
                    bad |= u < 0x800 or u - 0xD800 < 0x800
                cp = u
                cls = _bmp[u]
                i += 3
            else:
                cp = _decode_other(s, n, &i, &valid)
                cls = _class(cp)
            out[chars] = cp
            chars += 1
            widest |= <unsigned int>cp  # (its highest bit is the widest's: enough for the kind of the str)
            if cls == 0:  # most characters: counted, neither whitespace nor punctuation
                nonspace += 1
                continue
            if cp == 32:
                spaces += 1
                if chars > 1 and out[chars - 2] == 32:
                    doubled += 1
            if cls & ISSPACE:
                whitespace += 1
            if not cls & UNCOUNTED:
                nonspace += 1
            if cls & PUNCT:
                punct += 1
        if bad:
            valid = False
        if widest > 0x10FFFF:  # or'ed characters beyond the BMP: the widest kind all the same
            widest = 0x10FFFF
        space = whitespace == chars
        self.chars += chars - spaces
        if not space:
            text = _from_ucs4(out, chars, widest) if valid else PyUnicode_DecodeUTF8(<const char*>s, n, NULL)
            if not self.buf:
                self.first_folded = (valid and whitespace == spaces and not doubled and out[0] != 32
                                     and out[chars - 1] != 32)
            self.buf.append(text)
            block = &self.model.blocks[self.block]
            if self.depth_a:
                self.n_in += 1
                block.link += nonspace
            else:
                self.n_out += 1
                block.text += nonspace
                block.punct += punct
        elif self.buf:
            self.buf.append(_from_ucs4(out, chars, widest) if valid else PyUnicode_DecodeUTF8(<const char*>s, n, NULL))
        return 0

    cdef int _whitespace_run(self, const unsigned char* s, Py_ssize_t n) except -1:
        """_run of a run whose `n` bytes are all ASCII whitespace: each byte one character, so the
        decoding loop would count n characters, the 0x20 among them as spaces, and keep the run (the
        same ASCII string) only inside a line, counting nothing into the block."""
        cdef Py_ssize_t i, spaces = 0
        for i in range(n):
            if s[i] == 32:
                spaces += 1
        self.chars += n - spaces
        if self.buf:
            self.buf.append(PyUnicode_DecodeASCII(<const char*>s, n, NULL))
        return 0

    cdef object _folded(self):
        """" ".join(" ".join(buf).split()): the line's runs with each stretch of whitespace (and each
        boundary between runs) made one space, none at either end."""
        cdef Py_ssize_t size = 0, n = 0
        cdef Py_UCS4* out
        cdef bint gap = False
        cdef unsigned int widest = 0  # the kept characters' bits or'ed (the highest: the widest's)
        if self.first_folded and len(self.buf) == 1:  # one run, its own fold
            return self.buf[0]
        for run in self.buf:
            size += PyUnicode_GET_LENGTH(run) + 1
        if size > self.fold_size:
            out = <Py_UCS4*>realloc(self.fold, size * sizeof(Py_UCS4))
            if out is NULL:
                raise MemoryError()
            self.fold, self.fold_size = out, size
        out = self.fold
        for run in self.buf:
            gap = n > 0  # the boundary between two runs is whitespace
            n = _fold_str(run, out, n, &gap, &widest)
        return _from_ucs4(out, n, widest if widest <= 0x10FFFF else 0x10FFFF)

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
        self.buf = []  # (a new list costs less than emptying this one)
        self.n_in = self.n_out = 0
        self.n_lines += 1
        self.total += PyUnicode_GET_LENGTH(text)
        return self.n_lines >= self.max_lines or self.total > self.max_text

    cdef int _open_block(self, Py_ssize_t at) except -1:
        """A block starts at the element at position `at`, inside the innermost one (-1: none)."""
        cdef Block* new
        cdef Model m = self.model
        if m.n_blocks == self.blocks_size:
            self.blocks_size = self.blocks_size * 2 if self.blocks_size else 256
            new = <Block*>realloc(m.blocks, self.blocks_size * sizeof(Block))
            if new is NULL:
                raise MemoryError()
            m.blocks = new
        new = &m.blocks[m.n_blocks]
        new.el, new.parent, new.first = at, self.block, self.n_lines
        new.parent_el = m.blocks[self.block].el if self.block >= 0 else -1
        new.text = new.link = new.punct = 0
        new.score = 0.0
        m.block_of[at] = m.n_blocks
        self.block = m.n_blocks
        m.n_blocks += 1
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
        cdef Model m = self.model
        self.kept += 1
        m.nodes[at], m.kinds[at] = node, kind
        m.offset_at[at] = self.chars
        m.start_at[at] = self.n_lines
        if kind & SKIP:  # never read, nor its descendants
            self.skipped += _count_elements(node) - 1
            m.after_at[at], m.close_at[at], m.end_at[at] = at + 1, self.chars, self.n_lines
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
            m.after_at[at], m.close_at[at] = at + 1, self.chars
            if kind & LINE and self.buf:
                if self._flush(tag):
                    raise _Full()
            if kind & BLOCK and not is_root:
                self.block = m.blocks[self.block].parent
            m.end_at[at] = self.n_lines + 1 if self.buf else self.n_lines
        if not is_root:
            self._run(node.next)
        return False

    cdef int _end(self) except -1:
        """The innermost open element ends (popped), its tail read. Raises _Full when the model is full."""
        self.n_frames -= 1
        cdef Frame frame = self.frames[self.n_frames]
        cdef bint is_root = frame.node is self.root
        cdef Model m = self.model
        m.after_at[frame.at], m.close_at[frame.at] = self.kept, self.chars
        if frame.kind & LINK:
            self.depth_a -= 1
        if frame.kind & LINE:
            if self.buf:
                if self._flush(self.line_tags[len(self.line_tags) - 1]):
                    raise _Full()
            self.line_tags.pop()
        if frame.kind & BLOCK and not is_root:
            self.block = m.blocks[self.block].parent
        m.end_at[frame.at] = self.n_lines + 1 if self.buf else self.n_lines
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


class _Full(Exception):
    """The model holds MAX_LINES lines or MAX_TEXT characters: the walk stops."""


def walk(root, dict kinds, containers, line, new_line, stats_type, Py_ssize_t max_lines, Py_ssize_t max_text,
         Py_ssize_t max_line_chars):
    """The page model's parts for element `root` (see the module doc); None when `root` is not
    an element of a document (a comment, a processing instruction, not an lxml node).
    `containers`: the tags of the blocks that can be the body container (Model.best_container)."""
    if not isinstance(root, _Element):
        return None
    cdef _Element el = <_Element>root
    if el._c_node is NULL or el._c_node.type != tree.XML_ELEMENT_NODE:
        return None
    if _classes_of is None:
        raise RuntimeError("set_classes() was not called: the blocks' counts have no characters")
    cdef _Walker w = _Walker()
    cdef Model m = Model.__new__(Model)
    m._size(_count_elements(el._c_node))
    m.doc, m.stats_type = el._doc, stats_type
    w.model = m
    w.doc, w.root = el._doc, el._c_node
    w.kinds, w.containers, w.line_type, w.new_line = kinds, containers, line, new_line
    w.max_lines, w.max_text, w.max_line_chars = max_lines, max_text, max_line_chars
    w.lines, w.buf, w.tags = [], [], []
    w.line_tags = ["body"]
    w.block = -1
    w._open_block(0)  # the root's: the walk's outermost block, whatever its tag
    w.walk()
    if w.buf:
        w._flush(w.line_tags[len(w.line_tags) - 1])
    m.kept, m.skipped = w.kept, w.skipped
    # the position lists hold the walked elements only when some were skipped (the Python walk
    # renumbers them so), else one entry per element of the subtree, those never reached included
    m.length = w.kept if w.skipped else m.n
    return {"lines": w.lines, "elements": Elements(m), "offset_at": Positions(m, 0), "start_at": Positions(m, 1),
            "end_at": Positions(m, 2), "close_at": Positions(m, 3), "after_at": Positions(m, 4),
            "stats": BlockStats(m), "skipped": w.skipped, "index": Order(m)}


# --- the model the walk leaves: C arrays over the document's nodes, Python objects on demand

cdef class Model:
    """The walked elements' nodes (the document held, so they stay alive while the tree is not
    changed), their positions (the *_at values; -1 for None), kinds and blocks. Proxies of the
    elements and the blocks' Stats are made when they are read (Elements, Order, BlockStats)."""
    cdef _Document doc
    cdef object stats_type
    cdef tree.xmlNode** nodes
    cdef uint8_t* kinds
    cdef Py_ssize_t* values       # offset_at, start_at, end_at, close_at, after_at: n each, in this order
    cdef Py_ssize_t* offset_at
    cdef Py_ssize_t* start_at
    cdef Py_ssize_t* end_at
    cdef Py_ssize_t* close_at
    cdef Py_ssize_t* after_at
    cdef Py_ssize_t* block_of     # an element's block (-1: it is none)
    cdef Block* blocks
    cdef Py_ssize_t n_blocks
    cdef Py_ssize_t n, kept, skipped, length  # elements in the subtree, walked, skipped; the lists' length
    cdef Py_ssize_t* slots        # node -> position, an open-addressing table made on first use
    cdef size_t mask

    def __cinit__(self):
        self.nodes, self.kinds, self.values, self.block_of, self.blocks, self.slots = NULL, NULL, NULL, NULL, NULL, NULL

    def __dealloc__(self):
        free(self.nodes)
        free(self.kinds)
        free(self.values)
        free(self.block_of)
        free(self.blocks)
        free(self.slots)

    cdef int _size(self, Py_ssize_t n) except -1:
        """Room for the `n` elements of the subtree: offsets and starts 0, the rest -1 until walked."""
        cdef Py_ssize_t i, k = n if n > 0 else 1
        self.n = n
        self.nodes = <tree.xmlNode**>malloc(k * sizeof(tree.xmlNode*))
        self.kinds = <uint8_t*>malloc(k)
        self.values = <Py_ssize_t*>malloc(5 * k * sizeof(Py_ssize_t))
        self.block_of = <Py_ssize_t*>malloc(k * sizeof(Py_ssize_t))
        if self.nodes is NULL or self.kinds is NULL or self.values is NULL or self.block_of is NULL:
            raise MemoryError()
        self.offset_at, self.start_at, self.end_at = self.values, self.values + k, self.values + 2 * k
        self.close_at, self.after_at = self.values + 3 * k, self.values + 4 * k
        memset(self.values, 0, 2 * k * sizeof(Py_ssize_t))
        for i in range(2 * k, 5 * k):
            self.values[i] = -1
        for i in range(k):
            self.block_of[i] = -1
        return 0

    cdef inline object proxy(self, Py_ssize_t at):
        """The element at position `at` (its lxml proxy: the live one, or a new one)."""
        return elementFactory(self.doc, self.nodes[at])

    cdef int _index(self) except -1:
        """The table from node to position (twice as many slots as elements, a power of two)."""
        cdef size_t size = 16, slot
        cdef Py_ssize_t at
        while size < <size_t>(2 * self.kept):
            size *= 2
        self.slots = <Py_ssize_t*>malloc(size * sizeof(Py_ssize_t))
        if self.slots is NULL:
            raise MemoryError()
        for slot in range(size):
            self.slots[slot] = -1
        self.mask = size - 1
        for at in range(self.kept):
            slot = _node_hash(self.nodes[at]) & self.mask
            while self.slots[slot] >= 0:
                slot = (slot + 1) & self.mask
            self.slots[slot] = at
        return 0

    cdef Py_ssize_t position(self, el) except -2:
        """The position of element `el` among the walked ones; -1 when it is none of them."""
        cdef tree.xmlNode* node
        cdef size_t slot
        cdef Py_ssize_t at
        if not isinstance(el, _Element):
            return -1
        node = (<_Element>el)._c_node
        if node is NULL:
            return -1
        if self.slots is NULL:
            self._index()
        slot = _node_hash(node) & self.mask
        while True:
            at = self.slots[slot]
            if at < 0:
                return -1
            if self.nodes[at] is node:
                return at
            slot = (slot + 1) & self.mask

    cdef object stats_of(self, Py_ssize_t b):
        """A Stats of block `b` as its values stand (a copy: changing it changes nothing here)."""
        cdef Block* block = &self.blocks[b]
        one = _alloc(self.stats_type, 0)  # the fields as its dataclass __init__ sets them, without a Python call
        one.text, one.link, one.punct, one.score, one.line = block.text, block.link, block.punct, block.score, block.first
        one.parent = self.proxy(block.parent_el) if block.parent_el >= 0 else None
        return one


cdef inline bint _declares_attributes(tree.xmlDtd* dtd) noexcept nogil:
    return dtd is not NULL and dtd.attributes is not NULL


cdef inline bint _attributes_declared(tree.xmlNode* node) noexcept nogil:
    """The element's document has a DTD that declares attributes (whose defaults get() reads)."""
    return node.doc is not NULL and (_declares_attributes(node.doc.intSubset)
                                     or _declares_attributes(node.doc.extSubset))


cdef bint _has_class_or_id(tree.xmlNode* node) noexcept nogil:
    """The element may have a class or an id attribute as el.get() reads one (no namespace; maybe
    empty): one of its attributes is named so, or its document's DTD declares attributes (whose
    defaults get() reads too). False only when get() finds neither."""
    cdef tree.xmlAttr* attr = node.properties
    while attr is not NULL:
        if attr.ns is NULL and (strcmp(<const char*>attr.name, "class") == 0
                                or strcmp(<const char*>attr.name, "id") == 0):
            return True
        attr = attr.next
    return _attributes_declared(node)


cdef int _plain_attr(tree.xmlNode* node, const char* name, const char** value) noexcept nogil:
    """*value: el.get(name) of an element as _attr_value reads it, NULL when it has none; -1
    where lxml must read it (a value of several nodes, or one that is not UTF-8)."""
    cdef tree.xmlAttr* attr = node.properties
    value[0] = NULL
    while attr is not NULL:  # the first attribute so named in no namespace
        if attr.type == tree.XML_ATTRIBUTE_NODE and attr.ns is NULL and strcmp(<const char*>attr.name, name) == 0:
            if _attr_value(attr, value) < 0 or _utf8_nonspace(<const unsigned char*>value[0], 0, PY_SSIZE_T_MAX) < 0:
                return -1
            return 0
        attr = attr.next
    return 0


cdef int _class_is(tree.xmlNode* node, const char* cls) noexcept nogil:
    """1 when el.get("class") of the element is the UTF-8 `cls`, 0 when it is not (or it has
    none); -1 when lxml must read it: a value of several nodes, or one that is not UTF-8 (get()
    raises), where the document's DTD declares no attributes (the caller checks)."""
    cdef const char* value
    if _plain_attr(node, "class", &value) < 0:
        return -1
    return value is not NULL and strcmp(value, cls) == 0


cdef object _class_id_chrome(Model m, Py_ssize_t j, chrome_attrs, chrome):
    """body._chrome_by_attrs(element j): chrome_attrs(f"{class or ''} {id or ''}") when its class
    or id is not empty, else False; the attributes read in C, or chrome(its proxy) where lxml
    must read them (a DTD declaring attributes, a value _plain_attr leaves to lxml)."""
    cdef tree.xmlNode* node = m.nodes[j]
    cdef const char* cls
    cdef const char* id_
    if (_attributes_declared(node) or _plain_attr(node, "class", &cls) < 0
            or _plain_attr(node, "id", &id_) < 0):
        return chrome(m.proxy(j))
    if (cls is NULL or cls[0] == 0) and (id_ is NULL or id_[0] == 0):
        return False
    return chrome_attrs((_utf8_str(cls) if cls is not NULL else "") + " " + (_utf8_str(id_) if id_ is not NULL else ""))


cdef object _fold_joined(tuple runs):
    """" ".join("".join(runs).split()): the runs joined as they stand, each stretch of whitespace
    made one space, none at either end."""
    cdef Py_ssize_t size = 1, n = 0
    cdef Py_UCS4* out
    cdef bint gap = False
    for run in runs:
        size += PyUnicode_GET_LENGTH(run)
    out = <Py_UCS4*>malloc(size * sizeof(Py_UCS4))
    if out is NULL:
        raise MemoryError()
    try:
        for run in runs:  # whitespace pending at a run's end carries over to the next
            n = _fold_run(run, out, n, &gap, NULL, 0)
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, n)
    finally:
        free(out)


cdef inline size_t _node_hash(tree.xmlNode* node) noexcept nogil:
    return ((<size_t>node) >> 4) * <size_t>0x9E3779B97F4A7C15


def _eq_sequence(self, other):
    try:
        return len(self) == len(other) and list(self) == list(other)
    except TypeError:
        return NotImplemented


cdef class Elements:
    """PageModel.elements: the walked elements in document order, as a read-only sequence."""
    cdef Model m

    def __cinit__(self, Model m):
        self.m = m

    def __len__(self):
        return self.m.kept

    def __getitem__(self, index):
        cdef Py_ssize_t i
        if isinstance(index, slice):
            return [self.m.proxy(i) for i in range(*index.indices(self.m.kept))]
        i = index
        if i < 0:
            i += self.m.kept
        if not 0 <= i < self.m.kept:
            raise IndexError("element index out of range")
        return self.m.proxy(i)

    def __iter__(self):
        cdef Py_ssize_t i
        for i in range(self.m.kept):
            yield self.m.proxy(i)

    def __eq__(self, other):
        return _eq_sequence(self, other)

    def __repr__(self):
        return f"Elements({list(self)!r})"


cdef class Positions:
    """One of PageModel's *_at lists (offset_at, start_at, end_at, close_at, after_at): a
    read-only sequence of ints, None where the walk gave no value."""
    cdef Model m
    cdef Py_ssize_t* values

    def __cinit__(self, Model m, int which):
        self.m = m
        self.values = m.values + which * (m.n if m.n > 0 else 1)

    def __len__(self):
        return self.m.length

    cdef object _at(self, Py_ssize_t i):
        cdef Py_ssize_t v = self.values[i]
        return None if v < 0 else v

    def __getitem__(self, index):
        cdef Py_ssize_t i
        if isinstance(index, slice):
            return [self._at(i) for i in range(*index.indices(self.m.length))]
        i = index
        if i < 0:
            i += self.m.length
        if not 0 <= i < self.m.length:
            raise IndexError("position index out of range")
        return self._at(i)

    def __iter__(self):
        cdef Py_ssize_t i
        for i in range(self.m.length):
            yield self._at(i)

    def __eq__(self, other):
        return _eq_sequence(self, other)

    def __repr__(self):
        return f"Positions({list(self)!r})"


_MISSING = object()


cdef class Order:
    """PageModel.order: {element: its position in document order}, read-only, looked up by the
    element's node."""
    cdef Model m

    def __cinit__(self, Model m):
        self.m = m

    def __len__(self):
        return self.m.kept

    def __getitem__(self, el):
        cdef Py_ssize_t at = self.m.position(el)
        if at < 0:
            raise KeyError(el)
        return at

    def get(self, el, default=None):
        cdef Py_ssize_t at = self.m.position(el)
        return default if at < 0 else at

    def __contains__(self, el):
        return self.m.position(el) >= 0

    def __iter__(self):
        return iter(Elements(self.m))

    def keys(self):
        return list(Elements(self.m))

    def values(self):
        return list(range(self.m.kept))

    def items(self):
        return list(zip(Elements(self.m), range(self.m.kept)))

    def __eq__(self, other):
        try:
            return dict(self.items()) == dict(other.items())
        except (TypeError, AttributeError):
            return NotImplemented


cdef class BlockStats:
    """PageModel.stats: {block element: body.Stats}, read-only, each Stats made when it is read
    (a copy of the block's counts as they stand). score_blocks() scores the blocks in place as
    body.score_blocks scores a dict of them; best_container, prose_blocks and line_ranges are
    body.find_body's and body._model_lines' loops over the blocks, read from the arrays."""
    cdef Model m

    def __cinit__(self, Model m):
        self.m = m

    def __len__(self):
        return self.m.n_blocks

    cdef Py_ssize_t _block(self, el) except -2:
        cdef Py_ssize_t at = self.m.position(el)
        return -1 if at < 0 else self.m.block_of[at]

    def __getitem__(self, el):
        cdef Py_ssize_t b = self._block(el)
        if b < 0:
            raise KeyError(el)
        return self.m.stats_of(b)

    def get(self, el, default=None):
        cdef Py_ssize_t b = self._block(el)
        return default if b < 0 else self.m.stats_of(b)

    def __contains__(self, el):
        return self._block(el) >= 0

    def __iter__(self):
        cdef Py_ssize_t b
        for b in range(self.m.n_blocks):
            yield self.m.proxy(self.m.blocks[b].el)

    def keys(self):
        return list(self)

    def values(self):
        cdef Py_ssize_t b
        return [self.m.stats_of(b) for b in range(self.m.n_blocks)]

    def items(self):
        cdef Py_ssize_t b
        return [(self.m.proxy(self.m.blocks[b].el), self.m.stats_of(b)) for b in range(self.m.n_blocks)]

    def __eq__(self, other):
        try:
            return dict(self.items()) == dict(other.items())
        except (TypeError, AttributeError):
            return NotImplemented

    def score_blocks(self):
        """body.score_blocks over the blocks: each text block's score handed to itself and its
        container whole, half to the next container up, a quarter to the one above that; then
        the counts folded into subtree totals. The same arithmetic in the same order (doubles,
        as Python's floats), so the same scores to the last bit."""
        cdef Block* blocks = self.m.blocks
        cdef Block* s
        cdef Block* up
        cdef Py_ssize_t b, n, c
        cdef double score, share
        for b in range(self.m.n_blocks):
            s = &blocks[b]
            n, c = s.text, s.punct
            if n < 10 and not c:
                continue
            share = <double>n / 40
            score = ((1 + c) + (share if share <= 5 else 5.0)) * (<double>n / <double>(n + s.link))
            s.score += score
            if s.parent < 0:
                continue
            up = &blocks[s.parent]
            up.score += score
            if up.parent < 0:
                continue
            up = &blocks[up.parent]
            up.score += score * 0.5
            if up.parent < 0:
                continue
            blocks[up.parent].score += score * 0.25
        for b in range(self.m.n_blocks - 1, -1, -1):
            s = &blocks[b]
            if s.parent >= 0:
                up = &blocks[s.parent]
                up.text += s.text
                up.link += s.link
                up.punct += s.punct
        return self

    def best_container(self, weight, double max_weight):
        """(element, value) of the block find_body's density heuristic picks, (None, 0.0) when
        none: the highest score times its text density times weight(element), among the blocks
        whose tag can be a container; weight (no more than max_weight) is read only for blocks it
        could lift past the best so far."""
        cdef Block* s
        cdef Py_ssize_t b, best = -1
        cdef double best_score = 0.0, density, unweighted, value
        for b in range(self.m.n_blocks):
            s = &self.m.blocks[b]
            if s.score <= 0:
                continue
            density = <double>s.text / <double>(s.text + s.link) if s.text + s.link else 0.0
            unweighted = s.score * density
            if unweighted * max_weight <= best_score or not self.m.kinds[s.el] & CONTAINER:
                continue
            value = unweighted * <double>weight(self.m.proxy(s.el))
            if value > best_score:
                best, best_score = b, value
        return (self.m.proxy(self.m.blocks[best].el) if best >= 0 else None), best_score

    def prose_blocks(self, Py_ssize_t min_text, Py_ssize_t min_punct, double share):
        """The block elements, in document order, with at least min_text characters outside
        links, min_punct punctuation, and text at least `share` of text and links."""
        cdef Block* s
        cdef Py_ssize_t b
        out = []
        for b in range(self.m.n_blocks):
            s = &self.m.blocks[b]
            if s.text >= min_text and s.punct >= min_punct and s.text >= share * (s.text + s.link):
                out.append(self.m.proxy(s.el))
        return out

    def prose_blocks_of(self, Py_ssize_t min_text, Py_ssize_t min_punct, double share, str tag, str cls):
        """prose_blocks(min_text, min_punct, share) of tag `tag` (a name without a namespace)
        whose class (x.get("class")) is `cls`, in document order, the others' attributes read in
        C without a proxy; None where lxml must read them (see _class_is)."""
        cdef Block* s
        cdef Py_ssize_t b
        cdef tree.xmlNode* node
        cdef bytes c_tag = tag.encode("utf-8")
        cdef bytes c_cls = cls.encode("utf-8")
        cdef int same
        if "{" in tag or self.m.kept == 0 or _attributes_declared(self.m.nodes[0]):
            return None
        out = []
        for b in range(self.m.n_blocks):
            s = &self.m.blocks[b]
            if s.text >= min_text and s.punct >= min_punct and s.text >= share * (s.text + s.link):
                node = self.m.nodes[s.el]
                same = _class_is(node, c_cls)
                if same < 0 or node.ns is not NULL:
                    return None
                if same and strcmp(<const char*>node.name, <const char*>c_tag) == 0:
                    out.append(self.m.proxy(s.el))
        return out

    def prose_blocks_at(self, Py_ssize_t lo, Py_ssize_t hi, Py_ssize_t min_text, Py_ssize_t min_punct,
                        double share):
        """prose_blocks(min_text, min_punct, share) among the elements at positions lo to hi - 1."""
        cdef Block* s
        cdef Py_ssize_t j, b
        out = []
        for j in range(max(lo, 0), min(hi, self.m.kept)):
            b = self.m.block_of[j]
            if b >= 0:
                s = &self.m.blocks[b]
                if s.text >= min_text and s.punct >= min_punct and s.text >= share * (s.text + s.link):
                    out.append(self.m.proxy(j))
        return out

    def line_texts(self, list lines, ranges, Py_ssize_t max_line_chars):
        """body._model_lines' text of the model's lines in `ranges` ([(first, past)]): a line of one
        run of text is its text as the model holds it (unless cut short at max_line_chars), any
        other its runs joined as they stand with whitespace folded."""
        cdef Py_ssize_t a, b, i, count = len(lines)
        cdef tuple line, runs
        out = []
        for a, b in ranges:
            for i in range(max(a, 0), min(b, count)):
                line = <tuple>lines[i]
                text, runs = line[0], <tuple>line[4]
                if len(runs) == 1 and PyUnicode_GET_LENGTH(text) < max_line_chars:
                    out.append(text)
                else:
                    out.append(_fold_joined(runs))
        return out

    def holds_named(self, node, frozenset names):
        """holds_named(node, names) (this module's), for body.py, which reads the walk through its stats."""
        return holds_named(node, names)

    def line_ranges(self, node, chrome, chrome_attrs=None):
        """[(first, past)] of the model's lines inside block `node` but those of the blocks
        inside it that are chrome (body._chrome): more than 10 characters of links and twice
        its text in links, or chrome(element) true (what its class and id say, asked only of
        a block with a class or id attribute); None when `node` is not a block the walk ended.
        With `chrome_attrs`, chrome(element) is read as body._chrome_by_attrs reads it, the
        attributes in C without a proxy (_class_id_chrome)."""
        cdef Model m = self.m
        cdef Py_ssize_t at = m.position(node), b, j, past, first, end
        cdef Block* inner
        if at < 0 or m.block_of[at] < 0 or m.end_at[at] < 0:
            return None
        end, first = m.end_at[at], m.blocks[m.block_of[at]].first
        out = []
        j, past = at + 1, m.after_at[at]
        while j < past:
            b = m.block_of[j]
            if b >= 0:
                inner = &m.blocks[b]
                if ((inner.link > 10 and inner.link > 2 * inner.text)
                        or (_has_class_or_id(m.nodes[j]) and (
                            chrome(m.proxy(j)) if chrome_attrs is None
                            else _class_id_chrome(m, j, chrome_attrs, chrome)))):
                    out.append((first, inner.first))
                    first = m.end_at[j]
                    j = m.after_at[j]
                    continue
            j += 1
        out.append((first, end))
        return out


# --- the headline finder's scan of the elements around the body start (title._candidates)

cdef struct TextBuf:
    char* data
    Py_ssize_t size, used


cdef int _cat(TextBuf* buf, const char* text) except -1:
    cdef Py_ssize_t n = strlen(text)
    cdef char* new
    if buf.used + n + 1 > buf.size:
        buf.size = 2 * (buf.used + n + 1)
        new = <char*>realloc(buf.data, buf.size)
        if new is NULL:
            raise MemoryError()
        buf.data = new
    memcpy(buf.data + buf.used, text, n)
    buf.used += n
    return 0


cdef inline tree.xmlNode* _next_under(tree.xmlNode* node, tree.xmlNode* top) noexcept nogil:
    """The node after `node` in document order among the nodes under `top` (its children first,
    but not an entity declaration's), NULL past the last: the order the text of a subtree is
    read in (_subtree_text)."""
    if node.children is not NULL and node.type != tree.XML_ENTITY_DECL:
        return node.children
    while node.next is NULL:
        node = node.parent
        if node is top or node is NULL:
            return NULL
    return node.next


cdef int _subtree_text(tree.xmlNode* top, TextBuf* buf) except -2:
    """The UTF-8 of the text and CDATA nodes under `top` in document order, into `buf` (what
    tostring(method="text") serialises: libxml2's xmlNodeBufGetContent; for an element without
    children, its .text); 1 when the subtree holds an entity reference, whose content is
    resolved elsewhere (the caller reads that text in Python), else 0."""
    cdef tree.xmlNode* node = top.children
    buf.used = 0
    while node is not NULL:
        if node.type == tree.XML_TEXT_NODE or node.type == tree.XML_CDATA_SECTION_NODE:
            if node.content is not NULL:
                _cat(buf, <const char*>node.content)
        elif node.type == tree.XML_ENTITY_REF_NODE:
            return 1
        node = _next_under(node, top)
    return 0


cdef object _fold_dropping(str text, const Py_UCS4* dropped, Py_ssize_t n_dropped):
    """" ".join(text.split()) of `text` without the characters in the ranges `dropped` (pairs of
    first and last character): title.fold()."""
    cdef Py_ssize_t n
    cdef bint gap = False
    cdef Py_UCS4* out = <Py_UCS4*>malloc((PyUnicode_GET_LENGTH(text) + 1) * sizeof(Py_UCS4))
    if out is NULL:
        raise MemoryError()
    try:
        n = _fold_run(text, out, 0, &gap, dropped, n_dropped)
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, n)
    finally:
        free(out)


cdef int _run_has_text(tree.xmlNode* c) noexcept nogil:
    """Whether the run of text that starts at node `c` (an element's .text or .tail as lxml
    reads it) holds a character that is not whitespace (str.strip() leaves some): 1 yes, 0 no,
    -1 where Python must tell (UTF-8 that does not decode)."""
    cdef Py_ssize_t count
    c = _text_or_skip(c)
    while c is not NULL:
        if c.content is not NULL:
            count = _utf8_nonspace(<const unsigned char*>c.content, 0, 0)
            if count != 0:
                return 1 if count > 0 else -1
        c = _text_or_skip(c.next)
    return 0


cdef inline bint _is_lxml_child(tree.xmlNode* c) noexcept nogil:
    """A node lxml counts among an element's children (len(el), el[0]): an element, a comment,
    a processing instruction, an entity reference."""
    return (c.type == tree.XML_ELEMENT_NODE or c.type == tree.XML_COMMENT_NODE or c.type == tree.XML_PI_NODE
            or c.type == tree.XML_ENTITY_REF_NODE)


cdef object _badge_child(tree.xmlNode* node):
    """title._badge_child(el) is not None for the element `node`: its first child is an element,
    no text of its own stands before it and text follows it. True, False, or None where
    Python must tell (UTF-8 that does not decode)."""
    cdef tree.xmlNode* first = node.children
    cdef int text, tail
    while first is not NULL and not _is_lxml_child(first):
        first = first.next
    if first is NULL:
        return False
    text = _run_has_text(node.children)
    if text == 1 or first.type != tree.XML_ELEMENT_NODE:
        return False
    tail = _run_has_text(first.next)
    if text < 0 or tail < 0:
        return None
    return tail == 1


cdef bint _simple_text(str text, str not_first, str not_last, str not_in) except -1:
    """title._simple(text): a text whose first character is none of `not_first`, no decimal
    digit and no whitespace, whose last is none of `not_last`, holding none of `not_in`."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    cdef Py_UCS4 ch
    if n == 0:
        return False
    ch = text[0]
    if ch in not_first or Py_UNICODE_ISDECIMAL(ch) or Py_UNICODE_ISSPACE(ch) or text[n - 1] in not_last:
        return False
    for ch in text:
        if ch in not_in:
            return False
    return True


cdef inline int _strength_attr(const char* name) noexcept nogil:
    """Where title._named_strength takes the attribute `name`: 0 class, 1 id, 2 size, 3 style, -1 nowhere."""
    if strcmp(name, "class") == 0:
        return 0
    if strcmp(name, "id") == 0:
        return 1
    if strcmp(name, "size") == 0:
        return 2
    if strcmp(name, "style") == 0:
        return 3
    return -1


cdef int _strength_attributes(tree.xmlNode* node, const char** values) noexcept nogil:
    """values[0..3]: the class, id, size and style of an element whose attributes are plain (each
    without a namespace, its value one text node, no name twice: what HTML parsing makes) and
    UTF-8 as Python's strict decoder reads it ("" for one it lacks). 1 when one of the four is
    not empty, 0 when none is (its strength is its tag's alone), -1 for other attributes (read
    through lxml)."""
    cdef tree.xmlAttr* attr = node.properties
    cdef tree.xmlAttr* other
    cdef const char* value
    cdef int k, found = 0
    for k in range(4):
        values[k] = ""
    while attr is not NULL:
        if (attr.type != tree.XML_ATTRIBUTE_NODE or attr.ns is not NULL or attr.children is NULL
                or attr.children.type != tree.XML_TEXT_NODE or attr.children.next is not NULL
                or attr.children.content is NULL):
            return -1
        other = node.properties
        while other is not attr:
            if strcmp(<const char*>other.name, <const char*>attr.name) == 0:
                return -1
            other = other.next
        value = <const char*>attr.children.content
        # lxml decodes every name and value of el.items(): one it cannot is read through lxml
        if (_utf8_nonspace(<const unsigned char*>attr.name, 0, PY_SSIZE_T_MAX) < 0
                or _utf8_nonspace(<const unsigned char*>value, 0, PY_SSIZE_T_MAX) < 0):
            return -1
        k = _strength_attr(<const char*>attr.name)
        if k >= 0:
            values[k] = value
            if value[0] != 0:
                found = 1
        attr = attr.next
    return found


cdef inline object _utf8_str(const char* value):
    return PyUnicode_DecodeUTF8(value, strlen(value), NULL)


cdef struct TagSeen:
    const tree.xmlChar* name
    tree.xmlNs* ns
    Py_ssize_t index  # what the call that filled it keeps for the name
    unsigned long long gen  # that call: a slot another call filled is an empty one


# the scans' table of names, shared (a call reads only the slots of its own generation: none needs clearing)
cdef TagSeen _seen[TAG_SLOTS]


cdef inline bint _name_among(tree.xmlNode* node, frozenset names, TagSeen* seen, unsigned long long gen):
    """Whether the element's name (its UTF-8) is one of `names`: looked up once per name per call
    (`gen`), the answer kept in a slot of the shared table (its index: 1 among them, 0 not)."""
    cdef size_t h = (<size_t>node.name) >> 3
    cdef Py_ssize_t probe, slot
    cdef bint match
    for probe in range(8):
        slot = (h + probe) & (TAG_SLOTS - 1)
        if seen[slot].gen != gen:
            match = <bytes><const char*>node.name in names
            seen[slot].name, seen[slot].index, seen[slot].gen = node.name, match, gen
            return match
        if seen[slot].name == node.name:
            return seen[slot].index
    return <bytes><const char*>node.name in names


def headline_candidates(elements, Py_ssize_t lo, Py_ssize_t hi, Py_ssize_t max_descendants, bint counted,
                        excluded, dict headings, dict bare, named_strength, strength, dropped,
                        str not_first, str not_last, str not_in, texts):
    """([(position, element, strength, badge, simple)], how many of them Python must complete) of
    the elements at positions lo..hi-1 of a compiled model that title._candidates goes on to
    judge, in document order, their texts put in `texts` ({element: text}); None when
    `elements` is not a compiled model's (the caller scans in Python).

    Left out: an element with more than `max_descendants` descendant elements (read from the
    model's positions when `counted`: the walk left none out, else counted in the tree), one
    whose tag is in `excluded`, one of strength 0, one whose text has fewer than 2 characters
    (no headline). The strength (title._strength): headings[tag], else bare.get(tag, 0) for an
    element without a class, id, size or style that is not empty, else named_strength(tag,
    class, id, size, style) ("" for one it lacks), or strength(element, tag) where lxml must read
    the attributes (they are not plain: _strength_attributes). The text: title.fold() of
    what title._text reads (the text of the element and its descendants), `dropped` the ranges
    of characters fold() drops ((first, last) pairs); None where Python must read it (an entity
    reference, UTF-8 that does not decode: the element is not put in `texts`, and Python must
    also tell whether it is kept). The badge: title._badge_child(element) is not None
    (_badge_child here; None where Python must tell). Simple: title._simple(text), told by
    _simple_text with title's sets of characters (None where the text is None). Each tag is
    looked up once per call, and an element gets its proxy only when it is kept."""
    if not isinstance(elements, Elements):
        return None
    cdef Model m = (<Elements>elements).m
    cdef Py_ssize_t pos, after, n_dropped = 2 * len(dropped), i = 0, slot, probe
    cdef size_t h
    cdef tree.xmlNode* node
    cdef TextBuf buf
    cdef TagSeen* seen = _seen
    cdef unsigned long long gen = _new_generation()
    cdef tuple info
    cdef list infos = []
    cdef Py_ssize_t pending = 0
    cdef const char* values[4]
    cdef int plain
    cdef Py_UCS4* ranges = <Py_UCS4*>malloc((n_dropped if n_dropped else 1) * sizeof(Py_UCS4))
    if ranges is NULL:
        raise MemoryError()
    buf.data, buf.size, buf.used = NULL, 0, 0
    out = []
    try:
        for first, last in dropped:
            ranges[i], ranges[i + 1] = ord(first), ord(last)
            i += 2
        for pos in range(max(lo, 0), min(hi, m.kept)):
            node = m.nodes[pos]
            after = m.after_at[pos]
            if counted and after >= 0:
                if after - pos - 1 > max_descendants:
                    continue
            elif _descendants_upto(node, max_descendants) > max_descendants:
                continue
            info = None
            h = ((<size_t>node.name) >> 3) ^ ((<size_t>node.ns) >> 5)
            for probe in range(8):
                slot = (h + probe) & (TAG_SLOTS - 1)
                if seen[slot].gen != gen:
                    break
                if seen[slot].name == node.name and seen[slot].ns == node.ns:
                    info = <tuple>infos[seen[slot].index]
                    break
            else:
                slot = -1
            if info is None:
                tag = namespacedName(node)
                info = (tag, tag in excluded, headings.get(tag), bare.get(tag, 0))
                if slot >= 0:
                    seen[slot].name, seen[slot].ns, seen[slot].index = node.name, node.ns, len(infos)
                    seen[slot].gen = gen
                    infos.append(info)
            tag, skip, score = info[0], info[1], info[2]
            if skip:
                continue
            el = None
            if not score:
                plain = _strength_attributes(node, values) if node.properties is not NULL else 0
                if plain == 0:  # none of the attributes the strength reads: the tag's own
                    score = info[3]
                elif plain > 0:
                    score = named_strength(tag, _utf8_str(values[0]), _utf8_str(values[1]), _utf8_str(values[2]),
                                           _utf8_str(values[3]))
                else:
                    el = m.proxy(pos)
                    score = strength(el, tag)
                if not score:
                    continue
            # fewer than 2 characters that are not whitespace fold to fewer than 2 characters
            if 0 <= _subtree_nonspace(node, 1) < 2:
                continue
            if _subtree_text(node, &buf):
                text = None
            else:
                try:
                    text = _fold_dropping(PyUnicode_DecodeUTF8(buf.data, buf.used, NULL), ranges, n_dropped)
                except UnicodeDecodeError:
                    text = None
                if text is not None and PyUnicode_GET_LENGTH(text) < 2:
                    continue
            if el is None:
                el = m.proxy(pos)
            badge = _badge_child(node)
            if text is None:
                simple = None
            else:
                texts[el] = text
                simple = _simple_text(text, not_first, not_last, not_in)
            if simple is None or badge is None:
                pending += 1
            out.append((pos, el, score, badge, simple))
        return out, pending
    finally:
        free(ranges)
        free(buf.data)



cdef Py_ssize_t _utf8_nonspace(const unsigned char* s, Py_ssize_t count, Py_ssize_t most) noexcept nogil:
    """`count` plus the characters of the NUL-terminated UTF-8 `s` that are not whitespace
    (str.isspace), counted up to one more than `most`; -1 where `s` is not well-formed UTF-8
    (as Python's decoder reads it: no overlong form, no surrogate, nothing past U+10FFFF)."""
    cdef Py_ssize_t i = 0, j, size
    cdef unsigned char b, lo, hi
    cdef unsigned int ch  # the code point (a plain integer: shifted and or-ed)
    while s[i] != 0 and count <= most:
        b = s[i]
        if b < 0x80:
            ch = b
            size = 1
        else:
            if not 0xC2 <= b <= 0xF4:
                return -1
            size = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
            ch = b & (0x7F >> size)
            # the second byte's range (Unicode's well-formed UTF-8): narrower after E0 and F0 (no
            # overlong form), ED (no surrogate) and F4 (nothing past U+10FFFF)
            lo = 0xA0 if b == 0xE0 else 0x90 if b == 0xF0 else 0x80
            hi = 0x9F if b == 0xED else 0x8F if b == 0xF4 else 0xBF
            if not lo <= s[i + 1] <= hi:  # (a NUL ends the string here: not in the range)
                return -1
            ch = (ch << 6) | (s[i + 1] & 0x3F)
            for j in range(2, size):
                if not 0x80 <= s[i + j] <= 0xBF:
                    return -1
                ch = (ch << 6) | (s[i + j] & 0x3F)
        if not _class(<Py_UCS4>ch) & ISSPACE:
            count += 1
        i += size
    return count


cdef Py_ssize_t _subtree_nonspace(tree.xmlNode* top, Py_ssize_t most) noexcept nogil:
    """The characters that are not whitespace in the text _subtree_text reads of `top`, counted
    up to one more than `most`; -1 where Python must read the text (an entity reference, UTF-8
    that does not decode)."""
    cdef tree.xmlNode* node = top.children
    cdef Py_ssize_t count = 0
    while node is not NULL and count <= most:
        if node.type == tree.XML_TEXT_NODE or node.type == tree.XML_CDATA_SECTION_NODE:
            if node.content is not NULL:
                count = _utf8_nonspace(<const unsigned char*>node.content, count, most)
                if count < 0:
                    return -1
        elif node.type == tree.XML_ENTITY_REF_NODE:
            return -1
        node = _next_under(node, top)
    return count


cdef list _leaf_scan(tree.xmlNode** nodes, Py_ssize_t n, blocks, Py_ssize_t most):
    """[(index, text)] of the `n` element nodes that have no child element whose tag is in
    `blocks`, in their order: the text of the element and its descendants (what
    body.text_content reads) with each stretch of whitespace made one space and none at either
    end (" ".join(text.split())), left out when longer than `most` characters; text None where
    Python must read it (an entity reference, UTF-8 that does not decode). A text with more than
    `most` characters that are not whitespace folds to more than `most` characters: it is left
    out once those are counted, without being read whole. A child's tag is looked up in
    `blocks` once per name per call."""
    cdef Py_ssize_t index, slot, probe
    cdef size_t h
    cdef tree.xmlNode* node
    cdef tree.xmlNode* child
    cdef TextBuf buf
    cdef TagSeen* seen = _seen
    cdef unsigned long long gen = _new_generation()
    cdef bint block
    buf.data, buf.size, buf.used = NULL, 0, 0
    out = []
    try:
        for index in range(n):
            node = nodes[index]
            block = False
            child = node.children
            while child is not NULL and not block:
                if child.type == tree.XML_ELEMENT_NODE:
                    # seen[slot].index: 1 for a tag in `blocks`, 0 for another (a slot per name)
                    h = ((<size_t>child.name) >> 3) ^ ((<size_t>child.ns) >> 5)
                    for probe in range(8):
                        slot = (h + probe) & (TAG_SLOTS - 1)
                        if seen[slot].gen != gen:
                            block = namespacedName(child) in blocks
                            seen[slot].name, seen[slot].ns, seen[slot].index = child.name, child.ns, block
                            seen[slot].gen = gen
                            break
                        if seen[slot].name == child.name and seen[slot].ns == child.ns:
                            block = seen[slot].index
                            break
                    else:
                        block = namespacedName(child) in blocks
                child = child.next
            if block or _subtree_nonspace(node, most) > most:
                continue
            if _subtree_text(node, &buf):
                text = None
            else:
                try:
                    text = _fold_dropping(PyUnicode_DecodeUTF8(buf.data, buf.used, NULL), NULL, 0)
                except UnicodeDecodeError:
                    text = None
                if text is not None and PyUnicode_GET_LENGTH(text) > most:
                    continue
            out.append((index, text))
        return out
    finally:
        free(buf.data)


def leaf_texts(elements, blocks, Py_ssize_t most):
    """_leaf_scan() of the list `elements`: [text, or the element where Python must read its
    text]; None when an item is not an lxml element of type element (a comment: the caller
    reads them in Python)."""
    cdef Py_ssize_t i, n = len(elements)
    for el in elements:
        if (not isinstance(el, _Element) or (<_Element>el)._c_node is NULL
                or (<_Element>el)._c_node.type != tree.XML_ELEMENT_NODE):
            return None
    cdef tree.xmlNode** nodes = <tree.xmlNode**>malloc((n if n else 1) * sizeof(tree.xmlNode*))
    if nodes is NULL:
        raise MemoryError()
    try:
        for i in range(n):
            nodes[i] = (<_Element>elements[i])._c_node
        return [text if text is not None else elements[index] for index, text in _leaf_scan(nodes, n, blocks, most)]
    finally:
        free(nodes)


def leaf_texts_before(root, body_node, Py_ssize_t window, blocks, Py_ssize_t most):
    """_leaf_scan() of the last `window` elements before `body_node` in root.iter()'s order (the
    elements of the tree from `root` on, in document order, up to `body_node`; all of them when
    it is not there): [text, or the element where Python must read its text]. None when `root`
    or `body_node` is not an lxml element (the caller reads the tree in Python)."""
    if (not isinstance(root, _Element) or not isinstance(body_node, _Element) or (<_Element>root)._c_node is NULL
            or window <= 0):
        return None
    cdef tree.xmlNode* top = (<_Element>root)._c_node
    cdef tree.xmlNode* stop = (<_Element>body_node)._c_node
    cdef tree.xmlNode* node = top
    cdef tree.xmlNode** ring = <tree.xmlNode**>malloc(window * sizeof(tree.xmlNode*))
    cdef tree.xmlNode** nodes = <tree.xmlNode**>malloc(window * sizeof(tree.xmlNode*))
    cdef Py_ssize_t seen = 0, i, n
    if ring is NULL or nodes is NULL:
        free(ring)
        free(nodes)
        raise MemoryError()
    try:
        # in lxml's iterator's order, the elements kept, the last `window` of them in a ring
        while node is not NULL and node is not stop:
            if node.type == tree.XML_ELEMENT_NODE:
                ring[seen % window] = node
                seen += 1
            node = _next_in_tree(node, top)
        n = seen if seen < window else window
        for i in range(n):
            nodes[i] = ring[(seen - n + i) % window]
        found = _leaf_scan(nodes, n, blocks, most)
        return [text if text is not None else elementFactory((<_Element>root)._doc, nodes[index])
                for index, text in found]
    finally:
        free(ring)
        free(nodes)

cdef bint _text_holds(tree.xmlNode* top, int byte) noexcept nogil:
    """True when a text or CDATA node under `top` holds the ASCII character `byte`, or an entity
    reference stands under it (its text is resolved elsewhere: it may)."""
    cdef tree.xmlNode* node = top.children
    while node is not NULL:
        if node.type == tree.XML_TEXT_NODE or node.type == tree.XML_CDATA_SECTION_NODE:
            if node.content is not NULL and strchr(<const char*>node.content, byte) is not NULL:
                return True
        elif node.type == tree.XML_ENTITY_REF_NODE:
            return True
        node = _next_under(node, top)
    return False


def elements_holding(root, tags, str char):
    """[element] of root.iter(*tags) whose text (their own and their descendants') may hold the
    ASCII character `char`: the others cannot, read in C without a proxy each; None where lxml
    must match the tags (an element of one of those names in a namespace, `root` not an
    element). Each name is compared with the tags once per call (a slot per name)."""
    if not isinstance(root, _Element) or (<_Element>root)._c_node is NULL or len(char) != 1 or ord(char) > 127:
        return None
    cdef tree.xmlNode* top = (<_Element>root)._c_node
    cdef tree.xmlNode* node = top
    cdef int byte = ord(char)
    cdef unsigned long long gen = _new_generation()
    names = frozenset(tag.encode("utf-8") for tag in tags)
    out = []
    while node is not NULL:
        if node.type == tree.XML_ELEMENT_NODE:
            if _name_among(node, names, _seen, gen):
                if node.ns is not NULL:
                    return None
                if _text_holds(node, byte):
                    out.append(elementFactory((<_Element>root)._doc, node))
        node = _next_in_tree(node, top)
    return out


def first_named(root, str tag):
    """page.first_descendant(root, tag) read in C: the first element below `root` in document
    order whose tag is `tag` (a name without a namespace), None when there is none; False where
    lxml must match the name (`root` not an element, `tag` namespaced or a pattern, an element
    of that name in a namespace before the first one in none)."""
    if (not isinstance(root, _Element) or (<_Element>root)._c_node is NULL or "{" in tag or "*" in tag
            or (<_Element>root)._c_node.type != tree.XML_ELEMENT_NODE):
        return False
    cdef tree.xmlNode* top = (<_Element>root)._c_node
    cdef tree.xmlNode* node = _next_in_tree(top, top)
    cdef bytes name = tag.encode("utf-8")
    cdef const char* c_name = name
    while node is not NULL:
        if node.type == tree.XML_ELEMENT_NODE and strcmp(<const char*>node.name, c_name) == 0:
            if node.ns is not NULL:
                return False
            return elementFactory((<_Element>root)._doc, node)
        node = _next_in_tree(node, top)
    return None


cdef enum:
    META_KEYS = 4  # name, property, itemprop, http-equiv: the attributes a meta's key is read from


cdef inline int _meta_attr(const char* name) noexcept nogil:
    """Where meta_tags takes the attribute `name`: 0-3 its key's (name, property, itemprop,
    http-equiv: the first of them that is not empty), 4 its content, -1 nowhere."""
    if strcmp(name, "name") == 0:
        return 0
    if strcmp(name, "property") == 0:
        return 1
    if strcmp(name, "itemprop") == 0:
        return 2
    if strcmp(name, "http-equiv") == 0:
        return 3
    if strcmp(name, "content") == 0:
        return 4
    return -1


cdef int _attr_value(tree.xmlAttr* attr, const char** value) noexcept nogil:
    """*value: the attribute's value as el.get() reads it (libxml2's xmlGetNsProp: "" for an
    attribute without a value node, the content of its one text or CDATA node); -1 for any
    other value (nodes to join: read through lxml)."""
    cdef tree.xmlNode* c = attr.children
    if c is NULL:
        value[0] = ""
        return 0
    if (c.next is NULL and (c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE)
            and c.content is not NULL):
        value[0] = <const char*>c.content
        return 0
    return -1


cdef object _meta_pair(tree.xmlNode* node):
    """(key, content) of a <meta> as read_meta reads el.get(): the first of its name, property,
    itemprop and http-equiv that is not empty, its content; None when it has no such key or no
    content; False for a value to read through lxml (see _attr_value)."""
    cdef const char* values[META_KEYS + 1]
    cdef tree.xmlAttr* attr = node.properties
    cdef const char* value
    cdef int k
    for k in range(META_KEYS + 1):
        values[k] = NULL
    while attr is not NULL:  # get(name) without a namespace: the first attribute of that name in none
        if attr.type == tree.XML_ATTRIBUTE_NODE and attr.ns is NULL:
            k = _meta_attr(<const char*>attr.name)
            if k >= 0 and values[k] is NULL:
                if _attr_value(attr, &value) < 0:
                    return False
                values[k] = value
        attr = attr.next
    if values[META_KEYS] is NULL:
        return None
    for k in range(META_KEYS):
        if values[k] is not NULL and values[k][0] != 0:
            return _utf8_str(values[k]), _utf8_str(values[META_KEYS])
    return None


cdef object _lxml_text(tree.xmlNode* node):
    """el.text of an element (lxml's _collectText of its children): None without a text node."""
    cdef tree.xmlNode* c = _text_or_skip(node.children)
    cdef TextBuf buf
    if c is NULL:
        return None
    if _text_or_skip(c.next) is NULL:  # one node: the common case
        return _utf8_str(<const char*>c.content) if c.content is not NULL else ""
    buf.data, buf.used, buf.size = NULL, 0, 0
    try:
        while c is not NULL:
            if c.content is not NULL:
                _cat(&buf, <const char*>c.content)
            c = _text_or_skip(c.next)
        if buf.used == 0:
            return ""
        return PyUnicode_DecodeUTF8(buf.data, buf.used, NULL)
    finally:
        free(buf.data)


def meta_tags(root, str script_type):
    """read_meta's reading of root.iter("meta", "script") in C, no proxy made: ([(key, content)]
    of each <meta> with a key (the first of its name, property, itemprop and http-equiv
    attributes that is not empty) and a content attribute, [text] of each <script> whose type
    attribute is `script_type`, both in document order. None where lxml must read them: `root`
    not an element, a meta or a script in a namespace, attribute defaults declared by a DTD
    (get() reads those), a value of several nodes, text that is not UTF-8."""
    if not isinstance(root, _Element) or (<_Element>root)._c_node is NULL:
        return None
    cdef tree.xmlNode* top = (<_Element>root)._c_node
    cdef tree.xmlNode* node = top
    cdef tree.xmlAttr* attr
    cdef const char* value
    cdef bytes wanted = script_type.encode("utf-8")
    cdef bint is_meta
    if top.type != tree.XML_ELEMENT_NODE or (top.doc is not NULL and (
            _declares_attributes(top.doc.intSubset) or _declares_attributes(top.doc.extSubset))):
        return None
    pairs, texts = [], []
    try:
        while node is not NULL:
            # (the first letter tells most elements apart without a call)
            is_meta = (node.type == tree.XML_ELEMENT_NODE and node.name[0] == c"m"
                       and strcmp(<const char*>node.name, "meta") == 0)
            if is_meta or (node.type == tree.XML_ELEMENT_NODE and node.name[0] == c"s"
                           and strcmp(<const char*>node.name, "script") == 0):
                if node.ns is not NULL:
                    return None
                if is_meta:
                    pair = _meta_pair(node)
                    if pair is False:
                        return None
                    if pair is not None:
                        pairs.append(pair)
                else:
                    attr = node.properties
                    while attr is not NULL:  # its type: the first attribute so named in no namespace
                        if (attr.type == tree.XML_ATTRIBUTE_NODE and attr.ns is NULL
                                and strcmp(<const char*>attr.name, "type") == 0):
                            if _attr_value(attr, &value) < 0:
                                return None
                            if strcmp(value, <const char*>wanted) == 0:
                                texts.append(_lxml_text(node))
                            break
                        attr = attr.next
            node = _next_in_tree(node, top)
    except UnicodeDecodeError:
        return None
    return pairs, texts


def holds_named(root, frozenset names):
    """next(root.iter(*tags), None) is not None read in C, no proxy made, `names` the tags'
    UTF-8 (names without a namespace): True when `root` or an element under it is named one of
    them (each name met looked up once); None where lxml must match them (`root` not an
    element, an element in a namespace)."""
    if not isinstance(root, _Element) or (<_Element>root)._c_node is NULL:
        return None
    cdef tree.xmlNode* top = (<_Element>root)._c_node
    cdef tree.xmlNode* node = top
    cdef unsigned long long gen = _new_generation()
    if top.type != tree.XML_ELEMENT_NODE:
        return None
    while node is not NULL:
        if node.type == tree.XML_ELEMENT_NODE:
            if node.ns is not NULL:
                return None
            if _name_among(node, names, _seen, gen):
                return True
        node = _next_in_tree(node, top)
    return False


def first_items(list items):
    """[item[0] for item in items] of tuples, Lines among them (a Line's text is its first item)."""
    out = []
    for item in items:
        if not PyTuple_Check(item) or PyTuple_GET_SIZE(item) == 0:
            raise TypeError("first_items() reads tuples of one item or more")
        out.append(<object>PyTuple_GET_ITEM(item, 0))
    return out
