"""The incident's workflow: reported → responding (a command post with its commander is set up) → closed with a
summary. Updates of the situation, hand entries and reports sent are recorded beside the state; reports (终报)
and the investigation clock go on after the close."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from shouye.accounts.choices import Role
from shouye.core.workflow import Step, Workflow

from .choices import IncidentState as S
from .choices import TaskState as T

VIEW = "incidents.view_incident"
RECORD = "incidents.record_incident"
COMMAND = "incidents.command_incident"
ON_SITE = "incidents.update_incident_on_site"
ANSWER_TASK = "incidents.answer_incident_task"

ACTIVE = (S.REPORTED, S.RESPONDING)

WORKFLOW = Workflow(states=S, steps=[
    Step("situation", sources=ACTIVE, permissions=(RECORD, ON_SITE)),
    Step("entry", sources=ACTIVE, permissions=(RECORD, ON_SITE, COMMAND)),
    Step("report", sources=(*ACTIVE, S.CLOSED), permissions=(RECORD,)),
    Step("command-post", sources=ACTIVE, target=S.RESPONDING, permissions=(RECORD, COMMAND)),
    Step("close", sources=ACTIVE, target=S.CLOSED, permissions=(RECORD, COMMAND)),
    # The response (response.py): the leader commands and dispatches; only the duty staff return a team.
    Step("dispatch-team", sources=ACTIVE, permissions=(RECORD, COMMAND)),
    Step("dispatch-items", sources=ACTIVE, permissions=(RECORD, COMMAND)),
    Step("return-team", sources=(*ACTIVE, S.CLOSED), permissions=(RECORD,)),
    Step("activate-plan", sources=ACTIVE, permissions=(RECORD, COMMAND)),
    Step("assign-task", sources=ACTIVE, permissions=(COMMAND, RECORD)),
    Step("extend-investigation", sources=(*ACTIVE, S.CLOSED), permissions=(COMMAND,)),
    Step("position", sources=ACTIVE, permissions=(ON_SITE, RECORD, COMMAND)),
    Step("photos", sources=ACTIVE, permissions=(ON_SITE, RECORD, COMMAND)),
])


def answers_for(actor, task) -> bool:
    """A task is answered by an officer of the township or department it was given to; the duty staff record
    an answer taken by phone. Read from the actor's memberships and the loaded row (no query)."""
    if actor.has_perm(RECORD):
        return True
    return any((m.role == Role.TOWNSHIP_OFFICER and m.region_id == task.township_id and task.township_id)
               or (m.role == Role.DEPARTMENT_OFFICER and m.organisation_id == task.department_id
                   and task.department_id)
               for m in actor.active_memberships())


def _ensure_answers_for(actor, task) -> None:
    if not answers_for(actor, task):
        raise PermissionDenied(_("Only an officer of the unit this task was given to can answer it."))


#: A task given to a township or department: acknowledged (签收), then reported done (办结).
TASK_WORKFLOW = Workflow(states=T, steps=[
    Step("acknowledge", sources=(T.ASSIGNED,), target=T.ACKNOWLEDGED, permissions=(ANSWER_TASK,),
         check=_ensure_answers_for),
    Step("complete", sources=(T.ACKNOWLEDGED,), target=T.DONE, permissions=(ANSWER_TASK,),
         check=_ensure_answers_for),
])
