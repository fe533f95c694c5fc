"""Bylines as Chinese sites print them -> people with roles, and the source (来源).

The interface the rest of the code uses:

    parse_byline(text) -> Byline | None
        "作者:杨阳 编辑:杨阳 来源:投稿 发布时间:2021-06-30 13:06:00"
    parse_lead(paragraph) -> Byline | None
        the body's first paragraph: "本报讯（记者 樊明 通讯员 王明）..."

    Byline.people     [Person(name, role, label)]; role in ROLES
    Byline.source     "投稿" / "北仑区教育局" / None
    Byline.date_text  the date part of the line, raw ("2021-06-30 13:06:00") or None; a
                      publication label's date wins over an update label's (更新时间)
    Byline.date_label the label before it ("发布时间", "更新时间") or None

Also here:
    parse_tail(paragraph) -> Byline | None    a body's closing credit: "……（记者 陈静）", "（王小明 李华）"
    looks_like_person(token, strict=False, handle=False) -> bool   a person's name, not an organisation or page furniture
    AUTHOR_ROLES   the roles a reader calls the article's authors
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from aggregator.nfkc import nfkc

# "issuer": the issuing organ of an official document (发文机关), an organisation, never a person:
# the document's author as the disclosure table states it
ROLES = ("author", "reporter", "correspondent", "photographer", "editor",
         "responsible_editor", "reviewer", "translator", "issuer", "other")
AUTHOR_ROLES = ("author", "reporter", "correspondent", "photographer", "translator", "issuer")

_MAX_LINE = 600  # a byline is short; bad input may be 10 MB


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    label: str

    def as_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "label": self.label}


@dataclass
class Byline:
    people: list = field(default_factory=list)
    source: str | None = None
    date_text: str | None = None
    date_label: str | None = None  # the label the date stood after ("发布时间", "更新时间"), if any

    def add(self, person: Person) -> None:
        if all((p.name, p.role) != (person.name, person.role) for p in self.people):
            self.people.append(person)

    def merge(self, other: "Byline | None") -> None:
        if not other:
            return
        for p in other.people:
            self.add(p)
        self.source = self.source or other.source
        self.date_text = self.date_text or other.date_text

    def __bool__(self) -> bool:
        return bool(self.people or self.source or self.date_text)

    def copy(self) -> "Byline":
        return Byline(list(self.people), self.source, self.date_text, self.date_label)


# how many lines the parsers remember with what they gave. A page's finders parse some lines twice
# (a byline the cleaner moved out of the body stands in the byline block too, a closing line may
# be one), and the next page of a site repeats its template's lines (来源, 责任编辑, a footer's
# credit). A parse reads nothing but its line, so the remembered answer is the answer; each
# caller gets its own copy, as the field finders edit the people list they are given.
_REMEMBERED = 256


def _own_copy(found: "Byline | None") -> "Byline | None":
    return None if found is None else found.copy()


# --- vocabulary ----------------------------------------------------------------------

# label -> role ("source", "date" and "stop" are not people). Longest labels are tried first.
LABELS = {
    "作者": "author", "撰文": "author", "撰稿": "author", "执笔人": "author", "执笔": "author",
    "撰稿人": "author", "文字": "author", "作者署名": "author", "主笔": "author", "by": "author",
    "文/图": "author", "图/文": "author", "文图": "author", "图文": "author",
    "记者": "reporter", "本报记者": "reporter", "本台记者": "reporter", "本网记者": "reporter",
    "特约记者": "reporter", "实习记者": "reporter", "见习记者": "reporter", "首席记者": "reporter",
    "融媒体记者": "reporter", "全媒体记者": "reporter", "报道员": "reporter",
    "实习生": "reporter", "本报实习生": "reporter", "见习生": "reporter",
    "通讯员": "correspondent", "特约通讯员": "correspondent", "本报通讯员": "correspondent",
    "摄影": "photographer", "摄像": "photographer", "图片": "photographer", "摄影记者": "photographer",
    "编辑": "editor", "本版编辑": "editor", "网络编辑": "editor", "值班编辑": "editor", "美编": "editor",
    "编辑整理": "editor", "整理": "editor", "编发": "editor", "小编": "editor", "编排": "editor",
    "责任编辑": "responsible_editor", "责编": "responsible_editor", "主编": "responsible_editor",
    "值班主任": "responsible_editor", "总编辑": "responsible_editor", "责任校对": "reviewer",
    "审核": "reviewer", "审校": "reviewer", "审签": "reviewer", "审稿": "reviewer", "终审": "reviewer",
    "初审": "reviewer", "复审": "reviewer", "二审": "reviewer", "三审": "reviewer", "校对": "reviewer",
    "审核人": "reviewer", "签发": "reviewer", "监制": "reviewer", "统筹": "other", "策划": "other",
    # a commentary's writer: "（评论员 王明 李华）", "本报评论员 王明", "特约评论员：王明"
    "评论员": "author", "本报评论员": "author", "特约评论员": "author", "本刊评论员": "author",
    "本台评论员": "author", "本网评论员": "author",
    "翻译": "translator", "译者": "translator", "编译": "translator",
    "来源": "source", "信息来源": "source", "稿件来源": "source", "稿源": "source", "出处": "source",
    "转自": "source", "转载自": "source", "供稿": "source", "供稿单位": "source", "文章来源": "source",
    "新闻来源": "source", "来自": "source", "出自": "source", "发布机构": "source", "发布单位": "source",
    # the issuing organ in a government document's information-disclosure table (索引号, 发文机关,
    # 成文日期, 发布日期): an organisation, the document's author and its origin (the source too)
    "发文机关": "issuer", "发文单位": "issuer", "发文机构": "issuer",
    "发布时间": "date", "发布日期": "date", "发表时间": "date", "发表日期": "date", "发表于": "date",
    "发布于": "date", "更新时间": "date", "更新日期": "date", "时间": "date", "日期": "date",
    "发稿时间": "date", "上传时间": "date", "录入时间": "date", "刊发时间": "date", "创建时间": "date",
    "Posted": "date", "Published": "date", "Date": "date",
    "浏览次数": "stop", "阅读次数": "stop", "点击次数": "stop", "点击数": "stop", "点击量": "stop",
    "点击": "stop", "浏览": "stop", "阅读": "stop", "访问量": "stop", "字号": "stop", "字体": "stop",
    "打印": "stop", "关闭": "stop", "分享到": "stop", "分享": "stop", "扫一扫": "stop", "收藏": "stop",
    "评论": "stop", "纠错": "stop", "访问次数": "stop", "楼层": "stop", "成文日期": "stop",
    "索引号": "stop", "文号": "stop", "发文字号": "stop", "主题分类": "stop", "阅读量": "stop",
}
# single-character labels only count with a colon after them ("文：青衫客", "译：Chen Bin")
_SHORT_LABELS = {"文": "author", "图": "photographer", "摄": "photographer", "译": "translator",
                 "编": "editor", "审": "reviewer"}
DATE_LABELS = tuple(k for k, v in LABELS.items() if v == "date")
UPDATE_LABELS = ("更新时间", "更新日期")

FURNITURE = ("浏览", "次数", "字号", "打印", "分享", "扫一扫", "关闭", "收藏", "点击", "评论", "阅读",
             "本页", "窗口", "微信", "微博", "二维码", "手机", "登录", "注册", "首页", "返回", "顶部",
             "上一篇", "下一篇", "相关", "推荐", "字体", "默认", "大中小", "来源", "编辑", "作者",
             "记者", "通讯员", "时间", "日期", "发布", "责任", "审核", "供稿", "未知", "佚名", "不详",
             "匿名", "本报", "本网", "本台", "本刊", "综合", "整理", "转载", "原创", "网友", "管理员",
             "admin", "administrator", "null", "none", "unknown", "本站", "小编", "图片", "视频", "报道",
             "联系", "投稿", "发表", "张贴", "统计", "访问",
             "房产", "汽车", "体育", "娱乐", "财经", "科技", "教育", "新闻", "音乐", "军事", "文化", "旅游",
             "时尚", "健康", "彩票", "游戏", "读书", "女性", "数码", "社会", "国际", "国内", "论坛", "博客",
             "专题", "热点", "要闻", "频道", "标签", "搜索", "文章", "关注", "订阅", "链接", "网址", "全文",
             "正文", "赞赏", "网络", "点赞", "在看", "转发", "留言", "原文", "经理", "主任", "老师", "同学", "版权", "声明", "我们", "他们", "大家", "记者站")
# organisations: 来源 values, 供稿 units (北仑区教育局, 新华网, 投稿)
ORG_SUFFIXES = ("局", "网", "报", "社", "台", "站", "中心", "学校", "大学", "学院", "中学", "小学",
                "幼儿园", "委员会", "委", "部", "厅", "办", "处", "科", "院", "所", "会", "公司", "集团",
                "频道", "杂志", "新闻", "日报", "晚报", "客户端", "政府", "办公室", "协会", "中队", "支部",
                "街道", "社区", "村", "镇", "乡", "区", "县", "市", "省", "馆", "队", "组", "团", "校",
                "园", "室", "所", "厂", "行", "署", "司", "盟", "班", "系", "门户", "平台", "号", "版",
                "频", "刊", "周刊", "在线", "传媒", "新闻网", "消息", "app", "APP")
# common Chinese surnames, used only where no label vouches for a name (a bare "（王小明 李华）")
_SURNAMES_1 = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻"
    "位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦"
    "戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但"
    "尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由")
_SURNAMES_2 = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
               "司徒", "夏侯", "令狐", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "万俟")

# characters that make "作者和真实" or "记者在现场" a phrase, not a name (used only without a label)
_FUNCTION_CHARS = set("的是在了也都就被把从对向为等和与及或着过这那个们说称表示指出认为介绍到将已又还")
_CJK = "\u3400-\u9fff\uf900-\ufaff"
_NAME_CJK = re.compile(rf"^[{_CJK}]{{2,4}}$")
_NAME_FOREIGN = re.compile(rf"^[{_CJK}]{{1,8}}(?:[·•・．.][{_CJK}]{{1,8}}){{1,3}}$")
_NAME_LATIN = re.compile(r"^[A-Za-z][A-Za-z'\-]*(?: [A-Z][A-Za-z'\-]*){0,3}$")
_NAME_ALIAS = re.compile(rf"^[{_CJK}]{{2,4}} ?\([A-Za-z][A-Za-z .'\-]{{1,40}}\)$")
_HANDLE = re.compile(rf"^[{_CJK}A-Za-z0-9_.&@\-]{{2,24}}$")
_BAD_IN_NAME = re.compile(r"[。！？；：:，,“”\"《》<>【】\[\]（）()|=]|\d{3,}|https?|www")


# any word of FURNITURE, in one search
_FURNITURE_RE = re.compile("|".join(map(re.escape, sorted(FURNITURE, key=len, reverse=True))))


def _nfkc(text: str) -> str:
    return nfkc(text)


def looks_like_person(token, strict: bool = False, handle: bool = False) -> bool:
    """True when `token` reads as one person's name.

    strict: no label vouches for it, so a Chinese name must start with a common surname
    and have 2-3 characters (4 with a two-character surname).
    handle: an explicit 作者/by label vouches for it, so a pen name in Latin letters or
    with digits ("Lee_2021", "晴天&小雨") counts too.
    """
    if not isinstance(token, str):
        return False
    token = token.strip()
    if not token or len(token) > 40:
        return False
    low = token.lower()
    if low.startswith(("http", "www")):
        return False
    # an alias ("郑可文 (Peter Hollis)") is a name whatever words it holds; only a token with a "("
    # can be one (the pattern's bracket is a plain character)
    if "(" in token and _NAME_ALIAS.match(token):
        return True
    if _FURNITURE_RE.search(low):
        return False
    if _NAME_FOREIGN.match(token):
        return not token.endswith(ORG_SUFFIXES)
    if _NAME_CJK.match(token):
        if strict:
            if any(c in _FUNCTION_CHARS for c in token[1:]):
                return False
            if token[:2] in _SURNAMES_2:
                return len(token) in (3, 4)
            return token[0] in _SURNAMES_1 and len(token) <= 3 and not token.endswith(ORG_SUFFIXES)
        if len(token) == 4 and token.endswith(ORG_SUFFIXES) and token[:2] not in _SURNAMES_2:
            return False
        if len(token) <= 3 and token.endswith(("局", "网", "报", "社", "台", "站", "委", "办", "厅", "部")):
            return token[0] in _SURNAMES_1 and len(token) == 2  # 马台 is a name, 新华社 is not
        return True
    if strict:
        return False
    if _NAME_LATIN.match(token):
        return len(token) >= 2 and (handle or " " in token or token[0].isupper())
    if handle and re.fullmatch(r"[A-Za-z][A-Za-z_.\-]*[A-Za-z][A-Za-z0-9_.\-]*", token) and len(token) <= 24:
        return not token.endswith(ORG_SUFFIXES)  # a pen name in Latin letters
    if (handle and _HANDLE.match(token) and not _BAD_IN_NAME.search(token)
            and not re.fullmatch(f"[{_CJK}]+", token)):  # an all-Chinese "handle" is a phrase
        return not re.fullmatch(r"[\d_.\-]+", token) and not token.endswith(ORG_SUFFIXES)
    return False


def looks_like_org(token) -> bool:
    return isinstance(token, str) and 2 <= len(token) <= 30 and token.endswith(ORG_SUFFIXES)


# --- tokenising a line -----------------------------------------------------------------

def _label_alternation() -> str:
    long = sorted((k for k in LABELS if k not in ("by", "Posted", "Published", "Date")), key=len, reverse=True)
    parts = [rf"(?<![{_CJK}]){k}" if k in ("时间", "日期", "点击", "浏览", "阅读", "评论", "整理", "图片") else re.escape(k)
             for k in long]
    # an organisation or site prefix may stand before 记者 ("新京报记者", "总台记者"): kept out of the label
    parts.append(r"(?<![A-Za-z])(?:[Pp]osted|[Ww]ritten|[Pp]ublished) +(?:by|By)(?=\s*[:：]|\s+[^\s\d])")
    parts.append(r"(?<![A-Za-z] )(?<![A-Za-z])(?:by|By|BY|Posted|Published|Date)(?=\s*[:：]|\s+[A-Za-z\u4e00-\u9fff])")
    short = "".join(_SHORT_LABELS)
    # a short label stands alone, never as the last character of a word: "网站地图 | 使用帮助" in
    # every government site's footer is a link list, not a photo credit (图 | …)
    parts.append(rf"(?<![{_CJK}])[{short}](?=\s*[:：/／|｜丨]\s*[^\s/／|｜丨])")
    return "|".join(parts)


# a slash after a label works as its colon ("执笔/乐乐姐", "文/李四"), and so does a vertical bar
# ("文 | 李四", "作者丨李四": the credit line of WeChat articles and the outlets that copy their style)
_LABEL_RE = re.compile(rf"(?P<label>{_label_alternation()})\s*(?:[:：/／|｜丨]\s*)?")
_SEP = re.compile(r"[\s、，,;；/／|]+")


# The regex engine scans quickly for a pattern only when every alternative opens with a plain
# character (it then skips to the characters they open with); _LABEL_RE's lookbehinds and
# character classes make it try every label at every position. The patterns below are written
# that way: alternatives of words, each opening with its own character.
_SEPARATOR = r"\s*[:：/／|｜丨]"


def _label_hint_words() -> list:
    """Words one of which every match of _LABEL_RE holds, with a short label and its separator
    (_label_hint): each label as written (a label that holds a shorter one left to it), "by"/"By"/"BY"."""
    words = set(LABELS) | {"by", "By", "BY", "Posted", "Published", "Date"}
    return sorted((w for w in words if not any(o != w and o in w for o in words)), key=len, reverse=True)


def _label_hint() -> str:
    return "|".join([*map(re.escape, _label_hint_words()), *(c + _SEPARATOR for c in _SHORT_LABELS)])


_ENGLISH_LABEL_STARTS = ("Posted", "posted", "Written", "written", "Published", "published", "by", "By", "BY", "Date")


def _label_start() -> str:
    """Where a match of _LABEL_RE may begin: every label's own first characters (a lookbehind
    of _LABEL_RE stands before them)."""
    return "|".join([*map(re.escape, sorted(LABELS, key=len, reverse=True)), *_ENGLISH_LABEL_STARTS,
                     *(f"{c}(?={_SEPARATOR})" for c in _SHORT_LABELS)])


def _by_first_character(alternatives) -> str:
    """A pattern that matches where one of `alternatives` ((its first character, the rest as a
    pattern)) matches: each first character once, with what may follow it ("记(?:者|…)"; alone
    when one alternative is that character alone). At a position the engine then compares the
    character with each first character once, where an alternation of the words compares it with
    every word's. The matches start where the alternation's do; the patterns below are read for
    that alone (whether, and where, a hint or a label may start)."""
    rests: dict = {}
    for first, rest in alternatives:
        rests.setdefault(first, []).append(rest)
    return "|".join(re.escape(first) if "" in rest else f"{re.escape(first)}(?:{'|'.join(rest)})"
                    for first, rest in rests.items())


def _words_by_first(words) -> list:
    return [(w[0], re.escape(w[1:])) for w in words]


# the marks of an unlabelled credit (_unlabelled) as (first character, the rest as a pattern)
_UNLABELLED_MARKS = (("由", ""), ("发", "表于"), ("发", "布于"), ("张", "贴于"), ("p", "osted"), ("P", "osted"),
                     ("[", ""), ("【", ""), ("摄", ""), ("/", r"\s*[图文]"), ("／", r"\s*[图文]"))


# a line holds a label only where it holds one of these words (see _label_hint), and an
# unlabelled credit (_unlabelled) only where it holds one of its marks: 由, 发表于, a bracket,
# 摄, "/图", "/文"; a line with neither holds no byline
_LABEL_HINT = re.compile(_label_hint())
_UNLABELLED_HINT = re.compile("|".join(re.escape(first) + rest for first, rest in _UNLABELLED_MARKS))
# both hints in one search (most lines: it says no): no match of either starts before its first
# match (every alternative opens with a plain character, for the engine's fast scan); grouped by
# first character (_by_first_character), as are the labels' starts
_ANY_HINT = re.compile(_by_first_character([*_words_by_first(_label_hint_words()),
                                             *((c, _SEPARATOR) for c in _SHORT_LABELS), *_UNLABELLED_MARKS]))
_LABEL_START = re.compile(_by_first_character([*_words_by_first(sorted(LABELS, key=len, reverse=True)),
                                               *_words_by_first(_ENGLISH_LABEL_STARTS),
                                               *((c, f"(?={_SEPARATOR})") for c in _SHORT_LABELS)]))


# the roles of labels that credit nobody: a line whose labels are all of these names no one
_NOBODY_ROLES = ("source", "date", "stop")


def _people_hint_words() -> list:
    """Words one of which every match of _LABEL_RE whose label credits people (a role not in
    _NOBODY_ROLES, _role_for) holds: each such label as written (one that holds a shorter one
    left out), "by"/"By"/"BY" ("Posted by", "Written By" hold one)."""
    words = {k for k, role in LABELS.items() if role not in _NOBODY_ROLES} | {"by", "By", "BY"}
    return sorted((w for w in words if not any(o != w and o in w for o in words)), key=len, reverse=True)


# the marks of an unlabelled credit that name someone only with more beside them (_unlabelled):
# an opening bracket with a date or 来源, 由 with a verb of posting (发表, 张贴 …)
_CONDITIONAL_MARKS = ("由", "[", "【")
# what a line that names anyone holds (_parsed_folded adds people only for a label of
# _people_hint_words, a short label with its separator, or an unlabelled credit's mark), but for
# _CONDITIONAL_MARKS (_names_anyone): a closing line without one ("来源：某某日报",
# "扫一扫在手机打开当前页") gives nobody, unparsed
_PEOPLE_HINT = re.compile(_by_first_character([*_words_by_first(_people_hint_words()),
                                                *((c, _SEPARATOR) for c in _SHORT_LABELS),
                                                *(m for m in _UNLABELLED_MARKS if m[0] not in _CONDITIONAL_MARKS)]))


def _label_matches(text: str) -> list:
    """_LABEL_RE.finditer(text) as a list, tried only where a label may begin: the same
    matches (leftmost first, each search on from the end of the last; a lookbehind sees the
    text before the position tried), without trying every label at every position."""
    out, pos = [], 0
    while True:
        start = _LABEL_START.search(text, pos)
        if start is None:
            return out
        m = _LABEL_RE.match(text, start.start())
        if m:
            out.append(m)
            pos = m.end()
        else:
            pos = start.start() + 1
_TOKEN = re.compile(rf"[{_CJK}]{{2,4}} ?\([A-Za-z][A-Za-z .'\-]{{1,40}}\)|[A-Z][a-z]+(?: [A-Z][a-z]+){{1,3}}(?![A-Za-z])|[^\s、，,;；/／|]+")
_STRIP = "[]【】()（）<>《》〈〉“”\"'「」『』:：-—–·•*□■●◆◇○★☆▲△~=_ "
_NAME_TAIL = re.compile(r"(?:发自\S{0,8}|报道|摄影?|供图|电|采写|撰写|整理|编辑|制图|绘图|讯|综述|文)$")
_STRIP_CLASS = re.escape(_STRIP)
_STAFF_CODE = re.compile(rf"(?<=[{_CJK}])_[A-Za-z]{{0,4}}\d{{2,}}$")
_DATELINE = re.compile(rf"^[{_CJK}]{{2,10}}(?:报道|发自\S*)$|^发自")
# the words a news lead's first sentence opens with, right after the credit
_WHEN_WORD = re.compile(r"^(?:今天|今日|昨天|昨日|前天|日前|近日|近期|连日|当天|当日|上午|下午|晚上|本周|本月|目前|此前|"
                        r"近年|去年|今年|据悉|据了解|记者从)")
_DATEISH = re.compile(r"\d{4}\s*[-/.年]|\d{1,2}:\d{2}|\d{1,2}月\d{1,2}日")


def _role_for(label: str) -> str:
    if label in LABELS:
        return LABELS[label]
    if label.lower() == "by" or label.lower().endswith(" by"):
        return "author"
    if label in ("Posted", "Published", "Date"):
        return "date"
    return _SHORT_LABELS.get(label, "other")


def _split_ampersands(tokens):
    """"胡二刀&李小飞侠" in a list of names is two people; "晴天&小雨" alone is one pen name.

    A token splits at & when the value lists several tokens anyway, or when every part is a
    Chinese name by itself (common surname)."""
    out = []
    for raw in tokens:
        parts = [x for x in re.split(r"[&＆]", raw) if x]
        if len(parts) > 1 and (len(tokens) > 1 or all(looks_like_person(x, strict=True) for x in parts)):
            out.extend(parts)
        else:
            out.append(raw)
    return out


# a two-character name set with a space inside so that it lines up with three-character names
# ("作者：赵 岩", "记者 王  军 李华"): a common surname, a space, one more character
_SPACED_NAME = re.compile(rf"(?<![{_CJK}])([{''.join(sorted(_SURNAMES_1))}])\s+([{_CJK}])(?![{_CJK}])")
# a writer's unit in brackets after the name ("作者：王明（北京大学）"): not part of the name;
# a Latin alias in brackets ("郑可文 (Peter Hollis)") is
_AFFILIATION = re.compile(rf"(?<=[{_CJK}])\s*\([^()]*[{_CJK}][^()]*\)(?=$|[\s、，,;；/|])")


def _closed_up(m: re.Match) -> str:
    """A spaced name's two characters without the space between them: a call per match, where the
    template r"\\1\\2" costs a call into re's template cache on every substitution, match or not."""
    return m.group(1) + m.group(2)


