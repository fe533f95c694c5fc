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
