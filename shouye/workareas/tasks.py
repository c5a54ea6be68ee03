"""Background jobs of the personnel ledger. Each loads its row by id and calls the import or the export."""

from celery import shared_task

from . import exports, imports
from .models import WorkerExport


@shared_task(name="workareas.run_import", ignore_result=True)
def run_import(job_id: int, language: str | None = None) -> None:
    """Run an Excel import too large for the request. Idempotent: a job runs once."""
    imports.WORKER_IMPORT.run_job(job_id, language)


@shared_task(name="workareas.run_export", ignore_result=True)
def run_export(job_id: int) -> None:
    """Write an Excel export of the ledger too large for the request. Idempotent: a job runs once."""
    job = WorkerExport.objects.filter(pk=job_id).first()
    if job is not None:
        exports.run_export(job)
