"""The compiled GB18030 -> UTF-8 transcoder (aggregator/extract/_transcode.pyx) held to Python's
codec: its table is the codec's for every 2-byte sequence; on every page the tests hold (as its
bytes and encoded to GB18030) and on random byte strings it gives the UTF-8 of the decoded text
and its length, or gives up exactly where the strict decode raises or meets a 4-byte sequence;
its UTF-8 check counts the characters of exactly the bytes Python's strict UTF-8 decode takes;
and parse_page gives the same answer through them as through the decoded text."""
from __future__ import annotations

import random
from functools import lru_cache

import pytest
from lxml import etree

import aggregator.extract as extract
from aggregator.extract import encoding, parse_page
from tests.test_walk_compiled import _fixture_pages, _replica_pages

_transcode = pytest.importorskip("aggregator.extract._transcode",
                                 reason="the transcoder is not built (python setup.py build_ext --inplace)")


def _decoded(data: bytes):
    """(text's UTF-8, its length) of Python's strict decode, or None where it raises."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return text.encode("utf-8"), len(text)


def _holds_four_byte(data: bytes) -> bool:
    """True when Python's greedy reading of `data` meets a 4-byte sequence (a byte 0x80-0xFF
    followed by a digit), read as the decoder does: ASCII one byte, any other byte opens a pair."""
    i = 0
    while i < len(data):
        if data[i] < 0x80:
            i += 1
        elif i + 1 < len(data) and 0x30 <= data[i + 1] <= 0x39:
            return True
        else:
            i += 2
    return False


def _expected(data: bytes):
    decoded = _decoded(data)
    return None if decoded is None or _holds_four_byte(data) else decoded


def test_the_table_is_the_codecs_for_every_two_byte_sequence():
    for lead in range(0x80, 0x100):
        for trail in range(0x100):
            try:
                text = bytes((lead, trail)).decode("gb18030")
            except UnicodeDecodeError:
                text = None
            want = text.encode("utf-8") if text is not None and len(text) == 1 else None
            assert _transcode.pair_utf8(lead, trail) == want, (hex(lead), hex(trail))


def test_ascii_bytes_are_their_own_characters():
    """The transcoder copies ASCII bytes: the codec reads each as the character of that code."""
    assert all(bytes((b,)).decode("gb18030") == chr(b) for b in range(0x80))
    data = bytes(range(0x80)) * 3
    assert _transcode.gb18030_to_utf8(data) == (data, len(data))


@lru_cache(maxsize=1)
def _page_texts() -> tuple:
    """The text of every page the tests hold (the extraction fixtures, the site replicas)."""
    pages = [p.read_bytes() for p in _fixture_pages()] + [body for _, body in _replica_pages()]
    return tuple(data.decode("utf-8") for data in pages)


def _page_inputs():
    """Each page as its bytes, encoded to GB18030 (4-byte sequences for characters GBK lacks)
    and encoded without the characters a pair cannot hold (the transcoder's whole reading)."""
    for text in _page_texts():
        yield text.encode("utf-8")
        yield text.encode("gb18030")
        yield "".join(ch for ch in text if len(ch.encode("gb18030")) <= 2).encode("gb18030")


def test_every_page_the_tests_hold_transcodes_as_the_codec_decodes():
    read = 0
    for data in _page_inputs():
        found = _transcode.gb18030_to_utf8(data)
        assert found == _expected(data)
        read += found is not None
    assert len(_page_texts()) > 100 and read >= len(_page_texts())


# pieces random byte strings are made of: ASCII, valid pairs, 4-byte sequences, broken bytes
_PIECES = [
    b"a", b"<p>", b" ", b"\n", b"0", b"9", b"\x00", b"\x7f",
    "中".encode("gbk"), "文".encode("gbk"), "\u3000".encode("gbk"), "€".encode("gb18030"),
    "\ue000".encode("gb18030"), "𠀀".encode("gb18030"), "\u00e9".encode("gb18030"),
    b"\x80", b"\xff", b"\x81", b"\xfe", b"\x81\x20", b"\x81\x7f", b"\xa1\x30", b"\x81\x30\x81",
    b"\x81\x30\x81\x30", b"\xfe\x39\xfe\x39", b"\xa1\xff", b"\xa1\x40", b"\xa1\x80",
]


def _random_strings(count=4000, seed=20261203):
    rng = random.Random(seed)
    for _ in range(count):
        if rng.random() < 0.3:  # raw bytes, mostly invalid
            yield bytes(rng.randrange(256) for _ in range(rng.randrange(12)))
        else:
            yield b"".join(rng.choice(_PIECES) for _ in range(rng.randrange(1, 20)))


def test_random_strings_transcode_as_the_codec_decodes_or_give_up_where_it_cannot_be_followed():
    outcomes = set()
    for data in _random_strings():
        want = _expected(data)
        assert _transcode.gb18030_to_utf8(data) == want, data
        outcomes.add(want is None)
    assert outcomes == {True, False}


@pytest.mark.parametrize("data", [b"", b"a", b"\x81", b"a\x81", "中".encode("gbk") * 9 + b"\x81",
                                  b"x" * 7 + "中".encode("gbk"), b"x" * 8 + "中".encode("gbk") + b"y" * 17])
def test_ends_and_word_boundaries(data):
    assert _transcode.gb18030_to_utf8(data) == _expected(data)


def _answer(page, http_encoding=None):
    tree, used, reason = parse_page(page, http_encoding)
    return (etree.tostring(tree, encoding="unicode") if tree is not None else None), used, reason


def _both_ways(monkeypatch, page, http_encoding=None):
    fast = _answer(page, http_encoding)
    with monkeypatch.context() as m:
        m.setattr(encoding, "_transcode", None)
        slow = _answer(page, http_encoding)
    return fast, slow


_GBK_PAGE = "<html><head><title>新闻</title></head><body><p>正文\u3000第二段。</p></body></html>"
# longer than the prefix detection reads
_LONG_GBK_PAGE = _GBK_PAGE.replace("<body>", "<body>" + "<p>教育局举行，第二段。</p>" * 6000).encode("gbk")


@pytest.mark.parametrize("page,http_encoding", [
    (_GBK_PAGE.encode("gbk"), "gbk"),                                         # the header's declaration
    (_GBK_PAGE.replace("<head>", '<head><meta charset="gb2312">').encode("gbk"), None),  # the meta's
    (_GBK_PAGE.encode("gbk"), None),                                          # detected
    (_LONG_GBK_PAGE, None),                                                   # detected, longer than its prefix
    (_LONG_GBK_PAGE + b"\x81\x20", None),                                     # the same with a broken byte at the end
    (_GBK_PAGE.encode("gbk"), "utf-8"),                                       # a wrong header, then detected
    (("\u3000 " + _GBK_PAGE).encode("gbk"), "gbk"),                           # non-ASCII whitespace first
    ((" \n\t" + _GBK_PAGE).encode("gbk"), "gbk"),                             # ASCII whitespace first
    (("\x1c" + _GBK_PAGE).encode("gbk"), "gbk"),                              # a separator: str's whitespace
    (('<?xml version="1.0" encoding="gbk"?>' + _GBK_PAGE).encode("gbk"), "gbk"),  # an XML declaration
    ((' <?XML version="1.0"?>' + _GBK_PAGE).encode("gbk"), "gbk"),             # one after a space
    (('\u3000<?xml version="1.0"?>' + _GBK_PAGE).encode("gbk"), "gbk"),        # one after wide space
    ("\u3000\u3000 中".encode("gbk"), "gbk"),                                  # no "<": text, no markup
    ("\u3000\u3000 ".encode("gbk"), "gbk"),                                    # only whitespace, some wide
    ("\u3000\u3000 ".encode("gbk"), None),
    ("中文<".encode("gbk"), "gbk"),                                            # "<" last
    ("<中文".encode("gbk"), "gbk"),                                            # "<" first, then no tag
    (_GBK_PAGE.encode("gb18030") + "𠀀".encode("gb18030"), "gbk"),              # a 4-byte sequence: decoded
    (_GBK_PAGE.encode("gbk").replace("正".encode("gbk"), b"\x81\x20"), "gbk"),  # a broken byte: decoded
    (_GBK_PAGE.encode("gbk") + b"\x81", "gbk"),                                # a character cut at the end
    (_GBK_PAGE.encode("utf-8"), None),                                        # UTF-8, its text not made
    (_GBK_PAGE.encode("utf-8"), "gbk"),                                       # UTF-8 whatever the header says
    ((" \n" + _GBK_PAGE).encode("utf-8"), None),                              # ASCII whitespace first
    (("\u3000" + _GBK_PAGE).encode("utf-8"), None),                           # wide space first: decoded
    (('<?xml version="1.0"?>' + _GBK_PAGE).encode("utf-8"), None),             # an XML declaration: decoded
    ("\u3000\u3000 ".encode("utf-8"), None),                                   # only whitespace
    (_GBK_PAGE.encode("utf-8") + b"\xe4\xb8", None),                           # a character cut: not UTF-8
    (_GBK_PAGE.encode("utf-8").replace("正".encode("utf-8"), b"\xed\xa0\x80"), None),  # a surrogate: not UTF-8
])
def test_parse_page_answers_the_same_through_the_transcoder(monkeypatch, page, http_encoding):
    fast, slow = _both_ways(monkeypatch, page, http_encoding)
    assert fast == slow


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setattr(extract, "MAX_PAGE_CHARS", 400)
    monkeypatch.setattr(extract, "MAX_ELEMENTS", 20)


@pytest.mark.parametrize("body,reason", [
    ("正文" * 10, None),                  # longer than MAX_ELEMENTS, few nodes
    ("正文" * 200, "page too large"),     # longer than MAX_PAGE_CHARS
    ("正文" * 187, None),                 # MAX_PAGE_CHARS long exactly
    ("正文" * 187 + "字", "page too large"),
    ("<p>正</p>" * 10, None),             # few nodes
    ("<p>正</p>" * 30, "page too complex"),
    ("<br>中" * 25, "page too complex"),
    ("a < b 中 " * 12, None),              # many "<", few nodes
])
def test_parse_page_limits_in_characters_the_same_through_the_transcoder(monkeypatch, small_limits, body, reason):
    page = f"<html><body>{body}</body></html>".encode("gbk")
    assert _encoding_is_transcoded(page)
    fast, slow = _both_ways(monkeypatch, page, "gbk")
    assert fast == slow
    assert (fast[2] or "").startswith(reason or "") and (fast[2] is None) is (reason is None)


def _encoding_is_transcoded(page, http_encoding="gbk"):
    return encoding.decode_page_utf8(page, http_encoding)[3] is not None


def test_parse_page_answers_the_same_through_the_transcoder_on_every_page_the_tests_hold(monkeypatch):
    transcoded = 0
    for text in _page_texts():
        data = "".join(ch for ch in text if len(ch.encode("gb18030")) <= 2).encode("gb18030")
        for http_encoding in ("gbk", None):
            fast, slow = _both_ways(monkeypatch, data, http_encoding)
            assert fast == slow
            transcoded += _encoding_is_transcoded(data, http_encoding)
    assert transcoded >= len(_page_texts())


def test_decode_page_utf8_is_decode_page_with_the_text_as_utf8(monkeypatch):
    assert _encoding_is_transcoded(_LONG_GBK_PAGE, None)
    for data in [*_page_inputs(), _GBK_PAGE.encode("gbk"), _LONG_GBK_PAGE, _LONG_GBK_PAGE + b"\x81\x20",
                 b"", b"  ", b"\x00\x01", "中".encode("utf-16")]:
        text, used, raw = encoding.decode_page(data)
        fast_text, fast_used, utf8, chars = encoding.decode_page_utf8(data)
        assert fast_used == used
        if chars is None:
            assert (fast_text, utf8) == (text, raw)
        else:
            assert fast_text is None and used in ("gb18030", "utf-8")
            assert (utf8, chars) == (text.encode("utf-8"), len(text))


# pieces of strings for the UTF-8 check: characters of each length at the edges of their
# ranges, and the bytes the strict decode refuses (overlong forms, surrogates, past U+10FFFF,
# continuation bytes alone, sequences cut)
_UTF8_PIECES = [
    b"a", b"<p>", b" ", b"\x00", b"\x7f", *(chr(cp).encode("utf-8") for cp in (
        0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF, 0x4E2D, 0x3000)),
    b"\xc0\x80", b"\xc1\xbf", b"\xe0\x80\x80", b"\xe0\x9f\xbf", b"\xed\xa0\x80", b"\xed\xbf\xbf",
    b"\xf0\x80\x80\x80", b"\xf0\x8f\xbf\xbf", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xff",
    b"\x80", b"\xbf", b"\xc2", b"\xe4\xb8", b"\xf0\x9f\x98",
]


def _utf8_decoded_length(data: bytes):
    try:
        return len(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None


def test_the_utf8_check_is_the_strict_decode_on_random_strings():
    rng = random.Random(20261203)
    outcomes = set()
    for _ in range(20000):
        if rng.random() < 0.3:  # raw bytes, mostly invalid
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(12)))
        else:
            data = b"".join(rng.choice(_UTF8_PIECES) for _ in range(rng.randrange(1, 20)))
        want = _utf8_decoded_length(data)
        assert _transcode.utf8_length(data) == want, data
        outcomes.add(want is None)
    assert outcomes == {True, False}


