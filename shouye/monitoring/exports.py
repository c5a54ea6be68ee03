"""Excel of the filtered alarm list, written with the one writer (shouye/core/xlsx.py), which neutralises text a
spreadsheet would take for a formula (a vendor's description, a handler's cause)."""

from __future__ import annotations

import io
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from shouye.audit import services as audit
from shouye.core.xlsx import StreamingXlsx

from .choices import AlarmKind, AlarmLevel, AlarmSource, AlarmState, Condition, Disposition

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ["序号", "报警时间", "企业名称", "街镇", "来源", "类型", "级别", "状态", "测点/摄像头", "报警状态/场景", "数值",
           "报警值", "次数", "确认时间", "是否超时升级", "原因", "处置措施", "消警时间", "关闭时间", "处置结论", "编号"]
FIELDS = ("raised_at", "enterprise__name", "township__name", "source", "kind", "level", "state", "point__name",
          "camera__name", "condition", "scenario__name", "value", "setpoint", "repeat_count", "acknowledged_at",
          "escalated_at", "cause", "measures", "cleared_at", "closed_at", "disposition", "pk")


def _plain(filters: Mapping | None) -> dict:
    return {key: filters.getlist(key) if hasattr(filters, "getlist") else filters[key] for key in (filters or {})}


def export_alarms(*, actor, queryset, filters: Mapping | None = None) -> tuple[bytes, str]:
    """The rows of ``queryset`` (scoped and filtered) as XLSX bytes and the file name; one audit event."""
    labels = {name: dict(choices.choices) for name, choices in (
        ("source", AlarmSource), ("kind", AlarmKind), ("level", AlarmLevel), ("state", AlarmState),
        ("condition", Condition), ("disposition", Disposition))}
    output = io.BytesIO()
    count = 0
    with StreamingXlsx(output, sheet_name="报警", freeze_header=True, local_timezone=timezone.get_current_timezone(),
                       column_widths=[6, 17, 28, 12, 8, 14, 6, 8, 18, 14, 8, 8, 6, 17, 8, 24, 24, 17, 17, 10, 8]) as book:
        book.write_header(COLUMNS)
        for count, row in enumerate(queryset.values_list(*FIELDS).iterator(chunk_size=500), start=1):
            (raised, enterprise, township, source, kind, level, state, point, camera, condition, scenario, value,
             setpoint, times, acknowledged, escalated, cause, measures, cleared, closed, disposition, pk) = row
            book.write_row([count, raised, enterprise, township, str(labels["source"].get(source, source)),
                            str(labels["kind"].get(kind, kind)), str(labels["level"].get(level, level)),
                            str(labels["state"].get(state, state)), point or camera or "",
                            scenario or str(labels["condition"].get(condition, condition)), value, setpoint, times,
                            acknowledged, "是" if escalated else "", cause, measures, cleared, closed,
                            str(labels["disposition"].get(disposition, disposition)), pk])
    with transaction.atomic():
        audit.record(actor=actor, verb="alarm.export", note=f"{count} rows",
                     changes={"rows": count, "filters": _plain(filters)})
    return output.getvalue(), f"alarms-{timezone.localdate():%Y%m%d}.xlsx"
