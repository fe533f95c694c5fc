import pytest

from aggregator.extract import extract_article
from aggregator.extract.encoding import decode_html, looks_binary, mojibake_reason

TEXT = "北仑区教育局举行“百强支部PK赛”，来自教育系统的十五家党支部同台比拼，互学互比。"
TRAD = "臺北市教育局舉辦國語文競賽，來自各區學校的學生參加比賽，家長們都很滿意這次的活動。"


def page(meta=""):
    return f"<html><head>{meta}<title>新闻</title></head><body><p>{TEXT}</p></body></html>"


@pytest.mark.parametrize("codec,meta,header", [
    ("gbk", '<meta charset="gbk">', None),                 # declared right
    ("gbk", '<meta charset="gb2312">', None),              # GB2312 declared, GBK characters used
    ("gb18030", "", None),                                 # no declaration at all
    ("gbk", '<meta charset="utf-8">', None),               # meta says UTF-8, bytes are GBK
    ("gbk", '<meta charset="gbk">', "text/html; charset=utf-8"),  # header contradicts the meta
    ("utf-8", '<meta charset="gb2312">', None),            # site moved to UTF-8, kept the old meta
    ("utf-8", "", "text/html; charset=iso-8859-1"),        # wrong header
])
def test_chinese_pages_decode_whatever_they_declare(codec, meta, header):
    text, _ = decode_html(page(meta).encode(codec), header)
    assert TEXT in text


def test_gb2312_declared_page_decodes_as_gb18030():
    assert decode_html(page('<meta charset="gb2312">').encode("gbk"))[1] == "gb18030"


def test_big5_page_without_declaration_decodes():
    raw = f"<html><body><p>{TRAD}</p></body></html>".encode("big5")
    assert TRAD in decode_html(raw)[0]


def test_utf8_bom_wins_over_a_wrong_meta():
    raw = b"\xef\xbb\xbf" + page('<meta charset="gbk">').encode("utf-8")
    text, enc = decode_html(raw)
    assert enc == "utf-8" and TEXT in text


def test_extract_article_reports_the_encoding_used():
    article = extract_article(page().encode("gbk"), "http://example.cn/a.html", encoding="utf-8")
    assert TEXT in article["body"] and article["encoding"] == "gb18030"


@pytest.mark.parametrize("data", [b"\x00\x01\x02PK\x03\x04" * 500, bytes(range(256)) * 100])
def test_binary_is_recognised(data):
    assert looks_binary(data)


def test_binary_served_as_html_is_a_reject():
    article = extract_article(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 1000, "http://example.cn/a.html")
    assert article["reject_reason"].startswith("not text")


@pytest.mark.parametrize("garbled", [
    TEXT.encode("utf-8").decode("cp1252", errors="replace"),   # UTF-8 read as Latin-1
    TEXT.encode("gbk").decode("utf-8", errors="replace"),      # GBK read as UTF-8
])
def test_mojibake_is_named(garbled):
    assert mojibake_reason(garbled).startswith("mojibake:")


@pytest.mark.parametrize("clean", [TEXT, TRAD, "Le café est très bon, élève à côté. " * 5, "", "plain ascii"])
def test_real_text_is_not_mojibake(clean):
    assert mojibake_reason(clean) is None


def test_mojibake_body_becomes_a_reject_not_text():
    garbled = TEXT.encode("utf-8").decode("cp1252", errors="replace")
    article = extract_article(f"<html><body><p>{garbled * 3}</p></body></html>", "http://example.cn/a.html")
    assert article["body"] is None and article["reject_reason"].startswith("mojibake:")


@pytest.mark.parametrize("value", [None, 42, b"", "", "   "])
def test_decode_never_raises(value):
    decode_html(value)


# a bureau's notice as undeclared GBK bytes with one stray byte before a tag: a page no encoding
# reads without an error, that GB18030 reads as well as a declared encoding may (1%) and the Big5
# family does not
NOTICE = "为进一步加强学校安全管理，县教育局组织开展了全县中小学校园安全专项检查，检查组深入各学校，" \
         "对食堂、宿舍、实验室等重点区域逐一排查，并现场反馈发现的问题，要求限期整改到位。"


def test_an_undeclared_gbk_page_with_a_broken_byte_reads_as_gb18030():
    raw = b"<html><body><p>" + (NOTICE * 8).encode("gbk") + b"\xff</p></body></html>"
    text, enc = decode_html(raw)
    assert enc == "gb18030" and NOTICE in text and text.count("\ufffd") == 1


@pytest.mark.parametrize("data,binary", [
    (b"<p>\t\r\n\x1b[0m\x0c</p>" * 300, False),       # tab, line breaks, form feed, escape: text
    (b"<p>" + b"\x01" * 4 + b"x" * 100 + b"</p>", False),  # a few control bytes: text
    (b"\x01\x02\x03\x04\x05\x06 text " * 200, True),    # many control bytes: not text
])
def test_control_bytes_decide_binary(data, binary):
    assert looks_binary(data) is binary


