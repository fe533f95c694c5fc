"""aggregator.bylines: byline text -> people with roles, plus the source (来源)."""
import pytest

from aggregator.bylines import looks_like_person, parse_byline, parse_lead, parse_tail


def people(byline):
    return [(p.name, p.role) for p in byline.people] if byline else []


# (printed byline line, expected [(name, role)], expected source)
BYLINES = [
    ("作者:杨阳 编辑:杨阳 来源:投稿 发布时间:2021-06-30 13:06:00", [("杨阳", "author"), ("杨阳", "editor")], "投稿"),
    ("作者：杨阳", [("杨阳", "author")], None),
    ("编辑:杨阳 来源:投稿 发布时间:2021-06-30 13:06:00", [("杨阳", "editor")], "投稿"),
    ("作者 : 杨阳　编辑 : 杨阳", [("杨阳", "author"), ("杨阳", "editor")], None),
    ("来源：某某河畔日报 编辑：苏明", [("苏明", "editor")], "某某河畔日报"),
    ("作者：宋然 杨建华", [("宋然", "author"), ("杨建华", "author")], None),
    ("作者：宋然、杨建华", [("宋然", "author"), ("杨建华", "author")], None),
    ("作者：宋然，杨建华", [("宋然", "author"), ("杨建华", "author")], None),
    ("作者：宋然/杨建华", [("宋然", "author"), ("杨建华", "author")], None),
    ("编辑： 冰冰", [("冰冰", "editor")], None),
    ("来源： 21世纪教育报道", [], "21世纪教育报道"),
    ("新华网某某频道 记者 方瑶 李慧芬", [("方瑶", "reporter"), ("李慧芬", "reporter")], None),
    ("作者： 郑可文 (Peter Hollis)", [("郑可文 (Peter Hollis)", "author")], None),
    ("译： Chen Bin", [("Chen Bin", "translator")], None),
    ("2004年8月16日09:19 [ 丁越 ] 来源：[ 某某金融报 ]", [("丁越", "author")], "某某金融报"),
    ("〓 某某娱乐 某某留言板 发布时间 2005/06/17 21:11:42 by 松间月", [("松间月", "author")], None),
    ("作者： 追风&少年", [("追风&少年", "author")], None),
    ("楼层： 第 1 楼 时间：2005-09-28 21:56:20 作者： 追风&少年", [("追风&少年", "author")], None),
    ("时间：2004年11月21日15:18 作者：郭振远", [("郭振远", "author")], None),
    ("执笔人：闵乐平 赵兰亭 刘川 刘晋华 胡玉成",
     [("闵乐平", "author"), ("赵兰亭", "author"), ("刘川", "author"), ("刘晋华", "author"), ("胡玉成", "author")], None),
    ("编辑： 吕青", [("吕青", "editor")], None),
    ("来源： 千龙网", [], "千龙网"),
    ("拿出10万元来做教育储蓄，二来为孩子升学留条后路 蔡雨婷/摄", [("蔡雨婷", "photographer")], None),
    ("张三 摄", [("张三", "photographer")], None),
    ("文：松间月", [("松间月", "author")], None),
    ("（ 责任编辑：刘立远 ）", [("刘立远", "responsible_editor")], None),
    ("(编辑：燕可)", [("燕可", "editor")], None),
    ("发布日期：2022-03-11 09:52 信息来源： 内蒙古日报", [], "内蒙古日报"),
    ("作者：北仑区教育局", [], "北仑区教育局"),
    ("文/图 张三 李四", [("张三", "author"), ("李四", "author")], None),
    ("记者 樊明 张立超 通讯员 王明", [("樊明", "reporter"), ("张立超", "reporter"), ("王明", "correspondent")], None),
    ("某某谈记者 史卫红", [("史卫红", "reporter")], None),
    ("新京报记者 彭越 山东冠县报道", [("彭越", "reporter")], None),
    ("出版社：某某出版社 作者： 罗正清", [("罗正清", "author")], None),
    ("责任编辑：孙重山", [("孙重山", "responsible_editor")], None),
    ("责任编辑： 焦航", [("焦航", "responsible_editor")], None),
    ("【编辑:刘欣】", [("刘欣", "editor")], None),
    ("51offer编辑：Alice", [("Alice", "editor")], None),
    ("来源:转载", [], "转载"),
    ("作者:孙仲衡", [("孙仲衡", "author")], None),
    ("来源：河洛日报客户端", [], "河洛日报客户端"),
    ("编辑:李楠", [("李楠", "editor")], None),
    ("来源：央广网", [], "央广网"),
    ("来源：汾河晚报", [], "汾河晚报"),
    ("记者 刘松", [("刘松", "reporter")], None),
    ("□ 本报记者 葛晓岚", [("葛晓岚", "reporter")], None),
    ("本报记者罗科依娜发自北京", [("罗科依娜", "reporter")], None),
    ("（总台记者 张蕾）", [("张蕾", "reporter")], None),
    ("作者： 记者王敬明", [("王敬明", "reporter")], None),
    ("审核：王五 校对：赵六", [("王五", "reviewer"), ("赵六", "reviewer")], None),
    ("翻译：李四", [("李四", "translator")], None),
    ("摄影：王五", [("王五", "photographer")], None),
    ("通讯员：王明", [("王明", "correspondent")], None),
    ("作者：阿卜杜拉·买买提", [("阿卜杜拉·买买提", "author")], None),
    ("作者：欧阳修文", [("欧阳修文", "author")], None),
    ("记者 索朗多吉", [("索朗多吉", "reporter")], None),
    ("By John Smith", [("John Smith", "author")], None),
    ("来源：金羊网—新快报", [], "金羊网—新快报"),
    # interns write too; English-language CMS credits
    ("本报实习生 刘振宇 周岩", [("刘振宇", "reporter"), ("周岩", "reporter")], None),
    ("Posted by qqzzhhyy at 2005-10-15 10:46", [("qqzzhhyy", "author")], None),
    ("Posted by 云姑娘 @ 2005-07-14 04:25:55", [("云姑娘", "author")], None),
    ("Written by John Smith on June 3, 2005", [("John Smith", "author")], None),
    ("作者：追风&少年 发表于 2005-09-28 21:56:20", [("追风&少年", "author")], None),
    ("作者：赵立川、风明远", [("赵立川", "author"), ("风明远", "author")], None),
    ("作者： 记者王敬明 编辑：王华林", [("王敬明", "reporter"), ("王华林", "editor")], None),
    ("执笔/乐乐姐、胡二刀&李小飞侠", [("乐乐姐", "author"), ("胡二刀", "author"), ("李小飞侠", "author")], None),
    ("文/李明 王芳", [("李明", "author"), ("王芳", "author")], None),
    ("撰文/张伟&刘洋", [("张伟", "author"), ("刘洋", "author")], None),
    ("本文来源：某某报 责任编辑：杜平_NB10001", [("杜平", "responsible_editor")], "某某报"),
    ("某某新闻记者 段彦文 廖红", [("段彦文", "reporter"), ("廖红", "reporter")], None),
    # several names after one role word with no space after it
    ("（记者王明、李华）", [("王明", "reporter"), ("李华", "reporter")], None),
    ("记者王明，李华 通讯员张强", [("王明", "reporter"), ("李华", "reporter"), ("张强", "correspondent")], None),
    ("本报记者王明、李华报道", [("王明", "reporter"), ("李华", "reporter")], None),
    # a newspaper credit "记者NAME/文 NAME/图" (the shape Henan and Guangdong dailies print)
    ("记者王明/文 李华/图", [("王明", "reporter"), ("李华", "photographer")], None),
    # an outlet's name set with a space inside (a bureau CMS's free-text 来源 field)
    ("来源：宁波 日报 作者：王明", [("王明", "author")], "宁波日报"),
    ("来源：北仑区教育局 王明", [], "北仑区教育局"),
    ("来源：新华网 2021-06-30", [], "新华网"),
    # a forum's footer under the post (the shape of 2000s BBS software: "本贴由 X 于 DATE 在〖版面〗发表")
    ("本贴由 王明 于2021年6月30日12:00:21在〖 教师论坛 〗发表.", [("王明", "author")], None),
    ("会议由王明主持，于2021年6月30日在区政府召开", [], None),   # a sentence, no stamp
    ("由小雨点张贴 @ 2021-06-14 03:25:55 (370) 共 11 篇评论", [("小雨点", "author")], None),  # blog software
    ("qingshan2021 发表于 2021-9-15 11:46:00", [("qingshan2021", "author")], None),          # a BBS post head
    ("本报 发表于 2021-9-15", [], None),
    # the footer of .Text-family blog software (博客园's "posted @ DATE NAME 阅读(N) 评论(N)")
    ("posted @ 2021-06-30 12:40 李四 阅读(12) 评论(0) 编辑 收藏", [("李四", "author")], None),
    ("posted on 2021-06-30 12:40 wang_ming 阅读(12)", [("wang_ming", "author")], None),
    ("发表于 2021-06-30 12:40 | 阅读 12 | 评论 3", [], None),   # a nameless stamp
    ("posted @ 2021-06-30 12:40 阅读(12) 评论(0)", [], None),
    # a two-character name padded with a space to the width of three-character ones, as staff
    # lists, newspapers and journal landing pages set it ("作者: 王 军：某某大学，北京")
    ("作者：赵 岩", [("赵岩", "author")], None),
    ("作者: 王 军 ：某某师范学院，杭州", [("王军", "author")], "某某师范学院"),
    ("记者 王  军 李晓华", [("王军", "reporter"), ("李晓华", "reporter")], None),
    ("责任编辑：吴 敏", [("吴敏", "responsible_editor")], None),
    # the writer's unit in brackets after the name (school and bureau sites' contributed pieces)
    ("作者：王明（某某区实验小学）", [("王明", "author")], None),
    ("作者：王明(某某中学) 李华(某某小学)", [("王明", "author"), ("李华", "author")], None),
    # a school's or a unit's contribution, as education-bureau sites credit it: the unit, then the
    # writer (the unit is no person; after 作者 it is the source)
    ("撰稿：城关小学 王明", [("王明", "author")], "城关小学"),
    ("作者：某某区实验中学 李华 王明", [("李华", "author"), ("王明", "author")], "某某区实验中学"),
    ("通讯员：县教育局 王明", [("王明", "correspondent")], None),
    ("作者：王明 城关小学", [("王明", "author")], "城关小学"),
    # a name whose last character is also a credit's tail (文, 电, 讯) stays whole, and the list goes on;
    # a photo credit run into the name ends it
    ("记者 李志文 王明", [("李志文", "reporter"), ("王明", "reporter")], None),
    ("某某新闻记者 段彦文 廖红", [("段彦文", "reporter"), ("廖红", "reporter")], None),
    ("记者 王明摄", [("王明", "photographer")], None),
    # a government document's information-disclosure table (the 索引号/发文机关/成文日期/发布日期 grid
    # that provincial and State Council document pages print above the text) names its issuing
    # organ: the document's author, an organisation (role issuer), and its source
    ("发文机关：某某县人民政府 成文日期：2024年03月01日 发布日期：2024年03月04日", [("某某县人民政府", "issuer")],
     "某某县人民政府"),
    ("发文机关：某某省教育厅、某某省财政厅 发文字号：某教发〔2024〕3号", [("某某省教育厅", "issuer"), ("某某省财政厅", "issuer")],
     "某某省教育厅"),
    ("发文单位： 某某市人民政府办公室", [("某某市人民政府办公室", "issuer")], "某某市人民政府办公室"),
    # 发文机构, as city portals' disclosure lists print it (<li>索引号…</li><li>发文机构： 某市人民政府</li>)
    ("发文机构： 某某市人民政府", [("某某市人民政府", "issuer")], "某某市人民政府"),
    ("发文机关：王明", [], None),   # a person's name is no organ
    # a commentary's credit: "本报评论员", "（评论员 …）"
    ("本报评论员 王明", [("王明", "author")], None),
    ("（评论员 王明 李晓华）", [("王明", "author"), ("李晓华", "author")], None),
    # the credit line of WeChat articles (and outlets that copy their style): a vertical bar as the colon
    ("文 | 王明", [("王明", "author")], None),
    ("作者丨王明 编辑丨李华", [("王明", "author"), ("李华", "editor")], None),
    ("文|王明 图|李华", [("王明", "author"), ("李华", "photographer")], None),
    ("图文|视频", [], None),
    # the writer's credit after the name, as newspapers set it beside the photographer's
    ("王明/文 李华/图", [("李华", "photographer"), ("王明", "author")], None),
    ("记者 王明/文", [("王明", "reporter")], None),
]


