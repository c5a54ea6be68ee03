"""Excel of the filtered installations list, written with the one writer (shouye/core/xlsx.py), which
neutralises text a spreadsheet would take for a formula."""

from __future__ import annotations

import io
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from shouye.audit import services as audit
from shouye.core.xlsx import StreamingXlsx

from .choices import GRADE_NAMES, InstallationKind, InstallationState
from .selectors import overdue_by_installation

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ["序号", "企业名称", "街镇", "行业", "重大危险源名称", "单元类型", "位置", "S=Σq/Q", "R", "级别", "状态",
           "备案编号", "备案日期", "上次安全评估", "下次安全评估到期", "包保责任人逾期排查任务"]
FIELDS = ("enterprise__name", "township__name", "industry__name", "name", "kind", "location", "ratio_sum",
          "r_value", "grade", "state", "filing_number", "filed_on", "last_assessed_on", "next_assessment_due", "pk")


def _plain(filters: Mapping | None) -> dict:
    return {key: filters.getlist(key) if hasattr(filters, "getlist") else filters[key] for key in (filters or {})}


def export_installations(*, actor, queryset, filters: Mapping | None = None) -> tuple[bytes, str]:
    """The rows of ``queryset`` (scoped and filtered) as XLSX bytes and the file name, each with its
    responsible persons' overdue duties (missed or late task instances, counted for the whole scope in two
    grouped queries); one audit event."""
    kinds, states = dict(InstallationKind.choices), dict(InstallationState.choices)
    overdue = overdue_by_installation(actor)
    output = io.BytesIO()
    count = 0
    with StreamingXlsx(output, sheet_name="重大危险源", freeze_header=True,
                       column_widths=[6, 30, 12, 14, 24, 14, 20, 10, 10, 8, 8, 18, 12, 12, 14, 12]) as book:
        book.write_header(COLUMNS)
        for count, row in enumerate(queryset.values_list(*FIELDS).iterator(chunk_size=500), start=1):
            (enterprise, township, industry, name, kind, location, ratio_sum, r_value, grade, state, number,
             filed_on, assessed, due, pk) = row
            book.write_row([count, enterprise, township, industry, name, str(kinds.get(kind, kind)), location,
                            ratio_sum, r_value, GRADE_NAMES.get(grade, ""), str(states.get(state, state)), number,
                            filed_on, assessed, due, overdue.get(pk, 0)])
    with transaction.atomic():
        audit.record(actor=actor, verb="major-hazard.export", note=f"{count} rows",
                     changes={"rows": count, "filters": _plain(filters)})
    return output.getvalue(), f"major-hazard-installations-{timezone.localdate():%Y%m%d}.xlsx"
