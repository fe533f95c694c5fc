"""Deterministic generator of fictional Chinese education news for the demo sites.

Everything here is made up from word pools by a seeded ``random.Random``: no
network, no copied text (the one real page the project started from lives in
``aggregator.demo.seed`` and is used for a single article). The same seed always
gives the same articles, so the demo sites serve the same content on every start.

Public:
    Article                      one generated article (title, paragraphs, date, people, source)
    Writer(rng)                  writes articles; remembers every title and sentence it
                                 used so no two articles share a sentence
    han_count(text) -> int       number of CJK ideographs in text
    split_sentences(text) -> list
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

# --------------------------------------------------------------------------- pools

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "魏苏吕丁任沈姚卢傅钟姜崔谭陆范汪廖石金贾夏方邹熊白孟秦邱侯江尹薛段雷龙史陶贺毛顾龚邵"
    "钱戴严孔汤易施洪樊应竺俞虞屠柴裘"
)
GIVEN = (
    "明华伟芳丽静敏强磊军洋勇艳杰娟涛超霞平刚英浩宇欣怡晨雨婷佳俊鹏辉斌宁颖琳璐晓海燕红玲"
    "凯博思文哲嘉睿轩航帆薇蕾倩慧雪梅兰莉萍云锋毅健晶蓉露瑶洁亮波舟一安然逸航彬琦岚楠诗"
)

BEILUN_TOWNS = ("新碶", "大碶", "小港", "霞浦", "柴桥", "春晓", "梅山", "白峰", "戚家山", "郭巨",
                "岷山", "长江", "淮河", "泰河", "蔚斗", "明港", "华山", "九峰", "芦江", "江南", "松花江", "太河")
COUNTY_TOWNS = ("丹城", "石浦", "爵溪", "西周", "墙头", "大徐", "贤庠", "定塘", "高塘", "鹤浦", "茅洋",
                "东陈", "黄避岙", "新桥", "涂茨", "晓塘", "泗洲头", "丹东", "丹西", "珠溪")
NINGBO_DISTRICTS = ("海曙区", "江北区", "鄞州区", "镇海区", "奉化区", "余姚市", "慈溪市", "宁海县", "象山县", "北仑区")
NINGBO_TOWNS = ("姜山", "横溪", "庄桥", "洪塘", "骆驼", "蛟川", "溪口", "锦屏", "梨洲", "阳明", "浒山", "观海卫",
                "跃龙", "桃源", "石碶", "东钱湖", "集士港", "古林", "九龙湖", "莼湖")
PROVINCES = ("北京市海淀区", "上海市闵行区", "江苏省南京市", "浙江省杭州市", "广东省深圳市", "四川省成都市",
             "湖北省武汉市", "山东省青岛市", "河南省郑州市", "陕西省西安市", "福建省厦门市", "湖南省长沙市",
             "重庆市渝北区", "天津市河西区", "安徽省合肥市", "江西省南昌市", "云南省昆明市", "贵州省贵阳市",
             "甘肃省兰州市", "辽宁省沈阳市", "吉林省长春市", "河北省石家庄市", "山西省太原市", "海南省海口市",
             "广西壮族自治区南宁市", "宁夏回族自治区银川市", "青海省西宁市", "内蒙古自治区包头市")
SCHOOL_TYPES = ("中心小学", "实验小学", "第一小学", "第二实验小学", "中学", "初级中学", "实验学校",
                "九年一贯制学校", "中心幼儿园", "第一幼儿园", "职业高级中学", "高级中学", "外国语学校", "小学")
GRADES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级", "九年级", "高一", "高二")

# --------------------------------------------------------------------------- topics
# Template syntax: {slot} from the article's context, {a|b|c} picks one, {n:10-90} an integer.
# Innermost braces are filled first, so choices may hold slots: {{school}|{school2}}.

TOPICS = {
    "开学典礼": dict(
        months=(2, 8, 9), policy="秋季学期开学",
        titles=("{school}举行{year}学年开学典礼", "{school}：开学第一课上出“新气象”",
                "新学期 新起点——{school}开学典礼侧记", "{school}{n:800-3000}名师生共上开学第一课"),
        open=("{md}{ampm}，{school}{n:1000-3000}余名师生齐聚{操场|体育馆|报告厅}，举行{year}学年开学典礼。",
              "{md}，伴随着{嘹亮的国歌|激昂的鼓号声|整齐的口号声}，{school}新学期开学典礼正式开始。",
              "新学期第一天，{school}的校园里{彩旗飘扬|处处洋溢着喜悦|格外热闹}，{n:600-2500}名学生迎来了开学典礼。"),
        body=("{principal}校长在致辞中回顾了上学期{学校在教育教学方面取得的成绩|全体师生的努力与收获}，并向{n:30-120}名新入职教师表示欢迎。",
              "典礼上，{grade}学生代表{student}上台发言，讲述了自己{暑假|寒假}里{参加社会实践|读完{n:5-20}本课外书|坚持每天运动}的收获。",
              "学校为上学期评选出的{n:20-90}名“{优秀学生干部|三好学生|进步之星|劳动小能手}”颁发了证书。",
              "{teacher}老师作为教师代表发言，{她|他}说，站上讲台的第{n:3-28}个年头，依然会为新学期的第一节课{紧张|期待|激动}。",
              "新生们在高年级同学的带领下走过“{成长门|启航门|状元桥}”，{一一在签名墙上写下心愿|从校长手中接过校徽}。",
              "典礼最后，全体师生在{校旗|国旗}下庄严宣誓，{立志在新学期里勤学善思、强健体魄|表达了奋发向上的决心}。",
              "为了让{一年级|七年级}新生尽快适应校园生活，{school}还安排了为期{n:2-5}天的入学适应课程。",
              "开学前一周，{school}已完成{n:20-60}间教室的设施检修和全校的消毒通风工作。"),
        quotes=("新学期，希望每一位同学都能把好习惯带进课堂", "开学第一课不只是仪式，更是一次目标的确立",
                "我们要让每个孩子在校园里都找到自己发光的地方", "新的学年，学校会把更多时间还给学生的兴趣和运动")),
    "教研活动": dict(
        months=(3, 4, 5, 10, 11, 12), policy="基础教育教研",
        titles=("{district}{学科}学科教研活动在{school}举行", "聚焦课堂提质：{school}开展“{学科}”主题教研",
                "同课异构促成长 {school}承办{district}{学科}联合教研", "{school}{学科}教研组获评区级优秀教研组"),
        open=("{md}，{district}{学科}学科教研活动在{school}举行，全区{n:40-150}名{学科}教师参加。",
              "{md}{ampm}，一场以“{学科}大单元教学设计”为主题的教研活动在{school}{录播教室|阶梯教室|多功能厅}展开。",
              "为推进新课标落地，{school}近日联合{school2}开展了{学科}学科“同课异构”研讨活动。"),
        body=("{teacher}老师执教的《{课题}》一课以{问题链|真实情境|项目任务}贯穿始终，学生{讨论热烈|思维活跃|动手操作积极}。",
              "评课环节，{n:6-15}位骨干教师围绕“{教学目标是否达成|学生是否真正参与|作业设计是否合理}”展开了讨论。",
              "{district}教研室{学科}教研员{official}对两节课进行了点评，并就{新课标理念|核心素养评价|跨学科主题学习}作了专题讲座。",
              "本学期以来，{school}{学科}组已开展集体备课{n:10-30}次，形成了{n:8-25}份单元教学设计。",
              "活动中还发布了{school}编写的{学科}{校本作业|分层练习|项目学习手册}，{共收录案例|共包含任务}{n:20-60}个。",
              "青年教师{teacher2}说，跟着师傅磨课{n:3-9}轮，自己对“以学定教”有了更具体的体会。",
              "两位执教教师从{不同角度|各自风格}切入同一课题，为听课教师提供了{鲜明的对比|可借鉴的样本}。"),
        quotes=("教研要走进真实课堂，解决老师们每天遇到的问题", "好课是磨出来的，更是研出来的",
                "我们希望通过教研把新课标的要求转化成课堂上的具体做法", "教师成长离不开同伴之间的真诚交流")),
    "劳动教育": dict(
        months=(3, 4, 5, 6, 10, 11), policy="大中小学劳动教育",
        titles=("{school}开辟“{农场名}”劳动实践基地", "小小农夫收获忙——{school}劳动教育见闻",
                "{school}把劳动课搬进田间地头", "劳动最光荣 {school}举办{grade}劳动技能大赛"),
        open=("{md}，{school}的“{农场名}”迎来了{收获季|播种日|开园仪式}，{n:100-600}名学生走进田间。",
              "{md}{ampm}，{school}{grade}的同学们挽起袖子，在校园劳动基地里{种下{蔬菜}苗|收割{蔬菜}|给果树剪枝}。",
              "“今天我们要给{蔬菜}{松土|浇水|施肥}！”{md}一早，{school}劳动课上热闹非凡。"),
        body=("这块占地约{n:300-2000}平方米的劳动基地，被划分为{n:10-40}块“班级责任田”。",
              "在{teacher}老师的指导下，学生们学习了{翻土|育苗|除草|搭架}等{n:3-8}项基本农事技能。",
              "{school}还把劳动教育与{科学|数学|美术}课结合起来，让学生测量{植株高度|土壤湿度|产量}并记录成长日记。",
              "收获的{蔬菜}一部分送进了学校食堂，一部分由学生带到{社区|敬老院}{义卖|慰问老人}。",
              "{grade}学生{student}说，第一次自己种出{蔬菜}，觉得“每一口饭都来之不易”。",
              "学校为每名学生建立了劳动清单，家务劳动、校园劳动和{社会|志愿}服务各有{n:4-12}项任务。",
              "每周{一|二|三|四|五}下午的劳动课，已成为{school}学生最期待的课程之一。"),
        quotes=("劳动教育不是简单的体力活，而是让孩子学会负责", "孩子们手上沾了泥土，心里才真正懂得珍惜",
                "我们想让每个学生毕业时都掌握几样真本领", "劳动课上得好，孩子的精气神都不一样了")),
    "课后服务": dict(
        months=(3, 9, 10, 11), policy="义务教育课后服务",
        titles=("{school}课后服务开设{n:30-80}门特色课程", "{district}课后服务实现义务段学校全覆盖",
                "放学后的校园更精彩——{school}课后服务见闻", "{school}推出“{n:2-3}+N”课后服务模式"),
        open=("{md}下午{n:3-4}点半，{school}的放学铃声响起，但校园里依旧{热闹|书声琅琅|充满欢笑}。",
              "记者近日从{bureau}获悉，全区{n:40-90}所义务教育学校已全部开展课后服务，学生参与率达{n:90-99}%。",
              "{md}，{school}新一轮课后服务课程“选课日”开启，家长和学生在线选择了{n:30-80}门课程。"),
        body=("课后服务分为两段：第一段以{作业辅导|自主阅读}为主，第二段开设{科技|艺术|体育|劳动}等拓展课程。",
              "{school}引入{非遗传承人|退休教师|高校志愿者|体育教练}等校外力量，课程数量比上学期增加了{n:5-20}门。",
              "{grade}的{student}选了{书法|围棋|篮球|机器人|古筝}课，{她|他}说“回家后有更多时间和爸妈聊天了”。",
              "针对家长下班晚的情况，{school}提供了延时托管，最晚可到{n:17-18}点半。",
              "课后服务经费采取财政补助与{家长适当分担|政府购买服务}相结合的方式，困难家庭学生全部免费。",
              "{bureau}每学期对课后服务开展满意度调查，上学期家长满意率为{n:92-99}.{n:1-9}%。",
              "教师参与课后服务实行弹性上下班，{school}安排了{n:2-4}个错峰时段。"),
        quotes=("课后服务要让家长放心，更要让孩子开心", "我们希望放学后的时间成为孩子发现兴趣的时间",
                "课程是孩子们自己选的，所以上得特别投入", "接孩子的时间终于能和下班时间对上了")),
    "中考": dict(
        months=(6, 7), policy="高中阶段学校考试招生",
        titles=("{year}年{district}中考顺利开考 {n:3000-9000}名考生赴考", "护航中考 {district}多部门联动保障考点秩序",
                "中考首日直击：{school}考点秩序井然", "{district}公布{year}年中考成绩查询与志愿填报安排"),
        open=("{md}上午，{year}年{district}初中学业水平考试正式开考，全区{n:3000-9000}名考生在{n:6-15}个考点参加考试。",
              "{md}清晨{n:6-7}点多，{school}考点外已有不少家长送考，{交警|志愿者|社区干部}在路口维持秩序。",
              "记者从{bureau}了解到，{year}年中考各项准备工作已全部就绪，考试将于{md}开始。"),
        body=("各考点均设置了{体温检测通道|临时休息区|应急医疗点}，每个考场配备{n:2-3}名监考员。",
              "公安、交通、供电等{n:5-12}个部门联动保障，考点周边{n:500-800}米范围内禁止鸣笛。",
              "{school}考点主考{official}介绍，考点提前进行了{n:2-4}次全流程演练，确保每个环节不出差错。",
              "今年{district}中考总分为{n:600-750}分，{体育|实验操作}考试成绩计入总分。",
              "考生{student}的{妈妈|爸爸}特意穿上了{红色旗袍|印有“一马当先”的T恤}，{她|他}说“就是图个好彩头”。",
              "成绩预计于{n:6-7}月下旬公布，考生可通过{bureau}网站或微信公众号查询。",
              "针对{听障|视障|行动不便}考生，考点提供了{单独考场|延长考试时间|专人引导}等合理便利。"),
        quotes=("考生们放平心态，正常发挥就是最好的结果", "我们的目标是让每一位考生都考得安心、顺心",
                "考前最后几天，保持作息规律比刷题更重要", "孩子进考场那一刻，我比自己考试还紧张")),
    "双减": dict(
        months=(3, 4, 9, 10, 11, 12), policy="“双减”",
        titles=("{school}：作业“减量”不减质", "“双减”之下，{school}探索分层作业新模式",
                "{district}开展校外培训机构专项检查", "“双减”落地一周年 {school}交出成绩单"),
        open=("“双减”政策实施以来，{school}把作业设计作为突破口，{grade}书面作业时间控制在{n:30-60}分钟以内。",
              "{md}，{district}联合{市场监管|公安|消防}等部门，对辖区{n:20-80}家校外培训机构开展专项检查。",
              "{md}，{school}召开“双减”工作推进会，{n:50-200}名教师围绕作业管理展开讨论。"),
        body=("学校建立了作业公示制度，各班每天的作业量在{班级群|教室门口的公示栏}中公布。",
              "{teacher}老师把作业分为基础、拓展、挑战三个层次，学生可以根据自身情况{自主选择|选做}。",
              "检查中共发现{n:2-9}家机构存在{超范围经营|消防通道堵塞|收费不规范}问题，已责令限期整改。",
              "{school}每{周|月}对作业进行抽查，对作业量超标的班级进行{提醒|约谈}。",
              "{grade}学生{student}说，现在每天晚上{n:8-9}点前就能写完作业，还能{跳绳|读书|练琴}半小时。",
              "调查显示，{school}{n:85-98}%的家长认为孩子的作业负担明显减轻。",
              "{bureau}设立了校外培训监管举报电话，{年内|半年来}共受理群众投诉{n:10-60}件，办结率100%。"),
        quotes=("减的是负担，提的是质量，课堂效率必须跟上", "作业不在多，在于有没有思考的含量",
                "孩子睡得足了，白天上课的状态明显好了", "我们要把学生从题海里解放出来")),
    "校园安全": dict(
        months=(3, 4, 9, 11, 12), policy="中小学校园安全",
        titles=("{school}开展消防应急疏散演练", "筑牢安全防线 {district}开展校园安全大检查",
                "{school}：{n:2-4}分钟全员安全疏散", "交警进校园 {school}上好交通安全课"),
        open=("{md}{ampm}，随着{刺耳的警报声|急促的铃声}响起，{school}{n:800-2600}名师生迅速开展应急疏散演练。",
              "{md}，{district}由{bureau}牵头，对全区{n:60-150}所学校和幼儿园开展了安全隐患排查。",
              "{md}，{district}交警大队民警走进{school}，为{n:300-1200}名学生上了一堂交通安全课。"),
        body=("学生们用湿毛巾捂住口鼻，弯腰沿{指定路线|楼梯右侧}有序撤离，全程用时{n:2-4}分{n:10-55}秒。",
              "演练结束后，消防员{official}现场演示了灭火器的使用方法，并邀请{n:5-10}名学生上台体验。",
              "检查组重点查看了{食堂后厨|消防设施|校门安保|学生宿舍}，共发现并整改隐患{n:10-50}处。",
              "{school}在校门口设置了{护学岗|家长接送区|隔离护栏}，上下学高峰期有{n:4-12}名教师和家长志愿者值守。",
              "民警结合{真实案例|交通事故视频}，讲解了{骑行电动车戴头盔|过马路走斑马线|不在路边玩耍}等常识。",
              "学校每{月|学期}开展一次应急演练，内容包括{防震|防火|防踩踏|防欺凌}等。",
              "{grade}学生{student}说，以前只知道打119，今天才学会了{如何判断逃生方向|怎样使用灭火器}。"),
        quotes=("安全工作没有终点，只有起点", "演练多流一滴汗，险情来时少流一滴血",
                "每一处隐患都要整改到位，不留死角", "我们希望孩子们把安全知识带回家，讲给爸爸妈妈听")),
    "心理健康": dict(
        months=(3, 4, 5, 10, 11), policy="学生心理健康",
        titles=("{school}举办“{n:5}·25”心理健康活动月", "给心灵放个假——{school}心理健康节见闻",
                "{district}中小学心理健康教育工作推进会召开", "{school}心理辅导室获评市级示范点"),
        open=("{md}，{school}第{n:3-12}届心理健康节开幕，{心理游园会|情绪主题班会|心理情景剧展演}吸引了全校学生参与。",
              "{md}，{district}中小学心理健康教育工作推进会在{school}召开，全区{n:60-140}名心理教师参加。",
              "在{school}的“{心晴小屋|心灵驿站|阳光小站}”，宣泄墙、沙盘和放松椅一应俱全，每天中午都有学生来坐坐。"),
        body=("心理教师{teacher}介绍，学校为每名学生建立了心理成长档案，每学期开展{n:1-2}次心理普查。",
              "活动中，同学们在“{烦恼投递箱|心愿树|情绪温度计}”前写下自己的小心事，由心理老师逐一回应。",
              "{district}目前已有{n:30-90}名专职心理教师，实现了中小学心理辅导室全覆盖。",
              "学校还开设了面向家长的{心理沙龙|家长课堂}，累计有{n:200-900}名家长参加。",
              "{grade}学生{student}说，{考试前|和同学闹矛盾后}来心理室聊一聊，心里就{轻松多了|敞亮了}。",
              "针对{毕业年级|新生}学生，{school}专门开设了{考前减压|入学适应}团体辅导课。",
              "会上，{n:3-5}所学校分享了{心理危机干预|朋辈互助|家校协同}方面的做法。"),
        quotes=("心理健康是孩子成长的底色", "我们要做学生身边那个愿意倾听的人",
                "比起成绩，孩子能不能好好面对挫折更重要", "及早发现、及时陪伴，是心理工作的关键")),
    "家校共育": dict(
        months=(3, 4, 5, 9, 10, 11, 12), policy="家庭教育指导",
        titles=("{school}召开新学期家长会", "家长进课堂 {school}开展“家长开放日”活动",
                "{school}成立家长学校 {n:300-1200}名家长“上学”", "家访路上暖人心——{school}开展全员家访"),
        open=("{md}{ampm}，{school}“家长开放日”活动举行，{n:200-900}名家长走进校园，与孩子同上一堂课。",
              "暑假期间，{school}{n:60-180}名教师走访了{n:800-2500}户学生家庭，实现了家访全覆盖。",
              "{md}晚上，{school}家长学校开课，{district}家庭教育讲师团成员{official}作了题为“{如何陪伴青春期孩子|好习惯从家庭开始}”的讲座。"),
        body=("家长们{走进教室听课|参观了学生作品展|在食堂与孩子共进午餐}，对学校的日常教学有了直观感受。",
              "{grade}学生{student}的{爸爸|妈妈}是一名{医生|消防员|工程师|厨师}，{她|他}给同学们上了一节职业体验课。",
              "{teacher}老师在家访中了解到，班上有{n:3-9}名学生父母常年在外务工，学校为他们安排了“成长导师”。",
              "会后，{school}向家长发放了问卷，回收有效问卷{n:300-1500}份，满意率{n:95-99}%。",
              "学校家委会{official}表示，家委会每{月|学期}会组织一次{护学|读书|亲子运动}活动。",
              "讲座结合真实案例，谈到了{手机使用|亲子沟通|睡眠管理}等家长普遍关心的问题。"),
        quotes=("家庭是孩子的第一所学校，家长是孩子的第一任老师", "只有家校同向而行，教育才能形成合力",
                "走进孩子家里，才真正明白一个孩子背后的故事", "以前只听孩子讲学校的事，今天终于亲眼看到了")),
    "师德师风": dict(
        months=(1, 3, 4, 9, 11, 12), policy="新时代师德师风建设",
        titles=("{district}召开师德师风建设大会", "{school}教师签订师德承诺书",
                "{year}年度{district}“最美教师”揭晓", "坚守讲台{n:20-38}年——记{school}教师{teacher}"),
        open=("{md}，{district}师德师风建设大会召开，全区{n:100-300}名中小学校长和教师代表参加。",
              "{md}，{school}全体教师在国旗下郑重签订师德承诺书。",
              "在{school}，说起{teacher}老师，{同事和学生都会竖起大拇指|几乎没有人不知道}。"),
        body=("会议通报了{year}年师德专项检查情况，并对{有偿补课|收受礼品礼金}等问题再次划出“红线”。",
              "{teacher}老师从教{n:20-38}年，{一直担任班主任|主动到山区学校支教|坚持免费为学困生辅导}。",
              "会上，{n:5-12}名“最美教师”获得表彰，{official}代表获奖教师发言。",
              "{school}建立了师德档案，把师德表现作为评优评先和职称评审的首要条件。",
              "学生{student}说，{teacher}老师{记得全班每个人的生日|每天最早到校|批改作业从不马虎}。",
              "{bureau}还设立了师德监督电话，并聘请了{n:10-30}名家长担任师德监督员。"),
        quotes=("教书育人，师德是第一位的", "一个好老师，会影响学生的一生",
                "我没有做什么特别的事，只是把每一天的课上好", "当老师最幸福的，是看到学生一点点长大")),
    "体育节": dict(
        months=(4, 5, 10, 11), policy="学校体育",
        titles=("{school}第{n:10-40}届田径运动会开幕", "{school}体育节：人人参与 班班有赛",
                "{district}中小学生{篮球|足球|排球}联赛落幕", "{school}学生在{district}阳光体育大会上获佳绩"),
        open=("{md}，{school}第{n:10-40}届田径运动会开幕，{n:600-2200}名学生报名参加{n:20-40}个比赛项目。",
              "{md}，为期{n:2-4}天的{district}中小学生{篮球|足球|排球}联赛落幕，共有{n:20-60}支队伍参赛。",
              "{md}{ampm}，{school}操场上{加油声此起彼伏|彩旗招展}，一年一度的体育节拉开帷幕。"),
        body=("除了传统的跑跳项目，今年还增设了{跳长绳|拔河|袋鼠跳|迎面接力}等集体项目。",
              "{grade}学生{student}在{100米|跳远|800米|跳高}比赛中{打破校纪录|夺得冠军}，赛后{她|他}说“平时的训练没白费”。",
              "{school}坚持每天{一小时|两个大课间}校园体育活动，学生体质健康优良率达到{n:50-80}%。",
              "{teacher}老师带领的{篮球|足球|田径}队，已连续{n:2-6}年获得{district}{冠军|前三名}。",
              "赛场边，家长志愿者和学生记分员忙碌着，{n:30-120}名教师担任裁判。",
              "运动会还设置了{教工|亲子}项目，{teacher2}老师和学生一起参加了{接力|拔河}。"),
        quotes=("体育不只是比赛，更是培养孩子的意志品质", "每个孩子都要有一项自己喜欢的运动",
                "输赢不重要，重要的是全班一起拼过", "跑到终点那一刻，同学们都在为我加油")),
    "读书节": dict(
        months=(4, 5, 10, 11, 12), policy="全民阅读与书香校园",
        titles=("{school}第{n:3-15}届读书节开幕", "书香满校园 {school}开展图书漂流活动",
                "{district}“书香校园”评选结果揭晓", "{school}：每天{n:20-30}分钟，阅读成了习惯"),
        open=("{md}，{school}第{n:3-15}届读书节开幕，主题为“{读经典 品书香|阅读点亮童年|与好书同行}”。",
              "{md}，{school}的图书漂流站正式开放，首批投放图书{n:800-3000}册。",
              "每天午饭后的{n:20-30}分钟，是{school}雷打不动的“静读时间”。"),
        body=("读书节期间，学校开展了{好书推荐会|课本剧表演|亲子共读打卡|作家进校园}等{n:5-12}项活动。",
              "{grade}学生{student}这学期已经读完了{n:8-30}本书，{她|他}最喜欢的是{科普读物|历史故事|童话}。",
              "学校图书馆藏书已达{n:3-9}万册，生均{n:30-60}册，并实现了自助借还。",
              "语文教师{teacher}每周开一次“{整本书阅读|班级读书会}”，带学生一起讨论书中的人物。",
              "{district}本次共评出“书香校园”{n:8-20}所、“阅读之星”{n:60-200}名。",
              "活动还吸引了{n:100-500}个家庭参与亲子共读，家长们在群里每天打卡分享。"),
        quotes=("阅读是一辈子的事，习惯要从小养成", "一本好书，可能会改变一个孩子看世界的方式",
                "我们想让孩子爱上读书，而不是为了考试读书", "读书的时候，我感觉自己去了很远的地方")),
    "科技教育": dict(
        months=(3, 5, 6, 10, 11, 12), policy="中小学科学教育",
        titles=("{school}学生在省青少年科技创新大赛中获奖", "{school}科技节：小创客秀出“金点子”",
                "{district}青少年机器人竞赛在{school}举行", "{school}建成人工智能实验室"),
        open=("{md}，{school}第{n:3-15}届科技节开幕，{n:100-400}件学生科技作品集中亮相。",
              "{md}，{district}青少年机器人竞赛在{school}举行，{n:30-100}支队伍同场竞技。",
              "近日，{school}的人工智能实验室正式投入使用，{grade}学生在这里上了第一节编程课。"),
        body=("{grade}学生{student}设计的“{智能垃圾分类桶|防近视台灯|雨天自动关窗器}”获得了{一等奖|最佳创意奖}。",
              "科技辅导员{teacher}老师说，这些作品的创意大多来自{学生的日常观察|生活中的小烦恼}。",
              "实验室配备了{n:20-50}套{编程机器人|三维打印机|无人机}设备，可同时容纳{n:40-50}名学生上课。",
              "比赛设{机器人足球|创意搭建|无人机编程}等{n:3-8}个项目，考验学生的动手和协作能力。",
              "学校与{宁波大学|中科院宁波材料所|本地科技企业}合作，每学期邀请{n:3-8}位科学家进校园。",
              "{school}近{n:3-5}年已有{n:10-60}项学生作品获得国家专利。"),
        quotes=("科学教育最重要的是保护孩子的好奇心", "动手做一遍，比听十遍讲解印象更深",
                "失败了很多次，但每次都知道下次该改哪里", "我们希望把创新的种子种在每个孩子心里")),
    "防溺水": dict(
        months=(5, 6, 7, 8), policy="预防中小学生溺水",
        titles=("{school}开展防溺水安全教育", "暑期将至 {district}部署学生防溺水工作",
                "“六不准”记心间 {school}防溺水主题班会", "{district}教育系统开展防溺水巡河行动"),
        open=("{md}，{school}召开防溺水安全教育主题大会，{n:500-2000}名学生参加。",
              "暑假来临前，{bureau}召开专题会议，部署全区学生防溺水工作。",
              "{md}，{district}教育系统{n:50-200}名党员志愿者组成巡河队，对辖区重点水域进行巡查。"),
        body=("{teacher}老师结合{近年发生的案例|动画视频}，向学生讲解了防溺水“六不准”。",
              "学校向家长发放了《致家长的一封信》，回收家长签名回执{n:800-2500}份。",
              "巡河队在{n:10-40}处危险水域设置了警示牌，并配备了{救生圈|救生绳|竹竿}。",
              "{grade}学生{student}说，遇到同伴落水要大声呼救，不能手拉手去救。",
              "{school}还邀请{蓝天救援队|消防救援站}队员，现场演示了心肺复苏和抛绳救援。",
              "暑期{school}将通过{家长群|电话}每周提醒一次，做到“每周一提醒、每日一关注”。"),
        quotes=("防溺水教育再怎么强调都不为过", "一个孩子的安全，牵动着一个家庭的幸福",
                "我们宁可多跑几趟，也要把警示牌立好", "假期里一定要让孩子远离危险水域")),
    "教师培训": dict(
        months=(1, 2, 7, 8), policy="中小学教师培训",
        titles=("{district}新教师岗前培训开班", "{district}{year}年暑期教师全员培训启动",
                "{school}开展青年教师“青蓝工程”结对仪式", "名师工作室送教到{school}"),
        open=("{md}，{district}{year}年新教师岗前培训开班，{n:120-360}名新入职教师参加。",
              "{md}，{district}暑期教师全员培训启动，{n:3000-8000}名中小学教师分{n:10-30}个班次参训。",
              "{md}，{school}举行“青蓝工程”师徒结对仪式，{n:10-40}对师徒现场签约。"),
        body=("培训为期{n:5-10}天，内容包括{师德修养|课堂管理|作业设计|班主任工作}等{n:6-15}个专题。",
              "新教师{teacher2}来自{外省|本地}，{她|他}说培训让自己{对第一节课更有底气了|明白了怎样和家长沟通}。",
              "{district}名师{teacher}工作室成员为{school}教师上了{n:2-4}节示范课，并进行了现场答疑。",
              "今年的培训首次采用“{线上+线下|菜单式选课|跟岗实践}”方式，教师可根据需要自主选择课程。",
              "师徒结对后，徒弟每学期要听师傅的课不少于{n:15-30}节，师傅要指导徒弟磨课不少于{n:3-8}次。",
              "培训结束时，{n:20-60}名学员进行了结业展示，{official}为优秀学员颁发了证书。"),
        quotes=("教师的成长，就是学校的成长", "站稳讲台是第一步，站好讲台是一辈子的事",
                "做老师不能只会上课，还要会读懂学生", "师傅带徒弟，带的不只是方法，还有态度")),
    "学前教育": dict(
        months=(3, 5, 6, 9, 10), policy="学前教育普及普惠",
        titles=("{school}开展幼小衔接体验活动", "{district}新增普惠性幼儿园学位{n:300-1500}个",
                "{school}举行“六一”游园会", "{district}学前教育宣传月活动启动"),
        open=("{md}，{school}的大班孩子们走进附近的小学，参加了一次“当一天小学生”的体验活动。",
              "记者从{bureau}获悉，{year}年全区新建改扩建幼儿园{n:3-9}所，新增普惠性学位{n:300-1500}个。",
              "{md}，{school}{彩旗飘飘|欢声笑语}，一场主题为“{童心向党|快乐童年}”的游园会正在举行。"),
        body=("孩子们{参观了教室和操场|体验了40分钟的小学课堂|学习整理书包}，对小学生活充满了好奇。",
              "{district}普惠性幼儿园覆盖率已达{n:90-98}%，公办园在园幼儿占比超过{n:55-75}%。",
              "游园会设置了{n:10-25}个游戏摊位，孩子们拿着游园卡{套圈|钓鱼|投篮}，玩得不亦乐乎。",
              "{teacher}老师说，幼小衔接不是提前学知识，而是培养{好习惯|自理能力|规则意识}。",
              "{school}还组织家长参加了“{科学衔接|育儿有方}”专题讲座，帮助家长缓解焦虑。",
              "新园舍配有{室内游戏区|种植园|绘本馆}，可提供学位{n:180-540}个。"),
        quotes=("幼儿园阶段最重要的是让孩子快乐、健康地长大", "家长不用焦虑，孩子的适应能力比想象中强",
                "让每个孩子在家门口就能上好幼儿园", "我们希望孩子对上小学充满期待，而不是害怕")),
}

SUBJECTS = ("语文", "数学", "英语", "科学", "道德与法治", "历史", "物理", "化学", "美术", "音乐", "体育与健康", "信息科技")
LESSONS = ("观潮", "圆的认识", "植物的一生", "燕子", "分数的意义", "秋天的雨", "声音的产生", "我们的家乡",
           "桥", "探索浮力", "千年梦圆在今朝", "小数的加法", "只有一个地球", "黄河颂", "走进化学世界", "认识时间")
FARMS = ("开心农场", "百草园", "耕读园", "绿野农庄", "小鬼当家农场", "四季园", "青禾园")
VEGETABLES = ("青菜", "萝卜", "番茄", "土豆", "黄瓜", "茄子", "玉米", "毛豆", "南瓜", "草莓")

GENERIC_BODY = (
    "{school}将此项工作列入学期重点，成立了由{principal}任组长的工作专班。",
    "据了解，{school}现有教学班{n:18-60}个，在校学生{n:700-2800}人，教职工{n:60-200}人。",
    "截至目前，相关做法已在{district}{n:10-40}所学校推广。",
    "活动照片和视频在{school}公众号发布后，{一天内|两天内}阅读量超过{n:2000-9000}次。",
    "{bureau}{基础教育科|德育科|教研室}相关负责人全程参与并进行了指导。",
    "不少家长在班级群里留言点赞，称{孩子回家后主动说起了活动内容|这样的活动应该多办}。",
    "{school}还将活动过程整理成{案例|微视频}，参加了{district}的优秀案例评选。",
)
GENERIC_CLOSE = (
    "下一步，{bureau}将{继续|进一步}总结经验，推动这项工作在更多学校落地。",
    "{school}表示，将以此次活动为契机，把相关工作做细做实，{常态化开展下去|形成长效机制}。",
    "据悉，{district}还将在{下学期|明年|年底前}组织一次{专项督导|成果展示|经验交流会}。",
    "{principal}校长表示，学校会根据师生和家长的反馈，不断调整和完善具体做法。",
    "{bureau}有关负责人表示，将把这项工作纳入年度考核，确保各项要求落实到位。",
)
ROLES_QUOTE = ("校长", "党支部书记", "副校长", "德育处主任", "教导主任", "教科室主任", "年级组长")
SPEECH = ("说", "表示", "介绍说", "告诉记者", "感慨地说")


# Topic-neutral sentence grammar: each sentence is assembled from several independent pools,
# so two articles almost never share a sentence skeleton (template-only bodies looked alike).
G_LEAD = ("据介绍，", "记者了解到，", "值得一提的是，", "此外，", "与此同时，", "在此基础上，", "活动中，",
          "现场，", "近年来，", "今年以来，", "", "", "")
G_TIME = ("活动当天", "当天上午", "一大早", "午休时间", "下午放学后", "傍晚时分", "课间", "周末", "当天下午", "活动开始前")
G_SPOT = ("操场上", "教室里", "报告厅内", "走廊上", "校门口", "图书馆里", "食堂门口", "实验室里", "体育馆中", "小花园旁")
G_SCENE = ("挤满了前来观摩的老师", "不时响起阵阵掌声", "学生们三五成群地讨论着", "几块展板前围满了人",
           "志愿者们早早就位", "老师们正忙着调试设备", "孩子们排着整齐的队伍", "到处都是忙碌的身影",
           "一面写满留言的展墙格外显眼", "同学们的笑声此起彼伏", "摆放着学生们亲手制作的作品", "家长们举着手机记录下这一刻")
G_ACT = ("第一次当上了小组长", "主动报名做了志愿者", "把活动中的收获写进了周记", "回家后向父母讲了一遍",
         "和同桌一起完成了任务", "拍下照片发到了班级群", "认真记下了老师的每一句提醒", "连续几天放学后留下来练习",
         "在全班面前做了分享", "提前一周就开始准备", "把学到的方法教给了弟弟", "画了一张手抄报贴在教室后墙")
G_FEEL = ("觉得特别有意义", "直呼“没想到这么有趣”", "表示下次还要参加", "说自己收获了满满的成就感",
          "觉得比平时上课还要投入", "感到既紧张又兴奋", "说这是本学期最难忘的一天", "认为自己变得更自信了")
G_TACT = ("提前两周就着手设计方案", "把每个环节都写进了流程表", "利用周末走访了几户学生家庭", "几乎每天都在校园里转一圈",
          "专门为内向的孩子安排了角色", "反复修改了三遍课件", "主动承担了最辛苦的后勤工作", "带着学生一遍遍演练")
G_TWHY = ("为的是让每个孩子都有参与感", "希望活动不流于形式", "想让学生在做中学", "生怕哪个细节出了差错",
          "因为这件事对孩子们很重要", "只为给学生留下一段美好的回忆", "希望家长也能看到孩子的成长")
G_NUM = ("这项工作已覆盖{school}{n:12-48}个班级，累计参与{n:400-3000}人次",
         "{school}为此投入经费约{n:3-40}万元，添置了{n:10-80}套相关器材",
         "本学年{school}已组织类似活动{n:4-18}场，受益学生{n:500-2600}名",
         "一份面向{n:200-1200}名学生的问卷显示，{n:80-97}%的学生表示喜欢这种形式",
         "参与其中的教师有{n:20-90}名，其中青年教师占{n:30-60}%",
         "{district}已有{n:8-40}所学校开展了同类活动，{n:3-9}所学校形成了特色项目")
G_OUTLOOK = ("{school}计划在{下学期|明年春季|新学年}把这项活动{推广到全校|延伸到社区|做成校本课程}",
             "{bureau}{已将|准备把}相关经验汇编成册，{供全区学校参考|在下一次校长会上交流}",
             "{principal}透露，学校正在筹划{第二期|升级版|系列}活动，{内容会更丰富|会邀请更多家长参与}",
             "下阶段，{school}还将与{school2}结成{共同体|联盟|对子}，{互相借鉴|轮流承办}")

MOE_OPEN = (
    "{md}，教育部召开{policy}工作{视频会议|推进会|座谈会}，总结近期工作，部署下一阶段重点任务。",
    "近日，教育部{印发通知|办公厅印发通知|会同有关部门印发文件}，对{policy}工作作出部署。",
    "{md}，教育部在{region}召开{policy}现场{推进会|经验交流会}，{n:20-31}个省份的教育行政部门负责人参加。",
    "为深入了解各地{policy}工作进展，教育部{基础教育司|教师工作司|督导局|体育卫生与艺术教育司}近日赴{region}开展专题调研。",
)
MOE_BODY = (
    "会议要求，各地要把{policy}工作摆在更加突出的位置，{健全工作机制|压实各方责任|加强条件保障}。",
    "通知明确，到{n:2025-2027}年，{policy}工作的制度体系要更加完善，{保障水平明显提升|覆盖面进一步扩大}。",
    "{region}介绍了{policy}工作中的做法：{建立区域联盟|推行清单管理|实施项目化推进}，{n:100-900}所学校参与其中。",
    "调研组走进{region}{school}，实地查看了相关工作开展情况，并与{校长|教师|家长}代表座谈。",
    "会议指出，近年来各地{policy}工作取得积极进展，但仍存在{区域发展不平衡|保障机制不健全|专业力量不足}等问题。",
    "文件提出{n:8-20}条具体措施，涵盖{课程建设|队伍建设|评价改革|经费保障}等方面。",
    "据统计，全国已有{n:60-98}%的{中小学|县区}建立了相关工作机制。",
    "教育部将适时对各地落实情况开展{专项督导|监测评估|抽查}，并通报结果。",
)
MOE_CLOSE = (
    "会议强调，要坚持问题导向，{抓好政策落地|加强宣传引导}，切实增强人民群众的获得感。",
    "教育部有关司局负责同志，各省级教育行政部门相关负责同志{参加会议|在分会场参会}。",
    "下一步，教育部将会同有关部门加强统筹协调，推动{policy}工作取得新成效。",
)
MOE_PEOPLE = ("教育部副部长", "教育部基础教育司司长", "教育部教育督导局局长", "教育部教师工作司负责人",
              "教育部体育卫生与艺术教育司负责人")

_HAN = re.compile(r"[\u4e00-\u9fff]")
_SENT = re.compile(r"[^。！？!?]+[。！？!?]?[”’」]?")
_SLOT = re.compile(r"\{([^{}]*)\}")
_INT = re.compile(r"n:(\d+)-(\d+)")


def _grade(rng, school: str) -> str:
    """A class year that fits the kind of school."""
    if "幼儿园" in school:
        return rng.choice(("大班", "中班", "小班"))
    if "高级中学" in school:
        return rng.choice(("高一", "高二", "高三"))
    if "中学" in school:
        return rng.choice(("七年级", "八年级", "九年级"))
    if "小学" in school:
        return rng.choice(("一年级", "二年级", "三年级", "四年级", "五年级", "六年级"))
    return rng.choice(GRADES)


def han_count(text: str) -> int:
    """Number of CJK ideographs in text (0 for None or empty)."""
    return len(_HAN.findall(text or ""))


def split_sentences(text: str) -> list:
    """Sentences of a Chinese paragraph, end punctuation (and a closing quote) kept."""
    return [s.strip() for s in _SENT.findall(text or "") if s.strip()]


# --------------------------------------------------------------------------- the article

@dataclass(frozen=True)
class Article:
    title: str
    paragraphs: tuple
    published: datetime            # Beijing time, naive
    topic: str
    authors: tuple = ()            # 作者 / 记者 names
    editor: str | None = None
    source: str = ""
    correspondents: tuple = ()     # 通讯员 names
    photographer: str | None = None
    image_after: int | None = None  # index of the paragraph the picture follows
    caption: str | None = None      # "图为…"
    views: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The body as a reader sees it: paragraphs joined by newlines (caption excluded)."""
        return "\n".join(self.paragraphs)

    def with_(self, **changes) -> "Article":
        return replace(self, **changes)


