"""Choices of the emergency plans and drills (应急预案与演练, REGULATIONS.md §6, REGULATIONS-2.md §E.1–§E.2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    """Who owns the plans: the district government, one of its departments, a township (乡镇/街道), or an
    enterprise (708号令 Art. 5)."""

    DISTRICT = "district", _("District government")
    DEPARTMENT = "department", _("Department")
    TOWNSHIP = "township", _("Township")
    ENTERPRISE = "enterprise", _("Enterprise")


class DrillCategory(models.TextChoices):
    """The unit's category for the drill clocks (山东省安全生产条例 Art. 63, the ``drill-frequency`` rule)."""

    GOVERNMENT = "government", _("Government, department or township")
    HIGH_RISK = "high_risk", _("High-risk unit or crowded place")
    OTHER = "other", _("Other unit")


class PlanKind(models.TextChoices):
    """2号令 Art. 6: the three plan types."""

    COMPREHENSIVE = "comprehensive", _("Comprehensive plan")
    SPECIAL = "special", _("Special emergency plan")
    ON_SITE = "on_site", _("On-site plan")


class PlanTopic(models.TextChoices):
    """What emergencies a special plan (专项应急预案) covers: 2号令 Art. 6 writes one for "one or more kinds of
    accident", and a district writes its special plans by kind of emergency (生产安全事故, 危险化学品事故, 森林火灾,
    防汛抗旱, 地质灾害, 地震). An incident's response offers the special plans whose topics its kind names."""

    PRODUCTION_SAFETY = "production_safety", _("Production safety accident")
    HAZARDOUS_CHEMICALS = "hazardous_chemicals", _("Hazardous chemicals accident")
    FOREST_FIRE = "forest_fire", _("Forest fire")
    FLOOD_DROUGHT = "flood_drought", _("Flood and drought")
    GEOLOGICAL_DISASTER = "geological_disaster", _("Geological disaster")
    EARTHQUAKE = "earthquake", _("Earthquake")
    OTHER = "other", _("Other emergency")


class PlanState(models.TextChoices):
    """Draft → published (公布) → filed (备案) → under revision (a new version is being written) → superseded
    (its successor is published). A plan under revision still applies until then."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    FILED = "filed", _("Filed")
    UNDER_REVISION = "under_revision", _("Under revision")
    SUPERSEDED = "superseded", _("Superseded")


class Audience(models.TextChoices):
    """708号令 Art. 5: enterprises publish to their workforce; governments, and in Shandong high-risk units and
    crowded places (山东省安全生产条例 Art. 62), to society."""

    WORKFORCE = "workforce", _("Workforce")
    SOCIETY = "society", _("Society")


class RevisionTrigger(models.TextChoices):
    """708号令 Art. 6 ¶2 (REGULATIONS-2.md §E.1): the six reasons a plan must be revised."""

    LAW_CHANGED = "law_changed", _("Major change in laws, regulations or standards")
    COMMAND_CHANGED = "command_changed", _("Change of the command body or its duties")
    RISK_CHANGED = "risk_changed", _("Major change in the risks")
    RESOURCES_CHANGED = "resources_changed", _("Major change in key emergency resources")
    DRILL_PROBLEMS = "drill_problems", _("Major problems found in a drill or a real response")
    OTHER = "other", _("Other")


class DocumentKind(models.TextChoices):
    """The documents a plan version holds: its text (filed with the office, 2号令 Art. 26), the filing receipt
    the office issues (备案登记表) and the evaluation report (Art. 35)."""

    PLAN_TEXT = "plan_text", _("Plan text")
    FILING_RECEIPT = "filing_receipt", _("Filing receipt")
    EVALUATION_REPORT = "evaluation_report", _("Evaluation report")


class DrillKind(models.TextChoices):
    TABLETOP = "tabletop", _("Tabletop")
    FUNCTIONAL = "functional", _("Functional")
    FULL_SCALE = "full_scale", _("Full-scale")


class DrillState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ProblemOutcome(models.TextChoices):
    """What became of a problem a drill found: noted only, a hazard (enterprises), or a plan revision."""

    NOTED = "noted", _("Noted")
    HAZARD = "hazard", _("Reported as a hazard")
    REVISION = "revision", _("Plan revision opened")


#: Plans still in force (drilled, evaluated, counted).
LIVE_STATES = (PlanState.PUBLISHED, PlanState.FILED, PlanState.UNDER_REVISION)

#: The categories the bureau may set on an enterprise (a government is one by Art. 63 ¶1, never by choice).
ENTERPRISE_CATEGORIES = [(DrillCategory.HIGH_RISK.value, DrillCategory.HIGH_RISK.label),
                         (DrillCategory.OTHER.value, DrillCategory.OTHER.label)]
