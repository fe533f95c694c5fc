"""Is a fetched page a web page at all? PDF, office files, images, archives and other binaries
are never articles, whatever Content-Type the server sent.

    not_a_page(content_type, body) -> str | None
        "application/pdf", "PDF (served as text/html)" ... or None for an HTML/text page.
"""
from __future__ import annotations

PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/xml", "application/xml")
# the first bytes of common binary formats
MAGIC = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP or office document"),
    (b"\xd0\xcf\x11\xe0", "office document (OLE)"),
    (b"GIF8", "GIF image"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf", "7z archive"),
    (b"\x1f\x8b", "gzip data"),
)


def not_a_page(content_type, body) -> str | None:
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared and declared not in PAGE_TYPES:
        return declared
    head = bytes(body or b"")[:8].lstrip() if isinstance(body, (bytes, bytearray)) else b""
    for magic, name in MAGIC:
        if head.startswith(magic):
            return f"{name} (served as {declared})" if declared else name
    return None