_LONG_CJK = re.compile(rf"[{_CJK}]{{5,}}")


def _names(value: str, role: str, label: str, out: Byline, *, handle: bool) -> None:
    """Split a labelled value into people; stop at the first token that is not a name."""
    value = _AFFILIATION.sub(" ", _SPACED_NAME.sub(_closed_up, value.strip()))
    if not value:
        return
    tokens = _TOKEN.findall(value[:120])
    if "&" in value or "＆" in value:
        tokens = _split_ampersands(tokens)
    for i, raw in enumerate(tokens):
        if _DATELINE.search(raw) or _DATEISH.search(raw):
            break
        token = raw if "(" in raw and _NAME_ALIAS.match(raw) else raw.strip(_STRIP)
        token = _STAFF_CODE.sub("", token)  # "王倩_NF1234": a CMS appends the editor's staff code
        if not token:
            continue
        if token in ("等", "和", "及", "与"):
            continue
        if token.lower() in ("at", "on", "in", "@", "于", "发表于", "发布于", "posted"):
            break  # "Posted by X at 2005-…", "作者：X 发表于 …": the name ended
        if _WHEN_WORD.match(token):
            break  # "本报讯 记者 王明 今天上午，…": the lead's sentence began
        stripped = _NAME_TAIL.sub("", token) if len(token) > 2 else token
        tail = token[len(stripped):]
        photo = tail.startswith("摄")
        # a credit's word after the name ("王明摄", "王明整理") ends the names; a single 文, 电 or
        # 讯 is as often a name's last character (李志文, 张海电), which a name-like token keeps
        ended = bool(tail) and (not looks_like_person(token, handle=handle)
                                or ((photo or len(tail) > 1) and looks_like_person(stripped.strip(_STRIP), handle=handle)))
        if ended:
            token = stripped.strip(_STRIP)
        if looks_like_person(token, handle=handle):
            out.add(Person(token, "photographer" if photo and role != "photographer" else role, label))
            if ended:
                break
        elif _LONG_CJK.fullmatch(token) and not token.endswith(ORG_SUFFIXES):
            break  # a sentence, not a list of names
        else:
            org = len(token) >= 3 and looks_like_org(token)
            if role == "author" and org and not out.source:
                out.source = token  # 作者：北仑区教育局 is an organisation, not a person
            if org and i == 0:
                continue  # "撰稿：城关小学 王明": the writer's school or unit, then the writer
            break


