"""A labelled syndication test set: originals, the copies editors make of them, and the hard
negatives that must stay apart, generated from a seed.

    build(seed, mix=TUNED) -> [Case]     Case(item, group, kind)

`item` is an `aggregator import` line (url, site, title, body, source, published_at); `group`
names the story it belongs to (a negative has a group of its own); `kind` says how it was made.

The bodies follow the shape of the news pages of Zhejiang education bureaus and of 中国教育新闻网
(the 15 real bodies in tests/data/syndication/bodies.json and the demo sites show it): a lead
sentence with the date and place, paragraphs of what was done and said, figures, a closing
paragraph; the original often opens with furniture a republisher replaces: a sub-headline
(——…), the headline again, a dateline (本报讯 / 本网讯 with 记者 and 通讯员), byline lines
(文/图、记者、通讯员), an 编者按. Sentences are written for this set (not taken from any page)
from phrase pools, so that each original is its own text while originals share the stock
phrases real bureau news shares.

The editor's operations (each copy applies a few): a new headline, a new lead of one or two
sentences, an editor's note, the tail cut, a credit line (来源 / 转自 / 本文来源 …), the
original's furniture removed or replaced by the republisher's own, paragraphs reordered, a
sentence or two paraphrased (synonyms, clauses swapped, figures kept), a digest of the first
30% (摘编). Hard negatives: an independent report of the same event (same names, figures,
place and date in other sentences), a follow-up days later quoting one sentence of the
original, and template notices (one template, each notice its own names, dates and figures),
some of which are republished themselves (those copies belong to their notice's story); in the
FRESH mix also notices that differ from another only in their names (school, district, contact
person; every figure the same) and bare templates (the form with its slots blank).
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import NamedTuple

CST = timezone(timedelta(hours=8))


class Case(NamedTuple):
    item: dict
    group: str
    kind: str


# --- the world: places, schools, people, topics ---------------------------------------------------
CITIES = {
    "宁波市": ["海曙区", "江北区", "北仑区", "镇海区", "鄞州区", "奉化区", "余姚市", "慈溪市", "象山县", "宁海县"],
    "绍兴市": ["越城区", "柯桥区", "上虞区", "诸暨市", "嵊州市", "新昌县"],
    "温州市": ["鹿城区", "龙湾区", "瓯海区", "洞头区", "瑞安市", "乐清市", "永嘉县", "平阳县", "苍南县"],
    "湖州市": ["吴兴区", "南浔区", "德清县", "长兴县", "安吉县"],
    "嘉兴市": ["南湖区", "秀洲区", "嘉善县", "海盐县", "海宁市", "平湖市", "桐乡市"],
    "金华市": ["婺城区", "金东区", "兰溪市", "义乌市", "东阳市", "永康市", "武义县", "浦江县"],
    "台州市": ["椒江区", "黄岩区", "路桥区", "临海市", "温岭市", "玉环市", "天台县", "仙居县"],
}
SCHOOL_KINDS = ["实验小学", "中心小学", "第一中学", "第二中学", "实验学校", "外国语学校", "职业高级中学",
                "中等职业学校", "高级中学", "实验幼儿园", "中心幼儿园", "特殊教育学校", "初级中学", "育才小学"]
SCHOOL_PREFIX = ["城南", "城东", "新城", "东湖", "西山", "明德", "文昌", "崇文", "育英", "启明", "青云",
                 "江滨", "梅林", "桃源", "龙山", "凤凰", "紫阳", "白鹭", "春晖", "蓝湾"]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红文斌海燕宇浩晨欣怡佳琪子轩梓涵")
ROLES = ["校长", "党委书记", "副校长", "教导主任", "德育处主任", "教研员", "班主任", "区教育局副局长",
         "市教育局基础教育处处长", "年级组长", "科学教师", "体育教师", "心理健康教师"]
TOPICS = [
    ("劳动教育实践周", "劳动教育", "学生在田间地头学会了插秧、除草和采摘"),
    ("校园科技节", "科技创新教育", "学生展示了自己设计的机器人、航模和智能浇花装置"),
    ("心理健康教育月", "心理健康教育", "学校开设了情绪管理、压力疏导和人际交往系列课程"),
    ("校园足球联赛", "校园足球", "来自各校的代表队在绿茵场上展开了激烈角逐"),
    ("读书节", "全民阅读", "师生共读经典名著，开展了好书推荐和读书分享会"),
    ("新教师入职培训", "教师队伍建设", "新入职教师聆听了师德专题报告并参加了课堂教学展示"),
    ("课后服务提质行动", "“双减”工作", "学校推出了涵盖体育、艺术、科技的百余门课后服务课程"),
    ("防溺水安全教育", "安全教育", "学生通过情景模拟学习了溺水自救和施救的正确方法"),
    ("研学实践活动", "研学实践教育", "学生走进博物馆、科技馆和非遗工坊开展沉浸式学习"),
    ("家校共育论坛", "家校协同育人", "家长代表和教师围绕亲子沟通、习惯养成等话题深入交流"),
    ("书法进校园活动", "中华优秀传统文化教育", "书法家现场示范，学生临摹楷书和隶书作品"),
    ("中小学生田径运动会", "学校体育", "运动员们在短跑、跳远、接力等项目中奋力拼搏"),
    ("集团化办学推进会", "集团化办学", "各教育集团交流了课程共建、师资共享和管理互通的做法"),
    ("食品安全专项检查", "校园食品安全", "检查组深入食堂后厨，查看了食材采购台账和留样记录"),
    ("垃圾分类主题教育", "生态文明教育", "学生在校园里设立了分类回收站并担任环保督导员"),
    ("青少年模拟法庭", "法治教育", "学生分别扮演法官、公诉人和辩护人，还原了一起校园欺凌案件的审理过程"),
    ("艺术节文艺汇演", "美育", "合唱、舞蹈、器乐和戏剧节目轮番登场，赢得阵阵掌声"),
    ("职业体验日", "职业启蒙教育", "学生走进企业车间和实训基地，体验了数控加工和电商直播"),
    ("乡村教师支教行动", "城乡教育共同体", "城区骨干教师来到乡村学校上示范课并开展结对帮扶"),
    ("近视防控宣传月", "儿童青少年近视防控", "校医为学生开展视力筛查，并讲解了科学用眼的知识"),
]

# --- phrase pools: {x} slots are filled from the event -------------------------------------------
LEADS = [
    "{date}，{district}{school}举行{event}启动仪式，{n1}余名师生参加。",
    "{date}上午，由{city}教育局主办、{school}承办的{event}正式拉开帷幕。",
    "近日，{district}教育局组织开展{event}，全区{n2}所中小学校积极响应。",
    "{date}下午，{school}{event}在学校报告厅隆重开幕，{district}教育局相关负责人出席。",
    "为深入推进{theme}，{date}起，{district}在全区中小学开展为期{n3}天的{event}。",
    "{date}，记者从{district}教育局获悉，{event}日前在{school}圆满落幕。",
    "{date}，{city}{event}在{district}{school}举行，来自全市的{n1}名学生同台展示。",
    "金秋时节，{school}迎来了一年一度的{event}，校园里处处洋溢着欢声笑语。",
]
BODY = [
    "活动现场，{detail}，不少家长也专程赶来观摩。",
    "据了解，{school}近年来把{theme}纳入学校整体规划，形成了“课程+实践+评价”的工作体系。",
    "本次活动共设置{n3}个板块，既有集中展示，也有分组体验，覆盖全校所有年级。",
    "{school}{role}{person}介绍，学校专门成立了工作专班，由分管校领导牵头，各年级组具体落实。",
    "在随后的交流环节，{n2}名教师代表结合各自的教学实践，分享了开展{theme}的经验和体会。",
    "为了让活动更有实效，学校还邀请了高校专家和行业能手走进课堂，为学生进行现场指导。",
    "活动期间，学校同步开展了主题征文、手抄报设计和摄影比赛，共收到学生作品{n1}余件。",
    "{district}教育局相关负责人在讲话中指出，{theme}是落实立德树人根本任务的重要抓手。",
    "下一步，全区将总结推广典型经验，推动{theme}从“有没有”向“好不好”转变。",
    "学校还建立了学生成长档案，把参与活动的情况纳入综合素质评价，做到过程可记录、结果可查询。",
    "“以前总觉得离自己很远，这次亲身参与后才真正明白其中的意义。”八年级学生{person2}说。",
    "家长{person2}告诉记者，孩子回家后主动讲起活动中的收获，一家人都很受触动。",
    "据统计，今年以来全区累计开展相关主题活动{n2}场次，参与学生超过{n1}人次。",
    "值得一提的是，{school}与周边社区、企业签订了共建协议，为学生提供了稳定的校外实践场所。",
    "为保障活动安全有序，学校提前制定了应急预案，并安排教师分组值守、全程陪同。",
    "在闭幕式上，主办方为表现突出的{n3}个集体和{n2}名个人颁发了荣誉证书。",
    "据悉，该活动已连续举办{n3}届，成为{district}教育的一张特色名片。",
    "{role}{person}表示，学校将以此次活动为契机，进一步完善课程设置，丰富活动载体。",
    "课堂上，教师用通俗易懂的语言讲解相关知识，并通过互动问答检验学习效果。",
    "不少学生表示，这样的活动形式新颖、内容丰富，既学到了知识，又锻炼了能力。",
    "此外，区教育局还将把活动开展情况纳入学校年度考核，推动各项措施落地见效。",
    "学校图书馆、实验室和操场在活动期间全天开放，方便学生自主开展探究和练习。",
    "专家组对各校的特色做法给予充分肯定，同时就课程的系统化和评价的科学化提出了建议。",
    "据介绍，这是{city}首次以全市联动的方式组织此类活动，参与范围之广、覆盖人数之多均创新高。",
    "{school}还把活动成果整理成校本教材，供其他学校交流借鉴。",
    "{date}当天，{city}教育局{role}{person}一行到现场调研，详细了解活动的组织和推进情况。",
    "在分会场，{n2}支学生团队依次进行了成果汇报，评委从创新性、实用性和表达能力等方面进行了打分。",
    "此次活动得到了当地街道、卫健、公安等部门的大力支持，形成了齐抓共管的良好局面。",
    "学校还利用公众号、校园广播和宣传栏，持续宣传活动中涌现出的先进典型和感人故事。",
    "针对活动中发现的问题，学校及时召开专题会议进行梳理，并逐条制定了整改措施。",
    "教师们纷纷表示，要把活动中学到的好方法运用到日常教育教学中，让更多学生受益。",
    "在{n3}个体验区，学生们排起了长队，{detail}。",
    "区教研室组织骨干教师编写了{n3}套活动指导手册，免费发放到各校。",
    "随后，与会人员参观了{school}的特色场馆，观摩了学生社团的现场展示。",
    "据{district}教育局统计，截至目前，全区已有{n2}所学校建成了相关实践基地。",
    "活动结束后，不少学生意犹未尽，围着指导老师继续请教。",
]
CLOSINGS = [
    "据了解，{district}将持续深化{theme}，努力办好人民满意的教育。",
    "下一步，{school}将继续探索{theme}的新路径，为学生全面发展搭建更广阔的平台。",
    "主办方表示，今后将把此类活动常态化开展，让更多孩子从中受益。",
    "{district}教育局有关负责人表示，将以此为新起点，推动全区{theme}再上新台阶。",
]
# independent reports: other sentences about the same event (same names, figures, place, date)
OTHER_WORDS = [
    "{date}这天，{district}{school}格外热闹，{event}在这里举行，{n1}多名师生一同参与其中。",
    "走进{school}，{detail}，现场气氛十分热烈。",
    "“我们希望通过{event}，让每个孩子都找到自己的闪光点。”{role}{person}在接受采访时说。",
    "记者在现场看到，{n2}所学校的代表分区域展示了各自的成果，观众络绎不绝。",
    "{person}告诉记者，筹备工作从{n3}个月前就开始了，老师们利用课余时间反复打磨方案。",
    "对于不少学生来说，这是他们第一次如此近距离地接触{theme}，新鲜感十足。",
    "{district}教育局工作人员介绍，此次{event}共吸引{n1}名学生报名，规模为历年之最。",
    "现场还设置了家长观摩区，{person2}带着孩子一边看一边拍照，直呼“没想到学校这么用心”。",
    "据主办方透露，{event}的部分优秀成果还将推荐参加{city}的评选展示。",
    "活动尾声，{n3}个优秀团队上台领奖，台下掌声不断。",
    "一大早，{school}的操场上就聚满了前来参加{event}的学生和家长。",
    "“孩子们的表现超出了我们的预期。”{person}一边整理展台一边对记者说。",
    "这次{event}由{district}教育局牵头，{n2}所学校联合筹办，历时{n3}周准备。",
    "在一间教室里，{detail}，指导老师不时上前点拨。",
    "{role}{person}坦言，起初也担心学生参与度不高，结果报名人数远超预期。",
    "据悉，{city}今年将在更多学校推广这一做法，预计惠及学生{n1}人。",
    "不少前来观摩的兄弟学校老师一边看一边记，希望把好经验带回去。",
    "“比起坐在教室里听，动手做一做印象要深得多。”一名五年级学生笑着说。",
]
FOLLOW_UP = [
    "{event}结束已有一段时间，{school}师生的热情并没有消退。",
    "记者近日回访{school}发现，活动中形成的做法已经走进了日常课堂。",
    "学校每周安排固定课时，由专任教师带领学生继续开展相关练习和探究。",
    "{role}{person}说，学校正在对前期活动进行复盘，准备编写新的校本课程纲要。",
    "不少家长反映，孩子在家里也保持了活动中养成的好习惯，学习和生活更有规律了。",
    "{district}教育局计划在下学期组织各校开展经验交流，推动优秀做法在更大范围落地。",
    "学校还与两所兄弟学校结成了发展共同体，定期开展联合教研和学生交流。",
    "走进校园，记者看到宣传栏里张贴着学生们在活动中拍下的照片和写下的感言。",
    "{person2}是这次活动的积极参与者，如今已经成了班里的“小老师”。",
    "学校把活动中的优秀案例汇编成册，发放给每个班级作为教学参考。",
    "任课教师坦言，刚开始推进时遇到了课时紧、场地少等困难，后来通过调整课表逐步解决。",
    "据了解，{district}已有多所学校前来{school}交流学习，有的已开始试点。",
    "家长委员会也参与进来，每月组织一次亲子实践，把课堂延伸到社区和家庭。",
    "{district}教育局相关科室负责人表示，将跟踪评估实施效果，适时出台指导意见。",
    "学校心理老师发现，参加活动后，不少学生在班级里变得更加自信、开朗。",
    "目前，学校正在筹建新的实践教室，预计下学期投入使用。",
    "一位任教二十多年的老教师感慨，这样的变化是过去想都不敢想的。",
]
DETAILS_EXTRA = ["同学们认真聆听、积极提问", "学生们分组合作、各展所长", "师生们热情高涨、踊跃参与",
                 "孩子们兴致勃勃、跃跃欲试", "志愿者们耐心讲解、细致引导"]

# --- furniture the originals carry, and what republishers put in its place -------------------------
def furniture(rng, ev) -> list:
    kind = rng.random()
    lines = []
    if kind < 0.3:
        lines.append(f"——{ev['district']}{ev['school']}开展{ev['event']}侧记")
    if rng.random() < 0.3:
        lines.append(ev["headline"])
    if rng.random() < 0.5:
        lines.append(f"本报讯（记者 {ev['person3']} 通讯员 {ev['person4']}）")
    elif rng.random() < 0.5:
        lines.append(f"文/图 {ev['person3']} {ev['person4']}")
    if rng.random() < 0.2:
        lines.append(f"编者按：{ev['theme']}是新时代教育的重要内容。{ev['district']}的探索，或许能给我们一些启发。")
    return lines


# the credits a copy carries, as printed on the republishing sites
def credit(rng, source) -> str:
    return rng.choice([f"（来源：{source}）", f"来源：{source}", f"本文来源：{source}", f"转自：{source}",
                       f"文章来源：{source}", f"（稿源：{source}）"])


# synonym swaps an editor makes when paraphrasing (pairs from the phrase pools above)
SYNONYMS = [("开展", "举行"), ("学生们", "孩子们"), ("积极", "主动"), ("进一步", "更加"), ("表示", "说"),
            ("据了解", "据悉"), ("活动", "主题活动"), ("纳入", "列入"), ("推动", "促进"), ("邀请了", "请来了"),
            ("师生", "老师和同学"), ("现场", "当场"), ("介绍", "说明"), ("组织", "安排")]


SITES = [("bl_jyj", "北仑区教育局"), ("nb_jyj", "宁波市教育局"), ("zj_jyt", "浙江省教育厅"),
         ("sx_jyj", "绍兴市教育局"), ("wz_jyj", "温州市教育局"), ("zgjyxw", "中国教育新闻网"),
         ("jyzj", "教育之江"), ("nbrb", "宁波日报"), ("xs_jyj", "象山县教育局"), ("yy_jyj", "余姚市教育局"),
         ("hz_jyj", "湖州市教育局"), ("jx_jyj", "嘉兴市教育局"), ("jh_jyj", "金华市教育局"),
         ("tz_jyj", "台州市教育局"), ("zjjyb", "浙江教育报")]

# --- template notices ------------------------------------------------------------------------------
NOTICE_TEMPLATES = [
    ("关于公布{year}年度{city}中小学{award}名单的通知",
     "各区（县、市）教育局，市直属各学校：\n根据《{city}中小学{award}评选办法》，经学校推荐、区县初审、"
     "市级评审和网上公示等程序，决定授予{school}等{n1}所学校“{city}中小学{award}”称号，授予{person}等"
     "{n2}名教师“{city}优秀指导教师”称号。\n希望受到表彰的单位和个人珍惜荣誉、再接再厉，充分发挥示范引领作用；"
     "各地各校要以先进为榜样，进一步加强组织领导，完善保障机制，推动工作高质量发展。\n附件：{year}年度{city}中小学"
     "{award}名单\n{city}教育局\n{year}年{month}月{day}日"),
    ("关于举办{city}第{n3}届中小学生{contest}的通知",
     "各区（县、市）教育局，各直属学校：\n为丰富校园文化生活，展示学生综合素质，经研究，决定举办{city}第{n3}届"
     "中小学生{contest}。现将有关事项通知如下：\n一、比赛时间：{year}年{month}月{day}日至{day2}日。\n二、比赛地点："
     "{district}{school}。\n三、参赛对象：全市中小学在籍学生，每校限报{n2}支队伍，每队不超过{n1}人。\n四、报名方式："
     "请各单位于{month}月{day3}日前将报名表报送至组委会邮箱，逾期不予受理。\n五、其他事项：参赛队伍须购买人身意外"
     "伤害保险，往返交通自行安排。联系人：{person}，联系电话：0574-8{tel}。\n{city}教育局\n{year}年{month}月{day3}日"),
    ("{district}{year}年{term}中小学招生工作实施意见",
     "为做好{district}{year}年{term}中小学招生工作，保障适龄儿童少年依法接受义务教育，根据上级有关文件精神，"
     "结合我区实际，制定本实施意见。\n一、招生对象：{year}年8月31日前年满{age}周岁的适龄儿童，以及小学毕业生。\n"
     "二、招生原则：坚持免试就近入学，公办民办学校同步招生。全区共设{n2}个学区，公办学校计划招生{n1}人。\n"
     "三、时间安排：网上报名时间为{month}月{day}日至{month}月{day2}日，资格审核结果于{month}月{day3}日公布。\n"
     "四、工作要求：各校要严格执行招生政策，严禁以任何形式进行考试选拔，咨询电话：8{tel}。\n{district}教育局\n"
     "{year}年{month}月{day}日"),
    ("关于{district}{school}{year}年{holiday}放假安排的通知",
     "全体师生、各位家长：\n根据{city}教育局校历安排，结合学校实际，现将{year}年{holiday}放假安排通知如下：\n"
     "{month}月{day}日至{month}月{day2}日放假调休，共{n3}天；{month}月{day3}日（星期{weekday}）正常上课。\n"
     "假期中，请家长加强对孩子的安全教育和监护，做到不私自下水游泳、不玩火玩电、遵守交通规则。学校值班电话："
     "8{tel}，值班人员：{person}。\n预祝大家度过一个平安、愉快的假期！\n{district}{school}\n{year}年{month}月{day0}日"),
    ("关于开展{year}年{city}中小学教师{training}的通知",
     "各区（县、市）教育局，市直属各学校：\n为进一步提升教师专业素养，经研究，决定开展{year}年{city}中小学教师"
     "{training}。现将有关事项通知如下：\n一、培训对象：全市中小学教龄{n3}年以内的青年教师，共计{n1}人。\n二、培训"
     "时间：{year}年{month}月{day}日至{day2}日，共{n2}学时。\n三、培训地点：{district}{school}。\n四、相关要求："
     "参训教师须全程参加，培训合格者计入继续教育学分。联系人：{person}，电话：0575-8{tel}。\n{city}教育局\n{year}年"
     "{month}月{day3}日"),
]
AWARDS = ["劳动教育特色学校", "科技教育示范学校", "书香校园", "平安校园", "心理健康教育示范学校", "体育特色学校"]
CONTESTS = ["科技创新大赛", "经典诵读比赛", "合唱节", "信息素养提升实践活动", "航模比赛", "书法比赛"]
TRAININGS = ["教学能力提升培训", "班主任能力提升培训", "信息技术应用能力培训", "心理健康教育专题培训"]
HOLIDAYS = ["清明节", "劳动节", "端午节", "中秋节", "国庆节"]


def _name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def _school(rng, district) -> str:
    return district[:2] + rng.choice(SCHOOL_PREFIX) + rng.choice(SCHOOL_KINDS)


def _event(rng, n, when, topics=TOPICS) -> dict:
    city = rng.choice(list(CITIES))
    district = rng.choice(CITIES[city])
    event, theme, detail = topics[n % len(topics)] if n < len(topics) else rng.choice(topics)
    ev = {"city": city, "district": district, "school": _school(rng, district), "event": event,
          "theme": theme, "detail": detail, "person": _name(rng), "person2": _name(rng),
          "person3": _name(rng), "person4": _name(rng), "role": rng.choice(ROLES),
          "date": f"{when.month}月{when.day}日", "n1": rng.randint(120, 2400),
          "n2": rng.randint(6, 96), "n3": rng.randint(3, 15)}
    ev["headline"] = rng.choice([f"{district}{ev['school']}：{event}点亮校园生活",
                                 f"{ev['n1']}余名师生参加{district}{event}",
                                 f"{city}{event}在{district}举行", f"让{theme}真正落地生根——{ev['school']}见闻"])
    return ev


def _fill(template: str, ev: dict, rng) -> str:
    return template.format(**{**ev, "detail": rng.choice([ev["detail"]] + DETAILS_EXTRA)})


def _paragraphs(sentences, rng) -> list:
    out, i = [], 0
    while i < len(sentences):
        n = rng.choice((1, 2, 2, 3))
        out.append("".join(sentences[i:i + n]))
        i += n
    return out


def _report(rng, ev, pool, lead_pool, n_body) -> list:
    """A lead, n_body sentences of the pool (at most a fifth of them, and at most two, without
    a fact of the event: stock sentences are shared by many reports, but no report is mostly
    made of them) and a closing sentence, in paragraphs."""
    sents = [_fill(rng.choice(lead_pool), ev, rng)]
    stock = [t for t in pool if "{" not in t]
    facts = [t for t in pool if "{" in t]
    n_stock = rng.randint(0, min(2, len(stock), n_body // 5))
    chosen = rng.sample(stock, n_stock) + rng.sample(facts, min(n_body - n_stock, len(facts)))
    rng.shuffle(chosen)
    sents += [_fill(t, ev, rng) for t in chosen]
    sents.append(_fill(rng.choice(CLOSINGS), ev, rng))
    return _paragraphs(sents, rng)


# --- editor operations ------------------------------------------------------------------------------
def _sentences(paragraph):
    out, cur = [], ""
    for ch in paragraph:
        cur += ch
        if ch in "。！？":
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out


def paraphrase(sentence, rng) -> str:
    """Synonyms swapped and the clauses around the first comma exchanged; figures kept."""
    out = sentence
    for a, b in rng.sample(SYNONYMS, len(SYNONYMS)):
        if a in out:
            out = out.replace(a, b, 1)
    body = out.rstrip("。！？")
    if "，" in body and rng.random() < 0.6:
        head, _, rest = body.partition("，")
        body = rest + "，" + head
    return body + "。"


def new_lead(rng, ev) -> str:
    return rng.choice([
        f"记者日前从{ev['city']}教育系统了解到，{ev['district']}在推进{ev['theme']}方面又有新举措。",
        f"{ev['theme']}怎么做才能真正走进学生心里？{ev['district']}{ev['school']}给出了自己的答案。",
        f"近年来，{ev['city']}各地持续加大{ev['theme']}工作力度，涌现出一批好做法。{ev['school']}便是其中之一。",
        f"从“要我参与”到“我要参与”，{ev['school']}的学生们正在经历一场悄然的变化。",
    ])


def copy_of(rng, ev, furn, paras, ops, source) -> tuple[list, str]:
    """The copy's paragraphs and what was done."""
    done = []
    body = list(paras)
    if "reorder" in ops and len(body) > 3:
        mid = body[1:-1]
        rng.shuffle(mid)
        body = [body[0]] + mid + [body[-1]]
        done.append("reorder")
    if "paraphrase" in ops:
        k = rng.choice((1, 2))
        for _ in range(k):
            i = rng.randrange(len(body))
            sents = _sentences(body[i])
            j = rng.randrange(len(sents))
            sents[j] = paraphrase(sents[j], rng)
            body[i] = "".join(sents)
        done.append(f"paraphrase{k}")
    if "digest" in ops:
        total, out = sum(map(len, body)), []
        for p in body:
            if sum(map(len, out)) >= 0.3 * total:
                break
            out.append(p)
        body = out
        done.append("digest")
    elif "cut" in ops:
        keep = max(2, round(len(body) * rng.uniform(0.6, 0.85)))
        body = body[:keep]
        done.append("cut")
    head = []
    if "furniture" in ops:  # the original's furniture kept
        head = list(furn)
    elif "own_furniture" in ops:  # replaced by the republisher's own
        head = [rng.choice([f"本网讯（通讯员 {_name(rng)}）", f"记者 {_name(rng)}", f"{ev['date']}电"])]
        done.append("own_furniture")
    if "lead" in ops:
        head.append(new_lead(rng, ev))
        done.append("lead")
    if "note" in ops:
        head.insert(0, f"编者按：{ev['theme']}关系每一个孩子的成长。本期我们关注{ev['district']}的做法，敬请垂注。")
        done.append("note")
    tail = []
    if "credit" in ops:
        tail.append(credit(rng, source))
        done.append("credit")
    return head + body + tail, "+".join(done) or "verbatim"


