from django.db import models
from django.utils.translation import gettext_lazy as _


class WarningKind(models.TextChoices):
    RAINSTORM = "rainstorm", _("Rainstorm")
    GALE = "gale", _("Gale")
    HIGH_TEMPERATURE = "high_temperature", _("High temperature")
    FOREST_FIRE_DANGER = "forest_fire_danger", _("Forest-fire danger")
    OTHER = "other", _("Other")


class WarningSource(models.TextChoices):
    METEOROLOGICAL = "meteorological", _("Meteorological bureau")
    MANUAL = "manual", _("Entered by hand")


class WarningState(models.TextChoices):
    ISSUED = "issued", _("Issued")
    ADJUSTED = "adjusted", _("Adjusted")
    LIFTED = "lifted", _("Lifted")


class WarningColour(models.TextChoices):
    """突发事件应对法 (2024) Art. 63: 一级 红, 二级 橙, 三级 黄, 四级 蓝."""

    RED = "red", _("Red")
    ORANGE = "orange", _("Orange")
    YELLOW = "yellow", _("Yellow")
    BLUE = "blue", _("Blue")


#: Art. 63: level 1 is the highest.
LEVEL_CHOICES = [(1, _("Level 1 (red)")), (2, _("Level 2 (orange)")), (3, _("Level 3 (yellow)")),
                 (4, _("Level 4 (blue)"))]

FIRE_DANGER_CHOICES = [(n, str(n)) for n in range(1, 6)]


class SeasonKind(models.TextChoices):
    FLOOD = "flood", _("Flood season")
    FOREST_FIRE = "forest_fire", _("Forest-fire season")
    HIGH_FIRE_RISK = "high_fire_risk", _("High fire-risk period")
