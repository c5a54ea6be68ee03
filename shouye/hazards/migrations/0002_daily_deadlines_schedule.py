"""Celery beat runs the hazards' daily deadline job (shouye.hazards.tasks.daily_deadlines) at 01:00
Asia/Shanghai. Idempotent: re-running finds the schedule and the task and leaves one of each."""

import zoneinfo

from django.db import migrations
from django.utils import timezone

TASK_NAME = "hazards-daily"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    crontab = CrontabSchedule.objects.filter(minute="0", hour="1", day_of_week="*", day_of_month="*",
                                             month_of_year="*", timezone=shanghai).first()
    if crontab is None:
        crontab = CrontabSchedule.objects.create(minute="0", hour="1", day_of_week="*", day_of_month="*",
                                                 month_of_year="*", timezone=shanghai)
    PeriodicTask.objects.update_or_create(name=TASK_NAME, defaults={
        "task": "shouye.hazards.tasks.daily_deadlines", "crontab": crontab, "interval": None, "enabled": True,
        "description": "隐患逾期标记、升级与到期提醒 Overdue hazards, escalation and deadline reminders",
    })
    # Tell a running DatabaseScheduler that the schedule changed (signals do not fire in migrations).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("hazards", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(create_schedule, remove_schedule),
    ]
