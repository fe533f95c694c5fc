"""clean.py's fast paths held equal to the tests they skip: a line-by-line test for each,
over a table of edge cases and every text line of the test fixtures under tests/."""
import ast
import sys
from pathlib import Path

import pytest
from lxml import html

from aggregator import clean

TESTS = Path(__file__).parent


def _fixture_texts():
    """The text of each HTML fixture under tests/ (its elements' texts, one a line) and each
    string constant of tests/test_clean.py, as bodies to clean."""
    texts = []
    for path in sorted(TESTS.rglob("*.htm*")):
        root = html.fromstring(path.read_bytes())
        texts.append("\n".join(t for t in root.itertext()))
    tree = ast.parse((TESTS / "test_clean.py").read_text("utf-8"))
    texts += [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    return texts


FIXTURE_TEXTS = _fixture_texts()
EDGE_TEXTS = [
    "", "\n", "正文。", "正文\u3000第二段。", "正文\t。", "两个  空格", "零宽\u200b字符", "图标\ue5e5字",
    "行尾\r\n下一行", "不换行\xa0空格", "\ufeff开头", "连接\u2060符", "其他空白\u2002字", "控制\x1c字",
    "破字\ufffd\n\ufffd", "推荐新闻\n相关阅读：", " 推荐阅读\n正文。", "【相关新闻】更多",
]
ALL_TEXTS = EDGE_TEXTS + FIXTURE_TEXTS


def test_every_character_to_fold_is_one_isprintable_refuses():
    """_needs_fold skips the regex's scan for lines that are all printable: that holds only if
    no character the regex matches is printable."""
    matched = [chr(c) for c in range(sys.maxunicode + 1) if clean._TO_FOLD.match(chr(c))]
    assert matched and not any(ch.isprintable() for ch in matched)


@pytest.mark.parametrize("text", ALL_TEXTS)
def test_needs_fold_is_the_regexs_answer(text):
    slow = "  " in text or clean._TO_FOLD.search(text) is not None
    assert clean._needs_fold(text, text.split("\n")) is slow


@pytest.mark.parametrize("lines", [
    [], [""], ["正文。"], ["推荐新闻"], ["正文。", "【相关阅读】"], [" 热点推荐"], ["\u3000相关新闻："],
    ["为你推荐", "正文。"], ["相关的方案已经制定。"], ["", "猜你喜欢"],
] + [clean._lines(t) for t in ALL_TEXTS])
def test_has_heading_tries_every_line_a_test_per_line_would(lines):
    slow = any((line[:1] in clean._RECOMMEND_FIRST or line[:1].isspace()) and clean._RECOMMEND_HEADING.match(line)
               for line in lines)
    assert clean._has_heading(lines, clean._first_chars(lines)) is bool(slow)


def _furniture_and_bylines_per_line(lines):
    """Every line tested: is_boilerplate, then _is_byline."""
    removed, bylines, dropped = [], [], []
    for index, line in enumerate(lines):
        if clean.is_boilerplate(line):
            removed.append((line, "boilerplate"))
        elif clean._is_byline(line, index, len(lines)):
            bylines.append(line)
        else:
            continue
        dropped.append(index)
    return removed, bylines, dropped


@pytest.mark.parametrize("text", ALL_TEXTS + [
    "\n".join(["作者：王明", "正文。", "【打印本页】", "上一篇：通知", "文：李华", "中 大 小", "（记者 张三）"]),
    "\n".join(["主办单位", "：某某区教育局", "编辑：赵六", "下一条 暑期安全"]),
])
def test_furniture_and_bylines_finds_what_a_test_per_line_finds(text):
    lines = clean._lines(text)
    removed, bylines = [], []
    dropped = clean._furniture_and_bylines(lines, clean._first_chars(lines), removed, bylines)
    assert (removed, bylines, dropped) == _furniture_and_bylines_per_line(lines)
    assert clean._without(lines, dropped) == [line for i, line in enumerate(lines) if i not in set(dropped)]
