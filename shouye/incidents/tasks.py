"""Background jobs of the incidents. Each only calls a service; idempotent."""

from celery import shared_task

from . import services


@shared_task(name="shouye.incidents.tasks.watch_clocks", ignore_result=True)
def watch_clocks() -> dict:
    """Celery beat "incidents-clocks", every minute: warn before a clock runs out, mark the overdue missed."""
    return {"warned": services.warn_clocks(), "missed": services.mark_missed_clocks()}