@dataclass(frozen=True)
class Place:
    """Where an article happens: the school pool, the district and the bureau that runs it."""
    district: str
    bureau: str
    towns: tuple
    school_types: tuple = SCHOOL_TYPES
    prefix: str = ""               # "北仑区" for schools named 北仑区xx小学, "" otherwise
    regions: tuple = ()            # for the ministry voice


class Writer:
    """Writes distinct articles from the pools with one seeded rng.

    Every sentence and title written is remembered, and a template that would
    repeat one is drawn again, so two articles never share a sentence.
    """

    def __init__(self, rng):
        self.rng = rng
        self.titles: set = set()
        self.sentences: set = set()

    # -- small draws
    def name(self, given_len=None) -> str:
        r = self.rng
        n = given_len or r.choice((1, 2, 2, 2))
        return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(n))

    def school(self, place: Place) -> str:
        r = self.rng
        kind = r.choice(place.school_types)
        town = r.choice(place.towns)
        return f"{place.prefix if r.random() < 0.3 else ''}{town}{kind}"

    def date(self, months, years=(2021, 2022, 2023, 2024)) -> datetime:
        r = self.rng
        return datetime(r.choice(years), r.choice(months), r.randint(1, 28),
                        r.randint(8, 18), r.randint(0, 59), r.randint(0, 59))

    def fill(self, template: str, ctx: dict) -> str:
        r = self.rng

        def one(m):
            tok = m.group(1)
            if "|" in tok:
                return r.choice(tok.split("|"))
            im = _INT.fullmatch(tok)
            if im:
                return str(r.randint(int(im.group(1)), int(im.group(2))))
            return str(ctx.get(tok, tok))

        out = template
        while True:
            new = _SLOT.sub(one, out)
            if new == out:
                return new
            out = new

    def _fresh(self, templates, ctx, used=None, tries=12):
        """A filled sentence no article used before, from a template this article has not used, or None."""
        pool = [t for t in templates if used is None or t not in used]
        for _ in range(tries):
            if not pool:
                return None
            t = self.rng.choice(pool)
            s = self.fill(t, ctx)
            if s not in self.sentences:
                self.sentences.add(s)
                if used is not None:
                    used.add(t)
                return s
        return None

    def _quote(self, topic, ctx):
        r = self.rng
        for _ in range(12):
            q = r.choice(topic["quotes"])
            tail = r.choice(("", "，{这是我们一直坚持的|这一点我们会一直坚持下去}", "，{接下来|今后}还要{做得更细|坚持下去}",
                             "，{学校|我们}会{一步一步|扎扎实实}往前推", ""))
            speaker = r.choice(("{principal}校长", "{school}{role}{leader}", "{teacher}老师", "{official}",
                                "家长{parent}", "{role}{leader}"))
            frame = r.choice(("“{q}。”{who}{say}。", "{who}{say}：“{q}。”", "“{q}，”{who}{say}，“{more}。”"))
            more = r.choice(("这需要学校、家庭和社会一起努力", "我们会继续听取家长和学生的意见",
                             "孩子们的变化大家都看在眼里", "这件事值得长期做下去", "后面还有很多细节要打磨"))
            s = self.fill(frame.replace("{q}", q + tail).replace("{who}", speaker)
                          .replace("{say}", r.choice(SPEECH)).replace("{more}", more),
                          dict(ctx, role=r.choice(ROLES_QUOTE)))
            if s not in self.sentences:
                self.sentences.add(s)
                return s
        return None


    def _grammar(self, ctx, used):
        """One sentence assembled from the topic-neutral pools (never repeats a sentence)."""
        r = self.rng
        for _ in range(12):
            kind = r.choice(("scene", "student", "teacher", "num", "outlook"))
            if kind in used:
                continue
            lead = r.choice(G_LEAD)
            if kind == "scene":
                s = f"{r.choice(G_TIME)}，{ctx['school']}的{r.choice(G_SPOT)}{r.choice(G_SCENE)}。"
            elif kind == "student":
                who = self.name()
                s = f"{lead}{ctx['grade']}的{who}{r.choice(G_ACT)}，{r.choice(G_FEEL)}。"
            elif kind == "teacher":
                s = f"{lead}{self.name()}老师{r.choice(G_TACT)}，{r.choice(G_TWHY)}。"
            elif kind == "num":
                s = lead + self.fill(r.choice(G_NUM), ctx) + "。"
            else:
                s = self.fill(r.choice(G_OUTLOOK), ctx) + "。"
            if s not in self.sentences:
                self.sentences.add(s)
                used.add(kind)
                return s
        return None

    # -- whole articles
    def context(self, place: Place, published: datetime, topic_name: str) -> dict:
        r = self.rng
        event = published - timedelta(days=r.randint(0, 4))
        school = self.school(place)
        school2 = self.school(place)
        while school2 == school:
            school2 = self.school(place)
        region = r.choice(place.regions) if place.regions else place.district
        district = region if place.regions else place.district
        bureau = f"{region}教育局" if place.regions else place.bureau
        return dict(
            school=school, school2=school2, district=district, bureau=bureau, region=region,
            principal=self.name(), teacher=self.name(), teacher2=self.name(), student=self.name(),
            official=self.name(), parent=self.name(), leader=self.name(), grade=_grade(r, school), year=str(published.year),
            md=f"{event.month}月{event.day}日", ampm=r.choice(("上午", "下午", "")),
            学科=r.choice(SUBJECTS), 课题=r.choice(LESSONS), 农场名=r.choice(FARMS), 蔬菜=r.choice(VEGETABLES),
            policy=TOPICS[topic_name]["policy"],
        )

    def article(self, place: Place, *, topic_name=None, voice="local", years=(2021, 2022, 2023, 2024),
                min_han=340, image=False) -> Article:
        """One article with a fresh title and sentences no other article has."""
        r = self.rng
        topic_name = topic_name or r.choice(sorted(TOPICS))
        topic = TOPICS[topic_name]
        published = self.date(topic["months"], years)
        ctx = self.context(place, published, topic_name)
        title = self._title(topic, ctx, voice)
        n_paras = r.randint(4, 8)
        if voice == "ministry":
            opens, bodies, closes = MOE_OPEN, MOE_BODY + topic["body"], MOE_CLOSE
            ctx = dict(ctx, principal=self.name(), official=r.choice(MOE_PEOPLE) + self.name())
        else:
            opens, bodies, closes = topic["open"], topic["body"] + GENERIC_BODY, GENERIC_CLOSE
        paras = []
        used: set = set()
        first = [self._fresh(opens, ctx, used)] + [self._fresh(bodies, ctx, used)]
        paras.append("".join(s for s in first if s))
        quote_at = r.randint(1, max(1, n_paras - 2))
        guard = 0
        while len(paras) < n_paras - 1 or han_count("".join(paras)) < min_han - 60:
            if len(paras) == quote_at:
                q = self._quote(topic, ctx)
                if q:
                    paras.append(q)
                    continue
            sents = [self._grammar(ctx, used) if r.random() < 0.5 else self._fresh(bodies, ctx, used)
                     for _ in range(r.randint(1, 3))]
            sents = [s for s in sents if s]
            if sents:
                paras.append("".join(sents))
            guard += 1
            if len(paras) > 12 or guard > 60:
                break
        close = self._fresh(closes, ctx, used) or self._fresh(GENERIC_CLOSE, ctx, used)
        if close:
            paras.append(close)
        # top up a short body inside the last paragraphs (never beyond 8 paragraphs)
        for _ in range(200):
            if han_count("".join(paras)) >= min_han:
                break
            s = self._fresh(bodies, ctx, used) or self._grammar(ctx, used)
            if s is None:                  # every pool used up for this article: a fresh context
                used.clear()
                ctx = dict(ctx, school=ctx["school2"], school2=ctx["school"])
                continue
            paras[-2] = paras[-2] + s
        while len(paras) > 8:
            paras[-3] = paras[-3] + paras.pop(-2)
        caption = None
        image_after = None
        if image:
            image_after = r.randint(0, len(paras) - 2)
            caption = self.fill("图为{school}{师生|学生|老师们}在{活动现场|{topic}活动中}。", dict(ctx, topic=topic_name))
        return Article(title=title, paragraphs=tuple(paras), published=published, topic=topic_name,
                       image_after=image_after, caption=caption, extra={"school": ctx["school"]})

    def _title(self, topic, ctx, voice):
        for _ in range(50):
            if voice == "ministry":
                t = self.fill(self.rng.choice((
                    "教育部召开{policy}工作{视频会议|推进会}", "教育部部署{year}年{policy}重点工作",
                    "教育部赴{region}调研{policy}工作", "{region}：扎实推进{policy}工作",
                    "教育部办公厅关于做好{year}年{policy}工作的通知解读", "各地多措并举推进{policy}工作（{region}篇）",
                    "{policy}工作{n:3-9}项举措发布")), ctx)
                t = t.replace("““", "“").replace("””", "”")
            else:
                t = self.fill(self.rng.choice(topic["titles"]), ctx)
            if t not in self.titles:
                self.titles.add(t)
                return t
            ctx = dict(ctx, school=ctx["school2"], year=str(int(ctx["year"]) + self.rng.choice((-1, 1))),
                       region=self.rng.choice(PROVINCES))
        raise RuntimeError("title pool exhausted")  # pragma: no cover - pools are far larger than the corpus
