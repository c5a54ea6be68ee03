"""Running a background job: the claim, progress reports, the end (see :mod:`shouye.core.jobs`)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation

from .models import BackgroundJob

logger = logging.getLogger(__name__)

#: Rows between two progress writes, unless the job type says otherwise.
PROGRESS_EVERY = 50


def owned_by(model: type[BackgroundJob], actor):
    """The jobs of this type an actor may look at: its own (they hold rows of its scope at the time)."""
    return model.objects.filter(created_by=actor)


def claim(job: BackgroundJob) -> bool:
    """Move the job from waiting to its running status in one conditional UPDATE; False when it was no longer
    waiting (a task delivered twice, or a job already run in the request). The job is reloaded either way."""
    model = type(job)
    claimed = model.objects.filter(pk=job.pk, status=model.QUEUED).update(status=model.CLAIMED)
    job.refresh_from_db()
    return bool(claimed)


def run_once(job: BackgroundJob, work: Callable[[BackgroundJob], None], *, language: str | None,
             crashed: Callable[[BackgroundJob, Exception], None]) -> BackgroundJob:
    """Claim the job and do its work in the job's language; an unexpected error is logged and handed to
    ``crashed``, which records the failure as the job type shows it. A job that cannot be claimed is left
    alone."""
    if not claim(job):
        return job
    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            work(job)
        except Exception as exc:
            logger.exception("%s %s stopped", type(job).__name__, job.pk)
            crashed(job, exc)
    return job


def finish(job: BackgroundJob, status: str, **fields) -> None:
    """Set the job's final status, its finishing time and the given fields of its result, and save them."""
    job.status = status
    job.finished_at = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["status", "finished_at", *fields])


class Progress:
    """Writes ``processed_rows`` where someone polling the job page can see it, every ``every`` rows.

    Outside a transaction a plain UPDATE is committed at once. Work that is all-or-nothing runs in one long
    transaction, where an UPDATE through the same connection would stay invisible until the end. On
    PostgreSQL the count therefore goes through a second connection in autocommit mode. The main transaction
    does not touch the job row until its very end, and the second connection skips the row if a caller's own
    transaction holds it, so the two never wait on each other. SQLite has a single writer: while the work's
    transaction holds it no other connection can write (not even the polling request's session), so there
    the count goes through the same connection and shows when the work commits.
    """

    def __init__(self, job: BackgroundJob, *, every: int = PROGRESS_EVERY):
        self.job = job
        self.every = every
        self.last = -every
        self._side = None

    def report(self, processed: int, *, force: bool = False) -> None:
        if not force and processed - self.last < self.every:
            return
        self.last = processed
        self.job.processed_rows = processed
        if connection.in_atomic_block and connection.vendor == "postgresql":
            self._report_beside(processed)
        else:
            type(self.job).objects.filter(pk=self.job.pk).update(processed_rows=processed)

    def _report_beside(self, processed: int) -> None:
        if self._side is None:
            main = transaction.get_connection()
            self._side = type(main)(dict(main.settings_dict), alias=main.alias)
        table = type(self.job)._meta.db_table
        with self._side.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET processed_rows = %s WHERE id = "
                           f"(SELECT id FROM {table} WHERE id = %s FOR UPDATE SKIP LOCKED)",
                           [processed, self.job.pk])

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
