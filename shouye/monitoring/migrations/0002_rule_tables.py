from django.db import migrations


def seed(apps, schema_editor):
    """The rule tables' first rows ([U] defaults, editable: shouye.monitoring.defaults)."""
    from shouye.monitoring import defaults

    defaults.seed(apps)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
