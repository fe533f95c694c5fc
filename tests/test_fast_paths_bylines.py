"""The byline parser's fast paths held to what they stand for: a parametrized table of shapes,
and every line of every page the tests hold (the extraction fixtures and the site replicas),
folded as parse_byline folds a line."""
import pytest

from aggregator import bylines as B
from tests.test_fast_paths_fields import fixture_lines


def _folded(text):
    return " ".join(B._nfkc(text[:B._MAX_LINE]).split())


def _hints_by_search(text):
    return B._LABEL_HINT.search(text) is not None, B._UNLABELLED_HINT.search(text) is not None


def _hints_fast(text):
    hint = B._ANY_HINT.search(text)
    return (False, False) if hint is None else B._hints(text, hint)


@pytest.mark.parametrize("text", [
    "", "王明", "作者：王明", "由王明于2021-06-30发表", "[ 王明 ] 2021-06-30 来源：某某日报", "王明/摄 李华/文",
    "来源：某某日报 【打印】", "【 来源 】", "posted @ 2021-06-30 12:00 王明 阅读(1)", "Posted by 王明",
    "文/ 李四", "图|王明", "摄影 王明", "记者 王明 摄", "/图 作者：", "由", "本报讯", "by", "主编：王明 [关闭]",
])
def test_hints_are_the_two_searches(text):
    assert _hints_fast(text) == _hints_by_search(text)


def test_hints_are_the_two_searches_on_every_fixture_line():
    lines = [_folded(t) for t in fixture_lines()]
    assert [t for t in lines if _hints_fast(t) != _hints_by_search(t)] == []


def test_closed_up_is_the_template():
    lines = [_folded(t) for t in fixture_lines()] + ["作者：赵 岩", "记者 王  军 李华", "王 明 李 华"]
    assert [t for t in lines if B._SPACED_NAME.sub(B._closed_up, t) != B._SPACED_NAME.sub(r"\1\2", t)] == []


@pytest.mark.parametrize("head", [
    "本报讯 记者王明 通讯员李华 报道：…", "□ 本报记者 周敏", "某某新闻·某某日报记者王明/文", "特约记者 王明",
    "文/图 王明", "文:王明", "作者 王明", "通讯员 李华", "今天上午，某某区教育局举行会议。", "",
])
def test_a_lead_credit_holds_one_of_its_words(head):
    assert _LEAD_CREDIT_OPENS(head) <= (B._LEAD_CREDIT.search(head) is not None)


def _LEAD_CREDIT_OPENS(head):
    return B._LEAD_CREDIT_START.match(head) is not None


def test_a_lead_credit_holds_one_of_its_words_on_every_fixture_line():
    heads = [" ".join(B._nfkc(t[:200]).split()) for t in fixture_lines()]
    assert [h for h in heads if _LEAD_CREDIT_OPENS(h) and not B._LEAD_CREDIT.search(h)] == []
    assert any(_LEAD_CREDIT_OPENS(h) for h in heads)


def _as_tuple(b):
    return None if b is None else (b.people, b.source, b.date_text, b.date_label)


def test_a_remembered_parse_is_the_parse_on_every_fixture_line():
    lines = fixture_lines()
    for text in lines * 2:  # the second time from memory
        assert _as_tuple(B.parse_byline(text)) == _as_tuple(B._parsed_byline.__wrapped__(text[:B._MAX_LINE]))
        assert _as_tuple(B.parse_tail(text)) == _as_tuple(B._parsed_tail.__wrapped__(text[-200:]))


def test_each_caller_gets_its_own_copy():
    first = B.parse_byline("作者：王明 编辑：李华")
    first.people.clear()
    first.people = []
    again = B.parse_byline("作者：王明 编辑：李华")
    assert [p.name for p in again.people] == ["王明", "李华"]
    tail = B.parse_tail("……体系。（记者 陈静）")
    tail.people.clear()
    assert [p.name for p in B.parse_tail("……体系。（记者 陈静）").people] == ["陈静"]


def _closing_text_is_folded(paragraph):
    tail = B._closing_text(paragraph)
    return B._folded(tail[:B._MAX_LINE]) == tail


