"""Choices of monitoring and alarms (issue 13, decision 0014). Codes that differ between products (the
HH/H/L/LL numbering, vendors' type codes and severity scales) are data, not choices: REGULATIONS-2 §B.4, §D.1."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PointKind(models.TextChoices):
    """What a monitoring point measures: the five process quantities and the gas-leak detectors 40号令 Art. 13
    requires of a major hazard installation (REGULATIONS-2 §B.3), and oxygen (GB/T 50493-2019 5.5.2)."""

    TEMPERATURE = "temperature", _("Temperature")
    PRESSURE = "pressure", _("Pressure")
    LEVEL = "level", pgettext_lazy("measured quantity", "Level")  # 液位, not the alarm's 等级
    FLOW = "flow", _("Flow")
    COMPOSITION = "composition", _("Composition")
    COMBUSTIBLE_GAS = "combustible", _("Combustible gas")
    TOXIC_GAS = "toxic", _("Toxic gas")
    OXYGEN = "oxygen", _("Oxygen")


#: The kinds that are gas detectors, which get GB/T 50493-2019 5.5.2's setpoints by default.
GAS_KINDS = (PointKind.COMBUSTIBLE_GAS, PointKind.TOXIC_GAS, PointKind.OXYGEN)


class Condition(models.TextChoices):
    """A point's condition: normal, one of the four bands (高高报/高报/低报/低低报, REGULATIONS-2 §B.4), or
    unhealthy (no reading for the configured number of intervals; the same value for too long)."""

    NORMAL = "normal", _("Normal")
    HIGH_HIGH = "hh", _("High-high (高高报)")
    HIGH = "h", _("High (高报)")
    LOW = "l", _("Low (低报)")
    LOW_LOW = "ll", _("Low-low (低低报)")
    OFFLINE = "offline", _("Offline")
    STUCK = "stuck", _("Stuck value")


#: The four threshold bands, worst first on each side.
BAND_CONDITIONS = (Condition.HIGH_HIGH, Condition.HIGH, Condition.LOW, Condition.LOW_LOW)


class AlarmSource(models.TextChoices):
    SENSOR = "sensor", _("Sensor")
    VIDEO = "video", _("Video AI")


class AlarmKind(models.TextChoices):
    """What an alarm is about. A point has at most one active alarm of each sensor kind: a process excursion
    that worsens from 高报 to 高高报 raises the level of the same alarm (``condition`` is the worst reached)."""

    PROCESS = "process", _("Process value out of limits")
    OFFLINE = "offline", _("Point offline")
    STUCK = "stuck", _("Stuck value")
    VIDEO = "video", _("Video AI scene")


class AlarmLevel(models.TextChoices):
    """红/橙/黄/蓝 = 重大/较大/一般/低风险预警 (REGULATIONS-2 §B.5, the Jilin mechanism [P])."""

    RED = "red", _("Red")
    ORANGE = "orange", _("Orange")
    YELLOW = "yellow", _("Yellow")
    BLUE = "blue", _("Blue")


#: Most severe first (the board's order).
LEVEL_ORDER = (AlarmLevel.RED, AlarmLevel.ORANGE, AlarmLevel.YELLOW, AlarmLevel.BLUE)


class AlarmState(models.TextChoices):
    """raised → acknowledged → handling → cleared → closed (issue 13). A video alarm is cleared only by a
    person (the scene is clear); a sensor alarm clears itself when the rule of its level says so and the value
    is back within limits. Closing records the disposition."""

    RAISED = "raised", _("Raised")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    HANDLING = "handling", _("Being handled")
    CLEARED = "cleared", _("Cleared")
    CLOSED = "closed", _("Closed")


#: The states of an alarm that still needs someone (the board's "now", the duty console's list).
ACTIVE_STATES = (AlarmState.RAISED, AlarmState.ACKNOWLEDGED, AlarmState.HANDLING)
#: The states of an alarm not yet closed.
OPEN_STATES = (*ACTIVE_STATES, AlarmState.CLEARED)


class Disposition(models.TextChoices):
    """How a closed alarm is classed (issue 13); the false-alarm rate is ``false`` over all closed."""

    REAL = "real", _("Real alarm")
    FALSE = "false", _("False alarm")
    MAINTENANCE = "maintenance", _("Maintenance")
    TEST = "test", _("Test")


class NotifyRole(models.TextChoices):
    """Who an alarm rule notifies (issue 13; which person must respond is [U], REGULATIONS-2 §B.5)."""

    ENTERPRISE_DUTY = "enterprise_duty", _("Enterprise duty person")
    INSTALLATION_RESPONSIBLE = "installation_responsible", _("Responsible persons of the installation")
    TOWNSHIP_OFFICER = "township_officer", _("Township officer")
    BUREAU_DUTY = "bureau_duty", _("Bureau duty")


class ClearCondition(models.TextChoices):
    """How an alarm of a level is cleared (消警, [U] REGULATIONS-2 §B.5)."""

    AUTOMATIC = "automatic", _("When the value is back within limits")
    MANUAL = "manual", _("By a person only")


class SceneZone(models.TextChoices):
    """The zones of a gas station the cameras watch (REGULATIONS-2 §D.2 [P])."""

    PERIMETER = "perimeter", _("Perimeter")
    UNLOADING = "unloading", _("Unloading area")
    FUELLING = "fuelling", _("Fuelling area")
    TANK_FARM = "tank_farm", _("Tank farm")
    SHOP = "shop", _("Shop")
    PROCESS = "process", _("Process area")
    OTHER = "other", _("Other")


class VendorProtocol(models.TextChoices):
    """How a video-AI vendor's body is read (``monitoring.intake.adapters``): the generic JSON of REGULATIONS-2
    §D.2's typical payload, or GB/T 28181's alarm fields (§D.1)."""

    JSON = "json", _("Generic JSON")
    GB28181 = "gb28181", _("GB/T 28181 alarm")
