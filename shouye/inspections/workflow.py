"""The inspection's workflow (ARCHITECTURE.md §4): ``(state, action) → new state``, who may take each action
and which a page offers. An inspection is recorded while it is in progress; finishing it turns its
non-compliant items into hazards and freezes the record; documents are issued from a finished record only
(they quote its results)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from shouye.accounts.choices import Role
from shouye.core.workflow import Step, Workflow

from .choices import InspectionKind
from .choices import InspectionState as S

START = "inspections.add_inspection"
RECORD = "inspections.change_inspection"
ENFORCE = "inspections.conduct_enforcement_inspection"
ISSUE = "inspections.issue_inspection_document"
PLAN_GENERATE = "inspections.add_inspectionplan"
PLAN_CHANGE = "inspections.change_inspectionplan"

#: Roles whose holders inspect as officers (bureau, township and department); an expert only takes part in
#: expert inspections.
OFFICER_ROLES = (Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.TOWNSHIP_OFFICER, Role.DEPARTMENT_OFFICER)


def is_officer(user) -> bool:
    return user.is_active and user.has_role(*OFFICER_ROLES) and user.has_perm(START)


def ensure_may_record(actor, inspection) -> None:
    """Officers record inspections within their scope; an enforcement inspection only the bureau's
    enforcement officers (行政处罚法 Art. 42); an expert only the expert inspections it takes part in."""
    if inspection.kind == InspectionKind.ENFORCEMENT and not actor.has_perm(ENFORCE):
        raise PermissionDenied(_("Only enforcement officers record an enforcement inspection."))
    if not is_officer(actor):
        takes_part = inspection.experts.filter(pk=actor.pk).exists()
        if inspection.kind != InspectionKind.EXPERT or not takes_part:
            raise PermissionDenied(_("Experts record only the expert inspections they take part in."))


WORKFLOW = Workflow(states=S, steps=[
    Step("record", sources=(S.IN_PROGRESS,), target=S.IN_PROGRESS, permissions=(RECORD,),
         check=ensure_may_record),
    Step("add-photos", sources=(S.IN_PROGRESS,), target=S.IN_PROGRESS, permissions=(RECORD,),
         check=ensure_may_record),
    Step("finish", sources=(S.IN_PROGRESS,), target=S.FINISHED, permissions=(RECORD,), check=ensure_may_record),
    Step("issue-document", sources=(S.FINISHED,), target=S.FINISHED, permissions=(ISSUE,)),
])

TRANSITIONS = WORKFLOW.transitions
ACTIONS = WORKFLOW.actions
allowed_actions = WORKFLOW.allowed_actions
ensure_allowed = WORKFLOW.ensure_allowed
