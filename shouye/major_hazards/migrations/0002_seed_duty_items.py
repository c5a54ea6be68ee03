"""Seeds the responsible persons' task lists (``shouye.major_hazards.duty_items``, where the texts and their
sources are)."""

from django.db import migrations

from shouye.major_hazards import duty_items


def seed(apps, schema_editor):
    duty_items.load(apps)


def unseed(apps, schema_editor):
    apps.get_model("major_hazards", "DutyItem").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("major_hazards", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
