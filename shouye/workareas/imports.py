"""Excel import of the personnel ledger on the core import kit (``shouye.core.importkit``, which describes how every
import behaves): all-or-nothing, every error as (row, column, reason), large files in the background.

One row is one person of the importer's enterprise, with at most one certificate (further certificates are added
on the person's page). Each row goes through the checks ``services.register_worker`` makes: the model validation
(the ID number by GB 11643, the phone), the certificate rows and their dates, the enterprise's own high-risk work
areas admitting the person's post; across rows, an ID number repeated in the file or already in the ledger, and each work area's maximum
number of people counting the rows before it."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db.models import Count
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
from shouye.enterprises.models import Enterprise
from shouye.regions.scoping import scope_for

from . import services
from .choices import CertificateKind
from .models import WorkArea, Worker, WorkerCertificate, WorkerImportJob

_DATE_HINT = gettext_lazy("A date as YYYY-MM-DD.")
COLUMNS = Columns([
    Column("name", gettext_lazy("Name"), True),
    Column("id_number", gettext_lazy("ID number"), True,
           gettext_lazy("The 18-character resident ID number (GB 11643-1999)."), True, 22, ascii_forms=True,
           text_only=True),
    Column("post", gettext_lazy("Post"), True),
    Column("phone", gettext_lazy("Phone"), hint=gettext_lazy("A mobile number of 11 digits or a landline such as "
                                                              "0531-87654321."), text_format=True, ascii_forms=True),
    Column("work_areas", gettext_lazy("High-risk work areas"),
           hint=gettext_lazy("Names of the enterprise's high-risk work areas, separated by 、 or , or ；."), width=30),
    Column("kind", gettext_lazy("Certificate kind"),
           hint=gettext_lazy("Special-operation certificate or safety qualification certificate; kind, number and "
                             "issue date are needed when a certificate is given."), width=24),
    Column("operation_category", gettext_lazy("Operation category"),
           hint=gettext_lazy("Required for a special-operation certificate."), width=26),
    Column("number", gettext_lazy("Certificate number"), text_format=True, width=22, ascii_forms=True),
    Column("issued_on", gettext_lazy("Issued on"), hint=_DATE_HINT),
    Column("last_review_on", gettext_lazy("Last review on"), hint=_DATE_HINT),
    Column("continuous_years", gettext_lazy("Continuous years in the trade"), hint=gettext_lazy("A whole number.")),
    Column("authority", gettext_lazy("Issuing authority"), width=20),
])
CERTIFICATE_KEYS = ["kind", "operation_category", "number", "issued_on", "last_review_on", "continuous_years",
                    "authority"]
DATA_SHEET_TITLE = gettext_lazy("Personnel ledger")
NO_ROWS = gettext_lazy("“%(name)s” has no rows: fill in the first sheet from row 2 on, one person per row.")
_SEPARATORS = re.compile(r"[、,，;；\n]+")


def importer_enterprise(actor) -> Enterprise | None:
    """The enterprise an import writes into: the importer's one enterprise (an enterprise user's), else None."""
    ids = scope_for(actor).enterprise_ids
    if len(ids) != 1:
        return None
    return Enterprise.objects.filter(pk__in=ids).first()


@dataclass
class ValidRow:
    number: int
    worker: Worker
    areas: list
    certificates: list


class WorkerRowChecker(RowChecker):
    def __init__(self, actor):
        self.enterprise = importer_enterprise(actor)
        areas = [] if self.enterprise is None else list(
            WorkArea.objects.filter(enterprise=self.enterprise, high_risk=True))
        self.areas = {fold(area.name): area for area in areas}
        self.kinds = {}
        for value, label in CertificateKind.choices:
            self.kinds[fold(value)] = value
            self.kinds.update({text: value for text in in_every_language(label)})
        self.rows: list[ValidRow] = []
        self.refused_file = False

    def check(self, number: int, values: dict, errors: ImportErrors) -> ValidRow | None:
        if self.enterprise is None:
            if not self.refused_file:
                errors.add(None, "", _("Only the user of one enterprise imports its personnel ledger."))
                self.refused_file = True
            return None
        before = len(errors.items)
        refused = errors.keys_of(number)
        text = COLUMNS.texts(values)
        for column in COLUMNS:
            if column.required and column.key not in refused and text[column.key] == "":
                errors.add(number, column.key, _("This cell is required."))
        worker = Worker(name=text["name"], id_number=text["id_number"].upper(), post=text["post"], phone=text["phone"])
        worker.stamp_from(self.enterprise, locked=True)
        try:
            worker.full_clean(exclude=["enterprise", "township", "industry", "work_areas", *refused],
                              validate_constraints=False)
        except ValidationError as exc:
            errors.add_validation(number, exc, {f: f for f in services.WORKER_FIELDS})
        areas = []
        for name in filter(None, (part.strip() for part in _SEPARATORS.split(text["work_areas"]))):
            area = self.areas.get(fold(name))
            if area is None:
                errors.add(number, "work_areas", _("“%(name)s” is not one of the enterprise's high-risk work areas.")
                           % {"name": name})
            elif area not in areas:
                areas.append(area)
        if "post" not in refused and text["post"]:
            for message in services.post_errors(areas, text["post"]).get("work_areas", []):
                errors.add(number, "work_areas", message)
        certificates = self._certificate(number, values, text, errors, refused)
        if len(errors.items) > before:
            return None
        row = ValidRow(number=number, worker=worker, areas=areas, certificates=certificates)
        self.rows.append(row)
        return row

    def _certificate(self, number, values, text, errors, refused) -> list:
        if not any(text[key] for key in CERTIFICATE_KEYS):
            return []
        data, failed = {"operation_category": text["operation_category"], "number": text["number"],
                        "authority": text["authority"]}, False
        for key in ("kind", "number", "issued_on"):
            if not text[key] and key not in refused:
                errors.add(number, key, _("Kind, number and issue date are needed when a certificate is given."))
                failed = True
        if text["kind"]:
            data["kind"] = self.kinds.get(fold(text["kind"]))
            if data["kind"] is None:
                labels = "、".join(str(label) for label in CertificateKind.labels)
                errors.add(number, "kind", _("“%(value)s” is not one of: %(choices)s.")
                           % {"value": text["kind"], "choices": labels})
                failed = True
        for key, read in (("issued_on", cells.date_value), ("last_review_on", cells.date_value),
                          ("continuous_years", cells.whole)):
            try:
                value = read(values.get(key))
            except BadCell as exc:
                errors.add(number, key, exc)
                failed = True
            else:
                if value is not None:
                    data[key] = value
        if failed:
            return []
        try:
            return services.clean_certificates([data])
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                field = key.rsplit(".", 1)[-1]
                for message in messages:
                    errors.add(number, field if field in COLUMNS.by_key else "", message)
            return []

    def check_across(self, errors: ImportErrors) -> None:
        seen: dict[str, int] = {}
        for row in self.rows:
            first = seen.setdefault(row.worker.id_number, row.number)
            if first != row.number:
                errors.add(row.number, "id_number", _("This ID number is also on row %(row)d: one row per person.")
                           % {"row": first})
        self._registered(errors, [row for row in self.rows if seen[row.worker.id_number] == row.number])
        self._capacity(errors)

    def recheck(self, rows: list[ValidRow], errors: ImportErrors) -> None:
        self._registered(errors, rows)

    def _registered(self, errors, rows) -> None:
        numbers = {row.worker.id_number: row.number for row in rows}
        for id_number in Worker.objects.filter(enterprise=self.enterprise, id_number__in=list(numbers)).values_list(
                "id_number", flat=True):
            errors.add(numbers[id_number], "id_number", _("This ID number is already in the enterprise's personnel "
                                                          "ledger."))

    def _capacity(self, errors) -> None:
        """Each area's people in the ledger plus the rows naming it, up to its maximum: the first row over it
        and every later one are refused."""
        wanted = Counter(area.pk for row in self.rows for area in row.areas)
        areas = {area.pk: area for row in self.rows for area in row.areas}
        present = dict(Worker.objects.filter(work_areas__in=list(wanted)).values_list("work_areas").annotate(
            n=Count("pk", distinct=True)).order_by()) if wanted else {}
        taken = Counter()
        for row in self.rows:
            for area in row.areas:
                taken[area.pk] += 1
                if present.get(area.pk, 0) + taken[area.pk] > area.max_people:
                    errors.add(row.number, "work_areas", _(
                        "“%(area)s” allows at most %(max)d people; it has %(present)d in the ledger and this row "
                        "would be number %(n)d.") % {"area": areas[area.pk].name, "max": area.max_people,
                                                    "present": present.get(area.pk, 0),
                                                    "n": present.get(area.pk, 0) + taken[area.pk]})


def _write_batch(actor, rows: list[ValidRow]) -> None:
    """What ``services.register_worker`` writes for each row, a batch at a time: the rows went through the same
    checks, so here they are inserted, each with its ``worker.register`` audit event."""
    workers = Worker.objects.bulk_create([row.worker for row in rows])
    through = Worker.work_areas.through
    links, certificates = [], []
    for worker, row in zip(workers, rows, strict=True):
        links += [through(worker_id=worker.pk, workarea_id=area.pk) for area in row.areas]
        for certificate in row.certificates:
            certificate.worker = worker
            certificates.append(certificate)
    through.objects.bulk_create(links)
    WorkerCertificate.objects.bulk_create(certificates)
    audit.record_many(actor=actor, events=[
        ("worker.register", worker, {"fields": services.worker_snapshot(worker, row.areas, row.certificates)}, "")
        for worker, row in zip(workers, rows, strict=True)])


def _record_import(job: WorkerImportJob, rows: list[ValidRow]) -> None:
    audit.record(actor=job.created_by, verb="worker.import", target=job,
                 changes={"file": job.original_name, "rows": len(rows), "created": len(rows)})


WORKER_IMPORT = ImportKind(
    model=WorkerImportJob, columns=COLUMNS, sheet_title=DATA_SHEET_TITLE, no_rows_message=NO_ROWS,
    permissions=("workareas.import_worker", "workareas.add_worker"), checker=WorkerRowChecker,
    write_batch=_write_batch, enqueue=in_background("shouye.workareas.tasks.run_import"),
    on_success=_record_import,
)
jobs_of, start_import = WORKER_IMPORT.jobs_of, WORKER_IMPORT.start


def template_workbook(actor) -> bytes:
    """The template: the data sheet's header and an Instructions sheet with the enterprise's high-risk work areas
    and the certificate kinds. No example row, so a filled template imports as it is."""
    enterprise = importer_enterprise(actor)
    areas = [] if enterprise is None else list(
        WorkArea.objects.filter(enterprise=enterprise, high_risk=True).order_by("name"))
    workbook = new_workbook()
    data = workbook.active
    data.title = str(DATA_SHEET_TITLE)
    guide = workbook.create_sheet(str(_("Instructions")))
    guide.append([str(_("Personnel ledger import template"))])
    guide.append([str(_("Fill in one person per row on the first sheet, from row 2 on. Columns marked * are "
                        "required. The import is all-or-nothing."))])
    guide.append([])
    guide.append([str(_("Columns")), str(_("Required")), str(_("How to fill it in"))])
    for column in COLUMNS:
        guide.append([str(column.title), str(_("yes")) if column.required else "", str(column.hint)])
    guide.append([])
    guide.append([str(_("High-risk work areas")), str(_("Maximum number of people"))])
    for area in areas:
        guide.append([area.name, area.max_people])
    guide.append([])
    guide.append([str(_("Certificate kind"))])
    first = guide.max_row + 1
    for _value, label in CertificateKind.choices:
        guide.append([str(label)])
    lists = {"kind": f"'{guide.title}'!$A${first}:$A${guide.max_row}"}
    write_template_header(data, COLUMNS, lists)
    guide.column_dimensions["A"].width = 34
    guide.column_dimensions["C"].width = 60
    return workbook_bytes(workbook)


def template_filename() -> str:
    return f"{_('Personnel ledger import template')}.xlsx"


def error_filename(job: WorkerImportJob) -> str:
    return f"{_('%(name)s with errors') % {'name': PurePath(job.original_name).stem}}.xlsx"


__all__ = ["COLUMNS", "WORKER_IMPORT", "XLSX_CONTENT_TYPE", "error_filename", "jobs_of", "start_import",
           "template_filename", "template_workbook"]
