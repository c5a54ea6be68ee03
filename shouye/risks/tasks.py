"""Background jobs of the investigation tasks, of the bureau's liveness table and of the risk list's import.
Each only calls its engine (``shouye.risks.generation``, ``shouye.risks.liveness_summary``,
``shouye.risks.imports``); all are idempotent."""

from celery import shared_task

from . import generation, imports, liveness_summary


@shared_task(name="shouye.risks.tasks.generate_instances", ignore_result=True)
def generate_instances() -> dict:
    """Celery beat "risk-tasks-daily", 00:20 Asia/Shanghai: the instances of every active task up to the end
    of tomorrow, then the instances whose window closed undone recorded as missed."""
    return {**generation.generate_instances(), **generation.mark_missed()}


@shared_task(name="shouye.risks.tasks.mark_missed", ignore_result=True)
def mark_missed() -> dict:
    """Celery beat "risk-tasks-missed", every hour at :05: an hourly window that closed undone is recorded as
    missed within the hour."""
    return generation.mark_missed()


@shared_task(name="shouye.risks.tasks.run_import", ignore_result=True)
def run_import(job_id: int, language: str | None = None) -> None:
    """Run a risk list import too large for the request. Idempotent: a job runs once."""
    imports.RISK_IMPORT.run_job(job_id, language)


@shared_task(name="shouye.risks.tasks.refresh_liveness", ignore_result=True)
def refresh_liveness() -> dict:
    """Celery beat "risk-liveness-daily", 00:01 Asia/Shanghai: every enterprise's liveness summary for the new
    day (decision 0013)."""
    return liveness_summary.refresh_summaries()
