"""Import of an existing risk list from Excel on the core import kit (``shouye.core.importkit``, which describes
how every import behaves: the upload and job pages, progress, large files in the background, the error file):
one row per hazard source with its risk point's columns (points grouped by their number), the assessment
method and its inputs, and the measures by category (several in a cell, split on a line break or "；").

All or nothing: every row is checked first, every problem reported with its Excel row, column and reason;
only a file without any is written, in one transaction, and the points are graded at its end. The rows go
into the importer's own enterprise (only an enterprise's user keeps its risk list)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.audit import services as audit
from shouye.core.importkit import (
    XLSX_CONTENT_TYPE,
    Column,
    Columns,
    ImportErrors,
    ImportKind,
    RowChecker,
    in_background,
    write_template_header,
)
from shouye.core.importkit.columns import fold, in_every_language
from shouye.core.xlsx import new_workbook, workbook_bytes
from shouye.enterprises.models import Enterprise
from shouye.regions.scoping import scope_for

from .choices import (
    AssessmentMethod,
    FactorCategory,
    IdentificationMethod,
    MeasureCategory,
    MeasureDataSource,
    RiskPointKind,
)
from .models import ControlMeasure, HazardSource, RiskAssessment, RiskImportJob, RiskPoint
from .services.register import MANAGE, compute, mark_changed, regrade_points
from .services.settings import effective_tables

SHEET_TITLE = gettext_lazy("Risk list")
NO_ROWS = gettext_lazy("“%(name)s” has no risk list rows.")
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
    """A risk point of the file: its first row, its columns and its sources' rows."""

    row: int
    values: dict
    sources: list = field(default_factory=list)


@dataclass
class SourceRow:
    """One checked row: a hazard source of the point numbered ``code`` with its assessment and measures."""

    number: int
    enterprise: Enterprise
    code: str
    point: PointRows
    source: dict


def importer_enterprise(actor) -> Enterprise | None:
    """The enterprise an import writes into: the importer's one enterprise (an enterprise user's), else None."""
    ids = scope_for(actor).enterprise_ids
    if len(ids) != 1:
        return None
    return Enterprise.objects.filter(pk__in=ids).first()


