"""Loads the checklist library (checklist_library.py): the 20 items of 安监总管三〔2017〕121号 and the general
checklists. Idempotent: creates what is missing and leaves existing checklists (and their edits) alone."""

from django.db import migrations


def load_library(apps, schema_editor):
    from shouye.inspections import checklist_library

    checklist_library.load(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("inspections", "0001_initial"),
        ("enterprises", "0002_reference_data"),
    ]

    operations = [
        migrations.RunPython(load_library, migrations.RunPython.noop),
    ]
