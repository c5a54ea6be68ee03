"""One enterprise's dual-prevention data as the national hazardous-chemical dual-prevention data interface names
and codes it (REGULATIONS-2 §A.6 [C2 for codes]), so the bureau feeds the provincial platform without typing
twice. The mapping, field by field, is in ``docs/risk-exchange.md``.

The chain 风险分析对象 (``hazardCode``) → 风险分析单元 → 风险事件 → 管控措施 → 排查任务 → 排查记录 → 隐患 is
``Enterprise`` → ``RiskPoint`` → ``HazardSource`` → ``ControlMeasure`` → ``InvestigationTask`` →
``TaskInstance`` (done) → ``hazards.Hazard`` bound to a measure through its ``TaskCheck``.

Bounded: one enterprise a request; its register (risk units, events, measures, tasks) in full — an enterprise's
own list, a few thousand rows at most — and the check records and bound hazards of the last
:data:`RECORD_DAYS` days, at most :data:`MAX_RECORDS` each, newest first (``truncated`` says when more exist).
A fixed number of queries (eight) whatever the enterprise's size."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from shouye.hazards.choices import (
    INVESTIGATION_TYPE_CODES,
    HazardCategory,
    HazardLevel,
    HazardSource,
    HazardState,
)
from shouye.hazards.models import Hazard

from .choices import RISK_LEVEL_CODES, CheckOutcome, CycleUnit, InstanceState
from .models import ControlMeasure, InvestigationTask, RiskPoint, TaskInstance
from .models import HazardSource as RiskEvent

#: Days of check records and hazards exported, and the most of each in one answer.
RECORD_DAYS = 90
MAX_RECORDS = 5000
#: checkCycleUnit (§A.6): 小时/天/月/年.
CYCLE_UNITS = {CycleUnit.HOUR: "小时", CycleUnit.DAY: "天", CycleUnit.MONTH: "月", CycleUnit.YEAR: "年"}
#: dangerState (§A.6): 0 整改中, 1 待验收, 9 已验收.
DANGER_STATES = {HazardState.REPORTED: "0", HazardState.RECTIFYING: "0", HazardState.SUBMITTED: "1",
                 HazardState.CLOSED: "9"}
#: dangerLevel (§A.6): 0 一般, 1 重大.
DANGER_LEVELS = {HazardLevel.ORDINARY: "0", HazardLevel.MAJOR: "1"}
#: managementClassification (§A.6): 1 人的不安全行为, 2 物的不安全状态, 3 管理上的缺陷; the platform's fourth
#: category (environment) has no code there and is left empty.
MANAGEMENT_CLASSES = {HazardCategory.BEHAVIOUR: "1", HazardCategory.THINGS: "2", HazardCategory.MANAGEMENT: "3"}
#: hazardDangerType (§A.6: 1 安全 … 8 其他): the platform does not class hazards by specialty, so 8 其他.
HAZARD_DANGER_TYPE_OTHER = "8"
#: dangerSrc (§A.6, the ten investigation types of §A.5 in order) of a hazard whose investigation type is not
#: recorded, by its source: an expert's inspection is 外聘专家诊断式排查, anything else 其他.
SOURCE_TYPES = {HazardSource.EXPERT_INSPECTION: "expert_diagnosis", HazardSource.MEASURE_FAILED: "measure_failed"}
#: checkStatus: the interface's code values were not seen (REGULATIONS-2 §A.6 lists the field only) [U]:
#: 0 every measure checked was OK, 1 one or more was not.
CHECK_OK, CHECK_NOT_OK = "0", "1"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _time(moment: datetime | None) -> str | None:
    """``yyyy-MM-dd HH:mm:ss`` in the bureau's time zone (Asia/Shanghai), as the interface writes times."""
    return timezone.localtime(moment).strftime(TIME_FORMAT) if moment is not None else None


def _day_end(day: date | None) -> str | None:
    """A deadline (a whole day) as the interface's time: the end of that day."""
    return datetime.combine(day, time(23, 59, 59)).strftime(TIME_FORMAT) if day is not None else None


def _danger_src(hazard: Hazard) -> str:
    """dangerSrc: the hazard's investigation type when it has one (a hazard from a failed check carries its
    task's), else by its source."""
    kind = hazard.investigation_type or SOURCE_TYPES.get(hazard.source, "other")
    return INVESTIGATION_TYPE_CODES[kind]


