"""The compiled GB18030 -> UTF-8 transcoder (aggregator/extract/_transcode.pyx) held to Python's
codec: its table is the codec's for every 2-byte sequence; on every page the tests hold (as its
bytes and encoded to GB18030) and on random byte strings it gives the UTF-8 of the decoded text
and its length, or gives up exactly where the strict decode raises or meets a 4-byte sequence."""
from __future__ import annotations

import random
from functools import lru_cache

import pytest

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
