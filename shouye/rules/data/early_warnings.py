"""Warning levels and their measures, fire-danger levels (REGULATIONS-2.md §E.4, §E.7).

Source: 《中华人民共和国突发事件应对法》 (revised 2024-06-28, in force 2024-11-01) Art. 63, 66, 67, 70 [Cp];
《森林防火条例》 Art. 28, 30 and the fire-danger scale quoted in §E.7 [C2 for names, P for the colours].
"""

from __future__ import annotations

LAW = "《中华人民共和国突发事件应对法》（2024年修订）"

# Art. 63: 一级/二级/三级/四级 = 红/橙/黄/蓝, 一级 the highest.
LEVEL_COLOURS = {1: "red", 2: "orange", 3: "yellow", 4: "blue"}
COLOUR_NAMES = {"red": "红色", "orange": "橙色", "yellow": "黄色", "blue": "蓝色"}
LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}

# Art. 66 applies to levels 3 and 4; Art. 67 adds its measures for levels 1 and 2 ("除采取本法第六十六条规定的
# 措施外"), so levels 1–2 take both.
LEVEL_ARTICLES = {1: (66, 67), 2: (66, 67), 3: (66,), 4: (66,)}

# The measures each article lists, in its order (wording shortened from the law's items).
ARTICLE_MEASURES = {
    66: (
        "启动应急预案",
        "责令有关部门、专业机构、监测网点和负有特定职责的人员及时收集、报告有关信息，加强监测、预报和预警工作",
        "组织有关部门、专业技术人员和专家随时对突发事件信息进行分析评估，预测发生的可能性、影响范围、强度和级别",
        "定时向社会发布与公众有关的突发事件预测信息和分析评估结果",
        "及时向社会发布可能受到危害的警告，宣传避免、减轻危害的常识，公布咨询或者求助电话",
    ),
    67: (
        "责令应急救援队伍、负有特定职责的人员进入待命状态，动员后备人员做好准备",
        "调集应急救援所需物资、设备、工具，准备应急设施和应急避难、封闭隔离、紧急医疗救治等场所",
        "加强对重点单位、重要部位和重要基础设施的安全保卫，维护社会治安秩序",
        "确保交通、通信、供水、排水、供电、供气、供热、医疗卫生、广播电视、气象等公共设施的安全和正常运行",
        "及时向社会发布有关采取特定措施避免或者减轻危害的建议、劝告",
        "转移、疏散或者撤离易受危害的人员并妥善安置，转移重要财产",
        "关闭或者限制使用易受危害的场所，控制或者限制容易导致危害扩大的公共场所的活动",
    ),
}

# Fire-danger (森林火险) levels 1–5 and the action each calls for (REGULATIONS-2.md §E.7, [C2] for the names).
# Defaults for the bureau's editable table; the colour mapping is (a) 黄=3, 橙=4, 红=5 — sources disagree [P].
FIRE_DANGER_LEVELS = {
    1: ("难以燃烧", "可以用火"),
    2: ("不易燃烧", "可用火，但可能走火"),
    3: ("能够燃烧", "控制用火"),
    4: ("容易燃烧", "停止林区用火"),
    5: ("极易燃烧", "严禁一切野外用火"),
}
FIRE_DANGER_COLOURS = {1: "", 2: "", 3: "yellow", 4: "orange", 5: "red"}