def test_the_closing_text_is_folded_on_every_fixture_line():
    assert [t for t in fixture_lines() if not _closing_text_is_folded(t[-200:])] == []


def test_the_closing_text_is_folded_for_every_character():
    """Any character of the Basic Multilingual Plane alone, between and after spaces of every
    kind, after a full-width comma and before an end mark."""
    bad = []
    for c in map(chr, range(0x10000)):
        if 0xD800 <= ord(c) < 0xE000:
            continue
        for text in (c, "王\u3000" + c, c + "\u2028王", "，" + c + " （完）", " \u00a0" + c + "\t"):
            if not _closing_text_is_folded(text):
                bad.append(text)
    assert bad == []


def _unlabelled_searching_all(text):
    """_unlabelled with every pattern searched in every text."""
    out = B.Byline()
    for pattern, vouched in zip(B._POSTED_BY, B._POSTED_VOUCHED):
        m = pattern.search(text)
        name = m.group(1).strip(B._STRIP) if m else ""
        if m and (B.looks_like_person(name, handle=True) if vouched else
                  B.looks_like_person(name, strict=True)
                  or (not B.re.fullmatch(f"[{B._CJK}]+", name) and B.looks_like_person(name, handle=True))):
            out.add(B.Person(name, "author", "posted"))
            break
    if B._DATEISH.search(text) or "来源" in text:
        for m in B._BRACKETED.finditer(text):
            if B.looks_like_person(m.group(1), strict=True):
                out.add(B.Person(m.group(1), "author", "[…]"))
    for m in B._PHOTO_CREDIT.finditer(text):
        name = m.group(1)
        sep = text[m.end(1):m.end(1) + 1]
        if B.looks_like_person(name, strict=sep not in ("/", "／")):
            out.add(B.Person(name, "photographer", "摄"))
    for m in B._TEXT_CREDIT.finditer(text):
        if B.looks_like_person(m.group(1)) and all(p.name != m.group(1) for p in out.people):
            out.add(B.Person(m.group(1), "author", "文"))
    return out.people


UNLABELLED_SHAPES = [
    "", "[ 王明 ] 2021-06-30 来源：某某日报", "【 王明 】 来源", "王明/摄 李华/文", "王明 摄", "王明摄影", "王明/图",
    "记者 王明/文", "本贴由 王明 于2021年6月30日12:00:00发表", "由王明张贴 @ 2021-06-30 12:00:00",
    "王明 发表于 2021-6-30 11:46:00", "posted @ 2021-06-30 12:40 王明 阅读(12) 评论(3)",
    "Posted on 2021-06-30 12:40 wangming views", "发表于 2021-06-30 12:40 王明 评论", "由于 王明 于2021发表",
]


def _unlabelled_fast(text):
    out = B.Byline()
    B._unlabelled(text, out)
    return out.people


def test_unlabelled_is_every_pattern_searched():
    texts = UNLABELLED_SHAPES + [_folded(t) for t in fixture_lines()]
    assert [t for t in texts if _unlabelled_fast(t) != _unlabelled_searching_all(t)] == []
    assert all(_unlabelled_fast(t) for t in UNLABELLED_SHAPES[1:-1])


def test_each_unlabelled_pattern_needs_its_word():
    """A pattern matches only in a text holding the word _unlabelled checks for."""
    texts = UNLABELLED_SHAPES + [_folded(t) for t in fixture_lines()]
    for text in texts:
        for pattern, tried in zip(B._POSTED_BY, B._posted_by_tried(text)):
            assert tried or pattern.search(text) is None, (pattern.pattern, text)
        assert "[" in text or "【" in text or B._BRACKETED.search(text) is None
        assert "摄" in text or "图" in text or B._PHOTO_CREDIT.search(text) is None
        assert "文" in text or B._TEXT_CREDIT.search(text) is None


def _looks_like_person_both_alias_tests(token, strict=False, handle=False):
    """looks_like_person with the alias pattern matched on every token, after the furniture words
    and again before the other tests (a token that is no alias and holds no furniture word goes
    on to the same tests in both)."""
    if not isinstance(token, str):
        return False
    stripped = token.strip()
    if not stripped or len(stripped) > 40 or stripped.lower().startswith(("http", "www")):
        return False
    if B._FURNITURE_RE.search(stripped.lower()) and not B._NAME_ALIAS.match(stripped):
        return False
    if B._NAME_ALIAS.match(stripped):
        return True
    return B.looks_like_person(token, strict, handle)


