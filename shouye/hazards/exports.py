"""Excel export of the hazard ledger (隐患台账), issue 3 "The ledger and statistics".

The workbook has the fixed columns of the ledger layout the bureau files (see :data:`LEDGER_COLUMNS`) and
exactly the rows of the queryset it is given, which the caller has already scoped and filtered with the
ledger's FilterSet.

It streams, so that a 100,000-row ledger stays within a small, constant amount of memory: the rows are read
with ``values()`` (no model instances) through ``.iterator(chunk_size=2000)`` (a server-side cursor on
PostgreSQL), and written by :class:`~shouye.core.xlsx.StreamingXlsx` row by row into a temporary file on
disk (openpyxl's write-only mode, at about half a millisecond a row, took well over a minute for 100,000
rows). The caller streams that file to the client.

Ledgers of more than ``SHOUYE_LEDGER_SYNC_MAX_ROWS`` rows (setting, default 5000) are exported in the
background by a :class:`~shouye.hazards.models.LedgerExport` job: :func:`start_ledger_export` creates the job
and :func:`run_ledger_export_task` (Celery) writes the file and reports its progress. Every export, in the
request or in the background, is one ``hazard.export`` audit event.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from datetime import date

from celery import shared_task
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.core.jobs import Progress, finish, owned_by, run_once
from shouye.core.xlsx import StreamingXlsx

from .choices import HazardLevel, HazardSource, HazardState, InvestigationType
from .models import OPEN_STATES, LedgerExport

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: The columns of the hazard ledger, in order. They are the fixed official layout of the 隐患排查治理台账 the
#: bureau keeps and files (issue 3, "The ledger and statistics"), so they are literal Chinese constants and
#: not translated: the same headers whatever the language of the user who exports.
LEDGER_COLUMNS = (
    "序号", "企业名称", "统一社会信用代码", "所属街镇", "行业", "隐患描述", "隐患级别", "隐患来源", "发现日期",
    "整改措施", "整改责任人", "整改期限", "整改资金(元)", "状态", "复查日期", "复查人", "是否逾期",
)
#: Column widths (characters) of the layout, one per column.
COLUMN_WIDTHS = (6, 30, 22, 12, 14, 40, 12, 12, 12, 30, 12, 12, 14, 14, 12, 12, 10)
#: The sheet's title in the workbook (the layout's name).
SHEET_TITLE = "隐患台账"

#: What one ledger row reads from the database: plain values, no model instances.
ROW_FIELDS = (
    "enterprise__name", "enterprise__credit_code", "township__name", "industry__name", "description", "level",
    "source", "investigation_type", "found_at", "measures", "responsible_person", "deadline", "funds", "state", "reinspected_at",
    "reinspected_by__display_name", "reinspected_by__username",
)
#: The ledger's sort keys (page and export share them): ``?sort=deadline`` or ``?sort=-deadline``.
SORTS = {"found": "found_at", "deadline": "deadline", "enterprise": "enterprise__name",
         "township": "township__code", "level": "level", "state": "state"}
DEFAULT_SORT = "-found_at"
#: Rows read from the database per round trip (a server-side cursor on PostgreSQL).
CHUNK_SIZE = 2000
#: Rows between two progress reports of a background export.
PROGRESS_EVERY = 1000


def sync_max_rows() -> int:
    """SHOUYE_LEDGER_SYNC_MAX_ROWS (default 5000): a ledger with more rows is exported in the background with
    a progress bar; up to that many are written during the request (a few seconds at most)."""
    return settings.SHOUYE_LEDGER_SYNC_MAX_ROWS


def sort_ledger(queryset, sort: str):
    """The ledger in the order the page shows it: by a key of SORTS (``-`` for descending), newest found
    first by default; ties by id, so the order is total and an export matches the page row for row."""
    key = sort.lstrip("-")
    if key in SORTS:
        prefix = "-" if sort.startswith("-") else ""
        return queryset.order_by(f"{prefix}{SORTS[key]}", f"{prefix}id")
    return queryset.order_by(DEFAULT_SORT, "-id")


def ledger_filename(today: date | None = None, job_id: int | None = None) -> str:
    """An ASCII file name (it goes into a Content-Disposition header as it is); a background export's carries
    its job number."""
    suffix = f"-{job_id}" if job_id is not None else ""
    return f"hazard-ledger-{(today or timezone.localdate()):%Y%m%d}{suffix}.xlsx"


def _local_date(moment, zone):
    return moment.astimezone(zone).date() if moment is not None else None


def _source_cell(source: str, investigation_type: str) -> str:
    """隐患来源, with the kind of investigation of a hazard from an investigation task (issue 11) in the same
    cell, so the official layout keeps its columns."""
    return f"{source}（{investigation_type}）" if investigation_type else source


def _row_writer(today: date) -> Callable[[int, dict], list]:
    """A function turning (sequence number, one ``values()`` row) into the cells of the layout. The labels
    of level, source and state are those of the active language."""
    levels, sources, states = dict(HazardLevel.choices), dict(HazardSource.choices), dict(HazardState.choices)
    labels = {key: str(value) for choices in (levels, sources, states) for key, value in choices.items()}
    kinds = {key: str(value) for key, value in InvestigationType.choices}
    yes, no = _("Yes"), _("No")
    zone = timezone.get_current_timezone()  # once, not per row: looking it up is a context-local read

    def cells(number: int, row: dict) -> list:
        deadline = row["deadline"]
        overdue = row["state"] in OPEN_STATES and deadline is not None and deadline < today
        return [
            number, row["enterprise__name"], row["enterprise__credit_code"], row["township__name"],
            row["industry__name"], row["description"], labels.get(row["level"], row["level"]),
            _source_cell(labels.get(row["source"], row["source"]), kinds.get(row["investigation_type"], "")),
            _local_date(row["found_at"], zone), row["measures"],
            row["responsible_person"], deadline, row["funds"], labels.get(row["state"], row["state"]),
            _local_date(row["reinspected_at"], zone),
            row["reinspected_by__display_name"] or row["reinspected_by__username"] or "",
            yes if overdue else no,
        ]

    return cells


def export_ledger(*, actor, queryset, progress: Callable[[int], None] | None = None,
                  filters: Mapping | None = None):
    """Write the given (already scoped and filtered) hazards to the ledger layout; returns ``(file, name)``:
    an open temporary file positioned at its start (deleted when closed) and the file name.

    ``progress(rows_written)`` is called every PROGRESS_EVERY rows and once at the end; ``filters`` (the
    ledger's filter parameters) are recorded in the ``hazard.export`` audit event."""
    today = timezone.localdate()
    cells = _row_writer(today)
    count = 0
    output = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        with StreamingXlsx(output, sheet_name=SHEET_TITLE, column_widths=COLUMN_WIDTHS, freeze_header=True,
                           local_timezone=timezone.get_current_timezone()) as book:
            book.write_header(LEDGER_COLUMNS)
            rows = queryset.values(*ROW_FIELDS).iterator(chunk_size=CHUNK_SIZE)
            for count, row in enumerate(rows, start=1):
                book.write_row(cells(count, row))
                if progress is not None and count % PROGRESS_EVERY == 0:
                    progress(count)
        if progress is not None:
            progress(count)
        output.seek(0)
        with transaction.atomic():
            audit.record(actor=actor, verb="hazard.export", note=f"{count} rows",
                         changes={"rows": count, "filters": _plain(filters)})
    except BaseException:
        output.close()
        raise
    return output, ledger_filename(today)


def _plain(filters: Mapping | None) -> dict:
    """The non-empty filter parameters as a plain dict, for the audit event."""
    if not filters:
        return {}
    items = filters.lists() if isinstance(filters, QueryDict) else ((k, v) for k, v in filters.items())
    plain = {}
    for key, value in items:
        values = [str(v) for v in (value if isinstance(value, list | tuple) else [value]) if str(v)]
        if values and key not in ("page", "sort"):
            plain[key] = values[0] if len(values) == 1 else values
    return plain


# --- background exports --------------------------------------------------------------------------------


def exports_of(actor):
    """The background exports an actor may look at: its own (they hold rows of its scope at the time)."""
    return owned_by(LedgerExport, actor)


def start_ledger_export(*, actor, filters: QueryDict, total_rows: int) -> LedgerExport:
    """Queue a background export of the ledger with these filters; the task runs once the job is committed.
    The rows are those the filters select in the creator's scope when the job runs."""
    query = filters.copy()
    query.pop("page", None)
    job = LedgerExport.objects.create(created_by=actor, query=query.urlencode(), total_rows=total_rows,
                                      language=translation.get_language() or "")
    job.filename = ledger_filename(job_id=job.pk)
    job.save(update_fields=["filename"])
    transaction.on_commit(lambda: run_ledger_export_task.delay(job.pk))
    return job


def _write_export(job: LedgerExport) -> None:
    """The claimed job's file: the ledger its filters select in its creator's scope, now."""
    from .selectors import ledger_rows

    filters = QueryDict(job.query)
    with Progress(job, every=PROGRESS_EVERY) as progress:
        queryset = sort_ledger(ledger_rows(job.created_by, filters), filters.get("sort", ""))
        output, _name = export_ledger(actor=job.created_by, queryset=queryset, filters=filters,
                                      progress=lambda rows: progress.report(rows, force=True))
    filename = job.filename or ledger_filename(job_id=job.pk)
    with output:
        job.file.save(filename, File(output, name=filename), save=False)
    finish(job, LedgerExport.SUCCEEDED, file=job.file, filename=filename, processed_rows=progress.last,
           total_rows=progress.last)


def _export_failed(job: LedgerExport, exc: Exception) -> None:
    finish(job, LedgerExport.FAILED, error=str(exc)[:2000])


def run_ledger_export(job: LedgerExport) -> LedgerExport:
    """Write the job's file. A job runs once: one that is no longer waiting is left as it is."""
    return run_once(job, _write_export, language=job.language, crashed=_export_failed)


@shared_task(name="shouye.hazards.exports.run_ledger_export", ignore_result=True)
def run_ledger_export_task(job_id: int) -> None:
    """The background export (registered when the hazards app is ready). Idempotent: a job runs once."""
    job = LedgerExport.objects.filter(pk=job_id).first()
    if job is not None:
        run_ledger_export(job)
