from django.db import migrations


class Migration(migrations.Migration):
    """The duty records and their photos live on as task instances and records (0004): their tables go, and
    so does the permission to record a duty (a duty is done as an investigation task)."""

    dependencies = [
        ('major_hazards', '0004_duty_records_to_task_instances'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='majorhazardinstallation',
            options={'ordering': ['-id'], 'permissions': [('manage_installation', "Can manage the major hazard installations of one's own enterprise"), ('export_installation', 'Can export the major hazard installations')], 'verbose_name': 'major hazard installation', 'verbose_name_plural': 'major hazard installations'},
        ),
        migrations.DeleteModel(
            name='DutyPhoto',
        ),
        migrations.DeleteModel(
            name='DutyRecord',
        ),
    ]
