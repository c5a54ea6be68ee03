"""Excel import of monitoring points on the core import kit (``shouye.core.importkit``, which describes how every
import behaves): all-or-nothing, every error as (row, column, reason), large files in the background.

One row is one point of a gateway the importer keeps: an enterprise's user imports onto its own gateways, the
bureau onto any (``Gateway.objects.visible_to``; the kit checks ``CONFIGURE`` when the file is uploaded and
again when the job runs). Each row goes through the checks the point form and the API make
(``config_services.point_errors``): the model's fields, a gas detector given no setpoint takes GB/T 50493-2019
5.5.2's, the range, LL < L < H < HH within it, the dead band below the narrowest gap, an installation of the
gateway's enterprise (empty: the gateway's, as on the form). Across rows: a (gateway, code) repeated in the file
or already registered."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePath

from celery import shared_task
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.audit import services as audit
from shouye.core.importkit import (
    XLSX_CONTENT_TYPE,
    BadCell,
    Column,
    Columns,
    ImportErrors,
    ImportKind,
    RowChecker,
    cells,
    in_background,
    write_template_header,
)
from shouye.core.importkit.columns import fold, in_every_language
from shouye.core.xlsx import new_workbook, workbook_bytes
from shouye.major_hazards.models import MajorHazardInstallation

from . import config_services as services
from .choices import PointKind
from .models import Gateway, MonitoringPoint, PointImportJob, PointStatus
from .workflow import CONFIGURE

_NUMBER = gettext_lazy("A number; empty when the band is not used.")
COLUMNS = Columns([
    Column("gateway", gettext_lazy("Gateway code"), True,
           gettext_lazy("The code of one of your gateways in service (listed on the Instructions sheet)."),
           width=18, ascii_forms=True),
    Column("code", gettext_lazy("Point code"), True, gettext_lazy("Unique on its gateway, as the gateway sends it."),
           text_format=True, ascii_forms=True),
    Column("name", gettext_lazy("Name"), True, width=22),
    Column("kind", gettext_lazy("Kind"), True, gettext_lazy("One of the kinds on the Instructions sheet."), width=18),
    Column("unit", gettext_lazy("Unit"), hint=gettext_lazy(
        "Required, except for a gas detector left without setpoints: it takes the standard's unit."), width=10),
    Column("range_min", gettext_lazy("Range from"), True, ascii_forms=True, width=12),
    Column("range_max", gettext_lazy("Range to"), True, ascii_forms=True, width=12),
    Column("expected_interval_seconds", gettext_lazy("Expected interval (s)"),
           hint=gettext_lazy("Seconds between two readings; empty: 10."), ascii_forms=True, width=14),
    Column("high_high", gettext_lazy("High-high setpoint"), hint=_NUMBER, ascii_forms=True, width=14),
    Column("high", gettext_lazy("High setpoint"), hint=gettext_lazy(
        "A number. Leave all four setpoints empty for a gas detector to take GB/T 50493-2019 5.5.2's."),
        ascii_forms=True, width=14),
    Column("low", gettext_lazy("Low setpoint"), hint=_NUMBER, ascii_forms=True, width=14),
    Column("low_low", gettext_lazy("Low-low setpoint"), hint=_NUMBER, ascii_forms=True, width=14),
    Column("dead_band", gettext_lazy("Dead band"), hint=gettext_lazy(
        "How far back past a setpoint a value must come to leave its band; empty: 0."), ascii_forms=True, width=12),
    Column("delay_seconds", gettext_lazy("Delay (s)"), hint=gettext_lazy(
        "Seconds a value must stay in a band before it alarms; empty: 0."), ascii_forms=True, width=12),
    Column("installation", gettext_lazy("Installation"), hint=gettext_lazy(
        "The name of a major hazard installation of the gateway's enterprise; empty: the gateway's."), width=22),
    Column("oel_mg_m3", gettext_lazy("Occupational exposure limit (mg/m³)"), hint=gettext_lazy(
        "For a toxic-gas detector left without setpoints: the substance's limit the standard's setpoints come "
        "from."), ascii_forms=True, width=16),
    Column("idlh_mg_m3", gettext_lazy("IDLH (mg/m³)"), hint=gettext_lazy(
        "For a toxic-gas detector whose range does not reach twice the exposure limit."), ascii_forms=True,
        width=14),
])
DECIMAL_KEYS = ("range_min", "range_max", "high_high", "high", "low", "low_low", "dead_band", "oel_mg_m3",
                "idlh_mg_m3")
WHOLE_KEYS = ("expected_interval_seconds", "delay_seconds")
DATA_SHEET_TITLE = gettext_lazy("Monitoring points")
NO_ROWS = gettext_lazy("“%(name)s” has no rows: fill in the first sheet from row 2 on, one point per row.")


@dataclass
class ValidRow:
    number: int
    point: MonitoringPoint
    #: whether the point took GB/T 50493-2019 5.5.2's setpoints
    filled: bool


#: Names enterprises' existing point lists use for a kind besides the catalogue's own (GB/T 50493-2019 says
#: 可燃气体 and 有毒气体; the catalogue says 可燃气体 and 有毒有害气体).
KIND_ALIASES = {"有毒气体": PointKind.TOXIC_GAS.value, "氧含量": PointKind.OXYGEN.value}


class PointRowChecker(RowChecker):
    """Reads the gateways the importer keeps and their enterprises' installations once; then each row."""

    def __init__(self, actor):
        gateways = list(Gateway.objects.visible_to(actor).select_related("enterprise", "installation"))
        self.gateways = {fold(gateway.code): gateway for gateway in gateways}
        self.installations: dict[int, dict[str, MajorHazardInstallation]] = defaultdict(dict)
        for installation in MajorHazardInstallation.objects.filter(
                enterprise_id__in={gateway.enterprise_id for gateway in gateways}):
            self.installations[installation.enterprise_id][fold(installation.name)] = installation
        self.kinds = {}
        for value, label in PointKind.choices:
            self.kinds[fold(value)] = value
            self.kinds.update({text: value for text in in_every_language(label)})
        self.kinds.update(KIND_ALIASES)
        self.rows: list[ValidRow] = []

    def check(self, number: int, values: dict, errors: ImportErrors) -> ValidRow | None:
        before = len(errors.items)
        refused = errors.keys_of(number)
        text = COLUMNS.texts(values)
        for column in COLUMNS:
            if column.required and column.key not in refused and text[column.key] == "":
                errors.add(number, column.key, _("This cell is required."))
        gateway = self._gateway(number, text["gateway"], errors)
        kind = self.kinds.get(fold(text["kind"])) if text["kind"] else None
        if text["kind"] and kind is None:
            errors.add(number, "kind", _("“%(value)s” is not one of: %(choices)s.")
                       % {"value": text["kind"], "choices": "、".join(str(label) for label in PointKind.labels)})
        numbers = self._numbers(number, values, errors, refused)
        if len(errors.items) > before:
            return None
        point = MonitoringPoint(gateway=gateway, code=text["code"], name=text["name"], kind=kind, unit=text["unit"],
                                **numbers)
        point.installation = self._installation(number, gateway, text["installation"], errors)
        point.stamp_from(gateway.enterprise)
        found, filled = services.point_errors(point)
        for field, messages in found.items():
            for message in messages:
                errors.add(number, field if field in COLUMNS.by_key else "", message)
        if len(errors.items) > before:
            return None
        row = ValidRow(number=number, point=point, filled=filled)
        self.rows.append(row)
        return row

    def _gateway(self, number: int, code: str, errors: ImportErrors) -> Gateway | None:
        if not code:
            return None
        gateway = self.gateways.get(fold(code))
        if gateway is None:
            errors.add(number, "gateway", _("“%(code)s” is not one of your gateways.") % {"code": code})
        elif not gateway.is_active:
            errors.add(number, "gateway", _("The gateway is out of service: add points to one in service."))
        return gateway

    def _numbers(self, number: int, values: dict, errors: ImportErrors, refused: set) -> dict:
        """The numeric cells the row fills in; an empty one keeps the model's default."""
        numbers = {}
        for keys, read, convert in ((DECIMAL_KEYS, cells.decimal, float), (WHOLE_KEYS, cells.whole, int)):
            for key in keys:
                if key in refused:
                    continue
                try:
                    value = read(values.get(key))
                except BadCell as exc:
                    errors.add(number, key, exc)
                    continue
                if value is not None:
                    numbers[key] = convert(value)
        return numbers

    def _installation(self, number: int, gateway: Gateway, name: str, errors: ImportErrors):
        """The installation named among the gateway's enterprise's; none named: the gateway's (as the form)."""
        if not name:
            return gateway.installation
        installation = self.installations[gateway.enterprise_id].get(fold(name))
        if installation is None:
            errors.add(number, "installation", _("“%(name)s” is not a major hazard installation of %(enterprise)s.")
                       % {"name": name, "enterprise": gateway.enterprise.name})
        return installation

    def check_across(self, errors: ImportErrors) -> None:
        seen: dict[tuple[int, str], int] = {}
        for row in self.rows:
            first = seen.setdefault((row.point.gateway_id, row.point.code), row.number)
            if first != row.number:
                errors.add(row.number, "code", _("This point code of the same gateway is also on row %(row)d: one "
                                                 "row per point.") % {"row": first})
        self._registered(errors, [row for row in self.rows
                                  if seen[(row.point.gateway_id, row.point.code)] == row.number])

    def recheck(self, rows: list[ValidRow], errors: ImportErrors) -> None:
        self._registered(errors, rows)

    def _registered(self, errors: ImportErrors, rows: list[ValidRow]) -> None:
        """Codes the gateways have already, in one query."""
        by_key = {(row.point.gateway_id, row.point.code): row.number for row in rows}
        if not by_key:
            return
        existing = MonitoringPoint.objects.filter(gateway_id__in={gateway for gateway, _code in by_key},
                                                  code__in={code for _gateway, code in by_key})
        for key in existing.values_list("gateway_id", "code"):
            if key in by_key:
                errors.add(by_key[key], "code", services.DUPLICATE_POINT_CODE)


