"""The inspections' demo step (``shouye demo``, registered in InspectionsConfig.ready()): a year of
inspections following the plans, through the services an officer uses.

- At the start of each year the bureau's staff generate the plans (the number of inspections comes from the
  supervision grade) and assign each: the enforcement squad covering the township for grades C and D and for
  the industries with major hazards, the township officer otherwise.
- The inspections follow the plans through the year (about one in eight is missed, so coverage is not
  perfect); the department of construction and the expert add inspections of their own. Each records its
  checklist, with findings, locations and photos for the non-compliant items, and finishing turns those into
  hazards (the hazards app's service).
- On the spot the inspectors close some ordinary hazards at once (with a photo) and order the others
  rectified by a deadline, issuing the rectification order; enforcement inspections also issue their record.
  Major hazards wait for their governance plan (the hazards step).

All of it runs at its moment of the past year (``shouye.core.demo``)."""

from __future__ import annotations

from collections import Counter
from datetime import date, time, timedelta

from django.apps import apps as django_apps
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
from shouye.enterprises.models import Industry
from shouye.hazards import services as hazard_services
from shouye.hazards.choices import HazardCategory, HazardLevel

from . import checklist_library, services
from .choices import DocumentKind, InspectionKind, ItemResult
from .models import Checklist, ChecklistItem, InspectionPlan

#: A checklist the library lacks, added as an administrator would: non-coal mines (露天矿山).
MINE_CHECKLIST = checklist_library.LibraryChecklist(
    code="demo-open-pit-mine",
    name="露天矿山安全检查表（演示）",
    description=f"露天开采非煤矿山日常监督检查表，演示数据。{checklist_library.UNVERIFIED}。",
    industry_code="non_coal_mines",
    items=(
        checklist_library.LibraryItem("主要负责人和安全生产管理人员具备相应的安全生产知识和管理能力，经考核合格。",
                                      f"{checklist_library.SAFETY_LAW}第二十七条",
                                      category=checklist_library.MANAGEMENT),
        checklist_library.LibraryItem("特种作业人员经专门的安全作业培训，取得相应资格后上岗作业。",
                                      f"{checklist_library.SAFETY_LAW}第三十条",
                                      category=checklist_library.MANAGEMENT),
        checklist_library.LibraryItem("按设计分台阶开采，台阶高度、坡面角和安全平台宽度符合设计要求。", "GB 16423"),
        checklist_library.LibraryItem("采场边坡无浮石、伞檐，边坡定期巡查并记录。", "GB 16423"),
        checklist_library.LibraryItem("爆破作业设置警戒范围，警戒人员到位，执行爆破安全规程。", "GB 6722",
                                      category=checklist_library.BEHAVIOUR),
        checklist_library.LibraryItem("运输道路宽度、坡度和安全挡墙符合设计，车辆限速行驶。", "GB 16423"),
        checklist_library.LibraryItem("排土场按设计堆排，设置截排水设施和安全警示标志。", "GB 16423"),
        checklist_library.LibraryItem("安全设备经常性维护、保养，并定期检测，保证正常运转。",
                                      f"{checklist_library.SAFETY_LAW}第三十六条"),
        checklist_library.LibraryItem("制定生产安全事故应急救援预案，并定期组织演练。",
                                      f"{checklist_library.SAFETY_LAW}第八十一条",
                                      category=checklist_library.MANAGEMENT),
    ),
)

