"""The incident's workflow: reported → responding (a command post with its commander is set up) → closed with a
summary. Updates of the situation, hand entries and reports sent are recorded beside the state; reports (终报)
and the investigation clock go on after the close."""

from shouye.core.workflow import Step, Workflow

from .choices import IncidentState as S

VIEW = "incidents.view_incident"
RECORD = "incidents.record_incident"
COMMAND = "incidents.command_incident"
ON_SITE = "incidents.update_incident_on_site"

ACTIVE = (S.REPORTED, S.RESPONDING)

WORKFLOW = Workflow(states=S, steps=[
    Step("situation", sources=ACTIVE, permissions=(RECORD, ON_SITE)),
    Step("entry", sources=ACTIVE, permissions=(RECORD, ON_SITE, COMMAND)),
    Step("report", sources=(*ACTIVE, S.CLOSED), permissions=(RECORD,)),
    Step("command-post", sources=ACTIVE, target=S.RESPONDING, permissions=(RECORD, COMMAND)),
    Step("close", sources=ACTIVE, target=S.CLOSED, permissions=(RECORD, COMMAND)),
    # The response (response.py): the leader commands and dispatches; only the duty staff return a team.
    Step("position", sources=ACTIVE, permissions=(RECORD, ON_SITE)),
    Step("dispatch-team", sources=ACTIVE, permissions=(RECORD, COMMAND)),
    Step("dispatch-items", sources=ACTIVE, permissions=(RECORD, COMMAND)),
    Step("return-team", sources=(*ACTIVE, S.CLOSED), permissions=(RECORD,)),
    Step("activate-plan", sources=ACTIVE, permissions=(RECORD, COMMAND)),
])
