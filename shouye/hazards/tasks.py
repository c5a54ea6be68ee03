"""Background jobs of the hazards app. Each only calls a service; all are idempotent."""

from celery import shared_task
from django.utils import timezone

from . import services, totals


@shared_task(name="shouye.hazards.tasks.daily_deadlines", ignore_result=True)
def daily_deadlines() -> dict:
    """The daily deadline run (Celery beat "hazards-daily", 01:00 Asia/Shanghai): overdue marks, escalations
    and reminders for today. Running it twice a day sends nothing twice (the service dedupes)."""
    return services.mark_overdue_and_notify(today=timezone.localdate())


@shared_task(name="shouye.hazards.tasks.check_daily_totals", ignore_result=True)
def check_daily_totals() -> int:
    """Celery beat "hazard-totals", 01:30 Asia/Shanghai: the statistics' daily totals checked against the
    hazards and rebuilt if they drifted (shouye.hazards.totals.repair)."""
    return totals.repair()

