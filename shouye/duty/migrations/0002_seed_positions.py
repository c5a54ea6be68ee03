"""Seed the positions of a shift and the duty settings (shouye/duty/defaults.py: REGULATIONS.md §8 [P])."""

from django.db import migrations


def seed(apps, schema_editor):
    from shouye.duty.defaults import load

    load(apps)


def unseed(apps, schema_editor):
    from shouye.duty.defaults import POSITIONS

    apps.get_model("duty", "DutySetup").objects.filter(pk=1).delete()
    apps.get_model("duty", "DutyPosition").objects.filter(code__in=[p[0] for p in POSITIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("duty", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
