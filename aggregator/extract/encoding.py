"""Bytes of a page -> text, whatever the page declares (or fails to declare).

    decode_html(data, http_encoding=None) -> (text, encoding) | (None, reason)
    decode_page(data, http_encoding=None) -> decode_html()'s pair + the bytes when the text is
                                           exactly their UTF-8 decoding, else None
    decode_page_utf8(data, http_encoding=None) -> decode_page()'s triple + None, or for a page
                                           of valid UTF-8, or of ASCII and 2-byte characters
                                           read as GB18030 without an error (None, encoding,
                                           the text's UTF-8, the text's length): no text made
    mojibake_reason(text) -> str | None
    looks_binary(data) -> bool

Declarations are read with w3lib (BOM, HTTP header, <meta>); w3lib also maps
GB2312/GBK to GB18030, their superset. A declaration is only trusted when the
bytes decode under it with (almost) no errors: Chinese sites often send
`charset=utf-8` in the header for a GBK page, or keep a `gb2312` meta after
moving to UTF-8. When no declaration survives, charset-normalizer detects.
"""
from __future__ import annotations

import codecs
import importlib
import re
from typing import NamedTuple

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
    to_unicode,
)

# a declared encoding is accepted when at most this share of its non-ASCII
# characters fail to decode (old GBK pages carry a few broken bytes)
_MAX_ERROR_SHARE = 0.01
# charset-normalizer gets a prefix: detection on the first 64 KB is as good and bounded in time
_DETECT_BYTES = 65536

try:  # the GB18030 -> UTF-8 transcoder (aggregator/extract/_transcode.pyx), when the package was built with it
    _transcode = importlib.import_module("aggregator.extract._transcode")
except ImportError:  # not built: GB18030 pages are decoded to text, then encoded to UTF-8 by their reader
    _transcode = None


class Utf8Text(NamedTuple):
    """A page's text held as its UTF-8 bytes and its length in characters, the text not made."""
    utf8: bytes
    chars: int


def _transcoded(data: bytes, encoding: str):
    """The Utf8Text of data.decode(encoding) for a GB18030 page of ASCII and 2-byte characters,
    made without the text; else None (the transcoder is not built or gives up)."""
    if encoding != "gb18030" or _transcode is None:
        return None
    found = _transcode.gb18030_to_utf8(data)
    # the transcoder reads only what the strict decode reads without an error, to the same text
    return Utf8Text(*found) if found is not None else None


def _reading(data: bytes, encoding: str, utf8: bool):
    """data.decode(encoding), raising as it does; with `utf8`, maybe its Utf8Text (_transcoded)."""
    transcoded = _transcoded(data, encoding) if utf8 else None
    return data.decode(encoding) if transcoded is None else transcoded


# the C0 control bytes that text does not hold (tab, line feed, form feed, carriage return and
# escape aside); every other byte, deleted by bytes.translate, leaves only them to count
_CONTROLS = frozenset(range(32)) - {9, 10, 12, 13, 27}
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROLS)
_CONTROL = bytes(sorted(_CONTROLS))  # counted in C by the transcoder's module, where it is built


def looks_binary(data) -> bool:
    """True for bytes that are not text: NUL bytes or many C0 control bytes near the start."""
    if not isinstance(data, (bytes, bytearray)) or not data:
        return False
    head = bytes(data[:4096])
    if read_bom(head)[0] in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        return False
    if b"\x00" in head:
        return True
    if _transcode is not None:
        controls = _transcode.count_bytes_in(head, _CONTROL)
    else:
        controls = len(head.translate(None, _NOT_CONTROL))
    return controls > len(head) * 0.05


def _error_share(data: bytes, encoding: str, utf8=False):
    """(share of the non-ASCII characters that do not decode, text), or (None, None) for an unknown
    codec; with `utf8`, a page read without an error may come as a Utf8Text (see _reading)."""
    try:
        return 0.0, _reading(data, encoding, utf8)
    except UnicodeDecodeError:
        pass
    except (LookupError, TypeError):
        return None, None
    text = data.decode(encoding, errors="replace")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return (text.count("\ufffd") / non_ascii if non_ascii else 0.0), text


