"""Celery beat runs the hazards' daily deadline job (shouye.hazards.tasks.daily_deadlines) at 01:00
Asia/Shanghai."""

from django.db import migrations

from shouye.core.schedules import daily_task


class Migration(migrations.Migration):

    dependencies = [
        ("hazards", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        daily_task("hazards-daily", "shouye.hazards.tasks.daily_deadlines", hour=1,
                   description="隐患逾期标记、升级与到期提醒 Overdue hazards, escalation and deadline reminders"),
    ]
