"""The checklist library every installation starts with (loaded by a data migration; admins edit it after).

- ``chemical-major-hazards``: the 20 items of 《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准
  （试行）》 (安监总管三〔2017〕121号, REGULATIONS.md §4.2). Meeting any item is a major hazard by that
  standard, so each failure defaults to a MAJOR hazard.
- General checklists for gas stations, construction sites, schools, care homes, crowded places and
  warehouses. Their items cite laws and standards by article where the article is well established
  (安全生产法 2021, 消防法 2021, 建设工程安全生产管理条例, 危险化学品安全管理条例) and by standard number
  otherwise. They are examples for the bureau to check against local rules, and say so in their
  description (:data:`UNVERIFIED`). A failure defaults to an ordinary hazard (16号令 Art. 3: one that can be
  rectified promptly); the officer raises the level on the confirmation page where the facts call for it.
"""

from __future__ import annotations

from dataclasses import dataclass

MAJOR = "major"
ORDINARY = "ordinary"
THINGS = "things"
BEHAVIOUR = "behaviour"
MANAGEMENT = "management"

#: Marks a library checklist whose items were not verified against local rules [U].
UNVERIFIED = "示例，待本地核实"

SAFETY_LAW = "《安全生产法》"
FIRE_LAW = "《消防法》"
CONSTRUCTION_REG = "《建设工程安全生产管理条例》"
CHEMICALS_REG = "《危险化学品安全管理条例》"
FIRE_RULES_61 = "《机关、团体、企业、事业单位消防安全管理规定》（公安部令第61号）"


@dataclass(frozen=True)
class LibraryItem:
    text: str
    legal_basis: str
    level: str = ORDINARY
    category: str = THINGS


@dataclass(frozen=True)
class LibraryChecklist:
    code: str
    name: str
    description: str
    industry_code: str | None
    items: tuple[LibraryItem, ...]


def _criteria_121() -> tuple[LibraryItem, ...]:
    """安监总管三〔2017〕121号, items 1–20 (REGULATIONS.md §4.2), each a major hazard when met."""
    texts = [
        ("危险化学品生产、经营单位主要负责人和安全生产管理人员未依法经考核合格。", MANAGEMENT),
        ("特种作业人员未持证上岗。", MANAGEMENT),
        ("涉及“两重点一重大”的生产装置、储存设施外部安全防护距离不符合国家标准要求。", THINGS),
        ("涉及重点监管危险化工工艺的装置未实现自动化控制，系统未实现紧急停车功能，装备的自动化控制系统、"
         "紧急停车系统未投入使用。", THINGS),
        ("构成一级、二级重大危险源的危险化学品罐区未实现紧急切断功能；涉及毒性气体、液化气体、剧毒液体的"
         "一级、二级重大危险源的危险化学品罐区未配备独立的安全仪表系统。", THINGS),
        ("全压力式液化烃储罐未按国家标准设置注水措施。", THINGS),
        ("液化烃、液氨、液氯等易燃易爆、有毒有害液化气体的充装未使用万向管道充装系统。", THINGS),
        ("光气、氯气等剧毒气体及硫化氢气体管道穿越除厂区（包括化工园区、工业园区）外的公共区域。", THINGS),
        ("地区架空电力线路穿越生产区且不符合国家标准要求。", THINGS),
        ("在役化工装置未经正规设计且未进行安全设计诊断。", THINGS),
        ("使用淘汰落后安全技术工艺、设备目录列出的工艺、设备。", THINGS),
        ("涉及可燃和有毒有害气体泄漏的场所未按国家标准设置检测报警装置，爆炸危险场所未按国家标准安装使用"
         "防爆电气设备。", THINGS),
        ("控制室或机柜间面向具有火灾、爆炸危险性装置一侧不满足国家标准关于防火防爆的要求。", THINGS),
        ("化工生产装置未按国家标准要求设置双重电源供电，自动化控制系统未设置不间断电源。", THINGS),
        ("安全阀、爆破片等安全附件未正常投用。", THINGS),
        ("未建立与岗位相匹配的全员安全生产责任制或者未制定实施生产安全事故隐患排查治理制度。", MANAGEMENT),
        ("未制定操作规程和工艺控制指标。", MANAGEMENT),
        ("未按照国家标准制定动火、进入受限空间等特殊作业管理制度，或者制度未有效执行。", MANAGEMENT),
        ("新开发的危险化学品生产工艺未经小试、中试、工业化试验直接进行工业化生产；国内首次使用的化工工艺"
         "未经过省级人民政府有关部门组织的安全可靠性论证；新建装置未制定试生产方案投料开车；精细化工企业"
         "未按规范性文件要求开展反应安全风险评估。", MANAGEMENT),
        ("未按国家标准分区分类储存危险化学品，超量、超品种储存危险化学品，相互禁配物质混放混存。", THINGS),
    ]
    return tuple(LibraryItem(text=text, legal_basis=f"安监总管三〔2017〕121号 第{n}条", level=MAJOR,
                             category=category)
                 for n, (text, category) in enumerate(texts, start=1))


