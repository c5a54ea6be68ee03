"""The risk register's part of the demo district (``shouye demo``, DemoStep "risks", order 15 — after the
registry and before the hazards): chemical and manufacturing enterprises keep a risk list.

- Each hazardous-chemicals or industry-and-trade enterprise in operation (not schools, care homes, shops…)
  has 3 to 12 risk points with 1 to 3 hazard sources each, assessed by LEC mostly (some by the risk matrix
  and MES), and measures in all four categories of the national interface (§A.6).
- Its safety officer writes the list in the first months of the demo's year, in a few bulk inserts (the
  import's writer, one audit event per enterprise); then writes a special control plan for every major and
  high point and, for most enterprises, publishes the list — through the services, at their own moments.

Nothing is dated today or later."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from shouye.audit import services as audit
from shouye.core.demo import office_moment, workday_on_or_after
from shouye.enterprises import demo as district
from shouye.enterprises.choices import OperatingStatus

from .imports import PointRows, write_points
from .models import RiskPoint
from .services import register as services
from .services.settings import effective_tables

#: The industries whose enterprises keep a risk list in the demo (REGULATIONS-2 §A.1: key enterprises).
INDUSTRIES = ("hazardous_chemicals", "industry_trade")
#: Share of the enterprises with a list that have published it by the demo's today.
PUBLISHED_SHARE = 0.8

#: Risk points: (name, kind, department, control focus); a point's sources are drawn from SOURCES.
POINTS = [
    ("储罐区", "facility", "储运部", "泄漏、火灾爆炸"), ("装卸站台", "activity", "储运部", "静电、溢流"),
    ("反应釜", "facility", "生产部", "超温超压、飞温"), ("配电室", "facility", "设备部", "触电、电气火灾"),
    ("空压站", "facility", "设备部", "压力容器超压"), ("危化品仓库", "facility", "储运部", "禁忌物混存"),
    ("污水处理站", "facility", "安环部", "硫化氢中毒"), ("机加工车间", "facility", "生产部", "机械伤害"),
    ("喷漆房", "facility", "生产部", "有机溶剂火灾"), ("叉车作业", "activity", "储运部", "车辆伤害"),
    ("动火作业", "activity", "安环部", "火灾爆炸"), ("受限空间作业", "activity", "安环部", "中毒窒息"),
    ("高处作业", "activity", "设备部", "高处坠落"), ("吊装作业", "activity", "设备部", "起重伤害"),
]
#: Hazard sources: (step or item, name, aspect, consequence, identification method).
SOURCES = [
    ("安全阀", "安全阀失效", "things", "超压爆炸", "scl"), ("法兰连接", "法兰密封泄漏", "things", "火灾", "scl"),
    ("作业准备", "未进行可燃气体分析", "people", "火灾爆炸", "jha"), ("现场监护", "监护人离岗", "management", "伤亡扩大", "jha"),
    ("电气线路", "线路老化", "things", "触电", "scl"), ("通风", "通风不良", "environment", "中毒窒息", "scl"),
    ("操作", "未按规程操作", "people", "机械伤害", "jha"), ("防护装置", "防护罩缺失", "things", "机械伤害", "scl"),
]
#: Measures per category (national interface classify1 → (classify2, text, what to check)).
MEASURES = {
    "1": [("1-1", "温度压力联锁报警", "联锁投用、报警值正确"), ("1-4", "紧急切断系统", "SIS投用、定期测试记录"),
          ("1-3", "安全阀定期校验", "校验合格证在有效期内")],
    "2": [("2-2", "设备定期检维修", "检维修记录齐全"), ("2-1", "机泵润滑保养", "润滑记录、运行无异响")],
    "3": [("3-1", "作业人员持证上岗", "特种作业证有效"), ("3-3", "交接班记录", "交接班记录完整"),
          ("3-4", "作业票证审批", "作业票审批齐全")],
    "4": [("4-2", "配备防毒面具、空气呼吸器", "器材完好、在有效期内"), ("4-3", "灭火器、消防栓", "压力正常、通道畅通"),
          ("4-4", "现场处置方案演练", "演练记录")],
}
#: Assessment inputs, most by LEC and most of them low: D = 18, 18, 54, 54, 63, 126, 126, 90, 252, 252, 540 — a
#: point takes its highest source's grade, so about a third of the points come out major or high.
LEC_INPUTS = [("1", "6", "3"), ("1", "6", "3"), ("3", "6", "3"), ("3", "6", "3"), ("3", "3", "7"), ("3", "6", "7"),
              ("3", "6", "7"), ("3", "2", "15"), ("6", "6", "7"), ("1", "6", "1"), ("1", "3", "7"), ("6", "6", "15")]
MATRIX_INPUTS = [("2", "2"), ("3", "3"), ("4", "3")]
MES_INPUTS = [("1", "6", "4"), ("3", "6", "4"), ("5", "6", "8")]


def _assessment(rng, tables):
    draw = rng.random()
    if draw < 0.8:
        l, e, c = rng.choice(LEC_INPUTS)  # noqa: E741
        method, inputs = "lec", {"l": l, "e": e, "c": c}
    elif draw < 0.9:
        l, s = rng.choice(MATRIX_INPUTS)  # noqa: E741
        method, inputs = "matrix", {"l": l, "s": s}
    else:
        m, e, s = rng.choice(MES_INPUTS)
        method, inputs = "mes", {"m": m, "e": e, "s": s}
    return method, services.compute(method, inputs, tables)


def _points(rng, tables, person: str) -> dict[str, PointRows]:
    points = {}
    for number, (name, kind, department, focus) in enumerate(rng.sample(POINTS, rng.randint(3, 12)), start=1):
        row = PointRows(row=number, values={"name": name, "kind": kind, "location": "", "department": department,
                                            "responsible_person": person, "control_focus": focus,
                                            "control_unit": department})
        for step, source, aspect, consequence, how in rng.sample(SOURCES, rng.randint(1, 3)):
            method, outcome = _assessment(rng, tables)
            measures, subcategories, checks = [], {}, {}
            for category, options in MEASURES.items():
                sub, text, check = rng.choice(options)
                measures.append((category, text))
                subcategories[text], checks[text] = sub, check
            row.sources.append({"identification_method": how, "step_or_item": step, "name": source,
                                "factor_category": aspect, "consequence": consequence, "method": method,
                                "outcome": outcome, "measures": measures, "subcategories": subcategories,
                                "checks": checks})
        points[f"FX-{number:02d}"] = row
    return points


def load_risks(context) -> dict[str, int]:
    """The demo step of this app (see the module's docstring)."""
    people = district.people(context)
    rng = context.rng("risks")
    tables = effective_tables(None)
    counts = {"risk points": 0, "hazard sources": 0, "special control plans": 0, "published lists": 0}
    for enterprise in context.enterprises:
        if enterprise.industry.code not in INDUSTRIES or enterprise.status != OperatingStatus.OPERATING:
            continue
        officer = people.enterprise_users.get(enterprise.pk)
        if officer is None:
            continue
        written = workday_on_or_after(context.start + timedelta(days=rng.randint(5, 60)))
        with context.at(office_moment(rng, written)), transaction.atomic():
            made = write_points(actor=officer, enterprise=enterprise, tables=tables,
                                points=_points(rng, tables, officer.display_name or officer.username))
            audit.record(actor=officer, verb="risks.import", target=enterprise, changes={"demo": True, **made})
        counts["risk points"] += made["points"]
        counts["hazard sources"] += made["sources"]
        planned = workday_on_or_after(written + timedelta(days=rng.randint(3, 20)))
        with context.at(office_moment(rng, planned)):
            for point in RiskPoint.objects.filter(enterprise=enterprise, grade__in=services.PLAN_GRADES):
                services.save_special_plan(
                    actor=officer, risk_point=point, access_restriction="设置警示标志，无关人员禁止进入，进入须登记",
                    patrol_cycle=2 if point.grade == "major" else 8, patrol_cycle_unit="hour",
                    monitoring="DCS实时监测，中控室24小时值班", max_people=6, other_measures="",
                    approved_by="主要负责人", approved_on=planned)
                counts["special control plans"] += 1
        if rng.random() < PUBLISHED_SHARE:
            with context.at(office_moment(rng, workday_on_or_after(planned + timedelta(days=rng.randint(1, 10))))):
                services.publish_register(actor=officer, enterprise=enterprise)
            counts["published lists"] += 1
    return counts