_SOURCE_YU = re.compile(r"^\s*于\s*")
_SOURCE_SENTENCE = re.compile(r"[，。！？；,;!?]")
_SOURCE_PARTS = re.compile(r"\s{1,}|(?<=[\u4e00-\u9fff])(?=\d{4})")


def _source(value: str) -> str | None:
    value = _SOURCE_YU.sub("", value).strip().strip(_STRIP)  # "来源于网络"
    if _SOURCE_SENTENCE.search(value[:40]):
        return None
    if not value:
        return None
    parts = _SOURCE_PARTS.split(value, maxsplit=2)
    token = parts[0].strip(_STRIP)
    if not token or _DATEISH.search(token) or len(token) > 40:
        return None
    # an outlet's name set with a space inside ("宁波 日报", "中国 教育报"): the next word joins
    # it when only the two together end as an organisation's name does
    nxt = parts[1].strip(_STRIP) if len(parts) > 1 else ""
    if (nxt and len(nxt) <= 8 and not token.endswith(ORG_SUFFIXES) and (token + nxt).endswith(ORG_SUFFIXES)
            and re.fullmatch(f"[{_CJK}]+", token + nxt)):
        token += nxt
    if any(w in token for w in ("浏览", "字号", "打印", "分享", "扫一扫", "点击")):
        return None
    return token


