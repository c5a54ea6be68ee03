"""Seed the work calendar with every year the installed chinese_calendar package knows (REGULATIONS.md §8);
later years are added by an administrator when the State Council announces them."""

from django.db import migrations


def seed(apps, schema_editor):
    from shouye.workcalendar.package import seed_package_years

    seed_package_years(apps.get_model("workcalendar", "WorkCalendarYear"),
                       apps.get_model("workcalendar", "WorkCalendarDay"))


def unseed(apps, schema_editor):
    apps.get_model("workcalendar", "WorkCalendarYear").objects.filter(
        source="chinese_calendar", created_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
