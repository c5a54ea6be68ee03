"""The workflows of a plan (draft → published → filed → under revision → superseded) and of a drill (planned
→ held or cancelled). Who may act on a unit's rows: its enterprise's users for an enterprise, the bureau (and
a township officer for its township) for the bureau's own units (:func:`check_manager`)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from shouye.core.workflow import Step, Workflow

from .choices import DrillState as D
from .choices import PlanState as S
from .choices import UnitKind
from .permissions import EXPORT, MANAGE_BUREAU, MANAGE_ENTERPRISE, SET_CATEGORY, VIEW

__all__ = ["DRILL_WORKFLOW", "EXPORT", "PLAN_WORKFLOW", "SET_CATEGORY", "UNIT_WORKFLOW", "VIEW", "may_manage"]

MANAGE = (MANAGE_ENTERPRISE, MANAGE_BUREAU)


def may_manage(actor, unit) -> bool:
    """Whether ``actor`` keeps ``unit``'s plans (the scope is checked apart)."""
    return actor.has_perm(MANAGE_ENTERPRISE if unit.enterprise_id else MANAGE_BUREAU)


def check_manager(actor, obj) -> None:
    if not may_manage(actor, getattr(obj, "unit", obj)):
        raise PermissionDenied(_("Only the unit that owns these plans keeps them."))


LIVE = (S.PUBLISHED, S.FILED)
#: A version takes documents until it is superseded (then it is the record of what applied).
CURRENT = (S.DRAFT, S.PUBLISHED, S.FILED, S.UNDER_REVISION)

PLAN_WORKFLOW = Workflow(states=S, steps=[
    Step("edit", sources=(S.DRAFT,), permissions=MANAGE, check=check_manager),
    Step("publish", sources=(S.DRAFT,), target=S.PUBLISHED, permissions=MANAGE, check=check_manager),
    Step("file", sources=(S.PUBLISHED,), target=S.FILED, permissions=MANAGE, check=check_manager),
    Step("evaluate", sources=LIVE, permissions=MANAGE, check=check_manager),
    Step("revise", sources=LIVE, target=S.UNDER_REVISION, permissions=MANAGE, check=check_manager),
    Step("attach", sources=CURRENT, permissions=MANAGE, check=check_manager),
])

DRILL_WORKFLOW = Workflow(states=D, steps=[
    Step("hold", sources=(D.PLANNED,), target=D.HELD, permissions=MANAGE, check=check_manager),
    Step("cancel", sources=(D.PLANNED,), target=D.CANCELLED, permissions=MANAGE, check=check_manager),
    Step("problem", sources=(D.HELD,), permissions=MANAGE, check=check_manager),
])

#: A unit has no state of its own: its kind decides what may be set (an enterprise's category only; the
#: bureau's own units are governments by Art. 63 ¶1).
UNIT_WORKFLOW = Workflow(states=UnitKind, state_field="kind", steps=[
    Step("set-category", sources=(UnitKind.ENTERPRISE,), permissions=(SET_CATEGORY,)),
])
