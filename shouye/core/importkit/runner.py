"""Starting and running an import: all-or-nothing, with progress (see :mod:`shouye.core.importkit`)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from shouye.core.jobs import Progress, finish, owned_by, run_once

from .columns import Columns
from .errors import ImportErrors
from .models import ImportJobBase
from .sheets import Sheet, count_rows, read_sheet
from .workbooks import error_workbook

logger = logging.getLogger(__name__)


class RowChecker:
    """Checks the rows of one import job, one at a time, then across rows. An import subclasses it."""

    def check(self, number: int, cells: dict, errors: ImportErrors) -> Any | None:
        """Check Excel row ``number`` (its cells by column key); add every problem to ``errors`` and return
        the row ready for the batch writer, or None when the row has an error. The kit has already refused
        what its columns declare (a number in a ``text_only`` column): skip the columns
        ``errors.keys_of(number)`` names."""
        raise NotImplementedError

    def check_across(self, errors: ImportErrors) -> None:
        """After every row: the checks across rows (a code repeated in the file, already registered)."""

    def recheck(self, rows: list, errors: ImportErrors) -> None:
        """After the write hit a unique constraint (another user registered the same code meanwhile): add
        the rows' conflicts to ``errors``; when none is found the database error is raised as it is."""


@dataclass(frozen=True)
class ImportKind:
    """What an import declares (see the package's guide)."""

    #: the concrete job model (derived from ImportJobBase)
    model: type[ImportJobBase]
    columns: Columns
    #: the title of the template's data sheet (a lazy msgid): the sheet of that title is read, in any language
    sheet_title: Any
    #: the error for a file without data rows, with ``%(name)s``, naming what the rows should be
    no_rows_message: Any
    #: what the user needs, checked when the file is uploaded and again when the job runs
    permissions: Sequence[str]
    #: ``checker(actor)`` → a RowChecker for one job
    checker: Callable[[Any], RowChecker]
    #: ``write_batch(actor, rows)``: inserts checked rows, with their audit events
    write_batch: Callable[[Any, list], None]
    #: ``enqueue(job_id, language)`` starts the import's Celery task (which calls :meth:`run_job`), as
    #: :func:`in_background` makes it
    enqueue: Callable[[int, str], None]
    #: ``on_success(job, rows)``, in the writing transaction after the last batch: the job's audit event
    on_success: Callable[[ImportJobBase, list], None] = lambda job, rows: None
    #: rows per batch written, and between two progress reports
    batch_size: int = 50

    def jobs_of(self, actor):
        """The imports an actor may look at: its own."""
        return owned_by(self.model, actor)

    def start(self, *, actor, upload, language: str | None = None) -> ImportJobBase:
        """:func:`start_import` of this kind."""
        return start_import(self, actor=actor, upload=upload, language=language)

    def run_job(self, job_id: int, language: str | None = None) -> None:
        """The body of the import's Celery task: the job by id through :func:`run_import`. Idempotent: a job
        runs once, and one that no longer exists is left alone."""
        job = self.model.objects.filter(pk=job_id).first()
        if job is not None:
            run_import(self, job, language=language)


def in_background(task: str) -> Callable[[int, str], None]:
    """An ``enqueue`` that delays the Celery task at the dotted path ``task`` with the job's id and language.
    The task is looked up when a job is queued: the app's task module imports its import module, which
    declares the kind."""

    def enqueue(job_id: int, language: str) -> None:
        import_string(task).delay(job_id, language)

    return enqueue


def ensure_can_import(kind: ImportKind, actor) -> None:
    if not all(actor.has_perm(permission) for permission in kind.permissions):
        raise PermissionDenied(_("You do not have permission to do this."))


def start_import(kind: ImportKind, *, actor, upload, language: str | None = None) -> ImportJobBase:
    """Store the uploaded file as a job and run it: at once when it has at most SHOUYE_IMPORT_SYNC_MAX_ROWS
    rows, otherwise in the background once the job is committed. A file over SHOUYE_IMPORT_MAX_BYTES is
    refused with a ValidationError before anything is stored."""
    ensure_can_import(kind, actor)
    name = PurePath(upload.name or "upload.xlsx").name[:200]
    limit = settings.SHOUYE_IMPORT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(_("“%(name)s” is %(size).1f MB; the largest file accepted is %(max).1f MB.")
                              % {"name": name, "size": upload.size / 2**20, "max": limit / 2**20})
    content = upload.read()
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    job = kind.model(created_by=actor, original_name=name)
    job.file.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(content), save=False)
    job.save()
    in_request = settings.SHOUYE_IMPORT_SYNC_MAX_ROWS
    if count_rows(content, sheet_title=kind.sheet_title, up_to=in_request) <= in_request:
        return run_import(kind, job, language=language)
    transaction.on_commit(lambda: kind.enqueue(job.pk, language))
    return job


