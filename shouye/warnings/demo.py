"""The warnings' part of ``shouye demo``: last summer's rainstorm warning (issued yellow, raised to orange,
acknowledged by most townships and the building department and by most enterprises for themselves, measures
ticked, lifted the next morning), the
seasons as example dates, and the last week's fire-danger readings in the fire season. Everything through the
services, each act at its own past moment."""

from __future__ import annotations

from datetime import date, time, timedelta

from shouye.core.demo import Agenda, DemoContext, moment
from shouye.enterprises.demo import people

from . import services
from .choices import SeasonKind, WarningKind, WarningSource

#: Example dates, labelled as such: Jinan's own are not in the sources (REGULATIONS-2.md §E.7 [U]).
EXAMPLE_NOTICE = "演示数据：日期仅为示例（参照青岛、烟台森林防火条例），以本区通告为准"


def _last(month: int, day: int, before: date) -> date:
    this_year = date(before.year, month, day)
    return this_year if this_year < before else date(before.year - 1, month, day)


def _seasons(context: DemoContext, agenda: Agenda, staff) -> int:
    fire_start = _last(11, 1, context.today + timedelta(days=1))
    fire_years = {fire_start.year, fire_start.year - 1}
    flood_year = _last(6, 1, context.today).year
    plans = [(SeasonKind.FLOOD, flood_year, date(flood_year, 6, 1), date(flood_year, 9, 30))]
    for year in sorted(fire_years):
        plans.append((SeasonKind.FOREST_FIRE, year, date(year, 11, 1), date(year + 1, 5, 31)))
        plans.append((SeasonKind.HIGH_FIRE_RISK, year + 1, date(year + 1, 3, 1), date(year + 1, 4, 30)))
    for kind, year, starts, ends in plans:
        noticed = min(max(starts - timedelta(days=14), context.start), context.today - timedelta(days=1))
        agenda.add(moment(noticed, time(9, 0)), lambda k=kind, y=year, s=starts, e=ends: services.save_season(
            actor=staff, kind=k, year=y, starts_on=s, ends_on=e, notice=EXAMPLE_NOTICE))
    return len(plans)


def _readings(context: DemoContext, agenda: Agenda, staff) -> int:
    rng = context.rng("warnings-fire-danger")
    days = [context.today - timedelta(days=n) for n in range(7, 0, -1)]
    days = [d for d in days if d.month in (11, 12, 1, 2, 3, 4, 5)]
    for day in days:
        level = rng.choice((1, 2, 2, 3, 3, 4))
        agenda.add(moment(day, time(7, 30)), lambda d=day, lv=level: services.record_fire_danger(
            actor=staff, day=d, level=lv, source=WarningSource.METEOROLOGICAL))
    return len(days)


def load_warnings(context: DemoContext) -> dict[str, int]:
    cast = people(context)
    rng = context.rng("warnings")
    agenda = Agenda(context)
    seasons = _seasons(context, agenda, cast.staff)
    readings = _readings(context, agenda, cast.staff)
    agenda.play()

    day = _last(7, 20, context.today)
    issued = moment(day, time(16, 10))
    with context.at(issued):
        warning = services.issue_warning(
            actor=cast.staff, title=f"{day.year}年7月{day.day}日暴雨黄色预警", kind=WarningKind.RAINSTORM,
            source=WarningSource.METEOROLOGICAL, level=3, issued_at=issued, all_district=True,
            content="预计今天夜间到明天白天，我区将出现暴雨，局部大暴雨，累计降雨量50～100毫米，"
                    "请各镇街、各部门做好防范应对工作。")
    with context.at(issued + timedelta(minutes=50)):
        services.adjust_level(actor=cast.staff, warning=warning, level=2, note="气象台升级为暴雨橙色预警")
    units = list(warning.units.select_related("township", "department"))
    silent = {u.pk for u in rng.sample([u for u in units if u.township_id], k=2)}
    answers = []
    for unit in units:
        if unit.pk in silent:
            continue
        if unit.township_id:
            answers.append((rng.randint(3, 45), cast.township_officers[unit.township_id], unit))
        elif cast.department.memberships.filter(organisation_id=unit.department_id).exists():
            answers.append((rng.randint(5, 30), cast.department, unit))
    answers.sort(key=lambda a: a[0])
    for minutes, officer, unit in answers:
        with context.at(issued + timedelta(minutes=minutes)):
            services.acknowledge(actor=officer, warning=warning, unit=unit)
    notified = set(warning.enterprises.values_list("enterprise_id", flat=True))
    sites = [user for pk, user in sorted(cast.enterprise_users.items(), key=lambda item: item[0]) if pk in notified]
    enterprise_answers = sorted(((rng.randint(5, 240), user) for user in sites if rng.random() < 0.75),
                                key=lambda answer: answer[0])
    for minutes, user in enterprise_answers:
        with context.at(issued + timedelta(minutes=minutes)):
            services.acknowledge_as_enterprise(actor=user, warning=warning)
    ticked = 0
    for minutes, officer, unit in answers:
        done = rng.randint(2, 6)
        for n, item in enumerate(unit.items.filter(done_at__isnull=True).order_by("article", "position")[:done]):
            with context.at(issued + timedelta(minutes=minutes + 60 + 10 * n)):
                services.tick(actor=officer, warning=warning, item=item)
            ticked += 1
    with context.at(moment(day + timedelta(days=1), time(10, 30))):
        services.lift_warning(actor=cast.staff, warning=warning, note="气象台解除暴雨预警")
    return {"warnings": 1, "acknowledgements": len(answers), "enterprise acknowledgements": len(enterprise_answers),
            "measures ticked": ticked,
            "seasons": seasons, "fire-danger readings": readings}