#: The checklist an industry is inspected with (a gas station by its own, a chemical plant by the 121
#: criteria in enforcement and expert inspections).
CHECKLISTS = {
    "hazardous_chemicals": "warehouse", "non_coal_mines": MINE_CHECKLIST.code, "industry_trade": "warehouse",
    "construction": "construction-site", "transport": "warehouse", "special_equipment": "warehouse",
    "schools": "school", "care_homes": "care-home", "hospitals": "crowded-place", "urban_gas": "gas-station",
    "crowded_places": "crowded-place",
}
CHEMICAL_CRITERIA = "chemical-major-hazards"
#: Share of items found not met, by supervision grade; the 121 criteria (each a major hazard) far less often.
FAILURE_RATE = {"A": 0.02, "B": 0.03, "C": 0.05, "D": 0.07}
CRITERIA_FAILURE_RATE = {"squad": 0.002, "expert": 0.01}
NOT_APPLICABLE_RATE = 0.03
#: Share of planned inspections carried out; the rest are missed, so coverage is not perfect.
DONE_RATE = 0.8
#: Share of non-compliant items photographed (the hazard's before-photo).
BEFORE_PHOTO_RATE = 0.5
#: Share of ordinary hazards the inspectors see rectified on the spot (立即整改).
ON_THE_SPOT_RATE = 0.3

#: What inspectors write for an item not met, by a word of its requirement; other items keep the drafted
#: "not met: …" of the service.
FINDINGS = {
    "安全出口": ["东侧安全出口堆放纸箱杂物，通道宽度不足", "二楼安全出口门被锁闭"],
    "疏散通道": ["二楼疏散通道被货架占用", "疏散通道堆放电动车和杂物"],
    "消防设施": ["部分灭火器压力不足，检验标签过期", "室内消火栓箱被遮挡，水带缺失"],
    "应急照明": ["三楼疏散指示标志不亮，应急照明灯损坏"],
    "电气线路": ["仓库内私拉临时电线，插线板串接使用"],
    "照明灯具": ["库房内使用非防爆灯具，线路老化"],
    "特种作业": ["一名电焊作业人员未能出示特种作业操作证"],
    "教育培训": ["新入职员工未见安全培训记录"],
    "演练": ["应急预案未按期组织演练，无演练记录"],
    "动火": ["动火作业未办理审批手续，现场无监护人"],
    "防雷": ["防雷防静电检测报告已过期"],
    "安全帽": ["现场两名作业人员未佩戴安全帽"],
    "劳动防护用品": ["装卸人员未按规定佩戴防护手套和安全帽"],
    "脚手架": ["脚手架剪刀撑设置不全，部分连墙件缺失"],
    "临边": ["三层楼板洞口未设置防护盖板"],
    "危险化学品": ["危险化学品与普通物品混放，无专人管理"],
    "电动自行车": ["电动自行车在一楼门厅内充电"],
    "垛距": ["货物堆垛紧贴照明灯具，灯距不足"],
    "边坡": ["采场东侧边坡存在浮石，未见巡查记录"],
    "台阶": ["三号台阶坡面角大于设计值，安全平台宽度不足"],
    "爆破": ["爆破警戒范围未设专人警戒"],
    "液位": ["2号油罐高液位报警装置失灵"],
    "燃气": ["厨房燃气管道使用橡胶软管过长，未设燃气泄漏报警"],
    "责任制": ["安全生产责任制未覆盖全部岗位"],
}
LOCATIONS = {
    "warehouse": ["一号库房", "二号库房", "装卸区", "配电室", "生产车间"],
    "construction-site": ["3号楼施工作业面", "塔吊作业区", "基坑东侧", "生活区", "材料堆场"],
    "school": ["教学楼二楼", "学生宿舍", "实验室", "食堂", "配电室"],
    "care-home": ["一楼走廊", "老人居室", "厨房", "消防控制室", "楼梯间"],
    "crowded-place": ["一楼大厅", "二楼东侧", "消防控制室", "后厨", "地下车库"],
    "gas-station": ["卸油区", "加油区", "油罐区", "站房", "配电室"],
    CHEMICAL_CRITERIA: ["储罐区", "生产装置区", "控制室", "危化品仓库", "装卸站台"],
    MINE_CHECKLIST.code: ["采场东侧边坡", "运输道路", "排土场", "爆破作业区", "破碎站"],
}
MEASURES = {
    HazardCategory.THINGS: "立即停用并修复受损设施，更换不合格部件，整改完成后拍照留存并报复查。",
    HazardCategory.BEHAVIOUR: "对相关人员进行安全教育，现场设专人监督，纳入班组考核。",
    HazardCategory.MANAGEMENT: "完善相关制度和台账，明确责任人，组织全员培训并落实到岗位。",
    HazardCategory.ENVIRONMENT: "清理作业现场，改善通风照明等作业环境，设置警示标志。",
}
#: Documents are PDFs, which take about a second each to render: the demo issues those of its last weeks'
#: inspections (the rectification order when hazards were ordered rectified, the record of an enforcement
#: inspection), up to a handful, and the order the enterprise account receives.
DOCUMENT_DAYS = timedelta(days=30)
MAX_DOCUMENTS = 6
KIND_SUBJECTS = {InspectionKind.ROUTINE: "计划检查", InspectionKind.ENFORCEMENT: "执法检查",
                 InspectionKind.CAMPAIGN: "建筑施工安全专项检查", InspectionKind.EXPERT: "专家“体检式”检查"}
