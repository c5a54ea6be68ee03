"""The register's Excel outputs, through the one writer (shouye.core.xlsx): the 风险分级管控清单 with the
columns of 山东省安全生产条例 Art. 31 (one row per hazard source, the measures grouped by category), and the
风险点及危险源登记台账 (one row per hazard source with its assessment)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.core.xlsx import StreamingXlsx

from .choices import RISK_LEVEL_COLOURS, CycleUnit, MeasureCategory, RegisterState, RiskLevel
from .selectors import register as selectors
from .services.register import input_pairs

COLOUR_NAMES = {"red": gettext_lazy("red"), "orange": gettext_lazy("orange"), "yellow": gettext_lazy("yellow"),
                "blue": gettext_lazy("blue")}

#: The measure columns of the list, one per category of the national interface (§A.6), in Art. 31's words.
MEASURE_TITLES = {"1": gettext_lazy("Engineering and technology measures"), "2": gettext_lazy("Maintenance measures"),
                  "3": gettext_lazy("Operating behaviour measures"), "4": gettext_lazy("Emergency response measures")}

CONTROL_LIST_COLUMNS = [
    (gettext_lazy("Risk point number"), 12), (gettext_lazy("Risk point name"), 20), (gettext_lazy("Risk point kind"), 14),
    (gettext_lazy("Hazard source"), 30), (gettext_lazy("Risk grade"), 14), (gettext_lazy("Control focus"), 30),
    (gettext_lazy("Controlling unit"), 16), (gettext_lazy("Control level"), 16),
    (gettext_lazy("Responsible department"), 16), (gettext_lazy("Responsible persons"), 12),
    *[(MEASURE_TITLES[value], 40) for value in MeasureCategory.values],
    (gettext_lazy("Special control plan"), 40),
]
LEDGER_COLUMNS = [
    (gettext_lazy("Risk point number"), 12), (gettext_lazy("Risk point name"), 20),
    (gettext_lazy("Hazard source"), 30), (gettext_lazy("Step or item"), 20),
    (gettext_lazy("Identification method"), 16), (gettext_lazy("Aspect"), 16),
    (gettext_lazy("Possible accident"), 20), (gettext_lazy("Method"), 12), (gettext_lazy("Inputs"), 20),
    (gettext_lazy("Score"), 10), (gettext_lazy("Grade"), 14), (gettext_lazy("Assessed at"), 18),
]


def grade_text(grade: str) -> str:
    """"重大风险（红）": the grade and its colour in words, readable on a black-and-white print."""
    if not grade:
        return _("Not assessed")
    return f"{RiskLevel(grade).label}（{COLOUR_NAMES[RISK_LEVEL_COLOURS[grade]]}）"


def plan_summary(point) -> str:
    plan = getattr(point, "special_control_plan", None)
    if plan is None:
        return ""
    parts = [_("Access: %(text)s") % {"text": plan.access_restriction},
             _("Patrol every %(cycle)d %(unit)s") % {"cycle": plan.patrol_cycle,
                                                      "unit": CycleUnit(plan.patrol_cycle_unit).label}]
    if plan.monitoring:
        parts.append(_("Monitoring or duty: %(text)s") % {"text": plan.monitoring})
    if plan.max_people:
        parts.append(_("At most %(count)d people") % {"count": plan.max_people})
    if plan.other_measures:
        parts.append(plan.other_measures)
    parts.append(_("Approved by %(who)s on %(day)s") % {"who": plan.approved_by, "day": plan.approved_on})
    return "；".join(parts)


def _title(enterprise, register, what: str) -> str:
    version = register.version if register is not None and register.state == RegisterState.PUBLISHED else 0
    version_text = _("version %(version)d") % {"version": version} if version else _("draft")
    return f"{enterprise.name} {what}（{version_text}，{timezone.localdate():%Y-%m-%d}）"


def _workbook(columns, title: str, rows) -> bytes:
    buffer = io.BytesIO()
    with StreamingXlsx(buffer, sheet_name="Sheet1", column_widths=[width for _label, width in columns]) as sheet:
        sheet.write_header([title])
        sheet.write_header([str(label) for label, _width in columns])
        sheet.write_rows(rows)
    return buffer.getvalue()


def _control_rows(points):
    categories = MeasureCategory.values
    for point in points:
        common = [point.code, point.name, point.get_kind_display()]
        tail = [point.control_focus, point.control_unit, point.get_control_level_display(), point.department,
                point.responsible_person]
        sources = list(point.hazard_sources.all())
        plan = plan_summary(point)
        if not sources:
            yield [*common, "", grade_text(point.grade), *tail, *([""] * len(categories)), plan]
            continue
        for source in sources:
            grouped = {category: [] for category in categories}
            for measure in source.measures.all():
                grouped[measure.category].append(measure.description)
            yield [*common, source.name, grade_text(source.grade or point.grade), *tail,
                   *["\n".join(grouped[category]) for category in categories], plan]


def control_list(actor, enterprise) -> tuple[bytes, str]:
    """风险分级管控清单 of ``enterprise`` (山东省安全生产条例 Art. 31): a title row naming the enterprise, version
    and date; one row per hazard source."""
    what = _("Risk control list")
    register = selectors.register_of(actor, enterprise.pk)
    content = _workbook(CONTROL_LIST_COLUMNS, _title(enterprise, register, what),
                        _control_rows(selectors.export_points(actor, enterprise.pk)))
    return content, f"{enterprise.name}-{what}-{timezone.localdate():%Y%m%d}.xlsx"


def _inputs_text(assessment) -> str:
    return " ".join(input_pairs(assessment.method, assessment.inputs))


def _ledger_rows(points):
    for point in points:
        for source in point.hazard_sources.all():
            current = source.current_assessments[0] if source.current_assessments else None
            yield [point.code, point.name, source.name, source.step_or_item, source.get_identification_method_display(),
                   source.get_factor_category_display(), source.consequence,
                   current.get_method_display() if current else "", _inputs_text(current) if current else "",
                   current.score if current else None, grade_text(source.grade),
                   current.assessed_at if current else None]


def source_ledger(actor, enterprise) -> tuple[bytes, str]:
    """风险点及危险源登记台账: one row per hazard source with method, inputs, score and grade."""
    what = _("Register of risk points and hazard sources")
    register = selectors.register_of(actor, enterprise.pk)
    content = _workbook(LEDGER_COLUMNS, _title(enterprise, register, what),
                        _ledger_rows(selectors.export_points(actor, enterprise.pk)))
    return content, f"{enterprise.name}-{what}-{timezone.localdate():%Y%m%d}.xlsx"
