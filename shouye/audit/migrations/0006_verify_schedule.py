"""Celery beat verifies the audit trail every night at 02:30 Asia/Shanghai (shouye.audit.tasks.verify_nightly):
a broken chain is reported in the log the next morning without anyone running ``audit verify``."""

from django.db import migrations

from shouye.core.schedules import daily_task


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0005_keyed_chain"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        daily_task("audit-verify", "shouye.audit.tasks.verify_nightly", hour=2, minute=30,
                   description="校验审计链 Verify the audit trail's hash chain and anchors"),
    ]
