"""The default minimum members per kind of team, loaded by migration 0002 and by the demo after a flush."""

#: Issue 14: the seed district's professional repair teams (power, water, gas, flood) have "at least 20 people
#: each". No other kind has a minimum in 708号令 or the Shandong rules: the bureau may set one.
BASIS = "议题14 种子区县：专业抢修队伍每支至少20人"
REPAIR_MINIMUM = 20
REPAIR_KINDS = ("repair_power", "repair_water", "repair_gas", "repair_flood")
ALL_KINDS = ("fire_brigade", "repair_power", "repair_water", "repair_gas", "repair_flood", "repair_other",
             "enterprise", "social", "volunteer", "militia")


def load(apps) -> None:
    """One rule per kind (those already there are left as the bureau edited them)."""
    rule = apps.get_model("resources", "TeamKindRule")
    for kind in ALL_KINDS:
        repair = kind in REPAIR_KINDS
        rule.objects.get_or_create(kind=kind, defaults={"minimum_members": REPAIR_MINIMUM if repair else None,
                                                        "basis": BASIS if repair else ""})