ON_THE_SPOT_NOTES = ["现场立即清理整改完毕，已拍照留存", "已当场更换并恢复正常", "当场纠正，人员已接受教育"]


def _ensure_checklists() -> dict[str, Checklist]:
    """The library (which a flushed test database lacks) and the demo's own mine checklist."""
    checklist_library.load(django_apps)
    if not Checklist.objects.filter(code=MINE_CHECKLIST.code).exists():
        mine = Checklist.objects.create(code=MINE_CHECKLIST.code, name=MINE_CHECKLIST.name,
                                        description=MINE_CHECKLIST.description,
                                        industry=Industry.objects.filter(code="non_coal_mines").first())
        ChecklistItem.objects.bulk_create([
            ChecklistItem(checklist=mine, order=n, text=item.text, legal_basis=item.legal_basis,
                          default_level=item.level, category=item.category)
            for n, item in enumerate(MINE_CHECKLIST.items, start=1)])
    return {checklist.code: checklist for checklist in Checklist.objects.filter(is_active=True)}


def _plan_day(year: int) -> date:
    return workday_on_or_after(date(year, 1, 4))


def plan_years(context) -> list[int]:
    """The years whose plans the demo makes: the current one once its plans are due, and the one before when
    the year of activity covers at least a quarter of it (a plan followed for a few weeks only would show a
    district that neglected its year)."""
    years = []
    first = context.start.year
    if first < context.today.year and (date(first + 1, 1, 1) - context.start).days >= 365 // 4:
        years.append(first)
    if _plan_day(context.today.year) < context.today:
        years.append(context.today.year)
    return years