# the poster's stamp that forum and blog software prints by a post: "本贴由 王明 于2021年6月30日…发表",
# "由王明张贴 @ 2021-06-30 12:00:00", "王明 发表于 2021-6-30 11:46:00" (a line that opens with the name)
_POSTED_BY = (
    re.compile(r"(?:^|[\s，。,])(?:本[贴帖文]|此[贴帖文]|该[贴帖文])?由\s*([^\s于]{1,24})\s*于\s*(?:19|20)\d{2}"
               r"[^。]{0,60}?(?:发表|发布|发帖|发贴)"),
    re.compile(r"(?:^|[\s，。,])由\s*([^\s于@]{1,24}?)\s*(?:张贴|发表|发布|发帖|发贴)\s*[@于]?\s*(?:19|20)\d{2}"),
    re.compile(r"^\s*([^\s:：]{2,24})\s+(?:发表于|发布于|张贴于)\s*[:：]?\s*(?:19|20)\d{2}"),
    # the footer of .Text-family blog software (博客园 and its kin): "posted @ 2021-06-30 12:40 王明
    # 阅读(12) 评论(3)", the writer between the time and the counters
    re.compile(r"(?:^|\s)(?:[Pp]osted\s*(?:@|on)|发表于)\s*(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?"
               r"\s+([^\s\d(（]{2,24})\s+(?:阅读|评论|浏览|[Vv]iews?|[Cc]omments?)"),
)
# the patterns whose words say a name follows ("由 … 于", "posted @ DATE … 阅读"): a handle counts;
# a bare word opening the line must be a name by itself
_POSTED_VOUCHED = (True, True, False, True)


