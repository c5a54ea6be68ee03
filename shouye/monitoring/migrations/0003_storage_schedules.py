"""Celery beat entries of the readings' storage (shouye.monitoring.tasks_storage): the hourly roll-up into minute
aggregates at :05, and the daily partitions ahead and roll-up of yesterday at 00:20 Asia/Shanghai (before the
02:00 retention job, which drops the expired days)."""

from django.db import migrations

from shouye.core.schedules import crontab_task, daily_task


class Migration(migrations.Migration):

    dependencies = [
        ("monitoring", "0002_rule_tables"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        crontab_task("monitoring-rollup", "shouye.monitoring.tasks_storage.roll_up_readings", hour="*", minute="5",
                     description="监测数据按分钟汇总 Readings rolled up into minute aggregates"),
        daily_task("monitoring-storage", "shouye.monitoring.tasks_storage.maintain_storage", hour=0, minute=20,
                   description="监测数据分区预建 Reading partitions of the coming week"),
    ]