# --- the mixes -------------------------------------------------------------------------------------
class Mix(NamedTuple):
    originals: int
    copies: tuple           # (min, max) copies per original
    ops: dict               # operation: probability
    independent: float      # share of originals with an independent report
    follow_up: float        # share of originals with a follow-up
    notices: int            # notices per template
    notice_copies: float    # share of notices republished
    names_only: float = 0.0  # share of notices with a sibling that differs only in its names
    bare: float = 0.0        # share of templates also published bare (slots left blank)
    topics: tuple = ()       # topics and sentences beside the shared pools (FRESH2)
    body: tuple = ()


TUNED = Mix(originals=120, copies=(1, 5),
            ops={"lead": 0.45, "note": 0.15, "cut": 0.45, "credit": 0.6, "furniture": 0.35,
                 "own_furniture": 0.25, "reorder": 0.25, "paraphrase": 0.35, "digest": 0.12},
            independent=0.35, follow_up=0.35, notices=8, notice_copies=0.4)
HELD_OUT = Mix(originals=110, copies=(1, 4),
               ops={"lead": 0.55, "note": 0.2, "cut": 0.35, "credit": 0.5, "furniture": 0.25,
                    "own_furniture": 0.35, "reorder": 0.35, "paraphrase": 0.45, "digest": 0.18},
               independent=0.45, follow_up=0.3, notices=7, notice_copies=0.5)
