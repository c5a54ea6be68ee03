"""Background jobs of the reserves. Each loads its row by id and calls the import."""

from celery import shared_task

from . import imports
from .models import StockImportJob


@shared_task(name="resources.run_import", ignore_result=True)
def run_import(job_id: int, language: str | None = None) -> None:
    """Run a stock-list import too large for the request. Idempotent: a job runs once."""
    job = StockImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        imports.run_import(job, language=language)