_BRACKETED = re.compile(r"[\[【]\s*([^\[\]【】\s]{2,12})\s*[\]】]")
_PHOTO_CREDIT = re.compile(rf"(?:^|[\s，。,])([{_CJK}·]{{2,8}}?)\s*(?:[/／]?\s*(?:摄影|摄)|[/／]\s*图)(?=$|[\s）)，。,])")
_TEXT_CREDIT = re.compile(rf"(?:^|[\s，。,])([{_CJK}·]{{2,8}}?)\s*[/／]\s*文(?=$|[\s）)，。,])")


def _posted_by_tried(text: str) -> tuple:
    """For each pattern of _POSTED_BY, whether `text` holds the word every match of it holds:
    由 (the first two), 于 (发表于, 发布于, 张贴于), "osted" ([Pp]osted) or 发表于 (the fourth). A text
    without it is not searched: the search would find nothing (most lines hold none)."""
    by = "由" in text
    return by, by, "于" in text, "osted" in text or "发表于" in text


def _names_anyone(text: str) -> bool:
    """Whether `text` (folded) may name anyone when read as a byline: False only where
    _parsed_folded's reading gives no people. A label or a mark of _PEOPLE_HINT; else what
    _unlabelled needs beside a conditional mark: a bracketed name counts beside a date or 来源,
    and a stamp's 由 precedes 张贴 or a 发 (发表, 发布, 发帖, 发贴)."""
    if _PEOPLE_HINT.search(text) is not None:
        return True
    if ("[" in text or "【" in text) and (_DATEISH.search(text) is not None or "来源" in text):
        return True
    return "由" in text and ("发" in text or "张贴" in text)


