import pytest

from aggregator.clean import clean_body, is_boilerplate

P1 = "6月23日下午，区委组织部主办的“书记加油——百强支部PK赛”专场活动在新碶中学举行。"
P2 = "来自教育系统的15家党支部和来自卫健系统的10家党支部同台比拼，互学互比，展示活动亮点与成绩。"
P3 = "经过激烈的角逐，北仑职高、淮河小学等党支部脱颖而出，进入百强支部20强。"
P4 = "党史学习教育开展以来，区教育局第一时间制定了相关的方案，将学习的重心落在了为群众办实事上。"


def body(*lines):
    return "\n".join(lines)


def test_a_body_printed_twice_collapses_to_one_copy():
    result = clean_body(body(P1, P2, P3, P4, P2, P3, P4))
    assert result.body == body(P1, P2, P3, P4)


def test_a_body_printed_twice_from_the_first_line_collapses():
    assert clean_body(body(P1, P2, P3, P1, P2, P3)).body == body(P1, P2, P3)


def test_a_recurring_slogan_stays_in_the_middle():
    slogan = "不忘初心，牢记使命"
    text = body(P1, slogan, P2, P3, slogan, P4)
    assert clean_body(text).body == text


def test_a_repeated_photo_caption_is_not_cut():
    caption = "图为活动现场。"
    text = body(P1, caption, P2, caption, P3)
    assert clean_body(text).body == text


def test_a_long_paragraph_repeated_right_after_itself_is_dropped():
    assert clean_body(body(P1, P2, P2, P3)).body == body(P1, P2, P3)


@pytest.mark.parametrize("heading", ["推荐新闻", "相关阅读", "热点推荐", "【相关新闻】", "猜你喜欢"])
def test_a_recommendation_list_at_the_end_is_cut(heading):
    text = body(P1, P2, P3, heading, "全省校园安全工作现场会召开", "教育之江", "王浩调研浙江农林大学")
    assert clean_body(text).body == body(P1, P2, P3)


def test_a_recommendation_block_early_in_the_text_takes_only_its_items():
    text = body(P1, "相关阅读", "全省校园安全工作现场会召开", "暑假到，官方带娃模式再开启", P2, P3, P4, P4 + P1)
    assert clean_body(text).body == body(P1, P2, P3, P4, P4 + P1)


@pytest.mark.parametrize("line", [
    "【打印本页】【关闭窗口】",
    "【打印本页】 【关闭窗口】",
    "上一篇：北仑区召开教育工作会议",
    "下一篇：暑期安全提醒",
    "分享到：微信 微博 QQ空间",
    "【字体：大 中 小】",
    "版权所有：宁波市北仑区教育局",
    "主办单位：宁波市北仑区教育局 承办单位：北仑区教育信息中心",
    "Copyright © 2021 北仑教育网 All Rights Reserved",
    "浙ICP备12345678号",
])
def test_boilerplate_lines_are_removed(line):
    result = clean_body(body(P1, line, P2))
    assert result.body == body(P1, P2)
    assert result.removed


@pytest.mark.parametrize("line", [
    "作者:杨阳",
    "编辑:杨阳 来源:投稿 发布时间:2021-06-30 13:06:00",
    "责任编辑：王明",
    "（记者 樊亮 通讯员 张明）",
    "来源：北仑区教育局",
    "审核：李华",
])
def test_byline_lines_move_out_of_the_body(line):
    result = clean_body(body(line, P1, P2))
    assert result.body == body(P1, P2)
    assert result.byline_lines == [line]


def test_editor_line_at_the_end_moves_out():
    result = clean_body(body(P1, P2, "（责任编辑：王明）"))
    assert result.body == body(P1, P2) and result.byline_lines == ["（责任编辑：王明）"]


def test_a_paragraph_that_mentions_an_author_stays():
    line = "作者在文中写道，教育是国之大计、党之大计，要坚持把立德树人作为根本任务。"
    assert clean_body(body(P1, line)).body == body(P1, line)