def run_import(kind: ImportKind, job: ImportJobBase, *, language: str | None = None) -> ImportJobBase:
    """Check every row, then write all of them or none. Runs once per job: a second call (a task delivered
    twice) finds the job already claimed and does nothing."""

    def crashed(job, exc) -> None:
        errors = ImportErrors(kind.columns)
        errors.add(None, "", _("The import stopped on an unexpected error and nothing was imported. "
                               "Please tell the system administrator."))
        _fail(job, errors)

    return run_once(job, lambda job: _run(kind, job), language=language, crashed=crashed)


def _run(kind: ImportKind, job: ImportJobBase) -> None:
    errors = ImportErrors(kind.columns)
    try:
        ensure_can_import(kind, job.created_by)
    except PermissionDenied as exc:
        errors.add(None, "", str(exc))
        _fail(job, errors)
        return
    with job.file.open("rb") as handle:
        content = handle.read()
    sheet = read_sheet(content, job.original_name, errors, sheet_title=kind.sheet_title,
                       no_rows_message=kind.no_rows_message)
    if sheet is None or errors:
        _fail(job, errors, content, sheet)
        return
    checker = kind.checker(job.created_by)
    rows = _check(kind, job, sheet, checker, errors)
    if errors:
        _fail(job, errors, content, sheet)
        return
    try:
        _write(kind, job, rows)
    except IntegrityError:
        checker.recheck(rows, errors)
        if not errors:
            raise
        _fail(job, errors, content, sheet)


def _check(kind: ImportKind, job: ImportJobBase, sheet: Sheet, checker: RowChecker, errors: ImportErrors) -> list:
    """Every row through the checker, with progress; then the checks across rows."""
    job.total_rows = len(sheet.rows)
    type(job).objects.filter(pk=job.pk).update(total_rows=job.total_rows, processed_rows=0)
    valid = []
    with Progress(job, every=kind.batch_size) as progress:
        for index, (number, values) in enumerate(sheet.rows, start=1):
            cells = sheet.cells(values)
            kind.columns.refuse_numbers(number, cells, errors)
            row = checker.check(number, cells, errors)
            if row is not None:
                valid.append(row)
            progress.report(index)
        progress.report(len(sheet.rows), force=True)
    checker.check_across(errors)
    return valid


def _write(kind: ImportKind, job: ImportJobBase, rows: list) -> None:
    """All rows in one transaction, in batches with progress, then the job's own record in the same one."""
    job.status = job.Status.IMPORTING
    type(job).objects.filter(pk=job.pk).update(status=job.status, processed_rows=0)
    size = kind.batch_size
    with transaction.atomic():
        with Progress(job, every=size) as progress:
            for start in range(0, len(rows), size):
                kind.write_batch(job.created_by, rows[start:start + size])
                progress.report(min(start + size, len(rows)))
        finish(job, job.Status.SUCCEEDED, processed_rows=len(rows), created_count=len(rows), errors=[])
        kind.on_success(job, rows)


def _fail(job: ImportJobBase, errors: ImportErrors, content: bytes | None = None, sheet: Sheet | None = None) -> None:
    """Record the refusal: nothing was imported; the errors go on the job and into the error file."""
    fields = {"errors": errors.stored(), "created_count": 0}
    if content is not None and sheet is not None:
        try:
            annotated = error_workbook(content, sheet, errors)
        except Exception:  # the errors stay on the page even when the workbook cannot be rewritten
            logger.exception("import job %s: no file with the error column", job.pk)
        else:
            job.error_file.save(f"{uuid.uuid4().hex}-errors.xlsx", ContentFile(annotated), save=False)
            fields["error_file"] = job.error_file
    finish(job, job.Status.FAILED, **fields)