def _unlabelled(text: str, out: Byline) -> None:
    """Shapes without a leading label: a portal's "[ 王明 ]" beside the date or 来源, "王明/摄", "王明/图",
    a post's stamp "由 王明 于 2021-06-30 发表", "王明 发表于 2021-06-30". Each pattern is searched only
    in a text holding a word every match of it holds (_posted_by_tried; an opening bracket, 摄 or
    图, 文): without one it finds nothing."""
    for pattern, vouched, tried in zip(_POSTED_BY, _POSTED_VOUCHED, _posted_by_tried(text)):
        m = pattern.search(text) if tried else None
        name = m.group(1).strip(_STRIP) if m else ""
        # "由 … 于/张贴" says a name follows; a bare word opening the line must be a name by itself
        # (a common surname) or a handle in Latin letters, never "本文 发表于 …"
        if m and (looks_like_person(name, handle=True) if vouched else
                  looks_like_person(name, strict=True)
                  or (not re.fullmatch(f"[{_CJK}]+", name) and looks_like_person(name, handle=True))):
            out.add(Person(name, "author", "posted"))
            break
    if ("[" in text or "【" in text) and (_DATEISH.search(text) or "来源" in text):
        for m in _BRACKETED.finditer(text):
            if looks_like_person(m.group(1), strict=True):
                out.add(Person(m.group(1), "author", "[…]"))
    for m in _PHOTO_CREDIT.finditer(text) if "摄" in text or "图" in text else ():
        name = m.group(1)
        sep = text[m.end(1):m.end(1) + 1]
        if looks_like_person(name, strict=sep not in ("/", "／")):
            out.add(Person(name, "photographer", "摄"))
    # the writer's credit after the name, as newspapers set it under a headline or a photo
    # ("王明/文 李华/图", "记者 王明/文")
    for m in _TEXT_CREDIT.finditer(text) if "文" in text else ():
        if looks_like_person(m.group(1)) and all(p.name != m.group(1) for p in out.people):
            out.add(Person(m.group(1), "author", "文"))


def _issuers(value: str, label: str, out: Byline) -> None:
    """The organs a disclosure table names after 发文机关 ("某某县人民政府", a joint document's
    "某某厅、某某局"): each an issuer, the first also the source. Only organisations' names count."""
    for token in _SEP.split(value[:120].strip()):
        token = token.strip(_STRIP)
        if not token:
            continue
        if _DATEISH.search(token) or not (looks_like_org(token) or token.endswith("中央")):
            break
        out.add(Person(token, "issuer", label))
        if out.source is None:
            out.source = token


