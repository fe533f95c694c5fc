"""An article's attachments (附件): the documents its page links to, recorded, never downloaded.

    find_attachments(html_or_tree, page_url, *, encoding=None) -> [{"url", "name", "type"}]
        every link of the whole page (attachments often sit below the body container, under a
        附件 heading) whose href, link text, title or query's filename= ends with a document
        extension, plus the entries of a script's JSON `attachment` list (gkmlpt content pages
        carry `window._CONFIG = {DETAIL: {..., "attachment": [...]}}`); absolute http(s) URLs,
        one entry per URL (fragment dropped), in page order. [] on bad input; never raises.

    clean_attachments(value, page_url) -> [{"url", "name", "type"}]
        attachments given with an item (`aggregator import`): {url, name, type} objects or plain
        URLs; relative URLs resolve against the article's URL, anything but http(s) is dropped.

Link shapes seen on bureau sites:
    Hanweb JCMS   /module/download/downfile.jsp?classid=0&filename=2405061234567.pdf  (type in the query)
    TRS WCM       ./P020240506123456789012.pdf  relative to .../202405/t20240506_1.html
    any           <a href="/upload/报名表.docx">附件1：报名表.docx</a>, <a href="/dl?id=9">报名表.xlsx</a>
"""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit, urlunsplit

# the document types an attachment link ends with
EXTENSIONS = frozenset("pdf doc docx xls xlsx ppt pptx wps zip rar ofd".split())
# a name ending with a document extension, optionally followed by a printed size: "表.xlsx（12KB）"
_EXT_AT_END = re.compile(r"\.([A-Za-z0-9]{2,5})\s*(?:[（(\[【][^（()）\[\]【】]{0,20}[)）\]】])?\s*$")
# query parameters that carry the file's name on download scripts (downfile.jsp?filename=…)
_NAME_PARAMS = ("filename", "file_name", "fname", "file", "name", "attname", "realname")
# hrefs that are not documents at all
_NOT_LINKS = ("javascript:", "mailto:", "tel:", "data:", "#")
# "附件：", "附件1：", "附件 2." before the name in a link's text: a label, not the name (a separator is
# required, so the year of "附件2024年招生计划.pdf" stays)
_LABEL = re.compile(r"^\s*附\s*件\s*(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})?\s*[:：、.．]\s*")
# link texts that say "download" rather than name the file
_GENERIC = frozenset({"下载", "点击下载", "附件下载", "附件", "点击查看", "查看", "打开", "download", "here"})
# the JSON list of a script: "attachment": [...] (gkmlpt) or "attachments": [...]
_SCRIPT_LIST = re.compile(r"""["']?attachments?["']?\s*:\s*\[""")
_URL_KEYS = ("url", "link", "href", "path", "file_url", "fileUrl", "download_url", "downloadUrl", "src")
_NAME_KEYS = ("name", "title", "filename", "file_name", "fileName", "original_name", "originalName")
_WS = re.compile(r"\s+")


def _extension(text) -> str | None:
    """The document extension `text` (a path, a file name, a link's text) ends with, lowercased."""
    if not isinstance(text, str):
        return None
    found = _EXT_AT_END.search(text.strip())
    if found and found.group(1).lower() in EXTENSIONS:
        return found.group(1).lower()
    return None


def _file_name(url) -> str | None:
    """The file name a URL names: its query's filename= when that ends with an extension, else the path's last part."""
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in _NAME_PARAMS and _extension(value):
            return value.rsplit("/", 1)[-1].strip() or None
    return unquote(parts.path.rsplit("/", 1)[-1]).strip() or None


def _type_of(url, *names) -> str | None:
    """The attachment's type: the URL path's extension, its query's filename=, then the names' (link text, title)."""
    parts = urlsplit(url)
    found = _extension(unquote(parts.path))
    if found:
        return found
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in _NAME_PARAMS and _extension(value):
            return _extension(value)
    for name in names:
        if _extension(name):
            return _extension(name)
    return None


def _absolute(href, base) -> str | None:
    """href resolved against base, fragment dropped; None unless it is an http(s) URL."""
    if not isinstance(href, str):
        return None
    href = href.strip()
    if not href or href.lower().startswith(_NOT_LINKS):
        return None
    try:
        url = urljoin(base or "", href)
        parts = urlsplit(url)
    except ValueError:  # a malformed href (an unclosed [ in the host, say)
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return urlunsplit(parts._replace(fragment=""))