def test_whitespace_is_folded_and_blank_lines_dropped():
    assert clean_body(f"  {P1}\u3000\n\n\t{P2}  ").body == body(P1, P2)


@pytest.mark.parametrize("value", [None, "", "   \n  ", 42, "\x00\x01" * 10, "短"])
def test_bad_input_never_raises(value):
    assert isinstance(clean_body(value).body, str)


# These inputs take 0.5-2 s on an idle 2-core machine; work quadratic in the number of
# lines would take minutes. The guard only catches that hang: a loaded CI machine is slow,
# not wrong, so it is far above the normal time.
HANG_GUARD_SECONDS = 60


def test_megabytes_of_text_are_cleaned_quickly():
    import time
    text = body(*(f"第{i}段，" + P1 for i in range(60000)))
    start = time.perf_counter()
    clean_body(text)
    assert time.perf_counter() - start < HANG_GUARD_SECONDS


@pytest.mark.parametrize("line", ["短句", P1])
def test_one_line_repeated_many_times_is_cleaned_quickly(line):
    import time
    start = time.perf_counter()
    result = clean_body("\n".join([line] * 50000))
    assert time.perf_counter() - start < HANG_GUARD_SECONDS
    assert result.body.startswith(line)


def test_icon_font_glyphs_and_zero_width_characters_are_dropped():
    assert clean_body("\ue621 发布含光800芯片时，张建锋拿出一张芯片\u200b展示。").body == "发布含光800芯片时，张建锋拿出一张芯片展示。"


@pytest.mark.parametrize("top", [
    ["首页 > 10%公司"], ["澎湃号 > 中国广州发布"], ["当前位置：首页 > 教育新闻"], ["字号", "超大", "大", "标准"],
])
def test_navigation_furniture_at_the_top_is_dropped(top):
    assert clean_body(body(*top, P1, P2)).body == body(P1, P2)


@pytest.mark.parametrize("bottom", [
    ["关键词 >> 共享充电宝", "相关推荐", "某公司涨价"], ["评论(15)", "我要跟帖", "已输入0字"], ["评论（191）"],
    ["点击进入专题：", "聚焦香港局势"], ["图集", "+1"],
])
def test_comment_and_keyword_bars_at_the_end_are_dropped(bottom):
    assert clean_body(body(P1, P2, *bottom)).body.startswith(body(P1, P2))
    assert "评论" not in clean_body(body(P1, P2, *bottom)).body


@pytest.mark.parametrize("line", [
    "澎湃新闻记者 段彦超 廖艳",
    "执笔/叨叨姐、胡一刀&李小飞刀",
    "采写：南都见习记者 林子沛",
])
def test_a_credit_line_at_the_top_moves_out(line):
    result = clean_body(body(line, P1, P2))
    assert result.body == body(P1, P2) and result.byline_lines == [line]


def test_credit_lines_at_the_end_move_out():
    tail = ["新京报记者 陆一夫", "编辑 刘晓阳 校对 李铭", "本文来源：新京报 责任编辑：姚立伟_NT6056"]
    result = clean_body(body(P1, P2, *tail))
    assert result.body == body(P1, P2) and result.byline_lines == tail[::-1]


def test_a_dateline_at_the_top_moves_out():
    result = clean_body(body("2020-06-06 10:08 来源：澎湃新闻", P1, P2))
    assert result.body == body(P1, P2) and result.byline_lines == ["2020-06-06 10:08 来源：澎湃新闻"]


@pytest.mark.parametrize("line", ["首页 > 国内", "记者 张明"])
def test_furniture_and_credits_stay_in_the_middle_of_the_text(line):
    text = body(P1, P2, P3, P4, line, P1 + P2, P2 + P3, P3 + P4, P4 + P1)
    assert line in clean_body(text).body.split("\n")


def test_a_sentence_naming_a_reporter_at_the_top_stays():
    line = "记者张明从区教育局获悉，今年全区新增学位三千个。"
    assert clean_body(body(line, P1)).body == body(line, P1)


