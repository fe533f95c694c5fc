"""The compiled walk's loop over a run's characters (aggregator/extract/_walk.pyx _Walker._run: a
three-byte sequence decoded in line, the str's kind found from the characters' bits or'ed, one
table lookup for a character neither whitespace nor punctuation) and the fold of a line's runs
(_fold_str: each run read in its own width, the line's kind from the kept characters) held to
the Python walk: lines of several runs of every width, at the edges of each kind, with ASCII
spaces at their ends, doubled and alone (every character and the replica pages:
tests/test_walk_compiled.py)."""
from __future__ import annotations

import random

import pytest
from lxml import etree

import aggregator.extract.page as page
from tests.test_walk_compiled import assert_same_model

compiled = pytest.mark.skipif(not page.COMPILED, reason="the compiled walk is not built (python setup.py build_ext --inplace)")

# pieces of each width (ASCII, Latin-1, the BMP, beyond it) and at its edges, whitespace of each, punctuation
PIECES = ["a", "Z9", "\x7f", "é", "\xff", "\xa0", "\x85", "\u0100", "\u07ff", "\u0800", "字", "，", "。", "\u3000",
          "\u2028", "\ufffd", "\U00010000", "😀", "\U000effff", "\U000f0000", "\U0010ffff", " ", "  ", "\t"]


@compiled
def test_runs_of_every_width_give_the_python_walk_s_model():
    rng = random.Random(31)
    for _ in range(300):
        root = etree.Element("body")
        for _ in range(rng.randint(1, 12)):
            el = etree.SubElement(root, rng.choice(["p", "div", "span", "a", "li", "br"]))
            for attr in ("text", "tail"):
                if rng.random() < 0.8:
                    setattr(el, attr, "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 7))))
        assert_same_model(root)