def _name(text) -> str:
    text = _WS.sub(" ", text or "").strip()
    return _LABEL.sub("", text).strip() or text


def _script_entries(script_text):
    """The entries of every `attachment(s): [...]` JSON list in a script's text."""
    decoder = json.JSONDecoder()
    for found in _SCRIPT_LIST.finditer(script_text):
        try:
            value, _ = decoder.raw_decode(script_text, found.end() - 1)
        except ValueError:
            continue
        if isinstance(value, list):
            yield from value


def _entry(value, base):
    """One given attachment (a URL, or an object with a URL and maybe a name and type) -> dict or None."""
    if isinstance(value, str):
        url, name, given_type = _absolute(value, base), None, None
    elif isinstance(value, dict):
        raw = next((value[k] for k in _URL_KEYS if isinstance(value.get(k), str) and value[k].strip()), None)
        url = _absolute(raw, base)
        name = next((value[k] for k in _NAME_KEYS if isinstance(value.get(k), str) and value[k].strip()), None)
        given_type = value.get("type") if isinstance(value.get("type"), str) else None
    else:
        return None
    if not url:
        return None
    name = _name(name) if name else _file_name(url)
    kind = (given_type or "").strip().lstrip(".").lower()
    # a given type is kept when it looks like an extension; otherwise it is read from the URL or name
    kind = kind if re.fullmatch(r"[a-z0-9]{1,8}", kind) else _type_of(url, name)
    return {"url": url, "name": name, "type": kind}


def _tree(page, encoding):
    """An lxml root for str/bytes/an lxml tree or element; None for anything else."""
    from lxml import etree
    from lxml import html as lxml_html

    if isinstance(page, etree._ElementTree):
        return page.getroot()
    if isinstance(page, etree._Element):
        return page
    if isinstance(page, (bytes, bytearray)):
        from aggregator.extract.encoding import decode_html
        page, _ = decode_html(page, encoding)
    if not isinstance(page, str) or not page.strip():
        return None
    # lxml refuses a str that declares its encoding (<?xml … encoding=…?>)
    page = re.sub(r"^\s*<\?xml[^>]*>", "", page, count=1)
    return lxml_html.document_fromstring(page)


def find_attachments(html_or_tree, page_url, *, encoding=None) -> list[dict]:
    try:
        return _find(html_or_tree, page_url, encoding)
    except Exception:  # noqa: BLE001 - the contract: a bad page has no attachments, it never raises
        return []


def _find(page, page_url, encoding):
    if page_url is not None and not isinstance(page_url, str):
        return []
    root = _tree(page, encoding)
    if root is None:
        return []
    base = page_url or ""
    base_el = next(iter(root.iterfind(".//base[@href]")), None)
    if base_el is not None:  # <base href> moves every relative link of the page
        base = urljoin(base, base_el.get("href").strip())
    found = {}  # url -> entry, in page order
    named = set()  # urls whose name came from a link's own text (a file-name fallback may be improved on)
    for a in root.iter("a", "area"):
        url = _absolute(a.get("href"), base)
        if not url:
            continue
        text = _WS.sub(" ", a.text_content() if a.tag == "a" else "").strip()
        title = (a.get("title") or "").strip()
        kind = _type_of(url, text, title)
        if kind is None:
            continue
        name = _name(text)
        has_text = bool(name) and name.lower() not in _GENERIC
        if not has_text:
            name = _name(title) if title else _file_name(url)
        if url not in found or (has_text and url not in named):
            found[url] = {"url": url, "name": name or None, "type": kind}
            if has_text:
                named.add(url)
    for script in root.iter("script"):
        for value in _script_entries(script.text or ""):
            entry = _entry(value, base)
            if entry and entry["url"] not in found:
                found[entry["url"]] = entry
    return list(found.values())


def clean_attachments(value, page_url) -> list[dict]:
    """Given attachments (a list of {url, name, type} or URLs) -> validated entries, one per URL;
    [] for anything else."""
    if not isinstance(value, (list, tuple)):
        return []
    base = page_url if isinstance(page_url, str) else ""
    out = {}
    for raw in value:
        try:
            entry = _entry(raw, base)
        except Exception:  # noqa: BLE001 - one bad entry is dropped, not the article
            entry = None
        if entry and entry["url"] not in out:
            out[entry["url"]] = entry
    return list(out.values())
