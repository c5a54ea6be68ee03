"""Background jobs of the core app. Each only calls a service."""

from celery import shared_task
from django.utils import timezone

from . import retention


@shared_task(name="shouye.core.tasks.remove_expired_files", ignore_result=True)
def remove_expired_files() -> int:
    """Celery beat "files-retention", daily at 02:00 Asia/Shanghai: the files of imports and exports past
    their retention period (shouye.core.retention)."""
    return retention.remove_expired_files(now=timezone.now())