# built once, at the end, and never tuned on (another seed, other shares, names-only notices and
# bare templates among the negatives)
FRESH = Mix(originals=130, copies=(1, 5),
            ops={"lead": 0.5, "note": 0.25, "cut": 0.4, "credit": 0.55, "furniture": 0.3,
                 "own_furniture": 0.3, "reorder": 0.3, "paraphrase": 0.5, "digest": 0.22},
            independent=0.4, follow_up=0.4, notices=6, notice_copies=0.45, names_only=0.35,
            bare=0.6)


# a second set built once at the end and looked at once: another seed, other shares of every
# operation, and topics and sentences of its own (written for it, in the same shape)
FRESH2_TOPICS = (
    ("科学实验开放日", "科学教育", "学生亲手操作显微镜，观察洋葱表皮细胞和草履虫"),
    ("校园戏曲展演", "戏曲进校园", "学生身着戏服登台，演唱了越剧和京剧经典选段"),
    ("劳模工匠进校园", "劳动精神教育", "劳模工匠现场演示了焊接和木工技艺，讲述了自己的成长故事"),
    ("学生诗词大会", "诗词文化教育", "选手们围绕飞花令、看图猜诗等环节展开比拼"),
)
FRESH2_BODY = (
    "{school}专门腾出{n3}间教室，改造成了功能齐全的实践工作室。",
    "据{role}{person}透露，学校今年为此投入专项经费{n2}万元。",
    "{date}下午，{district}教育局还组织了{n2}名骨干教师开展现场观摩。",
    "不少学生在活动日志里写道，这是本学期最难忘的一天。",
    "{city}教育部门有关负责人表示，将把{theme}作为全市中小学的必修内容。",
    "活动吸引了周边{n3}所学校的师生前来交流，现场座无虚席。",
    "{person2}同学说，自己以后也想成为这方面的专业人才。",
    "学校还计划把活动视频上传到区域教育资源平台，供全区师生共享。",
    "截至{date}，已有{n1}名学生报名参加后续的拓展课程。",
    "{school}的做法得到了家长的普遍认可，满意度调查显示好评率达到九成以上。",
)
FRESH2 = Mix(originals=125, copies=(1, 6),
             ops={"lead": 0.4, "note": 0.3, "cut": 0.5, "credit": 0.45, "furniture": 0.4,
                  "own_furniture": 0.2, "reorder": 0.4, "paraphrase": 0.6, "digest": 0.28},
             independent=0.5, follow_up=0.5, notices=7, notice_copies=0.35, names_only=0.5,
             bare=0.8, topics=FRESH2_TOPICS, body=FRESH2_BODY)


