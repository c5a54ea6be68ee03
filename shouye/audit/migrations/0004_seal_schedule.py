"""Celery beat seals audit events left unsealed (shouye.audit.tasks.seal_chain) every minute, well inside
the five minutes after which verification reports an unsealed event (services.SEAL_GRACE)."""

from django.db import migrations

from shouye.core.schedules import crontab_task


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_chain_position_sealed_after_commit"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        crontab_task("audit-seal", "shouye.audit.tasks.seal_chain",
                     description="封存审计事件 Seal committed audit events into the hash chain"),
    ]
