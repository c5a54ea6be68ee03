"""Hand-made dual-prevention data for the bureau's tests: rows written directly (test set-up, not business
acts), each stamped from its enterprise."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from shouye.risks.choices import (
    CheckOutcome,
    CycleUnit,
    FactorCategory,
    IdentificationMethod,
    InstanceState,
    MeasureCategory,
    MeasureSubcategory,
    RegisterState,
    RiskPointKind,
)
from shouye.risks.models import (
    ControlMeasure,
    HazardSource,
    InvestigationTask,
    RiskPoint,
    RiskRegister,
    TaskCheck,
    TaskDailyTotal,
    TaskInstance,
)


def local(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def risk_point(enterprise, code, grade, *, is_active=True, **fields) -> RiskPoint:
    return RiskPoint.objects.create(**{
        "code": code, "name": f"风险点{code}", "kind": RiskPointKind.FACILITY, "department": "储运车间",
        "responsible_person": "王五", "grade": grade, "is_active": is_active, **fields,
        "enterprise": enterprise, "township_id": enterprise.township_id, "industry_id": enterprise.industry_id})


def points(enterprise, *grades) -> list[RiskPoint]:
    return [risk_point(enterprise, f"FX-{n:03d}", grade) for n, grade in enumerate(grades, start=1)]


def publish(enterprise) -> RiskRegister:
    return RiskRegister.objects.create(enterprise=enterprise, township_id=enterprise.township_id,
                                       industry_id=enterprise.industry_id, state=RegisterState.PUBLISHED,
                                       version=1, published_at=timezone.now() - timedelta(days=40))


def daily(enterprise, day, *, due=0, done=0, missed=0, last_done_at=None) -> TaskDailyTotal:
    return TaskDailyTotal.objects.create(enterprise=enterprise, township_id=enterprise.township_id,
                                         industry_id=enterprise.industry_id, day=day, due=due, done=done,
                                         missed=missed, last_done_at=last_done_at)


def measure_chain(enterprise, user, *, work_type="0", code="FX-900"):
    """A risk point with one hazard source, one measure and an hourly task over it."""
    point = risk_point(enterprise, code, "high", name="液氨储罐区")
    source = HazardSource.objects.create(risk_point=point, identification_method=IdentificationMethod.SCL,
                                         step_or_item="储罐", name="储罐超压泄漏",
                                         factor_category=FactorCategory.THINGS, grade="high")
    measure = ControlMeasure.objects.create(hazard_source=source, category=MeasureCategory.ENGINEERING,
                                            subcategory=MeasureSubcategory.SAFETY_INSTRUMENTS,
                                            description="压力高高联锁", check_content="联锁是否投用")
    task = InvestigationTask.objects.create(
        enterprise=enterprise, township_id=enterprise.township_id, industry_id=enterprise.industry_id,
        risk_point=point, title="储罐区巡检", cycle=2, cycle_unit=CycleUnit.HOUR, work_start=time(8),
        work_end=time(18), starts_at=timezone.now() - timedelta(days=60), created_by=user, work_type=work_type)
    task.measures.add(measure)
    return point, source, measure, task


def done_instance(task, user, done_at, *, outcome=CheckOutcome.OK, hazard=None) -> TaskInstance:
    instance = TaskInstance.objects.create(
        enterprise=task.enterprise, township_id=task.township_id, industry_id=task.industry_id, task=task,
        due_from=done_at - timedelta(hours=1), due_by=done_at + timedelta(hours=1), state=InstanceState.DONE,
        done_at=done_at, done_by=user)
    TaskCheck.objects.create(instance=instance, measure=task.measures.get(), outcome=outcome, checked_by=user,
                             checked_at=done_at, hazard=hazard)
    return instance
