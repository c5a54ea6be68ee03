"""Celery beat: "permits-expire" closes, every hour at :10 Asia/Shanghai, the approved permits whose planned end
has passed before completion (GB 30871-2022 4.16)."""

from django.db import migrations

from shouye.core.schedules import crontab_task


class Migration(migrations.Migration):

    dependencies = [
        ("permits", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        crontab_task("permits-expire", "shouye.permits.tasks.expire_permits", hour="*", minute="10",
                     description="作业票超时失效 Permits whose time ran out before completion"),
    ]
