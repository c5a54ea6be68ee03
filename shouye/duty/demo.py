"""The duty area in the demo district (``shouye demo``): the bureau's duty crew on the rotation lists, the
flood season of the demo's year, last month's and this month's rosters generated and published (each on the
20th of the month before), a swap asked, agreed and approved, and a week of the duty log with a report chain
(首报 → 续报 → 终报) and the handovers between shifts; every township's roster generated and filed for last month and
this month but the last township's, which has not filed this month's yet. Everything through the services, at its moment in the past;
a month of a year the work calendar does not hold is left out (its holidays are never guessed)."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.apps import apps as django_apps
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError

from shouye.accounts.models import Membership, Organisation, User
from shouye.core.demo import moment
from shouye.enterprises import demo as district
from shouye.enterprises import reference_data
from shouye.enterprises.demo import DEMO_USER_PREFIX, person_name
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region
from shouye.workcalendar.selectors import work_calendar

from . import defaults, selectors, services
from .choices import SeasonKind, SwapState
from .models import Assignment, DutyPosition, DutySeason, RotationMember

#: The demo bureau's duty phone (a made-up number of the 0531 area).
DUTY_PHONE = "0531-87000000"
LEADERS = [(f"{DEMO_USER_PREFIX}duty-leader-{n}", name) for n, name in enumerate(("王副局长", "李副局长"), 1)]
OFFICERS = [(f"{DEMO_USER_PREFIX}duty-officer-{n}", name)
            for n, name in enumerate(("赵值班员", "钱值班员", "孙值班员", "周值班员"), 1)]
#: The demo's flood season (主汛期, as many northern districts declare it); a district enters its own each year.
FLOOD_SEASON = ((6, 1), (9, 30))
LOG = [
    # days before today, hour, kind, counterpart, content, stage
    (3, time(21, 40), "call_received", "马山镇应急办", "马山镇某村报告暴雨致道路积水，无人员伤亡，已安排排水。", "first"),
    (3, time(23, 10), "report_sent", "区政府总值班室", "续报：积水已基本排除，道路恢复通行。", "follow_up"),
    (2, time(9, 30), "report_sent", "区政府总值班室", "终报：马山镇道路积水处置完毕。", "final"),
    (2, time(15, 5), "instruction", "局主要负责同志", "要求各街镇加强夜间巡查，值班人员在岗在位。", ""),
    (1, time(2, 20), "report_received", "某化工企业", "企业报告储罐区可燃气体报警，经检查为探头故障，已更换。", ""),
    (1, time(10, 45), "other", "市应急局", "通知：明日上午召开防汛视频调度会。", ""),
]


def _crew(context) -> tuple[list[User], list[User]]:
    """The duty crew: the demo's leader and two more leaders, the staff account and four duty officers (people
    who cannot sign in), each with a phone and a bureau membership."""
    bureau = Organisation.objects.get(name=reference_data.BUREAU)
    unusable = make_password(None)
    made = {}
    for n, (username, name) in enumerate(LEADERS + OFFICERS, start=1):
        user, created = User.objects.get_or_create(username=username, defaults={
            "display_name": name, "phone": f"138053100{n:02d}", "password": unusable})
        if created:
            role = "leader" if (username, name) in LEADERS else "bureau_staff"
            Membership.objects.create(user=user, role=role, organisation=bureau)
        made[username] = user
    leader, staff = context.accounts["leader"], context.accounts["staff"]
    for user, phone in ((leader, "13805310100"), (staff, "13805310101")):
        if not user.phone:
            user.phone = phone
            user.save(update_fields=["phone"])
    return ([leader] + [made[u] for u, _ in LEADERS], [staff] + [made[u] for u, _ in OFFICERS])


def _rotation(leaders, officers) -> None:
    positions = {p.code: p for p in DutyPosition.objects.all()}
    for code, people in (("leader", leaders), ("officer", officers), ("standby", officers)):
        for order, user in enumerate(people):
            RotationMember.objects.get_or_create(position=positions[code], user=user, defaults={"order": order})


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def load_duty(context) -> dict[str, int]:
    defaults.load(django_apps)  # a database flushed by a test has lost the migration's rows
    admin = context.accounts["admin"]
    leaders, officers = _crew(context)
    _rotation(leaders, officers)
    made = {"rosters": 0, "assignments": 0, "swaps": 0, "log entries": 0, "handovers": 0}
    with context.at(moment(context.start, time(9, 0))):
        setup = selectors.setup()
        setup.duty_phone = DUTY_PHONE
        setup.save(update_fields=["duty_phone"])
        (first_month, first_day), (last_month, last_day) = FLOOD_SEASON
        season_year = context.start.year if context.start < date(context.start.year, last_month, last_day) \
            else context.today.year
        DutySeason.objects.get_or_create(
            name=f"{season_year}年主汛期", kind=SeasonKind.FLOOD, created_by=admin,
            starts_on=date(season_year, first_month, first_day), ends_on=date(season_year, last_month, last_day),
            defaults={"standby_per_day": 1})
    covered = work_calendar().years
    this_month = (context.today.year, context.today.month)
    rosters = []
    for year, month in (_month_before(*this_month), this_month):
        if year not in covered:
            continue
        drawn_up = moment(date(*_month_before(year, month), 20), time(10, 0))
        with context.at(drawn_up):
            roster = services.create_roster(actor=context.accounts["staff"], unit_kind="bureau", year=year,
                                            month=month, duty_phone=DUTY_PHONE)
            made["assignments"] += services.generate_roster(actor=context.accounts["staff"], roster=roster)[
                "assignments"]
            services.publish_roster(actor=context.accounts["staff"], roster=roster)
        rosters.append(roster)
        made["rosters"] += 1
    if rosters:
        made["swaps"] = _swap(context, rosters[0], officers)
    made["township rosters"] = _townships(context, [m for m in (_month_before(*this_month), this_month)
                                                    if m[0] in covered])
    made["log entries"], made["handovers"] = _log(context, officers)
    return made


def _townships(context, months) -> int:
    """Each township's officer generates its roster from its own people (two leaders on duty and three duty
    officers, who also stand by) and files it on the 25th of the month before; the next month is generated from
    the last one's people. The last township (by code) has not filed this month's: the bureau's "on duty now"
    lists it, and its officer has the to-do."""
    people = district.people(context)
    rng = context.rng("duty-townships")
    positions = {p.code: p for p in DutyPosition.objects.all()}
    townships = list(Region.objects.filter(level=RegionLevel.TOWNSHIP, pk__in=people.township_officers)
                     .order_by("code"))
    filed = 0
    for number, township in enumerate(townships, start=1):
        officer = people.township_officers[township.pk]
        crew = [(code, person_name(rng), f"1390531{number:02d}{n:02d}")
                for n, code in enumerate(("leader", "leader", "officer", "officer", "officer"))]
        rota = [{"position": positions[code], "name": name, "phone": phone} for code, name, phone in crew]
        rota += [{**row, "position": positions["standby"]} for row in rota if row["position"].code == "officer"]
        for n, (year, month) in enumerate(months):
            if township == townships[-1] and (year, month) == months[-1] and len(townships) > 1:
                continue
            with context.at(moment(date(*_month_before(year, month), 25), time(10, 0))):
                roster = services.create_roster(actor=officer, unit_kind="township", year=year, month=month,
                                                township=township, duty_phone=f"0531-8700{number:04d}")
                services.generate_roster(actor=officer, roster=roster, people=rota if n == 0 else None)
                services.file_roster(actor=officer, roster=roster)
            filed += 1
    return filed


def _swap(context, roster, officers) -> int:
    """Two duty officers swap their shifts late in last month, asked on the 25th of the month before."""
    rows = Assignment.objects.filter(roster=roster, position__code="officer", reason="regular")
    mine = rows.filter(user=officers[1]).order_by("-day").first()
    theirs = rows.filter(user=officers[2]).exclude(day=mine.day if mine else None).order_by("-day").first() \
        if mine else None
    if mine is None or theirs is None:
        return 0
    asked = moment(date(*_month_before(roster.year, roster.month), 25), time(9, 0))
    with context.at(asked):
        swap = services.request_swap(actor=officers[1], roster=roster, mine=mine, theirs=theirs, reason="参加培训")
    with context.at(asked + timedelta(hours=1)):
        services.answer_swap(actor=officers[2], swap=swap, action="agree")
    with context.at(asked + timedelta(hours=3)):
        try:
            services.approve_swap(actor=context.accounts["leader"], swap=swap, note="同意")
        except ValidationError:
            services.answer_swap(actor=context.accounts["leader"], swap=swap, action="reject",
                                 note="互换后有人同一天两次值班")
    swap.refresh_from_db()
    return 1 if swap.state in (SwapState.APPROVED, SwapState.REFUSED) else 0


def _log(context, officers) -> tuple[int, int]:
    """A few days of the duty log with a report chain, each shift handed over the next morning."""
    entries, chain = 0, None
    for days_before, at, kind, counterpart, content, stage in LOG:
        day = context.today - timedelta(days=days_before)
        with context.at(moment(day, at)):
            entry = services.record_entry(
                actor=officers[0], kind=kind, occurred_at=moment(day, at), counterpart=counterpart, content=content,
                report_stage=stage, follows=chain if stage in ("follow_up", "final") else None,
                reference="演示-001" if stage == "first" else "")
        chain = entry if stage in ("first", "follow_up") else chain
        if kind in ("report_sent", "instruction") and stage != "follow_up":
            with context.at(moment(day, at) + timedelta(minutes=30)):
                services.close_entry(actor=officers[0], entry=entry, outcome="已办结")
        entries += 1
    handovers = 0
    handover_time = selectors.setup().handover_time
    for days_before in (3, 2):
        shift_day = context.today - timedelta(days=days_before)
        with context.at(moment(shift_day + timedelta(days=1), handover_time)):
            handover = services.hand_over(actor=officers[0], shift_day=shift_day, notes="交班：情况见值班记录。")
        with context.at(moment(shift_day + timedelta(days=1), handover_time) + timedelta(minutes=10)):
            services.acknowledge_handover(actor=officers[1], handover=handover)
        handovers += 1
    return entries, handovers
