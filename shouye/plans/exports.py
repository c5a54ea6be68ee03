"""The statistics of plans and drills as Excel, written with the one writer (shouye/core/xlsx.py)."""

from __future__ import annotations

import io

from django.db import transaction
from django.utils import timezone

from shouye.audit import services as audit
from shouye.core.xlsx import StreamingXlsx

from .choices import UnitKind
from .selectors import statistics

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ["街镇", "单位类别", "单位数", "现行预案", "已备案", "逾期预案", "近12个月已演练", "计划中演练",
           "有演练周期的单位", "演练逾期单位"]
KEYS = ("units", "live", "filed", "overdue", "held", "planned", "due", "drill_overdue")


def export_statistics(*, actor) -> tuple[bytes, str]:
    """The statistics rows the actor sees, one audit event."""
    kinds = dict(UnitKind.choices)
    rows = statistics(actor)
    output = io.BytesIO()
    with StreamingXlsx(output, sheet_name="应急预案与演练", freeze_header=True,
                       column_widths=[14, 12, 8, 10, 8, 10, 14, 10, 16, 12]) as book:
        book.write_header(COLUMNS)
        for row in rows:
            book.write_row([row["township"] or "区级", str(kinds.get(row["kind"], row["kind"])),
                            *(row[key] for key in KEYS)])
    with transaction.atomic():
        audit.record(actor=actor, verb="plans.export", note=f"{len(rows)} rows", changes={"rows": len(rows)})
    return output.getvalue(), f"emergency-plans-{timezone.localdate():%Y%m%d}.xlsx"