def test_the_utf8_check_is_the_strict_decode_for_every_pair_and_triple_of_bytes_at_word_boundaries():
    tails = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xE4, 0xF0]
    for lead in range(0x80, 0x100):
        for second in range(0x100):
            for pad in (b"", b"x" * 7, b"x" * 8):
                data = pad + bytes((lead, second))
                assert _transcode.utf8_length(data) == _utf8_decoded_length(data), data
            for third in tails:
                for fourth in (0x41, 0x80, 0xBF):
                    data = bytes((lead, second, third, fourth))
                    assert _transcode.utf8_length(data) == _utf8_decoded_length(data), data


def test_the_utf8_check_counts_the_characters_of_every_page_the_tests_hold():
    for text in _page_texts():
        data = text.encode("utf-8")
        assert _transcode.utf8_length(data) == len(text)
        assert _transcode.utf8_length(text.encode("gb18030")) == _utf8_decoded_length(text.encode("gb18030"))


def test_parse_page_answers_the_same_through_the_utf8_check_on_every_page_the_tests_hold(monkeypatch):
    for text in _page_texts():
        data = text.encode("utf-8")
        assert encoding.decode_page_utf8(data)[3] == len(text)
        fast, slow = _both_ways(monkeypatch, data)
        assert fast == slow


def test_counting_bytes_in_c_is_what_translate_leaves():
    rng = random.Random(4)
    for _ in range(5000):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(40)))
        wanted = bytes(rng.sample(range(256), rng.randrange(256)))
        others = bytes(b for b in range(256) if b not in wanted)
        assert _transcode.count_bytes_in(data, wanted) == len(data.translate(None, others))


def test_looks_binary_answers_the_same_through_the_count(monkeypatch):
    rng = random.Random(5)
    inputs = [*_page_inputs(), b"\x01" * 10 + b"<p>x</p>" * 20, b"<p>\x01\x02\x03</p>" * 50,
              *(bytes(rng.randrange(256) for _ in range(rng.randrange(300))) for _ in range(500))]
    fast = [encoding.looks_binary(data) for data in inputs]
    monkeypatch.setattr(encoding, "_transcode", None)
    assert [encoding.looks_binary(data) for data in inputs] == fast
    assert True in fast and False in fast
