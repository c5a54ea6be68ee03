"""Import of an existing risk list from Excel with the core import kit's reader, columns and errors
(shouye/core/importkit): one row per hazard source with its risk point's columns (points grouped by their
number), the assessment method and its inputs, and the measures by category (several in a cell, split on a
line break or "；"). All or nothing: every row is checked first, every problem reported with its Excel row,
column and reason; only a file without any is written, in one transaction.

The import runs in the request (a risk list is hundreds of rows, not the thousands that need the kit's
background job and its job table)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.audit import services as audit
from shouye.core.importkit import Column, Columns, ImportErrors, read_sheet, write_template_header
from shouye.core.importkit.columns import fold, in_every_language
from shouye.core.xlsx import new_workbook, workbook_bytes
from shouye.regions.scoping import ensure_in_scope

from .choices import (
    AssessmentMethod,
    FactorCategory,
    IdentificationMethod,
    MeasureCategory,
    MeasureDataSource,
    RiskPointKind,
)
from .models import ControlMeasure, HazardSource, RiskAssessment, RiskPoint
from .services.register import MANAGE, compute, mark_changed, regrade_points
from .services.settings import effective_tables

TEMPLATE_NAME = "风险分级管控清单导入模板.xlsx"
SHEET_TITLE = gettext_lazy("Risk list")
#: The most rows one upload may hold (a bounded input, ARCHITECTURE.md §10); a longer list is split.
MAX_ROWS = 5000
#: The subcategory a measure imported without one takes: its category's "other" (§A.6 classify2).
OTHER_SUBCATEGORY = {"1": "1-5", "2": "2-3", "3": "3-4", "4": "4-5"}
MEASURE_KEYS = {"1": "engineering", "2": "maintenance", "3": "operation", "4": "emergency"}
_SPLIT = re.compile(r"[\n\r；;]+")

COLUMNS = Columns([
    Column("code", gettext_lazy("Risk point number"), required=True, ascii_forms=True),
    Column("name", gettext_lazy("Risk point name"), required=True, width=20),
    Column("kind", gettext_lazy("Kind"), required=True, hint=gettext_lazy("Facility or Activity")),
    Column("location", gettext_lazy("Location")),
    Column("department", gettext_lazy("Responsible department"), required=True),
    Column("responsible_person", gettext_lazy("Responsible person"), required=True),
    Column("control_focus", gettext_lazy("Control focus"), width=30),
    Column("control_unit", gettext_lazy("Controlling unit")),
    Column("identification_method", gettext_lazy("Identification method"), required=True,
           hint=gettext_lazy("JHA or SCL"), ascii_forms=True),
    Column("step_or_item", gettext_lazy("Step or item"), required=True),
    Column("source", gettext_lazy("Hazard source"), required=True, width=30),
    Column("factor_category", gettext_lazy("Aspect"), required=True,
           hint=gettext_lazy("People, things, environment or management")),
    Column("consequence", gettext_lazy("Possible accident")),
    Column("method", gettext_lazy("Method"), required=True, hint=gettext_lazy("LEC, LS or MES"), ascii_forms=True),
    *[Column(letter.lower(), letter, ascii_forms=True, width=6) for letter in ("L", "E", "C", "S", "M")],
    *[Column(MEASURE_KEYS[value], label, width=40,
             hint=gettext_lazy("One measure a line, or separated by ；")) for value, label in MeasureCategory.choices],
])
POINT_KEYS = ("name", "kind", "location", "department", "responsible_person", "control_focus", "control_unit")


class ImportRefused(Exception):
    """Nothing was imported; ``errors`` are (row, column title, reason) dicts."""

    def __init__(self, errors: list[dict]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _lookup(choices, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Folded label (every language) or value → value."""
    table = {}
    for value, label in choices:
        table[fold(value)] = value
        for text in in_every_language(label):
            table[text] = value
    for text, value in (extra or {}).items():
        table[fold(text)] = value
    return table


def _lookups() -> dict[str, dict[str, str]]:
    return {
        "kind": _lookup(RiskPointKind.choices, {"设备设施": "facility", "设施": "facility", "场所": "facility",
                                                "作业活动": "activity", "活动": "activity", "作业": "activity"}),
        "identification_method": _lookup(IdentificationMethod.choices),
        "factor_category": _lookup(FactorCategory.choices, {"人": "people", "人的因素": "people", "物": "things",
                                                            "物的因素": "things", "环境": "environment",
                                                            "环境因素": "environment", "管理": "management",
                                                            "管理因素": "management"}),
        "method": _lookup(AssessmentMethod.choices, {"LS": "matrix", "风险矩阵": "matrix"}),
    }


@dataclass
class PointRows:
    row: int
    values: dict
    sources: list = field(default_factory=list)