@pytest.mark.parametrize("text,expected,source", BYLINES)
def test_parse_byline(text, expected, source):
    byline = parse_byline(text)
    assert people(byline) == expected
    assert (byline.source if byline else None) == source


@pytest.mark.parametrize("text,date_text", [
    ("作者:杨阳 编辑:杨阳 来源:投稿 发布时间:2021-06-30 13:06:00", "2021-06-30 13:06:00"),
    ("时间：2004年11月21日15:18 作者：郭振远", "2004年11月21日15:18"),
    ("发布日期：2022-03-11 09:52 信息来源： 内蒙古日报", "2022-03-11 09:52"),
    ("2005-02-14 16:02:30 来源: 21世纪教育报道", "2005-02-14 16:02:30"),
    ("Posted by qqzzhhyy at 2005-10-15 10:46", "2005-10-15 10:46"),
])
def test_date_part_of_the_line(text, date_text):
    assert parse_byline(text).date_text.startswith(date_text)


def test_event_date_in_a_line_is_not_its_date():
    byline = parse_byline("“民主与科学”网站搜集整理于2002-09-25")
    assert byline is None or byline.date_text is None


@pytest.mark.parametrize("text", [
    "浏览次数：123 字号：大 中 小 打印 分享",
    "【打印本页】【关闭窗口】",
    "扫一扫 在手机上阅读本页",
    "分享到：微信 微博",
    "转载本站文章请注明作者和出处",
    "该作者文章",
    "记者近日从某某省教育厅召开的全省职业教育工作推进会上获悉",
    "新华社记者看西部",
    "Powered by BlogDriver",
    "[引用日期2014-05-19]",
    "人民网 >> 江苏频道 >> 教育",
    "本文 发表于 2005-01-02 10:00",
    "云姑娘写于2005年6月12日",
    "2005-10-11 17:04:42 楼主",
    "posted by admin at 10:00",
    "发表于 2004年11月27日 13:40 - (阅读:1234;评论:56)",
    # reported speech: the label word inside a sentence, a quotation after the colon
    "校长告诉记者：“一本好书，可能会改变一个孩子看世界的方式。”",
    "他对记者说：「这项工作还要做细做实。」",
    # a government site's footer link list: 网站地图 ends with 图, which is no photo credit here
    # (the shape of Guangdong and Beijing district portals' footers; the links are invented)
    "隐私安全 | 网站地图 | 使用帮助 | 联系我们",
    "网站地图｜关于我们",
])
def test_furniture_and_prose_give_no_people(text):
    assert people(parse_byline(text)) == []


