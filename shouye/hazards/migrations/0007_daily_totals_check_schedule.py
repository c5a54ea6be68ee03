"""Celery beat checks the statistics' daily totals against the hazards every night
(shouye.hazards.tasks.check_daily_totals) at 01:30 Asia/Shanghai."""

from django.db import migrations

from shouye.core.schedules import daily_task


class Migration(migrations.Migration):

    dependencies = [
        ("hazards", "0006_files_retention"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        daily_task("hazard-totals", "shouye.hazards.tasks.check_daily_totals", hour=1, minute=30,
                   description="核对隐患统计日汇总 Check the hazard statistics' daily totals against the hazards"),
    ]
