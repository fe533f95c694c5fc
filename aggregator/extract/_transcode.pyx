# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""GB18030 bytes -> UTF-8 bytes in one pass, for the common page: ASCII and 2-byte characters.

    gb18030_to_utf8(data) -> (utf8 bytes, characters) | None
        data.decode("gb18030").encode("utf-8") and the length of that text, when every byte of
        `data` is ASCII or one of a 2-byte character; None on anything else (a 4-byte
        sequence, a byte no 2-byte character opens with or closes, a character cut at the end)
    pair_utf8(lead, trail) -> bytes | None
        the UTF-8 of the one character bytes([lead, trail]) decode to, as the table holds it
    utf8_length(data) -> int | None
        len(data.decode("utf-8")) when the strict decode takes `data`, else None: a page's UTF-8
        checked and its characters counted without making its text
    count_bytes_in(data, wanted) -> int
        how many bytes of `data` are among those of `wanted` (what deleting all the others with
        bytes.translate leaves, counted without the copy)

The table is Python's own codec: at import every pair of a lead byte 0x80-0xFF and any trail
byte is decoded with bytes.decode("gb18030"); a pair that does not decode, alone, to exactly one
character is "not a 2-byte character". Python's decoder reads GB18030 greedily from the left
(an ASCII byte is a character; any other byte opens a sequence that takes the next byte, and
two more when that one is a digit), so a page holding only ASCII bytes and table pairs decodes
to the concatenation of their characters: the UTF-8 built here is the decoded text's.
"""
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from libc.stdint cimport uint32_t, uint64_t
from libc.string cimport memcpy

# entry (lead - 0x80) * 256 + trail: [its UTF-8, up to 3 bytes, zero-padded; the UTF-8's length
# (0: not a 2-byte character)]
cdef unsigned char _TABLE[128 * 256][4]
# the high bit of each of 8 bytes: a word of ASCII bytes has none of them set
cdef uint64_t _HIGH_BITS = 0x8080808080808080ULL


def _fill_table():
    """Each pair's entry from Python's gb18030 codec."""
    cdef int lead, trail, index
    for lead in range(0x80, 0x100):
        for trail in range(0x100):
            index = (lead - 0x80) * 256 + trail
            utf8 = _one_char_utf8(bytes((lead, trail))) or b""
            for k in range(3):
                _TABLE[index][k] = utf8[k] if k < len(utf8) else 0
            _TABLE[index][3] = len(utf8)


def _one_char_utf8(pair):
    """The UTF-8 of the one character `pair` decodes to under gb18030, else None."""
    try:
        text = pair.decode("gb18030")
    except UnicodeDecodeError:
        return None
    if len(text) != 1:
        return None
    return text.encode("utf-8")


_fill_table()


def pair_utf8(int lead, int trail):
    """The table's UTF-8 for bytes([lead, trail]) (lead 0x80-0xFF), or None: not a 2-byte character."""
    if not (0x80 <= lead <= 0xFF and 0 <= trail <= 0xFF):
        raise ValueError("lead 0x80-0xFF, trail 0x00-0xFF")
    cdef int index = (lead - 0x80) * 256 + trail
    if _TABLE[index][3] == 0:
        return None
    return PyBytes_FromStringAndSize(<char *>_TABLE[index], _TABLE[index][3])


