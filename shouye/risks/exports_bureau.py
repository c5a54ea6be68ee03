"""The liveness table as Excel (core's streaming writer, which neutralises formula-like text): every row the
filters select, in the page's order. 10,000 enterprises are a few hundred kilobytes, written in the request."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.core.xlsx import StreamingXlsx

from .choices import RiskLevel
from .scoring import COLOUR_LABELS
from .selectors.liveness import LivenessRow

COLUMN_WIDTHS = (6, 32, 22, 12, 16, 8, 8, 8, 10, 12, 10, 10, *([8] * len(RiskLevel.values)), 10, 10, 10, 40)


def _header() -> list[str]:
    return [_("No."), _("Enterprise"), _("Credit code"), _("Township"), _("Industry"), _("Tasks due"),
            _("Tasks done"), _("Tasks missed"), _("Completion rate (%)"), _("Days since last completed task"),
            _("Hazards self-reported"), _("Hazards found by supervisors"),
            *[str(label) for label in RiskLevel.labels], _("Risk list published"), _("Risk colour"), _("Score"),
            _("Inactive because")]


def export_liveness(*, actor, rows: list[LivenessRow], filters: Mapping) -> tuple:
    """``(file, name)``: an open temporary file at its start, and its name; records one audit event."""
    today = timezone.localdate()
    yes, no = _("Yes"), _("No")
    colours = {key: str(label) for key, label in COLOUR_LABELS.items()}
    output = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        with StreamingXlsx(output, sheet_name=_("Liveness"), column_widths=COLUMN_WIDTHS, freeze_header=True) as book:
            book.write_header(_header())
            for number, row in enumerate(rows, start=1):
                book.write_row([
                    number, row.name, row.credit_code, row.township, row.industry, row.due, row.done, row.missed,
                    row.completion_percent, row.days_since_done, row.self_reported, row.found_by_supervisors,
                    *[row.points.get(grade, 0) for grade in RiskLevel.values], yes if row.published else no,
                    colours.get(row.colour, ""), row.score, "；".join(row.reason_labels)])
        output.seek(0)
        with transaction.atomic():
            audit.record(actor=actor, verb="risk_liveness.export", note=f"{len(rows)} rows",
                         changes={"rows": len(rows), "filters": {k: v for k, v in filters.items() if v}})
    except BaseException:
        output.close()
        raise
    return output, f"dual-prevention-liveness-{today:%Y%m%d}.xlsx"
