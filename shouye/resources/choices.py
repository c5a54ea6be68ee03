"""Kinds and states of the rescue forces and material reserves (issue 14; REGULATIONS-2 §E.1, §E.8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamKind(models.TextChoices):
    """The teams of the seed district (issue 14): the fire brigade, professional repair teams by field, the
    enterprises' own teams, social rescue organisations, volunteers and the militia."""

    FIRE_BRIGADE = "fire_brigade", _("Fire and rescue brigade")
    REPAIR_POWER = "repair_power", _("Professional repair team: power")
    REPAIR_WATER = "repair_water", _("Professional repair team: water")
    REPAIR_GAS = "repair_gas", _("Professional repair team: gas")
    REPAIR_FLOOD = "repair_flood", _("Professional repair team: flood control")
    REPAIR_OTHER = "repair_other", _("Professional repair team: other field")
    ENTERPRISE = "enterprise", _("Enterprise rescue team")
    SOCIAL = "social", _("Social rescue organisation")
    VOLUNTEER = "volunteer", _("Volunteer team")
    MILITIA = "militia", _("Militia")


class Readiness(models.TextChoices):
    READY = "ready", _("Ready")
    DEPLOYED = "deployed", _("Deployed")
    STOOD_DOWN = "stood_down", _("Stood down")


class WarehouseState(models.TextChoices):
    OPEN = "open", _("In use")
    CLOSED = "closed", _("Closed")


class MovementKind(models.TextChoices):
    """Every change of stock is one of these (Shandong 应急保障条例 Art. 43: stock kept, rotated and accounted)."""

    IN = "in", _("Stock in")
    OUT = "out", _("Stock out")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    DISPATCH = "dispatch", _("Dispatch to an incident")
    SCRAP = "scrap", _("Scrap")


class ReserveKind(models.TextChoices):
    """Reserves beside the physical stock (Shandong 应急保障条例 Art. 39: "实物储备和产能储备 … 相结合"; Art. 45:
    agreements with enterprises to secure production and supply)."""

    AGREEMENT = "agreement", _("Agreement reserve")
    CAPACITY = "capacity", _("Capacity reserve")


class ReserveState(models.TextChoices):
    """An agreement in force until its term ends (then it stops counting by itself) or it is terminated."""

    ACTIVE = "active", _("In force")
    TERMINATED = "terminated", _("Terminated")
