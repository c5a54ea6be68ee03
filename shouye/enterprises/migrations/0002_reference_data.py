from django.db import migrations


def load(apps, schema_editor):
    from shouye.enterprises.reference_data import load as load_reference

    load_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial"), ("accounts", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
