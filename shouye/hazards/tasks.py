"""Background jobs of the hazards app. Each only calls a service; all are idempotent."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="shouye.hazards.tasks.daily_deadlines", ignore_result=True)
def daily_deadlines() -> dict:
    """The daily deadline run (Celery beat "hazards-daily", 01:00 Asia/Shanghai): overdue marks, escalations
    and reminders for today. Running it twice a day sends nothing twice (the service dedupes)."""
    return services.mark_overdue_and_notify(today=timezone.localdate())
