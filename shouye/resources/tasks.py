"""Background jobs of the reserves. Each loads its row by id and calls the import."""

from celery import shared_task

from . import imports


@shared_task(name="resources.run_import", ignore_result=True)
def run_import(job_id: int, language: str | None = None) -> None:
    """Run a stock-list import too large for the request. Idempotent: a job runs once."""
    imports.STOCK_IMPORT.run_job(job_id, language)
