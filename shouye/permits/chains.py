"""The signature chain of each form (GB 30871-2022 Appendix A, Tables A.1–A.8; REGULATIONS-2 §C.1), in the
order the form is signed. The permit's flow is derived from it (§C.2): the steps before the approving one
are collected while the permit is being signed, the approving step approves it (Table B.1's approver, on
site: 4.11), hot work then needs the shift leader's check before work (验票), and the last step is the
completion acceptance (4.15). Signatures are taken in this order only."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import PermitKind


@dataclass(frozen=True)
class Step:
    """One signature row of a form: ``key`` (the same key means the same kind of signer on every form),
    the label printed on the form, and what signing it does to the permit."""

    key: str
    label: str
    approves: bool = False
    shift_check: bool = False
    acceptance: bool = False


WORK_LEADER = Step("work_leader", _("Work leader"))
COMMANDER = Step("commander", _("Lifting commander"))
UNIT = Step("unit", _("Unit where the work is done"))
SAFETY_DEPT = Step("safety_dept", _("Safety management department"))
HOT_WORK_APPROVER = Step("approver", _("Hot-work approver"), approves=True)
SHIFT_LEADER = Step("shift_leader", _("Shift leader's check before hot work"), shift_check=True)
REVIEW_DEPT = Step("review_dept", _("Reviewing department"))
APPROVAL_DEPT = Step("approver", _("Approving department"), approves=True)
POWER_USER_UNIT = Step("power_user_unit", _("Unit using the power"))
POWER_SUPPLY_UNIT = Step("approver", _("Power supply unit"), approves=True)
EXCAVATION_COUNTERSIGN = Step("countersign", _("Countersign: water, power, steam, process, equipment, fire and "
                                               "safety departments"))
ROAD_COUNTERSIGN = Step("countersign", _("Countersign: fire and safety management departments"))
ACCEPTANCE = Step("acceptance", _("Completion acceptance"), acceptance=True)


def _unit_approving() -> Step:
    """On the confined-space and line-blinding forms the unit's signature is the approval (Table B.1: 所在基层
    单位 approves)."""
    return Step("approver", _("Unit where the work is done (approves)"), approves=True)


CHAINS: dict[str, tuple[Step, ...]] = {
    # A.1: 作业负责人 → 所在单位 → 安全管理部门 → 动火审批人 → 动火前岗位当班班长验票 → 完工验收
    PermitKind.HOT_WORK: (WORK_LEADER, UNIT, SAFETY_DEPT, HOT_WORK_APPROVER, SHIFT_LEADER, ACCEPTANCE),
    # A.2, A.3: 作业负责人 → 所在单位 → 完工验收
    PermitKind.CONFINED_SPACE: (WORK_LEADER, _unit_approving(), ACCEPTANCE),
    PermitKind.LINE_BLINDING: (WORK_LEADER, _unit_approving(), ACCEPTANCE),
    # A.4: 作业负责人 → 所在单位 → 审核部门 → 审批部门 → 完工验收
    PermitKind.WORK_AT_HEIGHT: (WORK_LEADER, UNIT, REVIEW_DEPT, APPROVAL_DEPT, ACCEPTANCE),
    # A.5: 作业指挥 → 所在单位 → 审核部门 → 审批部门 → 完工验收
    PermitKind.LIFTING: (COMMANDER, UNIT, REVIEW_DEPT, APPROVAL_DEPT, ACCEPTANCE),
    # A.6: 作业负责人 → 用电单位 → 配送电单位 → 完工验收
    PermitKind.TEMPORARY_POWER: (WORK_LEADER, POWER_USER_UNIT, POWER_SUPPLY_UNIT, ACCEPTANCE),
    # A.7: 作业负责人 → 所在单位 → 会签 → 审批部门 → 完工验收
    PermitKind.EXCAVATION: (WORK_LEADER, UNIT, EXCAVATION_COUNTERSIGN, APPROVAL_DEPT, ACCEPTANCE),
    # A.8: 作业负责人 → 所在单位 → 消防、安全管理部门 → 审批部门 → 完工验收
    PermitKind.ROAD_CLOSURE: (WORK_LEADER, UNIT, ROAD_COUNTERSIGN, APPROVAL_DEPT, ACCEPTANCE),
}

#: Kinds that need a passing gas test before approval (5.3.1, 6.3 a)). Temporary power inside an operating
#: hazardous unit needs one too (10.1); the form's "in a fire or explosion hazard area" says when.
GAS_TEST_KINDS = frozenset({PermitKind.HOT_WORK, PermitKind.CONFINED_SPACE})


def chain(kind: str) -> tuple[Step, ...]:
    return CHAINS[kind]


def next_step(kind: str, signed: set[str] | frozenset[str]) -> Step | None:
    """The first step of the chain not yet signed; None when every step is."""
    return next((step for step in CHAINS[kind] if step.key not in signed), None)


def step(kind: str, key: str) -> Step | None:
    return next((s for s in CHAINS[kind] if s.key == key), None)
