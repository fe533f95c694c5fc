"""News-like Chinese text for the benches (bench/import.py, bench/syndication.py).

    TextMaker(rng, ends="。")    .phrase(n)  .sentence()  .body(chars)

The words are cut from the real article bodies the syndication tests use
(tests/data/syndication/bodies.json, each naming the page it comes from): every run of Han
characters is cut into pieces of 1-4 characters (two most often), and the pieces are drawn with
Zipf weights (1 / (rank + 10)) in a shuffled order, so a few words are common and most are rare,
as in news text. Everything is drawn from `rng`: the same seed gives the same text.
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

BODIES = Path(__file__).resolve().parents[1] / "tests" / "data" / "syndication" / "bodies.json"


class TextMaker:
    """Sentences of 6-18 words with a comma inside, ending in one of `ends` (drawn from `rng`
    only when there is more than one); paragraphs of 2-6 sentences; bodies of paragraphs."""

    def __init__(self, rng: random.Random, ends: str = "。"):
        self.rng, self.ends = rng, ends
        text = "".join(b["body"] for b in json.loads(BODIES.read_text(encoding="utf-8")))
        words = set()
        for run in re.findall(r"[\u4e00-\u9fff]+", text):
            i = 0
            while i < len(run):
                n = rng.choice((1, 2, 2, 2, 3, 4))
                words.add(run[i:i + n])
                i += n
        self.words = sorted(words)
        rng.shuffle(self.words)
        total, self.cum_weights = 0.0, []
        for rank in range(len(self.words)):
            total += 1.0 / (rank + 10)
            self.cum_weights.append(total)

    def phrase(self, n: int) -> str:
        """n words run together (a title, a clause)."""
        return "".join(self.rng.choices(self.words, cum_weights=self.cum_weights, k=n))

    def sentence(self) -> str:
        n = self.rng.randint(6, 18)
        words = self.rng.choices(self.words, cum_weights=self.cum_weights, k=n)
        cut = self.rng.randint(2, n - 2)
        end = self.ends if len(self.ends) == 1 else self.rng.choice(self.ends)
        return "".join(words[:cut]) + "，" + "".join(words[cut:]) + end

    def body(self, chars: int) -> str:
        """Paragraphs (one a line) until the text has at least `chars` characters."""
        paras, n = [], 0
        while n < chars:
            para = "".join(self.sentence() for _ in range(self.rng.randint(2, 6)))
            paras.append(para)
            n += len(para)
        return "\n".join(paras)
