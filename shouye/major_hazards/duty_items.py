"""The responsible persons' task lists of a major hazard installation (隐患排查任务清单: principal 1–9,
technical 1–9, operational 1–10; REGULATIONS-2 §A.6), the editable data seeded by migration 0002 and loaded again
by the demo when a database lost them (a test flush); :func:`load` is idempotent.

Texts: principal items 1–7 are the duties of 应急厅〔2021〕12号 Art. 4 and technical items 1–5 those of Art. 5
[C]; the other items' texts (and all of the operational person's, Art. 6) were not reached [U] and are seeded
as placeholders marked ``placeholder`` for the bureau to replace. Frequencies: technical 90 days (Art. 5(5):
at least once a quarter) [C], and item 5 (the targeted investigation) also before major events, key periods
and holidays [C]; principal 90 and operational 7 days are [U] defaults, editable."""

PRINCIPAL = [
    "组织建立重大危险源安全包保责任制并指定对重大危险源负有安全包保责任的技术负责人、操作负责人",
    "组织制定重大危险源安全生产规章制度和操作规程，并采取有效措施保证其得到执行",
    "组织对重大危险源的管理和操作岗位人员进行安全技能培训",
    "保证重大危险源安全生产所必需的安全投入",
    "督促、检查重大危险源安全生产工作",
    "组织制定并实施重大危险源生产安全事故应急救援预案",
    "组织通过危险化学品登记信息管理系统填报重大危险源有关信息，保证重大危险源安全监测监控有关数据接入危险化学品安全生产风险监测预警系统",
]
TECHNICAL = [
    "组织实施重大危险源安全监测监控体系建设，完善控制措施，保证安全监测监控系统符合国家标准或者行业标准的规定",
    "组织定期对安全设施和监测监控系统进行检测、检验，并进行经常性维护、保养，保证有效、可靠运行",
    "对于超过个人和社会可容许风险值限值标准的重大危险源，组织采取相应的降低风险措施，直至风险满足可容许风险标准要求",
    "组织审查涉及重大危险源的外来施工单位及人员的相关资质、安全管理等情况，审查涉及重大危险源的变更管理",
    "每季度至少组织对重大危险源进行一次针对性安全风险隐患排查，重大活动、重点时段和节假日前必须进行重大危险源安全风险隐患排查，制定管控措施和治理方案并监督落实",
]
PLACEHOLDER = "（待区应急局补充：本项任务内容原文未核实）"


def load(apps) -> None:
    """Every item not there yet (one per role and number); existing rows, edited or not, are left alone."""
    DutyItem = apps.get_model("major_hazards", "DutyItem")
    rows = []
    for role, known, total, days in (("principal", PRINCIPAL, 9, 90), ("technical", TECHNICAL, 9, 90),
                                     ("operational", [], 10, 7)):
        for number in range(1, total + 1):
            text = known[number - 1] if number <= len(known) else PLACEHOLDER
            rows.append(DutyItem(role=role, number=number, text=text, placeholder=number > len(known),
                                 frequency_days=days,
                                 before_key_periods=(role, number) == ("technical", 5)))
    DutyItem.objects.bulk_create(rows, ignore_conflicts=True)