@pytest.mark.parametrize("text", ["", None, 42, b"\x00\xff", "\x00\x01\x02\xff" * 50])
def test_bad_input_gives_none(text):
    assert parse_byline(text) is None
    assert parse_lead(text) is None
    assert parse_tail(text) is None


def test_ten_megabytes_is_fast():
    import time
    start = time.perf_counter()
    for f in (parse_byline, parse_lead, parse_tail):
        f("记者 " * 2_000_000)
        f("作者：杨阳" + "啊" * 10_000_000)
    assert time.perf_counter() - start < 2


LEADS = [
    ("本报讯（记者 樊明 张立超 通讯员 王明）6月30日，", [("樊明", "reporter"), ("张立超", "reporter"), ("王明", "correspondent")]),
    ("据新华社成都电（记者 索朗多吉）记者近日从某某省教育厅召开的全省职业教育工作推进会上获悉", [("索朗多吉", "reporter")]),
    ("新华社北京6月30日电（记者 王明 李华）日前，", [("王明", "reporter"), ("李华", "reporter")]),
    ("新华社北京6月30日电（王明 李华）日前，", [("王明", "reporter"), ("李华", "reporter")]),
    ("本报讯（通讯员 王明 记者 樊明）", [("王明", "correspondent"), ("樊明", "reporter")]),
    ("本报记者罗科依娜发自北京", [("罗科依娜", "reporter")]),
    ("□ 本报记者 葛晓岚", [("葛晓岚", "reporter")]),
    ("（记者 樊明 张立超 通讯员 王明）", [("樊明", "reporter"), ("张立超", "reporter"), ("王明", "correspondent")]),
    ("本报讯（记者王明、李华）6月30日，", [("王明", "reporter"), ("李华", "reporter")]),
    ("新华社北京6月30日电（记者王明、李华、张强）日前，", [("王明", "reporter"), ("李华", "reporter"), ("张强", "reporter")]),
    # a client's and a newspaper's names joined by a middle dot before 记者, as Henan's news apps
    # credit their copy ("某某新闻·某某商报记者 NAME/文")
    ("某某新闻·某某商报记者王明/文受访者供图", [("王明", "reporter")]),
    # the agency's mark, a space, then the credit without brackets (city papers' leads)
    ("本报讯 记者王明 通讯员李华 报道：6月30日，", [("王明", "reporter"), ("李华", "correspondent")]),
    ("本报讯 记者 王明 通讯员 李华 今天上午，全区", [("王明", "reporter"), ("李华", "correspondent")]),
]


