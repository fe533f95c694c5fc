import unicodedata

import pytest

from aggregator.nfkc import nfkc


@pytest.mark.parametrize("text", [
    "",
    "plain ascii, 2021-06-30 13:06",
    "作者：王明　编辑：李华（记者 张三）",                      # full-width colon, ideographic space, brackets
    "发布时间：２０２１－０６－３０　１３：０６",                  # full-width digits and dashes
    "本报讯（记者王明、李华）近日，某某区教育局举行“百强支部PK赛”。",
    "⑴ 第一条　㈠ 二〇二一年",                                  # parenthesized forms: NFKC's own mapping
    "ﬁle ＡＢＣ ｶﾀｶﾅ",                                           # a ligature, full-width and half-width letters
    "e\u0301 ＣＡＦＥ\u0301",                                    # a combining accent after a full-width letter
    "\u2f42/王明 ⽂：李四 \uf9e1",                               # Kangxi radical, CJK compatibility ideograph
    "（\ufffd）\x85",
])
def test_nfkc_is_unicodedatas(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_every_character_alone_and_beside_a_full_width_one():
    """The shortcut must agree with unicodedata for any character, on its own, after a
    full-width comma and before a full-width letter (where a replaced character meets it): the
    Basic Multilingual Plane and the supplementary blocks that hold compatibility characters
    (mathematical letters, enclosed forms, CJK compatibility ideographs)."""
    bad = []
    blocks = (range(0xD800), range(0xE000, 0x10000), range(0x1D400, 0x1D800), range(0x1F100, 0x1F300),
              range(0x2F800, 0x2FA20))
    for c in (c for block in blocks for c in block):
        ch = chr(c)
        for text in (ch, "，" + ch, ch + "Ａ"):
            if nfkc(text) != unicodedata.normalize("NFKC", text):
                bad.append(text)
    assert bad == []


@pytest.mark.parametrize("text", [
    "", "王明", "：", "作者：王明，编辑：李华，来源：某某日报", "（（））", "ＡＢＡＢ　　ａ", "，，：，",
    "\uff01\uff5e\u3000\uff00\uff5f", "end with a wide one：",
])
def test_narrowed_is_each_characters_own_narrow_form(text):
    from aggregator.nfkc import _NARROW, _narrowed
    assert _narrowed(text) == "".join(_NARROW.get(c, c) for c in text)