def _check_rows(sheet, errors: ImportErrors, enterprise, tables) -> dict[str, PointRows]:
    lookups = _lookups()
    points: dict[str, PointRows] = {}
    taken = set(RiskPoint.objects.filter(enterprise=enterprise).values_list("code", flat=True))
    for number, values in sheet.rows:
        cells = COLUMNS.texts(sheet.cells(values))
        for column in COLUMNS:
            if column.required and not cells[column.key]:
                errors.add(number, column.key, _("This cell is required."))
        coded = {}
        for key, table in lookups.items():
            if cells[key]:
                coded[key] = table.get(fold(cells[key]))
                if coded[key] is None:
                    errors.add(number, key, _("“%(value)s” is not one of the accepted values.") % {"value": cells[key]})
        code = cells["code"]
        if code in taken:
            errors.add(number, "code", _("The enterprise already has a risk point numbered %(code)s.") % {"code": code})
        method = coded.get("method")
        outcome = None
        if method:
            letters = {"lec": "lec", "matrix": "ls", "mes": "mes"}[method]
            inputs = {letter: cells[letter] for letter in ("l", "e", "c", "s", "m") if letter in letters}
            try:
                outcome = compute(method, inputs, tables)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    errors.add(number, name if name in COLUMNS.by_key else "method", "；".join(messages))
        measures = []
        for category, key in MEASURE_KEYS.items():
            for text in _SPLIT.split(cells[key]):
                if text.strip():
                    measures.append((category, text.strip()))
        if errors.keys_of(number) or not code:
            continue
        point = points.setdefault(code, PointRows(row=number, values={
            "kind": coded["kind"], **{k: cells[k] for k in POINT_KEYS if k != "kind"}}))
        if point.values["name"] != cells["name"]:
            errors.add(number, "name", _("Risk point %(code)s has another name on row %(row)d.")
                       % {"code": code, "row": point.row})
            continue
        point.sources.append({"row": number, "identification_method": coded["identification_method"],
                              "step_or_item": cells["step_or_item"], "name": cells["source"],
                              "factor_category": coded["factor_category"], "consequence": cells["consequence"],
                              "method": method, "outcome": outcome, "measures": measures})
    for code, point in points.items():
        probe = RiskPoint(enterprise=enterprise, code=code, **point.values)
        try:
            probe.full_clean(exclude=["enterprise", "township", "industry", "grade", "control_level"],
                             validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors.add_validation(point.row, exc, {k: k for k in ("code", *POINT_KEYS)})
    return points


def import_risk_list(*, actor, enterprise, upload) -> dict:
    """Check every row, then write every point, source, assessment and measure in one transaction with one
    audit event; raise ImportRefused (nothing written) listing every problem."""
    ensure_in_scope(actor, enterprise)
    if not actor.has_perm(MANAGE):
        raise PermissionDenied
    errors = ImportErrors(COLUMNS)
    content = upload.read()
    sheet = read_sheet(content, upload.name, errors, sheet_title=SHEET_TITLE,
                       no_rows_message=_("“%(name)s” has no risk list rows."))
    if sheet is not None and len(sheet.rows) > MAX_ROWS:
        errors.add(None, "", _("At most %(count)d rows in one file.") % {"count": MAX_ROWS})
    tables = effective_tables(enterprise.pk)
    points = _check_rows(sheet, errors, enterprise, tables) if sheet is not None and not errors else {}
    if errors:
        raise ImportRefused([{"row": row or "", "column": COLUMNS.title(key), "message": message}
                             for row, key, message in errors.items])
    with transaction.atomic():
        counts = write_points(actor=actor, enterprise=enterprise, points=points, tables=tables)
        audit.record(actor=actor, verb="risks.import", target=enterprise, changes={"file": upload.name, **counts})
    return {"points": counts["points"], "sources": counts["sources"]}


def write_points(*, actor, enterprise, points: dict[str, PointRows], tables) -> dict[str, int]:
    """Write checked points with their sources, current assessments and measures in a few bulk inserts, then
    grade the points (the caller's transaction and audit event): the import's writer, and the demo's."""
    now = timezone.now()
    created = []
    for code, point in points.items():
        row = RiskPoint(enterprise=enterprise, code=code, **point.values)
        row.stamp_from(enterprise, locked=bool(created))  # the first locks the enterprise for the rest
        created.append(row)
    RiskPoint.objects.bulk_create(created)
    sources, assessments, measures = [], [], []
    for row, point in zip(created, points.values(), strict=True):
        for order, item in enumerate(point.sources, start=1):
            source = HazardSource(risk_point=row, order=order, grade=item["outcome"].grade,
                                  **{k: item[k] for k in ("identification_method", "step_or_item", "name",
                                                          "factor_category", "consequence")})
            sources.append((source, item))
    HazardSource.objects.bulk_create([source for source, _item in sources], batch_size=1000)
    for source, item in sources:
        outcome = item["outcome"]
        assessments.append(RiskAssessment(hazard_source=source, method=item["method"], inputs=outcome.inputs,
                                          score=outcome.score, grade=outcome.grade, basis=outcome.basis,
                                          current=True, assessed_by=actor, assessed_at=now))
        for order, (category, text) in enumerate(item["measures"], start=1):
            subcategory = item.get("subcategories", {}).get(text, OTHER_SUBCATEGORY[category])
            measures.append(ControlMeasure(hazard_source=source, category=category, subcategory=subcategory,
                                           description=text, check_content=item.get("checks", {}).get(text, text),
                                           data_source=MeasureDataSource.INVESTIGATION, order=order))
    RiskAssessment.objects.bulk_create(assessments, batch_size=1000)
    ControlMeasure.objects.bulk_create(measures, batch_size=1000)
    regrade_points(created, tables)
    mark_changed(enterprise.pk)
    return {"points": len(created), "sources": len(sources), "measures": len(measures)}


def template_bytes() -> bytes:
    """The template: the data sheet's header (required columns marked, hints as comments) and an
    instructions sheet with the accepted values."""
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = str(SHEET_TITLE)
    write_template_header(sheet, COLUMNS, {})
    notes = workbook.create_sheet(_("Instructions"))
    notes.append([_("One row per hazard source; rows with the same risk point number make one risk point.")])
    notes.append([_("Measures: one a line, or separated by ；. They take the category's \"other\" subcategory "
                    "and are checked by investigation; edit them on the risk point's page.")])
    for label, choices in ((_("Kind"), RiskPointKind.choices), (_("Identification method"),
                                                              IdentificationMethod.choices),
                           (_("Aspect"), FactorCategory.choices), (_("Method"), AssessmentMethod.choices)):
        notes.append([label, *[str(text) for _value, text in choices]])
    return workbook_bytes(workbook)
