"""The topics of an emergency plan: the emergencies a special plan covers (``EmergencyPlan.topics``)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0002_plan_documents'),
    ]

    operations = [
        migrations.AddField(
            model_name='emergencyplan',
            name='topics',
            field=models.JSONField(blank=True, default=list, verbose_name='topics'),
        ),
    ]