def _shape(tree):
    return [(el.tag, el.text, el.tail, sorted(el.attrib.items())) for el in tree.iter() if isinstance(el.tag, str)]


@pytest.mark.parametrize("html", [
    page('<meta charset="gbk">'),                                   # a meta naming another encoding
    "<html><body><p>a\x0bb\ufffe \U0001F600 \u2028</p><p>\r\n</p></body></html>",  # odd characters
    "<html><body>" + "<div>" * 300 + "深" + "</div>" * 300 + "</body></html>",  # deep nesting
])
def test_a_page_parses_to_the_same_tree_as_text_as_utf8_and_as_gb18030_bytes(html):
    from lxml import html as lxml_html

    from aggregator.extract import parse_page
    plain = _shape(lxml_html.document_fromstring(html))
    assert _shape(parse_page(html)[0]) == plain
    assert _shape(parse_page(html.encode("utf-8"))[0]) == plain
    assert _shape(parse_page(html.encode("gb18030"), "gb18030")[0]) == plain


@pytest.mark.parametrize("html", [
    '<?xml version="1.0" encoding="gbk"?><html><body><p>正文</p></body></html>',  # an XML declaration
    "<html><body><p>正文\udc80</p></body></html>",                # a lone surrogate: no UTF-8 for it
])
def test_pages_utf8_cannot_hold_as_declared_still_parse(html):
    from aggregator.extract import parse_page
    tree, _, reason = parse_page(html)
    assert reason is None and "正文" in tree.text_content()


def test_the_suspect_scan_holds_every_character_a_reason_is_counted_from():
    """mojibake_reason answers None at once for a text holding no _SUSPECT character: that set
    must hold every character _BROKEN counts and every one a _LATIN1_SOUP match opens with."""
    from aggregator.extract import encoding
    from tests.regex_first import first_chars

    suspect = first_chars(encoding._SUSPECT)
    assert first_chars(encoding._BROKEN) <= suspect
    assert first_chars(encoding._LATIN1_SOUP) <= suspect


@pytest.mark.parametrize("text,reason", [
    (TEXT * 3, None),                                          # no suspect character: the quick answer
    (TEXT * 3 + "·×©°", None),                                 # Latin-1 symbols outside the suspect set
    ("Le café est très bon, élève à côté. " * 5, None),        # suspect letters, no soup: counted, none
    (TEXT * 3 + "\ufffd" * 9, "replacement or control characters"),
    (TEXT * 3 + "\x85" * 9, "replacement or control characters"),  # a C1 control only
    (TEXT.encode("utf-8").decode("cp1252", errors="ignore"), "UTF-8 read as Latin-1"),  # soup only
])
def test_mojibake_reason_with_and_without_suspect_characters(text, reason):
    found = mojibake_reason(text)
    assert found == reason if reason is None else found.startswith("mojibake:") and found.endswith(reason)


def _undeclared(body, size=1):
    return (f"<html><head><title>新闻</title></head><body>" + f"<p>{body}</p>" * size + "</body></html>").encode("gbk")


@pytest.mark.parametrize("data", [
    _undeclared(TEXT),                                  # short: detection decodes it whole, once
    _undeclared(TEXT) + "教".encode("gbk")[:1],         # a character cut at the end
    _undeclared(TEXT).replace("区".encode("gbk"), b"\x81\x20", 1) * 2,  # a broken byte inside
    _undeclared(TEXT, size=800),                        # longer than the detector's prefix
])
def test_a_detected_page_reads_as_its_whole_decoding(data):
    """Detection may hand over the text it decoded: it is the page decoded under the encoding
    detected, as w3lib decodes it."""
    from w3lib.encoding import to_unicode

    text, enc = decode_html(data)
    assert enc == "gb18030" and text == to_unicode(data, enc) and "教育局举行" in text


@pytest.mark.parametrize("data,raw", [
    (page('<meta charset="utf-8">').encode("utf-8"), True),       # valid UTF-8: the bytes themselves
    (b"\xef\xbb\xbf" + page().encode("utf-8"), False),            # a BOM: not part of the text
    (page('<meta charset="gbk">').encode("gbk"), False),          # another encoding
    (page().encode("utf-8").replace(b"<p>", b"<p>\xff", 1), False),  # UTF-8 with a broken byte
])
def test_decode_page_hands_over_the_bytes_only_when_the_text_is_their_utf8(data, raw):
    from aggregator.extract.encoding import decode_page

    text, _, source = decode_page(data)
    assert (source is not None) == raw
    if raw:
        assert source == data and source.decode("utf-8") == text