@pytest.mark.parametrize("text,expected", LEADS)
def test_parse_lead(text, expected):
    assert people(parse_lead(text)) == expected


@pytest.mark.parametrize("text", [
    "记者近日从某某省教育厅召开的全省职业教育工作推进会上获悉",
    "6月23日下午,区委组织部主办的“书记加油——百强支部PK赛”事业(教育、卫健)专场活动在新碶中学举行。",
    "（一）加强领导。各地要高度重视",
])
def test_lead_without_credit(text):
    assert parse_lead(text) is None


TAILS = [
    ("加快推进中小学校园网络升级，带动全县教育均衡发展。（记者 胡静宜）", [("胡静宜", "reporter")]),
    ("度过一个安全、愉快、充实而有意义的暑假。（常雨桐 马晓阳 ）", [("常雨桐", "author"), ("马晓阳", "author")]),
    ("所有的课改难道不都是从课堂上起步的吗？”（姚岚 上海报道）", [("姚岚", "reporter")]),
    ("新京报记者 彭越 山东冠县报道", [("彭越", "reporter")]),
    ("记者 刘松", [("刘松", "reporter")]),
    ("（总台记者 张蕾）", [("张蕾", "reporter")]),
    ("（ 责任编辑：刘立远 ）", [("刘立远", "responsible_editor")]),
    ("全面推进课后服务提质增效。（记者王明、李华）", [("王明", "reporter"), ("李华", "reporter")]),
    ("全面推进课后服务提质增效。（记者 王明）（完）", [("王明", "reporter")]),
    ("全面推进课后服务提质增效。（本报记者王明 通讯员李华）【完】", [("王明", "reporter"), ("李华", "correspondent")]),
    ("这座城市的底气正在于此。（评论员 王明 李晓华）", [("王明", "author"), ("李晓华", "author")]),
    # the contributing unit, then its writer: the closing credit of district government news items
    # (Guangdong and Beijing district portals); invented names
    ("焕发优雅自信。(区图书馆 王明）", [("王明", "author")]),
    ("营造良好氛围。（县实验小学 李华 张明）", [("李华", "author"), ("张明", "author")]),
]


