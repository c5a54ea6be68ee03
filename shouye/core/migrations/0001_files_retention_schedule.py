"""Celery beat deletes the files of imports and exports past their retention period
(shouye.core.tasks.remove_expired_files) at 02:00 Asia/Shanghai."""

from django.db import migrations

from shouye.core.schedules import daily_task


class Migration(migrations.Migration):

    dependencies = [
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        daily_task("files-retention", "shouye.core.tasks.remove_expired_files", hour=2,
                   description="删除超过保留期限的导入、导出文件 Files of imports and exports past their retention"),
    ]