_QUOTES = "“\"「『‘"
_LIST_SEP = re.compile(r"^\s*[、，,]\s*|^\s+")


def _more_names(rest: str) -> str:
    """The further names of "记者王明、李华" written without a space after the label: each one
    after a list separator, as long as it reads as a name without a label's word for it."""
    names = []
    while True:
        sep = _LIST_SEP.match(rest)
        if not sep:
            break
        nm = re.match(rf"([{_CJK}]{{2,4}}?)(?=发自|报道|摄|电|等|$|[\s）)，,、。])", rest[sep.end():])
        if not nm or not looks_like_person(nm.group(1), strict=True):
            break
        names.append(nm.group(1))
        rest = rest[sep.end() + nm.end():]
    return "".join(" " + n for n in names)


def _hints(text: str, hint: re.Match) -> tuple[bool, bool]:
    """(a label's word, an unlabelled credit's mark) in `text`, from _ANY_HINT's first match
    `hint`. No match of either hint starts before it (neither looks behind), and its label
    alternatives are tried first: it is a label's word when one matches where it starts, and the
    other hint is searched for from there on."""
    at = hint.start()
    if _LABEL_HINT.match(text, at) is not None:
        return True, _UNLABELLED_HINT.search(text, at) is not None
    return _LABEL_HINT.search(text, at + 1) is not None, True


_FULL_DATE = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
_AFTER_YU = re.compile(r"于\s*[:：]?\s*$")


# a name right after a label without a colon or a space ("记者王明 报道"), where it ends
_BARE_NAME = re.compile(rf"([{_CJK}]{{2,4}}?)(发自|报道|摄|电|$|[\s）)，,、/／])")


def parse_byline(text):
    """A byline line -> Byline(people, source, date_text), or None when it holds none of them."""
    if not isinstance(text, str) or not text.strip():
        return None
    return _own_copy(_parsed_byline(text[:_MAX_LINE]))


@lru_cache(maxsize=_REMEMBERED)
def _parsed_byline(text: str) -> Byline | None:
    """parse_byline of a line that is not blank, cut to its first _MAX_LINE characters."""
    return _parsed_folded(_folded(text))


def _folded(text: str) -> str:
    """`text` in NFKC with its whitespace folded: single spaces, none at either end."""
    return " ".join(_nfkc(text).split())


def _parsed_folded(text: str) -> Byline | None:
    """parse_byline of a line already folded (_folded) and no longer than _MAX_LINE."""
    hint = _ANY_HINT.search(text)
    if hint is None:
        return None
    labelled, unlabelled = _hints(text, hint)
    out = Byline()
    updated_first = False
    matches = _label_matches(text) if labelled else []
    for i, m in enumerate(matches):
        label = m.group("label")
        role = _role_for(label)
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end():end]
        if role == "stop":
            continue
        if role == "date":
            # the publication stamp wins over an update stamp printed before it on the line
            if _DATEISH.search(value[:40]) and (out.date_text is None or updated_first):
                updated_first = out.date_text is None and label in UPDATE_LABELS
                out.date_text, out.date_label = value.strip()[:60], label
            continue
        if role == "source":
            if out.source is None:
                out.source = _source(value)
            continue
        if role == "issuer":
            _issuers(value, label, out)
            continue
        has_colon = text[m.end("label"):m.end()].strip() != ""
        # "…告诉记者：“一本好书…”": a quotation follows, the label word is part of a sentence
        if has_colon and value.lstrip()[:1] in _QUOTES:
            continue
        # "记者走访了…" in running text: without a colon or a space the name must end at a boundary
        if not has_colon and m.end() == m.end("label") and label not in ("文/图", "图/文"):
            nm = _BARE_NAME.match(text, m.end())
            if not nm or not looks_like_person(nm.group(1), strict=nm.group(2) not in ("发自", "报道", "摄")):
                continue
            value = nm.group(1) + _more_names(text[m.end() + len(nm.group(1)):end])
        _names(value, role, label, out, handle=role in ("author", "translator") or label.lower() == "by")
    if unlabelled:
        _unlabelled(text, out)
    if out.date_text is None and (matches or out.people):
        # an unlabelled date in a byline line ("2021-01-14 17:02:30 来源: 某某日报") counts when it
        # opens the line; "搜集整理于2002-09-25" or "建立于:2004年10月6日" is another event's date
        d = _FULL_DATE.search(text)
        if d and d.start() <= 25 and not _AFTER_YU.search(text[:d.start()]):
            out.date_text = text[d.start():d.start() + 40].strip()
    return out if out else None


_LEAD_BRACKET = re.compile(r"^(?P<pre>[^（(]{0,40}?)[（(](?P<inner>[^（）()]{2,80})[）)]")
_LEAD_PREFIX = re.compile(r"(?:本报讯|本网讯|本台讯|讯|电|消息|报道|综合报道)\s*$")


# the credit a lead opens with, after its bullet, the news agency's mark and the outlet's name
_LEAD_CREDIT_START = re.compile(rf"^[{_STRIP_CLASS}]*(?:[{_CJK}·•]{{0,14}}?讯\s*)?(?:[{_CJK}·•]{{0,14}}?)"
                                r"(?=本报记者|记者|通讯员|作者|文/图|文:|特约记者)")
# a word every match of _LEAD_CREDIT_START looks ahead to (本报记者 and 特约记者 hold 记者): a lead
# without one is no credit, and one search says so before the pattern tries its many openings
_LEAD_CREDIT = re.compile("记者|通讯员|作者|文/图|文:")


