"""Choices of the major hazard installations (重大危险源, GB 18218-2018; 包保责任制, 应急厅〔2021〕12号)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstallationKind(models.TextChoices):
    """GB 18218-2018 3.2: a unit is a production unit or a storage unit; a storage unit is a tank farm (ends at
    its fire dike) or a warehouse (a separate building) (REGULATIONS.md §1.1)."""

    PRODUCTION = "production", _("Production unit")
    TANK_FARM = "tank_farm", _("Storage unit: tank farm")
    WAREHOUSE = "warehouse", _("Storage unit: warehouse")


class InstallationState(models.TextChoices):
    """Draft: registered, inventory being entered (identified automatically on every change); filed: the
    filing (备案) with the bureau is recorded, which needs S ≥ 1 (GB 18218-2018 4.2.1); cancelled: no longer a
    major hazard installation (核销), kept with its history."""

    DRAFT = "draft", _("Draft")
    FILED = "filed", _("Filed")
    CANCELLED = "cancelled", _("Cancelled")


class PersonRole(models.TextChoices):
    """应急厅〔2021〕12号 Art. 3: the principal, technical and operational responsible persons."""

    PRINCIPAL = "principal", _("Principal responsible person")
    TECHNICAL = "technical", _("Technical responsible person")
    OPERATIONAL = "operational", _("Operational responsible person")


#: Table 6 grade numbers and their names.
GRADE_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
GRADE_COLOURS = {1: "#b71c1c", 2: "#e65100", 3: "#f9a825", 4: "#1565c0"}