def enterprise_data(user, enterprise) -> dict:
    """The enterprise's data in the interface's objects (see the module's docstring); ``user`` sees it."""
    now = timezone.now()
    since = now - timedelta(days=RECORD_DAYS)
    code = enterprise.credit_code
    points = list(RiskPoint.objects.visible_to(user).filter(enterprise=enterprise, is_active=True)
                  .order_by("code", "id").values("id", "code", "name", "department", "responsible_person", "grade"))
    units = [{"riskUnitId": str(p["id"]), "hazardCode": code, "riskUnitCode": p["code"], "riskUnitName": p["name"],
              "hazardDep": p["department"], "hazardLiablePerson": p["responsible_person"],
              "riskLevel": RISK_LEVEL_CODES.get(p["grade"])} for p in points]
    events = [{"riskEventId": str(e["id"]), "riskUnitId": str(e["risk_point_id"]), "riskEventName": e["name"],
               "riskEventStep": e["step_or_item"], "riskLevel": RISK_LEVEL_CODES.get(e["grade"])}
              for e in RiskEvent.objects.visible_to(user).filter(risk_point__enterprise=enterprise,
                                                                 risk_point__is_active=True)
              .order_by("risk_point_id", "order", "id")
              .values("id", "risk_point_id", "name", "step_or_item", "grade")]
    measures = [{"riskMeasureId": str(m["id"]), "riskEventId": str(m["hazard_source_id"]), "dataSrc": m["data_source"],
                 "riskMeasureDesc": m["description"], "classify1": m["category"], "classify2": m["subcategory"],
                 "classify3": m["own_category"], "troubleshootContent": m["check_content"]}
                for m in ControlMeasure.objects.visible_to(user)
                .filter(hazard_source__risk_point__enterprise=enterprise, hazard_source__risk_point__is_active=True,
                        is_active=True)
                .order_by("hazard_source_id", "order", "id")
                .values("id", "hazard_source_id", "data_source", "description", "category", "subcategory",
                        "own_category", "check_content")]
    tasks = (InvestigationTask.objects.visible_to(user).filter(enterprise=enterprise, is_active=True)
             .prefetch_related("measures").order_by("id"))
    check_tasks = [{
        "checkTaskId": str(t.pk), "riskUnitId": str(t.risk_point_id) if t.risk_point_id else None,
        "riskMeasureIds": [str(m.pk) for m in t.measures.all()], "taskName": t.title,
        "checkCycle": t.cycle, "checkCycleUnit": CYCLE_UNITS[t.cycle_unit], "taskStartTime": _time(t.starts_at),
        "workStartTime": t.work_start.strftime("%H:%M:%S") if t.work_start else None,
        "workEndTime": t.work_end.strftime("%H:%M:%S") if t.work_end else None,
        "workDayType": t.work_day_type, "workType": t.work_type, "taskNum": t.task_number,
        "dangerSrc": INVESTIGATION_TYPE_CODES[t.investigation_type],
    } for t in tasks]
    instances = (TaskInstance.objects.visible_to(user)
                 .filter(enterprise=enterprise, state=InstanceState.DONE, done_at__gte=since)
                 .annotate(not_ok=Count("checks", filter=Q(checks__outcome=CheckOutcome.NOT_OK)))
                 .order_by("-done_at", "-id")
                 .values("id", "task_id", "done_at", "done_by__display_name", "done_by__username",
                         "task__risk_point__name", "task__work_type", "not_ok")[:MAX_RECORDS + 1])
    instances = list(instances)
    records = [{
        "checkRecordId": str(i["id"]), "checkTaskId": str(i["task_id"]), "checkTime": _time(i["done_at"]),
        "hazardLiablePerson": i["done_by__display_name"] or i["done_by__username"] or "",
        "riskUnitName": i["task__risk_point__name"] or "", "isDefend": "0" if i["task__work_type"] == "0" else "1",
        "checkStatus": CHECK_NOT_OK if i["not_ok"] else CHECK_OK,
    } for i in instances[:MAX_RECORDS]]
    bound = list(Hazard.objects.visible_to(user)
                 .filter(enterprise=enterprise, investigation_check__isnull=False, found_at__gte=since)
                 .select_related("investigation_check__instance__task", "reinspected_by")
                 .order_by("-found_at", "-id")[:MAX_RECORDS + 1])
    hazards = [_hazard(hazard) for hazard in bound[:MAX_RECORDS]]
    return {
        "hazardCode": code, "companyName": enterprise.name, "exportTime": _time(now),
        "recordsSince": _time(since),
        "riskUnits": units, "riskEvents": events, "controlMeasures": measures, "checkTasks": check_tasks,
        "checkRecords": records, "hiddenDangers": hazards,
        "truncated": {"checkRecords": len(instances) > MAX_RECORDS, "hiddenDangers": len(bound) > MAX_RECORDS},
    }


