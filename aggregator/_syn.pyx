# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The story index's per-lookup loops (aggregator/syndication_bands.py) compiled: the same
results as the Python loops there (the reference, run where this module is not built).

    possible(bits, keys, mul, shift) -> [key]
        the keys whose bit is set in a KeyFilter's bitmap, in their order
    estimates(sigs, whole, norm_len, key_bytes, rows, sig) -> [(agreement, norm_len, key bytes)]
        the Docs rows' signature agreement with `sig` (the share of bins equal; 0.0 without a
        whole signature), normalized length (None when unknown) and shingle-key bytes
    shingle_scores(keys, entries, recent, cap, best) -> ({key: size} of the full buckets,
                                                        best_by_score(...))
        ShingleKeys.lookup after its filed buckets are read: `entries` [(size, ids or None)]
        of each key's filed bucket, `recent` {key: [article id]} the newest ones
    best_by_score(sizes, filed, recent, cap, best) -> {article_id: keys shared}
        ShingleKeys' scores: each key of `sizes` ({key: bucket size}) in key order whose bucket
        holds fewer than `cap` articles counts 1 / its size for each member of its filed bucket
        (`filed`, {key: article ids}) then of its newest one (`recent`, {key: [article id]}); the
        `best` articles with the highest sums (ties: lowest id first), best first

Each article's weights are summed in the order the Python loop adds them (key order, the filed
members before the newest), so the sums are the same doubles bit for bit: the hits are gathered
into a C array, sorted by article and then by the order they were met, and summed in that order.
"""
from cpython.bytearray cimport PyByteArray_AS_STRING, PyByteArray_GET_SIZE
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from libc.stdint cimport int64_t, uint32_t, uint64_t
from libc.stdlib cimport qsort


def possible(bytearray bits, list keys, uint64_t mul, int shift):
    """The keys (integers within int64) whose bit ((key * mul) mod 2**32 >> shift) is set in
    `bits`, which holds 2**(32 - shift) bits (read in place: a bytearray, no buffer taken)."""
    cdef list out = []
    cdef object key
    cdef uint64_t bit
    cdef const unsigned char *at = <const unsigned char *>PyByteArray_AS_STRING(bits)
    if not 0 < shift <= 32 or PyByteArray_GET_SIZE(bits) < (<Py_ssize_t>1 << (32 - shift)) >> 3:
        raise ValueError("bits holds fewer than 2**(32 - shift) bits")
    for key in keys:
        bit = ((<uint64_t><int64_t>key * mul) & 0xFFFFFFFF) >> shift
        if at[bit >> 3] >> (bit & 7) & 1:
            out.append(key)
    return out


def estimates(const uint32_t[:, ::1] sigs, const unsigned char[::1] whole,
              const int64_t[::1] norm_len, const int64_t[::1] key_bytes, list rows,
              const uint32_t[:] sig):
    """[(agreement, normalized length or None, key bytes)] of each Docs row in `rows` (the
    arrays of syndication_bands.Docs): the agreement is (bins equal) / bins, as numpy's
    count_nonzero(...) / len(sig) gives it, 0.0 where the row holds no whole signature."""
    cdef Py_ssize_t bins = sig.shape[0], size = whole.shape[0], r, j, same
    cdef list out = []
    cdef object row
    cdef double agreement
    if sigs.shape[1] != bins or sigs.shape[0] < size or norm_len.shape[0] < size \
            or key_bytes.shape[0] < size:
        raise ValueError("the signatures and the rows' arrays do not match")
    for row in rows:
        r = row
        if not 0 <= r < size:
            raise IndexError(f"row {r} out of range")
        agreement = 0.0
        if whole[r]:
            same = 0
            for j in range(bins):
                same += sigs[r, j] == sig[j]
            agreement = <double>same / <double>bins
        out.append((agreement, None if norm_len[r] < 0 else norm_len[r], key_bytes[r]))
    return out


cdef struct Hit:
    int64_t article
    Py_ssize_t order   # when it was met: the Python loop's order of additions
    double weight


cdef struct Score:
    double score
    int64_t article
    Py_ssize_t shared


cdef int _by_article_then_order(const void *a, const void *b) noexcept nogil:
    cdef const Hit *x = <const Hit *>a
    cdef const Hit *y = <const Hit *>b
    if x.article != y.article:
        return -1 if x.article < y.article else 1
    return -1 if x.order < y.order else (1 if x.order > y.order else 0)


cdef int _by_score_then_article(const void *a, const void *b) noexcept nogil:
    cdef const Score *x = <const Score *>a
    cdef const Score *y = <const Score *>b
    if x.score != y.score:
        return -1 if x.score > y.score else 1
    return -1 if x.article < y.article else (1 if x.article > y.article else 0)


cdef Py_ssize_t _gather(Hit *hits, Py_ssize_t n, object members, double weight) except -1:
    """Append a bucket's members to hits[n:], each with `weight`; returns the new count."""
    cdef object a
    for a in members:
        hits[n].article = a
        hits[n].order = n
        hits[n].weight = weight
        n += 1
    return n


