"""Choices of special-operation permits (GB 30871-2022). ``PermitKind`` is the work calendar's (decision 0011):
one name for the eight kinds wherever they appear."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shouye.workcalendar.choices import PermitKind

__all__ = ["APPROVER_LEVEL_RANK", "CLOSED_STATES", "KIND_PREFIX", "LIVE_STATES", "REQUIRED_LEVEL_BY_TABLE_B1",
           "ApproverLevel", "PermitKind", "PermitPersonRole", "PermitSource", "PermitState", "ProblemCode"]


class PermitState(models.TextChoices):
    """The flow derived from the forms' signature order (REGULATIONS-2 §C.2; the standard does not state it as
    a workflow): 申请 → 风险辨识/气体分析 → 措施确认 → 交底 → 会签/审核 → 审批 (现场) → (动火: 班长验票) → 实施 (监护)
    → 完工验收 → 归档. A permit closed before completion (cancelled, taken back, expired) is never reopened:
    the work needs a new permit (4.16/4.17)."""

    DRAFT = "draft", _("Draft")
    IDENTIFIED = "identified", _("Risks identified")
    MEASURES_CONFIRMED = "measures_ok", _("Measures confirmed")
    BRIEFED = "briefed", _("Briefed")
    SIGNING = "signing", _("Being signed")
    APPROVED = "approved", _("Approved")
    READY = "ready", _("Checked by the shift leader")
    IN_PROGRESS = "in_progress", _("In progress")
    SUSPENDED = "suspended", _("Suspended")
    COMPLETED = "completed", _("Accepted on completion")
    ARCHIVED = "archived", _("Archived")
    CANCELLED = "cancelled", _("Cancelled")
    REVOKED = "revoked", _("Taken back by the watchperson")
    EXPIRED = "expired", _("Expired")


#: The states of a permit whose work is under way (the live board's "in progress now").
LIVE_STATES = (PermitState.IN_PROGRESS, PermitState.SUSPENDED)
#: The states a permit can no longer leave except to the archive.
CLOSED_STATES = (PermitState.ARCHIVED, PermitState.CANCELLED, PermitState.REVOKED, PermitState.EXPIRED)


class PermitSource(models.TextChoices):
    """Where the permit was issued: filled in Shouye (the rules refuse what is wrong), or pushed by an
    enterprise's own permit system (what happened is recorded as it was sent, and what is wrong with it becomes
    a problem flag on the bureau's board)."""

    SHOUYE = "shouye", _("Issued in Shouye")
    EXTERNAL = "external", _("Pushed by the enterprise's system")


class ApproverLevel(models.TextChoices):
    """The approving level of Table B.1 (REGULATIONS.md §2.10), as the approver declares it when signing."""

    BASE_UNIT = "base_unit", _("Base unit (所在基层单位)")
    PROFESSIONAL_DEPT = "professional_dept", _("Professional department (所在单位专业部门)")
    SAFETY_DEPT = "safety_dept", _("Safety management department (安全管理部门)")
    POWER_SUPPLY_UNIT = "power_supply", _("Power supply unit (配送电单位)")
    PLANT_HEAD = "plant_head", _("Leader in charge, plant head or chief engineer (主管领导/主管厂长或总工程师)")


#: The order of the levels: an approver at a higher rank may approve what a lower one may (a company leader
#: above its departments, the departments above a base unit). The power supply unit approves only temporary
#: power (Table B.1) and is ranked with the departments.
APPROVER_LEVEL_RANK = {
    ApproverLevel.BASE_UNIT: 1,
    ApproverLevel.PROFESSIONAL_DEPT: 2,
    ApproverLevel.SAFETY_DEPT: 2,
    ApproverLevel.POWER_SUPPLY_UNIT: 2,
    ApproverLevel.PLANT_HEAD: 3,
}

#: Table B.1's approver (``shouye.rules.data.gb30871.APPROVALS``) as a level.
REQUIRED_LEVEL_BY_TABLE_B1 = {
    "主管领导": ApproverLevel.PLANT_HEAD,
    "主管厂长或总工程师": ApproverLevel.PLANT_HEAD,
    "安全管理部门": ApproverLevel.SAFETY_DEPT,
    "所在基层单位": ApproverLevel.BASE_UNIT,
    "所在单位专业部门": ApproverLevel.PROFESSIONAL_DEPT,
    "配送电单位": ApproverLevel.POWER_SUPPLY_UNIT,
}


class PermitPersonRole(models.TextChoices):
    """The people a form names (REGULATIONS-2 §C.1)."""

    WORK_LEADER = "work_leader", _("Work leader (作业负责人)")
    OPERATOR = "operator", _("Operator (作业人/动火人)")
    WATCHPERSON = "watchperson", _("Watchperson (监护人)")
    COMMANDER = "commander", _("Lifting commander (指挥人员)")
    RIGGER = "rigger", _("Rigger (司索人)")
    ELECTRICIAN = "electrician", _("Electrician (电工)")
    POWER_USER = "power_user", _("Power user (用电人)")


class ProblemCode(models.TextChoices):
    """What the bureau's board flags on a permit (issue 12). Each is a flag the inspector can open."""

    GAS_TEST_STALE = "gas_test_stale", _("Gas test older than allowed")
    GAS_TEST_MISSING = "gas_test_missing", _("No passing gas test before work")
    VALIDITY_RUNNING_OUT = "validity_running_out", _("Validity running out while in progress")
    VALIDITY_EXCEEDED = "validity_exceeded", _("Validity longer than the standard allows")
    APPROVER_BELOW_LEVEL = "approver_below_level", _("Approver below the required level")
    CERTIFICATE_EXPIRED = "certificate_expired", _("Operator certificate expired or due for review")
    GRADE_TOO_LOW = "grade_too_low", _("Grade lower than the rules give")
    VIDEO_MISSING = "video_missing", _("Special hot work without a video record")
    FILED_LATE = "filed_late", _("Not filed with the bureau in time")
    PROHIBITED = "prohibited", _("Prohibited in a special period")


#: The number prefix of each kind (拼音 initials: 动火 DH, 受限空间 SX, 盲板 MB, 高处 GC, 吊装 DZ, 临时用电 LD,
#: 动土 DT, 断路 DL), as enterprises number their paper permits.
KIND_PREFIX = {
    PermitKind.HOT_WORK: "DH", PermitKind.CONFINED_SPACE: "SX", PermitKind.LINE_BLINDING: "MB",
    PermitKind.WORK_AT_HEIGHT: "GC", PermitKind.LIFTING: "DZ", PermitKind.TEMPORARY_POWER: "LD",
    PermitKind.EXCAVATION: "DT", PermitKind.ROAD_CLOSURE: "DL",
}
