"""The permits' part of the demo district (``shouye demo``, DemoStep "permits", order 40 — after the registry and
the inspections): the hazardous-chemicals enterprises' special operations of the past year, built through the
permit services at their own moments, so every grade, validity, gas test, approver level, certificate and
special-period rule is the rules' own.

- Each operating chemical enterprise issues a permit every eight to twelve weeks (hot work most often, then confined
  space, work at height, temporary power, lifting, line blinding, excavation and road closure): applied two
  days ahead, risks identified, gas analysed where the form asks for it, measures confirmed, briefed, signed in
  the chain's order by the enterprise's safety officer for each signer named on the form, approved on site by
  the plant head, checked by the shift leader (hot work), worked under its watchperson with a re-test during hot
  work, accepted (the video link kept) and archived; a few are cancelled before approval. Some hot work is on
  operating equipment in a hazard area: special hot work, with its video.
- The bureau declared a special period in the year (the National Day holiday): hot work one grade higher,
  confined-space entry filed 24 hours ahead, lifting prohibited — the permits that fall in it follow.
- Some enterprises' own permit systems push permits that break the rules (no passing gas test, an approver
  below Table B.1's level): recorded with their problems, as the board shows them.
- Now: a few permits are in progress, started 45 minutes before the demo loads (at night too: plants work
  around the clock, and the rules raise night hot work), each enterprise with one more prepared and waiting for
  its signatures, so the live board, the watchperson's view and the status page have something to show. They
  are the only records the demo dates today, all before the moment it loads.

The signers' names are the form's people; the account acting is the enterprise's (one safety officer signs on
each signer's phone in the demo)."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from PIL import Image, ImageDraw

from shouye.core.demo import moment, workday_on_or_after
from shouye.enterprises import demo as district
from shouye.enterprises.choices import OperatingStatus
from shouye.enterprises.models import Industry
from shouye.workcalendar.choices import PeriodRuleAction, SpecialPeriodKind
from shouye.workcalendar.models import WorkCalendarYear
from shouye.workcalendar.package import package_years
from shouye.workcalendar.periods import PeriodInput, RuleInput, declare_special_period
from shouye.workcalendar.services import import_year_from_package

from . import chains, services
from .choices import PermitKind, PermitPersonRole, PermitSource

INDUSTRY = "hazardous_chemicals"
#: Kinds by how often a chemical plant issues them.
KIND_WEIGHTS = {
    PermitKind.HOT_WORK: 40, PermitKind.CONFINED_SPACE: 15, PermitKind.WORK_AT_HEIGHT: 15,
    PermitKind.TEMPORARY_POWER: 10, PermitKind.LIFTING: 8, PermitKind.LINE_BLINDING: 6, PermitKind.EXCAVATION: 4,
    PermitKind.ROAD_CLOSURE: 2,
}
#: Weeks between two permits of one enterprise in the demo.
INTERVAL_WEEKS = (8, 12)
#: Share of permits cancelled before approval; share of hot work that is special (on operating equipment).
CANCELLED_SHARE = 0.05
SPECIAL_HOT_WORK_SHARE = 0.15
#: Enterprises with a permit in progress this morning; pushed permits with problems, per enterprise at most.
LIVE_ENTERPRISES = 6
PUSHED_SHARE = 0.3

PLACES = ("罐区东侧管线", "合成车间二楼平台", "T-101 储罐", "装卸站台", "污水处理站", "循环水泵房", "精馏塔 E-201")
CONTENTS = {
    PermitKind.HOT_WORK: ("更换管线法兰", "焊接支架", "切割旧管道", "补焊罐顶人孔"),
    PermitKind.CONFINED_SPACE: ("清理储罐底泥", "检查换热器管束", "更换塔内填料"),
    PermitKind.WORK_AT_HEIGHT: ("更换照明灯具", "检修管廊阀门", "拆除脚手架"),
    PermitKind.TEMPORARY_POWER: ("检修用临时照明", "临时焊机电源"),
    PermitKind.LIFTING: ("吊装更换机泵", "吊装换热器"),
    PermitKind.LINE_BLINDING: ("检修前加盲板隔离", "检修后抽盲板"),
    PermitKind.EXCAVATION: ("开挖检修地下管线", "电缆沟开挖"),
    PermitKind.ROAD_CLOSURE: ("管廊检修封闭厂内道路",),
}
DETAILS = {
    PermitKind.HOT_WORK: {"method": "电焊", "fire_explosion_area": False},
    PermitKind.CONFINED_SPACE: {"space_name": "T-101 储罐", "original_medium": "甲醇"},
    PermitKind.WORK_AT_HEIGHT: {"height_m": "6.5"},
    PermitKind.TEMPORARY_POWER: {"power_point": "3# 配电箱 15 kW", "voltage": "380 V", "equipment": "电焊机 12 kW"},
    PermitKind.LIFTING: {"rigging": "25 t 汽车吊", "load": "离心泵", "mass_t": "3.2"},
    PermitKind.LINE_BLINDING: {"operation": "insert", "equipment": "进料管线 DN100", "medium": "甲醇",
                               "blind_number": "MB-07"},
    PermitKind.EXCAVATION: {"scope": "长 6 m 宽 1 m 深 1.2 m", "depth_m": "1.2"},
    PermitKind.ROAD_CLOSURE: {"related_units": "储运部、消防队", "reason": "管廊检修", "section": "厂区 2 号路东段"},
}
SPECIAL_HOT_WORK = {"method": "气割", "fire_explosion_area": True, "on_operating_equipment": True}
#: The form's people besides the operator (who must hold a certificate where the form asks for one).
LEADER, WATCHPERSON, OPERATOR = "王建国", "李卫东", "张海涛"
SIGNERS = {"work_leader": LEADER, "commander": "赵起重", "unit": "孙车间", "safety_dept": "周安全",
           "approver": "吴厂长", "shift_leader": "郑班长", "review_dept": "钱设备", "power_user_unit": "孙车间",
           "countersign": "冯会签", "acceptance": "孙车间"}
#: When a day's permit is worked: application two days before at 16:00, then the morning of the day.
WORK_START = time(9, 30)
WORK_HOURS = 3


def _signature_png() -> bytes:
    image = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(15, 75), (100, 20), (190, 80), (280, 25)], fill=(0, 0, 0, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _people(kind: str, day: date) -> list[dict]:
    role = {PermitKind.TEMPORARY_POWER: PermitPersonRole.ELECTRICIAN}.get(kind, PermitPersonRole.OPERATOR)
    certificate = {"certificate_number": "T37011320" + day.strftime("%m%d"),
                   "certificate_issued_on": day - timedelta(days=400)}
    return [{"role": PermitPersonRole.WORK_LEADER, "name": LEADER},
            {"role": PermitPersonRole.WATCHPERSON, "name": WATCHPERSON},
            {"role": role, "name": OPERATOR, **certificate}]


def _gas_test(officer, permit, at: datetime) -> None:
    services.record_gas_test(actor=officer, permit=permit, sampled_at=at - timedelta(minutes=2),
                             sample_point="作业点下风向", representative_gas="甲烷", analyst="化验室刘敏",
                             lel_percent=Decimal("5"), result_percent=Decimal("0.1"), oxygen_percent=Decimal("20.9"))


class _Story:
    """One enterprise's permits, played through the services with the clock at each act's moment."""

    def __init__(self, context, officer, enterprise, rng, png):
        self.context, self.officer, self.enterprise, self.rng, self.png = context, officer, enterprise, rng, png
        self.counts = {"permits": 0, "special hot work": 0, "cancelled": 0, "filed": 0, "in progress now": 0,
                       "pushed with problems": 0}

    def at(self, when: datetime):
        return self.context.at(when)

    def create(self, kind: str, start: datetime, *, applied: datetime, special: bool = False, **fields):
        details = dict(SPECIAL_HOT_WORK if special else DETAILS[kind])
        with self.at(applied):
            permit = services.create_permit(
                actor=self.officer, enterprise=self.enterprise, kind=kind, applicant_unit="生产运行部",
                work_unit="检维修车间", content=self.rng.choice(CONTENTS[kind]), location=self.rng.choice(PLACES),
                planned_start=start, planned_end=start + timedelta(hours=WORK_HOURS), details=details,
                people=_people(kind, applied.date()), **fields)
            if permit.filing_due_by is not None:
                services.file_permit(actor=self.officer, permit=permit, note="按特殊时期要求报备")
                self.counts["filed"] += 1
        self.counts["permits"] += 1
        self.counts["special hot work"] += permit.grade == "special"
        return permit

    def prepare(self, permit, when: datetime, *, gas: bool = True) -> datetime:
        """Risks, gas, measures and briefing from ``when``; answers the moment after them."""
        with self.at(when):
            services.identify_risks(actor=self.officer, permit=permit, risk_identification="可燃气体泄漏、灼烫、高处坠落")
        when += timedelta(minutes=8)
        if gas and permit.kind in chains.GAS_TEST_KINDS:
            with self.at(when):
                _gas_test(self.officer, permit, when)
            when += timedelta(minutes=3)
        with self.at(when):
            rows = [{"number": m.number, "involved": True, "confirmed_by": WATCHPERSON}
                    for m in permit.measures.filter(is_other=False)]
            services.confirm_measures(actor=self.officer, permit=permit, measures=rows,
                                      other_measures="作业现场设专人警戒", other_author=LEADER)
        when += timedelta(minutes=5)
        with self.at(when):
            services.brief_permit(actor=self.officer, permit=permit, briefed_by=LEADER,
                                  briefed_to=[OPERATOR, WATCHPERSON])
        return when + timedelta(minutes=4)

    def sign_until(self, permit, when: datetime, *, last: str) -> datetime:
        """The chain's signatures in order up to the step that ``last`` names (approves / shift_check)."""
        for step in chains.chain(permit.kind):
            if step.acceptance:
                break
            if step.approves and permit.kind in chains.GAS_TEST_KINDS:
                with self.at(when - timedelta(minutes=1)):
                    _gas_test(self.officer, permit, when - timedelta(minutes=1))
            with self.at(when):
                services.sign_permit(actor=self.officer, permit=permit, step=step.key, name=SIGNERS[step.key],
                                     opinion="同意" if step.approves else "措施落实", image=self.png,
                                     level="plant_head" if step.approves else "",
                                     latitude="36.55" if step.approves else None,
                                     longitude="116.75" if step.approves else None)
            when += timedelta(minutes=2)
            if getattr(step, last):
                break
        return when

    def run_to_work(self, permit, when: datetime) -> datetime:
        when = self.prepare(permit, when)
        last = "shift_check" if any(s.shift_check for s in chains.chain(permit.kind)) else "approves"
        when = max(self.sign_until(permit, when, last=last), permit.planned_start)
        if permit.kind in chains.GAS_TEST_KINDS:
            with self.at(when):
                _gas_test(self.officer, permit, when)
        with self.at(when + timedelta(minutes=1)):
            services.start_work(actor=self.officer, permit=permit)
        return when + timedelta(minutes=1)

    def finish(self, permit, started: datetime, *, special: bool) -> None:
        if permit.kind == PermitKind.HOT_WORK:
            retest = started + timedelta(hours=1)
            with self.at(retest):
                _gas_test(self.officer, permit, retest)
        done = started + timedelta(hours=WORK_HOURS - 1)
        with self.at(done):
            video = special or permit.video_required
            services.accept_permit(actor=self.officer, permit=permit, name=SIGNERS["acceptance"], opinion="完工验收合格",
                                   image=self.png,
                                   video_url=f"https://video.demo.shouye.cn/{permit.number}.mp4" if video else "")
        with self.at(done + timedelta(hours=20)):
            services.archive_permit(actor=self.officer, permit=permit)

    def past_permit(self, day: date, kind: str, period) -> None:
        if period is not None and period[0] <= day <= period[1] and kind == PermitKind.LIFTING:
            kind = PermitKind.WORK_AT_HEIGHT  # prohibited in the period: the enterprise postpones its lifting
        special = kind == PermitKind.HOT_WORK and self.rng.random() < SPECIAL_HOT_WORK_SHARE
        start = moment(day, WORK_START)
        permit = self.create(kind, start, applied=moment(day - timedelta(days=2), time(16, 0)), special=special)
        prepared = start - timedelta(minutes=25)
        if self.rng.random() < CANCELLED_SHARE:
            with self.at(prepared):
                services.cancel_permit(actor=self.officer, permit=permit, reason="生产计划调整，作业取消")
            self.counts["cancelled"] += 1
            return
        started = self.run_to_work(permit, prepared)
        self.finish(permit, started, special=special)

    def pushed(self, day: date) -> None:
        """A special hot-work permit pushed by the enterprise's own system: approved by a base unit without a
        passing gas test, as it was sent."""
        start = moment(day, time(14, 0))
        permit = self.create(PermitKind.HOT_WORK, start, applied=start - timedelta(hours=3), special=True,
                             source=PermitSource.EXTERNAL, number=f"QY-DH-{day:%Y%m%d}")
        when = self.prepare(permit, start - timedelta(minutes=40), gas=False)
        for step in chains.chain(permit.kind):
            if step.acceptance or step.shift_check:
                break
            with self.at(when):
                services.sign_permit(actor=self.officer, permit=permit, act="approve" if step.approves else "sign",
                                     step=step.key, name=SIGNERS[step.key], level="base_unit" if step.approves else "")
            when += timedelta(minutes=2)
        self.counts["pushed with problems"] += 1

    def live(self, now: datetime) -> None:
        """Now: one permit in progress under its watchperson, one prepared and waiting for its signatures."""
        start = now - timedelta(minutes=45)
        kind = self.rng.choice((PermitKind.HOT_WORK, PermitKind.CONFINED_SPACE, PermitKind.WORK_AT_HEIGHT))
        permit = self.create(kind, start, applied=now - timedelta(hours=3))
        self.run_to_work(permit, start - timedelta(minutes=25))
        self.counts["in progress now"] += 1
        waiting = self.create(PermitKind.HOT_WORK, now + timedelta(hours=1), applied=now - timedelta(hours=2))
        self.prepare(waiting, now - timedelta(minutes=30))