def shingle_scores(list keys, list entries, dict recent, Py_ssize_t cap, Py_ssize_t best):
    """({key: bucket size} of the full buckets, {article id: keys shared} of the best
    candidates) of a lookup's keys (see the module docstring)."""
    cdef dict sizes = {}, filed = {}, full = {}
    cdef object key, n, ids, members
    cdef tuple entry
    cdef Py_ssize_t i
    if len(entries) < len(keys):
        raise ValueError("an entry per key")
    for i in range(len(keys)):
        key = keys[i]
        entry = entries[i]
        n, ids = entry
        if n:
            sizes[key] = n
        if ids:
            filed[key] = ids
    for key in keys:
        members = recent.get(key)
        if members is not None:
            sizes[key] = sizes.get(key, 0) + len(members)
    for key, n in sizes.items():
        if n >= cap:
            full[key] = n
    return full, best_by_score(sizes, filed, recent, cap, best)


def best_by_score(dict sizes, dict filed, dict recent, Py_ssize_t cap, Py_ssize_t best):
    """The `best` articles by summed key weight, {article_id: keys shared} best first (see the
    module docstring)."""
    cdef list order = sorted(sizes)
    cdef Py_ssize_t total = 0, n = 0, kept = 0, i, size
    cdef object key, members
    cdef Hit *hits
    cdef Score *scores
    cdef double weight
    cdef dict out = {}
    for key in order:
        if sizes[key] < cap:
            total += len(filed.get(key, ())) + len(recent.get(key, ()))
    if not total:
        return out
    hits = <Hit *>PyMem_Malloc(total * sizeof(Hit))
    scores = <Score *>PyMem_Malloc(total * sizeof(Score))
    if hits == NULL or scores == NULL:
        PyMem_Free(hits)
        PyMem_Free(scores)
        raise MemoryError()
    try:
        for key in order:
            size = sizes[key]
            if size >= cap:
                continue
            weight = 1.0 / <double>size
            n = _gather(hits, n, filed.get(key, ()), weight)
            n = _gather(hits, n, recent.get(key, ()), weight)
        qsort(hits, n, sizeof(Hit), _by_article_then_order)
        for i in range(n):
            if kept and scores[kept - 1].article == hits[i].article:
                scores[kept - 1].score += hits[i].weight
                scores[kept - 1].shared += 1
            else:
                # 0.0 + weight, as the Python loop's first addition
                scores[kept].score = 0.0 + hits[i].weight
                scores[kept].article = hits[i].article
                scores[kept].shared = 1
                kept += 1
        qsort(scores, kept, sizeof(Score), _by_score_then_article)
        for i in range(min(best, kept)):
            out[scores[i].article] = scores[i].shared
    finally:
        PyMem_Free(hits)
        PyMem_Free(scores)
    return out