def parse_lead(paragraph):
    """The body's first paragraph -> the people its lead names, or None.

    "本报讯（记者 樊明 张立超 通讯员 王明）…", "新华社北京6月30日电（记者 …）",
    "本报记者张立新发自北京", "□ 本报记者 周敏".
    """
    if not isinstance(paragraph, str) or not paragraph.strip():
        return None
    head = _folded(paragraph[:200])
    out = Byline()
    # the opening bracket of _LEAD_BRACKET stands within the first 41 characters: a head without
    # one there is not matched
    m = _LEAD_BRACKET.match(head) if "（" in head[:41] or "(" in head[:41] else None
    if m:
        inner = m.group("inner")
        parsed = parse_byline(inner)
        if parsed and parsed.people:
            out.merge(Byline(people=parsed.people))
        elif _LEAD_PREFIX.search(m.group("pre")):
            tokens = [t.strip(_STRIP) for t in _SEP.split(inner) if t.strip(_STRIP)]
            if tokens and all(looks_like_person(t, strict=True) for t in tokens):
                for t in tokens:
                    out.add(Person(t, "reporter", ""))
    if not out.people:
        # an outlet's name may stand before the label, with a middle dot between its parts
        # ("某某新闻·某某日报记者王明/文")
        # ("本报讯 记者王明 通讯员李华 报道：…": the news agency's mark, a space, then the credit)
        start = _LEAD_CREDIT_START.match(head) if _LEAD_CREDIT.search(head) else None
        if start:
            clause = re.split(r"[。！？]", head[start.end():], maxsplit=1)[0][:80]
            parsed = parse_byline(clause)
            if parsed and parsed.people:
                out.merge(Byline(people=parsed.people))
    return out if out.people else None


# the mark news copy ends with, after the credit: "（记者 王明）（完）", "【完】", "(END)"
_END_MARK = re.compile(r"\s*[（(【\[]\s*(?:完|全文完|完毕|END|end)\s*[）)】\]][\s。.]*$")
_TAIL_BRACKET = re.compile(r"[（(](?P<inner>[^（）()]{2,60})[）)][\s。.]*$")
_AFTER_CLOSE = " 。."     # what [\s。.]* can take at the end of a folded text
_END_CLOSE = "）)】]"     # the closing brackets _END_MARK ends with, then _TAIL_BRACKET
_TAIL_CLOSE = "）)"


def parse_tail(paragraph):
    """A body's closing credit -> Byline, or None.

    "……体系。（记者 陈静）", "（王小明 李华 ）", "（区图书馆 王明）", "某某报记者 王明 山东冠县报道",
    "（责任编辑：刘立远）". Unlabelled names must look like names (common surname, 2-3 characters).
    """
    if not isinstance(paragraph, str) or not paragraph.strip():
        return None
    return _own_copy(_parsed_tail(paragraph[-200:]))


def _closing_text(paragraph: str) -> str:
    """A closing credit's text folded (_folded), without the end mark news copy ends with.

    It is folded as parse_byline would fold it: NFKC is the same on its own output, and so is a
    fold of NFKC text (a whitespace character it keeps, or the space put in its place, is a starter
    that no composition takes, before or after it), and so is what _END_MARK leaves, a prefix
    ending in no space (the mark's match opens with every space before it)."""
    tail = _folded(paragraph)
    # both patterns end in a closing bracket and then only [\s。.]* (on a folded text: spaces, 。
    # and .): a text that does not end so matches neither, and neither search needs to run; an
    # end mark also holds 完 (全文完, 完毕), END or end
    if tail.rstrip(_AFTER_CLOSE)[-1:] in _END_CLOSE and ("完" in tail or "END" in tail or "end" in tail):
        tail = _END_MARK.sub("", tail)
    return tail


@lru_cache(maxsize=_REMEMBERED)
def _parsed_tail(paragraph: str) -> Byline | None:
    """parse_tail of a text that is not blank, cut to its last 200 characters."""
    tail = _closing_text(paragraph)
    m = _TAIL_BRACKET.search(tail) if tail.rstrip(_AFTER_CLOSE)[-1:] in _TAIL_CLOSE else None
    out = _bracket_credit(m.group("inner")) if m else None
    # the line itself, read as a byline, gives only the people it names
    if (out is None or not out.people) and len(tail) <= 60 and _names_anyone(tail):
        parsed = _parsed_folded(tail)  # the closing text is folded already (_closing_text)
        if parsed and parsed.people:
            out = out or Byline()
            out.merge(Byline(people=[p for p in parsed.people if p.label.lower() != "by"], source=parsed.source))
    return out if out else None


def _bracket_credit(inner: str) -> Byline:
    """The credit a closing bracket holds ("记者 王明", "王明 上海报道", "区图书馆 王明"), empty if none."""
    parsed = parse_byline(inner)
    if parsed and (parsed.people or parsed.source):
        return Byline(people=[p for p in parsed.people if p.label.lower() != "by"], source=parsed.source)
    out = Byline()
    tokens = [t.strip(_STRIP) for t in _SEP.split(inner) if t.strip(_STRIP)]
    role = "author"
    while tokens and _DATELINE.search(tokens[-1]):  # "（王明 上海报道）"
        tokens.pop()
        role = "reporter"
    # "（区图书馆 王明）": the contributing unit, then its writers, as district and county
    # government sites close a news item a unit sent in
    if len(tokens) >= 2 and looks_like_org(tokens[0]) and not looks_like_person(tokens[0], strict=True):
        tokens = tokens[1:]
    if 1 <= len(tokens) <= 6 and all(looks_like_person(t, strict=True) for t in tokens):
        for t in tokens:
            out.add(Person(t, role, ""))
    return out
