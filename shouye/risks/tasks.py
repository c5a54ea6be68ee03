"""Background jobs of the investigation tasks. Each only calls the engine (``shouye.risks.generation``); both
are idempotent."""

from celery import shared_task

from . import generation


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
