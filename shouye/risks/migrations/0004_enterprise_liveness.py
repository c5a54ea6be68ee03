"""The per-enterprise liveness summary (EnterpriseLiveness, decision 0013) and the Celery beat entry
"risk-liveness-daily" that writes every enterprise's row for the new day (00:01 Asia/Shanghai). The table starts
empty: until the first run every enterprise is counted from the daily totals and the risk points, as before."""

import django.db.models.deletion
from django.db import migrations, models

from shouye.core.schedules import daily_task


class Migration(migrations.Migration):

    dependencies = [
        ('enterprises', '0004_files_retention'),
        ('risks', '0003_merge_liveness_indexes_and_frequencies'),
        ('django_celery_beat', '0019_alter_periodictasks_options'),
    ]

    operations = [
        migrations.CreateModel(
            name='EnterpriseLiveness',
            fields=[
                ('enterprise', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='risk_liveness', serialize=False, to='enterprises.enterprise')),
                ('as_of', models.DateField(verbose_name='as of')),
                ('due', models.PositiveIntegerField(default=0, verbose_name='due')),
                ('done', models.PositiveIntegerField(default=0, verbose_name='done')),
                ('missed', models.PositiveIntegerField(default=0, verbose_name='missed')),
                ('last_done_at', models.DateTimeField(blank=True, null=True, verbose_name='last done at')),
                ('points_major', models.PositiveIntegerField(default=0, verbose_name='major risk points')),
                ('points_high', models.PositiveIntegerField(default=0, verbose_name='high risk points')),
                ('points_moderate', models.PositiveIntegerField(default=0, verbose_name='moderate risk points')),
                ('points_low', models.PositiveIntegerField(default=0, verbose_name='low risk points')),
            ],
            options={
                'verbose_name': 'enterprise liveness',
                'verbose_name_plural': 'enterprise liveness',
            },
        ),
        daily_task("risk-liveness-daily", "shouye.risks.tasks.refresh_liveness", hour=0, minute=1,
                   description="双重预防运行情况汇总 Dual-prevention liveness summaries"),
    ]
