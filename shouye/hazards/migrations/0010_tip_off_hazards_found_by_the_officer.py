"""Hazards already made from tip-offs named the tip-off's sender as who found them, and the enterprise and the
township read that (issue 9). Each is now found by the officer who triaged the tip-off (the officer who
reported it, for a hazard reported by hand with the source "tip-off"), under that officer's name as the
service writes it (``str(user)``: the display name, else the user name).

The audit events of the triage are left as they are: the chain is hash-linked, and they hold the tip-off's
id, not who sent it."""

from collections import defaultdict

from django.conf import settings
from django.db import migrations

#: Hazards updated per statement.
BATCH = 1000


def officer_found_tip_off_hazards(apps, schema_editor):
    Hazard = apps.get_model("hazards", "Hazard")
    TipOff = apps.get_model("hazards", "TipOff")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    triaged_by = dict(TipOff.objects.filter(hazard__isnull=False).values_list("hazard_id", "triaged_by_id"))
    by_officer = defaultdict(list)
    for pk, found_by_id in Hazard.objects.filter(source="tip_off").values_list("pk", "found_by_id").iterator():
        by_officer[triaged_by.get(pk) or found_by_id].append(pk)
    names = {pk: display_name or username for pk, display_name, username in
             User.objects.filter(pk__in=[pk for pk in by_officer if pk]).values_list("pk", "display_name", "username")}
    for officer_id, hazards in by_officer.items():
        for start in range(0, len(hazards), BATCH):
            Hazard.objects.filter(pk__in=hazards[start:start + BATCH]).update(
                found_by_id=officer_id, found_by_name=names.get(officer_id, ""))


class Migration(migrations.Migration):

    dependencies = [
        ('hazards', '0009_tip_off_photo_names_not_the_senders'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(officer_found_tip_off_hazards, migrations.RunPython.noop),
    ]