def test_a_line_of_broken_characters_is_dropped():
    assert clean_body(body(P1, "\ufffd\ufffd\ufffd", P2)).body == body(P1, P2)


def test_a_date_signing_a_notice_at_the_end_stays():
    text = body(P1, P2, "特此通告。", "吉林省人民政府", "2022年1月27日")
    assert clean_body(text).body == text


@pytest.mark.parametrize("line, expected", [
    ("【打印本页】【关闭窗口】", True),
    ("本站 版权所有 2021", True),                      # furniture words count anywhere in the line
    ("上一篇：北仑区召开教育工作会议", True),
    ("会上，校长回顾了上一篇章的工作。", False),       # 上一篇 counts only where it opens the line
    ("评论(15)", True),
    ("学生评论(15)条", False),
    ("版权所有" + "，校园新闻" * 40, False),           # a line over 200 characters is text
])
def test_is_boilerplate(line, expected):
    assert is_boilerplate(line) is expected


# every way a line of furniture opens (clean.py tries the opening pattern only on lines whose
# first character can open it): one line per alternative of the pattern, and the bracketed
# and spaced forms; the words that count anywhere in a line, in either case of "Copyright"
@pytest.mark.parametrize("line", [
    "分享到：微信 微博", "分享至 QQ空间", "转发到：", "一键分享", "字体：大 中 小", "【字号：大 中 小】",
    "字号 大", "【 大 中 小", "大 中 小", "中 大 小", "上一篇：北仑区召开会议", "下一条 暑期安全", "上篇",
    "下篇：开学第一课", "扫一扫 分享", "微信扫一扫", "扫描二维码 关注", "【我要纠错】", "【 纠错 】", "纠错",
    "收藏", "点赞", "评论", "评论(15)", "跟帖（3）", "留言(0)", "我要跟帖", "我要评论", "我要留言",
    "已输入0字", "收藏成功", "点击进入专题：", "进入专区", "点此进入专题",
    "copyright 2021 北仑教育网", "本站 Copyright", "【 打印 】", "[关闭]", "返回顶部", "技术支持：某公司",
])
def test_every_kind_of_furniture_line_is_boilerplate(line):
    assert is_boilerplate(line) is True


@pytest.mark.parametrize("pattern, first", [
    ("_BOILERPLATE_START", "_START_FIRST"),
    ("_RECOMMEND_HEADING", "_RECOMMEND_FIRST"),
    ("_BYLINE_LINE", "_BYLINE_FIRST"),
    ("_BYLINE_BRACKETED", "_BYLINE_FIRST"),
])
def test_a_patterns_first_characters_are_in_its_fast_path_set(pattern, first):
    """A line opening with a character outside the set (and not a space) is never tried against
    the pattern: every character the pattern can open with must be in it."""
    from aggregator import clean
    from tests.regex_first import SPACE, first_chars

    assert first_chars(getattr(clean, pattern)) - {SPACE} <= getattr(clean, first)


@pytest.mark.parametrize("lines", [
    ["北仑区教育局举行党支部比拼活动。", "来自教育系统的十五家党支部同台比拼。"],   # none
    ["正文第一段。", "【打印本页】【关闭窗口】", "版权所有：某某区教育局"],                # one per line
    ["主办单位", "：某某区教育局", "正文。"],            # 主办单位\s*[:：] across a line break: neither line alone
    ["通知全文【", "打印】", "打印本页"],               # 【\s*打印\s*】 across a break, then a match of its own
    ["【", "打印", "】关闭窗口"],                        # a match over three lines, the last with its own
    ["技术支持", "：", "某某公司 ICP备12345678号"],
    [],
])
def test_the_joined_scan_finds_the_lines_a_search_per_line_finds(lines):
    from aggregator.clean import _BOILERPLATE_ANYWHERE, _boilerplate_lines

    assert _boilerplate_lines(lines) == {i for i, line in enumerate(lines) if _BOILERPLATE_ANYWHERE.search(line)}
