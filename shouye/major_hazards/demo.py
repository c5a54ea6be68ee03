"""The major hazard installations' demo step (``shouye demo``): about a third of the demo's
hazardous-chemicals enterprises register one or two installations with realistic GB 18218-2018 Table 1
substances (液氨, 甲醇, 汽油, 液化石油气 …), appoint their three responsible persons (linked to the enterprise's
account, so their duties become its investigation tasks), and file the major ones. Then the duty tasks' windows
of the year are created as the nightly job creates them, and the persons do their first two duties of each
list in most windows (one in ten finds a problem, which becomes a hazard); the rest are recorded missed, so
some duties are overdue, as on a real platform. Everything through the services, each act at its moment of
the past year."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from django.apps import apps as django_apps

from shouye.core.demo import Agenda, moment, office_moment, workday_on_or_after
from shouye.enterprises import demo as district
from shouye.risks import generation
from shouye.risks.choices import CheckOutcome, InstanceState
from shouye.risks.models import InvestigationTask, TaskInstance
from shouye.risks.services import tasks as task_services

from . import duty_items, services
from .choices import InstallationKind, PersonRole

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
#: The items of each list the persons keep doing, the share of their windows left undone (missed) and the
#: share of those done that find a problem.
ITEMS_DONE = 2
MISSED_SHARE = 0.15
NOT_OK_SHARE = 0.1


def load_major_hazards(context) -> dict[str, int]:
    people = district.people(context)
    rng = context.rng("major-hazards")
    chosen = [e for e in context.enterprises if e.industry.code == "hazardous_chemicals"][::SHARE]
    duty_items.load(django_apps)  # a database flushed by a test has lost the migration's rows
    agenda = Agenda(context)
    made = {"installations": 0, "responsible persons": 0}

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
                                    appointed_on=start, user=actor)
            made["responsible persons"] += 1
        if installation.is_major:
            filed = workday_on_or_after(start + timedelta(days=rng.randint(3, 20)))
            agenda.add(office_moment(rng, filed), lambda: services.file_installation(
                actor=actor, installation=installation, filing_number=f"备{start.year}-{installation.pk:04d}",
                filed_on=filed))
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
    made.update(_do_duties(context, rng))
    return made


def _do_duties(context, rng) -> dict[str, int]:
    """The duty tasks' windows up to today, as the nightly job of yesterday creates them; the first
    ``ITEMS_DONE`` duties of each list done in most windows that closed, on a working day early in the window;
    then the job records the others missed."""
    night = moment(context.today - timedelta(days=1), time(0, 20))
    tasks = InvestigationTask.objects.filter(duty__isnull=False, enterprise__in=context.enterprises)
    with context.at(night):
        generation.generate_instances(tasks=tasks)
    counts = {"duty tasks": tasks.count(), "duties done": 0, "duties not OK": 0}
    closed = (TaskInstance.objects.filter(task__in=tasks, task__task_number__lte=ITEMS_DONE, due_by__lte=night,
                                          state=InstanceState.DUE)
              .select_related("task", "assignee").order_by("due_from", "pk"))
    for instance in closed:
        if rng.random() < MISSED_SHARE:
            continue
        day = generation.local_date(instance.due_from) + timedelta(days=rng.randint(0, min(instance.task.cycle, 20) - 1))
        when = max(office_moment(rng, workday_on_or_after(day)), instance.due_from)
        if when >= instance.due_by:
            continue
        ok = rng.random() >= NOT_OK_SHARE
        with context.at(when):
            task_services.complete_instance(actor=instance.assignee, instance=instance, checks=[
                task_services.CheckInput(measure=None, outcome=CheckOutcome.OK if ok else CheckOutcome.NOT_OK,
                                         note="" if ok else "发现液位计显示异常，已报修")])
        counts["duties done"] += 1
        counts["duties not OK"] += not ok
    with context.at(night + timedelta(minutes=10)):
        generation.mark_missed()
    counts["duties missed"] = TaskInstance.objects.filter(task__in=tasks, state=InstanceState.MISSED).count()
    return counts
