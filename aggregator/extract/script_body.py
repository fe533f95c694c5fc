"""Bodies that a page carries only in a script: a JavaScript-rendered content page whose
HTML container is empty and whose text sits in a JSON string.

gkmlpt (Guangdong's 政府信息公开 platform) content pages carry the document in
`window._CONFIG = {..., DETAIL: {..., "content": "<p>…</p>", ...}}` and render it in the browser
(public crawlers of the platform read it there). The CMS family names where to look:

    SCRIPT_BODIES = {cms: (script marker, container css)}
    move_script_body(tree, cms) -> bool
        before prepare_tree (which drops scripts): when the family's container is missing or
        holds no text, parse the script's content string into it; True when it did.
"""
from __future__ import annotations

import json
import re

from lxml import etree
from lxml import html as lxml_html

SCRIPT_BODIES = {
    "gkmlpt": ("DETAIL", "article-content"),
}
# the "content" string inside the marked object: a JSON string literal, escapes included
_CONTENT = re.compile(r"""["']?content["']?\s*:\s*("(?:\\.|[^"\\])*")""", re.S)
_WS = re.compile(r"\s+")


def _script_content(tree, marker):
    for script in tree.iter("script"):
        text = script.text or ""
        at = text.find(marker)
        if at < 0:
            continue
        found = _CONTENT.search(text, at)
        if found:
            try:
                return json.loads(found.group(1))
            except ValueError:
                return None
    return None


def _container(tree, css_class):
    for el in tree.iter():
        if isinstance(el.tag, str) and css_class in (el.get("class") or "").split():
            return el
    return None


def move_script_body(tree, cms) -> bool:
    if cms not in SCRIPT_BODIES:
        return False
    marker, css_class = SCRIPT_BODIES[cms]
    container = _container(tree, css_class)
    if container is not None and _WS.sub("", container.text_content()):
        return False
    content = _script_content(tree, marker)
    if not content or not isinstance(content, str):
        return False
    try:
        nodes = lxml_html.fragments_fromstring(content)
    except (etree.ParserError, ValueError):
        return False
    if container is None:
        body = tree.find(".//body")
        if body is None:
            return False
        container = etree.SubElement(body, "div", {"class": css_class})
    for node in nodes:
        if isinstance(node, str):
            container.text = (container.text or "") + node
        else:
            container.append(node)
    return True