LIBRARY: tuple[LibraryChecklist, ...] = (
    LibraryChecklist(
        code="chemical-major-hazards",
        name="化工和危险化学品重大生产安全事故隐患判定（20条）",
        description="依据《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》"
                    "（安监总管三〔2017〕121号）。逐条检查；存在任一情形即判定为重大事故隐患。",
        industry_code="hazardous_chemicals",
        items=_criteria_121(),
    ),
    LibraryChecklist(
        code="gas-station",
        name="加油加气站安全检查表",
        description=f"加油加气站日常监督检查通用检查表。{UNVERIFIED}。",
        industry_code="hazardous_chemicals",
        items=(
            LibraryItem("取得危险化学品经营许可证且在有效期内，经营范围与许可一致。",
                        f"{CHEMICALS_REG}第三十三条", category=MANAGEMENT),
            LibraryItem("主要负责人和安全生产管理人员具备相应的安全生产知识和管理能力，经考核合格。",
                        f"{SAFETY_LAW}第二十七条", category=MANAGEMENT),
            LibraryItem("从业人员经安全生产教育和培训合格后上岗。", f"{SAFETY_LAW}第二十八条",
                        category=MANAGEMENT),
            LibraryItem("爆炸危险区域内的电气设备、照明灯具符合防爆要求，完好无损。", "GB 50156"),
            LibraryItem("埋地油罐设置液位监测和高液位报警，油罐、管道无渗漏。", "GB 50156"),
            LibraryItem("卸油采用密闭卸油方式，卸油口和油罐车静电接地装置完好，卸油时有专人监护。", "GB 50156"),
            LibraryItem("防雷、防静电接地装置按规定定期检测并合格。", f"GB 50156；{SAFETY_LAW}第三十六条"),
            LibraryItem("按规定配置灭火器、灭火毯、消防沙等器材，器材完好且在有效期内。",
                        f"GB 50156；{FIRE_LAW}第十六条"),
            LibraryItem("站区设置明显的禁止烟火、熄火加油等安全警示标志，站内无吸烟和明火。",
                        f"{SAFETY_LAW}第三十五条；{FIRE_LAW}第二十一条", category=BEHAVIOUR),
            LibraryItem("动火、临时用电等危险作业办理审批，并安排专门人员进行现场安全管理。",
                        f"{SAFETY_LAW}第四十三条", category=MANAGEMENT),
            LibraryItem("建立安全风险分级管控和隐患排查治理制度并落实，隐患排查治理情况如实记录。",
                        f"{SAFETY_LAW}第四十一条", category=MANAGEMENT),
            LibraryItem("制定生产安全事故应急救援预案，并定期组织演练。", f"{SAFETY_LAW}第八十一条",
                        category=MANAGEMENT),
        ),
    ),
    LibraryChecklist(
        code="construction-site",
        name="建筑施工现场安全检查表",
        description=f"房屋建筑和市政工程施工现场监督检查通用检查表。{UNVERIFIED}。",
        industry_code="construction",
        items=(
            LibraryItem("施工单位设立安全生产管理机构，按规定配备专职安全生产管理人员。",
                        f"{CONSTRUCTION_REG}第二十三条", category=MANAGEMENT),
            LibraryItem("危险性较大的分部分项工程编制专项施工方案，按规定审核、论证，并由专职安全生产管理人员"
                        "现场监督实施。",
                        f"{CONSTRUCTION_REG}第二十六条；《危险性较大的分部分项工程安全管理规定》",
                        category=MANAGEMENT),
            LibraryItem("垂直运输机械作业人员、安装拆卸工、起重信号工、登高架设作业人员等特种作业人员持证上岗。",
                        f"{CONSTRUCTION_REG}第二十五条", category=MANAGEMENT),
            LibraryItem("作业人员进入新的岗位或者新的施工现场前接受安全生产教育培训。",
                        f"{CONSTRUCTION_REG}第三十七条", category=MANAGEMENT),
            LibraryItem("办公、生活区与作业区分开设置，未在尚未竣工的建筑物内设置员工集体宿舍。",
                        f"{CONSTRUCTION_REG}第二十九条"),
            LibraryItem("施工起重机械和自升式架设设施使用前经验收合格，并按规定办理登记。",
                        f"{CONSTRUCTION_REG}第三十五条"),
            LibraryItem("施工现场临时用电采用TN-S接零保护系统，实行三级配电、两级漏电保护。", "JGJ 46"),
            LibraryItem("脚手架按专项方案搭设，连墙件、剪刀撑等设置齐全，经验收合格后使用。", "JGJ 130；JGJ 59"),
            LibraryItem("临边、洞口、攀登等高处作业防护设施齐全有效。", "JGJ 80"),
            LibraryItem("基坑支护、降水和周边堆载符合专项方案，基坑临边防护到位。", "JGJ 59"),
            LibraryItem("动火作业办理审批，现场配置灭火器材，临时消防车道和消防水源满足要求。", "GB 50720"),
            LibraryItem("作业人员正确佩戴和使用安全帽、安全带等劳动防护用品。",
                        f"{SAFETY_LAW}第四十五条、第五十七条", category=BEHAVIOUR),
        ),
    ),
    LibraryChecklist(
        code="school",
        name="学校（幼儿园）安全检查表",
        description=f"中小学、幼儿园校园安全监督检查通用检查表。{UNVERIFIED}。",
        industry_code="schools",
        items=(
            LibraryItem("建立校园安全工作责任制，配备专职或兼职安全管理人员，落实门卫和值班制度。",
                        "《中小学幼儿园安全管理办法》", category=MANAGEMENT),
            LibraryItem("校舍按规定进行安全检查和鉴定，无危房投入使用。", "《中小学幼儿园安全管理办法》"),
            LibraryItem("消防设施、器材配置齐全，定期检验维修，完好有效。", f"{FIRE_LAW}第十六条"),
            LibraryItem("疏散通道、安全出口畅通，未占用、堵塞、封闭。", f"{FIRE_LAW}第二十八条"),
            LibraryItem("教学楼、宿舍门窗未设置影响逃生和灭火救援的障碍物。", f"{FIRE_LAW}第二十八条"),
            LibraryItem("电气线路规范敷设，无私拉乱接，宿舍无违规使用大功率电器。", f"{FIRE_LAW}第二十七条"),
            LibraryItem("实验室危险化学品存放在专用储存室，由专人负责管理。", f"{CHEMICALS_REG}第二十四条",
                        category=MANAGEMENT),
            LibraryItem("食堂燃气设施和管道完好，使用场所通风良好。", "《城镇燃气管理条例》"),
            LibraryItem("制定安全应急预案，定期组织师生开展应急疏散演练。", "《中小学幼儿园安全管理办法》",
                        category=MANAGEMENT),
            LibraryItem("教职工接受安全教育培训，掌握基本的应急处置技能。", "《中小学幼儿园安全管理办法》",
                        category=MANAGEMENT),
        ),
    ),
    LibraryChecklist(
        code="care-home",
        name="养老机构安全检查表",
        description=f"养老机构服务安全和消防安全监督检查通用检查表。{UNVERIFIED}。",
        industry_code="care_homes",
        items=(
            LibraryItem("建立安全管理责任制，明确安全管理人员，落实夜间值班和巡查。",
                        "GB 38600；《养老机构管理办法》", category=MANAGEMENT),
            LibraryItem("消防设施、器材配置齐全，定期检验维修，完好有效。", f"{FIRE_LAW}第十六条"),
            LibraryItem("疏散通道、安全出口畅通，未占用、堵塞、封闭。", f"{FIRE_LAW}第二十八条"),
            LibraryItem("居室、走道门窗未设置影响逃生和灭火救援的障碍物。", f"{FIRE_LAW}第二十八条"),
            LibraryItem("电气线路规范敷设，居室内无违规使用明火和大功率电器。", f"{FIRE_LAW}第二十七条",
                        category=BEHAVIOUR),
            LibraryItem("电动自行车未在建筑内公共区域、疏散通道停放或充电。", "《高层民用建筑消防安全管理规定》"),
            LibraryItem("对入住老年人开展跌倒、走失、噎食等风险评估，并采取防范措施。", "GB 38600",
                        category=MANAGEMENT),
            LibraryItem("厨房燃气设施完好，使用场所通风良好。", "《城镇燃气管理条例》"),
            LibraryItem("员工经消防安全培训，会报警、会使用灭火器材、会组织疏散老年人。", FIRE_RULES_61,
                        category=MANAGEMENT),
            LibraryItem("制定突发事件应急预案，定期组织应急疏散演练。", "《养老机构管理办法》；GB 38600",
                        category=MANAGEMENT),
        ),
    ),
    LibraryChecklist(
        code="crowded-place",
        name="人员密集场所安全检查表",
        description=f"商场、市场、宾馆、餐饮、娱乐等人员密集场所监督检查通用检查表。{UNVERIFIED}。",
        industry_code="crowded_places",
        items=(
            LibraryItem("明确消防安全责任人和管理人，建立消防安全制度。", f"{FIRE_LAW}第十六条",
                        category=MANAGEMENT),
            LibraryItem("疏散通道、安全出口畅通，营业期间未锁闭、封堵。", f"{FIRE_LAW}第二十八条"),
            LibraryItem("门窗未设置影响逃生和灭火救援的障碍物。", f"{FIRE_LAW}第二十八条"),
            LibraryItem("消防设施、器材配置齐全，定期检验维修，完好有效。", f"{FIRE_LAW}第十六条"),
            LibraryItem("应急照明和疏散指示标志完好有效。", "GB 51309"),
            LibraryItem("室内装修、装饰材料的防火性能符合消防技术标准。", f"{FIRE_LAW}第二十六条"),
            LibraryItem("电器产品、燃气用具的安装、使用及其线路、管路敷设符合消防技术标准。",
                        f"{FIRE_LAW}第二十七条"),
            LibraryItem("营业期间未进行动火施工；确需动火的按规定办理审批并落实现场监护。",
                        f"{FIRE_LAW}第二十一条", category=BEHAVIOUR),
            LibraryItem("消防控制室实行24小时值班，值班人员持证上岗。", "GB 25506", category=MANAGEMENT),
            LibraryItem("营业期间开展防火巡查，并做好巡查记录。", FIRE_RULES_61, category=MANAGEMENT),
            LibraryItem("制定灭火和应急疏散预案，定期组织演练。", f"{FIRE_LAW}第十六条", category=MANAGEMENT),
        ),
    ),
    LibraryChecklist(
        code="warehouse",
        name="仓储场所安全检查表",
        description=f"普通物品仓库及危险化学品储存场所监督检查通用检查表。{UNVERIFIED}。",
        industry_code="industry_trade",
        items=(
            LibraryItem("库房的耐火等级、防火分区和安全疏散符合建筑防火要求。", "GB 50016"),
            LibraryItem("仓库与员工宿舍未设在同一座建筑物内，并与宿舍保持安全距离。", f"{SAFETY_LAW}第四十二条"),
            LibraryItem("库区出口、疏散通道和消防车通道畅通，未占用、堵塞、封闭。",
                        f"{SAFETY_LAW}第四十二条；{FIRE_LAW}第二十八条"),
            LibraryItem("货物堆放保持垛距、墙距、柱距、灯距和顶距，堆垛稳固、不超高。",
                        "《仓库防火安全管理规则》（公安部令第6号）"),
            LibraryItem("库房内照明灯具和电气设备符合安全要求，无私拉乱接，人员离库时切断电源。",
                        "《仓库防火安全管理规则》（公安部令第6号）"),
            LibraryItem("危险化学品储存在专用仓库、专用场地或专用储存室内，并由专人负责管理。",
                        f"{CHEMICALS_REG}第二十四条", category=MANAGEMENT),
            LibraryItem("危险化学品按类别分区分类储存，未超量储存，禁配物料未混存。", "GB 15603"),
            LibraryItem("叉车等场（厂）内专用机动车辆办理使用登记，作业人员持证上岗。",
                        "《特种设备安全法》第十四条、第三十三条"),
            LibraryItem("消防设施、器材配置齐全，定期检验维修，完好有效。", f"{FIRE_LAW}第十六条"),
            LibraryItem("装卸作业有专人指挥，作业人员正确使用劳动防护用品。", f"{SAFETY_LAW}第四十五条",
                        category=BEHAVIOUR),
        ),
    ),
)


def load(apps) -> dict[str, int]:
    """Idempotent: creates the library checklists that are missing (with their items) and changes nothing
    that exists, so an administrator's edits survive a re-run. Returns how many checklists were created."""
    checklist_model = apps.get_model("inspections", "Checklist")
    item_model = apps.get_model("inspections", "ChecklistItem")
    industry_model = apps.get_model("enterprises", "Industry")
    created = 0
    for entry in LIBRARY:
        if checklist_model.objects.filter(code=entry.code).exists():
            continue
        industry = industry_model.objects.filter(code=entry.industry_code).first() if entry.industry_code else None
        checklist = checklist_model.objects.create(code=entry.code, name=entry.name,
                                                   description=entry.description, industry=industry)
        item_model.objects.bulk_create([
            item_model(checklist=checklist, order=n, text=item.text, legal_basis=item.legal_basis,
                       default_level=item.level, category=item.category)
            for n, item in enumerate(entry.items, start=1)
        ])
        created += 1
    return {"created": created}