def _declare_period(context, staff) -> tuple[date, date] | None:
    """The National Day holiday of the demo's year (1–7 October), when it lies in the year, declared a month
    ahead for the district's chemical enterprises."""
    first = date(context.today.year if context.today >= date(context.today.year, 10, 8) else context.today.year - 1,
                 10, 1)
    last = first + timedelta(days=6)
    declared = first - timedelta(days=30)
    if declared < context.start:
        return None
    with context.at(moment(workday_on_or_after(declared), time(10, 0))):
        declare_special_period(actor=staff, data=PeriodInput(
            name=f"{first.year}年国庆假期安全生产特殊时期", kind=SpecialPeriodKind.HOLIDAY, starts_on=first,
            ends_on=last, industries=(Industry.objects.get(code=INDUSTRY).pk,),
            notice="国庆假期期间从严管控特殊作业：动火作业升级管理，受限空间作业提前24小时报备，禁止吊装作业。",
            rules=(RuleInput(PermitKind.HOT_WORK, PeriodRuleAction.RAISE_GRADE),
                   RuleInput(PermitKind.CONFINED_SPACE, PeriodRuleAction.REQUIRE_FILING, 24),
                   RuleInput(PermitKind.LIFTING, PeriodRuleAction.PROHIBIT))))
    return first, last