def _write_batch(actor, rows: list[ValidRow]) -> None:
    """What ``config_services.create_point`` writes for each row, a batch at a time: the point, its status row
    and its ``monitoring.point.create`` audit event (noting the standard's setpoints where they were taken)."""
    points = MonitoringPoint.objects.bulk_create([row.point for row in rows])
    PointStatus.objects.bulk_create([PointStatus(point=point) for point in points])
    audit.record_many(actor=actor, events=[
        ("monitoring.point.create", point, services.point_snapshot(point),
         services.STANDARD_SETPOINTS_NOTE if row.filled else "")
        for point, row in zip(points, rows, strict=True)])


def _record_import(job: PointImportJob, rows: list[ValidRow]) -> None:
    audit.record(actor=job.created_by, verb="monitoring.point.import", target=job,
                 changes={"file": job.original_name, "rows": len(rows), "created": len(rows),
                          "standard_setpoints": sum(row.filled for row in rows)})


@shared_task(name="monitoring.run_point_import", ignore_result=True)
def run_import_task(job_id: int, language: str | None = None) -> None:
    """Run an Excel import too large for the request. Idempotent: a job runs once."""
    POINT_IMPORT.run_job(job_id, language)


POINT_IMPORT = ImportKind(
    model=PointImportJob, columns=COLUMNS, sheet_title=DATA_SHEET_TITLE, no_rows_message=NO_ROWS,
    permissions=(CONFIGURE,), checker=PointRowChecker, write_batch=_write_batch,
    enqueue=in_background("shouye.monitoring.config_imports.run_import_task"), on_success=_record_import,
)
jobs_of, start_import = POINT_IMPORT.jobs_of, POINT_IMPORT.start


