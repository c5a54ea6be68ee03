"""Celery beat: "monitoring-escalate" escalates, every minute, the raised alarms whose acknowledgement deadline
passed (issue 13; the deadlines are the level rules' [U], REGULATIONS-2 §B.5)."""

from django.db import migrations

from shouye.core.schedules import crontab_task


class Migration(migrations.Migration):

    dependencies = [
        ("monitoring", "0002_rule_tables"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        crontab_task("monitoring-escalate", "shouye.monitoring.tasks.escalate_alarms", hour="*", minute="*",
                     description="报警确认超时升级 Alarms not acknowledged in time are escalated"),
    ]
