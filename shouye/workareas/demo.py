"""The work areas' part of the demo district (``shouye demo``): every chemical enterprise assesses its work areas
and designates a couple of high-risk ones, then keeps a personnel ledger of 5–15 people with their certificates,
some of them in their review window and one expired, so the flags, to-dos and the ledger-page panel have
something to show. Everything goes through the services, each enterprise at its own moment of the demo's year."""

from __future__ import annotations

import itertools
from datetime import timedelta

from shouye.core.demo import DemoContext, office_moment, workday_on_or_after
from shouye.enterprises.chemical import is_chemical
from shouye.enterprises.demo import people, person_name
from shouye.rules.identifiers import compute_id_number_check

from . import services
from .certificates import SPECIAL_OPERATION_APPLY_DAYS, add_years
from .choices import CertificateKind

#: (name, location, hazards present, normally present, maximum, posts allowed, measures)
HIGH_RISK_AREAS = [
    ("氯化反应区", "一车间二层", "氯气泄漏中毒、反应失控超温超压", 4, 6, "氯化工艺操作工\n班长\n设备维修工",
     "进入前检测氯气浓度；双人作业；配备正压式空气呼吸器；DCS 超温联锁"),
    ("罐区", "厂区东侧", "易燃液体泄漏、火灾爆炸", 3, 5, "罐区操作工\n装卸工\n安全员",
     "防爆区域严禁明火；进入前静电释放；可燃气体报警仪联锁"),
    ("装卸站台", "厂区北门", "槽车装卸泄漏、静电着火", 2, 4, "装卸工\n押运员",
     "装卸前接地；限速限员；现场监护"),
]
ORDINARY_AREAS = [("成品仓库", "厂区西侧", "叉车伤害", 3, "已评估：不存放危险化学品，非高危作业场所。")]
POSTS = ["氯化工艺操作工", "罐区操作工", "装卸工", "设备维修工", "班长", "安全员"]
CATEGORIES = ["危险化学品安全作业 · 氯化工艺作业", "危险化学品安全作业 · 化工自动化控制仪表作业",
              "电工作业 · 低压电工作业", "焊接与热切割作业 · 熔化焊接与热切割作业"]
AUTHORITY = "济南市应急管理局"


def _id_number(rng, serial: int) -> str:
    """A valid GB 11643 number of 长清区 (370113), born 1970–1999."""
    first17 = f"370113{rng.randint(1970, 1999)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{serial % 1000:03d}"
    return first17 + compute_id_number_check(first17)


def _certificate(rng, today, day, *, state: str) -> dict:
    """A special-operation certificate whose review falls, on the demo's today, as ``state`` says: ``expired``
    (issued over six years ago), ``due`` (the review due within its 60-day window) or ``valid``."""
    if state == "expired":
        issued = add_years(today, -6) - timedelta(days=rng.randint(10, 200))
        return {"issued_on": issued, "last_review_on": add_years(issued, 3)}
    if state == "due":
        due = today + timedelta(days=rng.randint(5, SPECIAL_OPERATION_APPLY_DAYS - 5))
        issued = add_years(due, -3)
        return {"issued_on": issued, "last_review_on": None}
    return {"issued_on": day - timedelta(days=rng.randint(30, 600)), "last_review_on": None}


def _load_enterprise(context: DemoContext, enterprise, actor, serial) -> tuple[int, int, int]:
    rng = context.rng(f"workareas:{enterprise.pk}")
    day = workday_on_or_after(context.start + timedelta(days=rng.randint(10, 200)))
    today = context.today
    with context.at(office_moment(rng, day)):
        areas = []
        for name, location, hazards, present, maximum, posts, measures in rng.sample(HIGH_RISK_AREAS, 2):
            areas.append(services.assess_work_area(actor=actor, enterprise=enterprise, data={
                "name": name, "location": location, "hazards_present": hazards, "people_present": present,
                "assessed_on": day, "high_risk": True, "max_people": maximum, "allowed_posts": posts,
                "measures": measures,
                "assessment_reason": "涉及重点监管危险化工工艺或重大危险源，人员聚集时事故后果严重，评估为高危作业场所。"}))
        for name, location, hazards, present, reason in ORDINARY_AREAS:
            services.assess_work_area(actor=actor, enterprise=enterprise, data={
                "name": name, "location": location, "hazards_present": hazards, "people_present": present,
                "assessed_on": day, "high_risk": False, "assessment_reason": reason})
        count = rng.randint(5, 15)
        places = {area.pk: area.max_people for area in areas}
        certificates = 0
        for index in range(count):
            state = "expired" if index == 0 else "due" if index <= 2 else "valid"
            post = rng.choice(POSTS)
            open_areas = [area for area in areas if places[area.pk] > 0 and post in area.posts()]
            chosen = rng.sample(open_areas, min(len(open_areas), rng.randint(0, 2)))
            for area in chosen:
                places[area.pk] -= 1
            rows = [{"kind": CertificateKind.SPECIAL_OPERATION, "operation_category": rng.choice(CATEGORIES),
                     "number": f"T{_id_number(rng, next(serial))}", "authority": AUTHORITY,
                     "continuous_years": rng.randint(0, 12), **_certificate(rng, today, day, state=state)}]
            if rng.random() < 0.2:
                rows.append({"kind": CertificateKind.SAFETY_QUALIFICATION, "number": f"AQ{next(serial):08d}",
                             "issued_on": day - timedelta(days=rng.randint(60, 900)), "authority": AUTHORITY})
            services.register_worker(actor=actor, enterprise=enterprise, data={
                "name": person_name(rng), "id_number": _id_number(rng, next(serial)), "post": post,
                "phone": f"13{rng.randint(100000000, 999999999)}"}, work_areas=chosen, certificates=rows)
            certificates += len(rows)
    return len(areas) + len(ORDINARY_AREAS), count, certificates


def load_workareas(context: DemoContext) -> dict[str, int]:
    """Work areas and the personnel ledger of every operating chemical enterprise."""
    demo_people = people(context)
    serial = itertools.count(1)
    totals = {"work areas": 0, "workers": 0, "certificates": 0}
    for enterprise in context.enterprises:
        actor = demo_people.enterprise_users.get(enterprise.pk)
        if actor is None or enterprise.status != "operating" or not is_chemical(enterprise):
            continue
        areas, workers, certificates = _load_enterprise(context, enterprise, actor, serial)
        totals["work areas"] += areas
        totals["workers"] += workers
        totals["certificates"] += certificates
    return totals
