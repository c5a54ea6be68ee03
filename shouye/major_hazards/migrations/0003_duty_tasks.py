import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The link of a responsible person's duty item to its investigation task of the risks engine."""

    dependencies = [
        ('major_hazards', '0002_seed_duty_items'),
        ('risks', '0004_duty_tasks_without_measures'),
    ]

    operations = [
        migrations.CreateModel(
            name='DutyTask',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='duty_tasks', to='major_hazards.dutyitem', verbose_name='duty item')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='duty_tasks', to='major_hazards.responsibleperson', verbose_name='responsible person')),
                ('task', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='duty', to='risks.investigationtask', verbose_name='investigation task')),
            ],
            options={
                'verbose_name': 'duty task',
                'verbose_name_plural': 'duty tasks',
                'ordering': ['person_id', 'item__number', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='dutytask',
            index=models.Index(fields=['person', 'item'], name='major_hazar_person__d27724_idx'),
        ),
    ]
