"""The hazard's workflow (ARCHITECTURE.md §4): the transition table ``(state, action) → new state``, who may
take each action, and which actions a page offers now. Guards that need more than the state and the role (a
major hazard's governance plan complete, the expert's verification passed) live in the services, which name
what is missing; here only what decides whether an action is possible at all.

The tip-off's workflow is below: a tip-off is triaged once, into a hazard or dismissed, possibly after the
township's officers have checked the place on site."""

from django.conf import settings

from shouye.core.workflow import Step, Workflow

from .choices import ExtensionState, HazardLevel, TipOffState
from .choices import HazardState as S

REPORT = "hazards.report_hazard"
RECTIFY = "hazards.rectify_hazard"
ASSIGN = "hazards.assign_hazard"
VERIFY = "hazards.verify_hazard"
EXPERT_VERIFY = "hazards.expert_verify_hazard"
TRIAGE = "hazards.triage_tipoff"
VIEW = "hazards.view_hazard"
EXPORT = "hazards.export_hazard"
VIEW_TIPOFF = "hazards.view_tipoff"
CHECK_TIPOFF = "hazards.check_tipoff"

#: A major hazard's governance plan and listing can be written until rectification is submitted.
PLAN_STATES = (S.REPORTED, S.RECTIFYING)


def _major(actor, hazard) -> bool:
    return hazard.level == HazardLevel.MAJOR


def _ordinary(actor, hazard) -> bool:
    return hazard.level != HazardLevel.MAJOR


def _pending_extension(hazard) -> bool:
    """Uses the hazard's prefetched extensions when present."""
    return any(ext.state == ExtensionState.PENDING for ext in hazard.extensions.all())


def _may_request_extension(actor, hazard) -> bool:
    """One request at a time, at most SHOUYE_HAZARD_MAX_EXTENSIONS per hazard (local practice)."""
    return (not _pending_extension(hazard)
            and hazard.extension_count < settings.SHOUYE_HAZARD_MAX_EXTENSIONS)


#: 16号令 Art. 10–16: report → order rectification → rectify → re-inspect → close out (销号). The enterprise
#: user rectifies its own hazards and asks for more time; officers order, re-inspect and close within their
#: scope (issue 3, "Who may do what"). Only an ordinary hazard is closed on the spot; only a major one has an
#: expert verification, a governance plan (Art. 15) and listed supervision.
WORKFLOW = Workflow(states=S, steps=[
    Step("assign", sources=(S.REPORTED,), target=S.RECTIFYING, permissions=(ASSIGN,)),
    Step("close-on-spot", sources=(S.REPORTED,), target=S.CLOSED, permissions=(VERIFY,), offered=_ordinary),
    Step("submit", sources=(S.RECTIFYING,), target=S.SUBMITTED, permissions=(RECTIFY, ASSIGN)),
    Step("request-extension", sources=(S.RECTIFYING,), target=S.RECTIFYING, permissions=(RECTIFY, ASSIGN),
         offered=_may_request_extension),
    Step("approve-extension", sources=(S.RECTIFYING,), target=S.RECTIFYING, permissions=(ASSIGN,),
         offered=lambda actor, hazard: _pending_extension(hazard)),
    Step("expert-verify", sources=(S.SUBMITTED,), target=S.SUBMITTED, permissions=(EXPERT_VERIFY,),
         offered=_major),
    Step("verify", sources=(S.SUBMITTED,), target=S.CLOSED, permissions=(VERIFY,)),
    Step("reject", sources=(S.SUBMITTED,), target=S.RECTIFYING, permissions=(VERIFY,)),
    Step("governance-plan", sources=PLAN_STATES, permissions=(RECTIFY, ASSIGN), offered=_major),
    Step("listed-supervision", sources=PLAN_STATES, permissions=(ASSIGN,), offered=_major),
])

TRANSITIONS = WORKFLOW.transitions
ACTIONS = WORKFLOW.actions
allowed_actions = WORKFLOW.allowed_actions
ensure_allowed = WORKFLOW.ensure_allowed

#: A tip-off is triaged once by the bureau: accepted as a hazard of the enterprise it is about, or dismissed;
#: or first sent to the township's officers (属地) to check on site, who record the result (a hazard found, or
#: nothing to take up). The bureau may still decide a tip-off the township is checking.
TIPOFF_WORKFLOW = Workflow(states=TipOffState, steps=[
    Step("accept", sources=(TipOffState.NEW, TipOffState.CHECKING), target=TipOffState.ACCEPTED,
         permissions=(TRIAGE,)),
    Step("dismiss", sources=(TipOffState.NEW, TipOffState.CHECKING), target=TipOffState.DISMISSED,
         permissions=(TRIAGE,)),
    Step("send", sources=(TipOffState.NEW,), target=TipOffState.CHECKING, permissions=(TRIAGE,)),
    Step("check-found", sources=(TipOffState.CHECKING,), target=TipOffState.ACCEPTED, permissions=(CHECK_TIPOFF,)),
    Step("check-dismiss", sources=(TipOffState.CHECKING,), target=TipOffState.DISMISSED,
         permissions=(CHECK_TIPOFF,)),
])
