"""Seed the minimum members per kind of team (shouye.resources.rules_seed)."""

from django.db import migrations


def seed(apps, schema_editor):
    from shouye.resources import rules_seed

    rules_seed.load(apps)


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
