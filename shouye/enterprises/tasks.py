"""Background jobs of the enterprise registry. Each loads its rows by id and calls a service."""

from celery import shared_task

from . import imports


@shared_task(name="enterprises.run_import", ignore_result=True)
def run_import(job_id: int, language: str | None = None) -> None:
    """Run an Excel import that is too large for the request. Idempotent: a job runs once (the service
    claims it while still waiting); a job that no longer exists or already ran is left alone."""
    imports.ENTERPRISE_IMPORT.run_job(job_id, language)