class InspectionYear:
    """The step's state while the agenda plays: who inspects, the checklists, and what was made."""

    def __init__(self, context):
        self.context = context
        self.people = district.people(context)
        self.rng = context.rng("inspections")
        self.agenda = Agenda(context)
        self.checklists = _ensure_checklists()
        self.counts = Counter()
        self.enterprises = {e.pk: e for e in context.enterprises}

    # --- plans ----------------------------------------------------------------------------------------

    def plan_year(self, year: int) -> None:
        """Generate the year's plans and assign them the next working day; then schedule their inspections."""
        staff = self.people.staff
        self.counts["plans"] += services.generate_plans(actor=staff, year=year)
        plans = list(InspectionPlan.objects.filter(year=year, enterprise__in=self.enterprises)
                     .select_related("enterprise").order_by("enterprise_id"))
        assign_at = moment(workdays_after(_plan_day(year), 1), time(9, 0))
        for n, plan in enumerate(plans):
            self.agenda.add(assign_at + timedelta(seconds=30 * n), lambda plan=plan: self.assign_plan(plan))

    def assign_plan(self, plan: InspectionPlan) -> None:
        enterprise = self.enterprises[plan.enterprise_id]
        by_squad = (enterprise.supervision_grade.code in ("C", "D")
                    or enterprise.industry.code in district.MAJOR_HAZARD_INDUSTRIES) and self.people.squads
        squad = self.people.squads[self.people.squad_of_township[enterprise.township_id]] if by_squad else None
        officer = None if squad else self.people.township_officers[enterprise.township_id]
        unit = self.people.squad_units[self.people.squads.index(squad)] if squad else None
        plan = services.update_plan(actor=self.people.staff, plan=plan, inspections_due=plan.inspections_due,
                                    squad=unit, officer=officer)
        self.counts["plans assigned"] += 1
        for day in self._due_days(plan, after=timezone.localdate()):
            inspectors = squad or [officer]
            kind = (InspectionKind.ENFORCEMENT if squad and self.rng.random() < 0.7 else InspectionKind.ROUTINE)
            self.agenda.add(office_moment(self.rng, day),
                            lambda e=enterprise, i=inspectors, k=kind: self.inspect(e, k, i))

    def _due_days(self, plan: InspectionPlan, after: date) -> list[date]:
        """The plan's inspections spread over its year (none before the day after ``after``, when it was
        assigned); those of the year of activity, less the missed ones."""
        n = plan.inspections_due
        days = []
        for k in range(n):
            offset = (k + self.rng.uniform(0.15, 0.85)) * 365 / n
            day = max(workday_on_or_after(date(plan.year, 1, 1) + timedelta(days=int(offset))),
                      workdays_after(after, 1))
            if self.context.start <= day < self.context.today and self.rng.random() < DONE_RATE:
                days.append(day)
        return days

    # --- an inspection --------------------------------------------------------------------------------

    def checklist_for(self, enterprise, kind: str) -> Checklist:
        tags = {tag.code for tag in enterprise.tags.all()}
        if "gas_station" in tags:
            return self.checklists["gas-station"]
        if enterprise.industry.code == "hazardous_chemicals" and "fireworks" not in tags and kind in (
                InspectionKind.ENFORCEMENT, InspectionKind.EXPERT):
            return self.checklists[CHEMICAL_CRITERIA]
        return self.checklists[CHECKLISTS.get(enterprise.industry.code, "warehouse")]

    def _failure_rate(self, enterprise, checklist: Checklist, kind: str) -> float:
        if checklist.code == CHEMICAL_CRITERIA:
            return CRITERIA_FAILURE_RATE["expert" if kind == InspectionKind.EXPERT else "squad"]
        return FAILURE_RATE.get(enterprise.supervision_grade.code, 0.05)

    def _finding(self, text: str) -> str:
        for word, findings in FINDINGS.items():
            if word in text:
                return self.rng.choice(findings)
        return ""

    def inspect(self, enterprise, kind: str, inspectors: list, experts: tuple = (), must_find: bool = False) -> None:
        """One inspection from start to documents, over an hour or so from now. ``must_find``: at least one
        ordinary hazard, ordered rectified with its rectification order."""
        rng, context = self.rng, self.context
        actor = inspectors[0] if inspectors else experts[0]
        checklist = self.checklist_for(enterprise, kind)
        began = timezone.now()
        inspection = services.start_inspection(
            actor=actor, enterprise=enterprise, kind=kind, inspected_at=began, inspectors=inspectors,
            experts=experts, checklist=checklist, place=enterprise.address,
            subject=f"{began.year}年度{KIND_SUBJECTS.get(kind, '监督检查')}")
        rate = self._failure_rate(enterprise, checklist, kind)
        locations = LOCATIONS.get(checklist.code, ["现场"])
        results, photos = [], {}
        items = list(inspection.items.all())
        forced = next((item for item in items if item.default_level == HazardLevel.ORDINARY), None) if must_find else None
        for item in items:
            draw = rng.random()
            if draw < rate or item is forced:
                results.append({"item": item.pk, "result": ItemResult.NON_COMPLIANT, "location": rng.choice(locations),
                                "finding": self._finding(item.text)})
                if rng.random() < BEFORE_PHOTO_RATE:
                    photos[item.pk] = [photo(rng, "before")]
            elif draw < rate + NOT_APPLICABLE_RATE:
                results.append({"item": item.pk, "result": ItemResult.NOT_APPLICABLE})
            else:
                results.append({"item": item.pk, "result": ItemResult.COMPLIANT})
        with context.at(began + timedelta(minutes=rng.randint(40, 90))):
            services.record_results(actor=actor, inspection=inspection, results=results, photos=photos)
            services.finish_inspection(actor=actor, inspection=inspection)
        self.counts["inspections"] += 1
        found = any(result["result"] == ItemResult.NON_COMPLIANT for result in results)
        hazards = [item.hazard for item in inspection.items.filter(hazard__isnull=False).select_related("hazard")
                   ] if found else []
        self.counts["hazards found"] += len(hazards)
        if not inspectors:
            return
        ordered = []
        deadline = None
        with context.at(began + timedelta(minutes=100)):
            for hazard in hazards:
                if hazard.level == HazardLevel.MAJOR:
                    continue
                if not must_find and rng.random() < ON_THE_SPOT_RATE:
                    hazard_services.close_on_spot(actor=actor, hazard=hazard, note=rng.choice(ON_THE_SPOT_NOTES),
                                                  photos=[photo(rng, "after")])
                    self.counts["closed on the spot"] += 1
                    continue
                deadline = deadline or began.date() + timedelta(days=rng.choice([7, 10, 15, 15, 20, 30]))
                hazard_services.assign_rectification(
                    actor=actor, hazard=hazard, deadline=deadline,
                    responsible_person=self.people.enterprise_users[enterprise.pk].display_name,
                    measures=MEASURES.get(hazard.category, MEASURES[HazardCategory.THINGS]))
                ordered.append(hazard)
            self.counts["rectifications ordered"] += len(ordered)
            recent = began.date() >= context.today - DOCUMENT_DAYS and self.counts["documents"] < MAX_DOCUMENTS
            if ordered and (recent or must_find):
                services.issue_document(actor=actor, inspection=inspection, kind=DocumentKind.RECTIFICATION_ORDER,
                                        deadline=deadline)
                self.counts["documents"] += 1
            if kind == InspectionKind.ENFORCEMENT and recent:
                services.issue_document(actor=actor, inspection=inspection, kind=DocumentKind.INSPECTION_RECORD)
                self.counts["documents"] += 1

    # --- inspections outside the plans ----------------------------------------------------------------

    def schedule_extra(self) -> None:
        """The construction department's campaign inspections of building sites, and the expert's
        inspections of chemical plants against the 121 criteria."""
        operating = [e for e in self.context.enterprises if e.status == OperatingStatus.OPERATING]
        days = [day for day in self.context.past_days() if is_workday(day)]
        for enterprise in operating:
            code = enterprise.industry.code
            tags = {tag.code for tag in enterprise.tags.all()}
            if code == "construction" and self.rng.random() < 0.5:
                self.agenda.add(office_moment(self.rng, self.rng.choice(days)),
                                lambda e=enterprise: self.inspect(e, InspectionKind.CAMPAIGN, [self.people.department]))
            if code == "hazardous_chemicals" and not tags & {"gas_station", "fireworks"} and self.rng.random() < 0.6:
                self.agenda.add(office_moment(self.rng, self.rng.choice(days)),
                                lambda e=enterprise: self.inspect(e, InspectionKind.EXPERT, [],
                                                                  experts=(self.people.expert,)))



def load_inspections(context) -> dict[str, int]:
    """The demo step of this app (see the module's docstring)."""
    year = InspectionYear(context)
    for plan_year in plan_years(context):
        year.agenda.add(moment(_plan_day(plan_year), time(9, 0)), lambda y=plan_year: year.plan_year(y))
    year.schedule_extra()
    qiye = next(pk for pk, user in year.people.enterprise_users.items() if user.username == "qiye")
    enterprise = year.enterprises[qiye]
    year.agenda.add(office_moment(year.rng, workday_on_or_after(context.today - timedelta(days=12))),
                    lambda: year.inspect(enterprise, InspectionKind.ROUTINE,
                                         [year.people.township_officers[enterprise.township_id]], must_find=True))
    year.agenda.play()
    return dict(year.counts)