def gb18030_to_utf8(bytes data):
    """(data.decode("gb18030").encode("utf-8"), len of the text) for a page of ASCII and 2-byte
    characters only, else None."""
    cdef Py_ssize_t n = PyBytes_GET_SIZE(data)
    cdef const unsigned char *src = <const unsigned char *>PyBytes_AS_STRING(data)
    # an ASCII byte gives one byte, a pair at most three: 3 / 2 of the input, and room for the
    # word and entry stores below, which may write up to 8 bytes past the end of the output
    cdef unsigned char *out = <unsigned char *>PyMem_Malloc(n + n // 2 + 16)
    if out == NULL:
        raise MemoryError()
    cdef Py_ssize_t chars = 0
    cdef Py_ssize_t written = _transcode(src, n, out, &chars)
    try:
        if written < 0:
            return None
        return PyBytes_FromStringAndSize(<char *>out, written), chars
    finally:
        PyMem_Free(out)


cdef Py_ssize_t _transcode(const unsigned char *src, Py_ssize_t n, unsigned char *out,
                           Py_ssize_t *characters) noexcept:
    """Writes the UTF-8 of src[:n] to out and returns its length (its characters in
    *characters), or -1 where a byte is neither ASCII nor part of a table pair."""
    cdef Py_ssize_t i = 0, o = 0, pairs = 0
    cdef uint64_t word
    cdef uint32_t entry
    cdef const unsigned char *at
    while i < n:
        # a run of ASCII copied 8 bytes at a time
        while i + 8 <= n:
            memcpy(&word, src + i, 8)
            if word & _HIGH_BITS:
                break
            memcpy(out + o, &word, 8)
            i += 8
            o += 8
        # the fewer than 8 ASCII bytes before the next other byte (or the end), one by one
        while i < n and src[i] < 0x80:
            out[o] = src[i]
            i += 1
            o += 1
        if i >= n:
            break
        # a run of pairs, read until an ASCII byte or the end
        while True:
            if i + 1 >= n:  # a lead byte at the end: a character cut
                return -1
            at = _TABLE[(src[i] - 0x80) * 256 + src[i + 1]]
            memcpy(&entry, at, 4)
            if entry == 0:  # all zero: no UTF-8, length 0
                return -1
            memcpy(out + o, &entry, 4)  # the UTF-8 and what follows it, overwritten next or past the end
            o += at[3]
            i += 2
            pairs += 1
            if i >= n or src[i] < 0x80:
                break
    # an ASCII byte is a character, and so is each pair of bytes
    characters[0] = n - pairs
    return o


def utf8_length(bytes data):
    """len(data.decode("utf-8")), or None where the strict decode raises."""
    cdef Py_ssize_t n = PyBytes_GET_SIZE(data)
    cdef Py_ssize_t trailing = _utf8_trailing(<const unsigned char *>PyBytes_AS_STRING(data), n)
    return None if trailing < 0 else n - trailing


cdef Py_ssize_t _utf8_trailing(const unsigned char *s, Py_ssize_t n) noexcept:
    """The continuation bytes of s[:n] (each character but an ASCII one has 1 to 3), or -1 where
    the bytes are not UTF-8 as Python's strict decoder takes it: a byte no character opens
    with, a sequence cut or not continued, an overlong form, a surrogate, a code point past
    U+10FFFF."""
    cdef Py_ssize_t i = 0, trailing = 0
    cdef uint64_t word
    cdef unsigned char b, c
    while i < n:
        # a run of ASCII skipped 8 bytes at a time
        while i + 8 <= n:
            memcpy(&word, s + i, 8)
            if word & _HIGH_BITS:
                break
            i += 8
        while i < n and s[i] < 0x80:
            i += 1
        # the characters of other bytes, until an ASCII byte or the end; 3-byte ones (CJK) first
        while i < n and s[i] >= 0x80:
            b = s[i]
            if (b & 0xF0) == 0xE0:
                if i + 2 >= n:
                    return -1
                c = s[i + 1]
                if ((c & 0xC0) != 0x80) | ((s[i + 2] & 0xC0) != 0x80):
                    return -1
                # E0 takes A0-BF (below: overlong), ED 80-9F (above: surrogates)
                if (b == 0xE0 and c < 0xA0) or (b == 0xED and c > 0x9F):
                    return -1
                i += 3
                trailing += 2
            elif 0xC2 <= b <= 0xDF:
                if i + 1 >= n or (s[i + 1] & 0xC0) != 0x80:
                    return -1
                i += 2
                trailing += 1
            elif 0xF0 <= b <= 0xF4:
                if i + 3 >= n:
                    return -1
                c = s[i + 1]
                if ((c & 0xC0) != 0x80) | ((s[i + 2] & 0xC0) != 0x80) | ((s[i + 3] & 0xC0) != 0x80):
                    return -1
                # F0 takes 90-BF (below: overlong), F4 80-8F (above: past U+10FFFF)
                if (b == 0xF0 and c < 0x90) or (b == 0xF4 and c > 0x8F):
                    return -1
                i += 4
                trailing += 3
            else:
                return -1
    return trailing


def count_bytes_in(bytes data, bytes wanted):
    """How many bytes of `data` are one of the bytes of `wanted`."""
    cdef unsigned char table[256]
    cdef const unsigned char *s = <const unsigned char *>PyBytes_AS_STRING(data)
    cdef const unsigned char *w = <const unsigned char *>PyBytes_AS_STRING(wanted)
    cdef Py_ssize_t i, n = PyBytes_GET_SIZE(data), count = 0
    for i in range(256):
        table[i] = 0
    for i in range(PyBytes_GET_SIZE(wanted)):
        table[w[i]] = 1
    for i in range(n):
        count += table[s[i]]
    return count