def _calendar_years(context, admin) -> set[int]:
    """The years of the demo's span the work calendar knows. The permits' rules read it (GB 30871-2022 5.1.1:
    holidays raise hot work) and refuse a date it does not know, so, as a district's administrator does when it
    starts issuing permits, the years the installed chinese_calendar package knows are entered from it first.
    A year neither knows gets no permit (never a guess)."""
    have = set(WorkCalendarYear.objects.values_list("year", flat=True))
    known = package_years()
    for year in range(context.start.year, context.today.year + 1):
        if year not in have and year in known:
            import_year_from_package(actor=admin, year=year)
            have.add(year)
    return have


def load_permits(context) -> dict[str, int]:
    """The demo step of this app (see the module's docstring)."""
    people = district.people(context)
    years = _calendar_years(context, people.admin)
    rng = context.rng("permits")
    png = _signature_png()
    period = _declare_period(context, people.staff)
    kinds, weights = zip(*KIND_WEIGHTS.items(), strict=True)
    now = timezone.now()
    live_today = context.today == timezone.localdate(now)
    totals: dict[str, int] = {"special periods": int(period is not None)}
    live_left = LIVE_ENTERPRISES
    for enterprise in context.enterprises:
        if enterprise.industry.code != INDUSTRY or enterprise.status != OperatingStatus.OPERATING:
            continue
        officer = people.enterprise_users.get(enterprise.pk)
        if officer is None:
            continue
        story = _Story(context, officer, enterprise, rng, png)
        day = context.start + timedelta(days=rng.randint(3, 30))
        while day < context.today - timedelta(days=2):
            day = workday_on_or_after(day)
            if day.year in years:
                story.past_permit(day, rng.choices(kinds, weights)[0], period)
            day += timedelta(weeks=rng.randint(*INTERVAL_WEEKS))
        if rng.random() < PUSHED_SHARE:
            pushed_on = workday_on_or_after(context.today - timedelta(days=rng.randint(10, 80)))
            if pushed_on.year in years:
                story.pushed(pushed_on)
        if live_today and live_left and context.today.year in years:
            story.live(now - timedelta(minutes=5))
            live_left -= 1
        for key, value in story.counts.items():
            totals[key] = totals.get(key, 0) + value
    return totals