@pytest.mark.parametrize("text,expected", TAILS)
def test_parse_tail(text, expected):
    assert people(parse_tail(text)) == expected


@pytest.mark.parametrize("text", ["（完）", "（新华社）", "（资料图）", "（图文）", "Powered by Discuz! Archiver",
                                  "据说他们都是这样。（原标题：教育新闻）", "（区教育局 供稿）", "（市委宣传部 区文明办）"])
def test_tail_without_people(text):
    assert people(parse_tail(text)) == []


@pytest.mark.parametrize("token,strict,expected", [
    ("杨阳", False, True), ("索朗多吉", False, True), ("阿卜杜拉·买买提", False, True),
    ("北仑区教育局", False, False), ("新华网", False, False), ("投稿", False, False), ("浏览次数", False, False),
    ("常雨桐", True, True), ("欧阳修文", True, True), ("关注", True, False), ("在现场", True, False), ("王说", True, False),
    ("人民视觉", True, False), ("Alice", False, True), ("qqzzhhyy", False, False),
])
def test_looks_like_person(token, strict, expected):
    assert looks_like_person(token, strict=strict) is expected


@pytest.mark.parametrize("token,expected", [
    ("abc20051", True), ("lanshan", True), ("追风&少年", True), ("2005abc", False), ("www", False),
    ("admin", False), ("12345", False), ("http", False),
])
def test_forum_handles_count_where_a_label_vouches(token, expected):
    assert looks_like_person(token, handle=True) is expected


