"""The positions of a shift and the duty settings as seeded (REGULATIONS.md §8, common local practice [P]: 1
leader on duty + 1–2 duty officers per 24-hour shift; no national number exists for a district bureau).
Reinforced days add a second duty officer and one standby; the handover time is 08:30 [P]. The bureau edits
all of it; migration 0002 and the demo (after a test flushed the tables) load them here."""

import datetime

POSITIONS = [
    # code, name, order, is_leader, is_standby, per_shift, reinforced_extra
    ("leader", "带班领导", 10, True, False, 1, 0),
    ("officer", "值班员", 20, False, False, 1, 1),
    ("standby", "备勤", 30, False, True, 0, 1),
]


def load(apps) -> None:
    """Create the positions and the settings row that are missing (idempotent)."""
    position = apps.get_model("duty", "DutyPosition")
    for code, name, order, is_leader, is_standby, per_shift, extra in POSITIONS:
        position.objects.get_or_create(code=code, defaults={
            "name": name, "order": order, "is_leader": is_leader, "is_standby": is_standby,
            "per_shift": per_shift, "reinforced_extra": extra})
    apps.get_model("duty", "DutySetup").objects.get_or_create(pk=1, defaults={
        "handover_time": datetime.time(8, 30), "reinforce_eve": True, "reinforce_day_after": True})
