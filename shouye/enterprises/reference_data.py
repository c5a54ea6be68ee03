"""Reference data every installation starts with; all of it stays editable in the admin.

Industries and their supervising departments follow 三管三必须 (安全生产法 Art. 3, 10): the department in
charge of an industry supervises its safety. Supervision grades A–D and their yearly inspection frequency
are set by each province; the values below are local defaults to edit, not national rules [U]."""

BUREAU = "长清区应急管理局"

#: (organisation name, kind, [(industry code, industry name)])
DEPARTMENTS = [
    (BUREAU, "bureau", [("hazardous_chemicals", "危险化学品"), ("non_coal_mines", "非煤矿山"),
                        ("industry_trade", "工贸")]),
    ("区住房和城乡建设局", "department", [("construction", "建筑施工")]),
    ("区交通运输局", "department", [("transport", "交通运输")]),
    ("区市场监督管理局", "department", [("special_equipment", "特种设备")]),
    ("区教育和体育局", "department", [("schools", "学校")]),
    ("区民政局", "department", [("care_homes", "养老机构")]),
    ("区卫生健康局", "department", [("hospitals", "医疗机构")]),
    ("区城市管理局（燃气主管部门）", "department", [("urban_gas", "城镇燃气")]),
    ("区消防救援大队", "department", [("crowded_places", "人员密集场所")]),
]

BUREAU_UNITS = [
    ("综合科", "section"), ("安全生产基础科", "section"), ("危险化学品安全监督管理科", "section"),
    ("应急救援科", "section"),
    ("执法一中队", "squad"), ("执法二中队", "squad"), ("执法三中队", "squad"), ("执法四中队", "squad"),
]

#: (code, name, meaning, inspections per year) — editable defaults [U]
GRADES = [
    ("A", "A类", "安全管理规范、风险较低，以抽查为主", 1),
    ("B", "B类", "安全管理基本规范、风险一般", 2),
    ("C", "C类", "安全管理较薄弱或风险较高，重点检查", 4),
    ("D", "D类", "重大风险或安全管理差，重点监管", 12),
]

TAGS = [
    ("mhi", "重大危险源"), ("special_gases", "涉特种气体"), ("combustible_dust", "粉尘涉爆"),
    ("ammonia_refrigeration", "涉氨制冷"), ("confined_space", "有限空间作业"), ("gas_station", "加油加气站"),
    ("hazardous_process", "危险化工工艺"), ("metallurgy", "冶金"), ("fireworks", "烟花爆竹"),
]


def load(apps) -> None:
    """Idempotent: creates what is missing, changes nothing that exists."""
    organisation = apps.get_model("accounts", "Organisation")
    industry = apps.get_model("enterprises", "Industry")
    grade = apps.get_model("enterprises", "SupervisionGrade")
    tag = apps.get_model("enterprises", "Tag")
    order = 0
    bureau = None
    for name, kind, industries in DEPARTMENTS:
        org, _ = organisation.objects.get_or_create(name=name, defaults={"kind": kind})
        if kind == "bureau":
            bureau = org
        for code, label in industries:
            order += 1
            industry.objects.get_or_create(code=code, defaults={"name": label, "department": org, "order": order})
    for name, kind in BUREAU_UNITS:
        organisation.objects.get_or_create(name=name, defaults={"kind": kind, "parent": bureau})
    for code, name, meaning, per_year in GRADES:
        grade.objects.get_or_create(code=code, defaults={"name": name, "meaning": meaning,
                                                          "inspections_per_year": per_year})
    for code, name in TAGS:
        tag.objects.get_or_create(code=code, defaults={"name": name})