# _label_matches tries the label regex only where a label word begins: the same matches as
# scanning every position (lookbehinds, an English "Posted by", a short label with its separator)
LABEL_SCANS = [
    "作者:杨阳 编辑:杨阳 来源:投稿 发布时间:2021-06-30 13:06:00",
    "新京报记者王明 通讯员李华",
    "某某时间：2021-06-30",           # 时间 after a CJK character is no label
    "时间：2021-06-30 点击：12",
    "Posted by admin at 2021-06-30",
    "posted by admin",
    "Written by Li Hua",
    "a by b By c BY d",
    "文 / 王明 图 | 李华 审：张三",
    "文学的力量",                      # a short label without its separator is none
    "本报记者本报记者",
    "",
]


@pytest.mark.parametrize("text", LABEL_SCANS)
def test_label_matches_are_the_label_regex_matches(text):
    from aggregator.bylines import _LABEL_RE, _label_matches
    assert [(m.span(), m.group("label")) for m in _label_matches(text)] == \
        [(m.span(), m.group("label")) for m in _LABEL_RE.finditer(text)]


# lines with neither a label word nor an unlabelled credit's mark: no byline, at once
@pytest.mark.parametrize("text", [
    "这是一段普通的正文，没有任何署名。",
    "Copyright 2021 All rights reserved",
    "2021-06-30",
])
def test_lines_without_any_mark_hold_no_byline(text):
    assert parse_byline(text) is None


@pytest.mark.parametrize("paragraph", [
    "……体系。（记者 陈静）", "……体系。（记者 陈静） 。", "（王小明 李华 ）.", "正文结束。（记者 王明）（完）",
    "正文结束。【完】", "正文结束 (END) .", "正文结束。[完]。。", "（责任编辑：刘立远）", "没有括号的结尾。",
    "括号在中间（记者 王明）之后还有字。", "（完）", "（", "。", "　（ 记者　王明 ）　",
])
def test_the_closing_bracket_precheck_never_skips_a_match(paragraph):
    """parse_tail runs _END_MARK and _TAIL_BRACKET only on a folded text that ends with one of
    their closing brackets (then spaces, 。 or .): wherever either pattern matches, it does."""
    from aggregator import bylines as b

    tail = " ".join(b._nfkc(paragraph[-200:]).split())
    last = tail.rstrip(b._AFTER_CLOSE)[-1:]
    if b._END_MARK.search(tail):
        assert last and last in b._END_CLOSE
    cut = b._END_MARK.sub("", tail)
    if b._TAIL_BRACKET.search(cut):
        assert cut.rstrip(b._AFTER_CLOSE)[-1:] in b._TAIL_CLOSE
