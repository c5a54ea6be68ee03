"""Celery beat entries created by data migrations, so a fresh database runs its periodic jobs without anyone
setting them up (django_celery_beat's DatabaseScheduler reads them). Idempotent: migrating again finds the
schedule and the task and leaves one of each."""

import zoneinfo

from django.db import migrations
from django.utils import timezone


def daily_task(name: str, task: str, *, hour: int, minute: int = 0, description: str = "") -> migrations.RunPython:
    """A RunPython operation that makes Celery beat run ``task`` every day at ``hour:minute`` Asia/Shanghai
    under the entry ``name`` (and removes the entry when migrated backwards)."""
    return crontab_task(name, task, hour=str(hour), minute=str(minute), description=description)


def crontab_task(name: str, task: str, *, hour: str = "*", minute: str = "*",
                 description: str = "") -> migrations.RunPython:
    """A RunPython operation that makes Celery beat run ``task`` at the crontab ``minute`` and ``hour``
    (``"*"``: every one) Asia/Shanghai under the entry ``name`` (and removes the entry when migrated
    backwards)."""

    def create(apps, schema_editor):
        crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
        shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
        fields = {"minute": minute, "hour": hour, "day_of_week": "*", "day_of_month": "*",
                  "month_of_year": "*", "timezone": shanghai}
        crontab = crontab_model.objects.filter(**fields).first() or crontab_model.objects.create(**fields)
        apps.get_model("django_celery_beat", "PeriodicTask").objects.update_or_create(name=name, defaults={
            "task": task, "crontab": crontab, "interval": None, "enabled": True, "description": description,
        })
        # Tell a running DatabaseScheduler that the schedule changed (signals do not fire in migrations).
        apps.get_model("django_celery_beat", "PeriodicTasks").objects.update_or_create(
            ident=1, defaults={"last_update": timezone.now()})

    def remove(apps, schema_editor):
        apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=name).delete()

    return migrations.RunPython(create, remove)