def _hazard(hazard: Hazard) -> dict:
    check = hazard.investigation_check
    reviewer = hazard.reinspected_by
    return {
        "dangerId": str(hazard.pk), "riskMeasureId": str(check.measure_id or ""), "checkRecordId": str(check.instance_id),
        "dangerName": hazard.description[:50], "dangerLevel": DANGER_LEVELS[hazard.level],
        "registTime": _time(hazard.found_at), "registrant": hazard.found_by_name,
        "dangerSrc": _danger_src(hazard),
        # 即查即改: closed without a rectification deadline (closed on the spot); otherwise 限期整改.
        "dangerManageType": "0" if hazard.deadline is None and hazard.state == HazardState.CLOSED else "1",
        "hazardDangerType": HAZARD_DANGER_TYPE_OTHER, "dangerDesc": hazard.description, "dangerReason": "",
        "hazardCategory": check.instance.task.work_type, "controlMeasures": hazard.measures,
        "cost": str(hazard.funds) if hazard.funds is not None else None,
        "liablePerson": hazard.responsible_person, "dangerManageDeadline": _day_end(hazard.deadline),
        "checkAcceptPerson": (reviewer.display_name or reviewer.username) if reviewer else None,
        "checkAcceptTime": _time(hazard.reinspected_at), "checkAcceptComment": hazard.reinspection_result,
        "dangerState": DANGER_STATES[hazard.state],
        "managementClassification": MANAGEMENT_CLASSES.get(hazard.category, ""), "deleted": "0",
    }


#: The OpenAPI example: one unit with one event, measure, task, record and bound hazard.
EXAMPLE = {
    "hazardCode": "91370113MA3C4XYZ1Q", "companyName": "马山示例化工有限公司", "exportTime": "2026-12-06 10:00:00",
    "recordsSince": "2026-09-07 10:00:00",
    "riskUnits": [{"riskUnitId": "12", "hazardCode": "91370113MA3C4XYZ1Q", "riskUnitCode": "FX-001",
                   "riskUnitName": "液氨储罐区", "hazardDep": "储运车间", "hazardLiablePerson": "王五", "riskLevel": "1"}],
    "riskEvents": [{"riskEventId": "31", "riskUnitId": "12", "riskEventName": "储罐超压泄漏",
                    "riskEventStep": "储罐", "riskLevel": "1"}],
    "controlMeasures": [{"riskMeasureId": "77", "riskEventId": "31", "dataSrc": "2", "riskMeasureDesc": "压力高高联锁",
                         "classify1": "1", "classify2": "1-4", "classify3": "", "troubleshootContent": "联锁是否投用"}],
    "checkTasks": [{"checkTaskId": "5", "riskUnitId": "12", "riskMeasureIds": ["77"], "taskName": "储罐区巡检",
                    "checkCycle": 2, "checkCycleUnit": "小时", "taskStartTime": "2026-01-01 08:00:00",
                    "workStartTime": "08:00:00", "workEndTime": "18:00:00", "workDayType": "0", "workType": "0",
                    "taskNum": None, "dangerSrc": "1"}],
    "checkRecords": [{"checkRecordId": "901", "checkTaskId": "5", "checkTime": "2026-12-05 10:12:00",
                      "hazardLiablePerson": "赵六", "riskUnitName": "液氨储罐区", "isDefend": "0", "checkStatus": "1"}],
    "hiddenDangers": [{"dangerId": "4410", "riskMeasureId": "77", "checkRecordId": "901",
                       "dangerName": "压力高高联锁未投用", "dangerLevel": "0", "registTime": "2026-12-05 10:12:00",
                       "registrant": "赵六", "dangerSrc": "9", "dangerManageType": "1", "hazardDangerType": "8",
                       "dangerDesc": "压力高高联锁未投用", "dangerReason": "", "hazardCategory": "0",
                       "controlMeasures": "恢复联锁投用", "cost": None, "liablePerson": "王五",
                       "dangerManageDeadline": "2026-12-08 23:59:59", "checkAcceptPerson": None,
                       "checkAcceptTime": None, "checkAcceptComment": "", "dangerState": "0",
                       "managementClassification": "2", "deleted": "0"}],
    "truncated": {"checkRecords": False, "hiddenDangers": False},
}
