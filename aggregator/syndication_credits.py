"""Does a copy credit the original? Generous matching of organisation names.

    org_aliases(name) -> set[str]
    credits_original(source, body, names) -> bool
    names_any(source, body, aliases) -> bool     the same with the aliases already worked out
    credit_evidence(source, body, aliases) -> str | None   where the credit is, for editors
"""
from __future__ import annotations

import re

from aggregator.syndication import _NON_WORD, _clean_str, _simplified_half_width, _word_chars, fold

__all__ = ["org_aliases", "credits_original", "names_any", "credit_evidence"]

_GENERIC_SOURCES = frozenset({
    "本站", "本网", "本网站", "原创", "投稿", "未知", "网络", "转载", "互联网", "综合", "综合整理",
    "本报", "本台", "编辑部", "来源", "佚名", "admin", "管理员", "网站", "其他", "其它",
})
_SITE_SUFFIX = re.compile(
    r"(?:官方网站|门户网站|政府网站|官网|网站|网|微信公众号|公众号|官方微博|微博|客户端|app|频道)$",
    re.IGNORECASE)
_BRACKETED = re.compile(r"[(（\[【][^()（）\[\]【】]*[)）\]】]")
_ADMIN_UNIT = re.compile(r"(.{2,8}?(?:自治区|自治州|自治县|特别行政区|省|市|区|县|州|盟|旗))(?=.{2,})")
_ADMIN_SUFFIX = re.compile(r"(?:自治区|自治州|自治县|特别行政区|省|市|区|县|州|盟|旗)$")
_ORG_SUFFIX = re.compile(r"(?:委员会|办公室|管理局|局|厅|委|部|处|办)$")


def org_aliases(name) -> set:
    """Spellings an organisation is credited under, from its full name:
    宁波市北仑区教育局（演示） -> 北仑区教育局, 北仑教育局, 北仑区教育, 北仑教育, 宁波市北仑区教育局 ...
    Empty for generic sources (本站, 投稿, 原创 ...)."""
    try:
        name = _BRACKETED.sub("", fold(name))
    except Exception:
        return set()
    name = _NON_WORD.sub("", name)
    prev = None
    while prev != name:
        prev, stripped = name, _SITE_SUFFIX.sub("", name)
        if len(stripped) >= 3:  # 人民网 stays 人民网, not 人民
            name = stripped
    if len(name) < 2 or name.lower() in _GENERIC_SOURCES:
        return set()
    out = {name}
    units, rest = [], name
    while (m := _ADMIN_UNIT.match(rest)):
        units.append(m.group(1))
        rest = rest[m.end(1):]
    if not units:
        return out
    cores = {rest}
    core = _ORG_SUFFIX.sub("", rest)
    if len(core) >= 2:
        cores.add(core)
    for i in range(len(units)):
        place = units[i:]
        bare = [_ADMIN_SUFFIX.sub("", u) or u for u in place]
        for p in ("".join(place), "".join(bare)):
            for c in cores:
                alias = p + c
                if len(alias) >= 4:
                    out.add(alias)
    return out


def _words(text) -> str:
    """Simplified, half-width, lower-case letters and digits only (what aliases are matched in)."""
    try:
        return _word_chars(_simplified_half_width(_clean_str(text)))
    except Exception:
        return ""


def credits_original(source, body, names) -> bool:
    """True when a copy's 来源 or body names the original (any alias of any of `names`)."""
    aliases = set()
    for n in names or ():
        aliases |= org_aliases(n)
    return names_any(source, body, aliases)


def names_any(source, body, aliases) -> bool:
    """True when the 来源 or the body holds one of `aliases` (from org_aliases)."""
    if not aliases:
        return False
    aliases = {a.lower() for a in aliases}
    if isinstance(body, str) and any(a in body for a in aliases):
        return True  # named as it is spelled: no need to fold the whole body
    # the 来源 first: short, and where most credits are; the body only when it does not credit
    return any(any(a in haystack for a in aliases)
               for haystack in (_words(t) for t in (source, body)))


def credit_evidence(source, body, aliases) -> str | None:
    """Where a copy credits the original, as an editor checks it: "来源：<its 来源>" or
    "body names <alias>"; None when it does not (names_any is False)."""
    if not aliases:
        return None
    lowered = {a.lower() for a in aliases}
    folded_source = _words(source)
    if any(a in folded_source for a in lowered):
        return f"来源：{source}"
    text = body if isinstance(body, str) else ""
    named = [a for a in sorted(aliases, key=len, reverse=True) if a in text]
    if named:
        return f"body names {named[0]}"
    folded_body = _words(body)
    named = [a for a in sorted(lowered, key=len, reverse=True) if a in folded_body]
    return f"body names {named[0]}" if named else None
