"""Excel export of exactly the filtered personnel ledger, one row per certificate (a person without one has a row
of their own), with ID numbers and phones masked for those who do not need them. Written by the platform's one
spreadsheet writer (``shouye.core.xlsx.StreamingXlsx``, formula injection neutralised); the export is an audited
act.

As the hazard ledger's (``shouye.hazards.exports``), a ledger of more than ``SHOUYE_LEDGER_SYNC_MAX_ROWS`` rows
(setting, default 5000) is exported in the background by a :class:`~shouye.workareas.models.WorkerExport` job:
:func:`start_export` creates it, ``shouye.workareas.tasks.run_export`` writes the file into a temporary file on
disk and reports its progress; a smaller one is written during the request."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Count, Q
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.core.jobs import Progress, finish, owned_by, run_once
from shouye.core.xlsx import StreamingXlsx

from .choices import CertificateFlag, CertificateKind
from .masking import certificate_number, worker_contact
from .models import Worker, WorkerExport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMN_WIDTHS = (6, 28, 10, 22, 14, 14, 24, 18, 26, 22, 12, 12, 12, 12, 12, 12, 14, 20)


def export_columns() -> list[str]:
    return [_("No."), _("Enterprise"), _("Name"), _("ID number"), _("Post"), _("Phone"), _("High-risk work areas"),
            _("Certificate kind"), _("Operation category"), _("Certificate number"), _("Issued on"),
            _("Last review on"), _("Expires on"), _("Next review due"), _("Apply from"), _("Apply by"),
            _("Certificate state"), _("Issuing authority")]


def _rows(worker, actor, today, labels):
    contact = worker_contact(worker, actor)
    person = [worker.enterprise.name, worker.name, contact["id_number"], worker.post, contact["phone"],
              "、".join(area.name for area in worker.work_areas.all())]
    certificates = list(worker.certificates.all())
    if not certificates:
        return [person + [""] * 11]
    return [person + [labels[c.kind], c.operation_category,
                      certificate_number(c.number, actor), c.issued_on, c.last_review_on or "",
                      c.expires_on, c.next_review_due or "", c.apply_from or "", c.apply_by,
                      labels[c.flag(today)], c.authority]
            for c in certificates]


#: Rows between two progress reports of a background export.
PROGRESS_EVERY = 1000
#: The ledger's order in every export (the page's).
ORDER = ("enterprise__name", "name", "id")


def sync_max_rows() -> int:
    """SHOUYE_LEDGER_SYNC_MAX_ROWS (default 5000), the hazard ledger's threshold: a personnel ledger with more
    rows is exported in the background with a progress bar; up to that many are written during the request."""
    return settings.SHOUYE_LEDGER_SYNC_MAX_ROWS


def row_count(queryset) -> int:
    """The rows an export of these people writes, one per certificate and one per person without any, in one
    query (the filters may join work areas: the people are counted once each)."""
    people = Worker.objects.filter(pk__in=queryset.order_by().values("pk"))
    counts = people.aggregate(certificate_rows=Count("certificates"),
                              bare_rows=Count("pk", filter=Q(certificates__isnull=True)))
    return counts["certificate_rows"] + counts["bare_rows"]


def export_filename(job_id: int | None = None) -> str:
    """An ASCII file name; a background export's carries its job number."""
    suffix = f"-{job_id}" if job_id is not None else ""
    return f"personnel-ledger-{timezone.localtime():%Y%m%d-%H%M}{suffix}.xlsx"


def write_workers(*, actor, queryset, output, progress: Callable[[int], None] | None = None) -> int:
    """Write the given (already scoped, filtered and prefetched) ledger as xlsx into ``output``, a binary file;
    ``progress(rows_written)`` is called every PROGRESS_EVERY rows and at the end. Returns the rows written."""
    today = timezone.localdate()
    # Each label translated once, not once per row.
    labels = {value: str(label) for value, label in [*CertificateKind.choices, *CertificateFlag.choices]}
    count = 0
    with StreamingXlsx(output, sheet_name=_("Personnel ledger"), column_widths=COLUMN_WIDTHS,
                       freeze_header=True) as book:
        book.write_header(export_columns())
        for worker in queryset.iterator(chunk_size=1000):
            for row in _rows(worker, actor, today, labels):
                count += 1
                book.write_row([count, *row])
                if progress is not None and count % PROGRESS_EVERY == 0:
                    progress(count)
    if progress is not None:
        progress(count)
    with transaction.atomic():
        audit.record(actor=actor, verb="worker.export", note=f"{count} rows")
    return count


def export_workers(*, actor, queryset) -> tuple[bytes, str]:
    """Write the given ledger to xlsx in memory (an export within the request); returns (content, file name)."""
    buffer = io.BytesIO()
    write_workers(actor=actor, queryset=queryset, output=buffer)
    return buffer.getvalue(), export_filename()


# --- background exports --------------------------------------------------------------------------------


def exports_of(actor):
    """The background exports an actor may look at: its own (they hold rows of its scope at the time)."""
    return owned_by(WorkerExport, actor)


def start_export(*, actor, filters: QueryDict, total_rows: int) -> WorkerExport:
    """Queue a background export of the ledger with these filters; the task runs once the job is committed.
    The rows are those the filters select in the creator's scope when the job runs."""
    from .tasks import run_export

    query = filters.copy()
    query.pop("page", None)
    job = WorkerExport.objects.create(created_by=actor, query=query.urlencode(), total_rows=total_rows,
                                      language=translation.get_language() or "")
    job.filename = export_filename(job_id=job.pk)
    job.save(update_fields=["filename"])
    transaction.on_commit(lambda: run_export.delay(job.pk))
    return job


def _write_export(job: WorkerExport) -> None:
    """The claimed job's file: the ledger its filters select in its creator's scope, now."""
    from shouye.core.filters import valid_filterset

    from . import selectors
    from .filters import WorkerFilter

    queryset = valid_filterset(WorkerFilter, QueryDict(job.query),
                               selectors.workers(job.created_by).order_by(*ORDER)).qs
    filename = job.filename or export_filename(job_id=job.pk)
    with tempfile.TemporaryFile(suffix=".xlsx") as output, Progress(job, every=PROGRESS_EVERY) as progress:
        count = write_workers(actor=job.created_by, queryset=queryset, output=output,
                              progress=lambda rows: progress.report(rows, force=True))
        output.seek(0)
        job.file.save(filename, File(output, name=filename), save=False)
    finish(job, WorkerExport.Status.SUCCEEDED, file=job.file, filename=filename, processed_rows=count,
           total_rows=count)


def _export_failed(job: WorkerExport, exc: Exception) -> None:
    finish(job, WorkerExport.Status.FAILED, error=str(exc)[:2000])


def run_export(job: WorkerExport) -> WorkerExport:
    """Write the job's file. A job runs once: one that is no longer waiting is left as it is."""
    return run_once(job, _write_export, language=job.language, crashed=_export_failed)
