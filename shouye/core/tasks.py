"""Background jobs of the core app. Each only calls a service."""

from celery import shared_task
from django.utils import timezone

from . import retention
from .registry import retention_rules


@shared_task(name="shouye.core.tasks.remove_expired_files", ignore_result=True)
def remove_expired_files() -> dict:
    """Celery beat "files-retention", daily at 02:00 Asia/Shanghai: the files of imports and exports past
    their retention period, photos no row holds (shouye.core.retention), and each app's own rules
    (registry.retention_rules)."""
    now = timezone.now()
    return {"transfers": retention.remove_expired_files(now=now),
            "orphan_photos": retention.remove_orphan_photos(now=now),
            **{name: rule(now=now) for name, rule in retention_rules.items()}}