# Undeclared pages of this product's sites are Chinese: like a browser in a
# zh-CN locale, detection chooses among the Chinese legacy encodings (the
# UTF encodings were tried first). Left free, charset-normalizer calls some
# short GBK pages Cyrillic (ptcp154).
_DETECT_AMONG = ["gb18030", "big5hkscs", "big5"]


def _decodes(data: bytes, encoding: str) -> bool:
    """True when `data` reads under `encoding` without an error (a character cut at the end aside)."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _broken_share(data: bytes, encoding: str) -> float:
    """The share of the non-ASCII characters of `data` that do not read under `encoding`
    (a character cut at the end aside)."""
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(data, final=False)
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return text.count("\ufffd") / non_ascii if non_ascii else 0.0


def _readable(data: bytes, encoding: str, texts: dict, utf8=False) -> bool:
    """_decodes(data[:_DETECT_BYTES], encoding). A page no longer than that is decoded whole
    first: when it reads without any error its text goes to `texts` (the page decoded once, not
    again after detection); an error that does not reach the end of the bytes is one the
    incremental decoder meets too (it holds back only a character cut at the end). With `utf8`,
    a page of any length that the transcoder reads whole goes to `texts` as its Utf8Text: a page
    without any error has none in its prefix either."""
    transcoded = _transcoded(data, encoding) if utf8 else None
    if transcoded is not None:
        texts[encoding] = transcoded
        return True
    if len(data) <= _DETECT_BYTES:
        try:
            texts[encoding] = data.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.end < len(data):
                return False
    return _decodes(data[:_DETECT_BYTES], encoding)


def _detect(data: bytes, texts=None, utf8=False):
    """The encoding detected, or None; `texts` (a dict) receives {encoding: text} of the
    encodings under which detection already decoded the whole page without an error (with
    `utf8`, a text may be a Utf8Text, see _reading)."""
    # detection ranks the encodings that read the bytes without an error: when only one of
    # them does (a GBK page is rarely valid Big5), it is the answer, found without scoring;
    # when none does, the only one that reads them as well as a declared encoding must
    # (old GBK pages carry a few broken bytes, the wrong family breaks on many) is
    texts = {} if texts is None else texts
    head = data[:_DETECT_BYTES]
    readable = [enc for enc in _DETECT_AMONG if _readable(data, enc, texts, utf8)]
    if not readable:
        readable = [enc for enc in _DETECT_AMONG if _broken_share(head, enc) <= _MAX_ERROR_SHARE]
    if len(readable) == 1:
        return readable[0]
    try:
        from charset_normalizer import from_bytes
        best = from_bytes(data[:_DETECT_BYTES], cp_isolation=_DETECT_AMONG).best()
    except Exception:  # noqa: BLE001 - a detector failure only means "no guess"
        return None
    return resolve_encoding(best.encoding) if best is not None else None


def decode_html(data, http_encoding=None):
    """Decode a fetched page. Returns (text, encoding name); (None, reason) for non-text.

    `http_encoding` is the HTTP Content-Type header or just its charset value.
    A str page is returned as is (encoding None).
    """
    text, encoding, _ = decode_page(data, http_encoding)
    return text, encoding


def decode_page(data, http_encoding=None):
    """decode_html(), and the page's bytes when the text is exactly their UTF-8 decoding (valid
    UTF-8 without a BOM), else None: a parser fed UTF-8 takes those bytes as they are, instead of
    the text encoded again."""
    return _decode_page(data, http_encoding, utf8=False)


def decode_page_utf8(data, http_encoding=None):
    """decode_page()'s (text, encoding, bytes) and None; for a page that decode_page() reads as
    UTF-8, or as GB18030 without an error and of ASCII and 2-byte characters, (None, encoding,
    the UTF-8 of its text, the length of its text) instead: a parser fed UTF-8 gets it without
    the text."""
    text, encoding, raw = _decode_page(data, http_encoding, utf8=True)
    if isinstance(text, Utf8Text):
        return None, encoding, text.utf8, text.chars
    return text, encoding, raw, None


def _decode_page(data, http_encoding, utf8):
    """decode_page(); with `utf8`, the text of a UTF-8 page (_as_utf8) or of a legacy one (see
    _reading) may be a Utf8Text."""
    if isinstance(data, str):
        return data, None, None
    if not isinstance(data, (bytes, bytearray)):
        return None, "not text", None
    data = bytes(data)
    if not data or data.isspace():  # not data.strip(), without copying the page
        return "", None, None
    bom_enc, bom = read_bom(data)
    if bom_enc:
        return to_unicode(data[len(bom):], bom_enc), bom_enc, None
    if looks_binary(data):
        return None, "binary content", None
    # strict UTF-8 validity is a strong signal of its own: legacy Chinese text is almost never
    # valid UTF-8, so a page that is wins over any declaration
    text = _as_utf8(data, utf8)
    if text is not None:
        return text, "utf-8", data
    return (*_legacy(data, http_encoding, utf8), None)


def _as_utf8(data: bytes, utf8: bool):
    """data.decode("utf-8"), or None where the strict decode raises; with `utf8`, its Utf8Text
    where the transcoder is built: the bytes checked and their characters counted in C, without
    the text (a parser fed UTF-8 takes the bytes as they are)."""
    if utf8 and _transcode is not None:
        chars = _transcode.utf8_length(data)
        return None if chars is None else Utf8Text(data, chars)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _legacy(data: bytes, http_encoding, utf8=False):
    """(text, encoding) of a page that is not valid UTF-8: the declarations that read it, else
    detection (with `utf8`, the text may be a Utf8Text, see _reading)."""
    candidates = []
    if http_encoding:
        header = http_encoding if "charset" in http_encoding.lower() else f"charset={http_encoding}"
        candidates.append(http_content_type_encoding(header))
    candidates.append(html_body_declared_encoding(data))
    tried = set()
    for enc in candidates:
        if not enc or enc in tried:
            continue
        tried.add(enc)
        share, text = _error_share(data, enc, utf8)
        if share is not None and share <= _MAX_ERROR_SHARE:
            if enc == "gb18030" and share:  # w3lib's gb18030 handler maps the few broken bytes the way browsers do
                text = to_unicode(data, enc)
            return text, enc
    texts: dict = {}
    detected = _detect(data, texts, utf8)
    if detected:
        text = texts.get(detected)
        return (to_unicode(data, detected) if text is None else text), detected
    # nothing decodes cleanly: the least damaged reading, the zh-CN default among them
    # (mojibake_reason() judges the result later)
    scored = []
    for enc in [*tried, "utf-8", "gb18030"]:
        share, _ = _error_share(data, enc)
        if share is not None:
            scored.append((share, enc != "gb18030", enc))
    enc = min(scored)[2] if scored else "utf-8"
    return to_unicode(data, enc), enc


# UTF-8 bytes read as Latin-1/cp1252: a lead byte letter (Ã, â, å ...) followed by a
# continuation byte shown as a C1 control, a Latin-1 symbol or a cp1252 punctuation mark
_LATIN1_SOUP = re.compile(
    "[\u00c2-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


_BROKEN = re.compile("[\ufffd\u0080-\u009f]")
# every character _BROKEN counts, and the lead letter every match of _LATIN1_SOUP opens with: a
# text holding none of them has no reason to be rejected, told by one scan
_SUSPECT = re.compile("[\ufffd\u0080-\u009f\u00c2-\u00ef]")


def mojibake_reason(text, *, limit=0.02):
    """Why `text` looks like wrongly decoded bytes, or None if it reads as text.

    Counts U+FFFD and C1 control characters, and the Latin-1 letter soup
    ("Ã¤Â¸Â") that UTF-8 read as Latin-1 leaves, as a share of the
    non-ASCII characters.
    """
    if not isinstance(text, str) or not text or text.isascii() or _SUSPECT.search(text) is None:
        return None
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if non_ascii < 20:
        return None
    bad = len(_BROKEN.findall(text))
    if bad / non_ascii > limit:
        return f"mojibake: {bad / non_ascii:.0%} replacement or control characters"
    soup = 2 * len(_LATIN1_SOUP.findall(text))
    if soup / non_ascii > 0.2:
        return f"mojibake: {soup / non_ascii:.0%} UTF-8 read as Latin-1"
    return None