class RiskRowChecker(RowChecker):
    """Each row's cells, codes and assessment (by the enterprise's tables in force, as the page assesses);
    across rows, one name per point number and each point's own checks."""

    def __init__(self, actor):
        self.enterprise = importer_enterprise(actor)
        self.tables = effective_tables(self.enterprise.pk) if self.enterprise else None
        self.lookups = _lookups()
        self.taken = set(RiskPoint.objects.filter(enterprise=self.enterprise).values_list("code", flat=True)
                         if self.enterprise else ())
        self.points: dict[str, PointRows] = {}
        self.count = 0
        self.refused_file = False

    def check(self, number: int, values: dict, errors: ImportErrors) -> SourceRow | None:
        self.count += 1
        if self.enterprise is None:
            if not self.refused_file:
                errors.add(None, "", _("Only the user of one enterprise imports its risk list."))
                self.refused_file = True
            return None
        cells = COLUMNS.texts(values)
        for column in COLUMNS:
            if column.required and not cells[column.key]:
                errors.add(number, column.key, _("This cell is required."))
        coded = {}
        for key, table in self.lookups.items():
            if cells[key]:
                coded[key] = table.get(fold(cells[key]))
                if coded[key] is None:
                    errors.add(number, key, _("“%(value)s” is not one of the accepted values.") % {"value": cells[key]})
        code = cells["code"]
        if code in self.taken:
            errors.add(number, "code", _("The enterprise already has a risk point numbered %(code)s.") % {"code": code})
        method = coded.get("method")
        outcome = None
        if method:
            letters = {"lec": "lec", "matrix": "ls", "mes": "mes"}[method]
            inputs = {letter: cells[letter] for letter in ("l", "e", "c", "s", "m") if letter in letters}
            try:
                outcome = compute(method, inputs, self.tables)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    errors.add(number, name if name in COLUMNS.by_key else "method", "；".join(messages))
        measures = []
        for category, key in MEASURE_KEYS.items():
            for text in _SPLIT.split(cells[key]):
                if text.strip():
                    measures.append((category, text.strip()))
        if errors.keys_of(number) or not code:
            return None
        point = self.points.setdefault(code, PointRows(row=number, values={
            "kind": coded["kind"], **{k: cells[k] for k in POINT_KEYS if k != "kind"}}))
        if point.values["name"] != cells["name"]:
            errors.add(number, "name", _("Risk point %(code)s has another name on row %(row)d.")
                       % {"code": code, "row": point.row})
            return None
        source = {"row": number, "identification_method": coded["identification_method"],
                  "step_or_item": cells["step_or_item"], "name": cells["source"],
                  "factor_category": coded["factor_category"], "consequence": cells["consequence"],
                  "method": method, "outcome": outcome, "measures": measures}
        point.sources.append(source)
        return SourceRow(number=number, enterprise=self.enterprise, code=code, point=point, source=source)

    def check_across(self, errors: ImportErrors) -> None:
        if self.count > MAX_ROWS:
            errors.add(None, "", _("At most %(count)d rows in one file.") % {"count": MAX_ROWS})
        for code, point in self.points.items():
            probe = RiskPoint(enterprise=self.enterprise, code=code, **point.values)
            try:
                probe.full_clean(exclude=["enterprise", "township", "industry", "grade", "control_level"],
                                 validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                errors.add_validation(point.row, exc, {k: k for k in ("code", *POINT_KEYS)})

    def recheck(self, rows: list[SourceRow], errors: ImportErrors) -> None:
        """Another import or a person numbered the same point meanwhile."""
        first = {}
        for row in rows:
            first.setdefault(row.code, row.number)
        for code in RiskPoint.objects.filter(enterprise=self.enterprise, code__in=list(first)).values_list(
                "code", flat=True):
            errors.add(first[code], "code", _("The enterprise already has a risk point numbered %(code)s.")
                       % {"code": code})


def _write_batch(actor, rows: list[SourceRow]) -> None:
    """A batch of checked rows: the points not yet written (by an earlier batch of the same transaction) are
    created, then the rows' sources with their current assessments and measures. The points are graded once
    at the end (``_record_import``)."""
    enterprise = rows[0].enterprise
    codes = list(dict.fromkeys(row.code for row in rows))
    points = {point.code: point for point in RiskPoint.objects.filter(enterprise=enterprise, code__in=codes)}
    created = []
    for code in codes:
        if code not in points:
            values = next(row.point.values for row in rows if row.code == code)
            point = RiskPoint(enterprise=enterprise, code=code, **values)
            point.stamp_from(enterprise, locked=bool(created))  # the first locks the enterprise for the rest
            created.append(point)
    RiskPoint.objects.bulk_create(created)
    points.update({point.code: point for point in created})
    orders = dict(HazardSource.objects.filter(risk_point__in=list(points.values())).values_list("risk_point")
                  .annotate(n=Count("pk")).order_by())
    placed = []
    for row in rows:
        point = points[row.code]
        orders[point.pk] = orders.get(point.pk, 0) + 1
        placed.append((point, orders[point.pk], row.source))
    _write_sources(actor, placed)


def _record_import(job: RiskImportJob, rows: list[SourceRow]) -> None:
    """At the end of the writing transaction: the imported points graded by their sources and the tables in
    force, the published list marked changed, and the import's audit event."""
    enterprise = rows[0].enterprise
    points = list(RiskPoint.objects.filter(enterprise=enterprise, code__in={row.code for row in rows}))
    regrade_points(points, effective_tables(enterprise.pk))
    mark_changed(enterprise.pk)
    audit.record(actor=job.created_by, verb="risks.import", target=enterprise, changes={
        "file": job.original_name, "points": len(points), "sources": len(rows),
        "measures": sum(len(row.source["measures"]) for row in rows)})


RISK_IMPORT = ImportKind(
    model=RiskImportJob, columns=COLUMNS, sheet_title=SHEET_TITLE, no_rows_message=NO_ROWS,
    permissions=(MANAGE,), checker=RiskRowChecker, write_batch=_write_batch,
    enqueue=in_background("shouye.risks.tasks.run_import"), on_success=_record_import,
)
jobs_of = RISK_IMPORT.jobs_of


def start_import(*, actor, upload, language: str | None = None) -> RiskImportJob:
    """Store the file as a job and run it (in the request when small, else in the background): the user of one
    enterprise only, as the list is that enterprise's."""
    if importer_enterprise(actor) is None:
        raise ValidationError(_("Only the user of one enterprise imports its risk list."))
    return RISK_IMPORT.start(actor=actor, upload=upload, language=language)


def write_points(*, actor, enterprise, points: dict[str, PointRows], tables) -> dict[str, int]:
    """Write checked points with their sources, current assessments and measures in a few bulk inserts, then
    grade the points (the caller's transaction and audit event): the demo's writer."""
    created = []
    for code, point in points.items():
        row = RiskPoint(enterprise=enterprise, code=code, **point.values)
        row.stamp_from(enterprise, locked=bool(created))  # the first locks the enterprise for the rest
        created.append(row)
    RiskPoint.objects.bulk_create(created)
    placed = [(row, order, item) for row, point in zip(created, points.values(), strict=True)
              for order, item in enumerate(point.sources, start=1)]
    measures = _write_sources(actor, placed)
    regrade_points(created, tables)
    mark_changed(enterprise.pk)
    return {"points": len(created), "sources": len(placed), "measures": measures}


def _write_sources(actor, placed: list[tuple[RiskPoint, int, dict]]) -> int:
    """Each (point, order, checked source) as a hazard source with its current assessment and its measures, in
    a few bulk inserts; the number of measures written."""
    now = timezone.now()
    sources = [(HazardSource(risk_point=point, order=order, grade=item["outcome"].grade,
                             **{k: item[k] for k in ("identification_method", "step_or_item", "name",
                                                     "factor_category", "consequence")}), item)
               for point, order, item in placed]
    HazardSource.objects.bulk_create([source for source, _item in sources], batch_size=1000)
    assessments, measures = [], []
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
    return len(measures)


def template_workbook(actor) -> bytes:
    """The template: the data sheet's header (required columns marked, hints as comments) and an
    instructions sheet with the accepted values. No example row, so a filled template imports as it is."""
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = str(SHEET_TITLE)
    write_template_header(sheet, COLUMNS, {})
    notes = workbook.create_sheet(str(_("Instructions")))
    notes.append([_("One row per hazard source; rows with the same risk point number make one risk point.")])
    notes.append([_("Measures: one a line, or separated by ；. They take the category's \"other\" subcategory "
                    "and are checked by investigation; edit them on the risk point's page.")])
    notes.append([_("All or nothing: if any row has an error, nothing is imported.")])
    for label, choices in ((_("Kind"), RiskPointKind.choices), (_("Identification method"),
                                                              IdentificationMethod.choices),
                           (_("Aspect"), FactorCategory.choices), (_("Method"), AssessmentMethod.choices)):
        notes.append([label, *[str(text) for _value, text in choices]])
    return workbook_bytes(workbook)


def template_filename() -> str:
    return f"{_('Risk list import template')}.xlsx"


def error_filename(job: RiskImportJob) -> str:
    return f"{_('%(name)s with errors') % {'name': PurePath(job.original_name).stem}}.xlsx"


__all__ = ["COLUMNS", "RISK_IMPORT", "XLSX_CONTENT_TYPE", "error_filename", "jobs_of", "start_import",
           "template_filename", "template_workbook", "write_points"]