def template_workbook(actor) -> bytes:
    """The template: the data sheet's header and an Instructions sheet with the importer's gateways in service
    and the point kinds. No example row, so a filled template imports as it is."""
    gateways = Gateway.objects.visible_to(actor).filter(is_active=True).select_related("enterprise").order_by(
        "enterprise__name", "code")
    workbook = new_workbook()
    data = workbook.active
    data.title = str(DATA_SHEET_TITLE)
    guide = workbook.create_sheet(str(_("Instructions")))
    guide.append([str(_("Monitoring point import template"))])
    guide.append([str(_("Fill in one point per row on the first sheet, from row 2 on. Columns marked * are "
                        "required. The import is all-or-nothing."))])
    guide.append([])
    guide.append([str(_("Columns")), str(_("Required")), str(_("How to fill it in"))])
    for column in COLUMNS:
        guide.append([str(column.title), str(_("yes")) if column.required else "", str(column.hint)])
    guide.append([])
    guide.append([str(_("Gateway code")), str(_("Name")), str(_("Enterprise"))])
    for gateway in gateways:
        guide.append([gateway.code, gateway.name, gateway.enterprise.name])
    guide.append([])
    guide.append([str(_("Kind"))])
    first = guide.max_row + 1
    for _value, label in PointKind.choices:
        guide.append([str(label)])
    write_template_header(data, COLUMNS, {"kind": f"'{guide.title}'!$A${first}:$A${guide.max_row}"})
    guide.column_dimensions["A"].width = 34
    guide.column_dimensions["C"].width = 60
    return workbook_bytes(workbook)


def template_filename() -> str:
    return f"{_('Monitoring point import template')}.xlsx"


def error_filename(job: PointImportJob) -> str:
    return f"{_('%(name)s with errors') % {'name': PurePath(job.original_name).stem}}.xlsx"


__all__ = ["COLUMNS", "POINT_IMPORT", "XLSX_CONTENT_TYPE", "error_filename", "jobs_of", "start_import",
           "template_filename", "template_workbook"]
