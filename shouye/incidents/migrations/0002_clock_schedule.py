"""Celery beat: "incidents-clocks" every minute warns the duty staff before a reporting clock runs out and marks
the overdue ones missed."""

from django.db import migrations

from shouye.core.schedules import crontab_task


class Migration(migrations.Migration):

    dependencies = [
        ("incidents", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        crontab_task("incidents-clocks", "shouye.incidents.tasks.watch_clocks", hour="*", minute="*",
                     description="事件报告时限 Warn before reporting clocks run out; mark the overdue missed"),
    ]
