"""Seed the positions of a shift and the duty settings (REGULATIONS.md §8, common local practice [P]: 1 leader
on duty + 1–2 duty officers per 24-hour shift; no national number exists for a district bureau). Reinforced
days add a second duty officer and one standby; the handover time is 08:30 [P]. The bureau edits all of it."""

import datetime

from django.db import migrations

POSITIONS = [
    # code, name, order, is_leader, is_standby, per_shift, reinforced_extra
    ("leader", "带班领导", 10, True, False, 1, 0),
    ("officer", "值班员", 20, False, False, 1, 1),
    ("standby", "备勤", 30, False, True, 0, 1),
]


def seed(apps, schema_editor):
    position = apps.get_model("duty", "DutyPosition")
    for code, name, order, is_leader, is_standby, per_shift, extra in POSITIONS:
        position.objects.get_or_create(code=code, defaults={
            "name": name, "order": order, "is_leader": is_leader, "is_standby": is_standby,
            "per_shift": per_shift, "reinforced_extra": extra})
    apps.get_model("duty", "DutySetup").objects.get_or_create(pk=1, defaults={
        "handover_time": datetime.time(8, 30), "reinforce_eve": True, "reinforce_day_after": True})


def unseed(apps, schema_editor):
    apps.get_model("duty", "DutySetup").objects.filter(pk=1).delete()
    apps.get_model("duty", "DutyPosition").objects.filter(code__in=[p[0] for p in POSITIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("duty", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
