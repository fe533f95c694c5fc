"""parse_tail's shortcut held to what it stands for: a closing line without a word of
_PEOPLE_HINT is not read as a byline, as such a reading names nobody. Checked on a table of
shapes and on every line of every page the tests hold (the extraction fixtures and the site
replicas), each as a closing line and cut to its last characters."""
import pytest

from aggregator import bylines as B
from tests.test_fast_paths_fields import fixture_lines


def _folded(text):
    return " ".join(B._nfkc(text[:B._MAX_LINE]).split())


def _tail_by_reading_every_line(paragraph):
    """parse_tail as it reads with every line parsed as a byline."""
    if not isinstance(paragraph, str) or not paragraph.strip():
        return None
    tail = B._closing_text(paragraph[-200:])
    out = B.Byline()
    m = B._TAIL_BRACKET.search(tail)
    if m:
        out.merge(B._bracket_credit(m.group("inner")))
    if not out.people and len(tail) <= 60:
        parsed = B._parsed_folded(tail)
        if parsed and parsed.people:
            out.merge(B.Byline(people=[p for p in parsed.people if p.label.lower() != "by"], source=parsed.source))
    return out if out else None


def _as_tuple(b):
    return None if b is None else ([(p.name, p.role, p.label) for p in b.people], b.source, b.date_text, b.date_label)


SHAPES = [
    "……体系。（记者 陈静）", "（王小明 李华 ）", "（区图书馆 王明）", "某某报记者 王明 山东冠县报道", "（责任编辑：刘立远）",
    "来源：某某日报", "扫一扫在手机打开当前页", "网友评论 0 条", "（本报评论员 王明）", "本报评论员 王明", "Powered by:",
    "Posted by 王明", "Written By Wang", "文/ 李四", "图|王明", "王明/摄 李华/文", "[ 王明 ] 2021-06-30 来源：某某日报",
    "由王明于2021-06-30发表", "王明 发表于 2021-06-30", "posted @ 2021-06-30 12:00 王明 阅读(1)", "统筹：王明",
    "发文机关：某某县人民政府", "编辑整理：王明", "摄影记者 李华", "（来源：新华社）（完）", "记者 王明（完）", "",
    "发布时间：2021-06-30 13:06:00", "（王明 上海报道）", "by 王明", "主编：王明 [关闭]", "18岁以下勿点击/图文",
    "[ 打印 ]", "【 关闭 】", "[2005-08-17] 王明", "【 王明 】 来源：某某日报", "商务楼忌讳由住改商", "由王明张贴 @ 2021-06-30",
    "本贴由 王明 于2021年6月30日12:00:00发表", "由 admin 于 2021-06-30 发布", "[上一篇] [下一篇]",
]


@pytest.mark.parametrize("text", SHAPES)
def test_parse_tail_is_every_line_read(text):
    assert _as_tuple(B._parsed_tail.__wrapped__(text[-200:]) if text.strip() else None) \
        == _as_tuple(_tail_by_reading_every_line(text))


def test_parse_tail_is_every_line_read_on_every_fixture_line():
    lines = fixture_lines()
    assert [t for t in lines if t.strip() and _as_tuple(B._parsed_tail.__wrapped__(t[-200:]))
            != _as_tuple(_tail_by_reading_every_line(t))] == []


def test_a_line_without_a_people_hint_names_nobody():
    """_names_anyone is False only for lines that name nobody; it is True for some that do."""
    lines = [_folded(t) for t in fixture_lines()] + [_folded(t) for t in SHAPES]
    hinted = [t for t in lines if B._names_anyone(t)]
    assert [t for t in lines if t not in hinted and (B._parsed_folded(t) or B.Byline()).people] == []
    assert any((B._parsed_folded(t) or B.Byline()).people for t in hinted)