@pytest.mark.parametrize("token", [
    "王明", "郑可文 (Peter Hollis)", "管理员 (Admin)", "管理员", "来源 (Xinhua)", "王明(北京)", "Lee_2021", "(Peter)",
    "张三 (X)", "", "   ", "http://x", "王明（Peter）", "编辑 (Editor Wang)",
])
def test_looks_like_person_tries_the_alias_first(token):
    for strict in (False, True):
        for handle in (False, True):
            assert B.looks_like_person(token, strict, handle) is _looks_like_person_both_alias_tests(token, strict, handle)


def test_looks_like_person_tries_the_alias_first_on_every_fixture_token():
    tokens = {x for t in fixture_lines() for x in B._TOKEN.findall(_folded(t))[:20]}
    assert len(tokens) > 1000
    bad = [x for x in tokens for strict in (False, True) for handle in (False, True)
           if B.looks_like_person(x, strict, handle) is not _looks_like_person_both_alias_tests(x, strict, handle)]
    assert bad == []


def test_an_alias_holds_its_bracket():
    texts = [_folded(t) for t in fixture_lines()] + ["郑可文 (Peter Hollis)", "王明(Wang Ming)"]
    assert [t for t in texts if B._NAME_ALIAS.match(t) and "(" not in t] == []
    assert any(B._NAME_ALIAS.match(t) for t in texts)


def test_a_lead_bracket_opens_within_its_first_41_characters():
    heads = [" ".join(B._nfkc(t[:200]).split()) for t in fixture_lines()]
    heads += ["本报讯（记者 王明）今天", "a" * 40 + "（记者 王明）", "a" * 41 + "（记者 王明）", "(王明 李华)"]
    assert [h for h in heads if B._LEAD_BRACKET.match(h) and not ("（" in h[:41] or "(" in h[:41])] == []
    assert any(B._LEAD_BRACKET.match(h) for h in heads)


def test_an_end_mark_holds_its_word():
    texts = [B._folded(t[-200:]) for t in fixture_lines()] + ["……。（完）", "……【全文完】", "(END)", "(end)。", "（完毕）"]
    assert [t for t in texts if B._END_MARK.search(t) and not ("完" in t or "END" in t or "end" in t)] == []
    assert any(B._END_MARK.search(t) for t in texts)


# the hints and the labels' starts as one alternation of every word: the plain union the patterns
# by first character stand for
_ANY_HINT_ALTERNATION = B.re.compile(f"{B._LABEL_HINT.pattern}|{B._UNLABELLED_HINT.pattern}")
_LABEL_START_ALTERNATION = B.re.compile(B._label_start())


def _matches_at(pattern, text):
    return [pattern.match(text, i) is not None for i in range(len(text) + 1)]


@pytest.mark.parametrize("text", [
    "", "作者：王明", "文/ 李四", "图|王明", "摄影 王明", "由王明于2021", "posted @", "Posted by", "[ 王明 ]", "【 来源 】",
    "王明/图", "王明 ／ 文", "by", "BY", "By", "Date:", "发布时间：", "发表于", "张贴于", "文 : 王", "审\t:", "编：", "译|",
    "written by", "Written", "published", "文图", "图/文",
])
def test_patterns_by_first_character_match_where_the_alternations_do(text):
    assert _matches_at(B._ANY_HINT, text) == _matches_at(_ANY_HINT_ALTERNATION, text)
    assert _matches_at(B._LABEL_START, text) == _matches_at(_LABEL_START_ALTERNATION, text)


def test_patterns_by_first_character_match_where_the_alternations_do_on_every_fixture_line():
    lines = [_folded(t) for t in fixture_lines()]
    assert [t for t in lines if _matches_at(B._ANY_HINT, t) != _matches_at(_ANY_HINT_ALTERNATION, t)] == []
    assert [t for t in lines if _matches_at(B._LABEL_START, t) != _matches_at(_LABEL_START_ALTERNATION, t)] == []
