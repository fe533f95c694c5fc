"""clean.py's fast paths held equal to the tests they skip: a line-by-line test for each,
over a table of edge cases and every text line of the test fixtures under tests/."""
import ast
import re._constants as re_constants
import re._parser as re_parser
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


def _literal_runs(seq) -> list:
    """The runs of literal characters of a parsed regex sequence (what every match holds in a row)."""
    runs, run = [], ""
    for op, av in seq:
        if op is re_constants.LITERAL:
            run += chr(av)
            continue
        runs.append(run)
        run = ""
    return [x for x in runs + [run] if x]


def test_every_alternative_of_the_anywhere_pattern_holds_one_of_its_literals():
    """_boilerplate_lines searches only the lines holding a literal of _BOILERPLATE_LITERALS: that
    holds only if each alternative of the pattern matches that literal's characters in a row."""
    parsed = re_parser.parse(clean._BOILERPLATE_ANYWHERE.pattern)
    assert len(parsed) == 1 and parsed[0][0] is re_constants.BRANCH
    literals = [literal for literal, _ in clean._BOILERPLATE_LITERALS]
    for alternative in parsed[0][1][1]:
        runs = _literal_runs(alternative)
        assert any(literal in run for literal in literals for run in runs), runs
    assert all(char in literal and "\n" not in literal for literal, char in clean._BOILERPLATE_LITERALS)


# every alternative of _BOILERPLATE_ANYWHERE written out, with spaces where it takes them, and
# near misses (a literal without the rest of its alternative, an alternative cut short)
FURNITURE_WORDS = [
    "打印本页", "关闭窗口", "打印此页", "关闭本页", "【打印】", "【 打印 】", "【关闭】", "[打印]", "[ 关闭 ]", "返回顶部",
    "回到顶部", "版权所有", "Copyright", "copyright", "©", "主办单位：", "承办单位 :", "ICP备", "ICP证", "网站标识码",
    "公网安备", "技术支持：", "网站地图", "联系我们", "打印", "关闭", "顶部", "版权", "opyright", "主办单位", "ICP",
    "网站标识", "公网", "技术支持", "地图", "联系", "【打印", "打印】", "[关闭", "COPYRIGHT", "办单位：",
]


def _generated_line_lists():
    """Lists of lines holding the furniture words alone, inside text, at either end of a line,
    two in a line and split over a line break."""
    out = [[word] for word in FURNITURE_WORDS]
    out += [[f"正文{word}正文。", f"{word}开头", f"结尾{word}", f"{word}{other}"]
            for word, other in zip(FURNITURE_WORDS, FURNITURE_WORDS[1:] + FURNITURE_WORDS[:1])]
    out += [[word[:cut], word[cut:]] for word in FURNITURE_WORDS for cut in range(1, len(word))]
    return out


def _lines_per_text():
    return [clean._lines(text) for text in ALL_TEXTS] + _generated_line_lists() + [
        [line for text in ALL_TEXTS for line in clean._lines(text)]]


@pytest.mark.parametrize("lines", _lines_per_text())
def test_boilerplate_lines_are_the_lines_a_search_per_line_finds(lines):
    slow = {i for i, line in enumerate(lines) if clean._BOILERPLATE_ANYWHERE.search(line)}
    assert clean._boilerplate_lines(lines) == slow


def _lines_by_folding_the_text(text):
    """_lines() as it stands for: the whole text folded, then split, stripped, broken lines out."""
    folded = clean._WS.sub(" ", clean._INVISIBLE.sub("", text)).split("\n")
    lines = [line for line in map(str.strip, folded) if line]
    return [line for line in lines if not clean._BROKEN_ONLY.match(line)]


@pytest.mark.parametrize("text", ALL_TEXTS + [
    "图标\ue5e5字\n正文。\n两个  空格\n\u200b\n\ufffd\n破\ufffd字。", "\u3000\n\xa0正文\xa0\n\t", "a \u200b b\nc  d",
    "\n".join(EDGE_TEXTS), "\n".join(FIXTURE_TEXTS),
])
def test_lines_folds_as_folding_the_whole_text(text):
    assert clean._lines(text) == _lines_by_folding_the_text(text)


def _collapse_repeats_reference(lines, removed, max_block=2000):
    """_collapse_repeats as it reads plainly: every bound tested at each step, the size always added up."""
    first, out = {}, []
    j = 0
    while j < len(lines):
        line = lines[j]
        i = first.setdefault(line, j)
        if i < j:
            k = 0
            while (k < max_block and j + k < len(lines) and i + k < j
                   and lines[i + k] == lines[j + k]):
                k += 1
            size = sum(len(x) for x in lines[j:j + k])
            block = k >= 2 and size >= clean.MIN_REPEAT_CHARS
            doubled = k == 1 and j == i + 1 and len(line) >= clean.MIN_REPEAT_CHARS
            if block or doubled:
                removed.append((line[:40], f"repeated block of {k} paragraphs"))
                j += k
                continue
        out.append(line)
        j += 1
    return out


def _repeating_line_lists(count=400, seed=15):
    """Random texts over a few short and long paragraphs: blocks that recur, doubled lines, copies
    that run into each other."""
    import random
    rng = random.Random(seed)
    words = ["短", "图为", "专家点评", "。", "第一段正文，" * 8, "第二段正文。" * 10, "第三段" * 3, "│", "获奖"]
    out = []
    for _ in range(count):
        base = [rng.choice(words) for _ in range(rng.randint(0, 12))]
        lines = list(base)
        for _ in range(rng.randint(0, 4)):
            at = rng.randint(0, len(lines))
            lines[at:at] = base[rng.randint(0, len(base)):] if rng.random() < 0.5 else [rng.choice(words)] * 2
        out.append(lines)
    return out


@pytest.mark.parametrize("max_block", [2000, 3, 1, 0])
def test_collapse_repeats_is_its_plain_reading(max_block):
    texts = [clean._lines(text) for text in ALL_TEXTS] + _repeating_line_lists()
    texts.append([line for lines in texts for line in lines])
    for lines in texts:
        got, want = [], []
        assert clean._collapse_repeats(lines, got, max_block) == _collapse_repeats_reference(lines, want, max_block)
        assert got == want


@pytest.mark.parametrize("lines", [[], [""], ["", "a"], ["正文。", "", "推荐"], ["\0", "x"], ["😀表情", "é"]]
                         + [clean._lines(text) for text in ALL_TEXTS] + [text.split("\n") for text in ALL_TEXTS])
def test_first_chars_are_each_lines_first_character(lines):
    assert clean._first_chars(lines) == "".join([line[:1] or "\0" for line in lines])
