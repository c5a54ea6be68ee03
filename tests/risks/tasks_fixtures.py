"""Rows the investigation-task tests build directly (the register part's services are not needed to test the
task engine): a risk point with one hazard source and its control measures, and a task over them."""

from __future__ import annotations

import io
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shouye.risks.choices import CycleUnit, WorkDayType
from shouye.risks.models import ControlMeasure, HazardSource, InvestigationTask, RiskPoint

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def risk_point(enterprise, code="RP-1", name="储罐区", measures=2) -> RiskPoint:
    point = RiskPoint(code=code, name=name, kind="facility", location="东厂区", department="储运车间",
                      responsible_person="张工").stamp_from(enterprise)
    point.save()
    source = HazardSource.objects.create(risk_point=point, identification_method="scl", step_or_item="储罐",
                                         name="储罐泄漏", factor_category="things", consequence="火灾爆炸")
    for n in range(measures):
        ControlMeasure.objects.create(hazard_source=source, category="1", subcategory="1-2",
                                      description=f"液位计完好{n + 1}", check_content=f"检查液位计读数{n + 1}",
                                      order=n)
    return point


def task(point, creator, *, cycle=1, unit=CycleUnit.DAY, days=WorkDayType.EVERY_DAY, starts_at=None,
         ends_on=None, work=None, assignee=None, **extra) -> InvestigationTask:
    """A task saved directly (no instances yet), checking every measure of ``point``."""
    work_start, work_end = work or (None, None)
    row = InvestigationTask(risk_point=point, title=f"{point.name}排查", cycle=cycle, cycle_unit=unit,
                            work_day_type=days, starts_at=starts_at or at(2026, 3, 1), ends_on=ends_on,
                            work_start=work_start, work_end=work_end, post="巡检岗", assignee=assignee,
                            created_by=creator, **extra).stamp_from(point.enterprise)
    row.save()
    row.measures.set(ControlMeasure.objects.filter(hazard_source__risk_point=point))
    return row


def hours(start: int, end: int) -> tuple[time, time]:
    return time(start), time(end)


def photo(name="check.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
