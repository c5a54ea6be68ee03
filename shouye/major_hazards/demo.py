"""The major hazard installations' demo step (``shouye demo``): about a third of the demo's
hazardous-chemicals enterprises register one or two installations with realistic GB 18218-2018 Table 1
substances (液氨, 甲醇, 汽油, 液化石油气 …), appoint their three responsible persons, file the major ones and
record some duties over the year: most records are recent and some duties are left overdue, as on a real
platform. Everything through the services, each act at its moment of the past year."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.apps import apps as django_apps

from shouye.core.demo import Agenda, office_moment, workday_on_or_after
from shouye.enterprises import demo as district

from . import duty_items, services
from .choices import DutyResult, InstallationKind, PersonRole
from .models import DutyItem

#: Inventories (name, design maximum t) by kind; quantities chosen so that most units are major hazards.
UNITS = [
    ("液氨储罐区", InstallationKind.TANK_FARM, [("液氨", 60)]),
    ("甲醇罐区", InstallationKind.TANK_FARM, [("甲醇", 1200)]),
    ("汽油储罐区", InstallationKind.TANK_FARM, [("汽油", 800), ("甲醇", 200)]),
    ("液化石油气球罐区", InstallationKind.TANK_FARM, [("液化石油气", 150)]),
    ("合成氨装置", InstallationKind.PRODUCTION, [("氨", 25), ("氢", 3)]),
    ("危化品仓库", InstallationKind.WAREHOUSE, [("甲苯", 300), ("乙酸乙酯", 150)]),
]
AMMONIA_REFRIGERATION = ("氨制冷机房", InstallationKind.PRODUCTION, [("液氨", 15)])
NAMES = ["王建国", "李明", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "孙强", "周涛", "吴敏", "郑凯", "冯雪"]
POSTS = {PersonRole.PRINCIPAL: "总经理", PersonRole.TECHNICAL: "技术副总", PersonRole.OPERATIONAL: "罐区主任"}
#: Share of the hazardous-chemicals enterprises with installations (brief: about a third).
SHARE = 3


def load_major_hazards(context) -> dict[str, int]:
    people = district.people(context)
    rng = context.rng("major-hazards")
    chosen = [e for e in context.enterprises if e.industry.code == "hazardous_chemicals"][::SHARE]
    duty_items.load(django_apps)  # a database flushed by a test has lost the migration's rows
    items = list(DutyItem.objects.filter(active=True))
    agenda = Agenda(context)
    made = {"installations": 0, "responsible persons": 0, "duty records": 0}

    def register(enterprise, actor, unit, start):
        name, kind, substances = unit
        installation = services.create_installation(
            actor=actor, enterprise=enterprise, name=name, kind=kind, location=f"厂区{rng.choice('东南西北')}侧",
            exposed_population=rng.choice([0, 20, 45, 80, 150]),
            last_assessed_on=start - timedelta(days=rng.randint(200, 900)),
            next_assessment_due=context.today + timedelta(days=rng.randint(-20, 400)),
            substances=[{"name": n, "quantity_t": Decimal(q) * Decimal(rng.choice([1, 1, 2]))}
                        for n, q in substances])
        made["installations"] += 1
        for role in PersonRole.values:
            services.appoint_person(actor=actor, installation=installation, role=role, name=rng.choice(NAMES),
                                    post=POSTS[role], phone=f"1{rng.randint(3, 9)}{rng.randint(100000000, 999999999)}",
                                    appointed_on=start)
            made["responsible persons"] += 1
        if installation.is_major:
            filed = workday_on_or_after(start + timedelta(days=rng.randint(3, 20)))
            agenda.add(office_moment(rng, filed), lambda: services.file_installation(
                actor=actor, installation=installation, filing_number=f"备{start.year}-{installation.pk:04d}",
                filed_on=filed))
        # Duties: each role's first two items every ~quarter (operational: ~6 weeks), the others left undone.
        for item in items:
            if item.number > 2:
                continue
            step = 80 if item.role != PersonRole.OPERATIONAL else 40
            day = start + timedelta(days=rng.randint(10, step))
            while day < context.today - timedelta(days=5):
                done_day = day

                def act(done_day=done_day, item=item):
                    ok = rng.random() > 0.1
                    services.record_duty(actor=actor, installation=installation, item=item,
                                         result=DutyResult.OK if ok else DutyResult.NOT_OK,
                                         note="" if ok else "发现液位计显示异常，已报修")
                    made["duty records"] += 1
                agenda.add(office_moment(rng, workday_on_or_after(done_day)), act)
                day += timedelta(days=step + rng.randint(-5, 15))

    # The demo's enterprise account signs in to an industry-and-trade plant: its ammonia refrigeration (涉氨制冷)
    # holds enough liquid ammonia to be a major hazard installation, so that account meets the feature too.
    account = context.accounts.get("qiye")
    own = next((e for e, user in ((e, people.enterprise_users.get(e.pk)) for e in context.enterprises)
                if user is not None and user == account), None)
    plan = [(enterprise, rng.sample(UNITS, rng.choice([1, 1, 2]))) for enterprise in chosen]
    if own is not None and own not in chosen:
        plan.append((own, [AMMONIA_REFRIGERATION]))
    for enterprise, units in plan:
        actor = people.enterprise_users.get(enterprise.pk)
        if actor is None:
            continue
        start = workday_on_or_after(context.start + timedelta(days=rng.randint(0, 60)))
        for unit in units:
            agenda.add(office_moment(rng, start), lambda e=enterprise, a=actor, u=unit, s=start: register(e, a, u, s))
    agenda.play()
    return made
