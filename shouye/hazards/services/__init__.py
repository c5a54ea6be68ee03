"""Business acts on hidden hazards (事故隐患), 安全生产事故隐患排查治理暂行规定 (16号令), one module per seam:
reporting, major-hazard governance, the rectification loop with its extensions, the daily deadline job and
public tip-offs.

Every act is one keyword-only function and one transaction: it locks the hazard, checks scope (404),
permission (403) and the transition (409, ../workflow.py), validates its input (400), saves, writes exactly
one audit event and schedules its in-app notifications for after the commit. A refused act changes nothing.
Callers import the acts from here (``from shouye.hazards import services``).
"""

from .common import CLOCK_SKEW, OWN_SOURCES, available_actions, ensure_may_act
from .deadlines import mark_overdue_and_notify
from .governance import expert_verify, list_for_supervision, save_governance_plan
from .rectification import (
    approve_extension,
    assign_rectification,
    close_on_spot,
    reject_rectification,
    request_extension,
    submit_rectification,
    verify_rectification,
)
from .reporting import report_from_investigation, report_hazard
from .tipoffs import (
    TipOffStatus,
    TooManyStatusLookups,
    TooManyTipOffs,
    ensure_may_triage,
    record_tip_off_check,
    send_tip_off_to_township,
    submit_tip_off,
    tip_off_status,
    triage_tip_off,
)

__all__ = [
    "CLOCK_SKEW", "OWN_SOURCES", "TipOffStatus", "TooManyStatusLookups", "TooManyTipOffs", "approve_extension", "assign_rectification",
    "available_actions", "close_on_spot", "ensure_may_act", "ensure_may_triage", "expert_verify",
    "list_for_supervision", "mark_overdue_and_notify", "record_tip_off_check", "reject_rectification", "report_from_investigation", "report_hazard",
    "request_extension", "save_governance_plan", "send_tip_off_to_township", "submit_rectification", "submit_tip_off",
    "tip_off_status", "triage_tip_off",
    "verify_rectification",
]
