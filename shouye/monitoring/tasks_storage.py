"""The readings' storage jobs (shouye.monitoring.storage), run by Celery beat from the entries of migration
0003_storage_schedules; imported by MonitoringConfig.ready(), since Celery discovers only ``tasks`` modules. The
retention of readings and aggregates runs in the daily retention job (core.registry.retention_rules)."""

from celery import shared_task
from django.utils import timezone

from . import storage


@shared_task(name="shouye.monitoring.tasks_storage.roll_up_readings", ignore_result=True)
def roll_up_readings() -> int:
    """"monitoring-rollup", every hour at :05 Asia/Shanghai: the finished hours' minute aggregates."""
    return storage.roll_up_recent(now=timezone.now())


@shared_task(name="shouye.monitoring.tasks_storage.maintain_storage", ignore_result=True)
def maintain_storage() -> dict:
    """"monitoring-storage", daily at 00:20 Asia/Shanghai: the next week's partitions; yesterday rolled up whole."""
    return storage.maintain(now=timezone.now())