class _Blank(dict):
    """Fills every slot of a template with "××" (a form published before it is filled in;
    normalization drops the marks, leaving the template's own words)."""

    def __missing__(self, key):
        return "××"


def _item(n, site, title, paras, source, when) -> dict:
    return {"url": f"https://{site}.example.gov.cn/art/{when:%Y/%m/%d}/art_{n}.html", "site": site,
            "title": title, "body": "\n".join(paras), "source": source,
            "published_at": when.isoformat()}


def build(seed: int, mix: Mix = TUNED) -> list:
    """The set for one seed and mix (see the module docstring)."""
    rng = random.Random(seed)
    start = datetime(2023, 3, 1, 8, 0, tzinfo=CST)
    cases, n = [], 0

    def add(site, title, paras, source, when, group, kind):
        nonlocal n
        n += 1
        cases.append(Case(_item(n, site, title, paras, source, when), group, kind))

    for o in range(mix.originals):
        when = start + timedelta(hours=13 * o + rng.randint(0, 9))
        ev = _event(rng, o, when, TOPICS + list(mix.topics))
        osite, oname = rng.choice(SITES)
        furn = furniture(rng, ev)
        paras = _report(rng, ev, BODY + list(mix.body), LEADS, rng.randint(6, 12))
        group = f"g{seed}-{o}"
        add(osite, ev["headline"], furn + paras, oname, when, group, "original")
        for c in range(rng.randint(*mix.copies)):
            ops = {op for op, p in mix.ops.items() if rng.random() < p}
            site, name = rng.choice([s for s in SITES if s[0] != osite])
            cparas, kind = copy_of(rng, ev, furn, paras, ops, oname)
            title = rng.choice([ev["headline"], f"{ev['district']}：{ev['event']}精彩纷呈",
                                f"{ev['school']}开展{ev['event']}", f"【关注】{ev['headline']}"])
            add(site, title, cparas, rng.choice([name, oname, None]),
                when + timedelta(hours=rng.uniform(0.5, 72)), group, kind)
        if rng.random() < mix.independent:
            site, name = rng.choice([s for s in SITES if s[0] != osite])
            add(site, f"{ev['event']}现场直击", _report(rng, ev, OTHER_WORDS, OTHER_WORDS, rng.randint(3, 5)),
                name, when + timedelta(hours=rng.uniform(1, 30)), group + "-independent", "independent")
        if rng.random() < mix.follow_up:
            quoted = rng.choice([s for p in paras[1:] for s in _sentences(p)] or [paras[0]])
            fparas = _report(rng, ev, FOLLOW_UP, FOLLOW_UP, rng.randint(3, 4))
            fparas.insert(1, "据此前报道，" + quoted)
            add(osite, f"回访：{ev['event']}之后", fparas, oname,
                when + timedelta(days=rng.randint(5, 40)), group + "-followup", "follow_up")
    for t, (ttitle, tbody) in enumerate(NOTICE_TEMPLATES):
        if mix.bare and rng.random() < mix.bare:
            site, name = rng.choice(SITES)
            when = start + timedelta(days=rng.randint(0, 60), hours=rng.randint(8, 17))
            add(site, ttitle.format_map(_Blank()), tbody.format_map(_Blank()).split("\n"), name,
                when, f"n{seed}-{t}-bare", "bare_template")
        for k in range(mix.notices):
            when = start + timedelta(days=rng.randint(0, 60), hours=rng.randint(8, 17))
            city = rng.choice(list(CITIES))
            district = rng.choice(CITIES[city])
            slots = {"city": city, "district": district, "school": _school(rng, district),
                     "person": _name(rng), "year": rng.choice((2022, 2023)), "month": rng.randint(3, 11),
                     "day": rng.randint(1, 9), "day2": rng.randint(10, 19), "day3": rng.randint(20, 28),
                     "day0": rng.randint(1, 28), "n1": rng.randint(10, 200), "n2": rng.randint(2, 60),
                     "n3": rng.randint(2, 12), "tel": rng.randint(1000000, 9999999),
                     "award": rng.choice(AWARDS), "contest": rng.choice(CONTESTS),
                     "training": rng.choice(TRAININGS), "holiday": rng.choice(HOLIDAYS),
                     "term": rng.choice(("秋季", "春季")), "age": rng.choice((6, 12)),
                     "weekday": rng.choice("一二三四五六日")}
            site, name = rng.choice(SITES)
            title, paras = ttitle.format(**slots), tbody.format(**slots).split("\n")
            group = f"n{seed}-{t}-{k}"
            add(site, title, paras, name, when, group, "notice")
            if rng.random() < mix.notice_copies:
                csite, cname = rng.choice([s for s in SITES if s[0] != site])
                add(csite, title, paras + [credit(rng, name)], cname,
                    when + timedelta(hours=rng.uniform(1, 48)), group, "notice_copy")
            if mix.names_only and rng.random() < mix.names_only:
                # the same notice for another school and contact: every figure the same
                district = rng.choice(CITIES[city])
                other = {**slots, "district": district, "school": _school(rng, district),
                         "person": _name(rng)}
                osite, oname = rng.choice(SITES)
                hours = rng.uniform(1, 48)
                if tbody.format(**other) == tbody.format(**slots):
                    # a template whose body names no school or person, or the same ones drawn
                    # again: that text is the same notice, not another one; left out (its number
                    # kept, so the rest of the set stays as it was)
                    n += 1
                    continue
                add(osite, ttitle.format(**other), tbody.format(**other).split("\n"), oname,
                    when + timedelta(hours=hours), group + "-names", "notice_names")
    return cases
