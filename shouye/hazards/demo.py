"""The hazards' demo step (``shouye demo``, registered in HazardsConfig.ready()): a year of hazard work
through the services the enterprises, officers, experts and the public use. It runs after the inspections'
step, whose inspections found hazards, ordered most of them rectified and left the major ones reported.

- Enterprises report hazards from their own inspections; the township officer orders them rectified.
- The public sends tip-offs; the bureau's staff accept them as hazards (writing the description) or dismiss
  them a few working days later; the latest are still waiting.
- Major hazards get their governance plan (by the enterprise), listed supervision (by the bureau) and a long
  deadline; once rectified, the expert verifies and the bureau re-inspects and closes them out.
- Every hazard ordered rectified then follows one of a few fates, dealt like cards so that a small demo shows
  each of them: rectified in time, late, after an extension (or a refused one), after a failed re-inspection,
  or never (overdue). The township officer re-inspects what is submitted; what falls after "yesterday" stays
  undone, so the demo ends with hazards in every state.
- The daily deadline job runs every night of the year, as Celery beat runs it: it marks overdue hazards,
  escalates them to the bureau and reminds enterprises of deadlines (the notifications follow from it and
  from the acts).

All of it runs at its moment of the past year (``shouye.core.demo``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from shouye.core.demo import (
    Agenda,
    is_workday,
    moment,
    office_moment,
    photo,
    workday_on_or_after,
    workdays_after,
)
from shouye.enterprises import demo as district
from shouye.enterprises.choices import OperatingStatus

from . import services
from .choices import HazardCategory, HazardLevel, HazardSource, HazardState
from .models import Extension, GovernancePlan, Hazard, TipOff

#: The fates of a hazard ordered rectified, dealt from shuffled decks of this make-up.
FATES = {"in_time": 11, "late": 2, "extension": 2, "refused_extension": 1, "rejected": 2, "never": 2}
#: A hazard is left unrectified ("never") only when its deadline is this recent; an older one is rectified late
#: instead, as a hazard overdue for months would long have been enforced.
NEVER_WITHIN = timedelta(days=45)
#: The enterprise account's hazards found this recently were submitted yesterday and wait for re-inspection
#: (the township officer's workbench shows them).
AWAITING_WITHIN = timedelta(days=20)
#: Enterprises' own reports and tip-offs per enterprise and year.
SELF_REPORT_SHARE = 0.2
TIP_OFF_SHARE = 0.08
#: Major hazards the expert reports, found this many days before today (besides those inspections find), so
#: that even a small demo has major hazards closed out, some being rectified, and the latest still reported
#: while its governance plan is written.
MAJOR_DAYS_AGO = (290, 150, 70, 40, 2)
#: The major hazard found this many days ago is rectified and submitted on the last working day, so the expert's
#: workbench has a verification (复核) waiting: a major hazard is closed out only after an expert's passed
#: verification given after its latest submission (``services.governance.ensure_expert_passed``).
MAJOR_AWAITING_EXPERT = 40

SELF_REPORTS = {
    HazardCategory.THINGS: ["二号车间砂轮机防护罩缺失", "配电箱门损坏，线路裸露", "仓库灭火器压力不足",
                            "厂区消防通道被车辆占用", "二楼安全出口指示灯损坏", "叉车制动不良仍在使用"],
    HazardCategory.BEHAVIOUR: ["员工在禁烟区域吸烟", "登高作业未系安全带", "外来施工人员未佩戴安全帽"],
    HazardCategory.MANAGEMENT: ["有限空间作业审批记录不全", "新员工三级安全教育记录缺失", "应急预案未按期修订"],
}
LOCATIONS = ["一号车间", "二号车间", "仓库", "配电室", "厂区道路", "办公楼", "食堂", "装卸区"]
TIP_OFFS = [
    "夜里有工人在车间里电焊，旁边堆着很多纸箱", "仓库门口堆了很多油桶，还有人在旁边抽烟",
    "工地塔吊干活的时候下面没人看着，人来人往", "厂子里这几天有很大的刺鼻气味，晚上更重",
    "楼下门店在门厅里给电动车充电，堵着楼道", "饭店后厨的液化气罐放在楼梯间里",
    "厂房里工人干活都不戴安全帽，也没人管", "消防通道被货车长期占着，出不去车",
]
UNREGISTERED_PLACES = [("无名小作坊", "演示村东头平房"), ("路边废品收购站", "演示路与新华路交叉口"),
                       ("出租屋内加工点", "演示小区7号楼地下室")]
DISMISS_REASONS = ["经现场核查，举报情况不属实，该单位现场未发现所反映问题。",
                   "经核查，该场所不属于安全生产监管对象，已转交属地街镇和相关部门处理。"]
MAJOR_FINDINGS = {
    "hazardous_chemicals": ["构成二级重大危险源的罐区未配备独立的安全仪表系统",
                            "涉及重点监管危险化工工艺的装置未实现自动化控制，紧急停车系统未投用",
                            "液化烃储罐区可燃气体检测报警装置大面积失效"],
    "non_coal_mines": ["采场东侧高陡边坡出现贯通裂缝，存在滑坡危险", "未按设计分台阶开采，形成高陡边坡"],
    "urban_gas": ["液化石油气储罐安全阀失效未及时更换", "储配站内燃气管道穿越人员密集的生活区"],
}
GOVERNANCE_PLAN = {
    "objectives": "彻底消除该重大事故隐患，恢复设施安全可靠运行，杜绝同类问题再次发生。",
    "methods": "委托有资质单位设计整改方案，分区停用、施工改造，改造期间落实专人监护和临时管控措施。",
    "funds_and_materials": "企业自筹整改资金，采购所需设备材料并专款专用。",
    "organisation": "主要负责人任组长，安全总监具体负责，设备、生产部门负责人分工落实。",
    "time_limit": "按责令整改期限完成全部整改，每周向属地应急办报告整改进展。",
    "safety_measures": "整改期间停用相关装置，设置警戒区域，配备应急物资，修订专项应急预案并组织演练。",
}
SUBMIT_NOTES = ["已按要求完成整改，附整改后照片", "问题已整改到位，相关人员已完成培训", "已更换合格设施并建立巡查台账"]
VERIFY_NOTES = ["现场复查，整改到位，同意销号", "经复查，隐患已消除", "复查合格"]
REJECT_REASONS = ["复查发现整改不彻底，仍有部分问题未落实", "整改照片与现场不符，请重新整改"]
EXTENSION_REASONS = ["所需设备需厂家定制，到货周期较长", "整改涉及停产检修，需与生产计划衔接"]
REFUSAL_NOTES = ["整改内容简单，期限内可以完成，不予延期"]


@dataclass
class Story:
    """One hazard's story: set when the hazard exists (an act may create it later), with the deadline its
    order to rectify gave."""

    enterprise_id: int
    hazard: Hazard | None = None
    fate: str | None = None
    extension: Extension | None = None


class HazardYear:
    """The step's state while the agenda plays."""

    def __init__(self, context):
        self.context = context
        self.people = district.people(context)
        self.rng = context.rng("hazards")
        self.agenda = Agenda(context)
        self.counts = Counter()
        self.fates: list[str] = []
        self.operating = [e for e in context.enterprises if e.status == OperatingStatus.OPERATING]
        self.workdays = [day for day in context.past_days() if is_workday(day)]
        qiye = next(pk for pk, user in self.people.enterprise_users.items() if user.username == "qiye")
        self.qiye_enterprise = next(e for e in context.enterprises if e.pk == qiye)
        #: The bureau's deputy director answerable for listed major hazards.
        self.leader_name = district.person_name(context.rng("hazards:leader"))

    # --- helpers ----------------------------------------------------------------------------------------

    def fate(self) -> str:
        if not self.fates:
            deck = [fate for fate, n in FATES.items() for _ in range(n)]
            self.rng.shuffle(deck)
            self.fates = deck
        return self.fates.pop()

    def at_office(self, day: date) -> datetime | None:
        """A moment in office hours of the first working day on or after ``day``, or None when that is the
        demo's today or later (it has not happened yet)."""
        day = workday_on_or_after(day)
        return office_moment(self.rng, day) if day < self.context.today else None

    def later(self, when: datetime, workdays: int) -> datetime | None:
        """A moment in office hours ``workdays`` working days after ``when`` (None: not yet happened)."""
        return self.at_office(workdays_after(when.date(), workdays))

    def on(self, when: datetime | None, act) -> bool:
        if when is None:
            return False
        self.agenda.add(when, act)
        return True

    def enterprise_user(self, story: Story):
        return self.people.enterprise_users[story.enterprise_id]

    def officer(self, story: Story):
        return self.people.township_officers[story.hazard.township_id]

    # --- the rectification loop -------------------------------------------------------------------------

    def order(self, story: Story) -> None:
        """The township officer's order to rectify (reported → rectifying), then the hazard's fate."""
        rng = self.rng
        deadline = timezone.localdate() + timedelta(days=rng.choice([10, 15, 20, 30]))
        services.assign_rectification(actor=self.officer(story), hazard=story.hazard, deadline=deadline,
                                      responsible_person=self.enterprise_user(story).display_name,
                                      measures="按整改要求落实整改措施，明确专人负责，整改完成后报请复查。")
        self.counts["rectifications ordered"] += 1
        self.follow(story, timezone.now(), deadline)

    def follow(self, story: Story, ordered: datetime, deadline: date) -> None:
        """Schedule what the hazard's fate makes of the order to rectify given at ``ordered``."""
        fate = story.fate or self.fate()
        rng = self.rng
        if fate == "never" and deadline >= self.context.today - NEVER_WITHIN:
            return
        if fate == "never":
            fate = "late"
        if fate == "awaiting":
            last = self.workdays[-1]
            self.on(office_moment(rng, last) if last > ordered.date() else None, lambda: self.submit(story))
            return
        earliest = ordered
        if fate in ("extension", "refused_extension"):
            asked = self.at_office(max(ordered.date(), deadline - timedelta(days=rng.randint(2, 4))))
            if asked is not None and asked <= ordered:
                asked = self.later(ordered, 1)
            if asked is None:
                fate = "in_time"
            else:
                requested = deadline + timedelta(days=rng.choice([15, 20, 30]))
                approve = fate == "extension"
                self.on(asked, lambda: self.request_extension(story, requested))
                decided = self.later(asked, 1)
                if decided is None:
                    return
                self.on(decided, lambda: self.decide_extension(story, approve))
                earliest = decided
                deadline = requested if approve else deadline
                fate = "in_time" if approve else "late"
        span = max(1, (deadline - ordered.date()).days)
        if fate == "late":
            day = deadline + timedelta(days=rng.randint(2, 30))
        else:
            day = ordered.date() + timedelta(days=max(1, int(span * rng.uniform(0.3, 0.95))))
        submitted = self.at_office(max(day, earliest.date() + timedelta(days=1)))
        self.on(submitted, lambda: self.submit(story, rejected=fate == "rejected"))

    def request_extension(self, story: Story, requested: date) -> None:
        story.extension = services.request_extension(
            actor=self.enterprise_user(story), hazard=story.hazard, requested_deadline=requested,
            reason=self.rng.choice(EXTENSION_REASONS))
        self.counts["extensions requested"] += 1

    def decide_extension(self, story: Story, approved: bool) -> None:
        services.approve_extension(actor=self.officer(story), extension=story.extension, approved=approved,
                                   note="" if approved else self.rng.choice(REFUSAL_NOTES))
        self.counts["extensions approved" if approved else "extensions refused"] += 1

    def submit(self, story: Story, rejected: bool = False) -> None:
        story.hazard = services.submit_rectification(actor=self.enterprise_user(story), hazard=story.hazard,
                                                     note=self.rng.choice(SUBMIT_NOTES),
                                                     photos=[photo(self.rng, "after")])
        self.counts["rectifications submitted"] += 1
        now = timezone.now()
        if story.hazard.level == HazardLevel.MAJOR:
            self.on(self.later(now, self.rng.randint(2, 5)), lambda: self.expert_verify(story))
        else:
            self.on(self.later(now, self.rng.randint(1, 4)), lambda: self.reinspect(story, rejected))

    def expert_verify(self, story: Story) -> None:
        services.expert_verify(actor=self.people.expert, hazard=story.hazard, passed=True,
                               opinion="经现场核查，重大事故隐患治理措施已落实，整改效果符合要求。")
        self.counts["expert verifications"] += 1
        self.on(self.later(timezone.now(), self.rng.randint(1, 3)), lambda: self.reinspect(story, False))

    def reinspect(self, story: Story, rejected: bool) -> None:
        actor = self.people.staff if story.hazard.level == HazardLevel.MAJOR else self.officer(story)
        if rejected:
            story.hazard = services.reject_rectification(actor=actor, hazard=story.hazard,
                                                         reason=self.rng.choice(REJECT_REASONS))
            self.counts["rectifications rejected"] += 1
            self.on(self.later(timezone.now(), self.rng.randint(2, 5)), lambda: self.submit(story))
            return
        story.hazard = services.verify_rectification(actor=actor, hazard=story.hazard, passed=True,
                                                     note=self.rng.choice(VERIFY_NOTES))
        self.counts["closed out"] += 1

    # --- where hazards come from ------------------------------------------------------------------------

    def follow_inspections(self) -> None:
        """Hazards the inspections found: those ordered rectified follow their fate; ordinary ones left
        reported are ordered by the township officer, major ones go through governance."""
        found = Hazard.objects.filter(state__in=(HazardState.REPORTED, HazardState.RECTIFYING)).order_by("found_at",
                                                                                                          "id")
        awaiting = self.context.today - AWAITING_WITHIN
        for hazard in found:
            story = Story(enterprise_id=hazard.enterprise_id, hazard=hazard)
            if hazard.enterprise_id == self.qiye_enterprise.pk and hazard.found_at.date() >= awaiting:
                story.fate = "awaiting"
            if hazard.state == HazardState.RECTIFYING:
                self.follow(story, hazard.found_at + timedelta(hours=2), hazard.deadline)
            elif hazard.level == HazardLevel.MAJOR:
                self.govern(story, hazard.found_at)
            else:
                self.on(self.later(hazard.found_at, 1), lambda s=story: self.order(s))

    def self_reports(self) -> None:
        """Enterprises' own reports through the year, two in the last days (the latest, from the township of
        the second township account, still waits for its order), and two of the enterprise account's, never
        rectified: one overdue, one due soon."""
        rng = self.context.rng("hazards:self-reports")
        count = round(len(self.operating) * SELF_REPORT_SHARE)
        days = sorted(rng.choice(self.workdays) for _ in range(count))
        days += self.workdays[-2:]
        second = next(region for username, _, _, region in district.ACCOUNTS if username == "xiaoli")
        latest = [e for e in self.operating if e.township.code == second] or self.operating
        for n, day in enumerate(days, start=1):
            enterprise = rng.choice(latest if n == len(days) else self.operating)
            self.agenda.add(office_moment(rng, day), lambda e=enterprise: self.self_report(e))
        enterprise = self.qiye_enterprise
        for days_ago in (40, 12):
            day = workday_on_or_after(self.context.today - timedelta(days=days_ago))
            self.agenda.add(office_moment(rng, day), lambda e=enterprise: self.self_report(e, fate="never"))

    def self_report(self, enterprise, fate: str | None = None) -> None:
        rng = self.rng
        category = rng.choice(list(SELF_REPORTS))
        story = Story(enterprise_id=enterprise.pk, fate=fate)
        story.hazard = services.report_hazard(
            actor=self.enterprise_user(story), enterprise=enterprise, description=rng.choice(SELF_REPORTS[category]),
            source=HazardSource.SELF_INSPECTION, category=category, location=rng.choice(LOCATIONS),
            photos=[photo(rng, "before")] if rng.random() < 0.5 else ())
        self.counts["self-inspection reports"] += 1
        self.on(self.later(timezone.now(), rng.randint(1, 3)), lambda: self.order(story))

    def tip_offs(self) -> None:
        """Tip-offs through the year at any hour, and two in the last days still waiting for triage."""
        rng = self.context.rng("hazards:tip-offs")
        count = max(4, round(len(self.context.enterprises) * TIP_OFF_SHARE))
        days = sorted(rng.choice(self.context.past_days()) for _ in range(count))
        days += [self.context.today - timedelta(days=2), self.context.today - timedelta(days=1)]
        decisions = ["accept", "accept", "dismiss"]
        for n, day in enumerate(days):
            when = moment(day, time(rng.randint(7, 21), rng.randint(0, 59)))
            registered = rng.random() < 0.8
            enterprise = rng.choice(self.operating)
            self.agenda.add(when, lambda e=enterprise, r=registered, d=decisions[n % 3]: self.tip_off(e, r, d))

    def tip_off(self, enterprise, registered: bool, decision: str) -> None:
        rng = self.rng
        if registered:
            name, township, address = enterprise.name, enterprise.township, enterprise.address
        else:
            place, street = rng.choice(UNREGISTERED_PLACES)
            name, township, address = place, enterprise.township, f"济南市长清区{enterprise.township.name}{street}"
        reporter = district.person_name(rng) if rng.random() < 0.5 else ""
        tip_off = services.submit_tip_off(
            data={"enterprise_name": name, "township": township, "address": address,
                  "description": rng.choice(TIP_OFFS), "reporter_name": reporter,
                  "reporter_phone": f"139{rng.randint(0, 99999999):08d}" if reporter else ""},
            ip_address=f"112.{rng.randint(1, 254)}.{rng.randint(1, 254)}.{rng.randint(1, 254)}")
        self.counts["tip-offs"] += 1
        accept = registered and decision == "accept"
        self.on(self.later(timezone.now(), rng.randint(1, 3)),
                lambda: self.triage(tip_off, enterprise if accept else None))

    def triage(self, tip_off: TipOff, enterprise) -> None:
        rng = self.rng
        if enterprise is None:
            services.triage_tip_off(actor=self.people.staff, tip_off=tip_off, accept=False,
                                    dismiss_reason=rng.choice(DISMISS_REASONS))
            self.counts["tip-offs dismissed"] += 1
            return
        tip_off = services.triage_tip_off(
            actor=self.people.staff, tip_off=tip_off, accept=True, enterprise=enterprise,
            description=f"群众举报经现场核实属实：{rng.choice(SELF_REPORTS[HazardCategory.THINGS])}")
        self.counts["tip-offs accepted"] += 1
        story = Story(enterprise_id=enterprise.pk, hazard=tip_off.hazard)
        self.on(self.later(timezone.now(), rng.randint(1, 2)), lambda: self.order(story))

    # --- major hazards ------------------------------------------------------------------------------------

    def majors(self) -> None:
        """Major hazards the expert finds at enterprises it is assigned to, so that even a small demo shows
        each stage of their governance."""
        rng = self.context.rng("hazards:majors")
        expert_scope = [e for e in self.operating if e.industry.code in MAJOR_FINDINGS]
        if not expert_scope:
            return
        for days_ago in MAJOR_DAYS_AGO:
            day = self.context.today - timedelta(days=days_ago)
            while not is_workday(day):
                day -= timedelta(days=1)
            enterprise = rng.choice(expert_scope)
            fate = "awaiting" if days_ago == MAJOR_AWAITING_EXPERT else None
            self.agenda.add(office_moment(rng, day), lambda e=enterprise, f=fate: self.major_found(e, f))

    def major_found(self, enterprise, fate: str | None = None) -> None:
        story = Story(enterprise_id=enterprise.pk, fate=fate)
        story.hazard = services.report_hazard(
            actor=self.people.expert, enterprise=enterprise, source=HazardSource.EXPERT_INSPECTION,
            level=HazardLevel.MAJOR, description=self.rng.choice(MAJOR_FINDINGS[enterprise.industry.code]),
            location=self.rng.choice(["储罐区", "生产装置区", "采场", "储配站"]), photos=[photo(self.rng, "before")])
        self.counts["major hazards reported by the expert"] += 1
        self.govern(story, timezone.now())

    def govern(self, story: Story, found: datetime) -> None:
        """The governance plan (in two sittings), listed supervision, then the order with a long deadline."""
        rng = self.rng
        first = self.later(found, rng.randint(1, 2))
        second = first and self.later(first, rng.randint(1, 3))
        listed = self.later(found, rng.randint(2, 4))
        parts = list(GOVERNANCE_PLAN)
        self.on(first, lambda: self.plan(story, parts[:3]))
        self.on(second, lambda: self.plan(story, parts[3:]))
        self.on(listed, lambda: self.list_major(story))
        if second and listed:
            self.on(self.later(max(second, listed), 1), lambda: self.order_major(story))

    def plan(self, story: Story, parts: list[str]) -> None:
        services.save_governance_plan(actor=self.enterprise_user(story), hazard=story.hazard,
                                      **{part: GOVERNANCE_PLAN[part] for part in parts})
        if not GovernancePlan.objects.get(hazard=story.hazard).missing_parts():
            self.counts["governance plans"] += 1

    def list_major(self, story: Story) -> None:
        year = timezone.localdate().year
        self.counts["listed supervisions"] += 1
        services.list_for_supervision(actor=self.people.staff, hazard=story.hazard,
                                      supervising_leader=f"{self.leader_name}（区应急局副局长）",
                                      document_number=f"长应急督〔{year}〕{self.counts['listed supervisions']}号")

    def order_major(self, story: Story) -> None:
        deadline = timezone.localdate() + timedelta(days=self.rng.choice([45, 60, 90]))
        services.assign_rectification(actor=self.people.staff, hazard=story.hazard, deadline=deadline,
                                      responsible_person=self.enterprise_user(story).display_name,
                                      measures="按经审定的重大事故隐患治理方案组织实施，整改期间落实临时管控措施。")
        self.counts["rectifications ordered"] += 1
        story.fate = story.fate or "in_time"
        self.follow(story, timezone.now(), deadline)


    # --- the nightly job ----------------------------------------------------------------------------------

    def nights(self) -> None:
        for day in self.context.past_days():
            self.agenda.add(moment(day, time(1, 0)), lambda d=day: self.night(d))

    def night(self, day: date) -> None:
        """The daily job, on the nights it has something new to do (it is idempotent: a night it would leave
        everything as it was is skipped, sparing the demo its checks of every notification already sent)."""
        escalate = day - timedelta(days=settings.SHOUYE_HAZARD_ESCALATE_AFTER_DAYS)
        remind = day + timedelta(days=settings.SHOUYE_HAZARD_REMINDER_DAYS)
        due = (Q(deadline__lt=day, overdue_since__isnull=True) | Q(deadline__lte=escalate, escalated_at__isnull=True)
               | Q(state=HazardState.RECTIFYING, deadline__in=(day, remind)))
        if not Hazard.objects.filter(due, state__in=(HazardState.REPORTED, HazardState.RECTIFYING)).exists():
            return
        result = services.mark_overdue_and_notify(today=day)
        self.counts["marked overdue"] += result["overdue"]
        self.counts["escalated"] += result["escalated"]


def load_hazards(context) -> dict[str, int]:
    """The demo step of this app (see the module's docstring)."""
    year = HazardYear(context)
    year.follow_inspections()
    year.self_reports()
    year.tip_offs()
    year.majors()
    year.nights()
    year.agenda.play()
    with context.at(min(timezone.now(), moment(context.today, time(1, 0)))):
        services.mark_overdue_and_notify(today=context.today)
    states = Counter(Hazard.objects.values_list("state", flat=True))
    overdue = Hazard.objects.overdue(context.today).count()
    return {**year.counts, **{f"now {state}": states[state] for state in HazardState.values}, "now overdue": overdue}
